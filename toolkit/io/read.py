"""Reading cell values fast (python-calamine; csv module for text files).

A ``Table`` is a sheet's used range as rows of plain values (str, float, int, bool,
datetime.date/datetime/time; '' or None for an empty cell) plus where it sits, so any value
can be named back to the user as ``工作表!C7``.
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
from toolkit.problems import Problem, SvcqError, cell_ref


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
                 scan: PackageScan | None = None) -> None:
        self.path = path
        self.kind = kind
        self.limits = limits
        self._scan = scan or PackageScan()
        self._parts: dict[str, str] | None = None
        self._book: calamine.CalamineWorkbook | None = None
        self._csv_rows: list[list[str]] | None = None
        if kind is FileKind.CSV:
            self._csv_rows = _read_csv(path)
            self.sheet_names = [path.stem]
            self.hidden_sheets: set[str] = set()
            return
        if kind is FileKind.ODS:
            # calamine parses every ODS table when it opens the file: check them all first.
            for name, table_scan in self._scan.ods.items():
                check_sheet(table_scan, path, name, limits)
        try:
            self._book = calamine.CalamineWorkbook.from_path(str(path))
        except calamine.PasswordError:
            raise SvcqError("活頁簿設有開啟密碼，請先移除檔案密碼再試", file=path,
                            code="encrypted") from None
        except Exception as exc:  # calamine's errors are untyped beyond CalamineError
            raise SvcqError(f"無法讀取活頁簿，檔案可能已損毀（技術細節：{_short(exc)}）", file=path,
                            code="corrupt-file") from None
        meta = self._book.sheets_metadata
        if len(meta) > limits.max_sheets:
            raise SvcqError(f"活頁簿有 {len(meta)} 個工作表，超過上限 {limits.max_sheets}", file=path,
                            code="too-many-sheets")
        self.sheet_names = [m.name for m in meta if m.typ == calamine.SheetTypeEnum.WorkSheet]
        self.hidden_sheets = {m.name for m in meta if m.visible != calamine.SheetVisibleEnum.Visible}

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
        if self._parts is None:
            self._parts = sheet_parts(self.path) if self._scan.sheets else {}
        part = self._parts.get(sheet)
        return self._scan.sheets.get(part) if part else None

    def _load(self, sheet: str, uncached_formulas: bool) -> Table:
        if sheet not in self.sheet_names:
            raise SvcqError(f"找不到工作表「{sheet}」；此檔有：{'、'.join(self.sheet_names)}",
                            file=self.path, code="no-sheet")
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
        except SvcqError:
            raise
        except Exception as exc:
            raise SvcqError(f"無法讀取工作表，檔案可能已損毀（技術細節：{_short(exc)}）",
                            file=self.path, sheet=sheet, code="corrupt-file") from None
        start = data.start or (0, 0)
        origin = (int(start[0]), int(start[1]))
        return Table(str(self.path), sheet, rows, origin, hidden=sheet in self.hidden_sheets,
                     merged=_clip_merged(merged, origin, len(rows), data.width))

    def tables(self) -> Iterator[Table]:
        """Every sheet, hidden ones included (each Table says whether it is hidden)."""
        if self._csv_rows is not None:
            yield self.table()
            return
        for name in self.sheet_names:
            yield self.table(name)


def open_workbook(path: str | Path, limits: Limits = DEFAULT) -> Workbook:
    """Sniff ``path`` by content, run the guards, and open it for reading."""
    path = Path(path)
    kind = sniff(path)
    scan = None
    if kind in (FileKind.XLSX, FileKind.XLSM, FileKind.ODS):
        scan = check_zip(path, limits)
    else:
        check_size(path, limits)
        if kind is FileKind.CSV and path.stat().st_size > limits.max_csv_bytes:
            raise SvcqError(f"CSV 檔太大（上限 {limits.max_csv_bytes // 1024**2} MB），請改存成 .xlsx",
                            file=path, code="too-large")
    return Workbook(path, kind, limits, scan)


def read_table(path: str | Path, sheet: str | None = None, limits: Limits = DEFAULT) -> Table:
    return open_workbook(path, limits).table(sheet)


def read_tables(path: str | Path, limits: Limits = DEFAULT) -> list[Table]:
    return list(open_workbook(path, limits).tables())


def _read_csv(path: Path) -> list[list[str]]:
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
    return [row for row in csv.reader(io.StringIO(text), dialect)]


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
