"""Where each task stands as of a month: done, late, on_track or not_due."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from toolkit.frames import frame
from toolkit.roc import YearMonth
from toolkit.schedule.model import ControlSheet, Task
from toolkit.schedule.months import format_months
from toolkit.sheetkit.width import pad

if TYPE_CHECKING:
    import pandas as pd

Status = Literal["done", "late", "on_track", "not_due"]
STATUSES: tuple[Status, ...] = ("late", "on_track", "not_due", "done")
STATUS_LABELS: dict[Status, str] = {"done": "已完成", "late": "落後", "on_track": "進行中",
                                    "not_due": "未到期"}
_DONE = 1 - 1e-9


def due_month(sheet_year: int | None, as_of: YearMonth) -> int:
    """The last month of the sheet's year that counts as due: 0 before the year, 12 after it."""
    if sheet_year is None or sheet_year == as_of.year:
        return as_of.month
    return 12 if as_of.year > sheet_year else 0


def task_status(task: Task, due: int) -> Status:
    """The rules of the issue, in order; a task marked before any planned month is on_track."""
    if task.completion is not None and task.completion >= _DONE:
        return "done"
    past = [m for m in task.planned if m <= due]
    if any(m not in task.actual for m in past) or (task.planned and max(task.planned) <= due):
        return "late"
    if past or task.actual:
        return "on_track"
    return "not_due"


@dataclass(frozen=True)
class TaskStatus:
    task: Task
    status: Status

    @property
    def reason_missing(self) -> bool:
        return self.status == "late" and not self.task.reason

    def to_dict(self) -> dict[str, Any]:
        t = self.task
        return {"id": t.id, "project": t.project, "unit": t.unit, "task": t.task,
                "planned_months": list(t.planned), "actual_months": list(t.actual),
                "completion": t.completion, "status": self.status, "reason": t.reason,
                "reason_missing": self.reason_missing}


@dataclass(frozen=True)
class OpenConflict:
    """A conflict the latest collect listed and did not apply (read back from 彙整紀錄), so the
    monthly meeting sees what is still unresolved and where."""

    title: str  # the kind in Chinese: 預定列被修改, 非本單位工作, 值無法判讀, …
    message: str
    files: str  # the returned file(s), as 彙整紀錄 names them
    cell: str = ""  # sheet!cell in the returned file, when one cell is to blame
    id: str = ""
    task: str = ""
    collected: str = ""  # when that collect ran (彙整時間)

    def __str__(self) -> str:
        where = " ".join(p for p in (self.files, self.cell) if p)
        return f"［{self.title}］{where}：{self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "message": self.message, "files": self.files, "cell": self.cell,
                "id": self.id, "task": self.task, "collected": self.collected}


