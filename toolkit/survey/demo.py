"""Demo step 滿意度調查: tally 113 with a cross-tab, the 111–113 trend, the rating-button
counts, the 最佳禮儀服務人員 votes, and the coded paper survey (its 代碼表) weighted to the
office's 人口統計."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import toolkit as svcq
from toolkit.demo import DemoContext, ReportJob

#: The office the survey samples come from (they follow 大寮's plan: surveys and their
#: 大數據分析), for the report headings.
OFFICE = "高雄市大寮戶政事務所"


def run(ctx: DemoContext) -> None:
    src = ctx.samples / "survey"
    out = ctx.out / "survey"
    q = svcq.read_questionnaire(src / "questionnaire.yaml")
    years = {y: src / (f"滿意度調查-{y}.csv" if y == 111 else f"滿意度調查-{y}.xlsx") for y in (111, 112, 113)}
    steps: list[tuple[str, str, str, Callable[[Path], Any]]] = [
        ("survey", "113年滿意度調查統計", "113年滿意度統計.xlsx",
         lambda dst: svcq.tally(years[113], q, by=["年齡", "性別"], output=dst)),
        ("survey_trend", "111–113年滿意度趨勢", "滿意度趨勢-111-113.xlsx",
         lambda dst: svcq.trend(years, q, output=dst)),
        ("survey_buttons", "113年評分按鈕統計", "113年評分按鈕統計.xlsx",
         lambda dst: svcq.tally(src / "評分按鈕月統計-113.xlsx", counts=True, min_standard=0.85, output=dst)),
        ("survey_votes", "113年最佳禮儀服務人員票選", "113年最佳禮儀服務人員票選結果.xlsx",
         lambda dst: svcq.votes(src / "最佳禮儀服務人員票選-113.xlsx", output=dst)),
        # paper forms keyed as codes, with their 代碼表 sheet (used automatically), weighted to
        # the office's own 人口統計 by 性別 and 年齡
        ("survey_paper", "113年紙本問卷統計（代碼表、依人口統計加權）", "113年紙本問卷統計-加權.xlsx",
         lambda dst: svcq.tally(src / "滿意度調查-113-紙本.xlsx", weights=src / "人口統計-113.xlsx",
                                weight_by=["性別", "年齡"], min_standard=0.85, by=["年齡"], output=dst)),
    ]
    for key, title, name, make in steps:
        ctx.results[key] = make(out / name).to_dict()
        ctx.wrote(title, out / name)


def report_jobs(ctx: DemoContext) -> list[ReportJob]:
    survey = ctx.samples / "survey"
    if not (survey / "滿意度調查-113.xlsx").is_file():
        return []
    years = [f"111={survey / '滿意度調查-111.csv'}", f"112={survey / '滿意度調查-112.xlsx'}",
             f"113={survey / '滿意度調查-113.xlsx'}"]
    jobs = [ReportJob("滿意度調查分析報告", "survey", [y for y in years if Path(y[4:]).is_file()],
                      {"questionnaire": str(survey / "questionnaire.yaml"),
                       "by": ["性別", "年齡"], "office": OFFICE})]
    paper = survey / "滿意度調查-113-紙本.xlsx"
    if paper.is_file():
        jobs.append(ReportJob("滿意度調查分析報告（紙本問卷，依人口統計加權）", "survey", [f"113={paper}"],
                              {"weights": str(survey / "人口統計-113.xlsx"), "weight_by": ["性別", "年齡"],
                               "by": ["性別"], "min_standard": 0.85, "office": OFFICE}))
    return jobs
