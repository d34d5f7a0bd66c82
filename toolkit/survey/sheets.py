"""Survey files: read the questionnaire YAML and a responses sheet; write the tally, trend
and vote workbooks (native Excel charts) and the blank response template.

The verbs (``tally``, ``trend``, ``votes``) are in ``toolkit.survey.api``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from toolkit.io.read import Table, Workbook
from toolkit.io.xlsx import new_workbook
from toolkit.io.yaml_text import load_yaml
from toolkit.problems import ProblemsFound, SvcqError
from toolkit.sheetkit import palette
from toolkit.sheetkit.cells import column_letter
from toolkit.sheetkit.formats import BAD, HouseFormats
from toolkit.sheetkit.page import a4, chart_block, chart_span, columns, spanning_note
from toolkit.sheetkit.width import fit_height, fit_width, printable_pieces
from toolkit.survey import (
    CrossTab,
    Questionnaire,
    Tally,
    Trend,
    VoteResult,
    questionnaire_from_dict,
)
from toolkit.survey.rule_sheets import codebook_in_book, codebook_sheet, is_spreadsheet, read_codebook_file
from toolkit.survey.standard import ANSWERS, COMMENTS, DEMOGRAPHICS, QUESTIONS
from toolkit.survey.tally import question_notes
from toolkit.survey.weights import Weighting

#: Colours of the five labels (best → worst) and 無意見: the house palette, as in the HTML.
COLOURS = (*palette.LIKERT_BEST_FIRST, palette.NO_OPINION)
MAX_SHEET_NAME = 31
#: Width of a column of counts or percentages (「有效回答」「非常滿意%」 on one line).
NUMBER_WIDTH = 9.5
#: A chart narrower than this is hard to read, whatever the table beside it (pixels).
CHART_MIN_WIDTH = 480
#: The trend chart's height (pixels): with a year's table it fills one landscape page.
TREND_CHART_HEIGHT = 320
#: Answers a list cell offers; 5–1 are typed as well (the validation lets them through).
CODES = ("5", "4", "3", "2", "1")


# ---------------------------------------------------------------- reading

def read_questionnaire(path: str | Path) -> Questionnaire:
    """The questionnaire YAML at ``path`` (schema in docs/survey.md)."""
    path = Path(path)
    if not path.is_file():
        raise SvcqError("找不到問卷設定檔", file=path, code="not-found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SvcqError("問卷設定檔請存成 UTF-8 文字檔", file=path, code="bad-encoding") from None
    data = load_yaml(text, "問卷設定檔", path)
    questionnaire, problems = questionnaire_from_dict(data, str(path))
    if problems:
        raise ProblemsFound(problems)
    assert questionnaire is not None
    return questionnaire


def as_questionnaire(value: Questionnaire | str | Path | Mapping[str, Any] | None) -> Questionnaire | None:
    """A Questionnaire from itself, a dict, a YAML file, or a 代碼表 workbook (-q 代碼表.xlsx)."""
    if value is None or isinstance(value, Questionnaire):
        return value
    if isinstance(value, Mapping):
        q, problems = questionnaire_from_dict(dict(value))
        if problems:
            raise ProblemsFound(problems)
        return q
    if is_spreadsheet(value):
        return read_codebook_file(value)
    return read_questionnaire(value)


def responses_table(book: Workbook, sheet: str | None = None) -> Table:
    """The named sheet, else the first visible sheet with data that is not the 代碼表."""
    if sheet is None:
        skip = codebook_sheet(book)
        sheet = next((s for s in book.sheet_names if s != skip and s not in book.hidden_sheets
                      and not book.table(s).is_empty), None) if skip else None
    table = book.table(sheet)
    if table.is_empty:
        raise SvcqError("工作表是空的", file=book.path, sheet=table.sheet, code="empty-sheet")
    return table


def with_codebook(questionnaire: Questionnaire | None, book: Workbook) -> Questionnaire | None:
    """The responses workbook's own 代碼表 (used automatically) joined to the questionnaire,
    unless it already has one (``-q 代碼表.xlsx`` wins)."""
    if questionnaire is not None and questionnaire.codebook is not None:
        return questionnaire
    codebook = codebook_in_book(book, questionnaire.scale if questionnaire else Questionnaire([]).scale)
    if codebook is None:
        return questionnaire
    if questionnaire is None:
        return Questionnaire([], codebook=codebook)
    return replace(questionnaire, codebook=codebook)


# ---------------------------------------------------------------- writing

class _Formats(HouseFormats):
    """The house formats plus the survey sheets' own."""

    def __init__(self, wb: Any) -> None:
        super().__init__(wb)
        self.title = self.add(bold=True, font_size=14)
        self.head = self.header
        self.wrap = self.add(border=1, text_wrap=True, valign="top")
        self.p = self.add(border=1, num_format="0.000")
        # notes spanning a table: wrapped, so they print whole (house note colours)
        self.note = self.add(font_size=10, font_color="#555555", text_wrap=True, valign="top")
        self.warning = self.add(font_size=10, text_wrap=True, valign="top", bold=True, **BAD)


