"""Adopting an office's own control sheet: every layout of issue 12, built by hand with openpyxl
(one re-saved through LibreOffice), checked against hand-computed tasks, units and months."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles import Alignment, PatternFill
from openpyxl.styles.colors import Color

from toolkit.catalogue import CATALOGUE
from toolkit.schedule.adopt import Adoption, AdoptOptions
from toolkit.schedule.adopt_files import read_adoption
from toolkit.schedule.sheets import load_plan, write_control_sheet

OFFICE = "臺北市中正區戶政事務所"
TITLE = f"{OFFICE}107年度重要工作計畫作業時程管制表"
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "schedule"
#: Excel's 「白色, 背景 1, 較深 25%」: theme 0 (white) darkened by a tint — grey on screen.
GREY = PatternFill("solid", fgColor=Color(theme=0, tint=-0.249977111117893))
SILVER = PatternFill("solid", fgColor=Color(indexed=22))  # legacy palette grey C0C0C0
GREEN = PatternFill("solid", fgColor="FFC6EFCE")


def build(path: Path, rows: list[list[Any]], *, merges: tuple[str, ...] = (),
          fills: dict[str, PatternFill] | None = None, sheet: str = "工作表1") -> Path:
    """A sheet typed from A1: ``rows`` of values (None = blank), merged ranges, shaded ranges."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value).alignment = Alignment(wrap_text=True)
    for rng in merges:
        ws.merge_cells(rng)
    for rng, fill in (fills or {}).items():
        for row in ws[rng] if ":" in rng else [[ws[rng]]]:
            for cell in row:
                cell.fill = fill
    wb.save(path)
    return path


def months_row(first: int = 1) -> list[Any]:
    return list(range(first, first + 12))


def tasks(a: Adoption) -> list[tuple[str, str, str, tuple[int, ...]]]:
    return [(t.id, t.unit, t.task, t.planned) for t in a.sheet.tasks]


def codes(a: Adoption) -> list[str]:
    return [p.code for p in a.problems]


# ── the seed's layout: title, three header rows, merged items, unit in parentheses, shading ──

def seed_sheet(path: Path) -> Path:
    rows: list[list[Any]] = [
        [TITLE],
        ["編號", "計畫項目\n(課室)", "工作內容", "預定作業時程"],
        [None, None, None, "107年度"],
        [None, None, None, *months_row()],
        ["1", "107年度清查人\n口作業\n(戶籍登記課)", "清查致贈百歲人瑞金鎖片，當事人不知去向者"],
        [None, None, "清查90歲以上設有戶籍者"],
        [2, "辦理生育獎勵金發放作業\n(戶籍登記課)", "依出生通報通知申請人及辦理相關請領流程檢核"],
        ["5", "內政部戶政業務評鑑(各課)", "依評鑑指標執行戶政業務"],
        [None, None, "彙整執行成果"],
        ["7", "辦理各項戶政業務研習(戶籍登記、資料課)", "筆跡鑑定講習"],
        ["4", "戶籍檔案掃描暨查詢系統專案\n(戶籍資料課)", "掃描107年度身分登記類申請書"],
        ["25", "107年度法定預算分配之申請(會計)", "提列預算分配之申請案"],
    ]
    return build(path, rows, merges=("A1:O1", "A2:A4", "B2:B4", "C2:C4", "D2:O2", "D3:O3",
                                     "A5:A6", "B5:B6", "A8:A9", "B8:B9"),
                 fills={"D5:F5": GREY, "G6:I6": GREY, "D7:O7": GREY, "D8:L8": GREY, "L9": GREY,
                        "K10": GREY, "D11:O11": GREY, "D12": GREY})


