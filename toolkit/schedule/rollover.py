"""Next year's control sheet from this year's (no file I/O).

Every office copies last year's file: the same tasks and planned months, the year moved on,
and the progress (實際 marks, 完成度, 落後原因及因應對策, 備註) cleared. Years written inside the
texts move on too — 「107年度清查人口作業」 becomes 「108年度清查人口作業」, 「108年度預算之籌編」
becomes 「109年度…」 — but only ROC years next to the sheet's own (one year either side), and
every text changed is listed, so nothing changes unseen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from toolkit.schedule.model import ControlSheet, Task

_YEAR = re.compile(r"(?<![\d.])(\d{2,3})(?=\s*年)")


@dataclass(frozen=True)
class Renamed:
    """A text whose year moved on: which task, which field, before and after."""

    id: str
    field: str  # 計畫項目 or 工作內容
    old: str
    new: str

    def __str__(self) -> str:
        return f"編號 {self.id} {self.field}「{self.old}」→「{self.new}」"

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "field": self.field, "old": self.old, "new": self.new}


def shift_years(text: str, year: int, step: int) -> str:
    """ROC years within one of ``year`` moved on by ``step`` (107年 → 108年); others kept."""
    def move(m: re.Match[str]) -> str:
        found = int(m.group(1))
        return str(found + step) if abs(found - year) <= 1 else m.group(1)

    return _YEAR.sub(move, text)


def rollover(sheet: ControlSheet, year: int, *, move_texts: bool = True
             ) -> tuple[ControlSheet, list[Renamed]]:
    """(next year's sheet, the texts whose years moved). ``move_texts=False`` keeps the texts;
    so does a sheet without a year (there is nothing to count from)."""
    step = year - sheet.year if sheet.year is not None else 0
    renamed: list[Renamed] = []
    tasks: list[Task] = []
    for t in sheet.tasks:
        project, task = t.project, t.task
        if move_texts and step and sheet.year is not None:
            project, task = shift_years(t.project, sheet.year, step), shift_years(t.task, sheet.year, step)
        if project != t.project and not any(r.field == "計畫項目" and r.id == t.id for r in renamed):
            renamed.append(Renamed(t.id, "計畫項目", t.project, project))
        if task != t.task:
            renamed.append(Renamed(t.id, "工作內容", t.task, task))
        tasks.append(replace(t, project=project, task=task, actual=(), completion=None, reason="",
                             note=""))
    return ControlSheet(sheet.office, year, tasks), renamed
