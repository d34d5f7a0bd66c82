"""Shared look of svcq's score workbooks: cell formats, A4 print setup, formula helpers."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from toolkit.score.rubric import Rubric

HEADER_ROW = 3  # 0-based: title, meta, instructions, header
_A4 = 9


def formats(wb: Workbook) -> dict[str, Any]:
    # The fonts of government offices' Excel (as the schedule sheet); LibreOffice substitutes.
    base = {"font_name": "新細明體", "font_size": 11, "valign": "vcenter", "border": 1}
    return {
        "title": wb.add_format({"font_name": "標楷體", "bold": True, "font_size": 16}),
        "meta_label": wb.add_format({**base, "bold": True, "bg_color": "#EEEEEE"}),
        "meta": wb.add_format({**base, "bg_color": "#FFF9E5"}),
        "note": wb.add_format({"font_name": base["font_name"], "font_size": 9, "font_color": "#555555",
                               "text_wrap": True, "valign": "top"}),
        "header": wb.add_format({**base, "bold": True, "bg_color": "#D9E2F3", "align": "center",
                                 "text_wrap": True}),
        "label": wb.add_format({**base, "text_wrap": True}),
        "points": wb.add_format({**base, "align": "center", "num_format": "0.##"}),
        "input": wb.add_format({**base, "align": "center", "bg_color": "#FFF9E5", "num_format": "0.##"}),
        "text_input": wb.add_format({**base, "bg_color": "#FFF9E5", "text_wrap": True, "valign": "top"}),
        "guide": wb.add_format({**base, "font_size": 8, "text_wrap": True, "valign": "top"}),
        "sub_label": wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2"}),
        "sub": wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "align": "center",
                              "num_format": "0.##"}),
        "sub_pct": wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "align": "center",
                                  "num_format": "0.0%"}),
        "total_label": wb.add_format({**base, "bold": True, "bg_color": "#FCE4D6"}),
        "total": wb.add_format({**base, "bold": True, "bg_color": "#FCE4D6", "align": "center",
                                "num_format": "0.##"}),
        "total_pct": wb.add_format({**base, "bold": True, "bg_color": "#FCE4D6", "align": "center",
                                    "num_format": "0.0%"}),
        "number": wb.add_format({**base, "align": "center", "num_format": "0.##"}),
        "pct": wb.add_format({**base, "align": "center", "num_format": "0.0%"}),
        "bad": wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "bold": True}),
        "warn": wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"}),
    }


def print_setup(ws: Worksheet, header_row: int, *, landscape: bool = True) -> None:
    ws.set_paper(_A4)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)  # all columns on one page width, as many pages down as needed
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 頁，共 &N 頁")
    ws.freeze_panes(header_row + 1, 0)


def text_height(text: str, width: float, font_pt: float = 9) -> float:
    """Row height (points) a wrapped text needs in a column ``width`` characters wide.

    Excel does not grow rows with wrapped text written by a library, so svcq sets them.
    """
    lines = 0
    for line in text.splitlines() or [""]:
        units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        lines += max(1, math.ceil(units / max(width * 1.1 - 1, 1)))
    return min(409, max(20, lines * font_pt * 1.45 + 4))


def whole(x: float) -> float | int:
    """5.0 → 5, so limits read as users wrote them."""
    return int(x) if float(x).is_integer() else x


def excel_number(value: Any) -> float:
    """What Excel's SUM adds for a cell: numbers only (text such as 「4.5分」 counts 0)."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def band_formula(rubric: Rubric, total_cell: str, count_range: str) -> str:
    expr = '""'
    for band in reversed(rubric.bands):
        expr = f'IF({total_cell}>={band.min:g},"{band.label}",{expr})'
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