def test_seed_layout(tmp_path: Path) -> None:
    a = read_adoption(seed_sheet(tmp_path / "中正.xlsx"))
    assert a.problems == []
    assert (a.sheet.office, a.sheet.year, a.layout) == (OFFICE, 107, "rows")
    assert a.header_rows == [2, 3, 4] and a.title_rows == [(1, TITLE)]
    assert a.columns == {"編號": "A", "計畫項目": "B", "工作內容": "C"}
    assert a.months == {m: "DEFGHIJKLMNO"[m - 1] for m in range(1, 13)}
    assert a.unit_in_parentheses == ["計畫項目"]
    every = ("戶籍登記課", "戶籍資料課", "會計")
    assert tasks(a) == [
        ("1", "戶籍登記課", "清查致贈百歲人瑞金鎖片，當事人不知去向者", (1, 2, 3)),
        ("1", "戶籍登記課", "清查90歲以上設有戶籍者", (4, 5, 6)),
        ("2", "戶籍登記課", "依出生通報通知申請人及辦理相關請領流程檢核", tuple(range(1, 13))),
        ("5", "各課", "依評鑑指標執行戶政業務", tuple(range(1, 10))),
        ("5", "各課", "彙整執行成果", (9,)),
        ("7", "戶籍登記、資料課", "筆跡鑑定講習", (8,)),
        ("4", "戶籍資料課", "掃描107年度身分登記類申請書", tuple(range(1, 13))),
        ("25", "會計", "提列預算分配之申請案", (1,)),
    ]
    t = a.sheet.tasks
    assert t[0].project == "107年度清查人口作業"  # the hand line break inside the name is gone
    assert [x.owners for x in t[3:6]] == [every, every, ("戶籍登記課", "戶籍資料課")]
    assert t[0].units == () and t[3].units == every
    assert a.sheet.plan.units == list(every)  # never a unit called 各課
    assert [x.id for x in a.sheet.plan.for_unit("會計").tasks] == ["5", "5", "25"]
    first = a.tasks[0]
    assert first.cells["編號"] == "A5" and first.cells["計畫項目"] == "B5"
    assert first.cells["工作內容"] == "C5" and first.cells["承辦單位"] == "B5"
    assert first.planned_cells == {1: "D5", 2: "E5", 3: "F5"}
    assert set(first.planned_from.values()) == {"網底"}
    assert a.tasks[1].cells["編號"] == "A5"  # merged: the anchor holds it
    assert a.fills == {"預定": {"#BFBFBF（主題色 白色, 背景 1, 較深 25%）": 42}}
    text = "\n".join(a.lines())
    assert "標題列：第 2–4 列" in text and "計畫項目 B 欄（括號內為承辦單位）" in text
    assert "共同辦理「各課」→ 戶籍登記課、戶籍資料課、會計（編號 5）" in text
    assert "戶籍登記 → 戶籍登記課、資料課 → 戶籍資料課" in text
    assert "1｜戶籍登記課｜1-3〔網底〕｜—｜—｜清查致贈百歲人瑞金鎖片" in text


def test_status_json_contract_keeps_display_unit(tmp_path: Path) -> None:
    from toolkit.roc import YearMonth
    from toolkit.schedule import status

    a = read_adoption(seed_sheet(tmp_path / "中正.xlsx"))
    report = status(a.sheet, YearMonth(107, 6)).to_dict()
    shared = report["tasks"][3]
    assert set(shared) == {"id", "project", "unit", "task", "planned_months", "actual_months",
                           "completion", "status", "reason", "reason_missing"}
    assert (shared["unit"], shared["status"]) == ("各課", "late")


# ── one header row, 1月…12月, unit column, marks, progress columns ──

def test_one_header_row_with_marks_and_progress(tmp_path: Path) -> None:
    header = ["項次", "工作項目", "工作內容", "承辦課室", *[f"{m}月" for m in range(1, 13)],
              "執行進度(%)", "落後原因及改進措施", "備註"]
    rows = [
        ["本所107年度重要工作計畫作業時程管制表（107年度）"],
        header,
        ["１", "門牌整編", "祥瑞街門牌整編", "戶籍登記課", None, None, None, "■", None, None,
         None, None, None, None, None, None, "８０％", "", "配合區公所"],
        [None, None, "龍北路門牌勘查", None, None, None, None, None, None, "■", "■", "■", "■",
         None, None, None, 0.25, "勘查人力不足，\n8月增派2人", None],
        ["2", "網站更新", "每月第一上班日呈報", "行政庶務課", *(["■"] * 12), 1, None, None],
    ]
    a = read_adoption(build(tmp_path / "a.xlsx", rows), AdoptOptions(office="臺中市龍井區戶政事務所"))
    assert a.problems == []
    assert (a.sheet.office, a.sheet.year, a.layout, a.header_rows) == ("臺中市龍井區戶政事務所", 107, "rows", [2])
    assert a.columns == {"編號": "A", "計畫項目": "B", "工作內容": "C", "承辦單位": "D",
                         "完成度": "Q", "落後原因及因應對策": "R", "備註": "S"}
    assert tasks(a) == [("1", "戶籍登記課", "祥瑞街門牌整編", (4,)),
                        ("1", "戶籍登記課", "龍北路門牌勘查", (6, 7, 8, 9)),
                        ("2", "行政庶務課", "每月第一上班日呈報", tuple(range(1, 13)))]
    t = a.sheet.tasks
    assert [x.completion for x in t] == [0.8, 0.25, 1.0]
    assert t[1].reason == "勘查人力不足，\n8月增派2人" and t[0].note == "配合區公所"
    assert t[1].unit == "戶籍登記課" and a.tasks[1].cells["承辦單位"] == "D3"  # carried within the item
    assert a.marks == {"預定": {"■": 17}}
    assert a.tasks[0].cells["完成度"] == "Q3"


