"""Demo step 滿意度調查: tally 113 with a cross-tab, the 111–113 trend, the rating-button
counts and the 最佳禮儀服務人員 votes."""

from __future__ import annotations

from pathlib import Path

from toolkit.demo import DemoContext, ReportJob
from toolkit.survey.sheets import (
    read_questionnaire,
    tally_file,
    trend_files,
    votes_file,
    write_tally,
    write_trend,
    write_votes,
)

#: The office the survey samples come from (they follow 大寮's plan: surveys and their
#: 大數據分析), for the report headings.
OFFICE = "高雄市大寮戶政事務所"


def run(ctx: DemoContext) -> None:
    src = ctx.samples / "survey"
    out = ctx.out / "survey"
    q = read_questionnaire(src / "questionnaire.yaml")
    tally = tally_file(src / "滿意度調查-113.xlsx", q, by=["年齡", "性別"])
    ctx.wrote("113年滿意度調查統計", write_tally(tally, out / "113年滿意度統計.xlsx", deterministic=True))
    ctx.results["survey"] = tally.to_dict()
    years = {y: src / (f"滿意度調查-{y}.csv" if y == 111 else f"滿意度調查-{y}.xlsx") for y in (111, 112, 113)}
    result = trend_files(years, q)
    ctx.wrote("111–113年滿意度趨勢", write_trend(result, out / "滿意度趨勢-111-113.xlsx", deterministic=True))
    ctx.results["survey_trend"] = result.to_dict()
    buttons = tally_file(src / "評分按鈕月統計-113.xlsx", counts=True, min_standard=0.85)
    ctx.wrote("113年評分按鈕統計", write_tally(buttons, out / "113年評分按鈕統計.xlsx", deterministic=True))
    ctx.results["survey_buttons"] = buttons.to_dict()
    votes = votes_file(src / "最佳禮儀服務人員票選-113.xlsx")
    ctx.wrote("113年最佳禮儀服務人員票選", write_votes(votes, out / "113年最佳禮儀服務人員票選結果.xlsx",
                                                deterministic=True))
    ctx.results["survey_votes"] = votes.to_dict()


def report_jobs(ctx: DemoContext) -> list[ReportJob]:
    survey = ctx.samples / "survey"
    if not (survey / "滿意度調查-113.xlsx").is_file():
        return []
    years = [f"111={survey / '滿意度調查-111.csv'}", f"112={survey / '滿意度調查-112.xlsx'}",
             f"113={survey / '滿意度調查-113.xlsx'}"]
    return [ReportJob("滿意度調查分析報告", "survey", [y for y in years if Path(y[4:]).is_file()],
                      {"questionnaire": str(survey / "questionnaire.yaml"),
                       "by": ["性別", "年齡"], "office": OFFICE})]
