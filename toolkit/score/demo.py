"""Demo step 自評評分: a blank 113 self-score, two 課室 fill their parts, merge, compute with
gap analysis, compare with 112; a county's own rubric table → a self-score sheet that carries
it; and the 113 phone-courtesy tests."""

from __future__ import annotations

import toolkit as svcq
from toolkit.demo import DemoContext, ReportJob
from toolkit.problems import ProblemsFound
from toolkit.score.scoring import ScoreResult

OFFICE, YEAR, LAST = "澎湖縣西嶼鄉戶政事務所", "113", "112"


def run(ctx: DemoContext) -> None:
    src = ctx.samples / "score"
    out = ctx.out / "score"
    blank = svcq.new_score_sheet(out / f"自評表-{YEAR}-空白.xlsx", "penghu-107", office=OFFICE, year=YEAR).path
    ctx.wrote(f"自評表（{YEAR} 空白，分送各課室）", blank)
    parts = sorted((src / "各課室").glob("*.xlsx"))
    merged = out / f"自評表-{YEAR}-彙整.xlsx"
    svcq.merge_scores(blank, parts, merged)
    ctx.files["score_merged"] = ctx.wrote(f"自評表（{YEAR}，合併 {len(parts)} 個課室填寫）", merged)

    scored = out / f"自評計分結果-{YEAR}.xlsx"
    result = svcq.compute_score(merged, output=scored)
    if result.problems:  # the samples are complete: a problem here is a bug, not a user's slip
        raise ProblemsFound(result.problems)
    assert isinstance(result, ScoreResult), "the sample self-score has one 自評分數 column"
    ctx.results["score"] = result.to_dict()
    ctx.wrote(f"自評計分結果（{YEAR}，含差距分析與構面圖）", scored)

    compared = out / f"自評比較-{LAST}-{YEAR}.xlsx"
    comparison = svcq.compare_scores(src / f"自評表-{LAST}.xlsx", merged, (LAST, YEAR), output=compared)
    ctx.results["score_compare"] = comparison.to_dict()
    ctx.wrote(f"自評比較（{LAST} 與 {YEAR}）", compared)

    # a county's own rubric, typed in Excel: the sheet made from it carries it, so the filled
    # sheet computes without the table
    table = src / "評分標準-114.xlsx"
    county_blank = svcq.new_score_sheet(out / "自評表-114-空白（縣市評分標準）.xlsx", table,
                                        office="○○縣○○鄉戶政事務所", year="114").path
    ctx.wrote("自評表（114 空白，依縣市自己的評分標準表）", county_blank)
    county_scored = out / "自評計分結果-114（縣市評分標準）.xlsx"
    county = svcq.compute_score(src / "自評表-114-縣市評分標準.xlsx", output=county_scored)
    ctx.results["score_county"] = county.to_dict()
    ctx.wrote("自評計分結果（114，縣市評分標準，含等第）", county_scored)

    phone_scored = out / f"電話禮貌測試-{YEAR}-計分.xlsx"
    phone = svcq.compute_score(src / f"電話禮貌測試-{YEAR}.xlsx", output=phone_scored)
    ctx.results["score_phone"] = phone.to_dict()
    ctx.wrote(f"電話禮貌測試計分（{YEAR}）", phone_scored)
    ctx.say(f"    {YEAR} 自評總分 {result.total:g} / {result.max:g}；"
            f"較 {LAST} 年 {comparison.total.diff:+g} 分")


def report_jobs(ctx: DemoContext) -> list[ReportJob]:
    jobs = []
    last_year = ctx.samples / "score" / f"自評表-{LAST}.xlsx"
    this_year = ctx.files.get("score_merged")
    if this_year is not None:
        inputs = [f"{LAST}={last_year}"] if last_year.is_file() else []
        jobs.append(ReportJob("自評評分報告", "score", [*inputs, f"{YEAR}={this_year}"],
                              {"office": OFFICE}))
    phone = ctx.samples / "score" / f"電話禮貌測試-{YEAR}.xlsx"
    if phone.is_file():
        jobs.append(ReportJob("電話禮貌測試報告", "phone", [str(phone)],
                              {"office": OFFICE, "year": int(YEAR)}))
    return jobs
