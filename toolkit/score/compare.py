"""Two scorings of one rubric side by side: two years, or self-score against the evaluator's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.frames import frame
from toolkit.problems import SvcqError
from toolkit.score.rubric import Rubric
from toolkit.score.scoring import ScoreResult, tidy

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Row:
    path: tuple[str, ...]
    max: float
    a: float
    b: float

    @property
    def diff(self) -> float:
        return self.b - self.a

    def to_dict(self, key: str = "path") -> dict[str, Any]:
        return {key: list(self.path) if key == "path" else self.path[0], "max": self.max,
                "scores": [tidy(self.a), tidy(self.b)], "diff": tidy(self.diff)}


@dataclass
class Comparison:
    rubric: Rubric
    labels: tuple[str, str]
    total: Row
    dimensions: list[Row]
    leaves: list[Row]

    @property
    def changed(self) -> list[Row]:
        """Leaves whose score changed, biggest drop first, then biggest gain."""
        return sorted((r for r in self.leaves if abs(r.diff) > 1e-9), key=lambda r: r.diff)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric.name,
            "labels": list(self.labels),
            "max": self.rubric.max,
            "total": {"scores": [tidy(self.total.a), tidy(self.total.b)], "diff": tidy(self.total.diff)},
            "dimensions": [d.to_dict("name") for d in self.dimensions],
            "leaves": [row.to_dict() for row in self.leaves],
        }

    def to_pandas(self) -> pd.DataFrame:
        """One row per leaf: both scores (columns named by the labels) and the change."""
        a, b = self.labels
        return frame(({"path": " › ".join(r.path), "max": r.max, a: r.a, b: r.b, "diff": r.diff}
                      for r in self.leaves), ["path", "max", a, b, "diff"])


def compare(a: ScoreResult, b: ScoreResult, labels: tuple[str, str] | None = None) -> Comparison:
    """Differences b − a per leaf, per 構面 and in total; both must use the same rubric."""
    if a.rubric.name != b.rubric.name or a.rubric.leaves != b.rubric.leaves:
        raise SvcqError(f"兩份評分使用不同的評分基準（{a.rubric.name}、{b.rubric.name}），無法比較",
                        code="rubric-mismatch")
    labels = labels or (a.label or "A", b.label or "B")
    leaves = [Row(s.leaf.path, s.leaf.points, s.points, b.score_of(s.leaf).points) for s in a.leaves]
    dims = [Row((da.name,), da.max, da.score, db.score)
            for da, db in zip(a.dimensions, b.dimensions, strict=True)]
    total = Row(("總分",), a.max, a.total, b.total)
    return Comparison(a.rubric, labels, total, dims, leaves)
