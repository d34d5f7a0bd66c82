"""Demo step HTML 報告: each report notebook rendered on the demo's own results, then
``out/index.html`` linking every file the demo wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.demo import DemoContext
from toolkit.reports import render
from toolkit.reports.index import write_index

#: The office each sample set comes from (the survey samples follow 大寮's plan: surveys and
#: their 大數據分析), for the report headings.
SURVEY_OFFICE = "高雄市大寮戶政事務所"


def _jobs(ctx: DemoContext) -> list[tuple[str, str, list[str], dict[str, Any]]]:
    """(title, kind, inputs, params) of each report the samples allow."""
    jobs = []
    sched = ctx.files.get("schedule_merged")
    status = ctx.results.get("schedule")
    if sched is not None:
        as_of = status.get("as_of") if isinstance(status, dict) else None
        jobs.append(("工作計畫進度報告", "schedule", [str(sched)],
                     {"as_of": as_of or "107-06", "office": _office("schedule")}))
    survey = ctx.samples / "survey"
    if (survey / "滿意度調查-113.xlsx").is_file():
        years = [f"111={survey / '滿意度調查-111.csv'}", f"112={survey / '滿意度調查-112.xlsx'}",
                 f"113={survey / '滿意度調查-113.xlsx'}"]
        jobs.append(("滿意度調查分析報告", "survey", [y for y in years if Path(y[4:]).is_file()],
                     {"questionnaire": str(survey / "questionnaire.yaml"),
                      "by": ["性別", "年齡"], "office": SURVEY_OFFICE}))
    last_year = ctx.samples / "score" / "自評表-112.xlsx"
    this_year = ctx.files.get("score_merged")
    if this_year is not None:
        inputs = [f"112={last_year}"] if last_year.is_file() else []
        jobs.append(("自評評分報告", "score", [*inputs, f"113={this_year}"],
                     {"office": _office("score")}))
    phone = ctx.samples / "score" / "電話禮貌測試-113.xlsx"
    if phone.is_file():
        jobs.append(("電話禮貌測試報告", "phone", [str(phone)],
                     {"office": _office("score"), "year": 113}))
    return jobs


def _office(step: str) -> str:
    """The office an earlier demo step used (its OFFICE constant), for the report heading."""
    import importlib

    return str(getattr(importlib.import_module(f"toolkit.demo_steps.{step}"), "OFFICE", ""))


def run(ctx: DemoContext) -> None:
    out = ctx.out / "reports"
    for title, kind, inputs, params in _jobs(ctx):
        ctx.say(f"    執行 {title}…")
        ctx.wrote(f"HTML 報告：{title}", render(kind, inputs, params, out / f"{title}.html"))
    ctx.wrote("成果總覽：index.html", write_index(ctx.out, ctx.artifacts))
