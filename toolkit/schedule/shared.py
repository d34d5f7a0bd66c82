"""A shared task's progress: each unit's own return, and what the master shows (no file I/O).

A task whose 承辦單位 is 「各課」 or 「戶籍登記、資料課」 goes to every unit it names, and each
unit returns its own 實際 marks, 完成度, 落後原因 and 備註. The master keeps every unit's latest
return (sheet 共同辦理進度) and shows them combined: the union of 實際 months, the lowest 完成度
(so the task is done only when every unit reports it done) and each unit's 落後原因 and 備註
under its name. Until a unit has returned anything, the master's own values stand for it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from toolkit.schedule.model import Task, TaskKey

FIELDS = ("實際月份", "完成度", "落後原因及因應對策", "備註")
Progress = tuple[tuple[int, ...], float | None, str, str]
#: The fields a returned copy offers for one task; a field that was refused is absent.
Offer = dict[str, Any]


def progress(task: Task) -> Progress:
    completion = None if task.completion is None else round(task.completion, 6)
    return (task.actual, completion, task.reason, task.note)


def offer_of(task: Task, *, note: bool = True, completion: bool = True) -> Offer:
    """What a copy says of a task; ``note``/``completion`` False leave that field out (the 備註
    column was deleted, or the 完成度 could not be read)."""
    out = dict(zip(FIELDS, progress(task), strict=True))
    if not note:
        del out["備註"]
    if not completion:
        del out["完成度"]
    return out


@dataclass(frozen=True)
class UnitReturn:
    """One unit's latest return for one shared task (a row of the 共同辦理進度 sheet)."""

    key: TaskKey
    unit: str
    actual: tuple[int, ...] = ()
    completion: float | None = None
    reason: str = ""
    note: str = ""
    file: str = ""  # the copy it came from (file name)

    @property
    def progress(self) -> Progress:
        return (self.actual, self.completion, self.reason, self.note)

    def updated(self, offer: Offer, file: str) -> UnitReturn:
        values: dict[str, Any] = dict(zip(FIELDS, self.progress, strict=True)) | offer
        return replace(self, actual=tuple(values["實際月份"]), completion=values["完成度"],
                       reason=values["落後原因及因應對策"], note=values["備註"], file=file)


def seed(task: Task, unit: str) -> UnitReturn:
    """A unit's state before it has returned anything: the master's own 實際 months and 完成度
    (recorded once, so later months do not feed the combined values back into it)."""
    actual, completion, _, _ = progress(task)
    return UnitReturn(task.key, unit, actual, completion)


def combine(task: Task, returns: dict[str, UnitReturn]) -> Progress:
    """What the master shows for a shared task, from each owner's latest return."""
    states = [returns.get(u) or seed(task, u) for u in task.owners]
    actual = tuple(sorted({m for s in states for m in s.actual}))
    completions = [s.completion for s in states]
    completion = None if any(c is None for c in completions) else min(c for c in completions if c is not None)
    reported = any(s.file for s in states)  # a unit has returned: texts come from the returns

    def joined(attr: str, current: str) -> str:
        parts = [f"{s.unit}：{getattr(s, attr)}" for s in states if getattr(s, attr)]
        return "\n".join(parts) if reported else current

    return (actual, completion, joined("reason", task.reason), joined("note", task.note))