def _put(ws: Any, r: int, c: int, value: Any, fmt: Any) -> None:
    """Numbers as numbers, None as an empty bordered cell, everything else as text."""
    if value is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", fmt)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _sheet_name(wb: Any, name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "_")
    name = name[:MAX_SHEET_NAME]
    base, n = name, 2
    existing = {ws.get_name() for ws in wb.worksheets()}
    while name in existing:
        suffix = f"_{n}"
        name = base[:MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    return name


def write_tally(tally: Tally, dst: str | Path, *, deterministic: bool = False) -> Path:
    """The tally workbook: 摘要, 次數分配 (with a 100 % stacked bar chart), one sheet per
    cross-tab and 意見彙整. Comments are always written as text."""
    dst = Path(dst)
    with new_workbook(dst, deterministic=deterministic) as wb:
        f = _Formats(wb)
        _write_summary(wb, f, tally)
        _write_counts(wb, f, tally)
        by_names = list(dict.fromkeys(c.by for c in tally.crosstabs))
        for by in by_names:
            _write_crosstab(wb, f, by, [c for c in tally.crosstabs if c.by == by])
        _write_comments(wb, f, tally)
    return dst


def _base_note(tally: Tally) -> str:
    return ("滿意度 =（非常滿意＋滿意）÷ 有效回答（不含無意見）" if tally.exclude_no_opinion
            else "滿意度 =（非常滿意＋滿意）÷ 有效回答（含無意見，政府民調慣例）")


def _write_summary(wb: Any, f: _Formats, tally: Tally) -> None:
    ws = wb.add_worksheet("摘要")
    heads = ["題目", "有效回答", "無意見", "未填答", "滿意度", "不滿意度", "平均分數", "95% 信賴區間下限",
             "95% 信賴區間上限", "最低標準", "檢核"]
    extra: list[tuple[str, Any]] = []  # columns after 檢核: (header, format)
    if any(q.not_applicable for q in tally.questions):
        extra.append(("不適用", f.int))
    weighting = tally.weighting
    if weighting is not None:
        extra += [("加權滿意度", f.pct), ("加權不滿意度", f.pct), ("加權平均分數", f.num)]
    extra.append(("備註", f.wrap))
    notes = {q.question: "；".join(question_notes(q, tally.exclude_no_opinion)) for q in tally.questions}
    widths = columns(ws, [fit_width(["題目", *(q.question for q in tally.questions)], minimum=10, maximum=24),
                          *[NUMBER_WIDTH] * (len(heads) + len(extra) - 2),
                          fit_width(["備註", *notes.values()], minimum=10, maximum=30)])
    ws.write_string(0, 0, f"{tally.title or '滿意度調查'}　統計摘要", f.title)
    moe = tally.margin_of_error_95
    line = f"受訪人數 {tally.n_respondents:,} 人"
    if moe is not None:
        line += f"；95% 信心水準下抽樣誤差 ±{moe * 100:.2f} 個百分點"
        if tally.population:
            line += f"（母體 {tally.population:,} 人，已做有限母體校正）"
    spanning_note(ws, 1, line, f.note, widths, font_pt=10)
    spanning_note(ws, 2, _base_note(tally) + "；平均分數以 5 = 非常滿意 計，不含無意見；"
                  "信賴區間為 Wilson 95% 區間", f.note, widths, font_pt=10)
    if tally.warnings:
        spanning_note(ws, 3, f"注意：有 {len(tally.warnings)} 個無法辨識的答案以未填答計（--lenient）",
                      f.warning, widths, font_pt=10)
    if weighting is not None:
        spanning_note(ws, 4, weighting_line(weighting), f.note, widths, font_pt=10)
    top = 5
    all_heads = [*heads, *(h for h, _ in extra)]
    for c, h in enumerate(all_heads):
        ws.write_string(top, c, h, f.head)
    ws.set_row(top, fit_height(zip(all_heads, widths, strict=True)))
    for i, q in enumerate(tally.questions, top + 1):
        ci = q.ci95 or (None, None)
        values = [q.question, q.n_answered, q.no_opinion, q.missing, q.satisfaction_rate,
                  q.dissatisfaction_rate, q.mean, ci[0], ci[1], q.min_standard]
        fmts = [f.text, f.int, f.int, f.int, f.pct, f.pct, f.num, f.pct, f.pct, f.pct]
        for c, (v, fm) in enumerate(zip(values, fmts, strict=True)):
            _put(ws, i, c, v, fm)
        flag = q.below_standard
        ws.write_string(i, 10, "" if flag is None else ("未達標準" if flag else "達標"),
                        f.text if flag is None else (f.bad if flag else f.good))
        more: dict[str, Any] = {"不適用": q.not_applicable, "備註": notes[q.question]}
        if q.weighted is not None:
            more |= {"加權滿意度": q.weighted.satisfaction_rate, "加權不滿意度": q.weighted.dissatisfaction_rate,
                     "加權平均分數": q.weighted.mean}
        for c, (head, fm) in enumerate(extra, len(heads)):
            _put(ws, i, c, more[head], fm)
        ws.set_row(i, fit_height([(q.question, widths[0]), (notes[q.question], widths[-1])]))
        if q.text:
            ws.write_comment(i, 0, q.text)
    a4(ws, landscape=None, widths=widths, repeat_rows=top, freeze=(top + 1, 1))


def weighting_line(weighting: Weighting) -> str:
    """How the weighted figures were made, in one line for the summary."""
    low, high = weighting.weight_range
    moe = weighting.margin_of_error_95
    return (f"加權：依人口統計的{'、'.join(weighting.variables)}反覆比例調整（raking，{weighting.iterations} 輪收斂）；"
            f"有效樣本數（Kish）{weighting.n_effective:.1f}，設計效果 {weighting.design_effect:.2f}"
            + (f"，加權抽樣誤差 ±{moe * 100:.2f} 個百分點" if moe is not None else "")
            + f"；權數範圍 {low:.2f}–{high:.2f}（平均 1）")


def _write_counts(wb: Any, f: _Formats, tally: Tally) -> None:
    ws = wb.add_worksheet("次數分配")
    labels = list(tally.questions[0].counts) if tally.questions else []
    heads = ["題目", *labels, "有效回答", "未填答", *[f"{lb}%" for lb in labels]]
    widths = columns(ws, [fit_width(["題目", *(q.question for q in tally.questions)], minimum=10, maximum=24),
                          *[NUMBER_WIDTH] * (len(heads) - 1)])
    ws.write_string(0, 0, "各題答案次數與百分比（百分比以有效回答為分母，含無意見）", f.title)
    top = 2
    for c, h in enumerate(heads):
        ws.write_string(top, c, h, f.head)
    heights = {top: fit_height(zip(heads, widths, strict=True))}
    ws.set_row(top, heights[top])
    k = len(labels)
    n_col = 1 + k
    for i, q in enumerate(tally.questions, top + 1):
        ws.write_string(i, 0, q.question, f.text)
        for j, v in enumerate(q.counts.values()):
            ws.write_number(i, 1 + j, v, f.int)
        row = i + 1
        ws.write_formula(i, n_col, f"=SUM(B{row}:{column_letter(k)}{row})", f.int, q.n_answered)
        ws.write_number(i, n_col + 1, q.missing, f.int)
        n_ref = f"${column_letter(n_col)}{row}"
        for j, v in enumerate(q.counts.values()):
            share = v / q.n_answered if q.n_answered else 0
            ws.write_formula(i, n_col + 2 + j, f"=IF({n_ref}=0,0,{column_letter(1 + j)}{row}/{n_ref})",
                             f.pct, share)
    last = top + len(tally.questions)
    blocks = [(0, last)]
    if tally.questions:
        chart = wb.add_chart({"type": "bar", "subtype": "percent_stacked"})
        for j in range(len(labels)):
            chart.add_series({
                "name": ["次數分配", top, 1 + j],
                "categories": ["次數分配", top + 1, 0, last, 0],
                "values": ["次數分配", top + 1, 1 + j, last, 1 + j],
                "fill": {"color": COLOURS[j]}, "border": {"color": palette.OUTLINE},
                "gap": 60,
            })
        chart.set_title({"name": "各題滿意度分布（100% 堆疊）", "name_font": {"size": 12}})
        chart.set_x_axis({"num_format": "0%", "major_gridlines": {"visible": True}})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"position": "bottom"})
        # below the table and as wide as it, on the same page or the next, never split
        height = 70 + 30 * len(tally.questions)
        width, widths = chart_span(widths)
        chart.set_size({"width": width, "height": height})
        ws.insert_chart(last + 2, 0, chart)
        blocks.append(chart_block(last + 2, height))
    a4(ws, landscape=None, widths=widths, repeat_rows=top, freeze=(top + 1, 1), blocks=blocks, heights=heights)


