"""電話禮貌測試 report: the ``score compute --json`` dict of a sheet with one column per call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from toolkit.problems import ProblemsFound, SvcqError
from toolkit.reports import charts
from toolkit.reports.html import Html, figure, heading, join, meta, note, number, percent, table
from toolkit.reports.lab import files
from toolkit.score.view import gaps

Data = Mapping[str, Any]


def load(inputs: str | Path | Sequence[str | Path], *, rubric: str | None = None,
         blank_as_zero: bool = False) -> dict[str, Any]:
    """Score every call on the sheet (CallsResult.to_dict(), as ``svcq score compute``);
    ``inputs`` is the file, or a list holding it."""
    import toolkit as svcq
    from toolkit.score.scoring import CallsResult

    paths = files(inputs)
    if len(paths) != 1:
        raise SvcqError("電話禮貌測試報告需要一個評分表（inputs = \"電話禮貌測試.xlsx\"）", code="report-inputs")
    path = paths[0]
    result = svcq.compute_score(path, rubric or None, blank_as_zero=blank_as_zero)
    if not isinstance(result, CallsResult):
        raise SvcqError("此檔只有一欄分數，不是逐通評分的電話禮貌測試表；自評表請用 score 報告",
                        file=path, code="report-input")
    if result.problems:
        raise ProblemsFound(result.problems)
    return result.to_dict()


def header(data: Data, *, office: str = "", year: Any = "") -> Html:
    head = f"{office}{f'{year}年度' if year else ''}電話禮貌測試報告"
    items = [("機關", office or "—"), ("年度", f"{year}年" if year else "—"),
             ("測試通數", f"{len(data['calls'])} 通"),
             ("平均分數", f"{number(data['average'])} / {number(data['max'])}")]
    if data.get("band"):
        items.append(("平均等第", str(data["band"])))
    return join([heading(head, 1), meta(items)])


def calls(data: Data) -> Html:
    """Each call: total, band and score per 構面, worst band flagged in words and colour."""
    dims = [d["name"] for d in data["calls"][0]["dimensions"]] if data["calls"] else []
    cols = ["受測電話", *dims, "總分", "等第"]
    rows, classes = [], []
    for c in data["calls"]:
        scores = {d["name"]: d["score"] for d in c["dimensions"]}
        rows.append([c["label"], *(number(scores.get(n)) for n in dims), number(c["total"]),
                     c.get("band") or "—"])
        classes.append("flag" if c.get("band") in ("待改善", "普通") else None)
    fig = charts.score_bars([c["label"] for c in data["calls"]],
                            [c["total"] for c in data["calls"]],
                            [data["max"]] * len(data["calls"]), title="各通電話總分")
    alt = (f"各通電話總分長條圖（滿分 {number(data['max'])}），平均 {number(data['average'])}："
           + "、".join(f"{c['label']} {number(c['total'])}（{c.get('band') or '—'}）"
                       for c in data["calls"]) + "。")
    return join([heading("各通電話得分"),
                 table(cols, rows, caption=f"各通電話得分（{len(rows)} 通）",
                       numeric=range(1, len(cols) - 1), row_classes=classes),
                 figure(fig, alt, "灰色為滿分，藍色為該通電話得分。")])


def dimensions(data: Data) -> Html:
    cols = ["構面", "配分", "平均得分", "得分率"]
    rows = [[d["name"], number(d["max"]), number(d["score"]), percent(d["share"])]
            for d in data["dimensions"]]
    low = [d["name"] for d in data["dimensions"] if d["share"] < 0.8]
    parts = [heading("各構面平均"),
             table(cols, rows, caption="各構面平均得分（各通平均）", numeric=[1, 2, 3])]
    if low:
        parts.append(note(f"得分率未達 80% 的構面：{'、'.join(low)}，建議加強訓練。", "warning"))
    return join(parts)


def weakest(data: Data) -> Html:
    return gaps({"gaps": data["gaps"], "leaves": []}, score_label="平均得分")
