"""Tell what a file is by its bytes, never by its name."""

from __future__ import annotations

import zipfile
from enum import StrEnum
from pathlib import Path

from toolkit.problems import SvcqError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")

_OTHER_MAGIC = {
    b"\x89PNG": "PNG 圖片",
    b"\xff\xd8\xff": "JPEG 圖片",
    b"%PDF": "PDF 文件",
    b"GIF8": "GIF 圖片",
    b"\x1f\x8b": "gzip 壓縮檔",
    b"Rar!": "RAR 壓縮檔",
    b"7z\xbc\xaf": "7z 壓縮檔",
}

#: Encodings tried for CSV, in order. CP950 is Big5 as Windows in Taiwan writes it.
CSV_ENCODINGS = ("utf-8-sig", "cp950", "big5hkscs")


class FileKind(StrEnum):
    XLSX = "xlsx"
    XLSM = "xlsm"
    XLS = "xls"
    ODS = "ods"
    CSV = "csv"


def sniff(path: str | Path) -> FileKind:
    """The kind of workbook at ``path``; SvcqError (exit 2) for anything svcq cannot read."""
    path = Path(path)
    if not path.exists():
        raise SvcqError("找不到檔案", file=path, code="not-found")
    if path.is_dir():
        raise SvcqError("這是資料夾，不是檔案", file=path, code="not-a-file")
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise SvcqError("檔案是空的（0 位元組）", file=path, code="empty-file")
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(path)
    if head == OLE2_MAGIC:
        return _sniff_ole(path)
    for magic, what in _OTHER_MAGIC.items():
        if head.startswith(magic):
            raise SvcqError(f"這是{what}，不是試算表；請選擇 .xlsx、.xls、.ods 或 .csv 檔",
                            file=path, code="not-a-workbook")
    if csv_encoding(path) is not None:
        return FileKind.CSV
    raise SvcqError("無法辨識的檔案格式：不是 Excel、ODS，也不是 UTF-8 或 Big5 的 CSV",
                    file=path, code="not-a-workbook")


def _sniff_zip(path: Path) -> FileKind:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                if zf.read("mimetype").strip() == ODS_MIME:
                    return FileKind.ODS
                raise SvcqError("這是 ODF 文件但不是試算表（.ods）", file=path, code="not-a-workbook")
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                if "xl/workbook.bin" in names:
                    raise SvcqError("不支援 .xlsb 二進位活頁簿，請另存為 .xlsx", file=path,
                                    code="unsupported-format")
                return FileKind.XLSM if "xl/vbaProject.bin" in names else FileKind.XLSX
            if "word/document.xml" in names:
                raise SvcqError("這是 Word 文件，不是試算表", file=path, code="not-a-workbook")
    except zipfile.BadZipFile:
        raise SvcqError("檔案已損毀或不完整（壓縮結構錯誤），請重新取得原檔", file=path,
                        code="corrupt-file") from None
    raise SvcqError("這是 zip 壓縮檔，不是試算表", file=path, code="not-a-workbook")


def _sniff_ole(path: Path) -> FileKind:
    # An encrypted .xlsx is an OLE2 container with an EncryptionInfo stream; its directory
    # entries sit near the start, so the first 64 KiB are enough to see the stream name.
    with path.open("rb") as fh:
        head = fh.read(65536)
    if _ENCRYPTED_STREAM in head:
        raise SvcqError("活頁簿設有開啟密碼。請先移除檔案密碼（Excel：檔案 → 資訊 → 保護活頁簿 → "
                        "以密碼加密，清空後存檔）再試一次", file=path, code="encrypted")
    return FileKind.XLS


def csv_encoding(path: Path, sample: int = 1 << 20) -> str | None:
    """The first encoding in CSV_ENCODINGS that decodes the file's start as text."""
    with path.open("rb") as fh:
        data = fh.read(sample)
    if b"\x00" in data:
        return None
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            # A multi-byte character cut by the sample boundary is not a decoding failure.
            if exc.start < len(data) - 4:
                continue
            text = data[: exc.start].decode(encoding)
        if _looks_like_text(text):
            return encoding
    return None


def _looks_like_text(text: str) -> bool:
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    return control <= len(text) // 1000
