"""Which values of the returned copies go into the master, and what is a conflict (no I/O).

Each 課室 may change only the progress of its own tasks: 實際 months, 完成度, 落後原因及
因應對策 and 備註. Everything else a copy changed is reported, never applied. A value that
cannot be read (完成度 「很多」) is refused alone: the task's other fields are still taken, so
a refused 完成度 never turns a task falsely 落後. A shared task (各課) keeps each unit's return
and the master shows them combined (``toolkit.schedule.shared``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from toolkit.catalogue import title_of
from toolkit.problems import Problem, check_code
from toolkit.schedule.model import ControlSheet, Task, TaskKey
from toolkit.schedule.shared import FIELDS, Offer, Progress, UnitReturn, combine, offer_of, progress, seed
from toolkit.sheetkit.cells import quote_sheet
from toolkit.text import safe_file_name

__all__ = ["FIELDS", "Change", "Conflict", "Progress", "Reconciled", "Recorded", "Returned", "Taken",
           "progress", "reconcile", "show", "unit_file_name", "unit_of"]



def unit_file_name(unit: str, suffix: str = ".xlsx") -> str:
    """A file name for a 課室's copy: the unit's name made safe on every system (no characters
    Windows refuses, no device name such as CON, no bidi tricks, no ~$ prefix, not too long)."""
    return safe_file_name(unit, suffix, fallback="未命名單位")


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
class Recorded(Taken):
    """What one unit returned for a shared task: kept per unit (共同辦理進度), combined in the
    master, so it writes no cell of its own."""


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
    counts), else the one unit owning every known task in it (a shared task counts for each)."""
    units = master.plan.units
    if copy.sheet.unit in units:
        return copy.sheet.unit
    stem = PurePath(copy.file).stem
    for unit in sorted(units, key=len, reverse=True):  # 戶籍資料課 before a unit named 戶籍
        if stem.startswith(PurePath(unit_file_name(unit)).stem):
            return unit
    keys = copy.sheet.by_key()
    owner_sets = [set(t.owners) for t in master.tasks if t.key in keys]
    common = set.intersection(*owner_sets) if owner_sets else set()
    return common.pop() if len(common) == 1 else None


@dataclass
class Reconciled:
    """What a collect does: master changes, conflicts, whose each copy is, and for shared tasks
    each unit's return (to keep in 共同辦理進度) and what changed in it (for 彙整紀錄)."""

    changes: list[Change]
    conflicts: list[Conflict]
    units: dict[str, str]  # file → the 承辦單位 it was read as ('' when unknown)
    returns: list[UnitReturn] = field(default_factory=list)
    recorded: list[Recorded] = field(default_factory=list)


SharedState = dict[tuple[TaskKey, str], UnitReturn]


def reconcile(master: ControlSheet, copies: list[Returned], state: SharedState | None = None
              ) -> Reconciled:
    """Judge every copy against the master; ``state`` holds each unit's earlier returns of the
    shared tasks (the 共同辦理進度 sheet)."""
    owner = master.by_key()
    out = Reconciled([], [], {})
    proposals: dict[TaskKey, dict[str, list[tuple[str, Offer]]]] = {}
    for copy in copies:
        name = copy.file
        unit = unit_of(copy, master)
        out.units[name] = unit or ""
        if unit is None:
            out.conflicts.append(Conflict("unknown-unit", "看不出此檔是哪個承辦單位的回報（填報單位、檔名"
                                          "都對不上，且含多個單位的工作），整份未套用", (name,)))
            continue
        in_tasks = {id(p) for ps in copy.task_problems.values() for p in ps}
        out.conflicts += [Conflict("bad-value", p.message, (name,), cell=_where(p))
                          for p in copy.problems if id(p) not in in_tasks]
        for task in copy.sheet.tasks:
            conflicts, offer = _judge(task, owner.get(task.key), unit, copy)
            out.conflicts += conflicts
            if offer is not None:
                proposals.setdefault(task.key, {}).setdefault(unit, []).append((name, offer))
    for key, by_unit in proposals.items():
        agreed: dict[str, tuple[str, Offer]] = {}
        for unit, props in by_unit.items():
            if len({tuple(sorted(o.items())) for _, o in props}) > 1:
                out.conflicts.append(Conflict("disagree", f"編號 {key[0]}「{key[1]}」在{unit}的多份回報中"
                                              "內容不一致，皆未套用", tuple(f for f, _ in props), *key))
                continue
            agreed[unit] = props[0]
        mine = owner[key]
        if agreed and mine.shared:
            _shared(mine, agreed, state or {}, out)
        elif agreed:
            [(unit, (file, offer))] = agreed.items()
            old = dict(zip(FIELDS, progress(mine), strict=True))
            out.changes += [Change(file, unit, key, f, old[f], offer[f]) for f in FIELDS
                            if f in offer and offer[f] != old[f]]
    return out


def _shared(mine: Task, agreed: dict[str, tuple[str, Offer]], state: SharedState, out: Reconciled) -> None:
    """Record each unit's return of a shared task and change the master to their combination."""
    current = {u: state[(mine.key, u)] for u in mine.owners if (mine.key, u) in state}
    for unit in mine.owners:
        if unit not in current and unit not in agreed:
            current[unit] = seed(mine, unit)  # the master's values stand for it until it returns
            out.returns.append(current[unit])
    for unit, (file, offer) in agreed.items():
        before = current.get(unit) or seed(mine, unit)
        after = before.updated(offer, PurePath(file).name)
        out.recorded += [Recorded(file, unit, *mine.key, f, show(f, b), show(f, a))
                         for f, b, a in zip(FIELDS, before.progress, after.progress, strict=True) if b != a]
        current[unit] = after
        out.returns.append(after)
    new, old = combine(mine, current), progress(mine)
    out.changes += [Change("", f"{mine.unit}（各單位合併）", mine.key, f, old[i], new[i])
                    for i, f in enumerate(FIELDS) if new[i] != old[i]]


def _judge(task: Task, mine: Task | None, unit: str, copy: Returned
           ) -> tuple[list[Conflict], Offer | None]:
    """Conflicts one task of a copy raises, and what to take from it (None: nothing)."""
    name, ident = copy.file, {"id": task.id, "task": task.task}
    if mine is None:
        return [Conflict("unknown-task", f"編號 {task.id}「{task.task}」不在總表中，未套用",
                         (name,), **ident)], None
    if unit not in mine.owners:
        changed = offer_of(task, note=copy.has_note) != offer_of(mine, note=copy.has_note)
        if changed or set(task.planned) != set(mine.planned):
            return [Conflict("other-unit", f"編號 {task.id}「{task.task}」屬於{mine.unit}，不是{unit}"
                             "的工作，此檔對它的修改未套用", (name,), **ident)], None
        return [], None
    out: list[Conflict] = []
    if set(task.planned) != set(mine.planned):
        out.append(Conflict("planned-changed", f"編號 {task.id}「{task.task}」的預定月份被改為"
                            f"{show('預定月份', task.planned)}（總表為{show('預定月份', mine.planned)}），"
                            "預定列的修改未套用", (name,), **ident))
    refused = copy.task_problems.get(task.key, [])
    out += [Conflict("bad-value", f"{p.message}：此欄未套用，其餘欄位照常採用", (name,), cell=_where(p),
                     **ident) for p in refused]
    completion_ok = not any(p.code == "bad-completion" for p in refused)
    return out, offer_of(task, note=copy.has_note, completion=completion_ok)
