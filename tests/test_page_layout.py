"""The A4 arithmetic of toolkit.sheetkit (page breaks, orientation, column widths, wrapped
lines), checked on numbers where the answer is known; tests/test_print.py checks the same
on paper through LibreOffice."""

from __future__ import annotations

import pytest

from toolkit.sheetkit.cells import CONTINUATION, CONTINUED
from toolkit.sheetkit.page import (
    DEFAULT_ROW,
    block_breaks,
    chart_block,
    chart_span,
    fit_scale,
    landscape_for,
    printable,
    table_pixels,
)
from toolkit.sheetkit.width import (
    MAX_ROW_HEIGHT,
    cell_lines,
    column_pixels,
    fit_height,
    fit_width,
    line_height,
    printable_pieces,
)


def rows_per_page(landscape: bool, scale: float = 1.0) -> int:
    """Default rows one page holds inside the break slack."""
    return int(printable(landscape)[1] * 0.95 / scale // DEFAULT_ROW)


def test_every_page_ends_before_a_block_it_would_cut() -> None:
    assert rows_per_page(True) == 32  # rows of 15 pt on landscape A4 at 100 %
    # tables of 9 rows with a blank row between: three fit a page, the fourth starts page 2
    blocks = [(r, r + 8) for r in range(0, 100, 10)]
    assert block_breaks(blocks, {}, 1.0, True) == [30, 60, 90]
    # a block taller than a page breaks where the page is full; the next block fits after it
    assert block_breaks([(0, 44), (46, 50)], {}, 1.0, True) == [32]
    # tall rows count: after two rows of 220 pt, two of 30 pt no longer fit
    assert block_breaks([(0, 0), (1, 1), (2, 3)], {0: 220.0, 1: 220.0, 2: 30.0, 3: 30.0}, 1.0, True) == [2]


def test_nested_blocks_keep_the_item_then_each_task() -> None:
    # an item of three two-row tasks (rows 28–33) would cross the page's end after row 31
    item = [(28, 33), (28, 29), (30, 31), (32, 33)]
    assert block_breaks(item, {}, 1.0, True) == [28]
    # an item longer than a page still keeps each task's two rows together (24 rows of 20 pt)
    tasks = [(r, r + 1) for r in range(0, 40, 2)]
    assert block_breaks([(0, 39), *tasks], {r: 20.0 for r in range(40)}, 1.0, True) == [24]
    # here the page is full after row 22, between a task's 預定 and 實際 rows: the task
    # starts the next page instead
    odd = {r: 20.0 for r in range(40)} | {0: 30.0}
    assert block_breaks([(0, 39)], odd, 1.0, True) == [23]
    assert block_breaks([(0, 39), *tasks], odd, 1.0, True) == [22]


def test_repeated_rows_and_scale_give_each_page_less_and_more_room() -> None:
    blocks = [(r, r + 9) for r in range(0, 100, 10)]
    assert block_breaks(blocks, {}, 1.0, True) == [30, 60, 90]
    with_titles = block_breaks(blocks, {}, 1.0, True, repeated=3 * DEFAULT_ROW)
    assert with_titles == [30, 50, 70, 90]  # after the first page, 29 rows once the titles take three
    assert block_breaks(blocks, {}, 0.5, True) == [60]  # printed at half size: twice the rows
    # every full page ends with a written break, even where Excel would end it by itself in a
    # blank row: LibreOffice, printing at another scale, ends its pages there too
    spaced = [(r, r + 8) for r in range(0, 100, 10)]
    assert block_breaks(spaced, {}, 1.0, True) == [30, 60, 90]
    assert block_breaks([(0, 30), (33, 35)], {}, 1.0, True) == [32]  # the blank row 32 starts page 2


def test_orientation_follows_the_shape_and_the_scale_is_excels() -> None:
    assert not landscape_for([7, 6, 30, 44, 14])  # 月別工作項目: portrait at 98 %
    assert landscape_for([5, 16, 11, 28, 6, *[4.2] * 12, 7, 26, 12])  # the control sheet
    assert fit_scale([10] * 5, True) == 1.0  # never enlarged
    wide = [20] * 10
    assert fit_scale(wide, True) == pytest.approx(printable(True)[0] / (table_pixels(wide) * 0.75))


def test_charts_span_the_table_and_cover_whole_rows() -> None:
    width, span = chart_span([10, 10])
    assert width == table_pixels([10, 10]) - 2 and span == (10, 10)
    width, span = chart_span([6, 10], 480)
    assert width == 478 and table_pixels(span) >= 480 and span[:2] == (6, 10)
    assert chart_block(12, 400) == (12, 31)  # 400 px: twenty rows of 20 px


def test_widths_and_wrapped_lines_by_excels_metrics() -> None:
    assert column_pixels(10) == 75 and column_pixels(0.5) == 6
    assert cell_lines("十一月", 7) == 1  # 3 characters in 48 px
    assert cell_lines("依出生通報通知申請人及辦理相關請領流程檢核", 44) == 2  # 21 × 15 px > 307 px
    assert cell_lines("甲\n乙", 20) == 2 and cell_lines("", 5) == 1
    assert fit_width(["彙整時間", "115/11/29 13:49"], minimum=4, maximum=50) == 16.5
    assert fit_width(["很長" * 60], maximum=30) == 30
    # 69 px hold 4 characters of 15 px a line: 30 of them take 8 lines of 15 pt
    assert fit_height([("短", 10), ("一" * 30, 10)]) == pytest.approx(8 * 15 + 4)


@pytest.mark.parametrize("text", ["民眾意見，" * 400, "word " * 2000, "\n".join(["一句"] * 60), "短"])
def test_a_long_text_goes_on_in_pieces_that_each_print_whole(text: str) -> None:
    pieces = printable_pieces(text, 60)
    assert all(cell_lines(p, 60) * line_height() + 4 <= MAX_ROW_HEIGHT for p in pieces)
    assert "".join(p.removeprefix(CONTINUATION).removesuffix(CONTINUED) for p in pieces) == text
    assert (len(pieces) == 1) == (text == "短") and pieces[-1].endswith(text[-1])