def _write_crosstab(wb: Any, f: _Formats, by: str, tabs: list[CrossTab]) -> None:
    ws = wb.add_worksheet(_sheet_name(wb, f"交叉_{by}"))
    labels = next((list(next(iter(t.groups.values())).counts) for t in tabs if t.groups), [])
    heads = [by, *labels, "有效回答", "未填答", "滿意度", "平均分數"]
    groups = [g for t in tabs for g in t.groups]
    widths = columns(ws, [fit_width([by, *groups], minimum=10, maximum=20),
                          *[NUMBER_WIDTH] * (len(heads) - 1)])
    ws.write_string(0, 0, f"交叉分析：各題 × {by}（卡方獨立性檢定，α = 0.05）", f.title)
    heights: dict[int, float] = {}
    blocks: list[tuple[int, int]] = []
    r = 2
    for tab in tabs:
        first = r
        test = tab.test
        if test is None:
            verdict = "組別或答案不足，無法檢定"
        else:
            verdict = (f"χ² = {test.chi2:.2f}，自由度 {test.dof}，p = {test.p_value:.4f}，"
                       f"{'差異顯著' if test.significant else '差異不顯著'}")
            if not test.reliable:
                verdict += f"（{test.low_expected_share:.0%} 的期望次數小於 5，結果僅供參考）"
        heights[r] = spanning_note(ws, r, f"{tab.question}：{verdict}", f.note, widths, font_pt=10)
        r += 1
        tab_labels = list(next(iter(tab.groups.values())).counts) if tab.groups else []
        tab_heads = [by, *tab_labels, "有效回答", "未填答", "滿意度", "平均分數"]
        for c, h in enumerate(tab_heads):
            ws.write_string(r, c, h, f.head)
        heights[r] = fit_height(zip(tab_heads, widths, strict=False))
        ws.set_row(r, heights[r])
        r += 1
        for group, t in tab.groups.items():
            ws.write_string(r, 0, group, f.text)
            for j, v in enumerate(t.counts.values()):
                ws.write_number(r, 1 + j, v, f.int)
            _put(ws, r, 1 + len(tab_labels), t.n_answered, f.int)
            _put(ws, r, 2 + len(tab_labels), t.missing, f.int)
            _put(ws, r, 3 + len(tab_labels), t.satisfaction_rate, f.pct)
            _put(ws, r, 4 + len(tab_labels), t.mean, f.num)
            r += 1
        blocks.append((first, r - 1))
        r += 1
    # each question's table stays whole on its page, its verdict and header above it
    a4(ws, landscape=None, widths=widths, blocks=blocks, heights=heights)


