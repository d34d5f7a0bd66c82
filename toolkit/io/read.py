"""Reading cell values fast (python-calamine; the csv module for CSV; toolkit.io.markup for
HTML tables and SpreadsheetML 2003).

A ``Table`` is a sheet's used range as rows of plain values (str, float, int, bool,
datetime.date/datetime/time; '' or None for an empty cell; ``toolkit.values.CellError`` for a
cell showing #DIV/0!, #N/A…) plus where it sits, so any value can be named back to the user
as ``工作表!C7``.

calamine is given a file only after the guards (toolkit.io.guards, toolkit.io.xls_guard)
have checked what it would allocate; a panic inside it still ends as SvcqError naming the
file, never a traceback.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine as calamine

from toolkit.io.guards import PackageScan, SheetScan, check_sheet, check_size, check_zip, sheet_parts
from toolkit.io.limits import DEFAULT, Limits
from toolkit.io.sniff import FileKind, csv_encoding, sniff
from toolkit.io.xls_guard import XlsScan, check_xls
from toolkit.problems import Problem, SvcqError
from toolkit.sheetkit.cells import cell_ref
from toolkit.values import CellError

#: Excel's limits: a CSV beyond them is not a sheet anyone made in a spreadsheet.
MAX_COLUMNS = 16_384
MAX_CELL_TEXT = 32_767
#: Formats svcq reads itself (not with calamine).
_TEXT_KINDS = (FileKind.CSV, FileKind.HTML, FileKind.XML2003)


@dataclass
class Table:
    file: str
    sheet: str | None
    rows: list[list[Any]]
    origin: tuple[int, int] = (0, 0)  # 0-based (row, col) of rows[0][0] in the sheet
    hidden: bool = False
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def ref(self, row: int, col: int) -> str:
        """A1 reference of rows[row][col]."""
        return cell_ref(self.origin[0] + row, self.origin[1] + col)

    def value(self, row: int, col: int) -> Any:
        try:
            return self.rows[row][col]
        except IndexError:
            return None

    def problem(self, row: int, col: int, code: str, message: str) -> Problem:
        return Problem(code, message, self.file, self.sheet, self.ref(row, col))

    def row_problem(self, row: int, code: str, message: str) -> Problem:
        """A problem about a whole row: located at its first cell, the message says 第 N 列."""
        return Problem(code, message, self.file, self.sheet, self.ref(row, 0))

    @property
    def is_empty(self) -> bool:
        return not any(v not in ("", None) for r in self.rows for v in r)


class Workbook:
    """An opened, checked input: its sheet names and a reader per sheet.

    Which sheet is read when none is named: the first visible sheet holding data. Hidden
    sheets are read only by name (``Table.hidden`` then says so); if every visible sheet is
    empty while a hidden one holds data, that is refused with a message naming the hidden
    sheet, since the user would not see what svcq counted.
    """

    def __init__(self, path: Path, kind: FileKind, limits: Limits = DEFAULT,
                 scan: PackageScan | None = None, xls: XlsScan | None = None) -> None:
        self.path = path
        self.kind = kind
        self.limits = limits
        self._scan = scan or PackageScan()
        self._xls = xls
        self._parts: dict[str, str] | None = None
        self._book: calamine.CalamineWorkbook | None = None
        self._csv_rows: list[list[str]] | None = None
        self._static: dict[str, Table] = {}  # sheets read without calamine (HTML, XML 2003)
        self.hidden_sheets: set[str] = set()
        if kind is FileKind.CSV:
            self._csv_rows = _read_csv(path, limits)
            self.sheet_names = [path.stem]
            return
        if kind in (FileKind.HTML, FileKind.XML2003):
            self._read_markup()
            return
        if kind is FileKind.ODS:
            # calamine parses every ODS table when it opens the file: check them all first.
            for name, table_scan in self._scan.ods.items():
                check_sheet(table_scan, path, name, limits)
        try:
            self._book = calamine.CalamineWorkbook.from_path(str(path))
            meta = self._book.sheets_metadata
        except calamine.PasswordError:
            raise SvcqError("活頁簿設有開啟密碼，請先移除檔案密碼再試", file=path,
                            code="encrypted") from None
        except BaseException as exc:  # calamine's errors are untyped; a Rust panic is a BaseException
            _reraise_interrupts(exc)
            raise SvcqError(f"無法讀取活頁簿，檔案可能已損毀（技術細節：{_short(exc)}）", file=path,
                            code="corrupt-file") from None
        if len(meta) > limits.max_sheets:
            raise SvcqError(f"活頁簿有 {len(meta)} 個工作表，超過上限 {limits.max_sheets}", file=path,
                            code="too-many-sheets")
        self._all_names = [m.name for m in meta]
        self.sheet_names = [m.name for m in meta if m.typ == calamine.SheetTypeEnum.WorkSheet]
        self.hidden_sheets = {m.name for m in meta if m.visible != calamine.SheetVisibleEnum.Visible}

    def _read_markup(self) -> None:
        from toolkit.io.markup import html_text, read_html, read_spreadsheetml

        if self.kind is FileKind.HTML:
            sheets = read_html(self.path, html_text(self.path, self.path.read_bytes()), self.limits)
        else:
            sheets = read_spreadsheetml(self.path, self.limits)
        for sheet in sheets:
            name, n = sheet.name, 2
            while name in self._static:  # two tables titled alike
                name, n = f"{sheet.name} ({n})", n + 1
            self._static[name] = Table(str(self.path), name, sheet.rows, (0, 0), sheet.hidden, sheet.merged)
        self.sheet_names = list(self._static)
        self.hidden_sheets = {name for name, t in self._static.items() if t.hidden}

    def table(self, sheet: str | None = None, *, uncached_formulas: bool = False) -> Table:
        """The named sheet, or the first visible one holding data (see the class doc).

        A formula cell without a stored result (a file written by a program and never
        opened in Excel) is refused: its value is unknown, and reading it as blank would
        silently miscount. ``uncached_formulas=True`` reads such cells as ''.
        """
        if self._csv_rows is not None:
            return Table(str(self.path), None, self._csv_rows)
        if sheet is not None:
            return self._load(sheet, uncached_formulas)
        visible = [s for s in self.sheet_names if s not in self.hidden_sheets]
        if not visible:
            raise SvcqError("活頁簿沒有可見的工作表", file=self.path, code="no-sheet")
        first = None
        for name in visible:
            table = self._load(name, uncached_formulas)
            if not table.is_empty:
                return table
            first = first or table
        for name in self.sheet_names:
            if name in self.hidden_sheets and not self._load(name, True).is_empty:
                raise SvcqError(f"可見的工作表都是空的，資料在隱藏的工作表「{name}」。請在 Excel "
                                "對工作表索引標籤按右鍵 →「取消隱藏」後存檔，或指定該工作表再試",
                                file=self.path, sheet=name, code="data-in-hidden-sheet")
        assert first is not None
        return first

    def _sheet_scan(self, sheet: str) -> SheetScan | None:
        if self.kind is FileKind.ODS:
            return self._scan.ods.get(sheet)
        if self.kind is FileKind.XLS:
            if self._xls is None or sheet not in self._all_names:
                return None
            at = self._all_names.index(sheet)
            if at >= len(self._xls.sheets):
                return None
            found = self._xls.sheets[at]
            found.errors = self._xls.errors[at]
            return found
        if self._parts is None:
            self._parts = sheet_parts(self.path) if self._scan.sheets else {}
        part = self._parts.get(sheet)
        return self._scan.sheets.get(part) if part else None

    def _load(self, sheet: str, uncached_formulas: bool) -> Table:
        if sheet not in self.sheet_names:
            raise SvcqError(f"找不到工作表「{sheet}」；此檔有：{'、'.join(self.sheet_names)}",
                            file=self.path, code="no-sheet")
        if sheet in self._static:
            return self._static[sheet]
        scan = self._sheet_scan(sheet)
        if scan is not None:
            check_sheet(scan, self.path, sheet, self.limits)
            if scan.uncached and not uncached_formulas:
                more = f"（此工作表共 {scan.uncached_count} 格）" if scan.uncached_count > 1 else ""
                raise SvcqError(f"儲存格是公式但檔案裡沒有計算結果{more}："
                                "此檔可能由程式產生、未曾以 Excel 開啟存檔。請用 Excel 或 "
                                "LibreOffice 開啟、存檔後再試", file=self.path, sheet=sheet,
                                cell=scan.uncached[0], code="formula-without-value")
        assert self._book is not None
        try:
            data = self._book.get_sheet_by_name(sheet)
            if data.height > self.limits.max_rows or data.height * data.width > self.limits.max_cells:
                raise SvcqError(f"工作表範圍過大（{data.height} 列 × {data.width} 欄）", file=self.path,
                                sheet=sheet, code="sheet-too-large")
            rows = data.to_python()
            merged = list(data.merged_cell_ranges or [])
            start = data.start or (0, 0)
            origin = (int(start[0]), int(start[1]))
            width = data.width
        except SvcqError:
            raise
        except BaseException as exc:  # a Rust panic (pyo3's PanicException) is a BaseException
            _reraise_interrupts(exc)
            raise SvcqError(f"無法讀取工作表，檔案可能已損毀（技術細節：{_short(exc)}）",
                            file=self.path, sheet=sheet, code="corrupt-file") from None
        if scan is not None and scan.errors:
            origin = _mark_errors(rows, origin, scan.errors)
        return Table(str(self.path), sheet, rows, origin, hidden=sheet in self.hidden_sheets,
                     merged=_clip_merged(merged, origin, len(rows), width))

    def tables(self) -> Iterator[Table]:
        """Every sheet, hidden ones included (each Table says whether it is hidden)."""
        if self._csv_rows is not None:
            yield self.table()
            return
        for name in self.sheet_names:
            yield self.table(name)


def _reraise_interrupts(exc: BaseException) -> None:
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError):
        raise exc


def _mark_errors(rows: list[list[Any]], origin: tuple[int, int],
                 errors: dict[tuple[int, int], str]) -> tuple[int, int]:
    """Put ``CellError``s where calamine put '' for an error cell; grow the rows (and move the
    origin up/left) if an error cell lies outside what calamine returned. Returns the origin."""
    top = min(origin[0], *(r for r, _ in errors)) if rows else min(r for r, _ in errors)
    left = min(origin[1], *(c for _, c in errors)) if rows else min(c for _, c in errors)
    width = max((len(r) for r in rows), default=0)
    if (top, left) != origin:
        shift_r, shift_c = origin[0] - top, origin[1] - left
        rows[:0] = [[""] * width for _ in range(shift_r)]
        if shift_c:
            for row in rows:
                row[:0] = [""] * shift_c
        width += shift_c
    for (r, c), code in errors.items():
        rr, cc = r - top, c - left
        while len(rows) <= rr:
            rows.append([""] * width)
        row = rows[rr]
        if len(row) <= cc:
            row.extend([""] * (cc + 1 - len(row)))
        if row[cc] in ("", None):
            row[cc] = CellError(code)
    return top, left


def open_workbook(path: str | Path, limits: Limits = DEFAULT) -> Workbook:
    """Sniff ``path`` by content, run the guards, and open it for reading."""
    path = Path(path)
    kind = sniff(path)
    scan = xls = None
    if kind in (FileKind.XLSX, FileKind.XLSM, FileKind.ODS):
        scan = check_zip(path, limits)
    else:
        check_size(path, limits)
        if kind in _TEXT_KINDS and path.stat().st_size > limits.max_csv_bytes:
            what = {FileKind.CSV: "CSV 檔", FileKind.HTML: "網頁檔", FileKind.XML2003: "XML 試算表"}[kind]
            raise SvcqError(f"{what}太大（上限 {limits.max_csv_bytes // 1024**2} MB），請改存成 .xlsx",
                            file=path, code="too-large")
        if kind is FileKind.XLS:
            xls = check_xls(path, limits)
    return Workbook(path, kind, limits, scan, xls)


def read_table(path: str | Path, sheet: str | None = None, limits: Limits = DEFAULT) -> Table:
    return open_workbook(path, limits).table(sheet)


def read_tables(path: str | Path, limits: Limits = DEFAULT) -> list[Table]:
    return list(open_workbook(path, limits).tables())


def _read_csv(path: Path, limits: Limits = DEFAULT) -> list[list[str]]:
    encoding = csv_encoding(path)
    if encoding is None:
        raise SvcqError("CSV 的文字編碼無法辨識（請存成 UTF-8 或 Big5）", file=path, code="bad-encoding")
    try:
        text = path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise SvcqError(f"CSV 第 {line} 行有無法以 {encoding} 解讀的文字", file=path,
                        code="bad-encoding") from None
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[list[str]] = []
    cells = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise SvcqError(f"CSV 第 {start} 行起有一個欄位超過 {csv.field_size_limit():,} 字：多半是某個欄位"
                                "少了結束的引號（\"），使後面的資料都被當成同一格；請檢查該行", file=path,
                                code="csv-field-too-long") from None
            raise SvcqError(f"CSV 第 {start} 行的格式錯誤（{_short(exc)}）", file=path,
                            code="bad-csv") from None
        if len(row) > MAX_COLUMNS:
            raise SvcqError(f"CSV 第 {start} 行有 {len(row):,} 欄，超過 Excel 的上限 {MAX_COLUMNS:,} 欄；"
                            "請確認分隔符號與引號是否正確", file=path, code="sheet-too-large")
        longest = max(map(len, row), default=0)
        if longest > MAX_CELL_TEXT:
            raise SvcqError(f"CSV 第 {start} 行起有一個欄位長達 {longest:,} 字，超過 Excel 儲存格的上限 "
                            f"{MAX_CELL_TEXT:,} 字：多半是少了結束的引號（\"）；請檢查該行", file=path,
                            code="csv-field-too-long")
        cells += len(row)
        if cells > limits.max_cells:
            raise SvcqError(f"CSV 的儲存格超過上限 {limits.max_cells:,} 格，請改存成 .xlsx 或分成數個檔案",
                            file=path, code="sheet-too-large")
        rows.append(row)
    return rows


def _clip_merged(merged: list[Any], origin: tuple[int, int], height: int,
                 width: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged ranges cut to the cells that hold data: a merge of A1:XFD1048576 must not make
    a caller walk 17 billion cells. Ranges wholly outside the data are dropped."""
    top, left = origin
    bottom, right = top + height - 1, left + width - 1
    out = []
    for (r0, c0), (r1, c1) in merged:
        r0, c0, r1, c1 = max(r0, top), max(c0, left), min(r1, bottom), min(c1, right)
        if r0 <= r1 and c0 <= c1:
            out.append(((r0, c0), (r1, c1)))
    return out


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
