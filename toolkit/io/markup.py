"""Workbooks written as markup: HTML tables saved as ``.xls`` (what many government systems
export, and Excel's 「網頁」), and SpreadsheetML 2003 (Excel's 「XML 試算表」).

Both are read into the same plain sheets as every other format: rows of values, merged
ranges, hidden flags. Nothing of the markup itself ever becomes a cell value. The limits of
the other readers hold here too: a grid of at most ``max_cells`` cells, no row or column
beyond Excel's, no DTD (defusedxml), and the file-size limit of CSV.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from toolkit.io.limits import DEFAULT, Limits
from toolkit.problems import SvcqError
from toolkit.values import CellError

MAX_ROW = 1_048_576
MAX_COL = 16_384
SS = "urn:schemas-microsoft-com:office:spreadsheet"
_X = "urn:schemas-microsoft-com:office:excel"


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]] = field(default_factory=list)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    hidden: bool = False


_FREE = None  # a slot nothing was placed in (cells under a span are placed as "")


class _Grid:
    """Cells placed by (row, col), refusing what would not fit in memory."""

    def __init__(self, path: Path, name: str, limits: Limits) -> None:
        self.path, self.name, self.limits = path, name, limits
        self.rows: list[list[Any]] = []
        self.width = 0

    def put(self, row: int, col: int, value: Any) -> None:
        if row >= MAX_ROW or col >= MAX_COL:
            raise SvcqError(f"表格超出 Excel 的範圍（第 {row + 1} 列、第 {col + 1} 欄）", file=self.path,
                            sheet=self.name, code="sheet-too-large")
        width = max(self.width, col + 1)
        height = max(len(self.rows), row + 1)
        if width * height > self.limits.max_cells:
            raise SvcqError(f"表格過大（{height:,} 列 × {width:,} 欄，上限 {self.limits.max_cells:,} 格）",
                            file=self.path, sheet=self.name, code="sheet-too-large")
        self.width = width
        while len(self.rows) <= row:
            self.rows.append([])
        line = self.rows[row]
        if len(line) <= col:
            line.extend([_FREE] * (col + 1 - len(line)))
        line[col] = value

    def taken(self, row: int, col: int) -> bool:
        return row < len(self.rows) and col < len(self.rows[row]) and self.rows[row][col] is not _FREE

    def finish(self) -> list[list[Any]]:
        return [["" if v is _FREE else v for v in row] + [""] * (self.width - len(row)) for row in self.rows]


# -- SpreadsheetML 2003 -------------------------------------------------------------------

def read_spreadsheetml(path: Path, limits: Limits = DEFAULT) -> list[Sheet]:
    from defusedxml.ElementTree import iterparse

    sheets: list[Sheet] = []
    grid: _Grid | None = None
    sheet: Sheet | None = None
    row = col = -1
    try:
        for event, el in iterparse(str(path), events=("start", "end")):
            tag = el.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "Worksheet":
                    name = el.get(f"{{{SS}}}Name") or f"工作表{len(sheets) + 1}"
                    sheet = Sheet(name)
                    grid = _Grid(path, name, limits)
                    row = -1
                    if len(sheets) >= limits.max_sheets:
                        raise SvcqError(f"活頁簿的工作表超過上限 {limits.max_sheets} 個", file=path,
                                        code="too-many-sheets")
                elif tag == "Row" and grid is not None:
                    row = _index(el, row + 1)
                    col = -1
                continue
            if grid is None or sheet is None:
                continue
            if tag == "Cell":
                col = _index(el, col + 1)
                data = next((c for c in el if c.tag.rsplit("}", 1)[-1] == "Data"), None)
                value = _ss_value(data) if data is not None else ""
                across = _int(el.get(f"{{{SS}}}MergeAcross"), 0)
                down = _int(el.get(f"{{{SS}}}MergeDown"), 0)
                grid.put(row, col, value)
                if across or down:
                    if row + down >= MAX_ROW or col + across >= MAX_COL:
                        raise SvcqError("合併儲存格超出 Excel 的範圍", file=path, sheet=sheet.name,
                                        code="sheet-too-large")
                    sheet.merged.append(((row, col), (row + down, col + across)))
                col += across
                el.clear()
            elif tag == "Row":
                el.clear()
            elif tag == "Visible" and el.tag.startswith(f"{{{_X}}}") and (el.text or "").strip() in (
                    "SheetHidden", "SheetVeryHidden"):
                sheet.hidden = True
            elif tag == "Worksheet":
                sheet.rows = grid.finish()
                sheets.append(sheet)
                grid = sheet = None
                el.clear()
    except SvcqError:
        raise
    except Exception as exc:  # ParseError, DTDForbidden, EntitiesForbidden
        what = "含有 DTD 宣告，可能是惡意檔案" if "forbidden" in type(exc).__name__.lower() else "XML 結構錯誤"
        raise SvcqError(f"無法讀取 XML 試算表（{what}）", file=path,
                        code="xml-dtd" if "forbidden" in type(exc).__name__.lower() else "corrupt-file") from None
    if not sheets:
        raise SvcqError("這個 XML 試算表沒有任何工作表", file=path, code="no-sheet")
    return sheets


def _index(el: Any, default: int) -> int:
    """ss:Index is 1-based and skips ahead; going back is not allowed."""
    index = _int(el.get(f"{{{SS}}}Index"), 0)
    return index - 1 if index > default else default


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _ss_value(data: Any) -> Any:
    kind = data.get(f"{{{SS}}}Type", "String")
    text = "".join(data.itertext())
    if kind == "Number":
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    if kind == "Boolean":
        return text.strip() in ("1", "true", "TRUE")
    if kind == "DateTime":
        try:
            value = dt.datetime.fromisoformat(text.strip().rstrip("Z"))
        except ValueError:
            return text
        return value.date() if value.time() == dt.time(0) else value
    if kind == "Error":
        return CellError(text.strip() or "#VALUE!")
    return text


# -- HTML tables ----------------------------------------------------------------------------

_BLOCK_BREAKS = {"br", "p", "div", "li"}


class _TableParser(HTMLParser):
    def __init__(self, path: Path, limits: Limits) -> None:
        super().__init__(convert_charrefs=True)
        self.path, self.limits = path, limits
        self.sheets: list[Sheet] = []
        self.depth = 0  # nesting of <table>: an inner table's text belongs to the outer cell
        self.grid: _Grid | None = None
        self.sheet: Sheet | None = None
        self.row = -1
        self.col = 0
        self.cell: list[str] | None = None
        self.span = (1, 1)
        self.title = ""
        self._in_title = False
        self._skip = 0  # inside <script>/<style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "table":
            self.depth += 1
            if self.depth == 1:
                name = f"表格{len(self.sheets) + 1}"
                self.sheet, self.grid, self.row = Sheet(name), _Grid(self.path, name, self.limits), -1
        elif self.depth == 1 and self.grid is not None:
            if tag == "tr":
                self._end_cell()
                self.row += 1
                self.col = 0
            elif tag in ("td", "th"):
                self._end_cell()
                if self.row < 0:
                    self.row = 0
                while self.grid.taken(self.row, self.col):
                    self.col += 1
                self.cell = []
                self.span = (_span(a.get("rowspan")), _span(a.get("colspan")))
            elif tag in _BLOCK_BREAKS and self.cell is not None:
                self.cell.append("\n")
        elif tag in _BLOCK_BREAKS and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "table" and self.depth:
            self.depth -= 1
            if self.depth == 0 and self.grid is not None and self.sheet is not None:
                self._end_cell()
                self.sheet.rows = self.grid.finish()
                if any(v != "" for r in self.sheet.rows for v in r):
                    self.sheets.append(self.sheet)
                    if len(self.sheets) > self.limits.max_sheets:
                        raise SvcqError(f"網頁中的表格超過上限 {self.limits.max_sheets} 個", file=self.path,
                                        code="too-many-sheets")
                self.grid = self.sheet = None
        elif self.depth == 1 and tag in ("td", "th"):
            self._end_cell()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data
        elif self.cell is not None:
            self.cell.append(data)

    def _end_cell(self) -> None:
        if self.cell is None or self.grid is None or self.sheet is None:
            return
        text = "".join(self.cell)
        # what a browser shows: runs of spaces folded, line breaks from <br>/<p> kept
        lines = [re.sub(r"[ \t\r\n\f]+", " ", part).strip() for part in text.split("\n")]
        value = "\n".join(line for line in lines if line) if len(lines) > 1 else lines[0]
        value = value.replace("\xa0", " ").strip()
        down, across = self.span
        self.grid.put(self.row, self.col, value)
        for r in range(self.row, self.row + down):
            for c in range(self.col, self.col + across):
                if (r, c) != (self.row, self.col):
                    self.grid.put(r, c, "")
        if down > 1 or across > 1:
            self.sheet.merged.append(((self.row, self.col), (self.row + down - 1, self.col + across - 1)))
        self.col += across
        self.cell = None


def _span(text: str | None) -> int:
    try:
        return min(max(int(text or "1"), 1), 1000)
    except ValueError:
        return 1


def read_html(path: Path, text: str, limits: Limits = DEFAULT) -> list[Sheet]:
    parser = _TableParser(path, limits)
    parser.feed(text)
    parser.close()
    if not parser.sheets:
        raise SvcqError("這是網頁（HTML）檔，但裡面沒有表格可讀", file=path, code="not-a-workbook")
    if len(parser.sheets) == 1 and parser.title.strip():
        parser.sheets[0].name = parser.title.strip()[:31]
    return parser.sheets


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def html_text(path: Path, raw: bytes) -> str:
    """The text of an HTML file: by its BOM, its <meta charset>, else UTF-8 or Big5."""
    import codecs

    from toolkit.io.sniff import CSV_ENCODINGS

    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(encoding, "replace")
    m = _META_CHARSET.search(raw[:4096])
    if m:
        declared = m.group(1).decode("ascii").lower()
        declared = {"big5": "cp950", "x-x-big5": "cp950", "ms950": "cp950"}.get(declared, declared)
        try:
            return raw.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    for encoding in CSV_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SvcqError("網頁檔的文字編碼無法辨識（請存成 UTF-8 或 Big5）", file=path, code="bad-encoding")
