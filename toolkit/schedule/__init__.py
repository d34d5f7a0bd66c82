"""作業時程管制表: the plan, the control sheet and each task's status (no file I/O).

Files are read and written by ``toolkit.io.schedule_xlsx``; this package re-exports that API
lazily so ``from toolkit.schedule import load_plan, status`` works for notebooks.
"""

from __future__ import annotations

from typing import Any

from toolkit.schedule.collect import Conflict, Taken, reconcile
from toolkit.schedule.model import ControlSheet, Plan, Task, TaskKey
from toolkit.schedule.months import format_months, is_mark, parse_months
from toolkit.schedule.plan import parse_plan
from toolkit.schedule.status import STATUS_LABELS, StatusReport, TaskStatus, status

_IO = ("load_plan", "write_control_sheet", "split", "collect", "read_control_sheet",
       "CollectResult", "write_template")

__all__ = ["STATUS_LABELS", "Conflict", "ControlSheet", "Plan", "StatusReport", "Taken", "Task",
           "TaskKey", "TaskStatus", "format_months", "is_mark", "parse_months", "parse_plan",
           "reconcile", "status", *_IO]


def __getattr__(name: str) -> Any:
    # The file API lives in toolkit.io (the only layer touching Excel); imported on first use
    # so the domain itself never loads an Excel library.
    if name in _IO:
        from toolkit.io import schedule_xlsx

        return getattr(schedule_xlsx, name)
    raise AttributeError(name)
