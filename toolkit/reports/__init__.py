"""Notebooks → self-contained, accessible HTML reports (papermill + nbconvert, one process).

``render(kind, inputs, params, dst)`` is the API behind ``svcq report``; the modules
``html`` and ``charts`` and the per-report views (``schedule_view``, ``survey_view``,
``score_view``) are what the notebooks in ``notebooks/`` call, so no notebook holds logic.
"""

from __future__ import annotations

from typing import Any

__all__ = ["REPORTS", "notebook_path", "parse_param", "render", "render_notebook"]


def __getattr__(name: str) -> Any:
    # Lazy: the notebook kernel imports the views only, and must not pay for nbformat,
    # papermill and nbconvert (seconds of start-up) that only the rendering process needs.
    if name in __all__:
        import importlib

        return getattr(importlib.import_module("toolkit.reports.notebook"), name)
    raise AttributeError(name)
