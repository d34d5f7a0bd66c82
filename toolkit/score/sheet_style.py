"""The score workbooks' formats and the formula helpers their writers share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from toolkit.score.rubric import Rubric
from toolkit.sheetkit.cells import formula_string
from toolkit.sheetkit.formats import BAD, HEADER_FILL, INPUT_FILL, TITLE_SIZE, WARN, props
from toolkit.sheetkit.page import a4

HEADER_ROW = 3  # 0-based: title, meta, instructions, header


def formats(wb: Workbook) -> dict[str, Any]:
    """The score workbooks' formats, in the house font (toolkit.sheetkit.formats)."""
    def add(**extra: Any) -> Any:
        return wb.add_format(props(**extra))

    cell = {"border": 1}
    sub = {**cell, "bold": True, "bg_color": "#F2F2F2"}
    total = {**cell, "bold": True, "bg_color": "#FCE4D6"}
    return {
        "title": add(bold=True, font_size=TITLE_SIZE),
        "meta_label": add(**cell, bold=True, bg_color="#EEEEEE"),
        "meta": add(**cell, bg_color=INPUT_FILL),
        "note": add(font_size=9, font_color="#555555", text_wrap=True, valign="top"),
        "header": add(**cell, bold=True, bg_color=HEADER_FILL, align="center", text_wrap=True),
        "label": add(**cell, text_wrap=True),
        "points": add(**cell, align="center", num_format="0.##"),
        "input": add(**cell, align="center", bg_color=INPUT_FILL, num_format="0.##"),
        "text_input": add(**cell, bg_color=INPUT_FILL, text_wrap=True, valign="top"),
        "guide": add(**cell, font_size=9, text_wrap=True, valign="top"),
        "sub_label": add(**sub),
        "sub": add(**sub, align="center", num_format="0.##"),
        "sub_pct": add(**sub, align="center", num_format="0.0%"),
        "total_label": add(**total),
        "total": add(**total, align="center", num_format="0.##"),
        "total_pct": add(**total, align="center", num_format="0.0%"),
        "number": add(**cell, align="center", num_format="0.##"),
        "pct": add(**cell, align="center", num_format="0.0%"),
        "bad": wb.add_format({**BAD, "bold": True}),
        "warn": wb.add_format(WARN),
    }


def print_setup(ws: Worksheet, header_row: int, *, widths: Sequence[float] = (),
                landscape: bool | None = None) -> None:
    """A4 (its orientation by the shape of the columns ``widths``) with the header row on
    every page and frozen below it."""
    a4(ws, landscape=landscape, widths=widths, repeat_rows=header_row, freeze=(header_row + 1, 0))


def label_cells(ws: Worksheet, row: int, label: str, fmt: Any, blanks: int) -> None:
    """A 總分/等第 row's label and the shaded blank cells after it; the figures follow."""
    ws.write(row, 0, label, fmt)
    for c in range(1, blanks + 1):
        ws.write(row, c, "", fmt)


def whole(x: float) -> float | int:
    """5.0 → 5, so limits read as users wrote them."""
    return int(x) if float(x).is_integer() else x


def excel_number(value: Any) -> float:
    """What Excel's SUM adds for a cell: numbers only (text such as 「4.5分」 counts 0)."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def band_formula(rubric: Rubric, total_cell: str, count_range: str) -> str:
    """The 等第 of a total: nested IFs over the rubric's bands. Band labels come from the
    user's rubric file, so each is a quoted string literal (``formula_string``): a label such
    as 「優"&(1+1)&"等」 or 「=WEBSERVICE(…)」 shows as the text it is."""
    expr = '""'
    for band in reversed(rubric.bands):
        expr = f"IF({total_cell}>={band.min:g},{formula_string(band.label)},{expr})"
    return f'=IF(COUNT({count_range})=0,"",{expr})'


def cell_range(first: int, last: int, col: int) -> str:
    return f"{xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)}"


def sum_of(rows: Sequence[int], col: int) -> str:
    return "=SUM(" + ",".join(xl_rowcol_to_cell(r, col) for r in rows) + ")"


def ranges_text(ranges: Sequence[tuple[int, int]], col: int) -> str:
    return ",".join(cell_range(a, b, col) for a, b in ranges)


def row_runs(rows: Sequence[int], col: int) -> str:
    """Rows as the fewest ranges: 5,6,7,9 → E5:E7,E9:E9."""
    runs: list[tuple[int, int]] = []
    for r in rows:
        if runs and r == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return ranges_text(runs, col)
