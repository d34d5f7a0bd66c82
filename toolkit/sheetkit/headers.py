"""Finding the header row of a table typed by hand: the title rows above it vary, so the
header is the first of the top rows whose cells name the columns a reader needs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

#: How far down a header row is looked for (titles, notes and captions come above it).
HEADER_SCAN_ROWS = 30


def label_columns(row: Sequence[Any], label: Callable[[Any], str | None]) -> dict[str, int]:
    """{label: first column} of one row; ``label`` maps a cell to a column name or None."""
    cols: dict[str, int] = {}
    for c, value in enumerate(row):
        name = label(value)
        if name:
            cols.setdefault(name, c)
    return cols


def find_header_row(rows: Sequence[Sequence[Any]], label: Callable[[Any], str | None],
                    accept: Callable[[dict[str, int]], bool], *,
                    scan: int = HEADER_SCAN_ROWS) -> tuple[int, dict[str, int]] | None:
    """(row index, {label: column}) of the first of the top ``scan`` rows whose labelled
    columns ``accept`` approves; None when none does."""
    for r, row in enumerate(rows[:scan]):
        cols = label_columns(row, label)
        if accept(cols):
            return r, cols
    return None
