"""Writing without ever losing data.

Every output is written to a temporary file in the target's folder and renamed over the
target only when complete, so a crash or a kill leaves either the old file or the new one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from toolkit.problems import SvcqError


def file_digest(path: str | Path) -> str:
    with Path(path).open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def lock_file(path: str | Path) -> Path | None:
    """Excel's owner file ``~$name.xlsx`` beside ``path``, if someone has it open."""
    path = Path(path)
    for name in (f"~${path.name}", f"~${path.name[2:]}"):  # Excel drops 2 chars for long names
        candidate = path.with_name(name)
        if candidate.exists():
            return candidate
    return None


def check_output_path(inputs: Iterable[str | Path], dst: str | Path, *, in_place: bool = False) -> None:
    """Refuse to overwrite an input unless ``in_place``, and a file someone has open in Excel."""
    dst = Path(dst)
    same = [p for p in inputs if Path(p).exists() and dst.exists() and Path(p).resolve() == dst.resolve()]
    if same and not in_place:
        raise SvcqError("輸出檔與輸入檔相同；若要直接修改原檔請加上 --in-place（會先留備份）",
                        file=dst, code="output-is-input")
    locked = lock_file(dst)
    if locked is not None and dst.exists():
        raise SvcqError(f"檔案似乎正由 Excel 開啟中（發現 {locked.name}），請先關閉檔案再試",
                        file=dst, code="locked")


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


@contextmanager
def atomic_output(dst: str | Path, *, expect_digest: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``dst``; on success it replaces ``dst`` in one rename.

    ``expect_digest``: the sha256 ``dst`` had when it was read; if the file changed on disk
    since (another program saved it), the write is refused and the temporary file removed.
    """
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dst.stem}.", suffix=f".tmp{dst.suffix}", dir=dst.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if expect_digest is not None and dst.exists() and file_digest(dst) != expect_digest:
            raise SvcqError("檔案在處理期間已被其他程式修改，為避免覆蓋他人的變更，未寫入",
                            file=dst, code="changed-on-disk")
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
