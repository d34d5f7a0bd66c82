"""Survey analysis report: the ``survey tally`` / ``survey trend`` JSON as tables and charts.

Functions take the dicts of issue 5's contract (``Tally.to_dict()``, the trend dict) and
return ``Html``; the statistics themselves come from ``toolkit.survey``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from toolkit.inputs import split_label, year_of, years_of
from toolkit.problems import SvcqError
from toolkit.reports import charts
from toolkit.reports.html import (
    Html,
    bullet_list,
    figure,
    heading,
    join,
    meta,
    note,
    number,
    paragraph,
    percent,
    table,
)
from toolkit.reports.lab import files
from toolkit.text import parse_percent

Data = Mapping[str, Any]


def load(inputs: str | Sequence[str], *, questionnaire: str | None = None,
         min_standard: float | str | None = None, by: Sequence[str] | str = (),
         exclude_no_opinion: bool | None = None, population: int | None = None,
         counts: bool = False, weights: str | None = None,
         weight_by: Sequence[str] | str = ()) -> dict[str, Any]:
    """Tally this year's file (the last input) and, with several inputs, the trend.
    ``weights``: a 人口統計 table this year's respondents are raked to (on ``weight_by``).

    Returns ``{"tally", "trend", "comments", "year", "office", "source"}`` where ``tally``
    and ``trend`` are the dicts ``svcq survey tally/trend --json`` print.
    """
    import toolkit as svcq

    inputs = files(inputs)  # one file, a list, or 回收/*.xlsx
    if not inputs:
        raise SvcqError("請在 inputs 指定輸入檔", code="report-inputs")

    if isinstance(min_standard, str):  # "85%" as typed on the command line
        min_standard = parse_percent(min_standard)
    by, weight_by = _names(by), _names(weight_by)
    options: dict[str, Any] = {"min_standard": min_standard, "population": population,
                               "exclude_no_opinion": exclude_no_opinion, "counts": counts}
    q = svcq.read_questionnaire(questionnaire) if questionnaire else None
    label, path = split_label(inputs[-1])
    tally = svcq.tally(path, q, by=list(by), weights=weights or None, weight_by=weight_by, **options)
    trend = None
    if len(inputs) > 1:
        # each file tallied once (this year's tally is reused); problems of all files together
        years = years_of(inputs)
        this_year = {year: tally for year, file in years.items() if file == path}
        trend = svcq.trend(years, q, known=this_year, **options).to_dict()
    return {"tally": tally.to_dict(), "trend": trend,
            "comments": [{"column": c.column, "cell": c.cell, "row": c.row, "text": c.text}
                         for c in tally.comments],
            "year": year_of(label, path), "office": "", "source": path.name}


def _names(value: Sequence[str] | str) -> list[str]:
    """--param by=性別 or by="性別、年齡": one column or a list written in text."""
    if isinstance(value, str):
        return [b for b in re.split(r"[,，、\s]+", value) if b]
    return list(value)


def _labels(q: Mapping[str, Any]) -> list[str]:
    return list(q["counts"])[:5]  # best first; the sixth key is 無意見


def _no_opinion_key(q: Mapping[str, Any]) -> str | None:
    keys = list(q["counts"])
    return keys[5] if len(keys) > 5 else None


def _base(q: Mapping[str, Any], tally: Data) -> int:
    """The denominator the satisfaction rate uses (無意見 kept unless excluded, for the survey
    or for this question alone)."""
    no = _no_opinion_key(q)
    exclude = q.get("exclude_no_opinion", tally.get("exclude_no_opinion"))
    return int(q["n_answered"]) - (int(q["counts"][no]) if no and exclude else 0)


def header(tally: Data, *, office: str = "", year: Any = "", source: str = "") -> Html:
    head = f"{office}{f'{year}年度' if year else ''}滿意度調查分析報告"
    moe = tally.get("margin_of_error_95")
    items = [("機關", office or "—"), ("調查年度", f"{year}年" if year else "—"),
             ("有效問卷", f"{tally['n_respondents']} 份"),
             ("抽樣誤差（95% 信心水準）", f"±{percent(moe)}" if moe is not None else "—")]
    weighting = tally.get("weighting")
    if weighting:
        wmoe = weighting.get("margin_of_error_95")
        items += [("加權變項", "、".join(weighting["variables"])),
                  ("有效樣本數（Kish）", f"{weighting['n_effective']:.1f}"),
                  ("加權抽樣誤差", f"±{percent(wmoe)}" if wmoe is not None else "—"),
                  ("權數範圍", f"{weighting['weight_min']:.2f}–{weighting['weight_max']:.2f}")]
    if source:
        items.append(("資料來源", source))
    return join([heading(head, 1), meta(items)])


def summary_table(tally: Data) -> Html:
    """Per question: n, rates with the Wilson interval, mean, weighted rate and mean when the
    respondents were weighted, 最低標準 (a column, not colour alone, says which questions fall
    short) and, beside the verdict, what the reader must know of the item's base."""
    qs = tally["questions"]
    standards = any(q.get("min_standard") is not None for q in qs)
    weighted = any(q.get("weighted") for q in qs)
    notes = {q["question"]: _notes(q, tally) for q in qs}
    cols = ["題目", "有效回答", "滿意度", "95% 信賴區間", "不滿意度", "平均（1–5）",
            *(["加權滿意度", "加權平均"] if weighted else []),
            *(["說明"] if any(notes.values()) else []), *(["最低標準"] if standards else [])]
    rows, classes = [], []
    for q in qs:
        ci = q.get("ci95")
        w = q.get("weighted") or {}
        rows.append([q["question"], q["n_answered"], percent(q["satisfaction_rate"]),
                     f"{percent(ci[0])}–{percent(ci[1])}" if ci else "—",
                     percent(q["dissatisfaction_rate"]), number(q["mean"]),
                     *([percent(w.get("satisfaction_rate")), number(w.get("mean"))] if weighted else []),
                     *(["；".join(notes[q["question"]])] if any(notes.values()) else []),
                     *([_standard(q)] if standards else [])])
        classes.append("flag" if q.get("below_standard") else None)
    base = "不含「無意見」" if tally.get("exclude_no_opinion") else "含「無意見」"
    caption = (f"各題滿意度摘要（受訪 {tally['n_respondents']} 人；滿意度 = 非常滿意＋滿意，"
               f"分母{base}{'；加權值依人口統計調整' if weighted else ''}）")
    numeric = [i for i, c in enumerate(cols) if i > 0 and c != "說明"]
    parts = [heading("各題滿意度摘要"),
             table(cols, rows, caption=caption, numeric=numeric, row_classes=classes)]
    if weighted:
        parts.append(_weighting_note(tally))
    return join(parts)


