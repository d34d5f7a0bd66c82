"""Checks a package must pass before any parser sees it.

A zip's directory can lie about sizes, so every member is inflated once here in chunks,
counting bytes, and abandoned the moment a limit is crossed. XML parts must not carry a
DTD: OOXML and ODF never need one, and a DTD is how entity bombs and external entities
get in.

While a worksheet part streams past, its cell references are scanned (vectorised, so a
200,000-row sheet costs a fraction of a second): calamine allocates the bounding box of a
sheet's cells at once and aborts the whole process when that fails, so a 20 KB file with
one cell at A1 and one at XFD1048576 must be refused here, by content, before it loads.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from toolkit.io.limits import DEFAULT, Limits
from toolkit.io.sniff import unsupported_zip
from toolkit.problems import SvcqError
from toolkit.sheetkit.cells import cell_ref

_CHUNK = 4 << 20
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml$")
#: A formula element closed by its cell without a <v>: no cached value to read.
_UNCACHED = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*</c>")
_CELL_START = b"<c "
_MAX_COL = 16_384
_MAX_ROW = 1_048_576
_OVERLAP = 64  # bytes of the previous chunk re-read so no reference is cut in two
_GUARD = 24  # a token starting this close to a chunk end is read with the next chunk
_REF_WIDTH = 11  # 3 letters + 7 digits + closing quote
_POW = np.arange(_REF_WIDTH)


@dataclass
class SheetScan:
    """What one worksheet part holds, learnt without parsing it."""

    part: str
    max_row: int = 0  # 1-based, of the cells; 0 = no cell
    max_col: int = 0
    #: the highest row element's number: an empty <row r="1048576"/> (Excel writes one
    #: beside a comment in the last row) holds no cell and costs calamine nothing
    max_row_tag: int = 0
    prefix: bytes | None = None  # the namespace prefix of <sheetData> (b"" = none), once seen
    unusual: bool = False  # references written other than ` r="…"`: read again tag by tag
    bad_ref: bool = False  # a reference beyond XFD1048576 or not a reference at all
    # element and reference counts: their difference is the elements without r="…"
    # (summed over the whole part: one element and its reference may fall in two chunks)
    rows_seen: int = 0
    row_refs: int = 0
    cells_seen: int = 0
    cell_refs: int = 0
    uncached: list[str] = field(default_factory=list)  # formula cells without a value (capped)
    uncached_count: int = 0
    #: error cells (#DIV/0!, #N/A…) by 0-based (row, col): calamine reads them as blank
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    _error_carry: bytes = b""  # an error cell cut by a chunk seam, finished by the next chunk

    @property
    def refless_rows(self) -> int:
        return max(self.rows_seen - self.row_refs, 0)

    @property
    def refless_cells(self) -> int:
        return max(self.cells_seen - self.cell_refs, 0)

    @property
    def height_bound(self) -> int:
        # a cell without r="…" takes the row of its <row>, which may be the highest one
        top = max(self.max_row, self.max_row_tag) if self.refless_cells else self.max_row
        return min(top + self.refless_rows, _MAX_ROW)

    @property
    def width_bound(self) -> int:
        return min(self.max_col + self.refless_cells, _MAX_COL)

    @property
    def cells_bound(self) -> int:
        """Upper bound of the cells calamine would allocate for this sheet."""
        return self.height_bound * self.width_bound


class OdsScan:
    """The extent of each table in an ODS ``content.xml``, counting repeated rows and cells
    the way calamine expands them (only up to the last cell holding a value). The part is
    also checked to be well-formed XML (expat, no DTD): calamine loops forever on some
    broken or truncated ones."""

    _TOKEN = re.compile(rb"""<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])"""
                        rb"""((?:[^>"']|"[^"]*"|'[^']*')*)>""")
    _TEXT = re.compile(rb"\s*<text:p>([^<]{1,40})</text:p>")

    def __init__(self) -> None:
        from xml.parsers import expat

        self.tables: dict[str, SheetScan] = {}
        self._carry = b""
        self._current: SheetScan | None = None
        self._next_row = 1  # 1-based index of the next row element in the current table
        self._row_first = 1  # first and last row index the open row element covers
        self._row_last = 0
        self._col = 0
        self._row_width = 0  # columns up to the last valued cell in this row
        self._xml = expat.ParserCreate()
        self._xml.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self._xml.StartDoctypeDeclHandler = self._no_dtd
        self._xml.EntityDeclHandler = self._no_dtd

    @staticmethod
    def _no_dtd(*_args: object) -> None:
        raise ValueError("DTD in content.xml")

    def _parse(self, data: bytes, final: bool) -> None:
        from xml.parsers import expat

        try:
            self._xml.Parse(data, final)
        except (expat.ExpatError, LookupError) as exc:  # LookupError: an unknown encoding declared
            raise ValueError(f"content.xml is not well-formed: {exc}") from None

    def feed(self, chunk: bytes) -> None:
        self._parse(chunk, False)
        buf = self._carry + chunk
        cut = buf.rfind(b"<")  # never inside a tag: '<' cannot occur in an attribute value
        if cut <= 0:
            self._carry = buf
            if len(self._carry) > 1 << 20:  # a tag that never closes is not a spreadsheet
                raise ValueError("unterminated tag")
            return
        self._carry = buf[cut:]
        self._tokens(buf, cut)

    def finish(self) -> None:
        self._parse(b"", True)
        buf, self._carry = self._carry, b""
        self._tokens(buf, len(buf))

    def _tokens(self, buf: bytes, cut: int) -> None:
        from toolkit.io import xmlattr

        for m in self._TOKEN.finditer(buf, 0, cut):
            closing, name, attrs = m.group(1), m.group(2), m.group(3)
            if name == b"table":
                if not closing:
                    found = xmlattr.get(attrs, b"table:name")
                    label = found.decode("utf-8", "replace") if found is not None else str(len(self.tables))
                    self._current = self.tables.setdefault(label, SheetScan(label))
                    self._next_row = 1
                continue
            sheet = self._current
            if sheet is None:
                continue
            which = b"table:number-rows-repeated" if name == b"table-row" else b"table:number-columns-repeated"
            rep = xmlattr.get(attrs, which)
            count = int(rep) if rep is not None and rep.strip().isdigit() else 1
            if name == b"table-row":
                if closing:
                    if self._row_width:
                        sheet.max_row = max(sheet.max_row, self._row_last)
                        sheet.max_col = max(sheet.max_col, self._row_width)
                    continue
                self._row_first = self._next_row
                self._row_last = self._next_row + count - 1
                self._next_row += count
                self._col, self._row_width = 0, 0
                if self._row_last > _MAX_ROW:
                    sheet.bad_ref = True
                continue
            if closing:
                continue
            if name == b"table-cell" and b"error" in (xmlattr.get(attrs, b"calcext:value-type") or b"",
                                                       xmlattr.get(attrs, b"office:value-type")):
                text = self._TEXT.match(buf, m.end())
                code = text.group(1).decode("utf-8", "replace") if text else "#VALUE!"
                for c in range(self._col, min(self._col + count, _MAX_COL)):
                    sheet.errors[(self._row_first - 1, c)] = code
            self._col += count
            if xmlattr.get(attrs, b"office:value-type") is not None or b"table:formula" in attrs:
                self._row_width = self._col
            if self._col > _MAX_COL:
                sheet.bad_ref = True


@dataclass
class PackageScan:
    """Result of check_zip: worksheet parts by their path inside the package (xlsx) or
    tables by name (ods, under the key ``ods``)."""

    sheets: dict[str, SheetScan] = field(default_factory=dict)
    ods: dict[str, SheetScan] = field(default_factory=dict)


def check_size(path: Path, limits: Limits = DEFAULT) -> None:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise SvcqError(f"檔案太大（{size / 1024**2:.0f} MB，上限 "
                        f"{limits.max_file_bytes / 1024**2:.0f} MB）", file=path, code="too-large")


def check_zip(path: Path, limits: Limits = DEFAULT, *, inflate: Collection[str] | None = None) -> PackageScan:
    """Raise SvcqError if the zip package at ``path`` is malformed, a bomb, or carries a DTD;
    otherwise return what its worksheet parts hold (see ``check_sheet``).

    Every member is inflated once, counting bytes, so its CRC and size are verified — a part
    a writer copies raw must be as sound as one it parses, or the copy would carry the damage
    into a file that readers then refuse. ``inflate``: the parts a caller will parse (the
    patch writer's edited sheets); only those get the worksheet scan. None (readers) scans
    every worksheet."""
    check_size(path, limits)
    scan = PackageScan()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_members:
                raise SvcqError(f"壓縮檔內含 {len(infos)} 個成員，超過上限 {limits.max_members}",
                                file=path, code="too-many-parts")
            total = 0
            with path.open("rb") as fh:
                for info in infos:
                    _check_extent(fh, info, zf.start_dir)
            for info in infos:
                parsed = inflate is None or info.filename in inflate
                sheet = SheetScan(info.filename) if parsed and _SHEET_PART.match(info.filename) else None
                ods = OdsScan() if parsed and info.filename == "content.xml" else None
                total += _inflate_counting(zf, info, path, limits,
                                           limit_left=limits.max_total_bytes - total, sheet=sheet,
                                           ods=ods)
                if sheet is not None:
                    scan.sheets[info.filename] = sheet
                if ods is not None:
                    scan.ods = ods.tables
    except zipfile.BadZipFile:
        raise SvcqError("檔案已損毀或不完整（壓縮結構錯誤或內容檢查碼不符），請重新取得原檔", file=path,
                        code="corrupt-file") from None
    except NotImplementedError as exc:  # a compression method (Deflate64…) or zip version it lacks
        raise unsupported_zip(path, exc) from None
    except (zlib.error, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        what = "內容的 XML 結構錯誤" if type(exc) is ValueError else "無法解壓縮"
        raise SvcqError(f"檔案已損毀或不完整（{what}），請重新取得原檔", file=path,
                        code="corrupt-file") from None
    return scan


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → worksheet part (``xl/worksheets/sheet1.xml``) of an xlsx/xlsm package.

    Call after check_zip: the parts it reads are then known to be DTD-free and small.
    """
    from defusedxml import ElementTree

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    ns_pkg = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    try:
        with zipfile.ZipFile(path) as zf:
            book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # any malformed part (bad encoding declaration, broken XML): no names
        return {}
    targets = {}
    for rel in rels.iter(f"{ns_pkg}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    parts = {}
    for sheet in book.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"))
        if target:
            parts[sheet.get("name", "")] = target
    return parts


def check_sheet(scan: SheetScan, path: Path, sheet: str, limits: Limits = DEFAULT) -> None:
    """Refuse a worksheet whose cells would not fit in memory, before calamine loads it."""
    if scan.bad_ref:
        raise SvcqError("工作表含有無效的儲存格位置（超出 XFD1048576），檔案可能已損毀或遭竄改",
                        file=path, sheet=sheet, code="bad-cell-ref")
    if scan.height_bound > limits.max_rows or scan.cells_bound > limits.max_cells:
        last = cell_ref(max(scan.height_bound, 1) - 1, max(scan.width_bound, 1) - 1)
        raise SvcqError(f"工作表的使用範圍過大（A1:{last}，約 {scan.height_bound:,} 列 × "
                        f"{scan.width_bound:,} 欄，上限 {limits.max_cells:,} 格）。若遠處有"
                        "誤填的儲存格，請在 Excel 刪除多餘的列與欄後存檔再試",
                        file=path, sheet=sheet, code="sheet-too-large")


def _check_extent(fh: BinaryIO, info: zipfile.ZipInfo, end: int) -> None:
    """A member's bytes must lie before the central directory: a writer copying it raw reads
    exactly as many bytes as the directory says, where an inflater may stop early."""
    fh.seek(info.header_offset)
    head = fh.read(30)
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_len, extra_len = int.from_bytes(head[26:28], "little"), int.from_bytes(head[28:30], "little")
    if info.header_offset + 30 + name_len + extra_len + info.compress_size > end:
        raise zipfile.BadZipFile(f"member {info.filename} runs past the directory")


_SST_START = re.compile(rb"<(?:[\w.-]+:)?sst\b([^>]*)>")
_UNIQUE_COUNT = re.compile(rb"""\buniqueCount\s*=\s*["']\s*(\d+)""")


def is_shared_strings(member: str) -> bool:
    return member.rsplit("/", 1)[-1].casefold() == "sharedstrings.xml"


def check_declared_strings(head: bytes, member: str, path: Path, limits: Limits) -> None:
    """calamine reserves memory for the number of strings the table declares before reading
    one: ``uniqueCount="99999999999"`` in a 2 KB file aborts the process."""
    m = _SST_START.search(head)
    count = _UNIQUE_COUNT.search(m.group(1)) if m else None
    if count and int(count.group(1)) > limits.max_strings:
        raise SvcqError(f"共用字串表（{member}）宣告有 {int(count.group(1)):,} 個字串，超過上限 "
                        f"{limits.max_strings:,}，疑似惡意或損毀的檔案，已停止讀取", file=path,
                        code="too-many-strings")


def _check_declared(info: zipfile.ZipInfo, path: Path, limits: Limits, limit_left: int) -> None:
    """What the zip directory says of a part: its size, its ratio, its encryption flag."""
    if info.file_size > limits.max_member_bytes or info.file_size > limit_left:
        raise _bomb(path, info.filename)
    if (info.compress_size and info.file_size > 1 << 20
            and info.file_size / info.compress_size > limits.max_ratio):
        raise _bomb(path, info.filename)
    if info.flag_bits & 0x1:
        raise SvcqError("活頁簿設有開啟密碼（壓縮成員已加密），請先移除密碼再試", file=path,
                        code="encrypted")


class _ScanThread:
    """Runs scans one after another in a worker thread, at most two waiting (memory stays a
    few chunks); leaving the block waits for them all and raises what one raised."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="svcq-scan")
        self._waiting: deque[Future[None]] = deque()

    def submit(self, fn: Callable[..., None], *args: Any) -> None:
        while len(self._waiting) >= 2:
            self._waiting.popleft().result()
        self._waiting.append(self._pool.submit(fn, *args))

    def __enter__(self) -> _ScanThread:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            while self._waiting:
                self._waiting.popleft().result()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _inflate_counting(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limits: Limits,
                      limit_left: int, sheet: SheetScan | None = None,
                      ods: OdsScan | None = None) -> int:
    _check_declared(info, path, limits, limit_left)
    is_xml = info.filename.endswith((".xml", ".rels", ".vml")) or info.filename == "[Content_Types].xml"
    seen = 0
    tail = b""
    pending: bytes | None = None  # scanned one chunk late, to know which chunk is the last
    # calamine keeps every shared string in memory at once: their number and size are capped
    # (a "<si>" cut by a chunk seam is missed: an under-count of one per 4 MiB is harmless)
    strings = 0 if is_shared_strings(info.filename) else None
    # The worksheet scan runs in a second thread, one chunk behind the inflating: zlib and
    # numpy release the GIL, so on two cores the guard costs about its slower half.
    scan = _ScanThread() if sheet is not None else None
    # ZipExtFile counts what it really inflates: a lying directory cannot cap what we count.
    with zf.open(info) as raw, (scan or nullcontext()):
        first = True
        while True:
            chunk = raw.read(_CHUNK)
            if not chunk:
                break
            if first and is_xml and any(m in chunk[:4096] for m in _DTD_MARKERS):
                raise SvcqError(f"檔案內的 XML（{info.filename}）含有 DTD 宣告，可能是惡意檔案，已拒絕開啟",
                                file=path, code="xml-dtd")
            if first and strings is not None:
                check_declared_strings(chunk[:65536], info.filename, path, limits)
            first = False
            seen += len(chunk)
            if seen > limits.max_member_bytes or seen > limit_left:
                raise _bomb(path, info.filename)
            if ods is not None:
                ods.feed(chunk)
            if strings is not None:
                strings += chunk.count(b"<si>") + chunk.count(b"<si ")
                if strings > limits.max_strings or seen > limits.max_strings_bytes:
                    raise SvcqError(f"共用字串表過大（{info.filename}），疑似惡意檔案，已停止讀取",
                                    file=path, code="too-many-strings")
            if sheet is not None and scan is not None:
                _scan_errors(sheet, chunk)  # here, while the worker scans references: its own fields
                if pending is not None:
                    _scan_chunk(sheet, tail, pending, False, scan)
                    tail = pending[-_OVERLAP:]
                pending = chunk
        if sheet is not None and scan is not None and pending is not None:
            _scan_chunk(sheet, tail, pending, True, scan)
    if sheet is not None and sheet.unusual:
        _rescan_tags(zf, info, sheet)
    if ods is not None:
        ods.finish()
    return seen


_ERROR_CELL = re.compile(rb"<(?:[\w.-]+:)?c\s([^>]*?\bt\s*=\s*[\"']e[\"'][^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.S)
_ERROR_REF = re.compile(rb"(?:^|\s)r\s*=\s*[\"']\$?([A-Z]{1,3})\$?(\d{1,7})[\"']")
_ERROR_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]{1,40})</(?:[\w.-]+:)?v>")
_CELL_OPEN = re.compile(rb"<(?:[\w.-]+:)?c\s")
_CELL_CLOSE = re.compile(rb"</(?:[\w.-]+:)?c>")
_ERROR_TYPE = re.compile(rb"\bt\s*=\s*[\"']e[\"']")


def _quoted_e(buf: bytes) -> bool:
    """Whether ``buf`` holds an e between quotes, as t="e" (in any quoting) does: one pass over
    the few e's of a worksheet spares the regex on parts without error cells, nearly all."""
    a = np.frombuffer(buf, dtype=np.uint8)
    e = np.flatnonzero(a[1:-1] == ord("e")) + 1
    quote = np.array([ord('"'), ord("'")], dtype=np.uint8)
    return bool((np.isin(a[e - 1], quote) & np.isin(a[e + 1], quote)).any())


def _scan_errors(sheet: SheetScan, chunk: bytes) -> None:
    """Record the error cells (``t="e"``) of a worksheet chunk. A cell cut by the end of the
    chunk is carried over and read with the next one."""
    buf = sheet._error_carry + chunk
    sheet._error_carry = b""
    end = 0
    for m in _ERROR_CELL.finditer(buf) if _quoted_e(buf) and _ERROR_TYPE.search(buf) else ():
        end = m.end()
        ref = _ERROR_REF.search(m.group(1))
        value = _ERROR_VALUE.search(m.group(2) or b"")
        if ref:
            col = 0
            for ch in ref.group(1):
                col = col * 26 + ch - 64
            code = value.group(1).decode("utf-8", "replace") if value else "#VALUE!"
            sheet.errors[(int(ref.group(2)) - 1, col - 1)] = code
    starts = [m.start() for m in _CELL_OPEN.finditer(buf, max(end, len(buf) - 4096))]
    if not starts:
        return
    rest = buf[starts[-1]:]
    gt = rest.find(b">")
    start_tag = rest[: gt + 1] if gt >= 0 else rest
    unfinished = gt < 0 or (not start_tag.endswith(b"/>") and not _CELL_CLOSE.search(rest, gt))
    if unfinished and (gt < 0 or _ERROR_TYPE.search(start_tag)):
        sheet._error_carry = rest


def _tokens(a: np.ndarray, lo: int, n: int, token: bytes) -> np.ndarray:
    """Boolean mask of where ``token`` (2 or 4 bytes) starts in a[lo:lo+n], one comparison
    over an unaligned view rather than one per byte."""
    dtype = np.dtype("<u2" if len(token) == 2 else "<u4")
    view = np.ndarray((n,), dtype, buffer=a, offset=lo, strides=(1,))
    mask: np.ndarray = view == int.from_bytes(token, "little")
    return mask


#: r="…" written any other way than ` r="` after `<c`, `<row` or another attribute: another
#: quote, spaces around '=', two spaces, a tab or a line break before it. Legal XML that
#: calamine reads: such a part is scanned again, tag by tag (``_rescan_tags``).
_UNUSUAL_REF = (b"r='", b"r =", b"r  ", b"r\t", b"r\n", b"r\r", b"r=\t", b"r=\n", b"r=\r", b"r= ", b"  r",
                b"\n r", b"\t r", b"\r r", b"\tr", b"\nr", b"\rr")
#: a start tag of a cell or row; attribute values may hold '>' but never '<'
_SPACE = np.array([ord(c) for c in " \t\n\r"], dtype=np.uint8)
_BREAK = _SPACE[1:]  # tab, line feed, carriage return


def _unusual_ref(a: np.ndarray, lo: int, hi: int) -> bool:
    """Whether a[lo:hi] holds one of _UNUSUAL_REF: one vectorised pass over the r's instead of a
    search per token (17 searches of 170 MB cost seconds), judging each r by its neighbours."""
    r = np.flatnonzero(a[lo:hi] == ord("r")) + lo
    r = r[(r >= 2) & (r + 2 < len(a))]
    if not len(r):
        return False
    n1, n2, p1, p2 = a[r + 1], a[r + 2], a[r - 1], a[r - 2]
    eq, sp, quote = ord("="), ord(" "), ord("'")
    after = ((n1 == eq) & (np.isin(n2, _SPACE) | (n2 == quote))) | np.isin(n1, _BREAK) \
        | ((n1 == sp) & ((n2 == eq) | (n2 == sp)))  # r=' r=␣ r␉ r␣= r␣␣
    before = np.isin(p1, _BREAK) | ((p1 == sp) & np.isin(p2, _SPACE))  # ␉r ␣␣r ␊␣r
    return bool((after | before).any())


_START_TAG = re.compile(rb"""<(?:[\w.-]+:)?(c|row)\b((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData\b")


def _scan_ref_tokens(sheet: SheetScan, a: np.ndarray, lo: int, n: int) -> None:
    """The row and cell references of a chunk (the costly half of the scan: the worker's)."""
    refs = np.flatnonzero(_tokens(a, lo, n, b' r="')) + lo
    row_refs, cell_refs = _scan_refs(sheet, a, refs)
    sheet.row_refs += row_refs
    sheet.cell_refs += cell_refs


def _scan_chunk(sheet: SheetScan, tail: bytes, chunk: bytes, last: bool, scan: _ScanThread) -> None:
    """Scan one chunk: its references in the worker thread, the rest (spellings, counts,
    formulas without a value) here; the two halves touch different fields of ``sheet``."""
    buf = tail + chunk + b"\0" * (_REF_WIDTH + 8)  # padding: a reference read never runs off
    a = np.frombuffer(buf, dtype=np.uint8)
    # Each token is judged once: in the chunk where it starts at or after ``lo`` and before
    # ``hi`` (a token closer than _GUARD to the end is left to the next, overlapping chunk).
    lo = max(len(tail) - _GUARD, 0)
    hi = len(tail) + len(chunk) - (0 if last else _GUARD)
    n = hi - lo
    if sheet.prefix is None:
        found = _SHEET_DATA.search(buf)
        if found:
            sheet.prefix = found.group(1) or b""
    if not sheet.unusual and _unusual_ref(a, lo, hi):
        sheet.unusual = True  # the whole part is read again by _rescan_tags
    scan.submit(_scan_ref_tokens, sheet, a, lo, n)
    if sheet.prefix:  # <x:c …>: counted by their full start, prefix included
        p = b"<" + sheet.prefix
        sheet.cells_seen += sum(buf.count(p + t, lo, hi) for t in (b"c ", b"c>", b"c/", b"c\t", b"c\n", b"c\r"))
        sheet.rows_seen += sum(buf.count(p + t, lo, hi) for t in (b"row ", b"row>", b"row/", b"row\t",
                                                                   b"row\n", b"row\r"))
    else:
        # "<c" also opens <col>, <cfRule>…: an over-count only loosens the bound a little.
        sheet.cells_seen += int(np.count_nonzero(_tokens(a, lo, n, b"<c")))
        sheet.rows_seen += int(np.count_nonzero(_tokens(a, lo, n, b"<row")))
    if np.count_nonzero(_tokens(a, lo, n, b"<f")) or (sheet.prefix and buf.find(b":f>", lo, hi) >= 0):
        for m in _UNCACHED.finditer(buf, lo, hi + 8192):
            if m.start() >= hi:
                break
            sheet.uncached_count += 1
            if len(sheet.uncached) < 20:
                start = buf.rfind(b' r="', 0, m.start())
                end = buf.find(b'"', start + 4)
                if start >= 0 and 0 < end - start < 16:
                    sheet.uncached.append(buf[start + 4:end].decode("ascii", "replace"))


_ROW_REF = re.compile(rb"\d{1,7}")
_CELL_REF = re.compile(rb"\$?([A-Z]{1,3})\$?(\d{1,7})")


def _note_ref(sheet: SheetScan, ref: bytes, is_row: bool) -> None:
    if is_row:
        if not _ROW_REF.fullmatch(ref) or not 1 <= int(ref) <= _MAX_ROW:
            sheet.bad_ref = True
            return
        sheet.max_row_tag = max(sheet.max_row_tag, int(ref))
        return
    cm = _CELL_REF.fullmatch(ref)
    if not cm:
        sheet.bad_ref = True
        return
    col = 0
    for ch in cm.group(1):
        col = col * 26 + ch - 64
    number = int(cm.group(2))
    sheet.max_row, sheet.max_col = max(sheet.max_row, number), max(sheet.max_col, col)
    if not 1 <= number <= _MAX_ROW or col > _MAX_COL:
        sheet.bad_ref = True


def _rescan_tags(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: SheetScan) -> None:
    """The extent of a worksheet read start tag by start tag, whatever the quoting and
    spacing of its attributes: the path for parts not written the usual way. A chunk is cut
    at its last '<' (never inside a tag: '<' cannot occur in an attribute value)."""
    from toolkit.io import xmlattr

    for name in ("max_row", "max_col", "max_row_tag", "rows_seen", "row_refs", "cells_seen", "cell_refs"):
        setattr(sheet, name, 0)
    carry = b""
    with zf.open(info) as raw:
        while True:
            chunk = raw.read(_CHUNK)
            buf = carry + chunk
            cut = buf.rfind(b"<") if chunk else len(buf)
            if cut <= 0 and chunk:
                carry = buf
                if len(carry) > 1 << 20:
                    raise ValueError("unterminated tag")
                continue
            carry = buf[cut:] if chunk else b""
            for m in _START_TAG.finditer(buf, 0, cut):
                refs = [v for k, v in xmlattr.items(m.group(2)) if k == b"r"]
                if len(refs) > 1:  # a repeated attribute is not XML; readers differ on which wins
                    sheet.bad_ref = True
                is_row = m.group(1) == b"row"
                if is_row:
                    sheet.rows_seen += 1
                    sheet.row_refs += bool(refs)
                else:
                    sheet.cells_seen += 1
                    sheet.cell_refs += bool(refs)
                for ref in refs:
                    _note_ref(sheet, ref, is_row)
            if not chunk:
                break


def _scan_refs(sheet: SheetScan, a: np.ndarray, hits: np.ndarray) -> tuple[int, int]:
    """Update max row/column from the ` r="…"` at ``hits``; return how many were row and
    cell references. Works column by column on 1-D gathers: a reference is at most 3
    letters, 7 digits and a quote."""
    if not hits.size:
        return 0, 0
    # Only attributes of a tag count: right after `<c`/`<row` or after another attribute's
    # closing quote. ` r="…"` typed inside an inline string's text is not a reference.
    prev = a[hits - 1]
    hits = hits[(prev == ord("c")) | (prev == ord("w")) | (prev == ord('"')) | (prev == ord("'"))]
    if not hits.size:
        return 0, 0
    n = len(hits)
    col = np.zeros(n, np.int64)
    row = np.zeros(n, np.int64)
    n_letters = np.zeros(n, np.int8)
    n_digits = np.zeros(n, np.int8)
    in_letters = np.ones(n, bool)
    open_ = np.ones(n, bool)  # still inside the reference (no quote seen)
    closed = np.zeros(n, bool)
    bad = np.zeros(n, bool)
    for j in range(_REF_WIDTH):
        b = a[hits + 4 + j]
        letter = (b - np.uint8(65)) < 26
        digit = (b - np.uint8(48)) < 10
        quote = b == 0x22
        in_letters &= letter
        is_l = in_letters & open_
        is_d = digit & open_ & ~in_letters
        col = np.where(is_l, col * 26 + (b.astype(np.int64) - 64), col)
        row = np.where(is_d, row * 10 + (b.astype(np.int64) - 48), row)
        n_letters += is_l
        n_digits += is_d
        bad |= open_ & ~(letter | digit | quote)
        closed |= open_ & quote
        open_ &= ~quote
    valid = closed & ~bad & (n_letters <= 3) & (n_digits >= 1) & (n_digits <= 7)
    if not valid.all():
        sheet.bad_ref = True  # a malformed reference on a row or cell: calamine's guess
        col, row, n_letters = col[valid], row[valid], n_letters[valid]
    if not len(row):
        return 0, 0
    is_row = n_letters == 0
    if not is_row.all():
        sheet.max_row = max(sheet.max_row, int(row[~is_row].max()))
        sheet.max_col = max(sheet.max_col, int(col[~is_row].max()))
    if is_row.any():
        sheet.max_row_tag = max(sheet.max_row_tag, int(row[is_row].max()))
    if int(row.max()) > _MAX_ROW or sheet.max_col > _MAX_COL or int(row.min()) < 1:
        sheet.bad_ref = True
    rows = int(np.count_nonzero(is_row))
    return rows, len(row) - rows


def _bomb(path: Path, member: str) -> SvcqError:
    return SvcqError(f"檔案解壓後過大（{member}），疑似壓縮炸彈，已停止讀取", file=path, code="zip-bomb")