def _write_comments(wb: Any, f: _Formats, tally: Tally) -> None:
    ws = wb.add_worksheet("意見彙整")
    heads = ["序號", "題目", "來源儲存格", "意見內容"]
    widths = columns(ws, [6, fit_width(["題目", *(c.column for c in tally.comments)], minimum=10, maximum=16),
                          fit_width(["來源儲存格", *(c.cell for c in tally.comments)], minimum=10, maximum=24),
                          60])
    ws.write_string(0, 0, f"民眾意見彙整（共 {len(tally.comments)} 則）", f.title)
    for c, h in enumerate(heads):
        ws.write_string(2, c, h, f.head)
    row = 3
    for n, comment in enumerate(tally.comments, 1):
        # A comment longer than a cell holds (32,767 characters), or than its tallest row
        # prints, goes on in the rows below, marked, rather than being cut: nothing a citizen
        # wrote is dropped, on screen or on paper.
        for k, piece in enumerate(printable_pieces(comment.text, widths[3])):
            if k == 0:
                ws.write_number(row, 0, n, f.int)
            ws.write_string(row, 1, comment.column, f.wrap)
            ws.write_string(row, 2, comment.cell, f.wrap)
            # write_string, never write(): "=1+1", "+886…", "-5", "@SUM(A1)" stay text.
            ws.write_string(row, 3, piece, f.wrap)
            ws.set_row(row, fit_height([(comment.column, widths[1]), (comment.cell, widths[2]),
                                        (piece, widths[3])]))
            row += 1
    a4(ws, landscape=None, widths=widths, repeat_rows=2, freeze=(3, 0))


