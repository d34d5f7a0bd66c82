"""A4 print setup for every sheet svcq writes (xlsxwriter worksheets)."""

from __future__ import annotations

from typing import Any

A4 = 9  # Excel's paper code


def a4(ws: Any, *, landscape: bool = True, repeat_rows: tuple[int, int] | int | None = None,
       freeze: tuple[int, int] | None = None) -> None:
    """A4, one page wide and as many tall as needed, centred, 「第 N 頁，共 M 頁」 footer.

    ``repeat_rows`` (first, last) or a single row prints on top of every page;
    ``freeze`` (row, col) freezes the panes above and left of that cell.
    """
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 頁，共 &N 頁")
    if repeat_rows is not None:
        first, last = (repeat_rows, repeat_rows) if isinstance(repeat_rows, int) else repeat_rows
        ws.repeat_rows(first, last)
    if freeze is not None:
        ws.freeze_panes(*freeze)
