"""Demo step: the 中正 office's own 107 control sheet (typed in Excel, planned months shaded)
adopted, one month's round trip, status as of June, and next year's sheet."""

from __future__ import annotations

import json

import toolkit as svcq
from toolkit.demo import DemoContext, ReportJob
from toolkit.io.atomic import atomic_output
from toolkit.roc import YearMonth

OFFICE, YEAR, AS_OF = "臺北市中正區戶政事務所", 107, YearMonth(107, 6)


def run(ctx: DemoContext) -> None:
    src = ctx.samples / "schedule"
    out = ctx.out / "schedule"
    master = out / "管制表.xlsx"
    adoption = svcq.adopt_schedule(src / "zhongzheng-107-office-sheet.xlsx", output=master)
    reading = out / "採用判讀.txt"
    with atomic_output(reading) as tmp:
        tmp.write_text("\n".join(adoption.lines()) + "\n", encoding="utf-8")
    plan = adoption.sheet.plan
    ctx.say(f"    事務所自己的管制表：{len(plan.items())} 項計畫、{len(plan.tasks)} 項工作，"
            f"共同辦理 {sum(t.shared for t in plan.tasks)} 項")
    ctx.wrote("事務所自己的管制表如何被判讀", reading)
    ctx.wrote("作業時程管制表（總表，由事務所自己的表採用）", master)
    for copy in svcq.split_schedule(master, out / "分送").files:
        ctx.wrote(f"分送：{copy.stem}", copy)
    returned = sorted((src / "returned").glob("*.xlsx"))
    result = svcq.collect_schedule(master, returned, out / "管制表-107年6月彙整.xlsx")
    assert result.dst is not None
    for line in result.summary_lines():
        ctx.say(f"    {line}")
    for conflict in result.conflicts:
        ctx.say(f"    衝突［{conflict.title}］：{conflict}")
    ctx.files["schedule_merged"] = ctx.wrote("彙整後管制表（含彙整紀錄、共同辦理進度）", result.dst)
    sheet_status = svcq.schedule_status(result.dst, AS_OF)
    report = sheet_status.to_dict()
    path = out / "進度狀態-107年6月.json"
    with atomic_output(path) as tmp:
        tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    ctx.wrote("進度狀態（JSON）", path)
    text = out / "進度狀態-107年6月.txt"
    with atomic_output(text) as tmp:
        tmp.write_text(sheet_status.to_text() + "\n", encoding="utf-8")
    ctx.wrote("進度狀態（文字，落後者在前）", text)
    ctx.results["schedule"] = report
    nxt = svcq.rollover_schedule(result.dst, year=YEAR + 1, output=out / f"管制表-{YEAR + 1}年.xlsx")
    ctx.say(f"    下年度：{len(nxt.sheet.tasks)} 項工作、進度清空，文字中的年度順延 {len(nxt.renamed)} 處")
    assert nxt.output is not None
    ctx.wrote(f"{YEAR + 1} 年度管制表（由 {YEAR} 年度順延）", nxt.output)


def report_jobs(ctx: DemoContext) -> list[ReportJob]:
    merged = ctx.files.get("schedule_merged")
    if merged is None:
        return []
    return [ReportJob("工作計畫進度報告", "schedule", [str(merged)],
                      {"as_of": AS_OF.iso, "office": OFFICE})]
