"""A4 print setup for every sheet svcq writes: xlsxwriter worksheets (``a4``) and the sheets
the lossless patch writer adds to someone's workbook (``NewSheet``, rendered by
``toolkit.io.patch``), so both print alike.

An office prints everything on A4: the orientation follows the table's shape, the table is
fitted to the page width, its header rows print on top of every page, and what must not be
cut — one of several small tables (交叉分析), a task's 預定 and 實際 rows, a chart — starts
a new page rather than run across one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.sheetkit.width import column_pixels, fit_height

A4 = 9  # Excel's paper code
A4_POINTS = (595.28, 841.89)  # portrait width, height
#: Margins in inches (left/right, top/bottom); the footer sits in the bottom margin.
SIDE_MARGIN = 0.4
END_MARGIN = 0.6
HEADER_MARGIN = 0.3
FOOTER = "&C第 &P 頁，共 &N 頁"
#: Excel's row height for 11 pt text when none is set.
DEFAULT_ROW = 15.0
#: Portrait is chosen while the table fits portrait paper at this scale or more.
PORTRAIT_SCALE = 0.9
#: Share of the page a computed page break may fill: row heights are exact, the rest is not.
BREAK_SLACK = 0.95


def printable(landscape: bool) -> tuple[float, float]:
    """(width, height) in points inside the margins of an A4 page."""
    short, long = A4_POINTS
    width, height = (long, short) if landscape else (short, long)
    return width - 2 * SIDE_MARGIN * 72, height - 2 * END_MARGIN * 72


def table_pixels(widths: Sequence[float]) -> int:
    """Excel's pixels for columns of these widths side by side (a chart as wide as the table)."""
    return sum(column_pixels(w) for w in widths)


def table_points(widths: Sequence[float]) -> float:
    """Points the columns take on paper at 100 %, as Excel draws them."""
    return table_pixels(widths) * 0.75


def landscape_for(widths: Sequence[float]) -> bool:
    """Landscape unless the table fits portrait paper at PORTRAIT_SCALE or more."""
    return table_points(widths) * PORTRAIT_SCALE > printable(False)[0]


def fit_scale(widths: Sequence[float], landscape: bool) -> float:
    """The scale fitting the table to the page width, at most 1. Excel's: the largest any
    program prints it at (LibreOffice without Calibri measures columns in DejaVu Sans, a
    third wider, and shrinks the page more), so page breaks placed for it hold everywhere."""
    points = table_points(widths)
    return min(1.0, printable(landscape)[0] / points) if points else 1.0


def block_breaks(blocks: Sequence[tuple[int, int]], heights: Mapping[int, float], scale: float,
                 landscape: bool, *, repeated: float = 0.0) -> list[int]:
    """First rows of new pages so that no block (first, last row, 0-based) is cut while it
    fits one page: a block that would run past the page's end starts the next page. Blocks
    may nest (an item and its tasks): the largest one starting at a row that fits a page is
    kept whole. Where rows run out of room the page ends too, and that break is written as
    well: a program printing at a smaller scale (more rows a page) then still ends each page
    where Excel does, never inside a block. ``repeated`` is the height of the rows printed
    on top of every page."""
    room = printable(landscape)[1] * BREAK_SLACK / scale

    def tall(first: int, last: int) -> float:
        return sum(heights.get(r, DEFAULT_ROW) for r in range(first, last + 1))

    starts: dict[int, list[int]] = {}
    for first, last in blocks:
        starts.setdefault(first, []).append(last)
    breaks: list[int] = []
    used = top = 0.0  # the first page prints the repeated rows where they are
    for row in range(max((last for _, last in blocks), default=-1) + 1):
        fitting = [last for last in starts.get(row, []) if repeated + tall(row, last) <= room]
        if fitting and used > top and used + tall(row, max(fitting)) > room:
            breaks.append(row)
            used = top = repeated
        height = heights.get(row, DEFAULT_ROW)
        if used + height > room and used > top:  # the page is full
            breaks.append(row)
            used = top = repeated
        used += height
    return breaks


#: Excel's width of a column nobody set (Calibri 11).
DEFAULT_WIDTH = 8.43


