"""The plan and the control sheet as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from toolkit.frames import frame

if TYPE_CHECKING:
    import pandas as pd

TaskKey = tuple[str, str]  # (編號, 工作內容): how tasks are matched, never by row number


@dataclass(frozen=True)
class Task:
    id: str  # 編號, as text ("1", "1-2")
    project: str  # 計畫項目
    unit: str  # 承辦單位 as the sheet shows it: 「戶籍登記課」, or shared: 「各課」「戶籍登記、資料課」
    task: str  # 工作內容
    planned: tuple[int, ...]  # 預定月份 1–12
    actual: tuple[int, ...] = ()  # months marked on the 實際 row
    completion: float | None = None  # 完成度 0–1
    reason: str = ""  # 落後原因及因應對策
    note: str = ""  # 備註
    #: The units a shared task belongs to (各課 → every unit of the sheet); () = just ``unit``.
    units: tuple[str, ...] = ()

    @property
    def key(self) -> TaskKey:
        return (self.id, self.task)

    @property
    def owners(self) -> tuple[str, ...]:
        """The 承辦單位 responsible for this task: one, or every unit a shared task names."""
        return self.units or (self.unit,)

    @property
    def shared(self) -> bool:
        return len(self.owners) > 1

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "project": self.project, "unit": self.unit, "units": list(self.owners),
                "task": self.task, "planned_months": list(self.planned),
                "actual_months": list(self.actual), "completion": self.completion,
                "reason": self.reason, "note": self.note}

    def with_progress(self, **changes: object) -> Task:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass
class Plan:
    """Tasks grouped by item (編號 + 計畫項目) in first-appearance order."""

    tasks: list[Task] = field(default_factory=list)

    def __post_init__(self) -> None:
        order: dict[str, int] = {}
        for t in self.tasks:
            order.setdefault(t.id, len(order))
        self.tasks = sorted(self.tasks, key=lambda t: order[t.id])  # stable: task order kept

    @property
    def units(self) -> list[str]:
        """Every real unit (a shared task counts for each unit it names, never as 「各課」)."""
        return units_of(self.tasks)

    def items(self) -> list[tuple[str, str, list[Task]]]:
        """(編號, 計畫項目, tasks) per item, each item's tasks contiguous."""
        out: dict[str, tuple[str, str, list[Task]]] = {}
        for t in self.tasks:
            out.setdefault(t.id, (t.id, t.project, []))[2].append(t)
        return list(out.values())

    def for_unit(self, unit: str) -> Plan:
        return Plan([t for t in self.tasks if unit in t.owners])

    def by_month(self) -> dict[int, list[Task]]:
        """月別工作項目: month → tasks planned that month."""
        months: dict[int, list[Task]] = {m: [] for m in range(1, 13)}
        for t in self.tasks:
            for m in t.planned:
                months[m].append(t)
        return months


@dataclass
class ControlSheet:
    """A control sheet as read back: the plan with progress, and what its title says."""

    office: str
    year: int | None  # ROC year from the title; None when the title does not say
    tasks: list[Task]
    unit: str | None = None  # set on a copy split for one 承辦單位
    file: str = ""
    notes: list[str] = field(default_factory=list)  # what svcq changed or noticed building it

    @property
    def plan(self) -> Plan:
        return Plan(list(self.tasks))

    def by_key(self) -> dict[TaskKey, Task]:
        return {t.key: t for t in self.tasks}

    def to_dict(self) -> dict[str, Any]:
        return {"office": self.office, "year": self.year, "unit": self.unit, "file": self.file,
                "units": self.plan.units, "tasks": [t.to_dict() for t in self.tasks],
                "notes": list(self.notes)}

    def to_pandas(self) -> pd.DataFrame:
        """One row per task."""
        return frame(t.to_dict() for t in self.tasks)


def units_of(tasks: Iterable[Task]) -> list[str]:
    return list(dict.fromkeys(u for t in tasks for u in t.owners))
