"""Splice changed cells into one worksheet's XML, leaving every other byte where it was.

The sheet is never parsed into a tree: rows are located by their start tags, only the rows
holding edits are taken apart, and the new XML is the old bytes with those rows (and the
``dimension``) replaced. That keeps namespaces, prefixes, ``mc:Ignorable`` content and
extension lists exactly as the writing application left them, and costs one regex pass
over the sheet.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

from toolkit.io import xmlattr
from toolkit.io.patch_book import Styles
from toolkit.sheetkit.cells import cell_ref, column_index

MAX_ROW = 1_048_576
MAX_COL = 16_384
MAX_TEXT = 32_767
ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                    "#GETTING_DATA", "#SPILL!", "#CALC!"})

#: the worksheet namespace: transitional OOXML, and strict
MAIN_NS = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
           "http://purl.oclc.org/ooxml/spreadsheetml/main")
MAIN_ROW = {f"{{{ns}}}row" for ns in MAIN_NS}
MAIN_CELL = {f"{{{ns}}}c" for ns in MAIN_NS}
_XMLNS = re.compile(rb"""\sxmlns(?::[\w.-]+)?\s*=\s*(?:"[^"]*"|'[^']*')""")
_ROW_R = re.compile(rb"""(?:^|\s)r\s*=\s*["'](\d+)["']""")
_CELL_R = re.compile(rb"""(?:^|\s)r\s*=\s*["']\$?([A-Za-z]{1,3})\$?(\d+)["']""")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
#: characters XML cannot carry (and \r, which parsers fold into \n): Excel's _xHHHH_ form
_CTRL = re.compile("[\x00-\x08\x0b\x0c\r\x0e-\x1f\ufffe\uffff]")
_XESC = re.compile("_(x[0-9A-Fa-f]{4}_)")
#: cell attributes that describe the old value and must go with it (type, metadata indexes)
_VALUE_ATTRS = {b"r", b"s", b"t", b"cm", b"vm"}


@dataclass(frozen=True)
class Formula:
    """A formula with its cached value (what Excel shows before it recalculates)."""

    text: str  # "=SUM(B2:B9)" (the leading '=' is optional)
    value: float | str | bool | None = None

    @property
    def body(self) -> str:
        text = self.text.strip()
        return text[1:] if text.startswith("=") else text


@dataclass(frozen=True)
class _Unshare:
    """Internal edit: turn a shared-formula child into an ordinary formula (its master is
    being overwritten), keeping its cached value."""

    text: str


@dataclass
class SheetResult:
    xml: bytes
    had_formulas: bool
    removed_formulas: set[str] = field(default_factory=set)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (A1, code, message)
    rewritten: list[str] = field(default_factory=list)  # cells changed besides the edits


def col_number(letters: str | bytes) -> int:
    """Excel letters → 1-based column (the patch engine counts from 1, as the XML does)."""
    return column_index(letters) + 1


def a1(row: int, col: int) -> str:
    """1-based (row, col) → A1."""
    return cell_ref(row - 1, col - 1)


def parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """'B2:D9' or 'B2' → (row1, col1, row2, col2), 1-based, or None if not a reference."""
    parts = ref.split(":")
    if not 1 <= len(parts) <= 2:
        return None
    points = []
    for part in parts:
        m = _REF.fullmatch(part.strip())
        if not m:
            return None
        points.append((int(m.group(2)), col_number(m.group(1))))
    (r1, c1), (r2, c2) = points[0], points[-1]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def check_value(value: Any) -> tuple[str, str] | None:
    """(code, message) if ``value`` cannot be written into a cell, else None."""
    if isinstance(value, Formula):
        if not value.body:
            return "empty-formula", "公式是空的"
        return check_value(value.value) if not isinstance(value.value, str) else _check_text(value.value)
    if value is None or isinstance(value, bool | dt.date):
        if isinstance(value, dt.date) and value.year < 1900:
            return "date-range", f"Excel 無法表示 1900 年以前的日期（{value}）"
        return None
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return "not-finite", f"「{value}」不是可寫入 Excel 的數字"
        return None
    if isinstance(value, str):
        return _check_text(value)
    raise TypeError(f"cannot write a {type(value).__name__} into a cell")


