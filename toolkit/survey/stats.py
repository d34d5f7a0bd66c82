"""The statistics survey reports quote: Wilson interval, margin of error, z and chi-square tests."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

#: The z of a 95 % interval as survey reports write it (1.96, not 1.959964…).
Z95 = 1.96
ALPHA = 0.05


def wilson(successes: int, n: int) -> tuple[float, float] | None:
    """Wilson 95 % score interval of a proportion (scipy's, z = Φ⁻¹(0.975)); None when n = 0."""
    if n <= 0:
        return None
    ci = stats.binomtest(int(successes), int(n)).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


def margin_of_error(n: int, population: int | None = None) -> float | None:
    """Worst-case (p = 0.5) 95 % margin of error 1.96·√(0.25/n), times the finite-population
    correction √((N − n)/(N − 1)) when the population N is known."""
    if n <= 0:
        return None
    moe = Z95 * math.sqrt(0.25 / n)
    if population is not None:
        if population < n:
            raise ValueError(f"母體人數 {population} 小於受訪人數 {n}")
        moe *= math.sqrt((population - n) / (population - 1)) if population > 1 else 0.0
    return moe


@dataclass(frozen=True)
class ZTest:
    z: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA


def two_proportion_z(k1: int, n1: int, k2: int, n2: int) -> ZTest | None:
    """Pooled two-proportion z-test of p2 − p1 (two-sided); None if either n is 0."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:  # both 0 % or both 100 %: no difference to test
        return ZTest(0.0, 1.0)
    z = (k2 / n2 - k1 / n1) / se
    return ZTest(z, float(2 * stats.norm.sf(abs(z))))


@dataclass(frozen=True)
class ChiSquare:
    chi2: float
    dof: int
    p_value: float
    low_expected_share: float  # share of cells with expected count < 5 (Cochran's rule: ≤ 20 %)

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA

    @property
    def reliable(self) -> bool:
        return self.low_expected_share <= 0.2

    def to_dict(self) -> dict[str, object]:
        return {"chi2": self.chi2, "dof": self.dof, "p_value": self.p_value,
                "significant": self.significant, "low_expected_share": self.low_expected_share,
                "reliable": self.reliable}


def chi_square(table: list[list[int]]) -> ChiSquare | None:
    """Pearson chi-square test of independence (no Yates correction) on a groups × answers
    table; empty rows and columns are dropped; None when fewer than 2 remain of either."""
    rows = [r for r in table if sum(r) > 0]
    if len(rows) < 2:
        return None
    keep = [j for j in range(len(rows[0])) if any(r[j] for r in rows)]
    if len(keep) < 2:
        return None
    matrix = [[r[j] for j in keep] for r in rows]
    result = stats.chi2_contingency(matrix, correction=False)
    expected = result.expected_freq
    low = float((expected < 5).sum()) / expected.size
    return ChiSquare(float(result.statistic), int(result.dof), float(result.pvalue), low)
