"""Adopting an office's own 作業時程管制表: a hand-made sheet → svcq's ``ControlSheet`` (no I/O).

``adopt(table, shading)`` reads any reasonable hand-made control sheet — title rows, one to
three header rows with merged captions, month columns written 1…12 / 1月 / 一月, units in
their own column or in parentheses after the item, one row per task or 預定/實際 pairs, planned
months shaded or marked, and the month-by-month plan — and returns an ``Adoption``: the sheet,
what was understood (to show the user), the cell of every field of every task, and a
``Problem`` with sheet!cell for every doubt. Nothing is guessed silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from toolkit.frames import frame
from toolkit.problems import Problem
from toolkit.schedule.adopt_grid import Draft, GridReader, GridReading
from toolkit.schedule.by_month import read_by_month
from toolkit.schedule.layout import YEAR_IN_TEXT, Grid, Layout, SheetLike, find_layout
from toolkit.schedule.legend import ACTUAL, PLANNED, parse_legend
from toolkit.schedule.model import ControlSheet, Task, TaskKey
from toolkit.schedule.months import format_months
from toolkit.schedule.plan import free_text
from toolkit.schedule.units import UnitReading, resolve_units, unit_name
from toolkit.sheetkit.cells import column_letter
from toolkit.text import clean_text, is_blank, nfkc, parse_percent

if TYPE_CHECKING:
    import pandas as pd

LAYOUT_NAMES = {"rows": "每項工作一列（只有預定）", "pairs": "每項工作兩列（預定／實際）",
                "by-month": "月別計畫表（每月列出推動計畫目標）"}
_UNIT_NOTE = re.compile(r"填報單位[:：]\s*([^\s　（(]+)")
_OFFICE = re.compile(r"([^\s\d年度]*?(?:戶政事務所|事務所|區公所|鄉公所|鎮公所|市公所))")
_ROC_OFFSET = 1911


class ShadingLike(Protocol):
    """What adoption needs of a sheet's shading (``toolkit.io.fills.FillReport`` fits)."""

    readable: bool
    reason: str
    merged: list[tuple[tuple[int, int], tuple[int, int]]]

    @property
    def shaded(self) -> Mapping[tuple[int, int], str]: ...


@dataclass(frozen=True)
class AdoptOptions:
    year: int | None = None  # --year: overrides the title's
    office: str | None = None  # --office
    unit: str | None = None  # --unit: the 承辦單位 of tasks that name none
    marks: str | None = None  # 預定 or 實際: what marks on a one-row sheet mean
    need_year: bool = True  # a sheet without a year is a problem (adopt, split need one)
    #: a task without a unit is a problem (not in a returned copy: the master says whose it is)
    need_unit: bool = True


@dataclass
class TaskReading:
    """One task as adopted and where each of its fields sits on the sheet."""

    task: Task
    cells: dict[str, str]  # field → A1 (編號, 計畫項目, 承辦單位, 工作內容, 完成度, 落後原因…, 備註)
    planned_cells: dict[int, str]  # month → A1 read as planned
    actual_cells: dict[int, str]  # month → A1 read as actual
    actual_row: dict[int, str]  # month → A1 of every month cell of its 實際 row (pairs layout)
    planned_from: dict[int, str]  # month → 網底 / 記號 / 網底＋記號 / 月份欄
    unit_from: str
    rows: list[int]

    def to_dict(self) -> dict[str, Any]:
        t = self.task
        return {"id": t.id, "project": t.project, "unit": t.unit, "units": list(t.owners),
                "task": t.task, "planned_months": list(t.planned), "actual_months": list(t.actual),
                "completion": t.completion, "reason": t.reason, "note": t.note,
                "planned_from": {str(m): s for m, s in sorted(self.planned_from.items())},
                "unit_from": self.unit_from, "rows": self.rows,
                "cells": {**self.cells,
                          "planned": {str(m): a for m, a in sorted(self.planned_cells.items())},
                          "actual": {str(m): a for m, a in sorted(self.actual_cells.items())}}}


