"""Demo step 滿意度調查: tally 113 with a cross-tab, the 111–113 trend, the rating-button
counts and the 最佳禮儀服務人員 votes."""

from __future__ import annotations

from toolkit.demo import DemoContext
from toolkit.io.survey_xlsx import (
    read_questionnaire,
    tally_file,
    trend_files,
    votes_file,
    write_tally,
    write_trend,
    write_votes,
)


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
