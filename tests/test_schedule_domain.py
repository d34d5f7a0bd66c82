"""作業時程管制表 domain: 預定月份 parsing, plan validation, status rules (hand-computed)."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.problems import Problem
from toolkit.roc import YearMonth
from toolkit.schedule import ControlSheet, Task, format_months, is_mark, parse_months, status
from toolkit.schedule.plan import parse_plan
from toolkit.schedule.status import task_status


@pytest.mark.parametrize(("text", "months"), [
    ("1-3,6", (1, 2, 3, 6)),
    ("1,2,3", (1, 2, 3)),
    ("3月、6月", (3, 6)),
    ("全年", tuple(range(1, 13))),
    ("每月", tuple(range(1, 13))),
    ("１－３，６", (1, 2, 3, 6)),
    ("３月、６月", (3, 6)),
    ("1～3月", (1, 2, 3)),
    ("7至9月", (7, 8, 9)),
    ("十月、十二月", (10, 12)),
    ("上半年", (1, 2, 3, 4, 5, 6)),
    ("每季", (3, 6, 9, 12)),
    (" 6 ", (6,)),
    (6.0, (6,)),
    ("6,6,2", (2, 6)),
])
def test_parse_months_accepts_what_staff_write(text: object, months: tuple[int, ...]) -> None:
    assert parse_months(text) == months


@pytest.mark.parametrize(("text", "needle"), [
    ("", "空白"), ("13", "13"), ("0月", "0"), ("6-3", "前大後小"), ("下旬", "無法判讀"),
    (2.5, "1–12"), (dt.date(2024, 5, 2), "日期"), (dt.date(2024, 1, 3), "無法確定"),
])
def test_parse_months_rejects_with_a_chinese_reason(text: object, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        parse_months(text)


def test_format_months_round_trips() -> None:
    assert format_months((1, 2, 3, 6)) == "1-3,6"
    assert format_months(tuple(range(1, 13))) == "全年"
    for text in ("1-3,6", "2,4,6-8", "12"):
        assert format_months(parse_months(text)) == text


@pytest.mark.parametrize("mark", ["●", "v", "✓", "O", "1", 1.0, "完成", "ｖ", "○"])
def test_any_mark_counts(mark: object) -> None:
    assert is_mark(mark)


@pytest.mark.parametrize("blank", ["", None, "  ", "0", 0.0, "×", "X", "-", "否"])
def test_blanks_and_explicit_no_do_not_count(blank: object) -> None:
    assert not is_mark(blank)


class FakeTable:
    """Just enough of toolkit.io.read.Table for the domain."""

    def __init__(self, rows: list[list[object]]) -> None:
        self.file, self.sheet, self.rows = "plan.csv", None, rows

    def ref(self, row: int, col: int) -> str:
        return f"{'ABCDE'[col]}{row + 1}"

    def problem(self, row: int, col: int, code: str, message: str) -> Problem:
        return Problem(code, message, self.file, self.sheet, self.ref(row, col))


HEADER = ["編號", "計畫項目", "承辦單位", "工作內容", "預定月份"]


def test_parse_plan_groups_items_and_fills_continuation_rows() -> None:
    plan, problems = parse_plan(FakeTable([
        ["說明：本表為 107 年度計畫", "", "", "", ""],
        HEADER,
        [1.0, "清查人口", "戶籍登記課", "清查90歲以上", "4-6"],
        [2.0, "滿意度調查", "行政庶務課", "外部顧客滿意度調查", "5,10"],
        ["", "", "", "清查未換證者", "７－９"],  # continues item 2, as a merged cell reads
        ["1", "清查人口", "戶籍登記課", "清查逕遷戶所", "全年"],
        ["", "", "", "", ""],
    ]))
    assert problems == []
    assert [(t.id, t.task, t.unit, t.planned) for t in plan.tasks] == [
        ("1", "清查90歲以上", "戶籍登記課", (4, 5, 6)),
        ("1", "清查逕遷戶所", "戶籍登記課", tuple(range(1, 13))),  # grouped under item 1
        ("2", "外部顧客滿意度調查", "行政庶務課", (5, 10)),
        ("2", "清查未換證者", "行政庶務課", (7, 8, 9)),
    ]
    assert plan.units == ["戶籍登記課", "行政庶務課"]
    assert [t.task for t in plan.by_month()[5]] == ["清查90歲以上", "清查逕遷戶所", "外部顧客滿意度調查"]


def test_parse_plan_reports_every_bad_row_with_its_number() -> None:
    _, problems = parse_plan(FakeTable([
        HEADER,
        ["1", "清查人口", "戶籍登記課", "清查90歲以上", "13月"],
        ["2", "滿意度調查", "", "外部顧客滿意度調查", "5"],
        ["1", "別的名稱", "戶籍登記課", "另一項", "6"],
        ["1", "清查人口", "戶籍登記課", "清查90歲以上", "6"],
        ["3", "文康活動", "人事室", "辦理文康活動", ""],
    ]))
    found = {(p.cell, p.code) for p in problems}
    assert found == {("E2", "bad-months"), ("C3", "missing-value"), ("B4", "item-mismatch"),
                     ("D5", "duplicate-task"), ("E6", "bad-months")}
    assert all("第 " in p.message and " 列" in p.message for p in problems)


def test_parse_plan_without_headers_names_the_needed_columns() -> None:
    _, problems = parse_plan(FakeTable([["項目", "月份"], ["a", "1"]]))
    assert len(problems) == 1 and "預定月份" in problems[0].message


def _t(planned: tuple[int, ...], actual: tuple[int, ...] = (), completion: float | None = None,
       reason: str = "", unit: str = "甲課") -> Task:
    return Task("1", "計畫", unit, f"工作{planned}{actual}{completion}", planned, actual, completion,
                reason)


@pytest.mark.parametrize(("task", "due", "expected"), [
    (_t((3, 6), completion=1.0), 1, "done"),  # 100% wins even before the plan
    (_t((3, 6), (3, 6), 0.9), 6, "late"),  # last planned month passed but not 100%
    (_t((3, 6), (3,), 0.5), 5, "on_track"),  # March planned and marked, June not yet due
    (_t((3, 6), (), 0.5), 5, "late"),  # March planned, no mark
    (_t((7, 8)), 6, "not_due"),
    (_t((7, 8), (6,)), 6, "on_track"),  # started early
    (_t(tuple(range(1, 13)), tuple(range(1, 7)), 0.5), 6, "on_track"),
    (_t(tuple(range(1, 13)), (1, 2, 3, 5, 6), 0.5), 6, "late"),  # April missed
    (_t((6,), (6,), 0.99), 6, "late"),
    (_t((), ()), 6, "not_due"),
])
def test_status_rules(task: Task, due: int, expected: str) -> None:
    assert task_status(task, due) == expected


def test_status_report_dict_and_counts() -> None:
    sheet = ControlSheet("某戶政事務所", 107, [
        _t((3, 6), (3,), 0.5, unit="甲課"),  # on_track as of 107-05
        _t((2,), (), None, unit="甲課"),  # late, no reason
        _t((2,), (), 0.2, reason="人力不足，7月補辦", unit="乙課"),  # late with reason
        _t((9,), unit="乙課"),  # not_due
        _t((1,), (1,), 1.0, unit="乙課"),  # done
    ])
    report = status(sheet, YearMonth(107, 5))
    data = report.to_dict()
    assert data["office"] == "某戶政事務所" and data["year"] == 107 and data["as_of"] == "107-05"
    assert [t["status"] for t in data["tasks"]] == ["on_track", "late", "late", "not_due", "done"]
    assert data["tasks"][1]["reason_missing"] is True and data["tasks"][2]["reason_missing"] is False
    assert set(data["tasks"][0]) >= {"id", "project", "unit", "task", "planned_months",
                                     "actual_months", "completion", "status", "reason"}
    assert data["summary"]["overall"] == {"done": 1, "late": 2, "on_track": 1, "not_due": 1,
                                          "total": 5, "late_without_reason": 1}
    assert data["summary"]["by_unit"]["甲課"]["late"] == 1
    assert data["summary"]["by_unit"]["乙課"] == {"done": 1, "late": 1, "on_track": 0, "not_due": 1,
                                                  "total": 3, "late_without_reason": 0}
    assert [t.status for t in report.ordered()][:2] == ["late", "late"]


def test_as_of_another_year() -> None:
    sheet = ControlSheet("所", 107, [_t((11,))])
    assert status(sheet, YearMonth(108, 1)).tasks[0].status == "late"
    assert status(sheet, YearMonth(106, 12)).tasks[0].status == "not_due"


def test_reconcile_takes_own_progress_and_lists_the_rest() -> None:
    from toolkit.schedule.collect import Returned, reconcile, unit_of

    a1 = Task("1", "甲計畫", "甲課", "甲一", (1, 2))
    a2 = Task("1", "甲計畫", "甲課", "甲二", (3,), note="總表備註")
    b1 = Task("2", "乙計畫", "乙課", "乙一", (2,))
    master = ControlSheet("所", 107, [a1, a2, b1])
    mine = Returned("回報/甲課-6月.xlsx", ControlSheet("所", 107, [
        a1.with_progress(actual=(1,), completion=0.5),
        a2.with_progress(planned=(4,), actual=(3,), completion=1.0, note=""),
        b1.with_progress(completion=0.3),
        Task("9", "新計畫", "甲課", "自己加的", (5,)),
    ]), has_note=False)
    nobody = Returned("總表副本.xlsx", ControlSheet("所", 107, [a1, b1]))
    assert unit_of(mine, master) == "甲課" and unit_of(nobody, master) is None
    rec = reconcile(master, [mine, nobody])
    changes, conflicts, units = rec.changes, rec.conflicts, rec.units
    assert units == {"回報/甲課-6月.xlsx": "甲課", "總表副本.xlsx": ""}
    assert [(c.key[1], c.field, c.old, c.new) for c in changes] == [
        ("甲一", "實際月份", (), (1,)), ("甲一", "完成度", None, 0.5),
        ("甲二", "實際月份", (), (3,)), ("甲二", "完成度", None, 1.0)]  # 備註 column gone: kept
    assert sorted(c.kind for c in conflicts) == ["other-unit", "planned-changed", "unknown-task",
                                                 "unknown-unit"]


def test_domain_loads_no_excel_library() -> None:
    import subprocess
    import sys

    code = ("import sys, toolkit.schedule, toolkit.schedule.collect, toolkit.schedule.status;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('openpyxl', 'xlsxwriter', 'python_calamine', 'zipfile')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
