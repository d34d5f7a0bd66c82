"""The control sheet file: layout contract, reading back by labels, split, template, CLI errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from helpers import files_in, svcq

import toolkit
from toolkit.problems import ProblemsFound
from toolkit.schedule.sheets import (
    HEADERS,
    MONTH_SHEET,
    SHEET,
    load_plan,
    read_control_sheet,
    read_sheet,
    write_control_sheet,
    write_template,
)

OFFICE = "臺北市中正區戶政事務所"
PLAN = Path(__file__).resolve().parents[1] / "samples" / "schedule" / "zhongzheng-107-plan.csv"


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("master") / "master.xlsx"
    write_control_sheet(load_plan(PLAN), dst, 107, OFFICE)
    return dst


def test_sample_plan_has_all_49_items() -> None:
    plan = load_plan(PLAN)
    assert [item[0] for item in plan.items()] == [str(n) for n in range(1, 50)]
    assert plan.units == ["戶籍登記課", "戶籍資料課", "行政庶務課", "會計室", "人事室"]


def test_layout_contract(master: Path) -> None:
    wb = openpyxl.load_workbook(master)
    assert wb.sheetnames == [SHEET, MONTH_SHEET]
    ws = wb[SHEET]
    assert ws["A1"].value == f"{OFFICE}107年度重要工作計畫作業時程管制表"
    assert [c.value for c in ws[3]] == list(HEADERS)
    assert "預定作業時程(107年度)" in [c.value for c in ws[2]]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # item 1 has 7 tasks → 14 rows from row 4; item 2 one task → rows 18-19
    assert {"A4:A17", "B4:B17", "A18:A19", "B18:B19", "C4:C5", "D4:D5", "R4:R5"} <= merged
    assert [ws.cell(r, 5).value for r in (4, 5, 6, 7)] == ["預定", "實際", "預定", "實際"]
    # task 1 (清查致贈百歲人瑞金鎖片) planned 1-3: value mark AND shading; 實際 row blank
    row4 = [ws.cell(4, c) for c in range(6, 18)]
    assert [c.value for c in row4] == ["●", "●", "●"] + [None] * 9
    assert row4[0].fill.fgColor.rgb.endswith("9BC2E6") and row4[5].fill.fill_type is None
    assert all(ws.cell(5, c).value is None for c in range(6, 18))
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$3"
    assert ws.freeze_panes == "F4"
    assert ws.column_dimensions["D"].width > 20 and ws.column_dimensions["F"].width < 6
    [dv] = ws.data_validations.dataValidation
    assert dv.type == "decimal" and (dv.formula1, dv.formula2) == ("0", "1")
    assert str(dv.sqref).startswith("R4:R")
    months = wb[MONTH_SHEET]
    assert months["A1"].value == f"{OFFICE}107年度月別工作項目"
    assert [c.value for c in months[2]] == ["月份", "編號", "計畫項目", "工作內容", "承辦單位"]
    assert months["A3"].value == "一月"


def test_reads_back_what_was_written(master: Path) -> None:
    sheet = read_control_sheet(master)
    plan = load_plan(PLAN)
    assert (sheet.office, sheet.year, sheet.unit) == (OFFICE, 107, None)
    assert [(t.key, t.unit, t.project, t.planned) for t in sheet.tasks] == [
        (t.key, t.unit, t.project, t.planned) for t in plan.tasks]
    assert all(t.actual == () and t.completion is None for t in sheet.tasks)


def test_split_one_copy_per_unit(master: Path, tmp_path: Path) -> None:
    paths = toolkit.split_schedule(master, tmp_path).files
    assert [p.name for p in paths] == ["戶籍登記課.xlsx", "戶籍資料課.xlsx", "行政庶務課.xlsx",
                                       "會計室.xlsx", "人事室.xlsx"]
    copy = read_control_sheet(tmp_path / "人事室.xlsx")
    assert copy.unit == "人事室" and copy.year == 107 and copy.office == OFFICE
    assert {t.unit for t in copy.tasks} == {"人事室"}
    assert [t.id for t in copy.tasks] == ["45", "45", "45", "46", "47", "48", "49"]
    ws = openpyxl.load_workbook(tmp_path / "人事室.xlsx")[SHEET]
    assert [c.value for c in ws[3]] == list(HEADERS)


def test_reading_ignores_order_blank_rows_and_extra_columns(master: Path, tmp_path: Path) -> None:
    """Rows sorted, blank rows inserted, merges undone and a note column added: same tasks."""
    src = openpyxl.load_workbook(master)[SHEET]
    values = [[c.value for c in row] for row in src.iter_rows(min_row=1, max_row=src.max_row)]
    filled, last = [], None
    for row in values[3:]:  # fill what the merges hid, as a user does before sorting
        row = [v if v is not None else (last[i] if last and i in (0, 1, 2, 3, 17, 18, 19) else None)
               for i, v in enumerate(row)]
        filled.append(row)
        last = row
    pairs = [filled[i:i + 2] for i in range(0, len(filled), 2)][::-1]  # reverse the tasks
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([values[0][0]])
    ws.append(["我的註記", *HEADERS])
    for planned, actual in pairs:
        ws.append([None, *planned])
        ws.append([])
        ws.append(["已查", *actual])
    wb.save(tmp_path / "sorted.xlsx")
    again = read_control_sheet(tmp_path / "sorted.xlsx")
    assert sorted((t.key, t.planned) for t in again.tasks) == sorted(
        (t.key, t.planned) for t in read_control_sheet(master).tasks)


def test_bad_completion_is_listed_with_its_cell(master: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(master)
    wb[SHEET]["R4"] = "很多"
    wb[SHEET]["R6"] = "150%"
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(ProblemsFound) as info:
        read_control_sheet(tmp_path / "bad.xlsx")
    assert [(p.sheet, p.cell) for p in info.value.problems] == [(SHEET, "R4"), (SHEET, "R6")]
    assert "150%" in str(info.value)


def test_template_is_blank_control_sheet(tmp_path: Path) -> None:
    write_template(tmp_path / "t.xlsx")
    read = read_sheet(tmp_path / "t.xlsx")
    assert read.sheet.tasks == [] and read.problems == []
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")[SHEET]
    assert [c.value for c in ws[3]] == list(HEADERS)
    assert ws.cell(4, 5).value == "預定" and ws.cell(23, 5).value == "實際"


def test_cli_new_split_status(tmp_path: Path) -> None:
    r = svcq("schedule", "new", PLAN, "--year", "107年", "--office", OFFICE, "-o", tmp_path / "m.xlsx")
    assert r.code == 0, r.err
    assert "49 項計畫" in r.out
    r = svcq("schedule", "split", tmp_path / "m.xlsx", "-o", tmp_path / "out")
    assert r.code == 0 and len(files_in(tmp_path / "out")) == 5
    r = svcq("schedule", "status", tmp_path / "m.xlsx", "--as-of", "107年6月", "--json")
    data = r.json()
    assert data["as_of"] == "107-06" and len(data["tasks"]) == 86
    # nothing marked yet: every task with a planned month ≤ June is late
    late = {(t["id"], t["task"]) for t in data["tasks"] if t["status"] == "late"}
    assert ("1", "清查90歲以上設有戶籍者") in late and ("47", "統籌辦理本所員工文康活動，增進情誼。") not in late
    text = svcq("schedule", "status", tmp_path / "m.xlsx", "--as-of", "107-06").out
    assert text.index("落後") < text.index("未到期") and "⚠ 未填落後原因" in text


def test_cli_bad_plan_lists_rows_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "plan.csv").write_text(
        "編號,計畫項目,承辦單位,工作內容,預定月份\n1,甲,課,事,13月\n2,乙,,事,3\n", encoding="utf-8")
    r = svcq("schedule", "new", tmp_path / "plan.csv", "--year", "107", "--office", "所",
             "-o", tmp_path / "out" / "m.xlsx")
    assert r.code == 1 and "Traceback" not in r.err
    assert "plan.csv E2" in r.err and "plan.csv C3" in r.err and "第 3 列" in r.err
    assert not (tmp_path / "out").exists()


def test_cli_unusable_input_exit_2(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    r = svcq("schedule", "status", tmp_path / "x.xlsx", "--as-of", "107-06")
    assert r.code == 2 and "x.xlsx" in r.err and "Traceback" not in r.err
    shutil.copy(PLAN, tmp_path / "plan.csv")
    r = svcq("schedule", "status", tmp_path / "plan.csv", "--as-of", "107-06")
    assert r.code == 2 and "找不到作業時程管制表" in r.err
    r = svcq("schedule", "status", tmp_path / "plan.csv", "--as-of", "明年")
    assert r.code == 2 and "明年" in r.err


def test_big5_csv_and_longjing_xlsx_plans(tmp_path: Path, samples: Path) -> None:
    (tmp_path / "big5.csv").write_bytes(
        "編號,計畫項目,承辦單位,工作內容,預定月份\n1,清查人口,戶籍登記課,清查,３月、６月\n".encode("cp950"))
    assert load_plan(tmp_path / "big5.csv").tasks[0].planned == (3, 6)
    plan = load_plan(samples / "schedule" / "longjing-101-plan.xlsx")
    assert plan.units == ["優質便民服務組", "創新加值服務組", "資訊流通服務組"]
    assert plan.tasks[0].planned == tuple(range(1, 13))
    by_key = {t.key: t.planned for t in plan.tasks}
    assert by_key[("2", "首班服務列車啟動及至里服務")] == (2, 3, 4)  # continuation row, ２-４
    assert by_key[("4", "辦理員工法令測驗")] == (3, 8, 11)


@pytest.mark.libreoffice
def test_libreoffice_opens_every_schedule_workbook(tmp_path: Path, samples: Path) -> None:
    """A control sheet, the blank template and a collected master read the same in LibreOffice
    (one run; 人事室's part of the plan keeps it quick — the layout code is the same)."""
    from oracle import assert_oracle

    import toolkit

    small = write_control_sheet(load_plan(PLAN).for_unit("人事室"), tmp_path / "hr.xlsx", 107, OFFICE)
    write_template(tmp_path / "template.xlsx")
    merged = toolkit.collect_schedule(small, [samples / "schedule" / "returned" / "人事室.xlsx"],
                     tmp_path / "merged.xlsx")
    assert len(merged.taken) == 11 and merged.conflicts == []
    assert_oracle([small, tmp_path / "template.xlsx", merged.dst])