# ── paired rows 預定進度/實際進度, 一月…十二月, merged pair cells ──

def test_paired_rows(tmp_path: Path) -> None:
    cjk = ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"]
    rows = [
        [f"{OFFICE}107年度工作計畫管制表"],
        ["編號", "計畫項目", "承辦單位", "工作內容", "進度別", "預定作業時程(107年度)", *[None] * 11,
         "完成度", "落後原因及因應對策", "備註"],
        [None, None, None, None, None, *cjk],
        ["10", "辦理內外部顧客滿意度調查", "行政庶務課", "外部顧客滿意度調查", "預定進度",
         *[None] * 12, "50%", None, None],
        [None, None, None, None, "實際進度", None, None, None, None, "✓", *[None] * 7],
        [None, None, None, "調查結果檢討改進", "預定進度", *[None] * 12, None, "問卷回收延至6月底", None],
        [None, None, None, None, "實際進度", *[None] * 12, None, None, None],
        ["45", "遷調案", "人事室", "清查職期屆滿者", "預定進度", "●", *[None] * 11, 1, None, "已完成"],
        [None, None, None, None, "實際進度", "V", *[None] * 11],
    ]
    path = build(tmp_path / "pairs.xlsx", rows,
                 merges=("F2:Q2", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "R2:R3", "S2:S3", "T2:T3",
                         "A4:A7", "B4:B7", "C4:C7", "D4:D5", "D6:D7", "R4:R5", "R6:R7", "S4:S5",
                         "S6:S7", "A8:A9", "B8:B9", "C8:C9", "D8:D9", "R8:R9", "T8:T9"),
                 fills={"J4": SILVER, "O4": SILVER, "K6": SILVER, "P6": SILVER})
    a = read_adoption(path)
    assert a.problems == []
    assert (a.layout, a.header_rows, a.pair_words) == ("pairs", [2, 3], ["預定進度", "實際進度"])
    assert a.columns["預定/實際"] == "E" and a.months[1] == "F" and a.months[12] == "Q"
    got = [(t.id, t.unit, t.task, t.planned, t.actual, t.completion, t.reason, t.note)
           for t in a.sheet.tasks]
    assert got == [
        ("10", "行政庶務課", "外部顧客滿意度調查", (5, 10), (5,), 0.5, "", ""),
        ("10", "行政庶務課", "調查結果檢討改進", (6, 11), (), None, "問卷回收延至6月底", ""),
        ("45", "人事室", "清查職期屆滿者", (1,), (1,), 1.0, "", "已完成"),
    ]
    first = a.tasks[0]
    assert first.planned_from == {5: "網底", 10: "網底"} and a.tasks[2].planned_from == {1: "記號"}
    assert first.actual_row == {m: f"{'FGHIJKLMNOPQ'[m - 1]}5" for m in range(1, 13)}
    assert first.cells["完成度"] == "R4" and a.tasks[1].cells["落後原因及因應對策"] == "S6"
    assert a.fills == {"預定": {"#C0C0C0（調色盤 22）": 4}}
    assert a.marks == {"預定": {"●": 1}, "實際": {"✓": 2}}


def test_svcq_own_sheet_adopts_as_itself(tmp_path: Path) -> None:
    plan = load_plan(SAMPLES / "zhongzheng-107-plan.csv")
    dst = write_control_sheet(plan, tmp_path / "107.xlsx", 107, OFFICE)
    a = read_adoption(dst)
    assert a.problems == []
    assert (a.layout, a.sheet.office, a.sheet.year, a.sheet_name) == ("pairs", OFFICE, 107, "作業時程管制表")
    assert [(t.key, t.unit, t.project, t.planned) for t in a.sheet.tasks] == [
        (t.key, t.unit, t.project, t.planned) for t in plan.tasks]
    assert {s for r in a.tasks for s in r.planned_from.values()} == {"網底＋記號"}


