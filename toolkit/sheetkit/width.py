"""How wide text is: terminal columns and Excel column units (CJK and full-width count two).

wcwidth gives each character's cell width as terminals draw it; Excel's column unit is the
width of one "0" in the default font, and a CJK character takes about two of them, so the same
count serves both.
"""

from __future__ import annotations

import math


def display_width(text: str) -> int:
    """Columns ``text`` takes on one line (control characters count 0)."""
    from wcwidth import wcwidth  # imported on first use: it costs a command's start-up 25 ms

    return sum(max(wcwidth(ch), 0) for ch in text)


def pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` columns (at least one space after it)."""
    return text + " " * max(width - display_width(text), 1)


def wrapped_lines(text: str, usable: float) -> int:
    """Lines ``text`` wraps to in a column fitting ``usable`` units per line (each typed line
    break starts a new one; an empty text still takes one line)."""
    per_line = max(usable, 1)
    return sum(max(1, math.ceil(display_width(line) / per_line)) for line in str(text).splitlines() or [""])


def line_height(font_pt: float = 11) -> float:
    """Points one line of text takes (Excel's default row is 15 pt for 11 pt text)."""
    return font_pt * 15 / 11


def row_height(lines: int, font_pt: float = 11, *, padding: float = 4, minimum: float = 15) -> float:
    """Points a row needs for ``lines`` wrapped lines: Excel and LibreOffice do not grow a row
    for wrapped text written by a library, so every writer sets it (Excel's cap is 409)."""
    return min(409.0, max(minimum, lines * line_height(font_pt) + padding))
