"""The tally, trend and vote workbooks: text stays text, formulas carry cached values, native
charts, LibreOffice agrees; the template; the samples and the demo step."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import svcq

import toolkit
from toolkit.io.libreoffice import CSV_ALL_SHEETS, convert
from toolkit.survey.sheets import write_tally, write_template, write_trend, write_votes
from toolkit.survey.standard import QUESTIONS

TRICKY = ["=1+1", "@SUM(A1)", "+886", "-5", "=HYPERLINK(\"http://x\",\"點我\")", "'引號開頭"]


@pytest.fixture
def tally_csv(tmp_path: Path) -> Path:
    src = tmp_path / "回覆.csv"
    rows = [["性別", "服務態度", "等候時間", "其他意見"]]
    answers = ["非常滿意", "滿意", "普通", "不滿意", "非常不滿意", "無意見"]
    for i in range(30):
        rows.append(["男" if i % 3 else "女", answers[i % 6], answers[(i * 2) % 5],
                     TRICKY[i] if i < len(TRICKY) else ""])
    with src.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return src


@pytest.fixture
def written(tally_csv: Path, tmp_path: Path) -> tuple[Path, object]:
    tally = toolkit.tally(tally_csv, {"questions": ["服務態度", "等候時間"], "demographics": ["性別"],
                                   "comments": ["其他意見"]}, by=["性別"], min_standard=0.5)
    return write_tally(tally, tmp_path / "out" / "統計.xlsx"), tally


def test_comments_never_become_formulas(written: tuple[Path, object]) -> None:
    path, _ = written
    ws = openpyxl.load_workbook(path)["意見彙整"]
    cells = [ws.cell(row=r, column=4) for r in range(4, 4 + len(TRICKY))]
    assert [c.value for c in cells] == TRICKY
    assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(path) as z:  # 意見彙整 is the fourth sheet: not one formula in it
        assert "<f>" not in z.read("xl/worksheets/sheet4.xml").decode()


def test_summary_and_cached_formula_values(written: tuple[Path, object]) -> None:
    path, tally = written
    wb = openpyxl.load_workbook(path, data_only=True)
    assert wb.sheetnames == ["摘要", "次數分配", "交叉_性別", "意見彙整"]
    summary = wb["摘要"]
    rows = list(summary.iter_rows(min_row=7, max_row=8, values_only=True))
    for row, q in zip(rows, tally.questions, strict=True):
        assert row[0] == q.question and row[1] == q.n_answered
        assert row[4] == pytest.approx(q.satisfaction_rate) and row[6] == pytest.approx(q.mean)
        assert row[7] == pytest.approx(q.ci95[0]) and row[10] == ("未達標準" if q.below_standard else "達標")
    counts = wb["次數分配"]
    formulas = openpyxl.load_workbook(path)["次數分配"]
    for r, q in enumerate(tally.questions, 4):
        assert str(formulas.cell(r, 8).value).startswith("=SUM(")
        assert counts.cell(r, 8).value == q.n_answered  # the cached value of the formula
        assert counts.cell(r, 10).value == pytest.approx(q.counts["非常滿意"] / q.n_answered)


def test_native_charts(written: tuple[Path, object], tmp_path: Path) -> None:
    path, _ = written
    with zipfile.ZipFile(path) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert '<c:barDir val="bar"/>' in chart and '<c:grouping val="percentStacked"/>' in chart
    assert chart.count("<c:ser>") == 6  # five labels and 無意見
    years = {}
    for y, k in ((111, 10), (112, 20)):
        src = tmp_path / f"{y}.csv"
        src.write_text("Q\n" + "滿意\n" * k + "普通\n" * (30 - k), encoding="utf-8")
        years[y] = src
    trend_path = write_trend(toolkit.trend(years), tmp_path / "trend.xlsx")
    with zipfile.ZipFile(trend_path) as z:
        assert "<c:lineChart>" in z.read("xl/charts/chart1.xml").decode()


@pytest.mark.libreoffice
def test_libreoffice_recalculates_to_the_same_values(written: tuple[Path, object], tmp_path: Path) -> None:
    path, tally = written
    [*outputs] = convert([path], CSV_ALL_SHEETS, tmp_path / "lo")
    sheet = next(p for p in outputs if p.stem.endswith("次數分配"))
    rows = list(csv.reader(sheet.open(encoding="utf-8")))
    for r, q in enumerate(tally.questions, 3):
        assert int(rows[r][7]) == q.n_answered  # recalculated =SUM(...)
        assert float(rows[r][9].rstrip("%")) / 100 == pytest.approx(q.counts["非常滿意"] / q.n_answered, abs=1e-3)
    comments = next(p for p in outputs if p.stem.endswith("意見彙整"))
    texts = [row[3] for row in csv.reader(comments.open(encoding="utf-8"))][3:3 + len(TRICKY)]
    assert texts == TRICKY


def test_votes_workbook(tmp_path: Path, samples: Path) -> None:
    result = toolkit.votes(samples / "survey" / "最佳禮儀服務人員票選-113.xlsx")
    path = write_votes(result, tmp_path / "v.xlsx")
    ws = openpyxl.load_workbook(path)["票選結果"]
    ranks = [(ws.cell(r, 1).value, ws.cell(r, 3).value, ws.cell(r, 5).value) for r in range(5, 11)]
    assert ranks == [(1, 52, ""), (2, 41, "同票"), (2, 41, "同票"), (4, 30, ""), (5, 22, ""), (6, 14, "")]
    spoiled = openpyxl.load_workbook(path)["廢票"]
    assert spoiled.max_row == 1 + 5


def test_template_header_and_dropdowns(tmp_path: Path) -> None:
    path = tmp_path / "範本.xlsx"
    write_template(path)
    ws = openpyxl.load_workbook(path)["問卷回覆"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["編號", "填寫日期", "性別", "年齡", "申辦項目"]
    assert [q.column for q in QUESTIONS] == header[5:-1] and header[-1] == "其他意見或建議"
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert any("非常滿意" in f and "無意見" in f for f in lists)
    result = svcq("template", "survey", "-o", tmp_path / "t")
    assert result.code == 0 and (tmp_path / "t" / "滿意度調查-範本.xlsx").exists()


def test_samples_match_an_independent_count(samples: Path) -> None:
    src = samples / "survey"
    q = toolkit.read_questionnaire(src / "questionnaire.yaml")
    tally = toolkit.tally(src / "滿意度調查-112.xlsx", q)
    ws = openpyxl.load_workbook(src / "滿意度調查-112.xlsx", read_only=True)["問卷回覆"]
    rows = list(ws.iter_rows(values_only=True))
    col = rows[0].index("等候時間")
    answers = [r[col] for r in rows[1:]]
    expected = {label: answers.count(label) for label in ["非常滿意", "滿意", "普通", "不滿意", "非常不滿意", "無意見"]}
    wait = tally.question("等候時間")
    assert wait.counts == expected and wait.missing == answers.count(None)
    assert tally.n_respondents == len(rows) - 1 == 360
    typed = toolkit.tally(src / "滿意度調查-113.xlsx", q)  # codes, full-width digits, spaces, title row
    assert typed.n_respondents == 400 and not typed.warnings
    assert {x.question for x in typed.flagged} >= {"等候時間"}
    buttons = toolkit.tally(src / "評分按鈕月統計-113.xlsx", counts=True)
    assert len(buttons.questions) == 13 and buttons.questions[-1].question == "合計"


@pytest.mark.libreoffice
def test_cli_writes_ods(tally_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "統計.ods"
    result = svcq("survey", "tally", tally_csv, "-o", out)
    assert result.code == 0, result.err
    from toolkit.io.read import open_workbook

    book = open_workbook(out)
    assert book.sheet_names[:2] == ["摘要", "次數分配"]


def test_demo_step(tmp_path: Path, samples: Path) -> None:
    from toolkit.demo import DemoContext
    from toolkit.survey import demo as survey

    ctx = DemoContext(samples, tmp_path, say=lambda _: None)
    survey.run(ctx)
    assert ctx.results["survey"]["n_respondents"] == 400
    assert ctx.results["survey_trend"]["years"] == [111, 112, 113]
    paper = ctx.results["survey_paper"]  # codes read through its 代碼表, weighted to 人口統計
    assert paper["n_respondents"] == 300 and paper["weighting"]["variables"] == ["性別", "年齡"]
    phone = next(q for q in paper["questions"] if q["question"] == "電話服務")
    assert phone["exclude_no_opinion"] and phone["not_applicable"] == 156
    assert all(q["weighted"]["satisfaction_rate"] is not None for q in paper["questions"])
    assert all(path.exists() for _, path in ctx.artifacts) and len(ctx.artifacts) == 5


@pytest.mark.libreoffice
def test_xls_input_tallies_the_same(samples: Path, tmp_path: Path) -> None:
    src = samples / "survey" / "滿意度調查-112.xlsx"
    [xls] = convert([src], "xls", tmp_path)
    q = samples / "survey" / "questionnaire.yaml"
    assert toolkit.tally(xls, q).to_dict() == toolkit.tally(src, q).to_dict()