# ── units: full-width parentheses after a line break, 「A課及B課」, unit column 各課室 ──

def test_units_written_every_way(tmp_path: Path) -> None:
    rows = [
        ["編號", "計畫項目", "工作內容", *[f"{m}月" for m in range(1, 13)]],
        ["1", "戶籍登記法令講習\n（戶籍登記課）", "講習", "v"],
        ["2", "人口政策宣導（行政庶務課）", "宣導", None, "v"],
        ["3", "聯合稽核(行政庶務課及戶籍資料課)", "稽核", None, None, "v"],
        ["4", "滿意度調查", "問卷（全所各課）", None, None, None, "v"],
    ]
    a = read_adoption(build(tmp_path / "u.xlsx", rows), AdoptOptions(year=108))
    assert a.problems == []
    assert [(t.project, t.unit, t.owners) for t in a.sheet.tasks] == [
        ("戶籍登記法令講習", "戶籍登記課", ("戶籍登記課",)),
        ("人口政策宣導", "行政庶務課", ("行政庶務課",)),
        ("聯合稽核", "行政庶務課及戶籍資料課", ("行政庶務課", "戶籍資料課")),
        ("滿意度調查", "全所各課", ("戶籍登記課", "行政庶務課", "戶籍資料課")),
    ]
    assert a.sheet.tasks[3].task == "問卷" and a.tasks[3].unit_from == "工作內容括號"
    assert a.sheet.year == 108


# ── the month-by-month plan (longjing 101 捌、作業時程) ──

def test_month_by_month_plan(tmp_path: Path) -> None:
    rows = [
        ["臺中市龍井區戶政事務所101年度提升服務品質執行計畫　捌、作業時程"],
        ["月份", "推動計畫目標", "任務小組 工作事項"],
        ["一月", "一、提出「關懷系列—戶政幸福列車」試辦計畫\n二、舉辦所務會議暨法令講習。",
         "一、試辦計畫報市府備查。"],
        ["三月", "一、辦理服務人員滿意度調查及禮貌人員選拔活動\n二、舉辦所務會議暨法令講習",
         "一、預定本月第二周舉辦。"],
        ["五月", "一、舉辦中、英、日、越南文「送給媽媽一封感恩信」活動。 二、「報稅真容易」宣導"
                 " 三、舉辦所務會議暨法令講習。 五、外籍配偶生活輔導班（資訊流通服務組）", None],
        [None, "六、藝文區展覽", None],
        ["九月", "1. 辦理服務人員滿意度調查及禮貌人員選拔活動", None],
    ]
    a = read_adoption(build(tmp_path / "longjing.xlsx", rows, merges=("A5:A6",)),
                      AdoptOptions(unit="優質便民服務組"))
    assert a.problems == []
    assert (a.layout, a.sheet.office, a.sheet.year) == ("by-month", "臺中市龍井區戶政事務所", 101)
    got = [(t.id, t.task, t.planned, t.unit) for t in a.sheet.tasks]
    assert got == [
        ("1", "提出「關懷系列—戶政幸福列車」試辦計畫", (1,), "優質便民服務組"),
        ("2", "舉辦所務會議暨法令講習", (1, 3, 5), "優質便民服務組"),
        ("3", "辦理服務人員滿意度調查及禮貌人員選拔活動", (3, 9), "優質便民服務組"),
        ("4", "舉辦中、英、日、越南文「送給媽媽一封感恩信」活動", (5,), "優質便民服務組"),
        ("5", "「報稅真容易」宣導", (5,), "優質便民服務組"),
        ("6", "外籍配偶生活輔導班", (5,), "資訊流通服務組"),
        ("7", "藝文區展覽", (5,), "優質便民服務組"),
    ]
    assert a.tasks[1].planned_cells == {1: "B3", 3: "B4", 5: "B5"}
    assert a.columns == {"月份": "A", "推動計畫目標": "B"}
    assert a.ignored == ["任務小組 工作事項（C 欄）"]
    assert any("跳過了 4" in n for n in a.notices)