@dataclass(frozen=True)
class StatusReport:
    office: str
    year: int | None
    as_of: YearMonth
    tasks: list[TaskStatus]
    conflicts: list[OpenConflict] = field(default_factory=list)  # unresolved, from 彙整紀錄

    def counts(self, unit: str | None = None) -> dict[str, int]:
        rows = [t for t in self.tasks if unit is None or unit in t.task.owners]
        c = Counter(t.status for t in rows)
        out: dict[str, int] = {s: c.get(s, 0) for s in ("done", "late", "on_track", "not_due")}
        out["total"] = len(rows)
        out["late_without_reason"] = sum(t.reason_missing for t in rows)
        return out

    @property
    def units(self) -> list[str]:
        """Every real unit; a shared task (各課) counts for each unit it names."""
        return list(dict.fromkeys(u for t in self.tasks for u in t.task.owners))

    def ordered(self) -> list[TaskStatus]:
        """Late tasks first (the ones the 所務會議 must discuss), then on_track, not_due, done."""
        rank = {s: i for i, s in enumerate(STATUSES)}
        return sorted(self.tasks, key=lambda t: rank[t.status])  # stable: plan order within

    def to_text(self) -> str:
        return format_report(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per task, in plan order, with its status (and 狀態 in Chinese)."""
        return frame({**t.to_dict(), "狀態": STATUS_LABELS[t.status]} for t in self.tasks)

    @property
    def as_of_note(self) -> str:
        """A month outside the sheet's year makes every task late (or none): say so."""
        if self.year is None or self.as_of.year == self.year:
            return ""
        after = self.as_of.year > self.year
        return (f"統計月份 {self.as_of} 不在管制表的 {self.year} 年度內，"
                + ("整年的預定月份都已到期" if after else "還沒有任何預定月份到期")
                + f"；要看年度中的進度，請指定 {self.year} 年的月份（例：{self.year}-06）")

    @property
    def shared(self) -> dict[str, list[str]]:
        """Each shared 承辦單位 as written (各課) → the units it names."""
        return {t.task.unit: list(t.task.owners) for t in self.tasks if t.task.shared}

    def to_dict(self) -> dict[str, Any]:
        return {
            "office": self.office,
            "year": self.year,
            "as_of": self.as_of.iso,
            "tasks": [t.to_dict() for t in self.tasks],
            "summary": {"overall": self.counts(),
                        "by_unit": {u: self.counts(u) for u in self.units}},
            "shared_units": self.shared,
            "conflicts": [c.to_dict() for c in self.conflicts],
            "notes": [self.as_of_note] if self.as_of_note else [],
        }


def status(sheet: ControlSheet, as_of: YearMonth, conflicts: Sequence[OpenConflict] = ()) -> StatusReport:
    due = due_month(sheet.year, as_of)
    return StatusReport(sheet.office, sheet.year, as_of,
                        [TaskStatus(t, task_status(t, due)) for t in sheet.tasks], list(conflicts))


def _row(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    """Columns padded by display width, so Chinese text lines up in a terminal."""
    return "".join(pad(c, w + 1) for c, w in zip(cells, widths, strict=True))


def format_report(report: StatusReport) -> str:
    """The readable table: late tasks first, a ⚠ where a late task has no 落後原因."""
    lines = [f"{report.office}{report.year or ''}年度作業時程管制表　統計至 {report.as_of}", ""]
    if report.as_of_note:
        lines[1:1] = [f"⚠ {report.as_of_note}"]
    widths = (6, 4, 10, 9, 9, 6)
    lines.append(_row(("狀態", "編號", "承辦單位", "預定", "實際", "完成度"), widths)
                 + "工作內容／落後原因")
    for ts in report.ordered():
        t = ts.task
        done = "" if t.completion is None else f"{t.completion:.0%}"
        cells = (STATUS_LABELS[ts.status], t.id, t.unit, format_months(t.planned) or "—",
                 format_months(t.actual) or "—", done)
        lines.append(_row(cells, widths) + t.task)
        if ts.status == "late":
            reason = t.reason.replace("\n", "；")  # a shared task's reasons, one per unit
            lines.append(" " * sum(w + 1 for w in widths)
                         + ("└ 落後原因：" + reason if reason else "└ ⚠ 未填落後原因及因應對策"))
    lines.append("")
    c = report.counts()
    lines.append(f"合計 {c['total']} 項：落後 {c['late']}、進行中 {c['on_track']}、未到期 {c['not_due']}、"
                 f"已完成 {c['done']}" + (f"；{c['late_without_reason']} 項落後未填原因"
                                       if c["late_without_reason"] else ""))
    for unit in report.units:
        u = report.counts(unit)
        lines.append(f"  {unit}：落後 {u['late']}、進行中 {u['on_track']}、未到期 {u['not_due']}、"
                     f"已完成 {u['done']}")
    for text, units in report.shared.items():
        lines.append(f"  （共同辦理「{text}」＝{'、'.join(units)}，計入每個單位）")
    if report.conflicts:
        lines += ["", f"尚未解決的衝突（最近一次彙整 {report.conflicts[0].collected}，"
                      f"{len(report.conflicts)} 項未套用，請確認後重新彙整）："]
        lines += [f"  - {c}" for c in report.conflicts]
    return "\n".join(lines)
