"""Private work folders in the system's temporary folder, owned by a process.

A folder is named ``svcq-<kind>-<pid>-<random>``: a run that ends, fails or is interrupted
removes its own; one killed outright (kill -9) leaves it, and the next run that makes a work
folder removes every folder of a process that no longer runs (only the current user's, never
another svcq's that is still working). A LibreOffice the killed run had started, recognised
by the folder on its command line, is ended first (Linux).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from toolkit.io.atomic import process_alive

_NAME = re.compile(r"^svcq-[a-z]+-(\d+)-[^/]+$")


@contextmanager
def work_dir(kind: str) -> Iterator[Path]:
    """A fresh folder ``svcq-<kind>-<pid>-…`` removed when the block ends, however it ends."""
    sweep_stale()
    path = Path(tempfile.mkdtemp(prefix=f"svcq-{kind}-{os.getpid()}-"))
    try:
        yield path
    finally:
        remove_tree(path)


def remove_tree(path: Path, attempts: int = 5) -> None:
    """Remove ``path``; a helper program still closing its files gets a moment to finish."""
    for n in range(attempts):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            return
        time.sleep(0.1 * (n + 1))


def sweep_stale(root: str | Path | None = None) -> list[Path]:
    """Remove work folders of svcq runs that were killed; return what was removed."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    uid = os.getuid() if hasattr(os, "getuid") else None
    with suppress(OSError):
        for entry in root.iterdir():
            m = _NAME.match(entry.name)
            if not m or process_alive(int(m.group(1))):
                continue
            with suppress(OSError):
                info = entry.lstat()
                if not entry.is_dir() or entry.is_symlink() or (uid is not None and info.st_uid != uid):
                    continue
                _end_orphans(entry)
                remove_tree(entry, attempts=3)
                removed.append(entry)
    return removed


def _end_orphans(folder: Path) -> None:
    """Kill processes of this user whose command line names ``folder`` (the LibreOffice of a
    killed run, started with its profile there): nothing else carries that random name."""
    proc = Path("/proc")
    if not proc.is_dir():
        return
    marker = str(folder).encode()
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with suppress(OSError):
            if entry.stat().st_uid == os.getuid() and marker in (entry / "cmdline").read_bytes():
                os.kill(int(entry.name), signal.SIGKILL)