def _notes(q: Mapping[str, Any], tally: Data) -> list[str]:
    """The item's own base, 不適用, and a 無意見 share above 30 % kept in the base."""
    out = []
    if q.get("exclude_no_opinion") and not tally.get("exclude_no_opinion"):
        out.append("分母不含無意見（僅計曾使用者）")
    if q.get("not_applicable"):
        out.append(f"不適用 {q['not_applicable']} 人不計入")
    if q.get("no_opinion_note"):
        out.append(str(q["no_opinion_note"]))
    return out


def _weighting_note(tally: Data) -> Html:
    w = tally.get("weighting") or {}
    moe = w.get("margin_of_error_95")
    return note(f"加權：依人口統計的{'、'.join(w.get('variables', []))}反覆比例調整（raking），使加權後各類別比例"
                f"等於母體；有效樣本數 {w.get('n_effective', 0):.1f}（設計效果 {w.get('design_effect', 1):.2f}），"
                f"加權抽樣誤差 ±{percent(moe) if moe is not None else '—'}，權數 {w.get('weight_min', 0):.2f}–"
                f"{w.get('weight_max', 0):.2f}。交叉分析與趨勢為未加權。", "info")


def counts_table(tally: Data) -> Html:
    """Answers per label (the figures behind the chart), 未填答 apart."""
    qs = tally["questions"]
    if not qs:
        return Html("")
    keys = list(qs[0]["counts"])
    cols = ["題目", *keys, "未填答"]
    rows = [[q["question"], *(q["counts"].get(k, 0) for k in keys), q["missing"]] for q in qs]
    return table(cols, rows, caption="各題填答次數", numeric=range(1, len(cols)))


