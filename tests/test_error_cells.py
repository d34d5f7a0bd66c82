"""Issue 16, item 11: an error value in a cell (#DIV/0!, #N/A, #VALUE!) is read as an error —
a problem with that cell — not as a blank (an unanswered question, an unmarked month)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from helpers import svcq
from test_schedule_collect import HR_CHECK, PLAN

import toolkit
from toolkit.schedule.months import is_mark
from toolkit.schedule.sheets import SHEET, load_plan, read_sheet, write_control_sheet
from toolkit.values import CellError


def test_an_error_is_not_a_mark():
    assert not is_mark(CellError("#N/A"))
    assert is_mark("#N/A 以外的字")


def test_error_in_a_month_cell_is_a_problem(tmp_path: Path):
    master = write_control_sheet(load_plan(PLAN), tmp_path / "總表.xlsx", 107, "臺北市中正區戶政事務所")
    toolkit.split_schedule(master, tmp_path / "split")
    hr = tmp_path / "人事室.xlsx"
    shutil.copy(tmp_path / "split" / "人事室.xlsx", hr)
    wb = openpyxl.load_workbook(hr)
    ws = wb[SHEET]
    planned = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == HR_CHECK[1])
    row = planned + 1  # the 實際 row below it (工作內容 is merged over both)
    assert ws.cell(row, 5).value == "實際"
    ws.cell(row, 6).value = "#N/A"  # openpyxl stores it as an error cell (t="e")
    ws.cell(planned, 18).value = "#DIV/0!"  # 完成度 (merged over both rows)
    wb.save(hr)
    read = read_sheet(hr)
    codes = [(p.code, p.cell) for p in read.problems]
    assert ("cell-error", f"F{row}") in codes and ("cell-error", f"R{planned}") in codes
    task = read.sheet.by_key()[HR_CHECK]
    assert task.actual == () and task.completion is None
    result = svcq("schedule", "status", hr, "--as-of", "107-06")
    assert result.code == 1 and "錯誤值 #N/A" in result.err and f"F{row}" in result.err


def test_error_in_an_answer_is_a_problem_not_unanswered(tmp_path: Path):
    path = tmp_path / "回覆.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "回覆"
    for row in [["性別", "1.服務態度"], ["男", "非常滿意"], ["女", "#VALUE!"], ["女", "滿意"]]:
        ws.append(row)
    wb.save(path)
    result = svcq("survey", "tally", path)
    assert result.code == 1 and "#VALUE!" in result.err and "B3" in result.err