def _check_text(value: str) -> tuple[str, str] | None:
    if len(value) > MAX_TEXT:
        return "text-too-long", f"文字有 {len(value)} 字，超過 Excel 儲存格上限 {MAX_TEXT} 字"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "bad-text", "文字含有無效字元"
    return None


def _text(value: str) -> bytes:
    value = _XESC.sub(r"_x005F_\1", value)
    value = _CTRL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return escape(value, quote=False).encode("utf-8")


def _number(value: float | int) -> bytes:
    if isinstance(value, int):
        return str(value).encode()
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value)).encode()
    return repr(value).encode()


def excel_serial(value: dt.date, date1904: bool) -> float | int:
    if isinstance(value, dt.datetime):
        base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
        delta = value.replace(tzinfo=None) - base
        serial: float | int = delta.days + delta.seconds / 86400 + delta.microseconds / 864e8
        day = value.date()
    else:
        base_date = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
        serial = (value - base_date).days
        day = value
    if not date1904 and day < dt.date(1900, 3, 1):
        serial -= 1  # Excel's phantom 1900-02-29
    return serial


@dataclass
class _Cell:
    col: int
    start: int
    end: int
    attrs: bytes
    inner: bytes
    has_r: bool


@dataclass
class _Row:
    num: int
    start: int
    open_end: int
    selfclosed: bool
    attrs: bytes
    end: int = -1


