"""Weighting respondents to the population (raking): hand-computed post-stratification, a
two-variable raking checked against samplics (an independent implementation) to 1e-9, the
人口統計 table in its three layouts, and every mismatch refused with its cell."""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest

from toolkit.io.read import Table, open_workbook
from toolkit.problems import ProblemsFound
from toolkit.survey import Options, Questionnaire, tally_table
from toolkit.survey.codebook import codebook_from_table
from toolkit.survey.weights import Margin, Margins, Target, kish_n, margins_from_table, rake, weigh, weighted_rate

AGES = ("20-39歲", "40-59歲", "60歲以上")
#: The sample: (性別, 年齡) → respondents, and the population (年齡＼性別 cross table).
SAMPLE_CELLS = {("男", "20-39歲"): 5, ("男", "40-59歲"): 8, ("男", "60歲以上"): 7,
                ("女", "20-39歲"): 9, ("女", "40-59歲"): 12, ("女", "60歲以上"): 9}
POPULATION: list[list[Any]] = [
    ["西嶼鄉 114年6月 人口統計（20歲以上）"],
    ["年齡＼性別", "男", "女", "合計"],
    ["20-39歲", 4100, 4000, 8100],
    ["40-59歲", 4500, 4600, 9100],
    ["60歲以上", 3400, 4400, 7800],
    ["合計", 12000, 13000, 25000],
]


def _sample() -> dict[str, list[str]]:
    sex: list[str] = []
    age: list[str] = []
    for (s, a), n in SAMPLE_CELLS.items():
        sex += [s] * n
        age += [a] * n
    return {"性別": sex, "年齡": age}


def _margins(rows: list[list[Any]] = POPULATION) -> Margins:
    margins, problems = margins_from_table(Table("人口統計.xlsx", "人口統計", rows))
    assert problems == []
    assert margins is not None
    return margins


# ---------------------------------------------------------------- the method


def test_one_variable_is_post_stratification_by_hand() -> None:
    """6 men and 4 women; the population is half and half: men weigh 5/6, women 5/4."""
    margins = Margins([Margin("性別", [Target("男", 0.5), Target("女", 0.5)], shares=True)])
    sex = ["男"] * 6 + ["女"] * 4
    weighting, problems = weigh({"性別": sex}, margins)
    assert problems == []
    assert weighting is not None
    assert weighting.weights.tolist() == pytest.approx([5 / 6] * 6 + [5 / 4] * 4, abs=1e-12)
    # 3 of 6 men and 4 of 4 women satisfied: 7/10 unweighted, (3·5/6 + 4·5/4) / 10 weighted
    scores = np.array([5, 4, 5, 2, 1, 3, 5, 5, 4, 4])  # six men, then four women
    rate = weighted_rate(scores, weighting.weights, exclude_no_opinion=False)
    assert rate.satisfaction_rate == pytest.approx(0.75, abs=1e-12)
    assert rate.mean == pytest.approx((5 * 5 / 6 * 2 + 4 * 5 / 6 + 3 * 5 / 6 + 2 * 5 / 6 + 1 * 5 / 6
                                       + (5 + 5 + 4 + 4) * 5 / 4) / 10, abs=1e-12)
    # Kish: (Σw)² / Σw² = 100 / (6·25/36 + 4·25/16) = 9.6
    assert weighting.n_effective == pytest.approx(9.6, abs=1e-12)
    assert weighting.design_effect == pytest.approx(10 / 9.6, abs=1e-12)
    assert weighting.margin_of_error_95 == pytest.approx(1.96 * math.sqrt(0.25 / 9.6), abs=1e-12)
    assert weighting.weight_range == pytest.approx((5 / 6, 5 / 4), abs=1e-12)


