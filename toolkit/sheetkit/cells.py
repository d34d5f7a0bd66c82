"""A1 references: 0-based (row, col) ↔ ``B12``, and sheet names quoted as Excel writes them."""

from __future__ import annotations

import re

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")


def column_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str | bytes) -> int:
    """Excel letters → 0-based column index (A → 0, AA → 26)."""
    text = letters.decode() if isinstance(letters, bytes) else letters
    n = 0
    for ch in text.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) → A1 reference."""
    return f"{column_letter(col)}{row + 1}"


def parse_ref(ref: str) -> tuple[int, int]:
    """``B12`` (or ``$B$12``) → 0-based (row, col); ValueError for anything else."""
    m = _A1.match(ref.strip())
    if not m or int(m.group(2)) < 1:
        raise ValueError(f"「{ref}」不是儲存格位置（例：B12）")
    return int(m.group(2)) - 1, column_index(m.group(1))


def quote_sheet(sheet: str) -> str:
    """Quote a sheet name the way Excel does when it contains spaces or punctuation."""
    if sheet.replace("_", "").isalnum():
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def qualified(sheet: str | None, ref: str) -> str:
    """``工作表!B12`` (quoted when needed), or the bare ref without a sheet."""
    return f"{quote_sheet(sheet)}!{ref}" if sheet else ref


def column_range(first_row: int, last_row: int, col: int) -> str:
    """0-based rows of one column → ``E5:E9``."""
    return f"{cell_ref(first_row, col)}:{cell_ref(last_row, col)}"


#: Excel's longest string literal inside a formula.
FORMULA_STRING_MAX = 255


def formula_string(text: str) -> str:
    """``text`` as an Excel formula string literal: ``"`` doubled (so 「優"&(1+1)&"等」 stays
    text and never becomes part of the formula), pieces of at most 255 characters joined by
    ``&``, and control characters as ``CHAR(n)`` — text, never formula."""
    parts: list[str] = []
    chunk = ""
    for ch in text:
        if ord(ch) < 32:
            if chunk:
                parts.append(f'"{chunk}"')
                chunk = ""
            parts.append(f"CHAR({ord(ch)})")
            continue
        if len(chunk) == FORMULA_STRING_MAX:
            parts.append(f'"{chunk}"')
            chunk = ""
        chunk += '""' if ch == '"' else ch
        if len(chunk) > FORMULA_STRING_MAX:  # a doubled quote crossed the limit: split before it
            parts.append(f'"{chunk[:-2]}"')
            chunk = '""'
    if chunk or not parts:
        parts.append(f'"{chunk}"')
    return "&".join(parts)


#: Excel's most characters in one cell.
CELL_TEXT_MAX = 32_767
CONTINUED = "…（續下列）"
CONTINUATION = "（接上列）"


def cell_pieces(text: str, limit: int = CELL_TEXT_MAX) -> list[str]:
    """``text`` in pieces that each fit one cell, marked so a reader sees it goes on: the
    first ends with 「…（續下列）」, the next begin with 「（接上列）」. Text that fits is one
    piece, unchanged. Excel (and xlsxwriter) would otherwise cut it at 32,767 silently."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text
    while rest:
        head = CONTINUATION if pieces else ""
        room = limit - len(head)
        if len(rest) <= room:
            pieces.append(head + rest)
            break
        room -= len(CONTINUED)
        pieces.append(head + rest[:room] + CONTINUED)
        rest = rest[room:]
    return pieces