class SheetEditor:
    def __init__(self, xml: bytes, styles: Styles, date1904: bool) -> None:
        self.xml = xml
        self.styles = styles
        self.date1904 = date1904
        # The prefix of <sheetData> (not of the root: <x:worksheet> may hold <sheetData>
        # in the default namespace) is the one its rows and cells are written with.
        sd = re.search(rb"<([A-Za-z_][\w.-]*:)?sheetData\b[^>]*?(/?)>", xml)
        if sd is None:
            raise ValueError("worksheet has no sheetData")
        self.p = p = sd.group(1) or b""
        P = re.escape(p)
        self.sd = sd
        self.selfclosed = bool(sd.group(2))
        self.start = sd.end()
        self.end = self.start if self.selfclosed else xml.find(b"</" + p + b"sheetData>", self.start)
        if self.end < 0:
            raise ValueError("worksheet sheetData is not closed")
        self.cell_re = re.compile(rb"<" + P + rb"c\b([^>]*?)(?:/>|>(.*?)</" + P + rb"c>)", re.S)
        self.f_re = re.compile(rb"<" + P + rb"f\b([^>]*?)(?:/>|>(.*?)</" + P + rb"f>)", re.S)
        tag = b"<" + p + b"row"
        # Every writer we know puts r first in each row tag; then rows are found by binary
        # search over byte offsets (rows are sorted), so a patch visits a few rows, not all.
        self.indexed = xml.count(tag, self.start, self.end) != xml.count(
            tag + b' r="', self.start, self.end)
        self.rows: list[_Row] = []
        self.rows_without_r = False
        if self.indexed:
            self.rows, self.rows_without_r = self._index_rows()
        self.nums = [r.num for r in self.rows]
        self.by_num = {r.num: r for r in self.rows}
        self._found: dict[int, _Row] = {}
        self.heights: Mapping[int, float] = {}

    # -- reading ------------------------------------------------------------------------

    def _index_rows(self) -> tuple[list[_Row], bool]:
        # bytes.find, not a regex: it skips cell content at memchr speed, and this loop is
        # the one part of a patch that visits every row of the sheet.
        xml, tag, end = self.xml, b"<" + self.p + b"row", self.end
        rows: list[_Row] = []
        prev = 0
        missing = False
        pos = self.start
        while True:
            at = xml.find(tag, pos, end)
            if at < 0:
                break
            head = at + len(tag)
            if xml[head: head + 1] not in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
                pos = head
                continue
            close = xml.find(b">", head, end)
            if close < 0:
                raise ValueError("row start tag is not closed")
            attrs = xml[head: close]
            selfclosed = attrs.endswith(b"/")
            if selfclosed:
                attrs = attrs[:-1]
            if attrs.startswith(b' r="'):
                num = int(attrs[4: attrs.index(b'"', 4)])
            else:
                r = _ROW_R.search(attrs)
                if r:
                    num = int(r.group(1))
                else:
                    num, missing = prev + 1, True
            rows.append(_Row(num, at, close + 1, selfclosed, attrs))
            prev = num
            pos = close + 1
        return rows, missing

    def _next_row(self, pos: int) -> _Row | None:
        """The first row whose start tag begins at or after ``pos`` (binary-search mode)."""
        xml, tag, end = self.xml, b"<" + self.p + b'row r="', self.end
        at = xml.find(tag, pos, end)
        if at < 0:
            return None
        head = at + len(tag) - 4
        close = xml.find(b">", head, end)
        attrs = xml[head: close]
        selfclosed = attrs.endswith(b"/")
        if selfclosed:
            attrs = attrs[:-1]
        num = int(attrs[4: attrs.index(b'"', 4)])
        return self._found.setdefault(num, _Row(num, at, close + 1, selfclosed, attrs))

    def _first_row_from(self, n: int) -> _Row | None:
        """The first row numbered ``n`` or more (None: all rows are before ``n``)."""
        if self.indexed:
            at = bisect.bisect_left(self.nums, n)
            return self.rows[at] if at < len(self.rows) else None
        # Invariant: every row starting before ``lo`` is numbered below ``n``; the rows
        # starting in [lo, hi) are left to a short linear scan.
        lo, hi = self.start, self.end
        while hi - lo > 16384:
            mid = (lo + hi) // 2
            row = self._next_row(mid)
            if row is None or row.num >= n:
                hi = mid
            else:
                lo = row.open_end
        row = self._next_row(lo)
        while row is not None and row.num < n:
            row = self._next_row(row.open_end)
        return row

    def _row(self, n: int) -> _Row | None:
        row = self._first_row_from(n)
        return row if row is not None and row.num == n else None

    def _rows_between(self, r1: int, r2: int) -> list[_Row]:
        rows = []
        row = self._first_row_from(r1)
        while row is not None and row.num <= r2:
            rows.append(row)
            if self.indexed:
                at = bisect.bisect_right(self.nums, row.num)
                row = self.rows[at] if at < len(self.rows) else None
            else:
                row = self._next_row(row.open_end)
        return rows

    def _row_end(self, row: _Row) -> int:
        if row.end < 0:
            if row.selfclosed:
                row.end = row.open_end
            else:
                close = b"</" + self.p + b"row>"
                at = self.xml.find(close, row.open_end, self.end)
                if at < 0:
                    raise ValueError(f"row {row.num} is not closed")
                row.end = at + len(close)
        return row.end

    def _cells(self, row: _Row) -> list[_Cell]:
        if row.selfclosed:
            return []
        cells = []
        prev = 0
        for m in self.cell_re.finditer(self.xml, row.open_end, self._row_end(row)):
            attrs = m.group(1)
            r = _CELL_R.search(attrs)
            col = col_number(r.group(1)) if r else prev + 1
            cells.append(_Cell(col, m.start(), m.end(), attrs, m.group(2) or b"", bool(r)))
            prev = col
        return cells

    def had_formulas(self) -> bool:
        pattern = re.compile(rb"<" + re.escape(self.p) + rb"f[\s>/]")
        return pattern.search(self.xml, self.start, self.end) is not None

    def _merged(self) -> list[tuple[int, int, int, int]]:
        pattern = re.compile(rb"<" + re.escape(self.p) + rb"mergeCell\b([^>]*)>")
        refs = (xmlattr.get(m.group(1), b"ref") for m in pattern.finditer(self.xml, self.end))
        found = (parse_range(ref.decode("ascii", "replace")) for ref in refs if ref)
        return [r for r in found if r]

    def _array_ranges(self) -> list[tuple[int, int, int, int]]:
        pattern = re.compile(rb"<" + re.escape(self.p) + rb"f\b([^>]*)>")
        out = []
        for m in pattern.finditer(self.xml, self.start, self.end):
            if xmlattr.get(m.group(1), b"t") not in (b"array", b"dataTable"):
                continue
            ref = xmlattr.get(m.group(1), b"ref")
            rng = parse_range(ref.decode("ascii", "replace")) if ref else None
            if rng and (rng[0], rng[1]) != (rng[2], rng[3]):
                out.append(rng)
        return out

    def _col_styles(self) -> list[tuple[int, int, int]]:
        head = self.xml[: self.sd.start()]
        pattern = re.compile(rb"<" + re.escape(self.p) + rb"col\b([^>]*?)/?>")
        out = []
        for m in pattern.finditer(head):
            attrs = dict(attributes(m.group(1)))
            if b"style" in attrs and b"min" in attrs and b"max" in attrs:
                out.append((int(attrs[b"min"]), int(attrs[b"max"]), int(attrs[b"style"])))
        return out

    # -- editing ------------------------------------------------------------------------

    def apply(self, edits: dict[tuple[int, int], Any], heights: Mapping[int, float] | None = None
              ) -> SheetResult:
        """``edits``: {(row, col) 1-based: value}; ``heights``: {row: points} for rows being
        written (wrapped text: no program grows a row written by another). Problems come
        back, nothing is raised."""
        self.heights = heights or {}
        result = SheetResult(self.xml, self.had_formulas())
        self._check(edits, result)
        if result.problems:
            return result
        edits = dict(edits)
        self._unshare(edits, result)
        by_row: dict[int, dict[int, Any]] = {}
        for (r, c), value in edits.items():
            by_row.setdefault(r, {})[c] = value
        col_styles = self._col_styles()
        splices: list[tuple[int, int, bytes]] = []
        inserts: dict[int, list[tuple[int, bytes]]] = {}
        touched: list[tuple[int, int]] = []
        for num in sorted(by_row):
            row = self._row(num)
            if row is not None:
                splices.append(self._edit_row(row, by_row[num], col_styles, result, touched))
                self._verify_row(splices[-1][2], num, by_row[num])
                continue
            cells = b"".join(self._new_cell(num, c, v, None, b"", col_styles, None, touched)
                             or b"" for c, v in sorted(by_row[num].items()))
            if cells:
                after = self._first_row_from(num + 1)
                pos = after.start if after is not None else self.end
                row_xml = (b"<" + self.p + b"row" + self._height(b' r="%d"' % num, num) + b">" + cells
                           + b"</" + self.p + b"row>")
                inserts.setdefault(pos, []).append((num, row_xml))
        if inserts and self.rows_without_r:
            for row in self.rows:
                if row.num not in by_row and not _ROW_R.search(row.attrs):
                    tag = b"<" + self.p + b"row"
                    splices.append((row.start, row.start + len(tag), tag + b' r="%d"' % row.num))
        for pos, items in inserts.items():
            splices.append((pos, pos, b"".join(x for _, x in sorted(items))))
            for num, row_xml in items:
                self._verify_row(row_xml, num, by_row[num])
        if touched:
            splices += self._dimension(touched)
        result.xml = self._splice(splices)
        return result

    def _verify_row(self, fragment: bytes, num: int, changes: dict[int, Any]) -> None:
        """Read back a rewritten row as XML, as a spreadsheet program will: well-formed, one
        row numbered ``num`` in the worksheet namespace, each cell once, the edited cells
        there. A file whose XML the splice did not understand is refused, never damaged."""
        import xml.etree.ElementTree as ET

        declared = b" ".join(m.group(0) for m in _XMLNS.finditer(self.xml, 0, self.start))
        try:
            root = ET.fromstring(b"<svcq-check " + declared + b">" + fragment + b"</svcq-check>")
        except ET.ParseError as exc:
            raise ValueError(f"row {num} does not read back: {exc}") from None
        rows = [el for el in root if el.tag in MAIN_ROW]
        if len(rows) != 1 or len(root) != 1 or rows[0].get("r") != str(num):
            raise ValueError(f"row {num} does not read back as one row")
        refs = [c.get("r") for c in rows[0] if c.tag in MAIN_CELL]
        if len(set(refs)) != len(refs) or any(r is None for r in refs):
            raise ValueError(f"row {num} has cells without or with repeated positions")
        for col, value in changes.items():
            if value is not None and a1(num, col) not in refs:
                raise ValueError(f"cell {a1(num, col)} is not where it was written")

    def _check(self, edits: dict[tuple[int, int], Any], result: SheetResult) -> None:
        merged = self._merged()
        for (r, c), value in edits.items():
            if value is None:
                continue  # clearing a hidden cell of a merged range is harmless
            for r1, c1, r2, c2 in merged:
                if r1 <= r <= r2 and c1 <= c <= c2 and (r, c) != (r1, c1):
                    result.problems.append((a1(r, c), "merged-cell",
                                            f"此格位於合併儲存格 {a1(r1, c1)}:{a1(r2, c2)} 內，"
                                            f"只能寫入左上角的 {a1(r1, c1)}"))
        for r1, c1, r2, c2 in self._array_ranges():
            inside = [(r, c) for (r, c) in edits if r1 <= r <= r2 and c1 <= c <= c2]
            if inside and len(inside) < (r2 - r1 + 1) * (c2 - c1 + 1):
                for r, c in inside:
                    result.problems.append((a1(r, c), "array-formula",
                                            f"此格屬於陣列公式 {a1(r1, c1)}:{a1(r2, c2)}，"
                                            "不能只修改其中一部分"))

    def _unshare(self, edits: dict[tuple[int, int], Any], result: SheetResult) -> None:
        """A shared formula's text lives only in its master cell: before the master is
        overwritten, every child gets its own (translated) copy of the formula."""
        masters = []
        for (r, c) in list(edits):
            row = self._row(r)
            cell = next((x for x in self._cells(row) if x.col == c), None) if row else None
            f = self.f_re.search(cell.inner) if cell else None
            if not f:
                continue
            fattrs = dict(attributes(f.group(1)))
            if fattrs.get(b"t") == b"shared" and b"ref" in fattrs and f.group(2):
                rng = parse_range(fattrs[b"ref"].decode())
                if rng and (rng[0], rng[1]) != (rng[2], rng[3]):
                    masters.append((fattrs.get(b"si"), a1(r, c), _unescape(f.group(2)), rng))
        if not masters:
            return
        from openpyxl.formula.translate import Translator  # only needed in this rare case

        for si, origin, text, (r1, c1, r2, c2) in masters:
            for row in self._rows_between(r1, r2):
                num = row.num
                for cell in self._cells(row):
                    if not c1 <= cell.col <= c2 or (num, cell.col) in edits:
                        continue
                    f = self.f_re.search(cell.inner)
                    fattrs = dict(attributes(f.group(1))) if f else {}
                    if fattrs.get(b"t") == b"shared" and fattrs.get(b"si") == si and b"ref" not in fattrs:
                        ref = a1(num, cell.col)
                        moved = Translator("=" + text, origin=origin).translate_formula(ref)
                        edits[(num, cell.col)] = _Unshare(moved[1:])
                        result.rewritten.append(ref)

    def _edit_row(self, row: _Row, changes: dict[int, Any], col_styles: Any, result: SheetResult,
                  touched: list[tuple[int, int]]) -> tuple[int, int, bytes]:
        cells = self._cells(row)
        rewrite_r = any(not c.has_r for c in cells)
        pending = sorted(changes.items())
        out: list[bytes] = []
        row_style = self._row_style(row)
        pos = row.open_end
        for cell in cells:
            while pending and pending[0][0] < cell.col:
                c, v = pending.pop(0)
                out.append(self._new_cell(row.num, c, v, None, b"", col_styles, row_style, touched) or b"")
            out.append(self.xml[pos: cell.start])
            pos = cell.end
            if pending and pending[0][0] == cell.col:
                c, v = pending.pop(0)
                out.append(self._replace(row.num, cell, v, result, touched))
            elif rewrite_r and not cell.has_r:
                original = self.xml[cell.start: cell.end]
                head = len(b"<" + self.p + b"c")
                out.append(original[:head] + b' r="%s"' % a1(row.num, cell.col).encode() + original[head:])
            else:
                out.append(self.xml[cell.start: cell.end])
        for c, v in pending:
            out.append(self._new_cell(row.num, c, v, None, b"", col_styles, row_style, touched) or b"")
        content = b"".join(out)
        attrs = self._spans(row.attrs, [c for c in changes if changes[c] is not None])
        if not _ROW_R.search(attrs):
            attrs = b' r="%d"' % row.num + attrs
        attrs = self._height(attrs, row.num)
        if row.selfclosed:
            if not content:
                return row.start, row.open_end, b"<" + self.p + b"row" + attrs + b"/>"
            return (row.start, row.open_end,
                    b"<" + self.p + b"row" + attrs + b">" + content + b"</" + self.p + b"row>")
        end = self._row_end(row)
        return (row.start, end, b"<" + self.p + b"row" + attrs + b">" + content
                + self.xml[pos: end])

    def _height(self, attrs: bytes, num: int) -> bytes:
        """A row's attributes with the height asked for it (if any) set as a custom height."""
        height = self.heights.get(num)
        if height is None:
            return attrs
        attrs = xmlattr.set_(attrs, b"ht", _number(round(height, 2)))
        return xmlattr.set_(attrs, b"customHeight", b"1")

    def _row_style(self, row: _Row) -> int | None:
        attrs = dict(attributes(row.attrs))
        if attrs.get(b"customFormat") in (b"1", b"true") and b"s" in attrs:
            return int(attrs[b"s"])
        return None

    def _spans(self, attrs: bytes, cols: list[int]) -> bytes:
        spans = xmlattr.get(attrs, b"spans")
        if spans is None or not cols:
            return attrs
        try:
            bounds = [int(x) for part in spans.split() for x in part.split(b":")]
        except ValueError:
            return attrs
        lo, hi = min(bounds + cols), max(bounds + cols)
        return xmlattr.set_(attrs, b"spans", b"%d:%d" % (lo, hi))

    def _replace(self, num: int, cell: _Cell, value: Any, result: SheetResult,
                 touched: list[tuple[int, int]]) -> bytes:
        ref = a1(num, cell.col)
        original = self.xml[cell.start: cell.end]
        if isinstance(value, _Unshare):
            f = self.f_re.search(cell.inner)
            assert f is not None
            head = original[: original.index(b">", 0) + 1] if not original.endswith(b"/>") else original
            inner = (cell.inner[: f.start()] + b"<" + self.p + b"f>" + _text(value.text)
                     + b"</" + self.p + b"f>" + cell.inner[f.end():])
            if not cell.has_r:
                head = head.replace(b"<" + self.p + b"c", b"<" + self.p + b'c r="%s"' % ref.encode(), 1)
            return head + inner + b"</" + self.p + b"c>"
        attrs = attributes(cell.attrs)
        style = next((int(v) for k, v in attrs if k == b"s" and v.isdigit()), None)
        keep = b"".join(b" " + k + b'="' + v.replace(b'"', b"&quot;") + b'"'
                        for k, v in attrs if k not in _VALUE_ATTRS)
        if self.f_re.search(cell.inner) and not isinstance(value, Formula):
            result.removed_formulas.add(ref)
        return self._new_cell(num, cell.col, value, style, keep, [], None, touched) or b""

    def _new_cell(self, num: int, col: int, value: Any, style: int | None, keep: bytes,
                  col_styles: Any, row_style: int | None, touched: list[tuple[int, int]]) -> bytes | None:
        """The XML of a cell holding ``value``; None when a cleared cell can simply go."""
        if style is None:
            style = row_style
            if style is None:
                style = next((s for lo, hi, s in col_styles if lo <= col <= hi), None)
        ref = a1(num, col).encode()
        p = self.p
        typ = b""
        if value is None:
            if not style and not keep:
                return None
            return b"<" + p + b'c r="' + ref + b'"' + (b' s="%d"' % style if style else b"") + keep + b"/>"
        touched.append((num, col))
        if isinstance(value, Formula):
            inner = b"<" + p + b"f>" + _text(value.body) + b"</" + p + b"f>"
            cached = value.value
            if isinstance(cached, bool):
                typ, inner = b"b", inner + b"<" + p + b"v>%d</" % cached + p + b"v>"
            elif isinstance(cached, dt.date):
                style = self.styles.date_style(style or 0, isinstance(cached, dt.datetime))
                serial = excel_serial(cached, self.date1904)
                inner += b"<" + p + b"v>" + _number(serial) + b"</" + p + b"v>"
            elif isinstance(cached, int | float):
                inner += b"<" + p + b"v>" + _number(cached) + b"</" + p + b"v>"
            elif isinstance(cached, str):
                typ = b"e" if cached in ERRORS else b"str"
                inner += b"<" + p + b"v>" + _text(cached) + b"</" + p + b"v>"
        elif isinstance(value, bool):
            typ, inner = b"b", b"<" + p + b"v>%d</" % value + p + b"v>"
        elif isinstance(value, dt.date):
            style = self.styles.date_style(style or 0, isinstance(value, dt.datetime))
            inner = b"<" + p + b"v>" + _number(excel_serial(value, self.date1904)) + b"</" + p + b"v>"
        elif isinstance(value, int | float):
            inner = b"<" + p + b"v>" + _number(value) + b"</" + p + b"v>"
        elif isinstance(value, str):
            typ = b"inlineStr"
            inner = (b"<" + p + b'is><' + p + b't xml:space="preserve">' + _text(value)
                     + b"</" + p + b"t></" + p + b"is>")
        else:
            raise TypeError(type(value).__name__)
        return (b"<" + p + b'c r="' + ref + b'"' + (b' s="%d"' % style if style else b"")
                + (b' t="' + typ + b'"' if typ else b"") + keep + b">" + inner + b"</" + p + b"c>")

    def _splice(self, splices: list[tuple[int, int, bytes]]) -> bytes:
        if not splices:
            return self.xml
        xml = self.xml
        rows = [s for s in splices if s[0] == self.sd.end()]
        if self.selfclosed and rows:
            # <sheetData/> becomes <sheetData>rows</sheetData>
            opened = self.sd.group(0)[:-2].rstrip() + b">"
            body = b"".join(s[2] for s in rows)
            splices = [s for s in splices if s[0] != self.sd.end()]
            splices.append((self.sd.start(), self.sd.end(),
                            opened + body + b"</" + self.p + b"sheetData>"))
        splices.sort(key=lambda s: (s[0], s[1]))
        out = []
        pos = 0
        for start, end, data in splices:
            out.append(xml[pos:start])
            out.append(data)
            pos = end
        out.append(xml[pos:])
        return b"".join(out)

    def _dimension(self, touched: list[tuple[int, int]]) -> list[tuple[int, int, bytes]]:
        pattern = re.compile(rb"<" + re.escape(self.p) + rb"""dimension\b[^>]*?\sref\s*=\s*(["'])(.*?)\1""")
        m = pattern.search(self.xml, 0, self.sd.start())
        if not m:
            return []
        rows = [r for r, _ in touched]
        cols = [c for _, c in touched]
        old = parse_range(m.group(2).decode())
        if old and old != (1, 1, 1, 1):  # "A1" is what writers put for an empty sheet
            rows += [old[0], old[2]]
            cols += [old[1], old[3]]
        r1, c1, r2, c2 = min(rows), min(cols), max(rows), max(cols)
        ref = a1(r1, c1) if (r1, c1) == (r2, c2) else f"{a1(r1, c1)}:{a1(r2, c2)}"
        return [(m.start(2), m.end(2), ref.encode())]


def attributes(raw: bytes) -> list[tuple[bytes, bytes]]:
    return xmlattr.items(raw)


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return (text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&amp;", "&"))