def write_trend(result: Trend, dst: str | Path, *, deterministic: bool = False) -> Path:
    """趨勢 sheet: satisfaction per year per question, z-tests between consecutive years, and
    a line chart of the rates."""
    dst = Path(dst)
    with new_workbook(dst, deterministic=deterministic) as wb:
        f = _Formats(wb)
        ws = wb.add_worksheet("趨勢")
        years = result.years
        pairs = list(itertools.pairwise(years))
        heads = ["題目", *[f"{y}年" for y in years], *[f"{a}→{b} 變化" for a, b in pairs],
                 *[f"{a}→{b} p 值" for a, b in pairs], *[f"{a}→{b}" for a, b in pairs], "最低標準"]
        widths = columns(ws, [fit_width(["受訪人數", *(q.question for q in result.questions)], minimum=10,
                                        maximum=24), *[NUMBER_WIDTH] * (len(heads) - 1)])
        ws_note = spanning_note(ws, 0, "歷年滿意度趨勢（兩比例 z 檢定，α = 0.05；▲ 顯著上升 ▼ 顯著下降 ─ 無顯著變化）",
                                f.note, widths)
        top = 2
        for c, h in enumerate(heads):
            ws.write_string(top, c, h, f.head)
        heights = {0: ws_note, top: fit_height(zip(heads, widths, strict=True))}
        ws.set_row(top, heights[top])
        for i, q in enumerate(result.questions, top + 1):
            ws.write_string(i, 0, q.question, f.text)
            for j, y in enumerate(years):
                _put(ws, i, 1 + j, q.rate(y), f.pct)
            changes = {(c.year_from, c.year_to): c for c in q.changes}
            for j, pair in enumerate(pairs):
                change = changes.get(pair)
                base = 1 + len(years)
                _put(ws, i, base + j, change.difference if change else None, f.pct)
                _put(ws, i, base + len(pairs) + j, change.p_value if change else None, f.p)
                _put(ws, i, base + 2 * len(pairs) + j, change.mark if change else None,
                     f.text if not change or not change.significant
                     else (f.good if change.difference > 0 else f.bad))
            _put(ws, i, len(heads) - 1, q.min_standard, f.pct)
        n_row = top + len(result.questions) + 1
        ws.write_string(n_row, 0, "受訪人數", f.head)
        for j, y in enumerate(years):
            ws.write_number(n_row, 1 + j, result.n_respondents[y], f.int)
        chart = wb.add_chart({"type": "line"})
        for i, _q in enumerate(result.questions, top + 1):
            chart.add_series({"name": ["趨勢", i, 0], "categories": ["趨勢", top, 1, top, len(years)],
                              "values": ["趨勢", i, 1, i, len(years)], "marker": {"type": "circle"}})
        chart.set_title({"name": "歷年滿意度", "name_font": {"size": 12}})
        chart.set_y_axis({"num_format": "0%", "max": 1})
        chart.set_legend({"position": "right"})
        width, widths = chart_span(widths, CHART_MIN_WIDTH)
        chart.set_size({"width": width, "height": TREND_CHART_HEIGHT})
        ws.insert_chart(n_row + 2, 0, chart)
        a4(ws, landscape=None, widths=widths, repeat_rows=top, freeze=(top + 1, 1), heights=heights,
           blocks=[(0, n_row), chart_block(n_row + 2, TREND_CHART_HEIGHT)])
    return dst


