"""The statistics survey reports quote: Wilson interval, margin of error, z and chi-square tests.

Closed forms with the standard library only (the distributions need little: the normal
quantile and tail, and the χ² tail for a whole number of degrees of freedom); the tests check
them against scipy to 1e-13.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

#: The z of a 95 % interval as survey reports write it (1.96, not 1.959964…).
Z95 = 1.96
ALPHA = 0.05


#: Φ⁻¹(0.975), the z of the Wilson interval (as scipy's binomtest uses it).
_Z975 = NormalDist().inv_cdf(0.975)


def wilson(successes: int, n: int) -> tuple[float, float] | None:
    """Wilson 95 % score interval of a proportion (z = Φ⁻¹(0.975)); None when n = 0."""
    if n <= 0:
        return None
    p, z2 = successes / n, _Z975 * _Z975
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = _Z975 / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


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
    return ZTest(z, math.erfc(abs(z) / math.sqrt(2)))  # two-sided: 2·(1 − Φ(|z|))


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
    row_sums = [sum(r) for r in matrix]
    col_sums = [sum(col) for col in zip(*matrix, strict=True)]
    total = sum(row_sums)
    expected = [[rs * cs / total for cs in col_sums] for rs in row_sums]
    statistic = math.fsum((o - e) ** 2 / e for orow, erow in zip(matrix, expected, strict=True)
                          for o, e in zip(orow, erow, strict=True))
    dof = (len(matrix) - 1) * (len(keep) - 1)
    cells = [e for erow in expected for e in erow]
    low = sum(e < 5 for e in cells) / len(cells)
    return ChiSquare(statistic, dof, chi2_sf(statistic, dof), low)


def chi2_sf(x: float, dof: int) -> float:
    """P(χ²_dof > x) for a whole number of degrees of freedom, by the closed forms of the
    regularized upper incomplete gamma Q(dof/2, x/2): a finite sum of positive terms."""
    if x <= 0:
        return 1.0
    half = x / 2
    if dof % 2 == 0:  # e^{-h} Σ_{i<k/2} h^i / i!
        term, total = 1.0, 1.0
        for i in range(1, dof // 2):
            term *= half / i
            total += term
        return min(1.0, math.exp(-half) * total)
    # odd: erfc(√h) + e^{-h} Σ_{i=1}^{(k-1)/2} h^{i-1/2} / Γ(i + 1/2)
    term = math.sqrt(half) / math.gamma(1.5)
    total = term if dof > 1 else 0.0
    for i in range(2, (dof + 1) // 2):
        term *= half / (i - 0.5)
        total += term
    return min(1.0, math.erfc(math.sqrt(half)) + math.exp(-half) * total)
