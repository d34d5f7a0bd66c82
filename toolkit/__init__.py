"""svcq: the 提升服務品質執行計畫 toolkit — one front door.

    import toolkit as svcq

    sheet = svcq.new_schedule("計畫清單.xlsx", year=114, office="○○戶政事務所", output="管制表.xlsx")
    svcq.adopt_schedule("事務所自己的管制表.xlsx", output="管制表.xlsx")  # or start from the office's own
    svcq.split_schedule("管制表.xlsx", "分送/")
    svcq.collect_schedule("管制表.xlsx", ["回收/戶籍課.xlsx"], output="管制表-6月.xlsx")
    report = svcq.schedule_status("管制表-6月.xlsx", as_of="114年6月")
    report.to_dict()      # the JSON of `svcq schedule status --json`
    report.to_pandas()    # a DataFrame for JupyterLab

Every verb mirrors a ``svcq`` command, takes paths (or results of other verbs), returns a
result object with ``.to_dict()`` and ``.to_pandas()``, and writes a file only when given
an output path. Problems in the data raise ``ProblemsFound`` (every problem listed, with
file and sheet!cell); an unusable input raises ``SvcqError``.

The verbs load on first use, so ``import toolkit`` stays instant.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: name → module that defines it (the family ``api`` modules, the patch engine, reports).
_EXPORTS: dict[str, str] = {
    # 作業時程管制表
    "new_schedule": "toolkit.schedule.api",
    "read_schedule": "toolkit.schedule.api",
    "split_schedule": "toolkit.schedule.api",
    "collect_schedule": "toolkit.schedule.api",
    "schedule_status": "toolkit.schedule.api",
    "adopt_schedule": "toolkit.schedule.api",
    "rollover_schedule": "toolkit.schedule.api",
    # 滿意度調查
    "tally": "toolkit.survey.api",
    "trend": "toolkit.survey.api",
    "votes": "toolkit.survey.api",
    "read_questionnaire": "toolkit.survey.api",
    "codebook_template": "toolkit.survey.api",
    # 自評評分
    "new_score_sheet": "toolkit.score.api",
    "compute_score": "toolkit.score.api",
    "merge_scores": "toolkit.score.api",
    "compare_scores": "toolkit.score.api",
    "load_rubric": "toolkit.score.api",
    "rubrics": "toolkit.score.api",
    "rubric_template": "toolkit.score.api",
    # 填寫表單
    "fill_form": "toolkit.forms.api",
    # 儲存格
    "read_cells": "toolkit.io.patch",
    "patch_cells": "toolkit.io.patch",
    "Formula": "toolkit.io.patch",
    # 報告與範本
    "render_report": "toolkit.reports.api",
    "report_view": "toolkit.reports.api",
    "notebook_setup": "toolkit.reports.api",
    "write_templates": "toolkit.templates",
    "run_demo": "toolkit.demo",
    # 問題
    "Problem": "toolkit.problems",
    "ProblemsFound": "toolkit.problems",
    "SvcqError": "toolkit.problems",
}

__all__ = [  # noqa: RUF022 (grouped by family, as _EXPORTS; a test keeps them equal)
    "__version__",
    "new_schedule",
    "read_schedule",
    "split_schedule",
    "collect_schedule",
    "schedule_status",
    "adopt_schedule",
    "rollover_schedule",
    "tally",
    "trend",
    "votes",
    "read_questionnaire",
    "codebook_template",
    "new_score_sheet",
    "compute_score",
    "merge_scores",
    "compare_scores",
    "load_rubric",
    "rubrics",
    "rubric_template",
    "fill_form",
    "read_cells",
    "patch_cells",
    "Formula",
    "render_report",
    "report_view",
    "notebook_setup",
    "write_templates",
    "run_demo",
    "Problem",
    "ProblemsFound",
    "SvcqError",
]

if TYPE_CHECKING:  # the same names, for type checkers and editors
    from toolkit.demo import run_demo
    from toolkit.forms.api import fill_form
    from toolkit.io.patch import Formula, patch_cells, read_cells
    from toolkit.problems import Problem, ProblemsFound, SvcqError
    from toolkit.reports.api import notebook_setup, render_report, report_view
    from toolkit.schedule.api import (
        adopt_schedule,
        collect_schedule,
        new_schedule,
        read_schedule,
        rollover_schedule,
        schedule_status,
        split_schedule,
    )
    from toolkit.score.api import (
        compare_scores,
        compute_score,
        load_rubric,
        merge_scores,
        new_score_sheet,
        rubric_template,
        rubrics,
    )
    from toolkit.survey.api import codebook_template, read_questionnaire, tally, trend, votes
    from toolkit.templates import write_templates


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
