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

from toolkit.io.guards import check_size, check_zip
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
    """An opened, checked input: its sheet names and a reader per sheet."""

    def __init__(self, path: Path, kind: FileKind, limits: Limits = DEFAULT) -> None:
        self.path = path
        self.kind = kind
        self.limits = limits
        self._book: calamine.CalamineWorkbook | None = None
        self._csv_rows: list[list[str]] | None = None
        if kind is FileKind.CSV:
            self._csv_rows = _read_csv(path)
            self.sheet_names = [path.stem]
            self.hidden_sheets: set[str] = set()
            return
        try:
            self._book = calamine.CalamineWorkbook.from_path(str(path))
        except calamine.PasswordError:
            raise SvcqError("活頁簿設有開啟密碼，請先移除檔案密碼再試", file=path, code="encrypted") from None
        except Exception as exc:  # calamine's errors are untyped beyond CalamineError
            raise SvcqError(f"無法讀取活頁簿（檔案可能已損毀）：{_short(exc)}", file=path,
                            code="corrupt-file") from None
        meta = self._book.sheets_metadata
        if len(meta) > limits.max_sheets:
            raise SvcqError(f"活頁簿有 {len(meta)} 個工作表，超過上限 {limits.max_sheets}", file=path,
                            code="too-many-sheets")
        self.sheet_names = [m.name for m in meta if m.typ == calamine.SheetTypeEnum.WorkSheet]
        self.hidden_sheets = {m.name for m in meta if m.visible != calamine.SheetVisibleEnum.Visible}

    def table(self, sheet: str | None = None) -> Table:
        """The named sheet, or the first visible one."""
        if self._csv_rows is not None:
            return Table(str(self.path), None, self._csv_rows)
        if sheet is None:
            visible = [s for s in self.sheet_names if s not in self.hidden_sheets]
            if not visible:
                raise SvcqError("活頁簿沒有可見的工作表", file=self.path, code="no-sheet")
            sheet = visible[0]
        if sheet not in self.sheet_names:
            raise SvcqError(f"找不到工作表「{sheet}」；此檔有：{'、'.join(self.sheet_names)}",
                            file=self.path, code="no-sheet")
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
            raise SvcqError(f"無法讀取工作表：{_short(exc)}", file=self.path, sheet=sheet,
                            code="corrupt-file") from None
        return Table(str(self.path), sheet, rows, tuple(data.start or (0, 0)),
                     hidden=sheet in self.hidden_sheets, merged=merged)

    def tables(self) -> Iterator[Table]:
        for name in self.sheet_names if self._csv_rows is None else [None]:
            yield self.table(name)


def open_workbook(path: str | Path, limits: Limits = DEFAULT) -> Workbook:
    """Sniff ``path`` by content, run the guards, and open it for reading."""
    path = Path(path)
    kind = sniff(path)
    if kind in (FileKind.XLSX, FileKind.XLSM, FileKind.ODS):
        check_zip(path, limits)
    else:
        check_size(path, limits)
    return Workbook(path, kind, limits)


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


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
