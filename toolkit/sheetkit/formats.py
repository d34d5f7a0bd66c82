"""The house look: one font family for every workbook svcq writes, and the shared formats.

新細明體 (PMingLiU) is the default font of Traditional-Chinese Excel, so svcq's sheets look
like the office's own; LibreOffice substitutes a CJK font where it is missing.
"""

from __future__ import annotations

from typing import Any

FONT = "新細明體"
SIZE = 11
TITLE_SIZE = 16

HEADER_FILL = "#D9E1F2"
INPUT_FILL = "#FFF9E5"
GOOD = {"bg_color": "#C6EFCE", "font_color": "#006100"}
BAD = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
WARN = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}


def props(**extra: Any) -> dict[str, Any]:
    """Format properties in the house font (``extra`` overrides)."""
    return {"font_name": FONT, "font_size": SIZE, "valign": "vcenter", **extra}


class HouseFormats:
    """The formats every family uses, added once per workbook; ``add`` makes more in the
    house font."""

    def __init__(self, wb: Any) -> None:
        self._wb = wb
        cell = {"border": 1}
        self.title = self.add(font_size=TITLE_SIZE, bold=True)
        self.note = self.add(font_size=10, font_color="#555555")
        self.header = self.add(**cell, bold=True, align="center", text_wrap=True,
                               bg_color=HEADER_FILL)
        self.text = self.add(**cell)
        self.wrap = self.add(**cell, text_wrap=True)
        self.center = self.add(**cell, align="center", text_wrap=True)
        self.int = self.add(**cell, num_format="#,##0")
        self.num = self.add(**cell, num_format="0.00")
        self.pct = self.add(**cell, num_format="0.0%")
        self.good = self.add(**cell, **GOOD)
        self.bad = self.add(**cell, **BAD, bold=True)

    def add(self, **extra: Any) -> Any:
        return self._wb.add_format(props(**extra))
