"""Rubrics from the tables counties publish: a points column with merged parents and 小計/總計
rows, or points inside the names as in the 西嶼 plan's 附表. Tables are made with openpyxl
(one saved again by LibreOffice), read through the input gate, built, filled, computed and
compared to hand-computed totals; bad tables are refused with the cell named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_score_data import fill

import toolkit
from toolkit import compare_scores, compute_score, load_rubric, new_score_sheet
from toolkit.io.libreoffice import convert
from toolkit.io.read import Table, open_workbook
from toolkit.problems import Problem, ProblemsFound, SvcqError
from toolkit.score.rubric import Rubric
from toolkit.score.rubric_table import bands_from_table, rubric_from_table, rubric_rows, split_points

TITLE = "臺中市114年度戶政服務品質評分基準"

#: Style 1: 構面 | 項目 | 指標 | 配分 | 評分說明, 構面 merged over its rows, 小計 per 構面, 總計.
COUNTY: list[list[Any]] = [
    [TITLE],
    ["構面", "項目", "指標", "配分", "評分說明"],
    ["服務規劃", "標準作業流程", None, 10, "訂定並公開標準作業流程"],   # row 3
    [None, "服務禮貌", "電話禮貌", 6, "電話禮貌測試平均"],               # row 4
    [None, None, "櫃台禮儀", "４分", None],                               # row 5: full-width, 分
    [None, "小計", None, 20, None],                                      # row 6
    ["服務遞送", "線上申辦", None, 15, "線上申辦項目數"],                 # row 7
    [None, "到府服務", None, 15, None],                                  # row 8
    [None, "小計", None, 30, None],                                      # row 9
    ["服務評價", "滿意度調查", None, 10, "辦理並分析滿意度調查"],         # row 10
    [None, "小計", None, 10, None],                                      # row 11
    ["總計", None, None, 60, None],                                      # row 12
]
COUNTY_MERGES = ("A3:A6", "B4:B5", "A7:A9", "A10:A11")

#: Style 2: points inside the names (full-width brackets), the plan's columns.
PLAN: list[list[Any]] = [
    ["附表：西嶼鄉戶政事務所 114年度提升服務品質執行計畫內容"],
    ["執行策略", "執行指標", "次執行指標", "具體作法", "完成期限"],
    ["基礎服務（20分）", "服務一致及正確（5分）", "1. 申辦業務標準作業流程訂定情形",
     "（1）依 ISO 認證標準，業務承辦標準作業流程全數建立。", "全年"],                     # row 3
    [None, None, None, "（2）戶政作業依作業系統操作程序操作。", None],                    # row 4
    [None, None, "2. 服務及時性", "（1）公文處理時效零逾期。", None],                     # row 5
    [None, "服務友善（5 分）", "1. 服務設施合宜程度", "（1）加強辦公廳舍內外綠美化。", None],  # 6
    [None, "服務禮貌（10分）", "1. 電話禮貌測試", "（1）與其他戶所協測電話禮貌。", None],   # row 7
    ["服務量能（20分）", "內部作業簡化（10分）", None, "（1）全面電腦化作業。", "6月"],    # row 8
    [None, "服務精進機制（10分）", "1. 深化服務量能（5分）。", "（1）各項服務機制常態化。", None],  # 9
    [None, None, "2.上年度評審建議事項提出具體改善措施（5分）。", None, None],              # row 10
    ["執行計畫訂定核備情形（2分）", "執行計畫擬訂之具體完整性（1分）",
     "執行計畫擬訂之具體完整性（1分）", "年度結束後，由行政處彙整提送考核委員納入計算。", None],  # 11
    [None, "執行計畫依限報送備查情形（1分）", "執行計畫依限報送備查情形（1分）",
     "年度結束後，由行政處彙整提送考核委員納入計算。", None],                              # row 12
]
PLAN_MERGES = ("A3:A7", "B3:B5", "C3:C4", "E3:E7", "A8:A10", "B9:B10", "A11:A12")


def _book(path: Path, rows: list[list[Any]], merges: tuple[str, ...] = (),
          sheet: str = "評分標準") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def _read(path: Path, sheet: str | None = "評分標準") -> tuple[Rubric | None, list[Problem]]:
    return rubric_from_table(open_workbook(path).table(sheet))


def _county(tmp_path: Path, change: dict[tuple[int, int], Any] | None = None,
            merges: tuple[str, ...] = COUNTY_MERGES) -> tuple[Rubric | None, list[Problem]]:
    rows = [list(r) for r in COUNTY]
    for (r, c), v in (change or {}).items():  # 1-based row, 0-based column
        rows[r - 1][c] = v
    return _read(_book(tmp_path / "county.xlsx", rows, merges))


def _cells(problems: list[Problem]) -> list[tuple[str, str | None]]:
    return [(p.code, p.cell) for p in problems]


# ---------------------------------------------------------------- building


def test_points_column_with_merged_parents_and_subtotals(tmp_path: Path) -> None:
    rubric, problems = _county(tmp_path)
    assert problems == []
    assert rubric is not None
    assert (rubric.name, rubric.title, rubric.max) == (TITLE, TITLE, 60)
    assert [(d.name, d.points) for d in rubric.dimensions] == [
        ("服務規劃", 20), ("服務遞送", 30), ("服務評價", 10)]
    assert [(leaf.path, leaf.points) for leaf in rubric.leaves] == [
        (("服務規劃", "標準作業流程"), 10), (("服務規劃", "服務禮貌", "電話禮貌"), 6),
        (("服務規劃", "服務禮貌", "櫃台禮儀"), 4), (("服務遞送", "線上申辦"), 15),
        (("服務遞送", "到府服務"), 15), (("服務評價", "滿意度調查"), 10)]
    assert rubric.leaves[0].guidance == "訂定並公開標準作業流程"
    assert rubric.source == "county.xlsx「評分標準」"


def test_points_in_names_like_the_plan(tmp_path: Path) -> None:
    rubric, problems = _read(_book(tmp_path / "plan.xlsx", PLAN, PLAN_MERGES))
    assert problems == []
    assert rubric is not None
    assert rubric.title == "附表：西嶼鄉戶政事務所 114年度提升服務品質執行計畫內容"
    assert rubric.max == 42
    assert [(d.name, d.points) for d in rubric.dimensions] == [
        ("基礎服務", 20), ("服務量能", 20), ("執行計畫訂定核備情形", 2)]
    assert [(leaf.path[1:], leaf.points) for leaf in rubric.leaves] == [
        (("服務一致及正確",), 5), (("服務友善",), 5), (("服務禮貌",), 10), (("內部作業簡化",), 10),
        (("服務精進機制", "深化服務量能"), 5),
        (("服務精進機制", "上年度評審建議事項提出具體改善措施"), 5),
        # written twice (執行指標 and 次執行指標) in the plan: one leaf
        (("執行計畫擬訂之具體完整性",), 1), (("執行計畫依限報送備查情形",), 1)]
    guide = {leaf.name: leaf.guidance for leaf in rubric.leaves}
    assert guide["服務一致及正確"] == (
        "【申辦業務標準作業流程訂定情形】\n（1）依 ISO 認證標準，業務承辦標準作業流程全數建立。\n"
        "（2）戶政作業依作業系統操作程序操作。\n【服務及時性】\n（1）公文處理時效零逾期。\n完成期限：全年")
    assert guide["內部作業簡化"] == "（1）全面電腦化作業。\n完成期限：6月"
    assert guide["上年度評審建議事項提出具體改善措施"] == ""
    assert guide["執行計畫擬訂之具體完整性"] == "年度結束後，由行政處彙整提送考核委員納入計算。"


@pytest.mark.libreoffice
def test_plan_table_saved_by_libreoffice_reads_the_same(tmp_path: Path) -> None:
    """LibreOffice as a second client: its .ods (merges not reported by the reader: the blank
    cells are filled from above) and its own .xlsx give the same rubric."""
    src = _book(tmp_path / "plan.xlsx", PLAN, PLAN_MERGES)
    expected, _ = _read(src)
    [ods] = convert([src], "ods", tmp_path / "ods")
    [xlsx] = convert([ods], "xlsx", tmp_path / "xlsx")
    for path in (ods, xlsx):
        rubric, problems = _read(path)
        assert problems == []
        assert rubric is not None and expected is not None
        assert rubric.dimensions == expected.dimensions
        assert rubric.max == 42


def test_split_points_reads_what_staff_type() -> None:
    assert split_points("基礎服務(20分)") == ("基礎服務", 20)
    assert split_points("服務一致及正確 （５ 分）") == ("服務一致及正確", 5)
    assert split_points("2.上年度評審建議事項提出具體改善措施(5分)。") == ("上年度評審建議事項提出具體改善措施", 5)
    assert split_points("（一）服務友善（配分：2.5分）") == ("服務友善", 2.5)
    assert split_points("5S管理") == ("5S管理", None)  # a number that is part of the name stays
    assert split_points("服務禮貌(10)") == ("服務禮貌(10)", None)  # no 分: not points


def test_builtin_rubric_round_trips_through_a_table() -> None:
    penghu = load_rubric("penghu-107")
    rows = rubric_rows(penghu)
    assert rows[0] == ["構面", "項目", "指標", "配分", "具體作法"]
    assert rows[-1] == ["總計", "", "", 102, ""]
    rubric, problems = rubric_from_table(Table("x.xlsx", "評分標準", rows), name="penghu-107",
                                         title=penghu.title)
    assert problems == []
    assert rubric is not None
    assert rubric.dimensions == penghu.dimensions and rubric.leaves == penghu.leaves


def test_one_level_table_scores_each_dimension_as_its_own_item() -> None:
    rows = [["評核項目", "配分"], ["臨櫃服務", 60], ["電話禮貌", 40], ["合計", 100]]
    rubric, problems = rubric_from_table(Table("x.csv", None, rows), name="簡表")
    assert problems == []
    assert rubric is not None
    assert [(leaf.path, leaf.points) for leaf in rubric.leaves] == [
        (("臨櫃服務", "臨櫃服務"), 60), (("電話禮貌", "電話禮貌"), 40)]


def test_points_column_per_level_and_fill_down_without_merges() -> None:
    rows = [["構面", "構面配分", "項目", "項目配分"],
            ["甲", 10, "一", 4], ["甲", 10, "二", 6],       # 甲 written again on each row
            ["乙", "5分", "三", 5]]
    rubric, problems = rubric_from_table(Table("x.csv", None, rows), name="x")
    assert problems == []
    assert rubric is not None
    assert [(d.name, d.points, [c.points for c in d.children]) for d in rubric.dimensions] == [
        ("甲", 10, [4, 6]), ("乙", 5, [5])]


def test_subtotal_and_total_rows_in_every_way_they_are_written() -> None:
    rows = [["構面", "項目", "配分"],
            ["甲", "一", 4], [None, "二", 6], ["小計", None, 10],           # 小計 in the first column
            ["乙", "三", 5], ["乙小計", None, 5],                           # named beside the word
            ["丙", "四", 3], [None, "合計", 3],                             # 合計 one level down
            ["合計（18分）", None, None]]                                    # points in the label
    rubric, problems = rubric_from_table(Table("x.csv", None, rows), name="x")
    assert problems == []
    assert rubric is not None and rubric.max == 18
    rows[-1] = ["合計", None, 19]
    rows[5] = ["乙小計", None, 4]
    _, problems = rubric_from_table(Table("x.csv", None, rows), name="x")
    assert [(p.code, p.cell) for p in problems] == [("rubric-subtotal", "C6"), ("rubric-total", "C9")]
    _, problems = rubric_from_table(Table("x.csv", None, [["構面", "項目", "配分"], ["小計", None, 3]]))
    assert [(p.code, p.cell) for p in problems] == [("rubric-no-parent", "A2")]


def test_bands_from_their_own_table() -> None:
    bands, problems = bands_from_table(Table("x.xlsx", "等第", [["等第", "最低分"], ["優良", 90],
                                                                ["待改善", 0], ["良好", "80分"]]))
    assert problems == []
    assert [(b.label, b.min) for b in bands] == [("優良", 90), ("良好", 80), ("待改善", 0)]
    _, problems = bands_from_table(Table("x.xlsx", "等第", [["等第", "最低分"], ["優", 90],
                                                            ["甲", 90], ["乙", "很高"]]))
    assert _cells(problems) == [("rubric-bad-band", "B3"), ("rubric-bad-band", "B4")]


# ---------------------------------------------------------------- fill, compute, compare

#: Two years' self-scores of the county table, and the hand-computed results.
YEAR_A = {"標準作業流程": 8, "電話禮貌": 5, "櫃台禮儀": 3.5, "線上申辦": 12, "到府服務": 15, "滿意度調查": 7}
YEAR_B = {"標準作業流程": 9, "電話禮貌": 6, "櫃台禮儀": 4, "線上申辦": 13, "到府服務": 14, "滿意度調查": 8}


def test_county_table_builds_fills_computes_and_compares(tmp_path: Path) -> None:
    rubric, _ = _county(tmp_path)
    assert rubric is not None
    blank = new_score_sheet(tmp_path / "自評表.xlsx", rubric, year="114").path
    a = fill(blank, tmp_path / "a.xlsx", YEAR_A)
    b = fill(blank, tmp_path / "b.xlsx", YEAR_B)
    result = compute_score(a, rubric)
    assert (result.total, result.max) == (50.5, 60)
    assert {d.name: d.score for d in result.dimensions} == {"服務規劃": 16.5, "服務遞送": 27, "服務評價": 7}
    assert [(g.leaf.name, g.lost) for g in result.gaps][:3] == [("線上申辦", 3), ("滿意度調查", 3),
                                                               ("標準作業流程", 2)]
    comparison = compare_scores(a, b, ("113", "114"), rubric=rubric).to_dict()
    assert comparison["total"] == {"scores": [50.5, 54], "diff": 3.5}
    assert {d["name"]: d["diff"] for d in comparison["dimensions"]} == {
        "服務規劃": 2.5, "服務遞送": 0, "服務評價": 1}


def test_plan_table_fills_and_computes(tmp_path: Path) -> None:
    rubric, _ = _read(_book(tmp_path / "plan.xlsx", PLAN, PLAN_MERGES))
    assert rubric is not None
    blank = new_score_sheet(tmp_path / "自評表.xlsx", rubric, year="114").path
    scores = {"服務一致及正確": 4.5, "服務友善": 4, "服務禮貌": 9, "內部作業簡化": 8, "深化服務量能": 4,
              "上年度評審建議事項提出具體改善措施": 3, "執行計畫擬訂之具體完整性": 1,
              "執行計畫依限報送備查情形": 0}
    result = compute_score(fill(blank, tmp_path / "filled.xlsx", scores), rubric)
    assert (result.total, result.max) == (33.5, 42)
    assert {d.name: d.score for d in result.dimensions} == {
        "基礎服務": 17.5, "服務量能": 15, "執行計畫訂定核備情形": 1}


# ---------------------------------------------------------------- refused, with the cell


def test_wrong_subtotal_and_total_name_their_cells(tmp_path: Path) -> None:
    _, problems = _county(tmp_path, {(6, 3): 21, (12, 3): 61})
    assert _cells(problems) == [("rubric-subtotal", "D6"), ("rubric-total", "D12")]
    assert problems[0].sheet == "評分標準"
    assert "小計 21 與「服務規劃」各項配分合計 20 不符" in problems[0].message
    assert "總計 61 與各構面配分合計 60 不符" in problems[1].message


def test_leaf_without_points_duplicate_and_bad_points_are_all_listed(tmp_path: Path) -> None:
    _, problems = _county(tmp_path, {(8, 1): "線上申辦", (5, 3): "四分", (10, 3): None})
    # no sum is blamed for the parts already reported (小計 D6, D9, D11 and 總計 D12 are right)
    assert _cells(problems) == [
        ("rubric-bad-points", "D5"),     # 「四分」 is not a number
        ("rubric-duplicate", "B8"),      # 線上申辦 twice under 服務遞送 (column B merges cells)
        ("rubric-no-points", "B10"),     # 滿意度調查 blank
    ]
    assert "B7 已有同名的項目" in problems[1].message
    assert problems[2].message == "「滿意度調查」沒有配分：請在配分欄填寫，或在名稱後寫「（5分）」"


def test_parent_not_the_sum_of_its_children(tmp_path: Path) -> None:
    rows = [list(r) for r in PLAN]
    rows[2][0] = "基礎服務（21分）"
    rows[8][1] = "服務精進機制（9分）"
    _, problems = _read(_book(tmp_path / "plan.xlsx", rows, PLAN_MERGES))
    assert _cells(problems) == [("rubric-parent-points", "A3"), ("rubric-parent-points", "B9")]
    assert problems[0].message == "「基礎服務」配分 21，但其下各項配分合計 20"


def test_points_in_a_name_must_agree_with_the_points_column(tmp_path: Path) -> None:
    _, problems = _county(tmp_path, {(7, 1): "線上申辦（10分）"})
    assert _cells(problems)[0] == ("rubric-points-conflict", "D7")
    assert "10（B7）與 15" in problems[0].message


def test_a_blank_outside_the_merged_parent_is_not_guessed(tmp_path: Path) -> None:
    _, problems = _county(tmp_path, merges=("A3:A5", "B4:B5", "A7:A9", "A10:A11"))
    assert ("rubric-ambiguous-blank", "A6") not in _cells(problems)  # a 小計 row: fine
    _, problems = _county(tmp_path, merges=("A3:A4", "B4:B5", "A7:A9", "A10:A11"))
    assert _cells(problems) == [("rubric-ambiguous-blank", "A5")]
    assert "不在「服務規劃」的合併儲存格範圍內" in problems[0].message


def test_rows_after_a_subtotal_or_without_a_parent() -> None:
    rows = [["構面", "項目", "配分"], [None, "孤兒", 5], ["甲", "一", 5], [None, "小計", 5],
            [None, "二", 3], [None, None, 2]]
    _, problems = rubric_from_table(Table("x.csv", None, rows), name="x")
    assert _cells(problems) == [("rubric-no-parent", "A2"), ("rubric-after-subtotal", "B5"),
                                ("rubric-points-without-name", "C6")]


def test_leaf_too_deep_and_mixed_siblings(tmp_path: Path) -> None:
    rows = [["構面", "項目", "指標", "細項"], ["甲(10分)", "一(10分)", "子(6分)", "孫(6分)"],
            [None, None, "女", None]]
    _, problems = rubric_from_table(Table("x.csv", None, rows), name="x")
    assert _cells(problems) == [("rubric-too-deep", "D2"), ("rubric-no-points", "C3")]
    assert problems[1].message == "「女」沒有配分，但同在「一」底下的其他項目有配分"


def test_not_a_rubric_table() -> None:
    _, problems = rubric_from_table(Table("x.xlsx", "工作表1", [["編號", "姓名"], [1, "王"]]))
    assert _cells(problems) == [("rubric-no-header", "A1")]
    assert "找不到評分標準的標題列" in problems[0].message


# ---------------------------------------------------------------- YAML errors in Chinese


def test_full_width_colon_in_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "本所.yaml"
    path.write_text("name: 本所\ndimensions：\n  - name: 甲\n    points：5\n", encoding="utf-8")
    with pytest.raises(SvcqError) as caught:
        load_rubric(path)
    message = str(caught.value)
    assert "第 2 行、第 4 行用了全形冒號「：」" in message and "points: 5" in message
    path.write_text("代號：本所\n", encoding="utf-8")  # parses as one string
    with pytest.raises(SvcqError, match="第 1 行用了全形冒號"):
        load_rubric(path)


@pytest.mark.parametrize(("text", "said"), [
    ("name: x\n\tdimensions: []\n", "第 2 行的 YAML 格式錯誤：不能用 Tab 鍵縮排"),
    ("name: x\ndimensions:\n  - name: a\n   points: 5\n", "第 4 行的 YAML 格式錯誤：縮排不一致"),
    ("name: 'x\n", "YAML 格式錯誤：引號（' 或 \"）沒有成對"),
    ("name: x\nname: y\n", "第 2 行：「name」重複設定了兩次"),
])
def test_yaml_errors_are_chinese(tmp_path: Path, text: str, said: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SvcqError) as caught:
        load_rubric(path)
    assert said in str(caught.value)
    assert caught.value.problem.code == "bad-yaml"


def test_yaml_problems_still_listed_after_parsing(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("名稱: 本所\n構面:\n  - {名稱: 甲, 配分: 5, 細項: [{名稱: 一, 配分: 4}]}\n",
                    encoding="utf-8")
    with pytest.raises(ProblemsFound, match="配分 5，但其下各項配分合計 4"):
        load_rubric(path)


# ---------------------------------------------------------------- workbooks


def test_rubric_table_file_and_its_band_sheet(tmp_path: Path) -> None:
    from toolkit.score.rubric_sheets import read_rubric_table

    path = _book(tmp_path / "臺中市評分標準.xlsx", COUNTY, COUNTY_MERGES)
    wb = openpyxl.load_workbook(path)
    bands = wb.create_sheet("等第")
    for row in (["等第", "最低分"], ["優良", 50], ["待改善", 0]):
        bands.append(row)
    wb.save(path)
    rubric = read_rubric_table(path)
    assert (rubric.name, rubric.max) == ("臺中市評分標準", 60)
    assert [(b.label, b.min) for b in rubric.bands] == [("優良", 50), ("待改善", 0)]
    with pytest.raises(ProblemsFound) as caught:
        read_rubric_table(_county_file(tmp_path, {(6, 3): 21}))
    assert [p.cell for p in caught.value.problems] == ["D6"]


def test_blank_template_is_refused_until_filled(tmp_path: Path) -> None:
    from toolkit.score.rubric_sheets import read_rubric_table, write_rubric_template

    path = write_rubric_template(tmp_path / "評分標準.xlsx")
    book = open_workbook(path)
    assert book.sheet_names == ["評分標準", "等第", "說明"]
    with pytest.raises(ProblemsFound) as caught:
        read_rubric_table(path)
    assert [(p.code, p.cell) for p in caught.value.problems] == [("rubric-empty", "A2")]
    wb = openpyxl.load_workbook(path)
    ws = wb["評分標準"]
    for r, row in enumerate([["甲", "一", None, 6], [None, "二", None, 4]], 3):
        for c, v in enumerate(row, 1):
            ws.cell(r, c).value = v
    wb.save(path)
    assert read_rubric_table(path).max == 10


def test_hidden_rubric_sheet_round_trips(tmp_path: Path) -> None:
    from toolkit.io.xlsx import new_workbook
    from toolkit.score.rubric_sheets import HIDDEN_SHEET, add_rubric_sheet, rubric_in_book

    for builtin in ("penghu-107", "phone-courtesy"):
        rubric = load_rubric(builtin)
        path = tmp_path / f"{builtin}.xlsx"
        with new_workbook(path) as wb:
            wb.add_worksheet("自評表").write(0, 0, "x")
            add_rubric_sheet(wb, rubric)
        book = open_workbook(path)
        assert HIDDEN_SHEET in book.hidden_sheets
        again = rubric_in_book(book, rubric.name)
        assert again is not None
        assert (again.title, again.leaves, again.bands) == (rubric.title, rubric.leaves, rubric.bands)


def _county_file(tmp_path: Path, change: dict[tuple[int, int], Any]) -> Path:
    rows = [list(r) for r in COUNTY]
    for (r, c), v in change.items():
        rows[r - 1][c] = v
    return _book(tmp_path / "bad.xlsx", rows, COUNTY_MERGES)


# ---------------------------------------------------------------- the commands


def test_commands_take_a_rubric_table_and_the_sheet_carries_it(tmp_path: Path) -> None:
    from helpers import svcq

    table = _book(tmp_path / "臺中市評分標準.xlsx", COUNTY, COUNTY_MERGES)
    listed = svcq("score", "rubrics", table)
    assert listed.code == 0 and "臺中市評分標準　臺中市114年度戶政服務品質評分基準（滿分 60" in listed.out
    blank = tmp_path / "自評表.xlsx"
    made = svcq("score", "new", "--rubric", table, "--office", "大寮戶政事務所", "--year", "114年",
                "-o", blank)
    assert made.code == 0, made.err
    ws = openpyxl.load_workbook(blank)["自評表"]
    assert ws["A1"].value == "大寮戶政事務所114年度 提升服務品質自評表"
    assert "本表依「臺中市114年度戶政服務品質評分基準」評分" in ws["A3"].value
    a = fill(blank, tmp_path / "a.xlsx", YEAR_A)
    b = fill(blank, tmp_path / "b.xlsx", YEAR_B)
    table.unlink()  # from here on, the sheets alone
    data = svcq("score", "compute", a, "--json").json()
    assert (data["rubric"], data["total"], data["max"]) == ("臺中市評分標準", 50.5, 60)
    compared = svcq("score", "compare", a, b, "--json").json()
    assert compared["total"] == {"scores": [50.5, 54], "diff": 3.5}
    part = fill(blank, tmp_path / "戶籍課.xlsx", {"線上申辦": 13, "到府服務": 14})
    merged = tmp_path / "彙整.xlsx"
    assert svcq("score", "merge", blank, part, "-o", merged).code == 0
    assert toolkit.compute_score(merged, blank_as_zero=True).total == 27


def test_a_bad_table_is_refused_with_its_cells_and_nothing_is_written(tmp_path: Path) -> None:
    from helpers import files_in, svcq

    out = tmp_path / "out"
    out.mkdir()
    bad = _county_file(tmp_path, {(6, 3): 21, (3, 3): "十"})
    result = svcq("score", "new", "--rubric", bad, "-o", out / "自評表.xlsx")
    assert result.code == 1
    assert "評分標準!D3：配分「十」必須是大於 0 的數字" in result.err
    assert "D6" not in result.err  # no sum is blamed for a part already reported
    assert "Traceback" not in result.err
    assert files_in(out) == []
    result = svcq("score", "new", "--rubric", _county_file(tmp_path, {(6, 3): 21}), "-o", out / "x.xlsx")
    assert result.code == 1 and "評分標準!D6：小計 21 與「服務規劃」各項配分合計 20 不符" in result.err


def test_rubric_template_command(tmp_path: Path) -> None:
    from helpers import svcq

    result = svcq("score", "rubric-template", "-o", tmp_path / "評分標準.xlsx")
    assert result.code == 0 and (tmp_path / "評分標準.xlsx").is_file()
    assert open_workbook(tmp_path / "評分標準.xlsx").sheet_names == ["評分標準", "等第", "說明"]


def test_the_title_names_the_office_and_year_never_a_fixed_county(tmp_path: Path) -> None:
    sheet = new_score_sheet(tmp_path / "a.xlsx", "penghu-107", office="西嶼鄉戶政事務所", year="113")
    assert openpyxl.load_workbook(sheet.path)["自評表"]["A1"].value == "西嶼鄉戶政事務所113年度 提升服務品質自評表"
    calls = new_score_sheet(tmp_path / "b.xlsx", "phone-courtesy", office="大寮戶政事務所")
    assert openpyxl.load_workbook(calls.path)["電話禮貌測試"]["A1"].value == "大寮戶政事務所 電話禮貌測試評分表"
