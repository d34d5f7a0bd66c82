"""Where each task stands as of a month: done, late, on_track or not_due."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
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
class StatusReport:
    office: str
    year: int | None
    as_of: YearMonth
    tasks: list[TaskStatus]

    def counts(self, unit: str | None = None) -> dict[str, int]:
        rows = [t for t in self.tasks if unit is None or t.task.unit == unit]
        c = Counter(t.status for t in rows)
        out: dict[str, int] = {s: c.get(s, 0) for s in ("done", "late", "on_track", "not_due")}
        out["total"] = len(rows)
        out["late_without_reason"] = sum(t.reason_missing for t in rows)
        return out

    @property
    def units(self) -> list[str]:
        return list(dict.fromkeys(t.task.unit for t in self.tasks))

    def ordered(self) -> list[TaskStatus]:
        """Late tasks first (the ones the 所務會議 must discuss), then on_track, not_due, done."""
        rank = {s: i for i, s in enumerate(STATUSES)}
        return sorted(self.tasks, key=lambda t: rank[t.status])  # stable: plan order within

    def to_text(self) -> str:
        return format_report(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per task, in plan order, with its status (and 狀態 in Chinese)."""
        return frame({**t.to_dict(), "狀態": STATUS_LABELS[t.status]} for t in self.tasks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "office": self.office,
            "year": self.year,
            "as_of": self.as_of.iso,
            "tasks": [t.to_dict() for t in self.tasks],
            "summary": {"overall": self.counts(),
                        "by_unit": {u: self.counts(u) for u in self.units}},
        }


def status(sheet: ControlSheet, as_of: YearMonth) -> StatusReport:
    due = due_month(sheet.year, as_of)
    return StatusReport(sheet.office, sheet.year, as_of,
                        [TaskStatus(t, task_status(t, due)) for t in sheet.tasks])


def _row(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    """Columns padded by display width, so Chinese text lines up in a terminal."""
    return "".join(pad(c, w + 1) for c, w in zip(cells, widths, strict=True))


def format_report(report: StatusReport) -> str:
    """The readable table: late tasks first, a ⚠ where a late task has no 落後原因."""
    lines = [f"{report.office}{report.year or ''}年度作業時程管制表　統計至 {report.as_of}", ""]
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
            lines.append(" " * sum(w + 1 for w in widths)
                         + ("└ 落後原因：" + t.reason if t.reason else "└ ⚠ 未填落後原因及因應對策"))
    lines.append("")
    c = report.counts()
    lines.append(f"合計 {c['total']} 項：落後 {c['late']}、進行中 {c['on_track']}、未到期 {c['not_due']}、"
                 f"已完成 {c['done']}" + (f"；{c['late_without_reason']} 項落後未填原因"
                                       if c["late_without_reason"] else ""))
    for unit in report.units:
        u = report.counts(unit)
        lines.append(f"  {unit}：落後 {u['late']}、進行中 {u['on_track']}、未到期 {u['not_due']}、"
                     f"已完成 {u['done']}")
    return "\n".join(lines)