def _standard(q: Mapping[str, Any]) -> str:
    if q.get("min_standard") is None:
        return "—"
    return f"{percent(q['min_standard'], 0)}（{'未達' if q.get('below_standard') else '達成'}）"


def likert_alt(tally: Data) -> str:
    parts = [f"{q['question']} {percent(q['satisfaction_rate'])}" for q in tally["questions"]]
    return ("各題滿意程度分布（發散式長條圖，中間為普通），滿意度（非常滿意＋滿意）："
            + "、".join(parts) + "。")


def likert_chart(tally: Data) -> Html:
    qs = tally["questions"]
    if not qs:
        return paragraph("沒有可繪製的題目。")
    shares = []
    for q in qs:
        base = _base(q, tally) or 1
        shares.append([q["counts"][k] / base for k in reversed(_labels(q))])
    fig = charts.likert([q["question"] for q in qs], shares, list(reversed(_labels(qs[0]))),
                        title="各題滿意程度分布")
    return join([heading("滿意程度分布"),
                 figure(fig, likert_alt(tally),
                        "右側為滿意、左側為不滿意，灰色置中為「普通」；百分比以有效回答為分母。"),
                 counts_table(tally)])


def standard_flags(tally: Data) -> Html:
    """最低標準 (overall or per question): the questions below it, or that all meet it."""
    parts = [heading("最低標準檢核")]
    checked = [q for q in tally["questions"] if q.get("min_standard") is not None]
    if not checked:
        return join([*parts, paragraph("本次未設定最低標準（可用參數 min_standard=0.85 設定）。")])
    low = [q for q in checked if q.get("below_standard")]
    if not low:
        return join([*parts, note(f"已設定最低標準的 {len(checked)} 題，滿意度均達標準。", "ok")])
    return join([*parts,
                 note(f"{len(low)} 題未達最低標準，請研擬改善措施：", "warning"),
                 bullet_list([f"{q['question']}：{percent(q['satisfaction_rate'])}，最低標準 "
                              f"{percent(q['min_standard'], 0)}（差 "
                              f"{(q['min_standard'] - q['satisfaction_rate']) * 100:.1f} 個百分點）"
                              + (f"。{q['no_opinion_note']}" if q.get("no_opinion_note") else "")
                              for q in low], label="未達最低標準的題目")])


def crosstabs(tally: Data) -> Html:
    tabs = tally.get("crosstabs") or []
    if not tabs:
        return Html("")
    parts = [heading("交叉分析")]
    for by in dict.fromkeys(t["by"] for t in tabs):
        parts.append(heading(f"依{by}", 3))
        for t in (t for t in tabs if t["by"] == by):
            cols = [by, "有效回答", "滿意度", "不滿意度", "平均（1–5）"]
            rows = [[g, q["n_answered"], percent(q["satisfaction_rate"]),
                     percent(q["dissatisfaction_rate"]), number(q["mean"])]
                    for g, q in t["groups"].items()]
            chi = t.get("chi_square")
            test = "無法檢定"
            if chi:
                test = (f"卡方 = {chi['chi2']:.2f}，自由度 {chi['dof']}，p = {chi['p_value']:.3f}，"
                        + ("差異顯著" if chi["significant"] else "差異不顯著")
                        + ("" if chi.get("reliable", True) else "（期望次數過小，僅供參考）"))
            parts.append(table(cols, rows, caption=f"{t['question']} × {by}（{test}）",
                               numeric=[1, 2, 3, 4]))
    return join(parts)


# ------------------------------------------------------------------------------- trend

