"""Demo step 自評評分: a blank 113 self-score, two 課室 fill their parts, merge, compute with
gap analysis, compare with 112; and the 113 phone-courtesy tests."""

from __future__ import annotations

from toolkit.demo import DemoContext, ReportJob
from toolkit.problems import ProblemsFound
from toolkit.score.sheets import (
    compare_files,
    compute_file,
    merge_files,
    write_comparison,
    write_scored,
    write_sheet,
)

OFFICE, YEAR, LAST = "澎湖縣西嶼鄉戶政事務所", "113", "112"


def run(ctx: DemoContext) -> None:
    src = ctx.samples / "score"
    out = ctx.out / "score"
    blank = write_sheet(out / f"自評表-{YEAR}-空白.xlsx", "penghu-107", office=OFFICE, year=YEAR)
    ctx.wrote(f"自評表（{YEAR} 空白，分送各課室）", blank)
    parts = sorted((src / "各課室").glob("*.xlsx"))
    merged = out / f"自評表-{YEAR}-彙整.xlsx"
    merge_files(blank, parts, merged)
    ctx.files["score_merged"] = ctx.wrote(f"自評表（{YEAR}，合併 {len(parts)} 個課室填寫）", merged)

    result = compute_file(merged)
    if result.problems:  # the samples are complete: a problem here is a bug, not a user's slip
        raise ProblemsFound(result.problems)
    ctx.results["score"] = result.to_dict()
    ctx.wrote(f"自評計分結果（{YEAR}，含差距分析與構面圖）",
              write_scored(out / f"自評計分結果-{YEAR}.xlsx", result))

    comparison = compare_files(src / f"自評表-{LAST}.xlsx", merged, (LAST, YEAR))
    ctx.results["score_compare"] = comparison.to_dict()
    ctx.wrote(f"自評比較（{LAST} 與 {YEAR}）",
              write_comparison(out / f"自評比較-{LAST}-{YEAR}.xlsx", comparison))

    phone = compute_file(src / f"電話禮貌測試-{YEAR}.xlsx")
    ctx.results["score_phone"] = phone.to_dict()
    ctx.wrote(f"電話禮貌測試計分（{YEAR}）", write_scored(out / f"電話禮貌測試-{YEAR}-計分.xlsx", phone))
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
