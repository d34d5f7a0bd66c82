"""Problems as data: every complaint about an input is a value with a code and a location.

Validation collects all problems and returns them together (frictionless-style), so a
user fixes a whole sheet in one pass. Two exceptions end a command:

* ``SvcqError``      – the input is unusable (not a workbook, encrypted, too large…): exit 2.
* ``ProblemsFound``  – the data was read but has problems the user must fix: exit 1.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from toolkit.sheetkit.cells import quote_sheet

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_UNUSABLE", "Problem", "ProblemsFound", "SvcqError",
           "format_problems"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_UNUSABLE = 2

#: How many problems a report lists before it says "還有 N 項".
MAX_LISTED = 50


#: The test suite sets SVCQ_STRICT_CODES: then every code must be declared in
#: toolkit.catalogue. Users never run with it (an undeclared code is still reported).
STRICT_CODES = bool(os.environ.get("SVCQ_STRICT_CODES"))


def check_code(code: str) -> None:
    if STRICT_CODES:
        from toolkit.catalogue import CATALOGUE

        if code not in CATALOGUE:
            raise AssertionError(f"problem code {code!r} is not declared in toolkit/catalogue.py")


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None

    def __post_init__(self) -> None:
        check_code(self.code)

    @property
    def location(self) -> str:
        where = Path(self.file).name if self.file else ""
        if self.sheet and self.cell:
            ref = f"{quote_sheet(self.sheet)}!{self.cell}"
        else:
            ref = self.sheet or self.cell or ""
        return " ".join(p for p in (where, ref) if p)

    def __str__(self) -> str:
        return f"{self.location}：{self.message}" if self.location else self.message

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


class SvcqError(Exception):
    """The input cannot be used at all (exit 2)."""

    exit_code = EXIT_UNUSABLE

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        code: str = "unusable-input",
    ) -> None:
        self.problem = Problem(code, message, str(file) if file else None, sheet, cell)
        super().__init__(str(self.problem))


class ProblemsFound(Exception):
    """The data has problems the user must fix (exit 1); nothing was written."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem], limit: int = MAX_LISTED) -> str:
    lines = [f"發現 {len(problems)} 項問題，未寫出任何檔案："]
    lines += [f"  - {p}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"  …還有 {len(problems) - limit} 項")
    return "\n".join(lines)
