"""Cell values that are not plain Python values.

A spreadsheet cell may show an error (#DIV/0!, #N/A, #VALUE!…) — a formula that failed, or
a value typed as one. The readers underneath svcq read those as blank, which would count a
broken cell as an unanswered question; svcq's reader gives a ``CellError`` instead, so
domain code can name the cell as a problem.
"""

from __future__ import annotations

from typing import Any

#: The error values Excel and LibreOffice show.
ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!",
                          "#CONNECT!", "#BUSY!", "#PYTHON!", "Err:502", "Err:504", "Err:508",
                          "Err:511", "Err:522", "Err:523"})


class CellError(str):
    """An error shown in a cell, such as ``#DIV/0!``: a str (prints and compares as its
    text), but not a blank and not an answer — check with ``is_error``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"CellError({str.__repr__(self)})"


def is_error(value: Any) -> bool:
    return isinstance(value, CellError)
