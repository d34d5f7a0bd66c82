"""Which values of the returned copies go into the master, and what is a conflict (no I/O).

Each 課室 may change only the progress of its own tasks: 實際 months, 完成度, 落後原因及
因應對策 and 備註. Everything else a copy changed is reported, never applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from toolkit.catalogue import title_of
from toolkit.problems import Problem, check_code
from toolkit.schedule.model import ControlSheet, Task, TaskKey
from toolkit.sheetkit.cells import quote_sheet

FIELDS = ("實際月份", "完成度", "落後原因及因應對策", "備註")
Progress = tuple[tuple[int, ...], float | None, str, str]
_FORBIDDEN_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def unit_file_name(unit: str, suffix: str = ".xlsx") -> str:
    """A file name for a 課室's copy: the unit's name, minus characters Windows refuses."""
    name = _FORBIDDEN_IN_NAME.sub("_", unit).strip(" .") or "未命名單位"
    return f"{name}{suffix}"


def progress(task: Task) -> Progress:
    completion = None if task.completion is None else round(task.completion, 6)
    return (task.actual, completion, task.reason, task.note)


def show(field_name: str, value: Any) -> str:
    """A field's value as the 彙整紀錄 and the terminal show it."""
    if field_name in ("實際月份", "預定月份"):
        return "、".join(f"{m}月" for m in value) or "（無）"
    if field_name == "完成度":
        return "（空白）" if value is None else f"{value:.0%}"
    return value or "（空白）"


@dataclass
class Returned:
    """A returned copy as read: its tasks, the cells that could not be read, its columns."""

    file: str
    sheet: ControlSheet
    problems: list[Problem] = field(default_factory=list)
    task_problems: dict[TaskKey, list[Problem]] = field(default_factory=dict)
    has_note: bool = True  # False when the 備註 column was deleted: the master's note stays


@dataclass(frozen=True)
class Change:
    """One field of one task to be taken from a returned copy."""

    file: str
    unit: str
    key: TaskKey
    field: str  # one of FIELDS
    old: Any
    new: Any


@dataclass(frozen=True)
class Taken:
    """A value taken from a returned copy into the master, and the master cells written."""

    file: str
    unit: str
    id: str
    task: str
    field: str
    old: str
    new: str
    cells: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "unit": self.unit, "id": self.id, "task": self.task,
                "field": self.field, "old": self.old, "new": self.new, "cells": list(self.cells)}


@dataclass(frozen=True)
class Conflict:
    """Something a returned copy holds that was not applied, and why."""

    kind: str  # planned-changed, other-unit, unknown-task, disagree, bad-value, unknown-unit, no-cell
    message: str
    files: tuple[str, ...]
    id: str = ""
    task: str = ""
    cell: str = ""  # where in the returned copy, when one cell is to blame

    def __post_init__(self) -> None:
        check_code(self.kind)

    @property
    def title(self) -> str:
        """The kind in Chinese (預定列被修改, 非本單位工作, …), from the error catalogue."""
        return title_of(self.kind)

    def __str__(self) -> str:
        where = "、".join(PurePath(f).name for f in self.files)
        return f"{where}{' ' + self.cell if self.cell else ''}：{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "files": list(self.files),
                "id": self.id, "task": self.task, "cell": self.cell}


def _where(problem: Problem) -> str:
    return f"{quote_sheet(problem.sheet)}!{problem.cell}" if problem.sheet else problem.cell or ""


def unit_of(copy: Returned, master: ControlSheet) -> str | None:
    """Whose copy this is: its 填報單位 note, else a file named after a unit (``戶籍資料課-6月回報``
    counts), else the one unit owning every known task in it."""
    units = master.plan.units
    if copy.sheet.unit in units:
        return copy.sheet.unit
    stem = PurePath(copy.file).stem
    for unit in sorted(units, key=len, reverse=True):  # 戶籍資料課 before a unit named 戶籍
        if stem.startswith(PurePath(unit_file_name(unit)).stem):
            return unit
    keys = copy.sheet.by_key()
    owners = {t.unit for t in master.tasks if t.key in keys}
    return owners.pop() if len(owners) == 1 else None


def reconcile(master: ControlSheet, copies: list[Returned]
              ) -> tuple[list[Change], list[Conflict], dict[str, str]]:
    """(changes to apply, conflicts, {file: unit read as ('' when unknown)})."""
    owner = master.by_key()
    conflicts: list[Conflict] = []
    units: dict[str, str] = {}
    proposals: dict[TaskKey, list[tuple[str, str, Progress]]] = {}
    for copy in copies:
        name = copy.file
        unit = unit_of(copy, master)
        units[name] = unit or ""
        if unit is None:
            conflicts.append(Conflict("unknown-unit", "看不出此檔是哪個承辦單位的回報（填報單位、檔名都"
                                      "對不上，且含多個單位的工作），整份未套用", (name,)))
            continue
        in_tasks = {id(p) for ps in copy.task_problems.values() for p in ps}
        conflicts += [Conflict("bad-value", p.message, (name,), cell=_where(p))
                      for p in copy.problems if id(p) not in in_tasks]
        for task in copy.sheet.tasks:
            conflict, proposal = _judge(task, owner.get(task.key), unit, copy)
            conflicts += conflict
            if proposal is not None:
                proposals.setdefault(task.key, []).append((name, unit, proposal))

    changes: list[Change] = []
    for key, props in proposals.items():
        if len({p for _, _, p in props}) > 1:
            conflicts.append(Conflict("disagree", f"編號 {key[0]}「{key[1]}」在多份回報中的內容不一致，"
                                      "皆未套用", tuple(f for f, _, _ in props), *key))
            continue
        file, unit, new = props[0]
        old = progress(owner[key])
        changes += [Change(file, unit, key, name, old[i], new[i])
                    for i, name in enumerate(FIELDS) if new[i] != old[i]]
    return changes, conflicts, units


def _judge(task: Task, mine: Task | None, unit: str, copy: Returned
           ) -> tuple[list[Conflict], Progress | None]:
    """Conflicts one task of a copy raises, and the progress to propose (None: take nothing)."""
    name, ident = copy.file, {"id": task.id, "task": task.task}
    if mine is None:
        return [Conflict("unknown-task", f"編號 {task.id}「{task.task}」不在總表中，未套用",
                         (name,), **ident)], None
    offered = progress(task) if copy.has_note else (*progress(task)[:3], mine.note)
    if mine.unit != unit:
        if offered != progress(mine) or set(task.planned) != set(mine.planned):
            return [Conflict("other-unit", f"編號 {task.id}「{task.task}」屬於{mine.unit}，不是{unit}"
                             "的工作，此檔對它的修改未套用", (name,), **ident)], None
        return [], None
    out: list[Conflict] = []
    if set(task.planned) != set(mine.planned):
        out.append(Conflict("planned-changed", f"編號 {task.id}「{task.task}」的預定月份被改為"
                            f"{show('預定月份', task.planned)}（總表為{show('預定月份', mine.planned)}），"
                            "預定列的修改未套用", (name,), **ident))
    if task.key in copy.task_problems:
        out += [Conflict("bad-value", p.message + "，此工作未套用", (name,), cell=_where(p), **ident)
                for p in copy.task_problems[task.key]]
        return out, None
    return out, offered
