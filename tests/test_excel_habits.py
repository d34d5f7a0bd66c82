"""Excel habits of the workbooks svcq writes: numbers are numbers (編號 sorts 1, 2, … 10 and
shows no green triangle), the dates a user sees are 民國."""

from __future__ import annotations

import re
from pathlib import Path

import python_calamine

import toolkit

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _sheet(path: Path, name: str) -> list[list]:
    return python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_ids_are_numbers_and_collect_stamps_are_roc(tmp_path: Path) -> None:
    master = tmp_path / "管制表.xlsx"
    toolkit.new_schedule(SAMPLES / "schedule/zhongzheng-107-plan.csv", year=107, office="中正", output=master)
    rows = _sheet(master, "作業時程管制表")
    ids = [r[0] for r in rows[3:] if r[0] not in ("", None)]
    assert ids[:3] == [1.0, 2.0, 3.0] and all(isinstance(v, float) for v in ids)
    monthly = [r[1] for r in _sheet(master, "月別工作項目")[2:] if r[1] not in ("", None)]
    assert monthly and all(isinstance(v, float) for v in monthly)
    merged = tmp_path / "彙整.xlsx"
    toolkit.collect_schedule(master, [SAMPLES / "schedule/returned/人事室.xlsx"], merged)
    log = _sheet(merged, "彙整紀錄")
    assert re.fullmatch(r"1\d\d/\d\d/\d\d \d\d:\d\d", log[1][0]), log[1][0]
    assert isinstance(log[1][3], float), "彙整紀錄 編號 is a number too"
