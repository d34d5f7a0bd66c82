"""Demo step: the 107 control sheet of 中正 office, one month's round trip, status as of June."""

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
    svcq.new_schedule(src / "zhongzheng-107-plan.csv", year=YEAR, office=OFFICE, output=master)
    ctx.wrote("作業時程管制表（總表）", master)
    for copy in svcq.split_schedule(master, out / "分送").files:
        ctx.wrote(f"分送：{copy.stem}", copy)
    returned = sorted((src / "returned").glob("*.xlsx"))
    result = svcq.collect_schedule(master, returned, out / "管制表-107年6月彙整.xlsx")
    assert result.dst is not None
    for line in result.summary_lines():
        ctx.say(f"    {line}")
    for conflict in result.conflicts:
        ctx.say(f"    衝突：{conflict}")
    ctx.files["schedule_merged"] = ctx.wrote("彙整後管制表（含彙整紀錄）", result.dst)
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


def report_jobs(ctx: DemoContext) -> list[ReportJob]:
    merged = ctx.files.get("schedule_merged")
    if merged is None:
        return []
    return [ReportJob("工作計畫進度報告", "schedule", [str(merged)],
                      {"as_of": AS_OF.iso, "office": OFFICE})]
