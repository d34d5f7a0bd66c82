"""Report verbs of the front door: render a report notebook, and the view module it uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from toolkit.families import REPORT_FAMILY, REPORTS
from toolkit.problems import SvcqError

__all__ = ["notebook_setup", "render_report", "report_view"]


def render_report(kind: str, inputs: Sequence[str | Path], params: Mapping[str, Any] | None = None,
                  output: str | Path = "report.html", *, timeout: int = 300) -> Path:
    """Run the ``kind`` report notebook (schedule, survey, score, phone) on ``inputs`` with
    ``params`` and write a self-contained HTML page to ``output``; returns its path."""
    from toolkit.reports.notebook import render

    return render(kind, inputs, params, output, timeout=timeout)


def notebook_setup() -> None:
    """The first cell of a report notebook: in JupyterLab a mistake is one sentence in
    Chinese (not a traceback), and charts find the CJK font (toolkit.reports.lab)."""
    from toolkit.reports.lab import setup

    setup()


def report_view(kind: str) -> ModuleType:
    """The functions a report notebook lays results out with: ``report_view("schedule")`` is
    ``toolkit.schedule.view`` (``load`` the data, then ``header``, ``late_table``, …)."""
    if kind not in REPORTS:
        raise SvcqError(f"沒有「{kind}」這種報告；可用：{'、'.join(REPORTS)}", code="report-kind")
    return REPORT_FAMILY[kind].module(REPORTS[kind].view)
