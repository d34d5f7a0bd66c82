"""Merging parts of a self-score: each 課室 fills the leaves it owns in its own copy.

A leaf scored in two files with different values is a conflict. By default conflicts are
problems (nothing written); ``prefer="first"``/``"last"`` settles them by file order and
reports them as notes. 佐證資料 from every file are kept, one per line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from toolkit.frames import frame
from toolkit.problems import Problem
from toolkit.score.layout import Cell, SheetScores
from toolkit.score.rubric import Leaf, Rubric
from toolkit.score.scoring import parse_score
from toolkit.text import clean_text, is_blank

if TYPE_CHECKING:
    import pandas as pd

Prefer = Literal["error", "first", "last"]


@dataclass
class MergeResult:
    #: (score column label, leaf) → merged points
    values: dict[tuple[str, Leaf], float] = field(default_factory=dict)
    evidence: dict[Leaf, str] = field(default_factory=dict)
    #: (label, leaf) → the file the value came from
    sources: dict[tuple[str, Leaf], str] = field(default_factory=dict)
    conflicts: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unscored: list[Leaf] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"values": [{"column": column, "path": list(leaf.path), "score": value,
                            "file": self.sources.get((column, leaf), "")}
                           for (column, leaf), value in self.values.items()],
                "evidence": {leaf.label: text for leaf, text in self.evidence.items()},
                "conflicts": [p.to_dict() for p in self.conflicts],
                "unscored": [list(leaf.path) for leaf in self.unscored]}

    def to_pandas(self) -> pd.DataFrame:
        """One row per merged score: the column, the leaf, the value and the file it came from."""
        return frame(({**v, "path": " › ".join(v["path"])} for v in self.to_dict()["values"]),
                     ["column", "path", "score", "file"])


def _column(sheet: SheetScores, label: str, single: bool) -> dict[Leaf, Cell]:
    if label in sheet.columns:
        return sheet.columns[label]
    # One score column each side: 「自評分數」 and 「自評」 are the same column.
    return next(iter(sheet.columns.values())) if single and len(sheet.columns) == 1 else {}


def merge(rubric: Rubric, base: SheetScores, parts: Sequence[SheetScores], *,
          prefer: Prefer = "error") -> MergeResult:
    out = MergeResult()
    sheets = [base, *parts]
    for sheet in sheets:
        out.problems += sheet.problems
    single = len(base.columns) == 1
    for label in base.columns:
        for leaf in rubric.leaves:
            found: list[tuple[float, Cell]] = []
            for sheet in sheets:
                cell = _column(sheet, label, single).get(leaf)
                if cell is None:
                    continue
                value, problem = parse_score(cell, leaf)
                if problem:
                    out.problems.append(problem)
                elif value is not None:
                    found.append((value, cell))
            if not found:
                if leaf in base.leaf_rows:
                    out.unscored.append(leaf)
                continue
            if leaf not in base.leaf_rows:
                out.problems.append(Problem(
                    "missing-leaf", f"第一個檔案（彙整的基底）沒有「{leaf.label}」這一列，無法寫入其分數",
                    base.file, base.sheet))
                continue
            distinct = {v for v, _ in found}
            chosen = found[-1] if prefer == "last" else found[0]
            if len(distinct) > 1:
                listed = "、".join(f"{_where(c)} = {v:g}" for v, c in found)
                code = "conflict" if prefer == "error" else "conflict-settled"
                note = "" if prefer == "error" else f"，採用 {chosen[0]:g}"
                out.conflicts.append(chosen[1].problem(
                    code, f"「{leaf.name}」各檔分數不一致：{listed}{note}"))
            out.values[(label, leaf)] = chosen[0]
            out.sources[(label, leaf)] = chosen[1].file or ""
    for leaf in rubric.leaves:
        texts: list[str] = []
        for sheet in sheets:
            cell = sheet.evidence.get(leaf)
            text = "" if cell is None or is_blank(cell.value) else str(cell.value).strip()
            if text and clean_text(text) not in {clean_text(t) for t in texts}:
                texts.append(text)
        if texts:
            out.evidence[leaf] = "\n".join(texts)
    if prefer == "error":
        out.problems += out.conflicts
    return out


def _where(cell: Cell) -> str:
    name = Path(cell.file).name if cell.file else ""
    return f"{name} {cell.sheet}!{cell.ref}" if cell.sheet else f"{name} {cell.ref}"