def trend_series(trend: Data) -> tuple[list[str], dict[str, list[float | None]],
                                        dict[str, list[bool]]]:
    """(years, rate per question per year, significant change into each year)."""
    years = [str(y) for y in trend["years"]]
    series: dict[str, list[float | None]] = {}
    marks: dict[str, list[bool]] = {}
    for q in trend["questions"]:
        rates = q["rates"]
        if isinstance(rates, Mapping):  # {"112": 0.9, …}: years a question was not asked → None
            rates = [rates.get(y) for y in years]
        series[q["question"]] = list(rates)
        flags = [False] * len(years)
        for ch in q.get("changes", []):
            if ch.get("significant") and str(ch["to"]) in years:
                flags[years.index(str(ch["to"]))] = True
        marks[q["question"]] = flags
    return years, series, marks


def trend_alt(trend: Data) -> str:
    years, series, marks = trend_series(trend)
    parts = []
    for name, values in series.items():
        text = "→".join(percent(v) for v in values)
        sig = [years[i] for i, f in enumerate(marks[name]) if f]
        parts.append(f"{name} {text}" + (f"（{'、'.join(sig)}年變化顯著）" if sig else ""))
    return f"{years[0]}–{years[-1]}年各題滿意度趨勢折線圖：" + "；".join(parts) + "。"


def trend_section(trend: Data | None, standard: float | None = None) -> Html:
    if not trend or len(trend.get("years", [])) < 2:
        return Html("")
    years, series, marks = trend_series(trend)
    fig = charts.trend(years, series, marks, title="歷年滿意度趨勢", standard=standard)
    cols = ["題目", *(f"{y}年" for y in years), "顯著變化（雙比例 z 檢定，α = 0.05）"]
    rows, classes = [], []
    for q in trend["questions"]:
        name = q["question"]
        significant = [c for c in q.get("changes", []) if c.get("significant")]
        changes = [f"{c['from']}→{c['to']}年 {_signed(_difference(c))}（p = {c['p_value']:.3f}）"
                   for c in significant]
        rows.append([name, *(percent(v) for v in series[name]), "；".join(changes) or "無"])
        classes.append("flag" if any((_difference(c) or 0) < 0 for c in significant) else None)
    return join([heading("歷年趨勢"),
                 figure(fig, trend_alt(trend), "圓圈標示與前一年相比差異達統計顯著的年度。"),
                 table(cols, rows, caption="各題歷年滿意度與顯著變化",
                       numeric=range(1, len(years) + 1), row_classes=classes)])


def _difference(change: Mapping[str, Any]) -> float | None:
    value = change.get("difference", change.get("diff"))
    return None if value is None else float(value)


def _signed(diff: float | None) -> str:
    if diff is None:
        return ""
    return f"{'+' if diff >= 0 else '−'}{abs(diff) * 100:.1f} 個百分點"


def comments(items: Sequence[Mapping[str, Any]] | None, limit: int = 100) -> Html:
    """Open comments per column, identical ones counted together (most frequent first) with
    where they were written; quoted as typed and escaped (never markup, never a formula)."""
    if not items:
        return Html("")
    parts = [heading("意見彙整")]
    for column in dict.fromkeys(c["column"] for c in items):
        these = [c for c in items if c["column"] == column]
        groups: dict[str, list[str]] = {}
        for c in these:
            groups.setdefault(" ".join(str(c["text"]).split()), []).append(str(c["cell"]))
        ranked = sorted(groups.items(), key=lambda kv: -len(kv[1]))  # stable: first seen first
        rows = [[text, len(cells), "、".join(_cell_only(x) for x in cells[:6])
                 + ("…" if len(cells) > 6 else "")] for text, cells in ranked[:limit]]
        parts.append(table(["意見內容", "則數", "位置"], rows, numeric=[1], cls="svcq-comments",
                           caption=f"{column}（{len(these)} 則，{len(groups)} 種意見）"))
        if len(ranked) > limit:
            parts.append(paragraph(f"…另有 {len(ranked) - limit} 種意見，請見統計活頁簿的意見彙整表。"))
    return join(parts)


def _cell_only(ref: str) -> str:
    return ref.rpartition("!")[2]
