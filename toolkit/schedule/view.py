"""Monthly progress report (所務會議): the ``schedule status`` JSON as tables and a Gantt.

Every function takes the dict of ``StatusReport.to_dict()`` (issue 4's contract) and returns
``Html``; ``load`` reads a control sheet through the toolkit API and returns that dict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from toolkit.problems import SvcqError
from toolkit.reports import charts
from toolkit.reports.html import Html, figure, heading, join, meta, note, percent, table
from toolkit.reports.lab import files
from toolkit.roc import parse_year_month
from toolkit.schedule.months import format_months
from toolkit.schedule.status import STATUS_LABELS, STATUSES
from toolkit.text import is_blank

Data = Mapping[str, Any]


def load(inputs: str | Path | Sequence[str | Path], as_of: Any = "") -> dict[str, Any]:
    """Status of the control sheet(s) ``inputs`` — one file, a list, or ``回收/*.xlsx`` — as of
    ``as_of`` (``107-06``, ``107年6月``; blank = this month, as ``svcq schedule status`` does)."""
    import toolkit as svcq

    paths = files(inputs)
    if not paths:
        raise SvcqError("請在 inputs 指定作業時程管制表（例：inputs = \"管制表.xlsx\"）", code="report-inputs")
    when = parse_year_month(as_of if not is_blank(as_of) else dt.date.today())
    return svcq.schedule_status(paths[0] if len(paths) == 1 else paths, when).to_dict()


def _as_of(data: Data) -> str:
    return str(parse_year_month(data["as_of"]))


def title(data: Data) -> str:
    year = f"{data['year']}年度" if data.get("year") else ""
    return f"{data.get('office') or ''}{year}重要工作計畫執行進度（截至{_as_of(data)}）"


def header(data: Data, office: str = "") -> Html:
    counts = data["summary"]["overall"]
    return join([
        heading(title({**data, "office": data.get("office") or office}), 1),
        meta([("機關", data.get("office") or office or "—"),
              ("年度", f"{data['year']}年" if data.get("year") else "—"),
              ("資料截至", _as_of(data)),
              ("工作項目", f"{counts['total']} 項")]),
    ])


def overview(data: Data) -> Html:
    c = data["summary"]["overall"]
    parts = [heading("總覽"),
             note("、".join(f"{STATUS_LABELS[s]} {c[s]} 項" for s in STATUSES)
                  + f"（共 {c['total']} 項）", "warning" if c["late"] else "ok")]
    if c.get("late_without_reason"):
        parts.append(note(f"有 {c['late_without_reason']} 項落後工作尚未填寫落後原因及因應對策，"
                          "請承辦課室補填。", "warning"))
    parts += [note(text, "warning") for text in data.get("notes", [])]
    return join(parts)


def _task_row(t: Mapping[str, Any]) -> list[str]:
    return [str(t["id"]), t["project"], t["unit"], t["task"],
            format_months(t["planned_months"]) or "—", format_months(t["actual_months"]) or "—",
            percent(t["completion"], 0)]


def late_table(data: Data) -> Html:
    """Late tasks first, as the meeting discusses them, with their 落後原因 (flagged if absent)."""
    late = [t for t in data["tasks"] if t["status"] == "late"]
    cols = ["編號", "計畫項目", "承辦單位", "工作內容", "預定月份", "已辦月份", "完成度",
            "落後原因及因應對策"]
    rows = [[*_task_row(t), t["reason"] or "（未填寫）"] for t in late]
    flags = ["flag" if not t["reason"] else "late" for t in late]
    body = table(cols, rows, caption=f"落後工作項目（{len(late)} 項，截至{_as_of(data)}）", nowrap=[0, 2, 4, 5],
                 numeric=[6], row_classes=flags)
    return join([heading("落後工作項目"), body])


def conflicts(data: Data) -> Html:
    """What the latest collect refused and the meeting still has to settle, with file and cell."""
    items = data.get("conflicts", [])
    if not items:
        return join([heading("尚未解決的衝突"), note("最近一次彙整沒有未套用的衝突。", "ok")])
    cols = ["類別", "回報檔案", "位置", "編號", "工作內容", "說明"]
    rows = [[c["title"], c["files"], c["cell"] or "—", c["id"] or "—", c["task"] or "—", c["message"]]
            for c in items]
    return join([heading("尚未解決的衝突"),
                 note(f"最近一次彙整（{items[0]['collected']}）有 {len(items)} 項回報未套用，"
                      "請承辦課室確認後重新交回。", "warning"),
                 table(cols, rows, caption=f"未套用的回報（{len(items)} 項）")])


def unit_table(data: Data) -> Html:
    by_unit = data["summary"]["by_unit"]
    cols = ["承辦單位", *(STATUS_LABELS[s] for s in STATUSES), "合計", "落後未填原因"]
    rows, classes = [], []
    for unit, c in by_unit.items():
        rows.append([unit, *(c[s] for s in STATUSES), c["total"], c["late_without_reason"]])
        classes.append("late" if c["late"] else None)
    o = data["summary"]["overall"]
    rows.append(["全所合計", *(o[s] for s in STATUSES), o["total"], o["late_without_reason"]])
    classes.append("total")
    shared = data.get("shared_units", {})
    parts = [heading("各課室進度"),
             table(cols, rows, caption=f"各課室工作項目狀態（截至{_as_of(data)}）",
                   numeric=range(1, len(cols)), row_classes=classes)]
    if shared:
        parts.append(note("共同辦理的工作計入每個承辦單位（所以各課室合計大於全所合計）："
                          + "；".join(f"「{k}」＝{'、'.join(v)}" for k, v in shared.items())))
    return join(parts)


def gantt_alt(unit: str, tasks: list[Mapping[str, Any]], as_of: str) -> str:
    n = {s: sum(t["status"] == s for t in tasks) for s in STATUSES}
    late = "、".join(f"{t['id']} {t['task']}" for t in tasks if t["status"] == "late")
    return (f"{unit}預定與實際作業月份甘特圖，共 {len(tasks)} 項工作，截至{as_of}："
            + "、".join(f"{STATUS_LABELS[s]} {n[s]} 項" for s in STATUSES)
            + (f"。落後項目：{late}" if late else "。"))


#: Tasks per Gantt chart: a chart of this many rows, its heading and caption fit one A4 page,
#: so a unit with more tasks gets several charts, each with its own month axis.
GANTT_ROWS_PER_PAGE = 24


def gantt(data: Data) -> Html:
    """One Gantt per 承辦單位 (a single chart of every task would not fit a page), in page-sized
    parts for a unit with many tasks."""
    as_of = parse_year_month(data["as_of"])
    due = as_of.month if data.get("year") in (None, as_of.year) else None
    parts = [heading("預定與實際進度")]
    units = list(data["summary"]["by_unit"])
    shared = data.get("shared_units", {})  # 各課 → the units it names
    for unit in units:
        tasks = [t for t in data["tasks"] if unit in shared.get(t["unit"], [t["unit"]])]
        chunks = [tasks[i:i + GANTT_ROWS_PER_PAGE] for i in range(0, len(tasks), GANTT_ROWS_PER_PAGE)]
        parts.append(heading(unit, 3))
        for n, chunk in enumerate(chunks, 1):
            part = f"（{n}/{len(chunks)}）" if len(chunks) > 1 else ""
            rows = [{"label": f"{t['id']} {t['task']}", "planned_months": t["planned_months"],
                     "actual_months": t["actual_months"], "late": t["status"] == "late"}
                    for t in chunk]
            fig = charts.gantt(rows, due, title=f"{unit}：預定 vs 實際{part}")
            parts.append(figure(fig, gantt_alt(unit + part, chunk, str(as_of)),
                                "淺色為預定月份、深色為實際辦理月份；紅字為落後項目，虛線為資料截至月份。"))
    return join(parts)


def all_tasks(data: Data) -> Html:
    cols = ["編號", "計畫項目", "承辦單位", "工作內容", "預定月份", "已辦月份", "完成度", "狀態"]
    rank = {s: i for i, s in enumerate(STATUSES)}
    tasks = sorted(data["tasks"], key=lambda t: rank[t["status"]])
    rows = [[*_task_row(t), STATUS_LABELS[t["status"]]] for t in tasks]
    return join([heading("全部工作項目"),
                 table(cols, rows, caption=f"全部工作項目（{len(rows)} 項，落後者在前）",
                       numeric=[6], nowrap=[0, 2, 4, 5, 7],
                       row_classes=["late" if t["status"] == "late" else None for t in tasks])])
