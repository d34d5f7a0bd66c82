"""Scoring: cell values → checked leaf scores, totals per 構面, grade band, gap ranking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from toolkit.frames import frame
from toolkit.problems import Problem
from toolkit.score.layout import Cell
from toolkit.score.rubric import Leaf, Rubric
from toolkit.text import clean_text, is_blank, parse_number

if TYPE_CHECKING:
    import pandas as pd

_EPS = 1e-9


def tidy(value: float) -> float:
    """Round away float noise (4.5 + 0.1 …) for display and JSON."""
    return round(value + 0.0, 4)


def leaf_frame(leaves: Iterable[LeafScore]) -> pd.DataFrame:
    rows = [{"dimension": s.leaf.dimension, "path": " › ".join(s.leaf.path), "max": s.leaf.points,
             "score": s.score, "lost": s.lost} for s in leaves]
    return frame(rows, ["dimension", "path", "max", "score", "lost"])


def parse_score(cell: Cell, leaf: Leaf) -> tuple[float | None, Problem | None]:
    """A cell's value as points for ``leaf``: (points, None), (None, None) when blank, or a problem.

    Accepts numbers, full-width digits and a trailing 分 (「４.５」「4.5分」).
    """
    value = cell.value
    if is_blank(value):
        return None, None
    cap = f"0–{leaf.points:g}"
    if isinstance(value, dt.date | dt.time):
        return None, cell.problem("not-a-number", f"「{leaf.name}」的分數是日期，不是分數（請填 {cap} 的數字）")
    number = None if isinstance(value, bool) else parse_number(value, unit="分")
    if number is None:
        return None, cell.problem(
            "not-a-number", f"「{clean_text(value)}」不是分數（「{leaf.name}」請填 {cap} 的數字）")
    if number < 0:
        return None, cell.problem("negative", f"「{leaf.name}」的分數 {number:g} 不可為負數")
    if number > leaf.points + _EPS:
        return None, cell.problem(
            "over-cap", f"「{leaf.name}」的分數 {number:g} 超過配分 {leaf.points:g}")
    return number, None


@dataclass(frozen=True)
class LeafScore:
    leaf: Leaf
    score: float | None  # None: not scored (or unusable), counted as 0
    cell: Cell | None = None

    @property
    def points(self) -> float:
        return self.score or 0.0

    @property
    def lost(self) -> float:
        return self.leaf.points - self.points

    def to_dict(self) -> dict[str, Any]:
        return {"path": list(self.leaf.path), "max": self.leaf.points,
                "score": None if self.score is None else tidy(self.score), "lost": tidy(self.lost)}


@dataclass(frozen=True)
class DimensionScore:
    name: str
    max: float
    score: float

    @property
    def share(self) -> float:
        """Score as a share of the 構面's 配分 (0–1)."""
        return self.score / self.max if self.max else 0.0

    @property
    def lost(self) -> float:
        return self.max - self.score

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "max": self.max, "score": tidy(self.score),
                "share": round(self.share, 4), "lost": tidy(self.lost)}


@dataclass
class ScoreResult:
    """One scoring of a rubric: a self-score, an evaluator's score, or one phone call."""

    rubric: Rubric
    leaves: list[LeafScore]
    problems: list[Problem] = field(default_factory=list)
    label: str = ""
    unscored: list[Leaf] = field(default_factory=list)
    #: not errors, but worth telling: a score typed as text, which Excel's SUM skips
    notes: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(s.points for s in self.leaves)

    @property
    def max(self) -> float:
        return self.rubric.max

    @property
    def band(self) -> str | None:
        return self.rubric.band(self.total)

    def score_of(self, leaf: Leaf) -> LeafScore:
        return next(s for s in self.leaves if s.leaf == leaf)

    @property
    def dimensions(self) -> list[DimensionScore]:
        return [DimensionScore(d.name, d.points,
                               sum(s.points for s in self.leaves if s.leaf.dimension == d.name))
                for d in self.rubric.dimensions]

    @property
    def gaps(self) -> list[LeafScore]:
        """Leaves that lost points, most points lost first (ties in rubric order)."""
        order = {leaf: i for i, leaf in enumerate(self.rubric.leaves)}
        lost = [s for s in self.leaves if s.lost > _EPS]
        return sorted(lost, key=lambda s: (-s.lost, order[s.leaf]))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rubric": self.rubric.name}
        if self.label:
            data["label"] = self.label
        data |= {"total": tidy(self.total), "max": self.max}
        if self.rubric.bands:
            data["band"] = self.band
        data |= {
            "dimensions": [d.to_dict() for d in self.dimensions],
            "leaves": [s.to_dict() for s in self.leaves],
            "gaps": [s.to_dict() for s in self.gaps],
            "unscored": [list(leaf.path) for leaf in self.unscored],
            "problems": [p.to_dict() for p in self.problems],
            "notes": [p.to_dict() for p in self.notes],
        }
        return data

    def to_pandas(self) -> pd.DataFrame:
        """One row per scored leaf: its path, 配分, score and points lost."""
        return leaf_frame(self.leaves)


