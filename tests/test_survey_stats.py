"""Statistics against hand-computed values (the arithmetic is written out)."""

from __future__ import annotations

import math

import pytest

from toolkit.survey import Options, chi_square, margin_of_error, tally_table, trend, two_proportion_z, wilson
from toolkit.survey.likert import INVALID, STANDARD, Scale
from toolkit.survey.tally import QuestionTally

Z = 1.959963984540054  # Φ⁻¹(0.975)


def hand_wilson(k: int, n: int, z: float = Z) -> tuple[float, float]:
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return centre - half, centre + half


def test_wilson_matches_hand_arithmetic() -> None:
    # k=8, n=10: p=0.8, z²=3.841459, denom=1.3841459, centre=0.9920730/1.3841459=0.7167402,
    # half=1.959964·√(0.016+0.0096036)/1.3841459=0.2265777 → (0.490163, 0.943318)
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.490163, abs=1e-6)
    assert high == pytest.approx(0.943318, abs=1e-6)
    for k, n in [(0, 25), (25, 25), (347, 400), (1, 3)]:
        assert wilson(k, n) == pytest.approx(hand_wilson(k, n), abs=1e-12)
    assert wilson(0, 0) is None


def test_margin_of_error_and_finite_population_correction() -> None:
    # 1.96·√(0.25/400) = 1.96·0.025 = 0.049
    assert margin_of_error(400) == pytest.approx(0.049, abs=1e-12)
    # FPC with N=1000: √((1000−400)/(1000−1)) = √(600/999) = 0.7749843 → 0.049·0.7749843
    assert margin_of_error(400, 1000) == pytest.approx(0.049 * math.sqrt(600 / 999), abs=1e-12)
    assert margin_of_error(400, 1000) == pytest.approx(0.0379742, abs=1e-7)
    assert margin_of_error(400, 400) == 0.0  # a census has no sampling error
    assert margin_of_error(0) is None
    with pytest.raises(ValueError):
        margin_of_error(400, 300)


def test_two_proportion_z_test() -> None:
    # 60/100 → 75/100: pooled 135/200 = 0.675; se = √(0.675·0.325·(1/100+1/100)) = 0.0662382
    # z = 0.15/0.0662382 = 2.264554; p = erfc(z/√2) = 0.023542
    test = two_proportion_z(60, 100, 75, 100)
    assert test.z == pytest.approx(0.15 / math.sqrt(0.675 * 0.325 * 0.02), abs=1e-12)
    assert test.z == pytest.approx(2.264554, abs=1e-6)
    assert test.p_value == pytest.approx(math.erfc(test.z / math.sqrt(2)), abs=1e-12)
    assert test.significant
    assert not two_proportion_z(60, 100, 65, 100).significant
    assert two_proportion_z(10, 10, 20, 20).p_value == 1.0
    assert two_proportion_z(1, 0, 1, 1) is None


def test_chi_square_pearson_without_yates() -> None:
    # expected 15 in every cell: χ² = 4·(5²/15) = 6.6667, df 1, p = erfc(√(χ²/2)) = 0.009823
    result = chi_square([[10, 0, 20, 0], [20, 0, 10, 0]])  # empty answer columns dropped
    assert result.chi2 == pytest.approx(20 / 3, abs=1e-12)
    assert result.dof == 1
    assert result.p_value == pytest.approx(math.erfc(math.sqrt(10 / 3)), abs=1e-12)
    assert result.significant and result.reliable
    assert chi_square([[5, 5], [0, 0]]) is None  # one group only


def tally(counts: list[int], missing: int = 0, **kw: object) -> QuestionTally:
    labels = ["非常滿意", "滿意", "普通", "不滿意", "非常不滿意", "無意見"]
    return QuestionTally("Q", dict(zip(labels, counts, strict=True)), missing, **kw)


def test_question_statistics_by_hand() -> None:
    q = tally([30, 40, 15, 10, 5, 20], missing=3)
    assert q.n_answered == 120  # 30+40+15+10+5+20
    assert q.satisfaction_rate == pytest.approx(70 / 120)
    assert q.dissatisfaction_rate == pytest.approx(15 / 120)
    # mean over the five labels only: (5·30+4·40+3·15+2·10+1·5)/100 = 380/100
    assert q.mean == pytest.approx(3.8)
    assert q.ci95 == pytest.approx(hand_wilson(70, 120))
    excluded = tally([30, 40, 15, 10, 5, 20], exclude_no_opinion=True)
    assert excluded.satisfaction_rate == pytest.approx(70 / 100)
    assert excluded.ci95 == pytest.approx(hand_wilson(70, 100))
    flagged = tally([30, 40, 15, 10, 5, 20], min_standard=0.85)
    assert flagged.below_standard is True
    assert tally([90, 5, 5, 0, 0, 0], min_standard=0.95).below_standard is False  # 95/100 meets 95 %
    empty = tally([0] * 6, missing=4)
    assert empty.satisfaction_rate is None and empty.mean is None and empty.ci95 is None


