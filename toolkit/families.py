"""The sheet families svcq knows — the one registry everything else is derived from.

A family is one package ``toolkit/<name>/``: its pure domain modules (plain data in and out,
no files) and five modules with fixed names —

* ``sheets.py``  the workbooks it writes and reads (layout, styles, ``write_template``);
* ``api.py``     the verbs the front door (``toolkit/__init__.py``) exports: path in, result
                 object out (``.to_dict()``, ``.to_pandas()``), files written only when asked;
* ``cli.py``     its click group ``command``, calling only the front door;
* ``demo.py``    its demo step ``run(ctx)`` and ``report_jobs(ctx)``;
* ``view.py``    (if it has reports) the functions its notebooks call to lay results out.

``svcq`` (command groups), ``svcq template``, ``svcq report``, ``svcq demo`` and the docs all
take their lists from ``FAMILIES``; adding a family is its package plus one entry here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Report:
    """A notebook report: ``svcq report <kind>``."""

    kind: str
    notebook: str  # file name in the notebooks folder
    title: str
    inputs: tuple[int, int | None]  # how many input files (min, max); max None = any number
    usage: str  # what the inputs are, for messages
    view: str = "view"  # the family module its notebook lays results out with


@dataclass(frozen=True)
class Family:
    name: str  # package under toolkit/, CLI group, demo output folder
    title: str  # what users call it
    summary: str  # one line for `svcq --help`
    template: str | None = None  # file name of its blank standard sheet
    reports: tuple[Report, ...] = ()

    def module(self, part: str) -> ModuleType:
        """``family.module("sheets")`` → toolkit.<name>.sheets (imported on first use)."""
        return importlib.import_module(f"toolkit.{self.name}.{part}")


FAMILIES: tuple[Family, ...] = (
    Family("schedule", "作業時程管制表", "作業時程管制表：建立或採用、分送各課室、彙整回收、進度狀態、下年度",
           "作業時程管制表-範本.xlsx", (
        Report("schedule", "schedule_status.ipynb", "工作計畫進度報告", (1, 1),
               "一個已彙整的作業時程管制表"),
    )),
    Family("survey", "滿意度調查", "滿意度調查：統計、交叉分析、年度趨勢、票選",
           "滿意度調查-範本.xlsx", (
        Report("survey", "survey_report.ipynb", "滿意度調查分析報告", (1, None),
               "一或多個年度的調查回覆（可寫成 113=回覆.xlsx；多個年度時最後一個為本年度）"),
    )),
    Family("score", "自評評分", "自評評分：評分表、計分、差距分析、比較",
           "自評表-範本.xlsx", (
        Report("score", "self_score.ipynb", "自評評分報告", (1, 2),
               "本年度自評表，可再加上年度自評表以比較（可寫成 113=自評.xlsx）"),
        Report("phone", "phone_test.ipynb", "電話禮貌測試報告", (1, 1),
               "一個電話禮貌測試評分表（每通電話一欄）", view="phone_view"),
    )),
)

#: Report kind → its report, across families.
REPORTS: dict[str, Report] = {r.kind: r for f in FAMILIES for r in f.reports}
#: Report kind → the family it belongs to.
REPORT_FAMILY: dict[str, Family] = {r.kind: f for f in FAMILIES for r in f.reports}


def family(name: str) -> Family:
    return next(f for f in FAMILIES if f.name == name)
