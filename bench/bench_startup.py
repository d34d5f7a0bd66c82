"""Start-up: `svcq --help` and `svcq <cmd> --help` against a bare `python -c "import click"`.

A user waits for this on every command; the target is ≤ 3× the bare click start. Each command
runs in a fresh interpreter, interleaved with the baseline, best of 7.
"""

from __future__ import annotations

import subprocess
import sys
import time

RUNS = 7
COMMANDS = [["--help"], ["survey", "tally", "--help"], ["schedule", "status", "--help"],
            ["score", "compute", "--help"], ["cells", "get", "--help"]]
BASELINE = [sys.executable, "-c", "import click"]


def _seconds(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    svcq = [sys.executable, "-m", "toolkit"]
    best_base = float("inf")
    best: dict[str, float] = {}
    for _ in range(RUNS):
        best_base = min(best_base, _seconds(BASELINE))
        for args in COMMANDS:
            key = " ".join(args)
            best[key] = min(best.get(key, float("inf")), _seconds([*svcq, *args]))
    print(f"python -c 'import click': {best_base:.3f} s (best of {RUNS})")
    for key, seconds in best.items():
        print(f"svcq {key}: {seconds:.3f} s → {seconds / best_base:.2f}× the bare click start"
              f"{'' if seconds <= 3 * best_base else '  (over the 3× target)'}")


if __name__ == "__main__":
    main()
