"""Year-on-year satisfaction: rates per year per question and a two-proportion z-test between
consecutive years, the way plans write 「滿意度趨勢分析」."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from toolkit.frames import frame
from toolkit.survey.stats import two_proportion_z
from toolkit.survey.tally import Tally
from toolkit.text import squash

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class YearRate:
    year: int
    satisfied: int
    base: int
    rate: float | None
    mean: float | None


@dataclass(frozen=True)
class Change:
    year_from: int
    year_to: int
    difference: float  # rate(to) − rate(from)
    z: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05

    @property
    def mark(self) -> str:
        """▲/▼ for a significant rise/fall, ─ otherwise (as printed in reports)."""
        if not self.significant:
            return "─"
        return "▲" if self.difference > 0 else "▼"

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.year_from, "to": self.year_to, "difference": self.difference, "z": self.z,
                "p_value": self.p_value, "significant": self.significant, "mark": self.mark}


@dataclass
class QuestionTrend:
    question: str
    years: list[YearRate]  # only years that asked the question
    changes: list[Change] = field(default_factory=list)
    min_standard: float | None = None

    def rate(self, year: int) -> float | None:
        return next((y.rate for y in self.years if y.year == year), None)

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question,
                "rates": {str(y.year): y.rate for y in self.years},
                "n": {str(y.year): y.base for y in self.years},
                "means": {str(y.year): y.mean for y in self.years},
                "changes": [c.to_dict() for c in self.changes],
                "min_standard": self.min_standard}


@dataclass
class Trend:
    years: list[int]
    questions: list[QuestionTrend]
    n_respondents: dict[int, int]

    def question(self, name: str) -> QuestionTrend:
        return next(q for q in self.questions if squash(q.question) == squash(name))

    def to_dict(self) -> dict[str, Any]:
        return {"years": self.years, "n_respondents": {str(k): v for k, v in self.n_respondents.items()},
                "questions": [q.to_dict() for q in self.questions]}

    def to_pandas(self) -> pd.DataFrame:
        """One row per question and year: rate, base, mean."""
        return frame({"question": q.question, "year": y.year, "satisfaction_rate": y.rate,
                      "n": y.base, "mean": y.mean} for q in self.questions for y in q.years)


def trend(tallies: dict[int, Tally]) -> Trend:
    """Compare tallies by year (ROC). Questions are matched by column name (spaces and
    full-width forms ignored) and listed in order of first appearance."""
    years = sorted(tallies)
    order: dict[str, str] = {}
    for y in years:
        for q in tallies[y].questions:
            order.setdefault(squash(q.question), q.question)
    out: list[QuestionTrend] = []
    for key, name in order.items():
        rates: list[YearRate] = []
        standard = None
        for y in years:
            found = next((q for q in tallies[y].questions if squash(q.question) == key), None)
            if found is not None:
                q = found
                rates.append(YearRate(y, q.satisfied, q.base, q.satisfaction_rate, q.mean))
                standard = q.min_standard if q.min_standard is not None else standard
        changes = []
        for a, b in itertools.pairwise(rates):
            test = two_proportion_z(a.satisfied, a.base, b.satisfied, b.base)
            if test is not None and a.rate is not None and b.rate is not None:
                changes.append(Change(a.year, b.year, b.rate - a.rate, test.z, test.p_value))
        out.append(QuestionTrend(name, rates, changes, standard))
    return Trend(years, out, {y: tallies[y].n_respondents for y in years})
