"""How wide text is: terminal columns and Excel column units (CJK and full-width count two).

wcwidth gives each character's cell width as terminals draw it; Excel's column unit is the
width of one "0" in the default font, and a CJK character takes about two of them, so the same
count serves both.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any


def display_width(text: str) -> int:
    """Columns ``text`` takes on one line (control characters count 0)."""
    from wcwidth import wcwidth  # imported on first use: it costs a command's start-up 25 ms

    return sum(max(wcwidth(ch), 0) for ch in text)


def pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` columns (at least one space after it)."""
    return text + " " * max(width - display_width(text), 1)


def wrapped_lines(text: str, usable: float) -> int:
    """Lines ``text`` wraps to in a column fitting ``usable`` units per line (each typed line
    break starts a new one; an empty text still takes one line). Characters fill a line one
    by one: a CJK character (two units) that does not fit whole goes to the next line."""
    from wcwidth import wcwidth

    per_line = max(usable, 2)
    lines = 0
    for typed in str(text).splitlines() or [""]:
        lines += 1
        used = 0
        for ch in typed:
            w = max(wcwidth(ch), 0)
            if used + w > per_line:
                lines += 1
                used = 0
            used += w
    return lines


def line_height(font_pt: float = 11) -> float:
    """Points one line of text takes (Excel's default row is 15 pt for 11 pt text)."""
    return font_pt * 15 / 11


#: Excel's tallest row, in points.
MAX_ROW_HEIGHT = 409.0


def row_height(lines: int, font_pt: float = 11, *, padding: float = 4, minimum: float = 15) -> float:
    """Points a row needs for ``lines`` wrapped lines: Excel and LibreOffice do not grow a row
    for wrapped text written by a library, so every writer sets it (Excel's cap is 409)."""
    return min(MAX_ROW_HEIGHT, max(minimum, lines * line_height(font_pt) + padding))


#: Pixels one display column (wcwidth) takes in the house font at 11 pt: a CJK character of
#: 新細明體 is 15 px, where the column unit (Calibri's "0") is 7 px.
PIXELS_PER_COLUMN = 7.5
#: Pixels a cell keeps clear of its borders.
CELL_PADDING = 6


def column_pixels(width: float) -> int:
    """Excel's pixels for a column ``width`` units wide (Calibri 11: 7 px a unit, 5 px padding)."""
    return int(width * 12 + 0.5) if width < 1 else int(width * 7 + 0.5) + 5


def text_units(text: str, font_pt: float = 11) -> float:
    """Column units the longest typed line of ``text`` takes on one line."""
    lines = str(text).splitlines() or [""]
    pixels = max(display_width(line) for line in lines) * PIXELS_PER_COLUMN * font_pt / 11
    return (pixels + CELL_PADDING - 5) / 7


def fit_width(texts: Sequence[Any], *, minimum: float = 4, maximum: float = 50,
              font_pt: float = 11) -> float:
    """A column width that shows the longest of ``texts`` on one line, within the bounds
    (longer text wraps: give its cells a wrapping format and ``fit_height``)."""
    shown = [str(t) for t in texts if t not in (None, "")]
    width = math.ceil(min(maximum, max([minimum, *(text_units(t, font_pt) for t in shown)])) * 2) / 2
    while width < maximum and any(cell_lines(t, width, font_pt) > 1 for t in shown):
        width += 0.5  # words wrap whole: what fits by characters may still wrap
    return width


def cell_lines(text: Any, width: float, font_pt: float = 11) -> int:
    """Lines ``text`` wraps to in a wrapping cell ``width`` units wide, by Excel's metrics (the
    narrower of Excel and LibreOffice, so a row sized with it is tall enough in both)."""
    if text in (None, ""):
        return 1
    text = str(text)
    typed = text.splitlines() or [""]
    if all(display_width(line) <= _usable("", width, font_pt) for line in typed):
        return len(typed)
    return wrapped_lines(text, math.floor(_usable(text, width, font_pt)))


def _usable(text: str, width: float, font_pt: float) -> float:
    """Display columns a line of ``text`` may fill in a column ``width`` units wide."""
    usable = (column_pixels(width) - CELL_PADDING) / (PIXELS_PER_COLUMN * font_pt / 11)
    if any(ch == " " or (ch.isascii() and ch.isalpha()) for ch in text):
        usable *= 0.9  # words wrap whole, leaving a ragged edge
    return usable


def fit_height(cells: Iterable[tuple[Any, float]], font_pt: float = 11, *,
               minimum: float = 15) -> float:
    """Points a row needs to show every (text, column width) of its wrapping cells in full
    (a row of one line keeps Excel's height, ``minimum``)."""
    lines = max((cell_lines(text, width, font_pt) for text, width in cells), default=1)
    return row_height(lines, font_pt, minimum=minimum) if lines > 1 else max(minimum, line_height(font_pt))


def printable_pieces(text: str, width: float, font_pt: float = 11) -> list[str]:
    """``text`` in pieces that each print whole in a wrapping cell ``width`` units wide, in
    Excel's tallest row: a letter pasted into one cell would otherwise print cut at 409 pt.
    Marked as ``cell_pieces`` marks them (「…（續下列）」, 「（接上列）」); text that fits is
    one piece, unchanged."""
    from toolkit.sheetkit.cells import CONTINUATION, CONTINUED, cell_pieces

    if cell_lines(text, width, font_pt) * line_height(font_pt) + 4 <= MAX_ROW_HEIGHT:
        return cell_pieces(text)
    from wcwidth import wcwidth

    budget = int((MAX_ROW_HEIGHT - 4) // line_height(font_pt)) - 1  # a line spare for the marks
    per_line = math.floor(_usable(text, width, font_pt))
    pieces: list[str] = []
    start = 0
    lines, used = 1, 0
    for i, ch in enumerate(text):
        w = max(wcwidth(ch), 0)
        if ch == "\n":
            lines, used = lines + 1, 0
        elif used + w > per_line:
            lines, used = lines + 1, w
        else:
            used += w
        if lines > budget:
            pieces.append(("" if not pieces else CONTINUATION) + text[start:i] + CONTINUED)
            start = i
            lines, used = 1, display_width(CONTINUATION) + w
    pieces.append(("" if not pieces else CONTINUATION) + text[start:])
    return pieces