class FakeTable:
    def __init__(self, rows: list[list[object]], sheet: str = "回覆") -> None:
        self.file, self.sheet, self.rows = "回覆.xlsx", sheet, rows

    def ref(self, row: int, col: int) -> str:
        from toolkit.sheetkit.cells import cell_ref

        return cell_ref(row, col)

    def problem(self, row: int, col: int, code: str, message: str) -> object:
        from toolkit.problems import Problem

        return Problem(code, message, self.file, self.sheet, self.ref(row, col))


def test_trend_marks_significant_changes() -> None:
    def year(k: int, n: int) -> object:
        rows = [["Q1"]] + [["滿意"]] * k + [["普通"]] * (n - k)
        return tally_table(FakeTable(rows), None, Options())

    result = trend({111: year(60, 100), 112: year(75, 100), 113: year(78, 100)})
    q = result.question("Q1")
    assert [y.rate for y in q.years] == [0.60, 0.75, 0.78]
    first, second = q.changes
    assert first.z == pytest.approx(2.264554, abs=1e-6) and first.mark == "▲"
    # 75/100 → 78/100: pooled 0.765, se = √(0.765·0.235·0.02) = 0.059963, z = 0.03/0.059963 = 0.500
    assert second.z == pytest.approx(0.03 / math.sqrt(0.765 * 0.235 * 0.02), abs=1e-12)
    assert not second.significant and second.mark == "─"
    assert result.to_dict()["questions"][0]["rates"] == {"111": 0.6, "112": 0.75, "113": 0.78}


@pytest.mark.parametrize(("raw", "score"), [
    ("非常滿意", 5), ("非 常 滿 意", 5), ("非常滿意　", 5), ("　滿意 ", 4), ("普通", 3), ("不滿意", 2),
    ("非常不滿意", 1), (5.0, 5), (1, 1), ("４", 4), ("３.0", 3), ("5 非常滿意", 5), ("非常滿意（5）", 5),
    ("無意見", 0), ("不知道", 0), ("未回答", 0), ("拒答", 0), ("無 意 見", 0),
    ("", None), ("   ", None), (None, None), (float("nan"), None),
    ("滿易", INVALID), (6, INVALID), (0, INVALID), (4.5, INVALID), ("很好", INVALID), (True, INVALID),
    ("1 非常滿意", INVALID),  # label and code disagree
])
def test_label_normalisation(raw: object, score: int | None) -> None:
    assert STANDARD.normalise(raw) == score


def test_reversed_codes_and_custom_scale() -> None:
    reverse = Scale(high_is_best=False, no_opinion_codes=(9,))
    assert reverse.normalise(1) == 5 and reverse.normalise("５") == 1 and reverse.normalise(9) == 0
    assert reverse.normalise("非常滿意") == 5  # labels do not depend on the code direction
    agree = Scale(("非常同意", "同意", "普通", "不同意", "非常不同意"))
    assert agree.normalise("不 同意") == 2 and agree.normalise("滿意") == INVALID


def test_closed_forms_agree_with_scipy() -> None:
    """The standard-library statistics against scipy (the test extra) to 1e-13."""
    import random

    from scipy import stats

    from toolkit.survey.stats import chi2_sf

    rng = random.Random(20261129)
    for _ in range(300):
        n = rng.randint(1, 5000)
        k = rng.randint(0, n)
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert wilson(k, n) == pytest.approx((ci.low, ci.high), rel=1e-13, abs=1e-15)
    for dof in range(1, 60):
        for x in (0.001, 0.5, 1, 2.5, dof / 2, dof, 2 * dof, 3 * dof + 7, 80):
            assert chi2_sf(x, dof) == pytest.approx(stats.chi2.sf(x, dof), rel=1e-12, abs=1e-300)
    for _ in range(200):
        rows, cols = rng.randint(2, 6), rng.randint(2, 6)
        table = [[rng.randint(0, 40) for _ in range(cols)] for _ in range(rows)]
        ours = chi_square(table)
        kept = [r for r in table if sum(r) > 0]
        kept_cols = [j for j in range(cols) if any(r[j] for r in kept)]
        if ours is None:
            assert len(kept) < 2 or len(kept_cols) < 2
            continue
        ref = stats.chi2_contingency([[r[j] for j in kept_cols] for r in kept], correction=False)
        assert (ours.chi2, ours.dof) == (pytest.approx(ref.statistic, rel=1e-13), ref.dof)
        assert ours.p_value == pytest.approx(ref.pvalue, rel=1e-11, abs=1e-300)
    for _ in range(200):
        n1, n2 = rng.randint(1, 3000), rng.randint(1, 3000)
        test = two_proportion_z(rng.randint(0, n1), n1, rng.randint(0, n2), n2)
        assert test is not None
        assert test.p_value == pytest.approx(2 * stats.norm.sf(abs(test.z)), rel=1e-12, abs=1e-300)
