"""Tallying files end to end: label variants, problems with sheet!cell, lenient, cross-tabs,
counts sheets, questionnaires, votes and the CLI contract."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
import xlsxwriter
from helpers import files_in, svcq

import toolkit
from toolkit.problems import ProblemsFound, SvcqError
from toolkit.survey.tally import MAX_CELL_PROBLEMS


def make_xlsx(path: Path, rows: list[list[object]], sheet: str = "回覆", extra: dict | None = None) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    for name, data in {sheet: rows, **(extra or {})}.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(data):
            for c, v in enumerate(row):
                if isinstance(v, int | float) and not isinstance(v, bool):
                    ws.write_number(r, c, v)
                elif isinstance(v, bool):
                    ws.write_boolean(r, c, v)
                elif v not in ("", None):
                    ws.write_string(r, c, str(v))
    wb.close()
    return path


#: 10 respondents. Q1: 非常滿意×3 (typed three ways), 滿意×2, 普通, 不滿意, 非常不滿意, 拒答, blank.
ROWS: list[list[object]] = [
    ["編號", "性別", "Q1 環境", "Q2 態度", "其他意見"],
    [1, "男", "非常滿意", "滿意", "=1+1"],
    [2, "男", "非 常 滿 意", "滿意", ""],
    [3, "女", 5, "非常滿意", "@SUM(A1)"],
    [4, "女", "滿意　", "普通", ""],
    [5, "女", "４", "滿意", "+886 2 2345 6789"],
    [6, "男", "普通", "滿意", "-5"],
    [7, "女", "不滿意", "不滿意", ""],
    [8, "男", "1", "非常滿意", "謝謝"],
    [9, "", "拒答", "無意見", ""],
    [10, "女", "", "滿意", ""],
]


@pytest.fixture
def responses(tmp_path: Path) -> Path:
    return make_xlsx(tmp_path / "回覆.xlsx", ROWS)


def test_tally_file_by_hand(responses: Path) -> None:
    tally = toolkit.tally(responses)
    assert tally.detected and [q.question for q in tally.questions] == ["Q1 環境", "Q2 態度"]
    q1 = tally.to_dict()["questions"][0]
    assert q1["counts"] == {"非常滿意": 3, "滿意": 2, "普通": 1, "不滿意": 1, "非常不滿意": 1, "無意見": 1}
    assert q1["missing"] == 1 and q1["n_answered"] == 9
    assert q1["satisfaction_rate"] == pytest.approx(5 / 9)
    assert q1["dissatisfaction_rate"] == pytest.approx(2 / 9)
    assert q1["mean"] == pytest.approx((5 * 3 + 4 * 2 + 3 + 2 + 1) / 8)  # 29/8 = 3.625
    assert tally.n_respondents == 10
    assert tally.margin_of_error_95 == pytest.approx(1.96 * math.sqrt(0.25 / 10))
    excluded = toolkit.tally(responses, exclude_no_opinion=True).questions[0]
    assert excluded.satisfaction_rate == pytest.approx(5 / 8)
    assert toolkit.tally(responses, population=50).margin_of_error_95 == pytest.approx(
        1.96 * math.sqrt(0.25 / 10) * math.sqrt(40 / 49))
    assert [c.text for c in tally.comments] == ["=1+1", "@SUM(A1)", "+886 2 2345 6789", "-5", "謝謝"]
    assert tally.comments[0].cell == "回覆!E2"


def test_pre_numbered_empty_rows_are_not_respondents(tmp_path: Path) -> None:
    rows = [r[:] for r in ROWS] + [[n, "", "", "", ""] for n in range(11, 31)]  # 編號 only
    tally = toolkit.tally(make_xlsx(tmp_path / "pre.xlsx", rows))
    assert tally.n_respondents == 10 and tally.questions[0].missing == 1


def test_json_contract_via_cli(responses: Path) -> None:
    result = svcq("survey", "tally", responses, "--json", "--min-standard", "60%")
    assert result.code == 0, result.err
    data = result.json()
    assert {"n_respondents", "margin_of_error_95", "questions"} <= set(data)
    keys = {"question", "counts", "missing", "n_answered", "satisfaction_rate", "dissatisfaction_rate",
            "mean", "ci95"}
    assert all(keys <= set(q) for q in data["questions"])
    q1, q2 = data["questions"]
    assert q1["below_standard"] is True  # 5/9 = 55.6 % < 60 %
    # Q2: 非常滿意 ×2 (rows 3, 8) + 滿意 ×5 (rows 1, 2, 5, 6, 10) = 7 of 10 answers (無意見 in base)
    assert q2["satisfaction_rate"] == pytest.approx(7 / 10) and q2["below_standard"] is False


def test_bad_answers_listed_with_cells_and_nothing_written(tmp_path: Path) -> None:
    rows = [r[:] for r in ROWS]
    rows[2][2] = "滿易"
    rows[4][3] = 6
    rows[7][2] = "很好"
    src = make_xlsx(tmp_path / "in" / "回覆.xlsx", rows) if (tmp_path / "in").mkdir() is None else None
    with pytest.raises(ProblemsFound) as exc:
        toolkit.tally(src)
    cells = [p.cell for p in exc.value.problems]
    assert cells == ["C3", "C8", "D5"]  # every bad value, column by column
    assert "「滿易」無法辨識" in str(exc.value.problems[0]) and "回覆!C3" in str(exc.value.problems[0])
    out = tmp_path / "out"
    result = svcq("survey", "tally", src, "-o", out / "t.xlsx")
    assert result.code == 1 and "回覆!D5" in result.err and "Traceback" not in result.err
    assert not out.exists() or files_in(out) == []
    lenient = svcq("survey", "tally", src, "--lenient", "--json", "-o", out / "t.xlsx")
    assert lenient.code == 0 and (out / "t.xlsx").exists()
    data = lenient.json()  # with --json the warnings are in the JSON, stderr stays quiet
    assert data["questions"][0]["missing"] == 3 and len(data["warnings"]) == 3
    assert {"sheet": "回覆", "cell": "C3"}.items() <= data["warnings"][0].items() and lenient.err == ""


def test_problems_capped_with_total(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Q1"]] + [["滿意"]] * 20000 + [["壞"]] * (MAX_CELL_PROBLEMS + 200)
    src = make_xlsx(tmp_path / "many.xlsx", rows)
    with pytest.raises(ProblemsFound) as exc:
        toolkit.tally(src)
    problems = exc.value.problems
    assert len(problems) == MAX_CELL_PROBLEMS + 1
    assert "另有 200 個" in problems[-1].message
    assert "還有" in str(exc.value)  # the printed list itself stops at 50


def test_csv_and_questionnaire(tmp_path: Path) -> None:
    src = tmp_path / "回覆.csv"
    with src.open("w", encoding="cp950", newline="") as fh:  # Big5 as Excel in Taiwan saves it
        csv.writer(fh).writerows([[str(v) for v in r] for r in ROWS])
    yaml = tmp_path / "q.yaml"
    yaml.write_text("questions:\n  - column: Q1 環境\n    min_standard: 90%\n  - Q2 態度\n"
                    "codes: 1=非常滿意\ndemographics: [性別]\ncomments: [其他意見]\nmin_standard: 0.5\n",
                    encoding="utf-8")
    tally = toolkit.tally(src, yaml)
    q1, q2 = tally.questions
    # codes reversed: "5" is now 非常不滿意 and "1" 非常滿意; "４" → 滿意 → 不滿意
    assert q1.counts["非常不滿意"] == 1 and q1.counts["非常滿意"] == 3 and q1.counts["不滿意"] == 2
    assert q1.min_standard == 0.9 and q2.min_standard == 0.5
    assert tally.comments[0].text == "=1+1"


def test_questionnaire_problems_all_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions: []\ncodes: 7=好\nscale: [好, 壞]\nfoo: 1\n", encoding="utf-8")
    with pytest.raises(ProblemsFound) as exc:
        toolkit.read_questionnaire(bad)
    codes = {p.cell for p in exc.value.problems}
    assert {"questions", "codes", "scale", "foo"} <= codes
    broken = tmp_path / "broken.yaml"
    broken.write_text("questions: [a\n", encoding="utf-8")
    result = svcq("survey", "tally", bad, "-q", broken)
    assert result.code == 2 and "YAML" in result.err


def test_missing_column_named(responses: Path, tmp_path: Path) -> None:
    yaml = tmp_path / "q.yaml"
    yaml.write_text("questions: [Q1 環境, 等候時間]\n", encoding="utf-8")
    result = svcq("survey", "tally", responses, "-q", yaml)
    assert result.code == 1 and "找不到欄「等候時間」" in result.err and "回覆!A1" in result.err


def test_crosstab_counts_and_chi_square(tmp_path: Path) -> None:
    rows: list[list[object]] = [["性別", "Q"]]
    rows += [["男", "非常滿意"]] * 10 + [["男", "普通"]] * 20 + [["女", "非常滿意"]] * 20
    rows += [["女", "普通"]] * 10 + [["", "滿意"]] * 3
    src = make_xlsx(tmp_path / "x.xlsx", rows)
    [tab] = toolkit.tally(src, by=["性別"]).crosstabs
    assert list(tab.groups) == ["女", "男", "（未填）"]
    assert tab.groups["男"].counts["非常滿意"] == 10 and tab.groups["男"].satisfaction_rate == pytest.approx(1 / 3)
    assert tab.groups["（未填）"].n_answered == 3
    # unfilled group left out of the test; 2×2 table with 15 expected everywhere → χ² = 20/3
    assert tab.test.chi2 == pytest.approx(20 / 3) and tab.test.dof == 1
    assert tab.test.p_value == pytest.approx(math.erfc(math.sqrt(10 / 3)))
    result = svcq("survey", "tally", src, "--by", "性別", "--json")
    assert result.json()["crosstabs"][0]["chi_square"]["significant"] is True


def test_counts_sheet(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["113年 評分按鈕統計"],
        ["月份", "非常滿意", "滿意", "普通", "不滿意", "非常不滿意", "合計"],
        ["1月", 50, 30, 10, 6, 4, 100],
        ["2月", "６０", 20, 10, 5, 5, 100],
        ["合計", 110, 50, 20, 11, 9, 200],
    ]
    src = make_xlsx(tmp_path / "c.xlsx", rows)
    tally = toolkit.tally(src, counts=True)
    assert [q.question for q in tally.questions] == ["1月", "2月", "合計"]  # months → a 合計 row
    total = tally.question("合計")
    assert total.counts["非常滿意"] == 110 and total.satisfaction_rate == pytest.approx(160 / 200)
    assert total.mean == pytest.approx((5 * 110 + 4 * 50 + 3 * 20 + 2 * 11 + 9) / 200)
    assert tally.n_respondents == 200
    rows[3][2] = -1
    rows[4][1] = 999
    with pytest.raises(ProblemsFound) as exc:
        toolkit.tally(make_xlsx(tmp_path / "bad.xlsx", rows), counts=True)
    cells = [p.cell for p in exc.value.problems]
    assert "C4" in cells and "A5" in cells  # the negative count, the 合計 row that does not add up


def test_trend_files_and_cli(tmp_path: Path) -> None:
    def year(k: int) -> Path:
        return make_xlsx(tmp_path / f"{k}.xlsx", [["Q"]] + [["滿意"]] * k + [["普通"]] * (100 - k))

    result = toolkit.trend({111: year(60), 112: year(75)})
    [change] = result.questions[0].changes
    assert change.p_value == pytest.approx(math.erfc(2.2645540682891 / math.sqrt(2)), abs=1e-9)
    out = tmp_path / "trend.xlsx"
    cli = svcq("survey", "trend", f"111={tmp_path / '60.xlsx'}", f"112={tmp_path / '75.xlsx'}", "--json",
               "-o", out)
    assert cli.code == 0 and cli.json()["questions"][0]["changes"][0]["mark"] == "▲" and out.exists()
    assert svcq("survey", "trend", "abc").code == 2


def test_votes_per_row_and_per_cell(tmp_path: Path) -> None:
    rows: list[list[object]] = [["編號", "投票日期", "票選對象"]]
    names = ["甲"] * 5 + ["乙"] * 3 + ["丙"] * 3 + ["丁"] + ["乙 "] + ["", "戊", "甲、乙", "甲,甲"]
    rows += [[i, "113.12.1", n] for i, n in enumerate(names, 1)]
    src = make_xlsx(tmp_path / "v.xlsx", rows, sheet="選票",
                    extra={"候選人": [["候選人"], ["甲"], ["乙"], ["丙"], ["丁"], ["己"]]})
    result = toolkit.votes(src)
    ranking = [(s.rank, s.name, s.votes, s.tied) for s in result.standings]
    assert ranking == [(1, "甲", 5, False), (2, "乙", 4, False), (3, "丙", 3, False), (4, "丁", 1, False),
                       (5, "己", 0, False)]
    assert result.spoiled_by_reason == {"空白票": 1, "非候選人": 1, "圈選超過 1 人": 1, "同一人重複圈選": 1}
    assert result.valid_votes == 13 and result.ballots == 17
    assert any(s.cell.endswith("選票!C15") for s in result.spoiled)
    two = toolkit.votes(src, max_choices=2)
    assert two.standings[0].votes == 6 and two.standings[1].votes == 5
    grid = make_xlsx(tmp_path / "g.xlsx", [["甲", "乙", "丙"], ["乙", "甲", ""], ["丙", "", "x"]])
    cells = toolkit.votes(grid, per="cell", candidates=["甲", "乙", "丙"])
    assert [(s.rank, s.votes, s.tied) for s in cells.standings] == [(1, 2, True)] * 3
    assert len(cells.spoiled) == 1 and cells.spoiled[0].cell.endswith("C3")
    cli = svcq("survey", "votes", src, "--json")
    assert cli.code == 0 and cli.json()["ranking"][0]["name"] == "甲"


def test_unusable_inputs(tmp_path: Path) -> None:
    with pytest.raises(SvcqError):
        toolkit.tally(tmp_path / "nope.xlsx")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a workbook")
    result = svcq("survey", "tally", fake)
    assert result.code == 2 and "PDF" in result.err
    text = make_xlsx(tmp_path / "t.xlsx", [["姓名", "地址"], ["王", "台北"], ["李", "台中"]])
    result = svcq("survey", "tally", text)
    assert result.code == 1 and "找不到滿意度題目欄" in result.err


def test_trend_reports_problems_of_every_year(tmp_path: Path) -> None:
    a = make_xlsx(tmp_path / "a.xlsx", [["Q"], ["滿意"], ["滿意"], ["滿易"]])
    b = make_xlsx(tmp_path / "b.xlsx", [["Q"], ["普通"], ["滿意"], ["?"]])
    with pytest.raises(ProblemsFound) as exc:
        toolkit.trend({111: a, 112: b})
    assert [(Path(p.file).name, p.cell) for p in exc.value.problems] == [("a.xlsx", "A4"), ("b.xlsx", "A4")]