def test_month_by_month_without_unit_is_a_problem(tmp_path: Path) -> None:
    rows = [["月份", "推動計畫目標"], ["一月", "一、新年賀卡\n二、揮毫賀新春"], ["二月", "一、新春聯誼"]]
    a = read_adoption(build(tmp_path / "m.xlsx", rows), AdoptOptions(year=101))
    assert codes(a) == ["no-unit", "no-unit", "no-unit"]
    assert [p.cell for p in a.problems] == ["B2", "B2", "B3"]
    assert "--unit" in a.problems[0].message


# ── legends and doubtful marks ──

def marked_and_shaded(path: Path, footer: str | None = None, *, second_mark: str = "●") -> Path:
    rows = [
        ["編號", "計畫項目(課室)", "工作內容", *months_row()],
        ["1", "清查人口作業(戶籍登記課)", "清查百歲人瑞", "●", "●"],
        ["2", "公文檢核(行政庶務課)", "公文抽核", None, second_mark],
    ]
    if footer:
        rows += [[], [footer]]
    return build(path, rows, fills={"D2:F2": GREY, "E3:F3": GREY},
                 sheet="管制表")


def test_marks_differing_from_shading_are_a_doubt(tmp_path: Path) -> None:
    a = read_adoption(marked_and_shaded(tmp_path / "m.xlsx"), AdoptOptions(year=107))
    assert [(p.code, p.cell) for p in a.problems] == [("ambiguous-marks", "F2"), ("ambiguous-marks", "F3")]
    assert "網底月份（1-3月）與記號月份（1-2月）不一致" in a.problems[0].message


def test_a_legend_under_the_table_says_what_marks_mean(tmp_path: Path) -> None:
    path = marked_and_shaded(tmp_path / "m.xlsx", "說明：網底表示預定月份，●表示實際執行月份")
    a = read_adoption(path, AdoptOptions(year=107))
    assert a.problems == [] and a.legend == {"網底": "預定", "●": "實際"}
    assert [(t.planned, t.actual) for t in a.sheet.tasks] == [((1, 2, 3), (1, 2)), ((2, 3), (2,))]


def test_two_kinds_of_marks_are_a_doubt(tmp_path: Path) -> None:
    rows = [["編號", "計畫項目(課室)", "工作內容", *months_row()],
            ["1", "A(戶籍登記課)", "甲", "●", "●", "●"],
            ["2", "B(戶籍登記課)", "乙", None, "○"]]
    a = read_adoption(build(tmp_path / "k.xlsx", rows), AdoptOptions(year=107))
    assert [(p.code, p.cell) for p in a.problems] == [("ambiguous-marks", "E3")]
    assert "「●」（D2 等 3 格）與「○」（E3 等 1 格）" in a.problems[0].message
    ok = read_adoption(build(tmp_path / "k2.xlsx", [*rows, [], ["說明：●、○皆為預定"]]),
                       AdoptOptions(year=107, marks="預定"))
    assert ok.problems == [] and [t.planned for t in ok.sheet.tasks] == [(1, 2, 3), (2,)]


def test_two_fill_colours_in_one_row_are_a_doubt(tmp_path: Path) -> None:
    rows = [["編號", "計畫項目(課室)", "工作內容", *months_row()], ["1", "A(戶籍登記課)", "甲"]]
    a = read_adoption(build(tmp_path / "c.xlsx", rows, fills={"D2:E2": GREY, "F2": GREEN}),
                      AdoptOptions(year=107))
    assert [(p.code, p.cell) for p in a.problems] == [("ambiguous-marks", "D2")]


def test_row_banding_is_not_twelve_planned_months(tmp_path: Path) -> None:
    rows = [["編號", "計畫項目(課室)", "工作內容", *months_row()],
            ["1", "A(戶籍登記課)", "甲", None, "v"], ["2", "B(戶籍登記課)", "乙", "v"]]
    a = read_adoption(build(tmp_path / "b.xlsx", rows, fills={"C2:O2": GREEN}), AdoptOptions(year=107))
    assert a.problems == [] and [t.planned for t in a.sheet.tasks] == [(2,), (1,)]


# ── bad input: every problem listed with sheet!cell ──

