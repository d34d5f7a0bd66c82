"""作業時程管制表: the plan, the control sheet and each task's status (no file I/O).

The files (the standard sheet, split copies, collect) are ``toolkit.schedule.sheets`` and the
verbs of the front door ``toolkit.schedule.api`` (``toolkit.new_schedule`` …).
"""

from __future__ import annotations

from toolkit.schedule.collect import Conflict, Taken, reconcile
from toolkit.schedule.model import ControlSheet, Plan, Task, TaskKey
from toolkit.schedule.months import format_months, is_mark, parse_months
from toolkit.schedule.plan import parse_plan
from toolkit.schedule.status import STATUS_LABELS, StatusReport, TaskStatus, status

__all__ = ["STATUS_LABELS", "Conflict", "ControlSheet", "Plan", "StatusReport", "Taken", "Task",
           "TaskKey", "TaskStatus", "format_months", "is_mark", "parse_months", "parse_plan",
           "reconcile", "status"]
