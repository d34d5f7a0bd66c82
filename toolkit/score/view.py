"""Award self-score report: the ``score compute`` JSON (issue 6) as tables and bar charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from toolkit.inputs import split_label, year_of
from toolkit.problems import Problem, ProblemsFound, SvcqError
from toolkit.reports import charts
from toolkit.reports.html import Html, figure, heading, join, meta, note, number, percent, table
from toolkit.reports.lab import files

Data = Mapping[str, Any]


def load(inputs: str | Sequence[str], *, rubric: str | None = None,
         blank_as_zero: bool = True) -> dict[str, Any]:
    """Score this year's sheet (the last input) and compare it with the first, if two.

    Returns ``{"result", "comparison", "year", "office"}``: the dicts of ``svcq score
    compute --json`` and ``svcq score compare --json``. A sheet with problems (over the cap,
    text, negative…) stops the report: its totals would be wrong.
    """
    import toolkit as svcq

    inputs = files(inputs)  # one file, a list, or 回收/*.xlsx
    if not inputs:
        raise SvcqError("請在 inputs 指定輸入檔", code="report-inputs")
    from toolkit.score.scoring import ScoreResult

    label, path = split_label(inputs[-1])
    result = svcq.compute_score(path, rubric or None, blank_as_zero=blank_as_zero, label=label)
    if not isinstance(result, ScoreResult):
        raise SvcqError("此檔是多通電話的評分表，不是自評表；自評報告需要一欄「自評分數」",
                        file=path, code="report-input")
    if result.problems:
        raise ProblemsFound(result.problems)
    comparison = None
    if len(inputs) > 1:
        first_label, first = split_label(inputs[0])
        labels = (first_label, label) if first_label and label else None
        comparison = svcq.compare_scores(first, path, labels, rubric=rubric or None,
                                         blank_as_zero=blank_as_zero).to_dict()
    year = year_of(label, path) or year_of(None, Path(str(result.label)))
    return {"result": result.to_dict(), "comparison": comparison, "year": year, "office": ""}


def _leaf_name(leaf: Mapping[str, Any]) -> str:
    path = leaf["path"]
    return " › ".join(path) if isinstance(path, list | tuple) else str(path)


def header(result: Data, *, office: str = "", year: Any = "") -> Html:
    head = f"{office}{f'{year}年度' if year else ''}服務品質自評報告"
    items = [("機關", office or "—"), ("年度", f"{year}年" if year else "—"),
             ("評分表", str(result.get("rubric") or "—")),
             ("自評總分", f"{number(result['total'])} / {number(result['max'])}")]
    if result.get("band"):
        items.append(("等第", str(result["band"])))
    return join([heading(head, 1), meta(items)])


def problems(result: Data) -> Html:
    """Problems (only with blank_as_zero off) and leaves left blank, counted as 0."""
    parts = []
    items = result.get("problems") or []
    if items:
        text = "；".join(str(Problem(**p)) if isinstance(p, Mapping) else str(p)
                        for p in items[:10])
        parts.append(note(f"自評表有 {len(items)} 項問題：{text}", "warning"))
    blank = result.get("unscored") or []
    if blank:
        names = "、".join(" › ".join(p) if isinstance(p, list | tuple) else str(p)
                         for p in blank[:15])
        more = f"等 {len(blank)} 項" if len(blank) > 15 else f"共 {len(blank)} 項"
        parts.append(note(f"尚未填寫自評分數的指標（以 0 分計）：{names}{more}。", "warning"))
    return join(parts)


def dimensions_alt(result: Data) -> str:
    parts = [f"{d['name']} {number(d['score'])}/{number(d['max'])}" for d in result["dimensions"]]
    return (f"各構面得分長條圖，總分 {number(result['total'])}/{number(result['max'])}："
            + "、".join(parts) + "。")


def dimensions(result: Data) -> Html:
    dims = result["dimensions"]
    cols = ["構面", "配分", "自評分數", "得分率", "失分"]
    rows = [[d["name"], number(d["max"]), number(d["score"]),
             percent(d["score"] / d["max"] if d["max"] else None), number(d["max"] - d["score"])]
            for d in dims]
    total, top = result["total"], result["max"]
    rows.append(["總分", number(top), number(total), percent(total / top if top else None),
                 number(top - total)])
    fig = charts.score_bars([d["name"] for d in dims], [d["score"] for d in dims],
                            [d["max"] for d in dims], title="各構面得分與配分")
    return join([heading("各構面得分"),
                 table(cols, rows, caption="各構面自評分數與配分", numeric=[1, 2, 3, 4],
                       row_classes=[None] * len(dims) + ["total"]),
                 figure(fig, dimensions_alt(result), "灰色為配分，藍色為自評分數。")])


def gaps(result: Data, top: int = 10, *, score_label: str = "自評分數") -> Html:
    """Leaves ranked by points lost: where effort pays most before the 評審."""
    leaves = result.get("gaps")  # ranked by toolkit.score (ties in rubric order)
    if leaves is None:
        leaves = sorted((leaf for leaf in result["leaves"] if leaf["lost"] > 0),
                        key=lambda leaf: -leaf["lost"])
    cols = ["排序", "指標", "配分", score_label, "失分"]
    rows = [[str(i), _leaf_name(leaf), number(leaf["max"]), number(leaf["score"]),
             number(leaf["lost"])] for i, leaf in enumerate(leaves[:top], 1)]
    parts = [heading("失分最多的指標")]
    if not leaves:
        return join([*parts, note("各指標均得滿分。", "ok")])
    parts.append(table(cols, rows, caption=f"依失分排序的前 {len(rows)} 項指標"
                                           f"（共 {len(leaves)} 項有失分）",
                       numeric=[2, 3, 4], row_header=False))
    return join(parts)


def comparison(cmp: Data | None) -> Html:
    """Per 構面, total and changed 指標 from ``svcq score compare``'s dict (scores = [a, b])."""
    if not cmp:
        return Html("")
    a, b = (f"{x}年" if str(x).isdigit() else str(x) for x in cmp["labels"])
    dims = cmp["dimensions"]
    cols = ["構面", "配分", a, b, "增減"]
    rows = [[d["name"], number(d["max"]), number(d["scores"][0]), number(d["scores"][1]),
             _diff(d["diff"])] for d in dims]
    t = cmp["total"]
    rows.append(["總分", number(cmp["max"]), number(t["scores"][0]), number(t["scores"][1]),
                 _diff(t["diff"])])
    fig = charts.score_bars([d["name"] for d in dims], [d["scores"][1] for d in dims],
                            [d["max"] for d in dims], previous=[d["scores"][0] for d in dims],
                            labels=(a, b), title=f"{a}與{b}各構面得分比較")
    alt = (f"{a}與{b}各構面得分比較長條圖，總分 {number(t['scores'][0])} → "
           f"{number(t['scores'][1])}（{_diff(t['diff'])}）："
           + "、".join(f"{d['name']} {number(d['scores'][0])} → {number(d['scores'][1])}"
                      for d in dims) + "。")
    changed = sorted((leaf for leaf in cmp["leaves"] if abs(leaf["diff"]) > 1e-9),
                     key=lambda leaf: leaf["diff"])
    leaf_rows = [[_leaf_name(leaf), number(leaf["max"]), number(leaf["scores"][0]),
                  number(leaf["scores"][1]), _diff(leaf["diff"])] for leaf in changed]
    return join([heading(f"與{a}比較"),
                 table(cols, rows, caption=f"各構面得分：{a} 與 {b}", numeric=[1, 2, 3, 4],
                       row_classes=[None] * len(dims) + ["total"]),
                 figure(fig, alt, f"淺藍為{a}、深藍為{b}，灰色為配分。"),
                 table(["指標", "配分", a, b, "增減"], leaf_rows, numeric=[1, 2, 3, 4],
                       caption=f"分數有變動的指標（{len(leaf_rows)} 項，退步最多者在前）",
                       row_classes=["flag" if r["diff"] < 0 else None for r in changed])])


def _diff(value: float | None) -> str:
    if value is None:
        return "—"
    return "0" if abs(value) < 1e-9 else f"{'+' if value > 0 else '−'}{number(abs(value))}"


def leaves_table(result: Data) -> Html:
    cols = ["指標", "配分", "自評分數", "失分"]
    rows = [[_leaf_name(leaf), number(leaf["max"]), number(leaf["score"]),
             number(leaf["lost"])] for leaf in result["leaves"]]
    return join([heading("各指標明細"),
                 table(cols, rows, caption=f"各指標自評分數（{len(rows)} 項）", numeric=[1, 2, 3])])
