"""Checks a package must pass before any parser sees it.

A zip's directory can lie about sizes, so every member is inflated once here in chunks,
counting bytes, and abandoned the moment a limit is crossed. XML parts must not carry a
DTD: OOXML and ODF never need one, and a DTD is how entity bombs and external entities
get in.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from toolkit.io.limits import DEFAULT, Limits
from toolkit.problems import SvcqError

_CHUNK = 1 << 20
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


def check_size(path: Path, limits: Limits = DEFAULT) -> None:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise SvcqError(f"檔案太大（{size / 1024**2:.0f} MB，上限 "
                        f"{limits.max_file_bytes / 1024**2:.0f} MB）", file=path, code="too-large")


def check_zip(path: Path, limits: Limits = DEFAULT) -> None:
    """Raise SvcqError if the zip package at ``path`` is malformed, a bomb, or carries a DTD."""
    check_size(path, limits)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_members:
                raise SvcqError(f"壓縮檔內含 {len(infos)} 個成員，超過上限 {limits.max_members}",
                                file=path, code="too-many-parts")
            total = 0
            for info in infos:
                total += _inflate_counting(zf, info, path, limits, limit_left=limits.max_total_bytes - total)
    except zipfile.BadZipFile:
        raise SvcqError("檔案已損毀或不完整（壓縮結構錯誤），請重新取得原檔", file=path,
                        code="corrupt-file") from None
    except (zlib.error, EOFError, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise SvcqError("檔案已損毀或不完整（無法解壓縮），請重新取得原檔", file=path,
                        code="corrupt-file") from None


def _inflate_counting(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limits: Limits,
                      limit_left: int) -> int:
    if info.file_size > limits.max_member_bytes or info.file_size > limit_left:
        raise _bomb(path, info.filename)
    if info.compress_size and info.file_size > 1 << 20:
        if info.file_size / info.compress_size > limits.max_ratio:
            raise _bomb(path, info.filename)
    is_xml = info.filename.endswith((".xml", ".rels", ".vml")) or info.filename == "[Content_Types].xml"
    seen = 0
    # Read the raw stream rather than ZipExtFile so a lying directory cannot cap what we count.
    with zf.open(info) as raw:
        first = True
        while True:
            chunk = raw.read(_CHUNK)
            if not chunk:
                break
            if first and is_xml and any(m in chunk[:4096] for m in _DTD_MARKERS):
                raise SvcqError(f"檔案內的 XML（{info.filename}）含有 DTD 宣告，可能是惡意檔案，已拒絕開啟",
                                file=path, code="xml-dtd")
            first = False
            seen += len(chunk)
            if seen > limits.max_member_bytes or seen > limit_left:
                raise _bomb(path, info.filename)
    return seen


def _bomb(path: Path, member: str) -> SvcqError:
    return SvcqError(f"檔案解壓後過大（{member}），疑似壓縮炸彈，已停止讀取", file=path, code="zip-bomb")