def test_no_month_columns(tmp_path: Path) -> None:
    rows = [["編號", "計畫項目", "承辦單位", "工作內容", "預定月份"], ["1", "清查", "戶籍登記課", "清查", "1-3"]]
    a = read_adoption(build(tmp_path / "plan.xlsx", rows))
    assert [(p.code, p.sheet, p.cell) for p in a.problems] == [("no-month-columns", "工作表1", "A1")]
    assert a.sheet.tasks == []


def test_every_problem_of_a_bad_sheet_is_listed(tmp_path: Path) -> None:
    rows = [
        ["工作計畫管制表"],
        ["編號", "計畫項目", "工作內容", "完成度", "預定作業時程"],
        [None, None, "承辦單位", None, *months_row()],  # C3 contradicts C2
        ["1", "清查人口", "清查百歲人瑞", "很多", "●"],
        ["2", "公文檢核", "公文抽核", None, None, "●"],
        [None, None, None, None, None, None, "●"],  # marks, but no task
    ]
    a = read_adoption(build(tmp_path / "bad.xlsx", rows, merges=("E2:P2",)))
    assert [(p.code, p.cell) for p in a.problems] == [
        ("header-conflict", "C3"), ("no-year", "A1"), ("unplaced-row", "A6"),
        ("no-unit", "B4"), ("bad-completion", "D4"), ("no-unit", "B5")]
    assert all(p.sheet == "工作表1" for p in a.problems)
    assert all(p.code in CATALOGUE for p in a.problems)


def test_year_of_the_title_and_the_caption_disagree(tmp_path: Path) -> None:
    rows = [[TITLE], ["編號", "計畫項目(課室)", "工作內容", "108年度"], [None, None, None, *months_row()],
            ["1", "A(戶籍登記課)", "甲", "●"]]
    path = build(tmp_path / "y.xlsx", rows, merges=("D2:O2",))
    a = read_adoption(path)
    assert [(p.code, p.cell) for p in a.problems] == [("year-conflict", "D2")]
    b = read_adoption(path, AdoptOptions(year=108))
    assert b.problems == [] and b.sheet.year == 108 and "表上寫 107 年度，依指定改為 108 年度" in b.notices


def test_shared_units_that_cannot_be_resolved(tmp_path: Path) -> None:
    rows = [["編號", "計畫項目(課室)", "工作內容", *months_row()],
            ["1", "A(戶籍資料課)", "甲", "●"], ["2", "B(役政資料課)", "乙", "●"],
            ["3", "C(戶籍登記、資料課)", "丙", "●"]]
    a = read_adoption(build(tmp_path / "s.xlsx", rows), AdoptOptions(year=107))
    assert [(p.code, p.cell) for p in a.problems] == [("unknown-shared-unit", "B4")]
    assert "「資料課」可能是戶籍資料課或役政資料課" in a.problems[0].message
    alone = [["編號", "計畫項目(課室)", "工作內容", *months_row()], ["1", "A(各課)", "甲", "●"]]
    b = read_adoption(build(tmp_path / "t.xlsx", alone), AdoptOptions(year=107))
    assert codes(b) == ["unknown-shared-unit"]


def test_merged_task_over_two_rows_without_labels_is_unplaced(tmp_path: Path) -> None:
    rows = [["編號", "計畫項目(課室)", "工作內容", *months_row()],
            ["1", "A(戶籍登記課)", "甲", "●", "●"], [None, None, None, "●"]]
    a = read_adoption(build(tmp_path / "p.xlsx", rows, merges=("C2:C3", "A2:A3", "B2:B3")),
                      AdoptOptions(year=107))
    assert [(p.code, p.cell) for p in a.problems] == [("unplaced-row", "A3")]
    blank = read_adoption(build(tmp_path / "q.xlsx", [*rows[:2], []], merges=("C2:C3",)),
                          AdoptOptions(year=107))
    assert blank.problems == [] and [t.planned for t in blank.sheet.tasks] == [(1, 2)]


# ── a second real client: the sheet re-saved by LibreOffice as .ods ──

@pytest.mark.libreoffice
def test_sheet_resaved_by_libreoffice_as_ods(tmp_path: Path) -> None:
    from toolkit.io.libreoffice import convert

    src = seed_sheet(tmp_path / "中正.xlsx")
    [ods] = convert([src], "ods", tmp_path / "lo")
    a = read_adoption(ods)
    b = read_adoption(src)
    assert a.problems == []
    assert tasks(a) == tasks(b) and [t.owners for t in a.sheet.tasks] == [t.owners for t in b.sheet.tasks]
    assert a.header_rows == [2, 3, 4] and "LibreOffice" in a.shading
    assert list(a.fills["預定"].values()) == [42]  # the tint resolved to the same grey by LibreOffice
    assert next(iter(a.fills["預定"])).startswith("#BFBFBF")