def write_votes(result: VoteResult, dst: str | Path, *, title: str = "最佳禮儀服務人員票選",
                deterministic: bool = False) -> Path:
    dst = Path(dst)
    with new_workbook(dst, deterministic=deterministic) as wb:
        f = _Formats(wb)
        ws = wb.add_worksheet("票選結果")
        heads = ["名次", "姓名", "得票數", "得票率", "備註"]
        widths = columns(ws, [6, fit_width(["姓名", *(s.name for s in result.standings)], minimum=12, maximum=30),
                              10, 10, 10])
        ws.write_string(0, 0, f"{title}　結果", f.title)
        unit = "張選票" if result.per == "row" else "票"
        heights = {1: spanning_note(ws, 1, f"共 {result.ballots:,} {unit}，有效票 {result.valid_votes:,}，廢票 "
                                    f"{len(result.spoiled):,}（同票者名次相同）", f.note, widths, font_pt=10)}
        for c, h in enumerate(heads):
            ws.write_string(3, c, h, f.head)
        for i, s in enumerate(result.standings, 4):
            ws.write_number(i, 0, s.rank, f.int)
            ws.write_string(i, 1, s.name, f.text)
            ws.write_number(i, 2, s.votes, f.int)
            ws.write_number(i, 3, s.share, f.pct)
            ws.write_string(i, 4, "同票" if s.tied else "", f.text)
        last = 3 + len(result.standings)
        blocks = [(0, last)]
        if result.standings:
            chart = wb.add_chart({"type": "bar"})
            chart.add_series({"name": "得票數", "categories": ["票選結果", 4, 1, last, 1],
                              "values": ["票選結果", 4, 2, last, 2], "data_labels": {"value": True},
                              "fill": {"color": palette.SERIES}})
            chart.set_y_axis({"reverse": True})
            chart.set_legend({"none": True})
            chart.set_title({"name": "得票數", "name_font": {"size": 12}})
            # below the table, not beside it: the page is not shrunk to fit both side by side
            height = 80 + 28 * len(result.standings)
            width, widths = chart_span(widths, CHART_MIN_WIDTH)
            chart.set_size({"width": width, "height": height})
            ws.insert_chart(last + 2, 0, chart)
            blocks.append(chart_block(last + 2, height))
        a4(ws, landscape=None, widths=widths, repeat_rows=3, freeze=(4, 0), blocks=blocks, heights=heights)
        spoiled = wb.add_worksheet("廢票")
        heads = ["儲存格", "原因", "內容"]
        widths = columns(spoiled, [fit_width(["儲存格", *(b.cell for b in result.spoiled)], maximum=40),
                                   fit_width(["原因", *(b.reason for b in result.spoiled)], maximum=30),
                                   fit_width(["內容", *(b.value for b in result.spoiled)], minimum=16, maximum=40)])
        for c, h in enumerate(heads):
            spoiled.write_string(0, c, h, f.head)
        for i, bad in enumerate(result.spoiled, 1):
            spoiled.write_string(i, 0, bad.cell, f.wrap)
            spoiled.write_string(i, 1, bad.reason, f.wrap)
            spoiled.write_string(i, 2, bad.value, f.wrap)
            spoiled.set_row(i, fit_height(zip((bad.cell, bad.reason, bad.value), widths, strict=True)))
        a4(spoiled, landscape=None, widths=widths, repeat_rows=0, freeze=(1, 0))
    return dst



