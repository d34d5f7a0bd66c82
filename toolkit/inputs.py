"""Report inputs as users write them: ``path`` or ``label=path`` (``113=回覆.xlsx``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from toolkit.problems import SvcqError


def split_label(item: str | Path) -> tuple[str | None, Path]:
    """``113=a.xlsx`` → ("113", a.xlsx); a path that merely contains ``=`` stays a path."""
    text = str(item)
    label, sep, rest = text.partition("=")
    if sep and label and rest and not Path(text).exists() and not re.search(r"[/\\]", label):
        return label.strip(), Path(rest)
    return None, Path(text)


def year_of(label: str | None, path: Path) -> int | None:
    """The ROC year of an input: its label, else a 2–3 digit number in the file name."""
    if label and label.isdigit():
        return int(label)
    m = re.search(r"(?<!\d)(\d{2,3})(?!\d)", path.stem)
    return int(m.group(1)) if m else None


def years_of(inputs: Sequence[str | Path]) -> dict[int, Path]:
    """{year: path} for trend/compare inputs; every input must name its year, once."""
    out: dict[int, Path] = {}
    for item in inputs:
        label, path = split_label(item)
        year = year_of(label, path)
        if year is None:
            raise SvcqError("無法判斷此檔案的年度，請寫成 年度=檔案（例如 113=回覆.xlsx）",
                            file=path, code="report-year")
        if year in out:
            raise SvcqError(f"{year} 年度出現兩個檔案：{out[year].name}、{path.name}",
                            file=path, code="report-year")
        out[year] = path
    return out