def test_two_variables_match_samplics_to_1e_9() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # samplics announces its successor on import
        samplics = pytest.importorskip("samplics")
    sample = _sample()
    margins = _margins()
    weighting, problems = weigh(sample, margins)
    assert problems == []
    assert weighting is not None
    control = {"性別": {"男": 12000.0, "女": 13000.0},
               "年齡": {"20-39歲": 8100.0, "40-59歲": 9100.0, "60歲以上": 7800.0}}
    theirs = samplics.SampleWeight().rake(
        samp_weight=np.ones(50), margins={k: np.array(v) for k, v in sample.items()}, control=control,
        tol=1e-14, ctrl_tol=1e-14, max_iter=10_000)
    theirs = theirs / theirs.mean()  # ours average 1; samplics' sum to the population
    assert np.max(np.abs(weighting.weights - theirs)) < 1e-9
    # and independently of both: the margins hold, and the weights are a product of one factor
    # per 性別 and one per 年齡 (what raking converges to)
    w = {cell: weighting.weights[i] for i, cell in enumerate(zip(sample["性別"], sample["年齡"], strict=True))}
    for s, total in (("男", 12000), ("女", 13000)):
        assert sum(weighting.weights[np.array(sample["性別"]) == s]) == pytest.approx(50 * total / 25000, abs=1e-9)
    for a in AGES:
        assert w[("男", a)] / w[("女", a)] == pytest.approx(w[("男", AGES[0])] / w[("女", AGES[0])], abs=1e-9)


def test_raking_that_cannot_converge_is_a_problem() -> None:
    """Two respondents, a young man and an old woman: the population's 30 % young and
    50 % men cannot both hold."""
    margins = Margins([Margin("性別", [Target("男", 50), Target("女", 50)]),
                       Margin("年齡", [Target("青", 50), Target("老", 50)], cell="A5")])
    result = rake({"性別": ["男", "女"], "年齡": ["青", "老"]},
                  {"性別": {"男": 50, "女": 50}, "年齡": {"青": 30, "老": 70}}, max_iter=200)
    assert not result.converged
    margins.margins[1] = Margin("年齡", [Target("青", 30), Target("老", 70)])
    margins.margins[0] = Margin("性別", [Target("男", 50), Target("女", 50)])
    _, problems = weigh({"性別": ["男", "女"], "年齡": ["青", "老"]}, margins, max_iter=200)
    assert [p.code for p in problems] == ["weights-no-converge"]
    assert "200 次後仍未收斂" in problems[0].message


def test_kish_of_equal_weights_is_n() -> None:
    assert kish_n(np.ones(37)) == pytest.approx(37)
    assert kish_n(np.array([1.0, 3.0])) == pytest.approx(16 / 10)


# ---------------------------------------------------------------- the 人口統計 table


def test_cross_table_gives_both_margins_and_checks_its_totals() -> None:
    margins = _margins()
    assert [(m.variable, [(t.category, t.value) for t in m.targets]) for m in margins.margins] == [
        ("年齡", [("20-39歲", 8100), ("40-59歲", 9100), ("60歲以上", 7800)]),
        ("性別", [("男", 12000), ("女", 13000)])]
    rows = [list(r) for r in POPULATION]
    rows[5][1] = 12001
    _, problems = margins_from_table(Table("人口統計.xlsx", "人口統計", rows))
    assert [(p.code, p.cell) for p in problems] == [("margins-bad-total", "B6")]


def test_long_and_block_layouts_and_shares() -> None:
    long = [["變項", "類別", "比例"], ["性別", "男", "48%"], [None, "女", "52%"],
            ["年齡", "20～39 歲", 0.3], [None, "40-59歲", 0.4], [None, "60歲以上", 0.3]]
    margins, problems = margins_from_table(Table("x.xlsx", "母體", long))
    assert problems == []
    assert margins is not None
    assert margins.get("性別").share() == pytest.approx({"男": 0.48, "女": 0.52})
    assert margins.get("年齡").find("20-39歲") is not None  # ～ and the space do not matter
    blocks = [["性別", "人數"], ["男", 120], ["女", 130], ["合計", 250], [], ["年齡", "人數"], ["青", 100],
              ["老", 150]]
    margins, problems = margins_from_table(Table("x.xlsx", "母體", blocks))
    assert problems == []
    assert margins is not None
    assert [(m.variable, m.total) for m in margins.margins] == [("性別", 250), ("年齡", 250)]
    bad = [["變項", "類別", "比例"], ["性別", "男", "48%"], [None, "女", "42%"], [None, "女", "很多"]]
    _, problems = margins_from_table(Table("x.xlsx", "母體", bad))
    assert [(p.code, p.cell) for p in problems] == [("margins-bad-value", "C4"), ("margins-bad-total", "A2")]


# ---------------------------------------------------------------- in the tally