def write_template(path: str | Path) -> None:
    """A blank response sheet with the standard questionnaire header, drop-down answers and
    a 說明 sheet giving each question's wording."""
    with new_workbook(path, deterministic=True) as wb:
        f = _Formats(wb)
        ws = wb.add_worksheet("問卷回覆")
        heads = ["編號", "填寫日期", *DEMOGRAPHICS, *(q.column for q in QUESTIONS), *COMMENTS]
        for c, h in enumerate(heads):
            ws.write_string(0, c, h, f.head)
        rows = 2000
        for c, h in enumerate(heads):
            if h in DEMOGRAPHICS:
                ws.data_validation(1, c, rows, c, {"validate": "list", "source": list(DEMOGRAPHICS[h]),
                                                   "error_type": "warning"})
            elif any(q.column == h for q in QUESTIONS):
                # The list offers the words and the codes 5–1 alike, so typing 5 is as valid
                # as picking 非常滿意 (a list of words alone warned on every typed code).
                ws.data_validation(1, c, rows, c, {
                    "validate": "list", "source": [*ANSWERS, *CODES], "error_type": "warning",
                    "input_title": h, "input_message": "請選 非常滿意…非常不滿意、無意見，或填 5–1",
                    "error_title": h,
                    "error_message": "請填 非常滿意…非常不滿意、無意見，或 5（非常滿意）–1（非常不滿意）"})
        widths = columns(ws, [6, 12, *[10] * (len(heads) - 3), 40])
        ws.set_row(0, fit_height(zip(heads, widths, strict=True)))
        a4(ws, landscape=None, widths=widths, repeat_rows=0, freeze=(1, 2))
        ws.write_comment(0, 1, "民國日期，例：113.3.15 或 113年3月15日")
        guide = wb.add_worksheet("說明")
        widths = columns(guide, [14, 60])
        guide.write_string(0, 0, "滿意度調查回覆表　填寫說明", f.title)
        notes = [
            "每位受訪者一列；第 1 列標題請勿更改（可增加欄，svcq 會依標題找欄）。",
            f"題目欄填「{'、'.join(ANSWERS)}」，或代碼 5（非常滿意）到 1（非常不滿意）；全形數字與空格皆可。",
            "「不知道」「未回答」「拒答」視同無意見；空白表示未填答。",
            "統計：svcq survey tally 本檔.xlsx -o 統計結果.xlsx",
        ]
        for i, line in enumerate(notes, 2):
            spanning_note(guide, i, line, f.note, widths, font_pt=10)
        for c, h in enumerate(["欄名", "題目內容"]):
            guide.write_string(7, c, h, f.head)
        for i, q in enumerate(QUESTIONS, 8):
            guide.write_string(i, 0, q.column, f.text)
            guide.write_string(i, 1, q.text, f.text)
        a4(guide, landscape=None, widths=widths, repeat_rows=7)