def chart_span(widths: Sequence[float], minimum_px: int = 0) -> tuple[int, tuple[float, ...]]:
    """(width in pixels, print columns) of a chart placed in column A below a table with
    columns ``widths``: as wide as the table, or ``minimum_px``. It ends a pixel inside its
    last column (ending on a column's edge would draw the next one into the print), and the
    print columns — the table's, plus the unset ones a wider chart covers — are what the page
    width must hold (``a4(widths=…)``)."""
    span = list(widths)
    while table_pixels(span) < minimum_px:
        span.append(DEFAULT_WIDTH)
    return max(table_pixels(widths), minimum_px) - 2, tuple(span)


def chart_block(first_row: int, height_px: float) -> tuple[int, int]:
    """The rows (first, last) a chart ``height_px`` tall placed at ``first_row`` covers (rows
    of the default height): a block ``a4`` keeps whole on one page."""
    return first_row, first_row + math.ceil(height_px / (DEFAULT_ROW * 4 / 3)) - 1


def columns(ws: Any, widths: Sequence[float]) -> tuple[float, ...]:
    """Set the worksheet's column widths (from column A); return them for ``a4``."""
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    return tuple(widths)


def a4(ws: Any, *, landscape: bool | None = True, widths: Sequence[float] = (),
       repeat_rows: tuple[int, int] | int | None = None, freeze: tuple[int, int] | None = None,
       blocks: Sequence[tuple[int, int]] = (), heights: Mapping[int, float] | None = None) -> None:
    """A4, one page wide and as many tall as needed, centred, 「第 N 頁，共 M 頁」 footer.

    ``landscape=None`` chooses by the shape of ``widths`` (the table's column widths).
    ``repeat_rows`` (first, last) or a single row prints on top of every page;
    ``freeze`` (row, col) freezes the panes above and left of that cell. ``blocks``
    (first, last row) are kept whole on a page where they fit one — small tables, a task's
    two rows, a chart (``chart_block``): a page break goes before a block that would be cut
    (fit to width with an open height keeps manual breaks); ``heights`` gives the rows'
    heights where they are not DEFAULT_ROW.
    """
    if landscape is None:
        landscape = landscape_for(widths)
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    first, last = (repeat_rows, repeat_rows) if isinstance(repeat_rows, int) else repeat_rows or (0, -1)
    ws.fit_to_pages(1, 0)
    if blocks:
        repeated = sum((heights or {}).get(r, DEFAULT_ROW) for r in range(first, last + 1))
        ws.set_h_pagebreaks(block_breaks(blocks, heights or {}, fit_scale(widths, landscape), landscape,
                                         repeated=repeated))
    ws.set_margins(left=SIDE_MARGIN, right=SIDE_MARGIN, top=END_MARGIN, bottom=END_MARGIN)
    ws.center_horizontally()
    ws.set_footer(FOOTER)
    if repeat_rows is not None:
        ws.repeat_rows(first, last)
    if freeze is not None:
        ws.freeze_panes(*freeze)


@dataclass(frozen=True)
class NewSheet:
    """The layout of a sheet svcq adds to someone's workbook through the lossless patch
    writer (``patch_cells(add_sheets={name: NewSheet(...)})``): A4 as ``a4`` sets it, the
    first ``header_rows`` printed on every page and frozen, column widths, and each column's
    cells wrapping their text (top-aligned) with an optional number format (e.g. "0%")."""

    widths: tuple[float, ...]
    header_rows: int = 1
    landscape: bool | None = None  # None: by the table's shape
    number_formats: Mapping[int, str] = field(default_factory=dict)  # 0-based column → code

    @property
    def is_landscape(self) -> bool:
        return landscape_for(self.widths) if self.landscape is None else self.landscape


def spanning_note(ws: Any, row: int, text: str, cell_format: Any, widths: Sequence[float], *,
                  font_pt: float = 11) -> float:
    """``text`` across the table's columns (``widths`` from column A), wrapped, in a row tall
    enough (its height returned): a note above or below a table prints whole instead of
    running off the page. ``cell_format`` must wrap text."""
    if len(widths) > 1:
        ws.merge_range(row, 0, row, len(widths) - 1, "", cell_format)
    ws.write_string(row, 0, text, cell_format)
    height = fit_height([(text, sum(widths))], font_pt)
    ws.set_row(row, height)
    return height