@dataclass
class Adoption:
    """The reading of a hand-made control sheet: the sheet, what was understood, every doubt."""

    file: str
    sheet_name: str | None
    layout: str  # rows / pairs / by-month
    sheet: ControlSheet
    tasks: list[TaskReading] = field(default_factory=list)
    title_rows: list[tuple[int, str]] = field(default_factory=list)  # (sheet row, text)
    header_rows: list[int] = field(default_factory=list)  # sheet rows
    columns: dict[str, str] = field(default_factory=dict)  # field → column letter
    months: dict[int, str] = field(default_factory=dict)  # month → column letter
    unit_in_parentheses: list[str] = field(default_factory=list)  # fields whose 「(課室)」 is the unit
    pair_words: list[str] = field(default_factory=list)  # 預定/實際 labels as written
    marks: dict[str, dict[str, int]] = field(default_factory=dict)  # 預定/實際 → mark → cells
    fills: dict[str, dict[str, int]] = field(default_factory=dict)  # 預定/實際 → colour → cells
    legend: dict[str, str] = field(default_factory=dict)
    shared: list[UnitReading] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # header texts of columns not used
    shading: str = ""  # how shading was read, or why it could not be
    found: bool = False  # a control sheet's layout was found (month columns or a 月份 column)
    written: str = ""  # the standard sheet written from it, if any
    notices: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def by_key(self) -> dict[TaskKey, TaskReading]:
        return {r.task.key: r for r in self.tasks}

    def lines(self) -> list[str]:
        return reading_lines(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per task as adopted, with where each came from."""
        return frame(({k: v for k, v in r.to_dict().items() if k != "cells"} for r in self.tasks),
                     ["id", "project", "unit", "units", "task", "planned_months", "actual_months",
                      "completion", "reason", "note", "planned_from", "unit_from", "rows"])

    def to_dict(self) -> dict[str, Any]:
        s = self.sheet
        return {
            "file": self.file, "sheet": self.sheet_name, "layout": self.layout, "output": self.written or None,
            "office": s.office, "year": s.year, "unit": s.unit,
            "title_rows": [{"row": r, "text": t} for r, t in self.title_rows],
            "header_rows": self.header_rows, "columns": self.columns,
            "month_columns": {str(m): c for m, c in self.months.items()},
            "unit_in_parentheses": self.unit_in_parentheses, "pair_labels": self.pair_words,
            "marks": self.marks, "fills": self.fills, "legend": self.legend,
            "shading": self.shading,
            "units": s.plan.units,
            "shared_units": [{"text": u.text, "units": list(u.units)} for u in self.shared],
            "ignored_columns": self.ignored, "notices": self.notices,
            "tasks": [t.to_dict() for t in self.tasks],
            "problems": [p.to_dict() for p in self.problems],
        }


def adopt(table: SheetLike, shading: ShadingLike | None = None,
          options: AdoptOptions | None = None) -> Adoption:
    """Read a hand-made control sheet; the Adoption lists every doubt in ``problems``."""
    options = options or AdoptOptions()
    grid = Grid(table, shading.shaded if shading and shading.readable else None,
                shading.merged if shading else None)
    layout = find_layout(grid)
    texts = _side_texts(grid, layout)
    legend = parse_legend(texts)
    readable = shading is None or shading.readable
    if layout.kind == "by-month":
        reading = read_by_month(grid, layout, options.unit)
    elif layout.months and not any(p.code == "no-task-column" for p in layout.problems):
        reading = GridReader(grid, layout, legend, options.marks, readable).read()
        below = {k: v for k, v in parse_legend(reading.footer).items() if k not in legend}
        if below:  # a legend under the table: read again knowing it
            legend = {**legend, **below}
            reading = GridReader(grid, layout, legend, options.marks, readable).read()
    else:
        reading = GridReading()
    office, year, unit_note, meta_problems, meta_notices = _meta(grid, layout, options)
    result = Adoption(table.file, table.sheet, layout.kind, ControlSheet(office, year, [], unit_note,
                                                                          table.file))
    found = bool(layout.months) or layout.kind == "by-month"
    result.problems = [*layout.problems, *(meta_problems if found else []), *reading.problems]
    result.notices = [*meta_notices, *reading.notices]
    result.legend = legend
    result.found = found
    _describe(result, grid, layout, reading, shading)
    _finish(result, grid, layout.data_start, reading, options, readable, shading)
    return result


# ── titles and years ─────────────────────────────────────────────────────────────────────

def _side_texts(grid: Grid, layout: Layout) -> list[str]:
    """Texts outside the task rows: titles, captions, unused headers (a legend may be there)."""
    out = [clean_text(v) for r in layout.title_rows for v in grid.rows[r] if not is_blank(v)]
    out += [t for _, _, t in layout.captions] + [t for _, _, t in layout.ignored]
    return out


def _meta(grid: Grid, layout: Layout, options: AdoptOptions
          ) -> tuple[str, int | None, str | None, list[Problem], list[str]]:
    """Office, year and 填報單位 from the title rows and the captions over the months."""
    office, unit = "", None
    years: list[tuple[int, int, int, str]] = []  # (year, r, c, text)
    cells = [(r, c) for r in layout.title_rows for c in range(grid.width) if not is_blank(grid.raw(r, c))]
    cells += [(r, c) for r, c, _ in layout.captions]
    for r, c in cells:
        spaced = nfkc(clean_text(grid.raw(r, c)))
        text = spaced.replace(" ", "")
        if m := _UNIT_NOTE.search(spaced):
            unit = m.group(1)
            continue
        if m := YEAR_IN_TEXT.search(text):
            written = int(m.group(1))
            years.append((written - _ROC_OFFSET if written > _ROC_OFFSET else written, r, c, text))
            before = text[:m.start()]
            if not office and (o := _OFFICE.search(before) or _OFFICE.search(text[m.end():])):
                office = o.group(1)
        elif not office and (o := _OFFICE.search(text)):
            office = o.group(1)
    problems: list[Problem] = []
    notices: list[str] = []
    distinct = list(dict.fromkeys(y for y, *_ in years))
    year = distinct[0] if distinct else None
    if len(distinct) > 1 and options.year is None:
        first = years[0]
        other = next(y for y in years if y[0] != first[0])
        problems.append(grid.problem(other[1], other[2], "year-conflict",
                        f"{grid.ref(first[1], first[2])}「{first[3]}」是 {first[0]} 年度，"
                        f"{grid.ref(other[1], other[2])}「{other[3]}」是 {other[0]} 年度，看不出是哪一年；"
                        "請修正表上的年度，或以 --year 指定"))
    if options.year is not None:
        if year is not None and year != options.year:
            notices.append(f"表上寫 {year} 年度，依指定改為 {options.year} 年度")
        year = options.year
    elif year is None and options.need_year:
        r, c = (layout.title_rows[0], 0) if layout.title_rows else (0, 0)
        problems.append(grid.problem(r, c, "no-year", "看不出管制表的年度（標題或月份上方沒有「107年度」"
                                     "之類的字樣）；請在標題寫明年度，或以 --year 指定"))
    if options.office:
        office = options.office
    elif not office:
        notices.append("標題看不出機關名稱（可用 --office 指定）")
    return office, year, unit, problems, notices


# ── tasks ────────────────────────────────────────────────────────────────────────────────

def _finish(result: Adoption, grid: Grid, data_start: int, reading: GridReading,
            options: AdoptOptions, readable: bool, shading: ShadingLike | None) -> None:
    drafts = reading.drafts
    for d in drafts:
        if not d.unit_text and options.unit:
            d.unit_text, d.unit_from = unit_name(options.unit), "指定"
    units = resolve_units(d.unit_text for d in drafts if d.unit_text)
    result.shared = [u for u in units.values() if u.kind != "single" and not u.doubt]
    any_marks = any(d.planned_mark for d in drafts)
    unreadable = not readable and not any_marks and result.layout != "by-month" and bool(drafts)
    if unreadable:
        assert shading is not None
        result.problems.append(Problem("shading-unreadable",
                               f"{shading.reason}。表上沒有任何記號，無法判讀預定月份",
                               result.file, result.sheet_name, drafts[0].cells.get("工作內容") or "A1"))
    if not drafts and not result.problems:
        result.problems.append(Problem("no-tasks", "標題列下方沒有任何工作列", result.file,
                                       result.sheet_name, grid.ref(data_start, 0)))
    reported: set[str] = set()
    for d in drafts:
        problem = _task_problem(result, d, units, reported, unreadable, options.need_unit)
        if problem is not None:
            result.problems.append(problem)
        task = _task(result, grid, d, units)
        if task is None:
            continue
        result.sheet.tasks.append(task)
        result.tasks.append(TaskReading(task, dict(d.cells), dict(d.planned), dict(d.actual),
                                        dict(d.actual_cells), _planned_from(d), d.unit_from, d.rows))


def _task_problem(result: Adoption, d: Draft, units: dict[str, UnitReading], reported: set[str],
                  unreadable: bool, need_unit: bool) -> Problem | None:
    def problem(code: str, cell: str, message: str) -> Problem:
        return Problem(code, message, result.file, result.sheet_name, cell)

    where = f"編號 {d.id}「{d.task}」"
    if not d.unit_text and need_unit:
        hint = ("沒有承辦單位欄，計畫項目後也沒有「(課室)」" if "承辦單位" not in result.columns
                else "承辦單位欄空白")
        return problem("no-unit", d.cells.get("承辦單位") or d.cells.get("工作內容", ""),
                       f"{where}看不出承辦單位（{hint}）；"
                       "請填寫承辦單位，或以 --unit 指定")
    reading = units.get(unit_name(d.unit_text))
    if reading is not None and reading.doubt:
        if reading.text in reported:
            return None
        reported.add(reading.text)
        return problem("unknown-shared-unit", d.cells.get("承辦單位", ""), reading.doubt)
    if not d.planned and not unreadable:
        extra = "" if d.has_planned_row else "（只有實際列，沒有預定列）"
        return problem("no-planned-months", d.cells.get("工作內容", ""),
                       f"{where}沒有任何預定月份（網底或記號）{extra}")
    return None


def _task(result: Adoption, grid: Grid, d: Draft, units: dict[str, UnitReading]) -> Task | None:
    completion = None
    raw = d.values.get("完成度")
    if raw is not None:
        try:
            completion = parse_percent(raw)
        except ValueError as exc:
            result.problems.append(Problem("bad-completion", f"編號 {d.id}「{d.task}」的完成度：{exc}",
                                           result.file, result.sheet_name, d.cells.get("完成度")))
    reading = units.get(unit_name(d.unit_text))
    owners = reading.units if reading else ()
    return Task(d.id, d.project, unit_name(d.unit_text), d.task, tuple(sorted(d.planned)),
                tuple(sorted(d.actual)), completion, free_text(d.values.get("落後原因及因應對策")),
                free_text(d.values.get("備註")),
                owners if owners and owners != (unit_name(d.unit_text),) else ())


def _planned_from(d: Draft) -> dict[int, str]:
    out = {}
    for m in d.planned:
        fill, mark = m in d.planned_fill, m in d.planned_mark
        out[m] = "網底＋記號" if fill and mark else "網底" if fill else "記號" if mark else "月份欄"
    return out


# ── what was understood ──────────────────────────────────────────────────────────────────

def _describe(result: Adoption, grid: Grid, layout: Layout, reading: GridReading,
              shading: ShadingLike | None) -> None:
    left = grid.table.origin[1]

    def letter(c: int) -> str:
        return column_letter(left + c)

    result.title_rows = [(grid.row_no(r), " ".join(clean_text(v) for v in grid.rows[r] if not is_blank(v)))
                         for r in layout.title_rows]
    result.header_rows = [grid.row_no(r) for r in layout.header_rows]
    result.columns = {("推動計畫目標" if k == "goal" else k): letter(c) for k, c in layout.columns.items()}
    result.months = {m: letter(c) for m, c in sorted(layout.months.items())}
    result.unit_in_parentheses = sorted(layout.unit_hinted)
    result.pair_words = list(reading.pair_words)
    result.marks = {k: dict(v.most_common()) for k, v in reading.marks.items() if v}
    result.fills = {k: dict(v.most_common()) for k, v in reading.fills.items() if v}
    result.ignored = [f"{t}（{letter(c)} 欄）" for _, c, t in layout.ignored]
    if shading is None:
        result.shading = "未讀取網底"
    elif not shading.readable:
        result.shading = shading.reason
        if result.layout != "by-month":
            result.notices.append(f"網底無法讀取：{shading.reason}")
    else:
        result.shading = getattr(shading, "via", "") or "已讀取"


def _span(letters: dict[int, str]) -> str:
    if not letters:
        return ""
    first, last = min(letters), max(letters)
    return f"{letters[first]}–{letters[last]}（{first}月…{last}月）"


def reading_lines(a: Adoption) -> list[str]:
    """What svcq understood of the sheet, in the words of the sheet (shown before any write)."""
    s = a.sheet
    out = [f"判讀「{a.sheet_name or '工作表'}」："]
    for row, text in a.title_rows:
        out.append(f"  標題：第 {row} 列「{text}」")
    out.append(f"  → 機關：{s.office or '（未寫）'}；年度：{s.year if s.year is not None else '（未寫）'}"
               + (f"；填報單位：{s.unit}" if s.unit else ""))
    if a.header_rows:
        rows = (f"第 {a.header_rows[0]} 列" if len(a.header_rows) == 1
                else f"第 {a.header_rows[0]}–{a.header_rows[-1]} 列")
        cols = "、".join(f"{k} {v} 欄" + ("（括號內為承辦單位）" if k in a.unit_in_parentheses else "")
                        for k, v in a.columns.items())
        out.append(f"  標題列：{rows}；{cols}" + (f"；月份 {_span(a.months)}" if a.months else ""))
    out.append(f"  版面：{LAYOUT_NAMES[a.layout]}"
               + (f"，標示寫作「{'」「'.join(a.pair_words)}」" if a.pair_words else ""))
    for role in (PLANNED, ACTUAL):
        fills, marks = a.fills.get(role, {}), a.marks.get(role, {})
        if fills or marks:
            parts = [f"網底 {c}：{n} 格" for c, n in fills.items()]
            parts += [f"記號「{k}」：{n} 格" for k, n in marks.items()]
            out.append(f"  {role}月份：" + "；".join(parts))
    if a.legend:
        out.append("  圖例：" + "、".join(f"{k}＝{v}" for k, v in a.legend.items()))
    if a.shading and a.layout != "by-month":
        out.append(f"  網底：{a.shading}")
    if a.ignored:
        out.append("  未採用的欄：" + "、".join(a.ignored))
    items = len({t.task.id for t in a.tasks})
    out.append(f"  共 {items} 項計畫、{len(a.tasks)} 項工作；各承辦單位：" + "、".join(
        f"{u} {len(s.plan.for_unit(u).tasks)} 項" for u in s.plan.units))
    for u in a.shared:
        ids = [t.task.id for t in a.tasks if t.task.unit == u.text]
        out.append(f"  共同辦理「{u.text}」→ {'、'.join(u.units)}（編號 {'、'.join(dict.fromkeys(ids))}）"
                   + (f"；{u.how}" if u.how and u.kind == "list" else ""))
    out += [f"  註：{n}" for n in a.notices]
    out.append("  工作（編號｜承辦單位｜預定月份〔來源〕｜實際｜完成度｜工作內容）：")
    for r in a.tasks:
        t = r.task
        sources = Counter(r.planned_from.values())
        done = "" if t.completion is None else f"{t.completion:.0%}"
        out.append(f"    {t.id}｜{t.unit}｜{format_months(t.planned) or '—'}〔{'、'.join(sources)}〕"
                   f"｜{format_months(t.actual) or '—'}｜{done or '—'}｜{t.task}")
    return out
