"""Reading an office's own control sheet for adoption: values through the input gate
(calamine), shading through ``toolkit.io.fills``, the reading by ``toolkit.schedule.adopt``."""

from __future__ import annotations

from pathlib import Path

from toolkit.io.fills import read_fills
from toolkit.io.read import Table, Workbook, open_workbook
from toolkit.problems import SvcqError
from toolkit.schedule.adopt import Adoption, AdoptOptions, adopt
from toolkit.schedule.layout import Grid, find_layout

#: Sheets svcq itself adds next to a control sheet; never the one to adopt.
_OWN_EXTRA_SHEETS = ("月別工作項目", "彙整紀錄", "共同辦理進度")


def control_sheets(tables: list[Table]) -> list[Table]:
    """The sheets that look like a control sheet (month columns or a 月份 column), in order."""
    out = []
    for table in tables:
        if table.is_empty or table.sheet in _OWN_EXTRA_SHEETS:
            continue
        layout = find_layout(Grid(table))
        if layout.months or layout.kind == "by-month":
            out.append(table)
    return out


def _readable_tables(book: Workbook) -> list[Table]:
    """The visible sheets that can be read; one that cannot (formulas without stored results…)
    is skipped here — if no other sheet is a control sheet, reading the first says why."""
    out = []
    for name in book.sheet_names:
        if name in book.hidden_sheets:
            continue
        try:
            out.append(book.table(name))
        except SvcqError:
            continue
    return out


def adopt_book(book: Workbook, options: AdoptOptions | None = None,
               sheet: str | None = None) -> tuple[Adoption, Table]:
    """The reading of a workbook already opened through the gate, and the table read.

    The sheet read is ``sheet`` if named, else the first visible one that looks like a
    control sheet (the reading notes any others), else the first visible sheet holding data
    (whose problems then say why it is not one).
    """
    others: list[str] = []
    if sheet is not None:
        table = book.table(sheet)
    else:
        found = control_sheets(_readable_tables(book))
        table = found[0] if found else book.table()
        others = [t.sheet for t in found[1:] if t.sheet]
    adoption = adopt(table, read_fills(book, table.sheet or ""), options)
    if others:
        adoption.notices.append(f"活頁簿中還有其他看似管制表的工作表：{'、'.join(others)}（只讀取"
                                f"「{table.sheet}」；要讀其他工作表請以 --sheet 指定）")
    return adoption, table


def read_adoption(source: str | Path | Workbook, options: AdoptOptions | None = None,
                  sheet: str | None = None) -> Adoption:
    """Adopt the workbook at ``source`` (xlsx/xlsm/xls/ods; the shading of .xls/.ods needs
    LibreOffice)."""
    book = source if isinstance(source, Workbook) else open_workbook(source)
    return adopt_book(book, options, sheet)[0]
