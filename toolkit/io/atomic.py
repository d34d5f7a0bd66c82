"""Writing without ever losing data.

Every output is written to a temporary file in the target's folder and renamed over the
target only when complete, so a crash or a kill leaves either the old file or the new one.
The temporary file is named ``.<stem>.<pid>.<random>.tmp<suffix>``: hidden, recognisable,
and owned by a process id, so a file left behind by a killed run is removed by the next
write to the same target once that process is gone.

A target reached through a symbolic link is written where the link points (the link stays
a link). A backup is a verified copy or nothing: it is written under a temporary name,
synced, read back and compared with the digest the file had when svcq read it, and only
then given its ``.bak-…`` name. Failures of the file system (full disk, read-only folder,
missing permission, a name too long) become one message naming the file.
"""

from __future__ import annotations

import datetime as dt
import errno
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


def real_target(path: str | Path) -> Path:
    """Where a write to ``path`` must land: through symbolic links to the file they name, so
    that replacing it keeps the link (and the folder the link lives in untouched)."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


#: A file name's limit on every common file system, in bytes.
NAME_MAX = 255
#: The longest stem (UTF-8 bytes) svcq puts into a temporary or backup name it derives from a
#: target: room is left for ``.pid.random.tmp.xlsx`` / ``.bak-YYYYmmdd-HHMMSS-N.xlsx``.
_DERIVED_STEM_BYTES = 180


def _short_stem(stem: str, limit: int = _DERIVED_STEM_BYTES) -> str:
    while len(stem.encode("utf-8")) > limit:
        stem = stem[:-1]
    return stem


_WRITE_ERRORS = {
    errno.ENOSPC: "磁碟空間不足",
    getattr(errno, "EDQUOT", -122): "已超過磁碟配額",
    errno.EROFS: "磁碟或資料夾是唯讀的",
    errno.EACCES: "沒有寫入此資料夾或檔案的權限",
    errno.EPERM: "沒有寫入此資料夾或檔案的權限",
    errno.ENAMETOOLONG: "檔名或路徑太長，請縮短檔名或資料夾名稱",
    errno.EIO: "讀寫磁碟時發生錯誤（隨身碟或網路磁碟是否已中斷？）",
    errno.EFBIG: "檔案超過此磁碟允許的大小",
    errno.ENOTDIR: "路徑中有一部分不是資料夾",
    errno.EXDEV: "無法跨磁碟搬移檔案",
}


def os_error(exc: OSError) -> SvcqError:
    """Any file-system failure that reached the command line, as one message naming the file."""
    if isinstance(exc, FileNotFoundError):
        return SvcqError("找不到檔案或資料夾", file=exc.filename, code="not-found")
    reason = _WRITE_ERRORS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__)
    if isinstance(exc, PermissionError):
        reason = "沒有讀寫此檔案或資料夾的權限"
    return SvcqError(f"無法讀寫檔案：{reason}", file=exc.filename or exc.filename2, code="os-error")


def write_error(exc: OSError, path: str | Path, *, what: str = "寫入") -> SvcqError:
    """A file-system failure as one message naming the file; ``what`` says what svcq was doing."""
    reason = _WRITE_ERRORS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason += f"（資料夾：{Path(path).parent}）"
    code = "disk-full" if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -122)) else "cannot-write"
    return SvcqError(f"無法{what}：{reason}；未寫入任何檔案，原有檔案沒有變動", file=path, code=code)


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


def make_backup(path: str | Path, *, now: dt.datetime | None = None,
                expect_digest: str | None = None) -> Path:
    """A verified copy of ``path`` as ``name.bak-YYYYmmdd-HHMMSS.ext`` beside it; its path.

    The copy is written under a temporary name, synced, read back and compared with
    ``expect_digest`` (the digest the file had when svcq read it; else the file's digest
    now) before it gets its name: a full disk or a file changed meanwhile leaves no backup
    that looks real, and raises SvcqError."""
    path = real_target(path)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    stem = _short_stem(path.stem)
    want = expect_digest or file_digest(path)
    fd, name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=f".tmp{path.suffix}", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        try:
            shutil.copyfile(path, tmp)
            shutil.copystat(path, tmp)
            with tmp.open("rb") as fh:
                os.fsync(fh.fileno())
        except OSError as exc:
            raise write_error(exc, path, what="建立備份") from None
        if file_digest(tmp) != want:
            if file_digest(path) != want:
                raise changed_on_disk(path)
            raise SvcqError("備份檔讀回後與原檔不符（磁碟可能有問題），未修改原檔", file=path,
                            code="backup-failed")
        n = 0
        while True:
            backup = path.with_name(f"{stem}.bak-{stamp}{f'-{n}' if n else ''}{path.suffix}")
            try:
                os.link(tmp, backup)  # never replaces an earlier backup, unlike a rename
                break
            except FileExistsError:
                n += 1
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS):
                    raise write_error(exc, path, what="建立備份") from None
                if backup.exists():  # no hard links here (FAT, some shares): rename instead
                    n += 1
                    continue
                os.replace(tmp, backup)
                break
        _fsync_dir(path.parent)
        return backup
    finally:
        tmp.unlink(missing_ok=True)


def changed_on_disk(path: Path) -> SvcqError:
    return SvcqError("檔案在處理期間已被其他程式修改或移走，為避免覆蓋他人的變更，未寫入；"
                     "請重新執行", file=path, code="changed-on-disk")


def temp_prefix(dst: Path) -> str:
    return f".{_short_stem(dst.stem)}.{os.getpid()}."


def clean_stale_temps(dst: str | Path) -> list[Path]:
    """Remove temporary files of earlier writes to ``dst`` whose process no longer runs
    (a run killed mid-write); return what was removed."""
    dst = real_target(dst)
    pattern = re.compile(rf"^\.{re.escape(_short_stem(dst.stem))}\.(\d+)\.[^.]+\.tmp{re.escape(dst.suffix)}$")
    removed = []
    with suppress(OSError):
        for entry in dst.parent.iterdir():
            m = pattern.match(entry.name)
            if m and not process_alive(int(m.group(1))):
                with suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


def process_alive(pid: int) -> bool:
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
    The new file keeps the permissions of the one it replaces; a symbolic link ``dst`` keeps
    pointing at the replaced file. A failure of the file system raises SvcqError.
    """
    dst = real_target(dst)
    if len(dst.name.encode("utf-8")) > NAME_MAX:
        raise SvcqError(f"檔名太長（{len(dst.name.encode('utf-8'))} 位元組，上限 {NAME_MAX}），"
                        "請縮短檔名", file=dst, code="name-too-long")
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temps(dst)
        fd, name = tempfile.mkstemp(prefix=temp_prefix(dst), suffix=f".tmp{dst.suffix}", dir=dst.parent)
        os.close(fd)
    except OSError as exc:
        raise write_error(exc, dst) from None
    tmp = Path(name)
    try:
        try:
            yield tmp
        except OSError as exc:
            if _is_write_failure(exc, tmp):
                raise write_error(exc, dst) from None
            raise
        except Exception as exc:  # xlsxwriter wraps the OSError of its final write
            cause = exc.__cause__ or exc.__context__ or (exc.args[0] if exc.args else None)
            if isinstance(cause, OSError) and _is_write_failure(cause, tmp):
                raise write_error(cause, dst) from None
            raise
        if expect_digest is not None and (not dst.exists() or file_digest(dst) != expect_digest):
            raise changed_on_disk(dst)
        try:
            with tmp.open("rb") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp, _mode_for(dst))
            os.replace(tmp, dst)
        except OSError as exc:
            raise write_error(exc, dst) from None
        _fsync_dir(dst.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _is_write_failure(exc: OSError, tmp: Path) -> bool:
    """An OSError of the write itself (disk full, read-only…), not of reading an input."""
    if exc.errno not in _WRITE_ERRORS:
        return False
    return exc.filename is None or Path(str(exc.filename)).parent == tmp.parent


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