@pytest.mark.libreoffice
def test_ods_without_libreoffice_asks_for_marks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.io import fills
    from toolkit.io.libreoffice import convert

    [ods] = convert([seed_sheet(tmp_path / "中正.xlsx")], "ods", tmp_path / "lo")
    monkeypatch.setattr(fills, "soffice", lambda: None)
    a = read_adoption(ods)
    assert codes(a) == ["shading-unreadable"]
    assert "需要 LibreOffice" in a.problems[0].message and "記號" in a.problems[0].message


# ── the sample: the seed's 49 items typed as the office has it ──

def test_sample_office_sheet() -> None:
    a = read_adoption(SAMPLES / "zhongzheng-107-office-sheet.xlsx")
    assert a.problems == []
    assert (a.sheet.office, a.sheet.year, a.header_rows) == (OFFICE, 107, [2, 3, 4])
    items = {t.id for t in a.sheet.tasks}
    assert items == {str(n) for n in range(1, 50)} and len(a.sheet.tasks) == 86
    plan = {t.key: t.planned for t in load_plan(SAMPLES / "zhongzheng-107-plan.csv").tasks}
    assert {t.key: t.planned for t in a.sheet.tasks} == plan
    units = ["戶籍登記課", "戶籍資料課", "行政庶務課", "會計室", "人事室"]
    assert a.sheet.plan.units == units
    by_id = {t.id: t for t in a.sheet.tasks}
    assert (by_id["5"].unit, by_id["5"].owners) == ("各課", tuple(units))
    assert (by_id["7"].unit, by_id["7"].owners) == ("戶籍登記、資料課", ("戶籍登記課", "戶籍資料課"))
    assert by_id["28"].unit == "會計室" and by_id["49"].unit == "人事室"
    assert all(set(r.planned_from.values()) == {"網底"} for r in a.tasks)


# ── svcq's own copies (split and returned) read the same by both readers ──

def test_returned_copies_read_as_by_the_standard_reader() -> None:
    from toolkit.schedule.sheets import read_sheet

    for path in sorted((SAMPLES / "returned").glob("*.xlsx")):
        a, b = read_adoption(path), read_sheet(path)
        assert b.problems == []
        assert a.sheet.unit == b.sheet.unit == path.stem
        # 行政庶務課 cleared the ● of 10月 (O18: item 10 is its 8th task, rows 18-19) and marked
        # 11月, but the fill stayed: shading and marks of that 預定 row disagree
        moved = path.stem == "行政庶務課"
        assert [(p.code, p.cell) for p in a.problems] == ([("ambiguous-marks", "O18")] if moved else [])
        if moved:
            assert "網底月份（5,10月）與記號月份（5,11月）不一致" in a.problems[0].message
        fields = [(t.key, t.unit, t.project, t.planned, t.actual, t.completion, t.reason, t.note)
                  for t in b.sheet.tasks]
        assert [(t.key, t.unit, t.project, t.planned if not moved or t.id != "10" or t.task != "外部顧客滿意度調查"
                 else (5, 11), t.actual, t.completion, t.reason, t.note)
                for t in a.sheet.tasks] == fields
        assert any(t.actual for t in a.sheet.tasks)  # real progress was read, not just plans


def test_header_without_tasks_and_other_candidate_sheets(tmp_path: Path) -> None:
    path = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "107年"
    ws.append(["編號", "計畫項目(課室)", "工作內容", *months_row()])
    other = wb.create_sheet("106年")
    other.append(["編號", "計畫項目(課室)", "工作內容", *months_row()])
    other.append(["1", "A(戶籍登記課)", "甲", "●"])
    wb.save(path)
    a = read_adoption(path, AdoptOptions(year=107))
    assert [(p.code, p.sheet, p.cell) for p in a.problems] == [("no-tasks", "107年", "A2")]
    assert any("106年" in n for n in a.notices)
    b = read_adoption(path, AdoptOptions(year=106), sheet="106年")
    assert b.problems == [] and tasks(b) == [("1", "戶籍登記課", "甲", (1,))]
