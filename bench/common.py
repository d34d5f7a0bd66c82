"""Timing and memory helpers shared by the benchmarks."""

from __future__ import annotations

import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def peak_rss_of(code: str) -> int:
    """Peak resident memory (bytes) of running ``code`` in a fresh interpreter.

    Read from the child's own /proc VmHWM: ru_maxrss of a child started by a large parent
    can report the parent's high-water mark inherited through fork."""
    probe = (f"{code}\nimport sys\n"
             "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
             "sys.stdout.write('\\n' + hwm)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) * 1024


def own_peak_rss() -> int:
    try:
        with open("/proc/self/status") as fh:
            return int(next(line for line in fh if line.startswith("VmHWM:")).split()[1]) * 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def machine() -> str:
    return f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}"


def report(name: str, ours: float, theirs: float, *, baseline: str, extra: str = "") -> None:
    ratio = theirs / ours if ours else float("inf")
    print(f"{name}: svcq {ours:.3f} s, {baseline} {theirs:.3f} s → {ratio:.1f}× {extra}".rstrip())