def _responses(path: Path, rows: list[list[Any]], extra: dict[str, list[list[Any]]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "問卷回覆"
    for row in rows:
        ws.append(row)
    for name, sheet_rows in (extra or {}).items():
        sheet = wb.create_sheet(name)
        for row in sheet_rows:
            sheet.append(row)
    wb.save(path)
    return path


def _survey_rows() -> list[list[Any]]:
    """The 50 respondents of SAMPLE_CELLS; men answer Q1 5,4,3,2,1 in turn, women 5,5,4,4,3."""
    rows: list[list[Any]] = [["編號", "性別", "年齡", "Q1"]]
    men, women = [5, 4, 3, 2, 1], [5, 5, 4, 4, 3]
    for i, (s, a) in enumerate(zip(*_sample().values(), strict=True)):
        pattern = men if s == "男" else women
        rows.append([i + 1, s, a, pattern[sum(1 for r in rows[1:] if r[1] == s) % 5]])
    return rows


def test_weighted_tally_beside_the_unweighted(tmp_path: Path) -> None:
    path = _responses(tmp_path / "問卷.xlsx", _survey_rows())
    margins = _margins()
    tally = tally_table(open_workbook(path).table("問卷回覆"), None,
                        Options(weight_by=("性別", "年齡"), margins=margins, population=25000))
    q1 = tally.question("Q1")
    # unweighted: men 5,4,3,2,1 ×4 → 8 of 20 satisfied; women 5,5,4,4,3 ×6 → 24 of 30
    assert q1.satisfaction_rate == pytest.approx(32 / 50)
    # weighted, from the same weights summed by hand
    sample = _sample()
    weights = tally.weighting.weights
    satisfied = np.array([r[3] >= 4 for r in _survey_rows()[1:]])
    assert q1.weighted is not None
    assert q1.weighted.satisfaction_rate == pytest.approx(weights[satisfied].sum() / weights.sum(), abs=1e-12)
    men = np.array(sample["性別"]) == "男"
    # men are 40 % of the sample but 48 % of the population: the weighted rate is lower
    assert weights[men].sum() / weights.sum() == pytest.approx(0.48, abs=1e-9)
    assert q1.weighted.satisfaction_rate < q1.satisfaction_rate
    data = tally.to_dict()
    assert data["weighting"]["variables"] == ["性別", "年齡"]
    assert data["weighting"]["n"] == 50
    n_eff = data["weighting"]["n_effective"]
    assert n_eff == pytest.approx(weights.sum() ** 2 / (weights ** 2).sum())
    assert data["weighting"]["margin_of_error_95"] == pytest.approx(
        1.96 * math.sqrt(0.25 / n_eff) * math.sqrt((25000 - 50) / 24999))
    assert data["questions"][0]["weighted"]["satisfaction_rate"] == q1.weighted.satisfaction_rate


def test_coded_demographics_are_weighted_through_the_codebook(tmp_path: Path) -> None:
    rows = _survey_rows()
    for r in rows[1:]:
        r[1] = 1 if r[1] == "男" else 2
    codebook = [["題目", "代碼", "說明"], ["性別", 1, "男"], [None, 2, "女"]]
    path = _responses(tmp_path / "問卷.xlsx", rows, {"代碼表": codebook})
    book = open_workbook(path)
    cb, _ = codebook_from_table(book.table("代碼表"))
    plain = tally_table(open_workbook(_responses(tmp_path / "p.xlsx", _survey_rows())).table("問卷回覆"),
                        None, Options(weight_by=("性別", "年齡"), margins=_margins()))
    coded = tally_table(book.table("問卷回覆"), Questionnaire([], codebook=cb),
                        Options(weight_by=("性別", "年齡"), margins=_margins()))
    assert coded.question("Q1").weighted == plain.question("Q1").weighted


def test_mismatched_categories_are_problems_with_cells(tmp_path: Path) -> None:
    rows = [r for r in _survey_rows() if r[2] != "60歲以上"]  # nobody over 60 answered
    rows[3][2] = "15-19歲"     # C4: not in the population table
    rows[4][1] = None          # B5: blank 性別
    path = _responses(tmp_path / "問卷.xlsx", rows)
    with pytest.raises(ProblemsFound) as caught:
        tally_table(open_workbook(path).table("問卷回覆"), None,
                    Options(weight_by=("性別", "年齡"), margins=_margins()))
    found = [(p.code, p.file and Path(p.file).name, p.cell) for p in caught.value.problems]
    assert ("weights-blank", "問卷.xlsx", "B5") in found
    assert ("weights-unknown-category", "問卷.xlsx", "C4") in found
    assert ("weights-empty-category", "人口統計.xlsx", "A5") in found  # 60歲以上: no respondent
    unknown = next(p for p in caught.value.problems if p.code == "weights-unknown-category")
    assert unknown.message == "「年齡」的「15-19歲」不在人口統計表中（表中有：20-39歲、40-59歲、60歲以上）"


def test_margins_of_two_populations_are_refused() -> None:
    margins = Margins([Margin("性別", [Target("男", 12000), Target("女", 13000)]),
                       Margin("年齡", [Target("青", 20000), Target("老", 10000)], cell="A7")],
                      "人口統計.xlsx", "人口統計")
    _, problems = weigh({"性別": ["男", "女"], "年齡": ["青", "老"]}, margins)
    assert [(p.code, p.cell) for p in problems] == [("weights-total-mismatch", "A7")]
    assert "「年齡」的人數合計 30,000 與「性別」的 25,000 不同" in problems[0].message


def _population_book(path: Path, rows: list[list[Any]] = POPULATION) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "人口統計"
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_tally_command_weights_and_writes_them_beside(tmp_path: Path) -> None:
    from helpers import svcq

    responses = _responses(tmp_path / "問卷.xlsx", _survey_rows())
    population = _population_book(tmp_path / "人口統計.xlsx")
    data = svcq("survey", "tally", responses, "--weights", population, "--weight-by", "性別",
                "--weight-by", "年齡", "--json").json()
    assert data["weighting"]["variables"] == ["性別", "年齡"]
    assert data["weighting"]["n_effective"] == pytest.approx(48.1256, abs=1e-4)
    q1 = data["questions"][0]
    assert q1["satisfaction_rate"] == pytest.approx(0.64)
    assert q1["weighted"]["satisfaction_rate"] == pytest.approx(0.61045, abs=1e-5)
    text = svcq("survey", "tally", responses, "--weights", population, "-o", tmp_path / "統計.xlsx")
    assert text.code == 0, text.err
    assert "加權（年齡、性別，反覆比例調整" in text.out  # every variable of the table, in its order
    summary = openpyxl.load_workbook(tmp_path / "統計.xlsx")["摘要"]
    assert summary["A5"].value.startswith("加權：依人口統計的")
    heads = [c.value for c in summary[6]]
    assert heads[11:] == ["加權滿意度", "加權不滿意度", "加權平均分數", "備註"]
    assert summary["L7"].value == pytest.approx(0.61045, abs=1e-5)


def test_weights_command_refuses_mismatches_and_writes_nothing(tmp_path: Path) -> None:
    from helpers import files_in, svcq

    rows = _survey_rows()
    rows[3][2] = "15-19歲"
    responses = _responses(tmp_path / "問卷.xlsx", rows)
    population = _population_book(tmp_path / "人口統計.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    result = svcq("survey", "tally", responses, "--weights", population, "--weight-by", "年齡",
                  "-o", out / "統計.xlsx")
    assert result.code == 1
    assert "問卷.xlsx 問卷回覆!C4：「年齡」的「15-19歲」不在人口統計表中" in result.err
    assert files_in(out) == []
    usage = svcq("survey", "tally", responses, "--weight-by", "年齡")
    assert usage.code == 2 and "--weights" in usage.err


def test_report_shows_weighted_figures_and_notes(tmp_path: Path) -> None:
    from test_reports import rows_of

    from toolkit.survey import view

    responses = _responses(tmp_path / "問卷.xlsx", _survey_rows())
    data = view.load([str(responses)], weights=str(_population_book(tmp_path / "人口統計.xlsx")),
                     weight_by="性別、年齡", min_standard=0.9)
    tally = data["tally"]
    html = str(view.summary_table(tally))
    [row] = rows_of(html, "各題滿意度摘要")
    assert row[0] == "Q1" and row[2] == "64.0%" and row[6] == "61.0%"
    assert "加權值依人口統計調整" in html and "有效樣本數 48.1（設計效果 1.04）" in html
    head = str(view.header(tally))
    assert "加權變項" in head and "性別、年齡" in head and "0.78–1.42" in head
