"""Self-score sheets: the template contract, filling it, totals, problems, gaps, the scored
workbook, phone-courtesy calls, merge and compare (LibreOffice checks: test_score_lo.py)."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine as calamine
from helpers import files_in, svcq
from test_score_data import (
    PENGHU_113,
    PENGHU_113_DIMS,
    PENGHU_113_GAPS,
    PENGHU_113_TOTAL,
    PHONE_CALLS,
    fill,
    fill_calls,
)

import toolkit
from toolkit.score import CallsResult, ScoreResult
from toolkit.score.sheets import write_sheet, write_template

HEADER = ["構面", "項目", "指標", "配分", "自評分數", "佐證資料", "具體作法"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "自評表.xlsx"
    write_template(path)
    return path


@pytest.fixture(scope="module")
def phone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "電話.xlsx"
    assert svcq("score", "new", "--rubric", "phone-courtesy", "--calls", "3", "-o", path).code == 0
    return path


def _rows(path: Path) -> list[list]:
    book = calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


def test_template_contract(template: Path) -> None:
    rows = _rows(template)
    assert rows[3] == HEADER
    leaves = [r for r in rows[4:] if r[1] not in ("", "小計") and r[0] != "總分"]
    assert len(leaves) == 15
    assert [r[2] or r[1] for r in leaves][:3] == ["服務一致及正確", "服務友善", "服務禮貌"]
    assert leaves[8][1:4] == ["服務精進機制", "上年度評審建議事項提出具體改善措施", 5.0]
    assert all(r[6] for r in leaves)  # guidance
    subtotals = [r for r in rows if r[1] == "小計"]
    assert [(r[0], r[3], r[4]) for r in subtotals[:2]] == [("基礎服務", 20.0, 0.0),
                                                           ("服務遞送", 30.0, 0.0)]
    total = next(r for r in rows if r[0] == "總分")
    assert total[3] == 102.0
    wb = openpyxl.load_workbook(template)
    ws = wb.active
    assert ws["E8"].value == "=SUM(E5:E7)"
    assert ws["E26"].value == "=SUM(E8,E12,E16,E19,E22,E25)"
    dv = {str(v.sqref): (v.type, v.operator or "between", v.formula1, v.formula2)
          for v in ws.data_validations.dataValidation}
    assert dv["E5"] == ("decimal", "between", "0", "5")
    assert dv["E7"] == ("decimal", "between", "0", "10")
    rules = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules]
    assert any("E5>$D5" in f for f in rules)
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$4:$4"
    # user text stays text: the template cannot be tricked into formulas
    assert svcq("template", "score", "-o", template.parent / "t").code == 0


def test_compute_hand_values(template: Path, tmp_path: Path) -> None:
    typed = dict(PENGHU_113, 服務友善="４", 服務禮貌="9分")  # full-width and 分 are numbers
    filled = fill(template, tmp_path / "f.xlsx", typed)
    result = toolkit.compute_score(filled)
    assert isinstance(result, ScoreResult)
    assert result.problems == []
    assert result.total == PENGHU_113_TOTAL
    assert {d.name: d.score for d in result.dimensions} == PENGHU_113_DIMS
    assert [(s.leaf.name, s.lost) for s in result.gaps] == PENGHU_113_GAPS
    data = svcq("score", "compute", filled, "--json").json()
    assert set(data) >= {"rubric", "total", "max", "dimensions", "leaves", "problems"}
    assert (data["rubric"], data["total"], data["max"]) == ("penghu-107", 85.5, 102)
    assert data["dimensions"][0] == {"name": "基礎服務", "max": 20, "score": 17.5, "share": 0.875,
                                     "lost": 2.5}
    assert data["leaves"][8] == {"path": ["服務量能", "服務精進機制", "上年度評審建議事項提出具體改善措施"],
                                 "max": 5, "score": 3, "lost": 2}
    text = svcq("score", "compute", filled)
    assert text.code == 0 and "總分 85.5 / 102" in text.out and "服務成長及優化：失 2.5 分" in text.out
    # read as numbers, but the user is told Excel's own SUM skips text
    assert [(n.code, n.cell) for n in result.notes] == [("number-as-text", "E6"),
                                                         ("number-as-text", "E7")]
    assert "「9分」是文字" in text.err


def test_rows_matched_by_name_not_position(template: Path, tmp_path: Path) -> None:
    """Rows shuffled, 構面 cells merged (blank below the first) and an extra blank row."""
    filled = fill(template, tmp_path / "f.xlsx", PENGHU_113)
    wb = openpyxl.load_workbook(filled)
    ws = wb.active
    leaf_rows = [r for r in range(5, 26) if ws.cell(r, 2).value != "小計"]
    values = [[ws.cell(r, c).value for c in range(1, 8)] for r in leaf_rows]
    random.Random(7).shuffle(values)
    for r, row in zip(leaf_rows, values, strict=True):
        for c, v in enumerate(row, 1):
            ws.cell(r, c).value = v
    ws.cell(leaf_rows[1], 1).value = None  # as after merging 構面 cells
    ws.insert_rows(6)
    wb.save(filled)
    result = toolkit.compute_score(filled)
    assert result.problems == [] and result.total == PENGHU_113_TOTAL


def test_problems_all_listed_with_cells(template: Path, tmp_path: Path) -> None:
    bad = dict(PENGHU_113, 服務友善=6, 服務禮貌=-1, 服務便捷="很好", 創新性=None)
    filled = fill(template, tmp_path / "bad.xlsx", bad)
    wb = openpyxl.load_workbook(filled)
    wb.active["C30"] = "不存在的指標"
    wb.active["E30"] = 3
    wb.save(filled)
    result = toolkit.compute_score(filled)
    found = {(p.code, p.cell) for p in result.problems}
    assert found == {("over-cap", "E6"), ("negative", "E7"), ("not-a-number", "E9"),
                     ("unscored", "E21")}
    assert all(p.sheet == "自評表" for p in result.problems)
    out = tmp_path / "out"
    out.mkdir()
    res = svcq("score", "compute", filled, "-o", out / "scored.xlsx")
    assert res.code == 1 and files_in(out) == []
    assert "自評表!E6：「服務友善」的分數 6 超過配分 5" in res.err
    assert "「很好」不是分數" in res.err and "Traceback" not in res.err
    js = svcq("score", "compute", filled, "--json")
    assert js.code == 1 and len(js.json()["problems"]) == 4
    # blank-as-zero settles the blank, not the others
    zero = toolkit.compute_score(filled, blank_as_zero=True)
    assert {p.code for p in zero.problems} == {"over-cap", "negative", "not-a-number"}


def test_blank_as_zero_and_structure_problems(template: Path, tmp_path: Path) -> None:
    some = {k: v for k, v in PENGHU_113.items() if k in ("服務友善", "創新性")}
    filled = fill(template, tmp_path / "some.xlsx", some)
    result = toolkit.compute_score(filled, blank_as_zero=True)
    assert result.problems == [] and result.total == 7.5 and len(result.unscored) == 13
    assert len(toolkit.compute_score(filled).problems) == 13
    wb = openpyxl.load_workbook(filled)
    ws = wb.active
    ws["B6"] = "服務很友善"      # unknown leaf
    ws["B9"] = "服務可近性"      # duplicate of row 10
    wb.save(filled)
    codes = sorted(p.code for p in toolkit.compute_score(filled, blank_as_zero=True).problems)
    assert codes == ["duplicate-leaf", "missing-leaf", "missing-leaf", "unknown-leaf"]


def test_unusable_input(tmp_path: Path) -> None:
    not_score = tmp_path / "x.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "姓名"
    wb.save(not_score)
    res = svcq("score", "compute", not_score)
    assert res.code == 2 and "找不到自評表" in res.err
    res = svcq("score", "compute", tmp_path / "missing.xlsx")
    assert res.code == 2 and "找不到檔案" in res.err


def test_scored_workbook(template: Path, tmp_path: Path) -> None:
    filled = fill(template, tmp_path / "f.xlsx", PENGHU_113)
    out = tmp_path / "scored.xlsx"
    assert svcq("score", "compute", filled, "-o", out).code == 0
    book = calamine.CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["計分結果", "差距分析", "構面統計"]
    totals = book.get_sheet_by_name("計分結果").to_python()
    total = next(r for r in totals if r[0] == "總分")
    assert total[3:7] == [102.0, 85.5, 16.5, pytest.approx(85.5 / 102)]
    gaps = book.get_sheet_by_name("差距分析").to_python()
    assert [(r[3] or r[2], r[6]) for r in gaps[4:4 + len(PENGHU_113_GAPS)]] == PENGHU_113_GAPS
    dims = book.get_sheet_by_name("構面統計").to_python()
    assert {r[0]: r[2] for r in dims[4:10]} == PENGHU_113_DIMS
    with zipfile.ZipFile(out) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart and "構面統計" in chart


def test_phone_courtesy_calls(phone: Path, tmp_path: Path) -> None:
    rows = _rows(phone)
    assert rows[3][:7] == ["構面", "項目", "指標", "配分", "第1通", "第2通", "第3通"]
    filled = fill_calls(phone, tmp_path / "calls.xlsx", PHONE_CALLS)
    result = toolkit.compute_score(filled)
    assert isinstance(result, CallsResult) and result.problems == []
    assert [(c.label, c.total, c.band) for c in result.calls] == [
        ("第1通", 100, "優良"), ("第2通", 80, "良好"), ("第3通", 64, "待改善")]
    assert result.average == pytest.approx(244 / 3) and result.band == "良好"
    data = svcq("score", "compute", filled, "--json").json()
    assert [c["total"] for c in data["calls"]] == [100, 80, 64]
    assert data["average"] == pytest.approx(81.3333) and data["band"] == "良好"
    # the most-lost leaf on average: 語氣親切有耐心 (0+3+5)/3 = 2.67 vs 響鈴 (0+5+10)/3 = 5
    assert data["gaps"][0]["path"] == ["接聽速度", "響鈴4聲或10秒內接聽"]
    out = tmp_path / "phone-scored.xlsx"
    assert svcq("score", "compute", filled, "-o", out).code == 0
    sheet = calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("計分結果").to_python()
    assert next(r for r in sheet if r[0] == "等第")[4:8] == ["優良", "良好", "待改善", "良好"]
    text = svcq("score", "compute", filled).out
    assert "第3通：64 / 100　待改善" in text and "平均 81.33（3 通），等第 良好" in text


def test_phone_sheet_band_row_cached(tmp_path: Path) -> None:
    scores = {label: dict(zip(["響鈴4聲或10秒內接聽", "問候語及報明機關名稱"], v[:2], strict=True))
              for label, v in PHONE_CALLS.items()}
    path = write_sheet(tmp_path / "p.xlsx", "phone-courtesy", calls=3, scores=scores)
    band = next(r for r in _rows(path) if r[0] == "等第")
    assert band[4:7] == ["待改善", "待改善", "待改善"]  # 30, 25, 15 points


def test_compare_and_labels(template: Path, tmp_path: Path) -> None:
    a = fill(template, tmp_path / "a.xlsx", dict(PENGHU_113, 服務友善=3, 創新性=5))
    b = fill(template, tmp_path / "b.xlsx", PENGHU_113)
    res = svcq("score", "compare", a, b, "--labels", "112,113", "--json")
    data = res.json()
    assert res.code == 0 and data["labels"] == ["112", "113"]
    assert data["total"] == {"scores": [86, 85.5], "diff": -0.5}
    dims = {d["name"]: d["diff"] for d in data["dimensions"]}
    assert dims["基礎服務"] == 1 and dims["開放創新"] == -1.5
    changed = [x["path"][-1] for x in data["leaves"] if x["diff"]]
    assert changed == ["服務友善", "創新性"]
    out = tmp_path / "cmp.xlsx"
    text = svcq("score", "compare", a, b, "-o", out)
    assert text.code == 0 and "創新性：5 → 3.5（-1.5）" in text.out and out.exists()
    phone = write_sheet(tmp_path / "p.xlsx", "phone-courtesy", calls=2)
    mismatch = svcq("score", "compare", a, phone)
    assert mismatch.code == 2 and "不同的評分基準" in mismatch.err


def test_merge_parts(template: Path, tmp_path: Path) -> None:
    household = fill(template, tmp_path / "戶籍課.xlsx", {"服務友善": 4, "服務禮貌": 9})
    admin = fill(template, tmp_path / "行政課.xlsx", {"服務便捷": 8, "創新性": 3.5})
    wb = openpyxl.load_workbook(admin)
    wb.active["F9"] = "線上申辦統計表"
    wb.save(admin)
    merged = tmp_path / "merged.xlsx"
    res = svcq("score", "merge", template, household, admin, "-o", merged)
    assert res.code == 0, res.err
    rows = _rows(merged)
    by_name = {(r[2] or r[1]): r for r in rows[4:]}
    assert by_name["服務友善"][4] == 4 and by_name["創新性"][4] == 3.5
    assert by_name["服務便捷"][5] == "線上申辦統計表"
    # cached values of the formulas were updated with the merged scores
    subtotal = [r for r in rows if r[1] == "小計"]
    assert [r[4] for r in subtotal] == [13, 8, 0, 0, 3.5, 0]
    assert next(r for r in rows if r[0] == "總分")[4] == 24.5
    assert toolkit.compute_score(merged, blank_as_zero=True).total == 24.5
    # a conflict: listed, nothing written; --prefer last settles it
    other = fill(template, tmp_path / "人事.xlsx", {"服務友善": 3})
    out = tmp_path / "m2.xlsx"
    res = svcq("score", "merge", template, household, other, "-o", out)
    assert res.code == 1 and not out.exists()
    assert "「服務友善」各檔分數不一致" in res.err and "戶籍課.xlsx 自評表!E6 = 4" in res.err
    res = svcq("score", "merge", template, household, other, "-o", out, "--prefer", "last")
    assert res.code == 0 and toolkit.compute_score(out, blank_as_zero=True).total == 12
    assert svcq("score", "merge", template, household).code == 2  # no -o, no --in-place


def test_merged_label_cells_csv_and_no_rubric_cell(template: Path, tmp_path: Path) -> None:
    """構面 and 項目 cells merged by the user (blank below the first), the 評分基準 cell
    deleted (the rubric is recognised by its leaf names), and the same sheet saved as CSV."""
    filled = fill(template, tmp_path / "f.xlsx", PENGHU_113)
    wb = openpyxl.load_workbook(filled)
    ws = wb.active
    for ref in ("A6", "A7", "B15", "B2"):
        ws[ref] = None
    ws.merge_cells("A5:A7")
    wb.save(filled)
    result = toolkit.compute_score(filled)
    assert result.rubric.name == "penghu-107"
    assert result.problems == [] and result.total == PENGHU_113_TOTAL
    csv_path = tmp_path / "f.csv"
    rows = _rows(filled)
    csv_path.write_text("\n".join(",".join(str(v).replace(",", " ").replace("\n", " ") for v in r)
                                  for r in rows), encoding="utf-8")
    assert toolkit.compute_score(csv_path).total == PENGHU_113_TOTAL


def test_merge_into_base_without_the_row(template: Path, tmp_path: Path) -> None:
    base = tmp_path / "base.xlsx"
    wb = openpyxl.load_workbook(template)
    wb.active.delete_rows(6)  # 服務友善 gone from the base
    wb.save(base)
    part = fill(template, tmp_path / "part.xlsx", {"服務友善": 4})
    res = svcq("score", "merge", base, part, "-o", tmp_path / "m.xlsx")
    assert res.code == 1 and "沒有「基礎服務 › 服務友善」這一列" in res.err
    assert not (tmp_path / "m.xlsx").exists()
