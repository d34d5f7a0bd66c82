"""The month-by-month plan (longjing 101 捌、作業時程): 月份 | 推動計畫目標 | 任務小組工作事項.

Each month's cell lists numbered goals (一、二、… or 1. 2. …, on separate lines or run
together). Every goal becomes a task planned in that month; the same goal text in several
months is one task planned in all of them. Tasks are numbered 1, 2, … in order of first
appearance; the 任務小組工作事項 column describes how, month by month, and is not a task list.
"""

from __future__ import annotations

import re

from toolkit.schedule.adopt_grid import Draft, GridReading
from toolkit.schedule.layout import Grid, Layout, month_label
from toolkit.schedule.units import one_line, split_trailing_unit, unit_name
from toolkit.text import clean_text, is_blank, nfkc, squash

_CJK_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = r"(?:[一二三四五六七八九十]{1,3}|\d{1,2})"
_GOAL = re.compile(rf"(?:^|(?<=[\s。；;]))(?:[(（](?P<a>{_NUMERAL})[)）]|(?P<b>{_NUMERAL})\s*[、.．](?!\d))")
_END_PUNCT = "。．.；;，,"


def numeral(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 7 → 7."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CJK_DIGITS.get(tens, 1) * 10 + _CJK_DIGITS.get(ones, 0)
    return _CJK_DIGITS.get(text, 0)


def split_goals(text: str) -> tuple[list[str], list[int]]:
    """(goals, numbers skipped): numbering must rise, so 「中、英、日」 inside a goal is no split."""
    text = nfkc(text).replace("\r", "")
    starts: list[tuple[int, int, int]] = []  # (match start, text start, number)
    last = 0
    for m in _GOAL.finditer(text):
        n = numeral(m.group("a") or m.group("b"))
        if n > last:
            starts.append((m.start(), m.end(), n))
            last = n
    if not starts:
        body = one_line(text)
        return ([body] if body else []), []
    goals = []
    head = one_line(text[:starts[0][0]])
    if head:
        goals.append(head)
    for i, (_, begin, _) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        if goal := one_line(text[begin:end]):
            goals.append(goal)
    numbers = [n for _, _, n in starts]
    skipped = [n for n in range(numbers[0], numbers[-1] + 1) if n not in numbers]
    return goals, skipped


def goal_key(goal: str) -> str:
    return squash(goal).rstrip(_END_PUNCT)


def read_by_month(grid: Grid, layout: Layout, default_unit: str | None) -> GridReading:
    out = GridReading()
    mc, gc = layout.columns["月份"], layout.columns.get("goal")
    uc = layout.columns.get("承辦單位")
    if gc is None:
        return out
    month: int | None = None
    by_key: dict[str, Draft] = {}
    for r in range(layout.data_start, grid.height):
        if grid.anchor(r, mc)[0] == r and not is_blank(grid.raw(r, mc)):
            month = month_label(grid.raw(r, mc))
            if month is None:
                out.problems.append(grid.problem(r, mc, "bad-month-label",
                                    f"第 {grid.row_no(r)} 列的月份「{clean_text(grid.raw(r, mc))}」"
                                    "不是一月…十二月"))
        if grid.anchor(r, gc) != (r, gc) or is_blank(grid.raw(r, gc)):
            continue
        if month is None:
            if not any(p.cell == grid.ref(*grid.anchor(r, mc)) for p in out.problems):
                out.problems.append(grid.problem(r, gc, "unplaced-row",
                                    f"第 {grid.row_no(r)} 列的計畫目標看不出屬於哪個月份"))
            continue
        goals, skipped = split_goals(str(grid.raw(r, gc)))
        if skipped:
            out.notices.append(f"{grid.ref(r, gc)}（{month}月）的目標編號跳過了 "
                               f"{'、'.join(map(str, skipped))}，其餘照讀")
        row_unit = unit_name(clean_text(grid.value(r, uc))) if uc is not None else ""
        for goal in goals:
            body, paren = split_trailing_unit(goal, hinted=False)
            body = body.rstrip(_END_PUNCT) or body
            unit, where = ((paren, "目標括號") if paren else (row_unit, "承辦單位欄") if row_unit
                           else (unit_name(default_unit), "指定") if default_unit else ("", ""))
            key = goal_key(body)
            draft = by_key.get(key)
            if draft is None:
                draft = Draft(str(len(by_key) + 1), body, body, (r, gc), unit, where,
                              {"計畫項目": grid.ref(r, gc), "工作內容": grid.ref(r, gc),
                               "承辦單位": grid.ref(r, uc) if uc is not None and row_unit else grid.ref(r, gc)})
                by_key[key] = draft
                out.drafts.append(draft)
            elif unit and draft.unit_text and unit != draft.unit_text:
                out.problems.append(grid.problem(r, gc, "unit-conflict",
                                    f"目標「{body}」在 {draft.cells['工作內容']} 的承辦單位是「{draft.unit_text}」，"
                                    f"在 {grid.ref(r, gc)} 是「{unit}」"))
            elif unit and not draft.unit_text:
                draft.unit_text, draft.unit_from = unit, where
            if grid.row_no(r) not in draft.rows:
                draft.rows.append(grid.row_no(r))
            draft.planned[month] = grid.ref(r, gc)
    return out