def score(rubric: Rubric, cells: Mapping[Leaf, Cell], *, blank_as_zero: bool = False,
          label: str = "", missing: Cell | None = None) -> ScoreResult:
    """Score every leaf of ``rubric`` from its cell; all problems are collected.

    A blank cell is a problem unless ``blank_as_zero``; a leaf with no row at all is always a
    problem (located at ``missing``: the sheet).
    """
    leaves: list[LeafScore] = []
    problems: list[Problem] = []
    notes: list[Problem] = []
    unscored: list[Leaf] = []
    for leaf in rubric.leaves:
        cell = cells.get(leaf)
        if cell is None:
            where = missing or Cell(None)
            problems.append(where.problem("missing-leaf", f"缺少「{leaf.label}」這一列"))
            leaves.append(LeafScore(leaf, None))
            unscored.append(leaf)
            continue
        value, problem = parse_score(cell, leaf)
        if problem:
            problems.append(problem)
        elif value is not None and isinstance(cell.value, str):
            notes.append(cell.problem("number-as-text", f"「{clean_text(cell.value)}」是文字，"
                                      f"Excel 的小計不會加總它；svcq 以 {value:g} 分計算，"
                                      "建議改填數字"))
        elif value is None:
            unscored.append(leaf)
            if not blank_as_zero:
                problems.append(cell.problem("unscored", f"「{leaf.name}」尚未評分（分數空白；"
                                             "若要以 0 分計算，請使用 --blank-as-zero）"))
        leaves.append(LeafScore(leaf, value, cell))
    return ScoreResult(rubric, leaves, problems, label, unscored, notes)


@dataclass
class CallsResult:
    """Several scorings on one sheet (電話禮貌測試: one column per call)."""

    rubric: Rubric
    calls: list[ScoreResult]
    problems: list[Problem] = field(default_factory=list)

    @property
    def max(self) -> float:
        return self.rubric.max

    @property
    def notes(self) -> list[Problem]:
        return [n for call in self.calls for n in call.notes]

    @property
    def average(self) -> float:
        return sum(c.total for c in self.calls) / len(self.calls) if self.calls else 0.0

    @property
    def band(self) -> str | None:
        return self.rubric.band(self.average)

    def average_result(self, label: str = "") -> ScoreResult:
        """Per-leaf means over the calls, as one scoring (for gaps and comparisons)."""
        n = len(self.calls) or 1
        leaves = [LeafScore(leaf, sum(c.score_of(leaf).points for c in self.calls) / n)
                  for leaf in self.rubric.leaves]
        return ScoreResult(self.rubric, leaves, list(self.problems), label or "平均")

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rubric": self.rubric.name, "max": self.max, "calls": []}
        for call in self.calls:
            one = call.to_dict()
            data["calls"].append({k: one[k] for k in ("label", "total", "band", "dimensions", "leaves")
                                  if k in one})
        data["average"] = tidy(self.average)
        if self.rubric.bands:
            data["band"] = self.band
        avg = self.average_result()
        data["dimensions"] = [d.to_dict() for d in avg.dimensions]
        data["gaps"] = [s.to_dict() for s in avg.gaps]
        data["problems"] = [p.to_dict() for p in self.problems]
        data["notes"] = [p.to_dict() for p in self.notes]
        return data

    def to_pandas(self) -> pd.DataFrame:
        """One row per leaf and call (``call`` names the call)."""
        frames = [leaf_frame(c.leaves).assign(call=c.label) for c in self.calls]
        import pandas as pd

        return pd.concat(frames, ignore_index=True) if frames else leaf_frame([])
