"""Tell what a file is by its bytes, never by its name."""

from __future__ import annotations

import re
import zipfile
import zlib
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
    HTML = "html"  # an HTML table saved as .xls (government systems, Excel's 「網頁」)
    XML2003 = "xml"  # SpreadsheetML 2003 (Excel's 「XML 試算表」)


#: Text formats svcq does not read, recognised by their first bytes so that their markup is
#: never taken for CSV cells: (prefix, what it is).
_OTHER_TEXT = (
    (b"ID;P", "SYLK 格式（.slk）的試算表"),
    (b"TABLE\r\n0,1", "DIF 格式（.dif）的試算表"),
    (b"TABLE\n0,1", "DIF 格式（.dif）的試算表"),
    (b"{\\rtf", "RTF 文件"),
    (b"MIME-Version:", "網頁封存檔（.mht）"),
    (b"%!PS", "PostScript 文件"),
)
_SPREADSHEETML = b"urn:schemas-microsoft-com:office:spreadsheet"


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
    markup = _sniff_text(path)
    if markup is not None:
        return markup
    if csv_encoding(path) is not None:
        return FileKind.CSV
    raise SvcqError("無法辨識的檔案格式：不是 Excel、ODS，也不是 UTF-8 或 Big5 的 CSV",
                    file=path, code="not-a-workbook")


def _sniff_text(path: Path) -> FileKind | None:
    """HTML and SpreadsheetML are read; SYLK, DIF and other text documents are refused by
    name. None: plain text, to be tried as CSV."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[2:].decode(encoding, "replace").encode("utf-8")
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    for prefix, what in _OTHER_TEXT:
        if text.startswith(prefix):
            raise SvcqError(f"這是{what}，svcq 不讀取這種格式；請用 Excel 開啟後另存為 .xlsx 再試",
                            file=path, code="unsupported-format")
    lower = text[:4096].lower()
    if text.startswith(b"<?xml") or text.startswith(b"<workbook") or text.startswith(b"<ss:workbook"):
        if _SPREADSHEETML in text and re.search(rb"<(?:\w+:)?Workbook\b", text):
            return FileKind.XML2003
        if not re.search(rb"<(?:\w+:)?html\b", lower):
            raise SvcqError("這是 XML 文件，不是試算表；若是由系統匯出的資料，請用 Excel 開啟後另存為 .xlsx",
                            file=path, code="not-a-workbook")
    if text.startswith(b"<") and re.search(rb"<(?:!doctype\s+html|html|table|body|head)\b", lower):
        return FileKind.HTML
    return None


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
                _refuse_macro_sheets(zf, names, path)
                return FileKind.XLSM if "xl/vbaProject.bin" in names else FileKind.XLSX
            if "word/document.xml" in names:
                raise SvcqError("這是 Word 文件，不是試算表", file=path, code="not-a-workbook")
    except (zipfile.BadZipFile, zlib.error):
        raise SvcqError("檔案已損毀或不完整（壓縮結構錯誤），請重新取得原檔", file=path,
                        code="corrupt-file") from None
    except NotImplementedError as exc:  # zipfile refuses "version needed" beyond 6.3, and more
        raise unsupported_zip(path, exc) from None
    except (OSError, ValueError, EOFError) as exc:
        if isinstance(exc, FileNotFoundError | PermissionError):
            raise
        raise SvcqError("檔案已損毀或不完整（壓縮結構錯誤），請重新取得原檔", file=path,
                        code="corrupt-file") from None
    raise SvcqError("這是 zip 壓縮檔，不是試算表", file=path, code="not-a-workbook")


def unsupported_zip(path: Path, exc: NotImplementedError) -> SvcqError:
    """What to say of a zip feature Python's zipfile lacks (its NotImplementedError)."""
    m = re.search(r"zip file version (\d+\.\d+)", str(exc))
    if m:
        why = f"需要 zip 格式 {m.group(1)} 版才能解開，通常是以壓縮軟體加密或重新壓縮過"
    elif "encryption" in str(exc) or "encrypted" in str(exc):
        why = "以壓縮軟體加密"
    else:
        why = "使用不支援的壓縮方式（常見於以 7-Zip 等工具重新壓縮的檔案）"
    return SvcqError(f"檔案{why}，svcq 無法安全讀取；請用 Excel 開啟後另存新檔再試", file=path,
                     code="unsupported-compression")


_MACRO_SHEET = re.compile(rb"relationships/xl(?:Intl)?Macrosheet\b")


def _refuse_macro_sheets(zf: zipfile.ZipFile, names: set[str], path: Path) -> None:
    """An Excel 4.0 (XLM) macro sheet: the readers cannot open the workbook, and such sheets
    are how many malicious files run code — say what it is rather than 「損毀」."""
    rels = "xl/_rels/workbook.xml.rels"
    if not any(n.startswith(("xl/macrosheets/", "xl/intlmacrosheets/")) for n in names) and not (
            rels in names and _MACRO_SHEET.search(zf.read(rels)[:1 << 20])):
        return
    raise SvcqError("此活頁簿含有 Excel 4.0 巨集工作表（XLM 巨集，常被惡意檔案用來執行程式），svcq 不讀取這類檔案；"
                    "請確認檔案來源，並在 Excel 刪除巨集工作表後另存為 .xlsx 再試", file=path,
                    code="excel4-macro")


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
            text = data[: exc.start].decode(encoding, "ignore")  # utf-8-sig counts past its BOM
        if _looks_like_text(text):
            return encoding
    return None


def _looks_like_text(text: str) -> bool:
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    return control <= len(text) // 1000
