"""Writing without ever losing data.

Every output is written to a temporary file in the target's folder and renamed over the
target only when complete, so a crash or a kill leaves either the old file or the new one.
The temporary file is named ``.<stem>.<pid>.<random>.tmp<suffix>``: hidden, recognisable,
and owned by a process id, so a file left behind by a killed run is removed by the next
write to the same target once that process is gone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from toolkit.problems import SvcqError


def file_digest(path: str | Path) -> str:
    with Path(path).open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def lock_file(path: str | Path) -> Path | None:
    """The owner file of someone who has ``path`` open: Excel's ``~$name.xlsx`` (Excel drops
    the first two characters of long names) or LibreOffice's ``.~lock.name.xlsx#``."""
    path = Path(path)
    for name in (f"~${path.name}", f"~${path.name[2:]}", f".~lock.{path.name}#"):
        candidate = path.with_name(name)
        if candidate.exists():
            return candidate
    return None


def check_output_path(inputs: Iterable[str | Path], dst: str | Path, *, in_place: bool = False,
                      can_in_place: bool = False) -> None:
    """Refuse to overwrite an input unless ``in_place``, and a file someone has open.

    ``can_in_place``: the command offers --in-place, so the message may suggest it."""
    dst = Path(dst)
    same = [p for p in inputs if Path(p).exists() and dst.exists() and Path(p).resolve() == dst.resolve()]
    if same and not in_place:
        hint = ("若要直接修改原檔請加上 --in-place（會先留備份）" if can_in_place
                else "為免覆蓋原始資料，請另指定輸出檔名")
        raise SvcqError(f"輸出檔與輸入檔相同；{hint}", file=dst, code="output-is-input")
    locked = lock_file(dst)
    if locked is not None and dst.exists():
        raise SvcqError(f"檔案似乎正由 Excel 或 LibreOffice 開啟中（發現 {locked.name}），請先關閉"
                        "檔案再試；若確定沒有人開啟，可刪除該暫存檔", file=dst, code="locked")
    if dst.is_dir():
        raise SvcqError("輸出路徑是資料夾，請指定檔名", file=dst, code="output-is-dir")


def make_backup(path: str | Path, *, now: dt.datetime | None = None) -> Path:
    """Copy ``path`` to ``name.bak-YYYYmmdd-HHMMSS.ext`` beside it and return the copy's path."""
    path = Path(path)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.stem}.bak-{stamp}{path.suffix}")
    n = 1
    while backup.exists():
        backup = path.with_name(f"{path.stem}.bak-{stamp}-{n}{path.suffix}")
        n += 1
    shutil.copy2(path, backup)
    return backup


def temp_prefix(dst: Path) -> str:
    return f".{dst.stem}.{os.getpid()}."


def clean_stale_temps(dst: str | Path) -> list[Path]:
    """Remove temporary files of earlier writes to ``dst`` whose process no longer runs
    (a run killed mid-write); return what was removed."""
    dst = Path(dst)
    pattern = re.compile(rf"^\.{re.escape(dst.stem)}\.(\d+)\.[^.]+\.tmp{re.escape(dst.suffix)}$")
    removed = []
    with suppress(OSError):
        for entry in dst.parent.iterdir():
            m = pattern.match(entry.name)
            if m and not _alive(int(m.group(1))):
                with suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def atomic_output(dst: str | Path, *, expect_digest: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``dst``; on success it replaces ``dst`` in one rename.

    ``expect_digest``: the sha256 ``dst`` had when it was read; if the file changed on disk
    since (another program saved it), the write is refused and the temporary file removed.
    The new file keeps the permissions of the one it replaces.
    """
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(dst)
    fd, name = tempfile.mkstemp(prefix=temp_prefix(dst), suffix=f".tmp{dst.suffix}", dir=dst.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if expect_digest is not None and (not dst.exists() or file_digest(dst) != expect_digest):
            raise SvcqError("檔案在處理期間已被其他程式修改或移走，為避免覆蓋他人的變更，未寫入；"
                            "請重新執行", file=dst, code="changed-on-disk")
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(dst))
        os.replace(tmp, dst)
        _fsync_dir(dst.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _mode_for(dst: Path) -> int:
    """The replaced file's permissions, or what a plain open() would give (mkstemp's 0600
    would hide an office's shared file from colleagues)."""
    try:
        return stat.S_IMODE(dst.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the directory entry is on disk (POSIX; no-op elsewhere).
    with suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
