"""作業時程管制表: the plan, the control sheet and each task's status (no file I/O).

Files are read and written by ``toolkit.schedule.sheets``; this package re-exports that API
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
    # The file API lives in toolkit.schedule.sheets; imported on first use so the domain
    # itself never loads an Excel library.
    if name in _IO:
        from toolkit.schedule import sheets

        return getattr(sheets, name)
    raise AttributeError(name)
