"""What a domain reader needs of a sheet: its values and where each one sits.

``toolkit.io.read.Table`` (calamine's read of a file) provides it; tests may build one from
plain lists. Rows are lists of plain values (str, int, float, bool, date/datetime; '' or None
when empty); ``ref`` names rows[r][c] back as A1 so every problem can point at its cell.
"""

from __future__ import annotations

from typing import Any, Protocol

from toolkit.problems import Problem


class TableLike(Protocol):
    file: str
    sheet: str | None
    rows: list[list[Any]]

    def ref(self, row: int, col: int) -> str: ...

    def problem(self, row: int, col: int, code: str, message: str) -> Problem: ...
