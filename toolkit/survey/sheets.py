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
from toolkit.sheetkit.cells import cell_pieces, column_letter
from toolkit.sheetkit.formats import HouseFormats
from toolkit.sheetkit.page import a4
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

#: Colours of the five labels (best → worst, colour-blind-safe diverging) and 無意見 (grey).
COLOURS = ("#1a9641", "#a6d96a", "#ffffbf", "#fdae61", "#d7191c", "#bdbdbd")
MAX_SHEET_NAME = 31


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
    a4(ws)
    ws.write_string(0, 0, f"{tally.title or '滿意度調查'}　統計摘要", f.title)
    moe = tally.margin_of_error_95
    line = f"受訪人數 {tally.n_respondents:,} 人"
    if moe is not None:
        line += f"；95% 信心水準下抽樣誤差 ±{moe * 100:.2f} 個百分點"
        if tally.population:
            line += f"（母體 {tally.population:,} 人，已做有限母體校正）"
    ws.write_string(1, 0, line, f.note)
    ws.write_string(2, 0, _base_note(tally) + "；平均分數以 5 = 非常滿意 計，不含無意見；"
                    "信賴區間為 Wilson 95% 區間", f.note)
    if tally.warnings:
        ws.write_string(3, 0, f"注意：有 {len(tally.warnings)} 個無法辨識的答案以未填答計（--lenient）", f.bad)
    weighting = tally.weighting
    if weighting is not None:
        ws.write_string(4, 0, weighting_line(weighting), f.note)
    heads = ["題目", "有效回答", "無意見", "未填答", "滿意度", "不滿意度", "平均分數", "95% 信賴區間下限",
             "95% 信賴區間上限", "最低標準", "檢核"]
    extra: list[tuple[str, Any]] = []  # columns after 檢核: (header, format)
    if any(q.not_applicable for q in tally.questions):
        extra.append(("不適用", f.int))
    if weighting is not None:
        extra += [("加權滿意度", f.pct), ("加權不滿意度", f.pct), ("加權平均分數", f.num)]
    extra.append(("備註", f.wrap))
    top = 5
    for c, h in enumerate([*heads, *(h for h, _ in extra)]):
        ws.write_string(top, c, h, f.head)
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
        more: dict[str, Any] = {"不適用": q.not_applicable, "備註": "；".join(
            question_notes(q, tally.exclude_no_opinion))}
        if q.weighted is not None:
            more |= {"加權滿意度": q.weighted.satisfaction_rate, "加權不滿意度": q.weighted.dissatisfaction_rate,
                     "加權平均分數": q.weighted.mean}
        for c, (head, fm) in enumerate(extra, len(heads)):
            _put(ws, i, c, more[head], fm)
        if q.text:
            ws.write_comment(i, 0, q.text)
    ws.set_column(0, 0, 16)
    ws.set_column(1, len(heads) + len(extra) - 2, 11)
    ws.set_column(len(heads) + len(extra) - 1, len(heads) + len(extra) - 1, 60)
    ws.freeze_panes(top + 1, 1)


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
    a4(ws)
    labels = list(tally.questions[0].counts) if tally.questions else []
    ws.write_string(0, 0, "各題答案次數與百分比（百分比以有效回答為分母，含無意見）", f.title)
    heads = ["題目", *labels, "有效回答", "未填答", *[f"{lb}%" for lb in labels]]
    top = 2
    for c, h in enumerate(heads):
        ws.write_string(top, c, h, f.head)
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
    ws.set_column(0, 0, 16)
    ws.set_column(1, len(heads), 9)
    last = top + len(tally.questions)
    if tally.questions:
        chart = wb.add_chart({"type": "bar", "subtype": "percent_stacked"})
        for j in range(len(labels)):
            chart.add_series({
                "name": ["次數分配", top, 1 + j],
                "categories": ["次數分配", top + 1, 0, last, 0],
                "values": ["次數分配", top + 1, 1 + j, last, 1 + j],
                "fill": {"color": COLOURS[j]}, "border": {"color": "#666666"},
                "gap": 60,
            })
        chart.set_title({"name": "各題滿意度分布（100% 堆疊）", "name_font": {"size": 12}})
        chart.set_x_axis({"num_format": "0%", "major_gridlines": {"visible": True}})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 90 + 34 * len(tally.questions)})
        ws.insert_chart(last + 2, 0, chart)


def _write_crosstab(wb: Any, f: _Formats, by: str, tabs: list[CrossTab]) -> None:
    ws = wb.add_worksheet(_sheet_name(wb, f"交叉_{by}"))
    a4(ws)
    ws.write_string(0, 0, f"交叉分析：各題 × {by}（卡方獨立性檢定，α = 0.05）", f.title)
    r = 2
    for tab in tabs:
        test = tab.test
        if test is None:
            verdict = "組別或答案不足，無法檢定"
        else:
            verdict = (f"χ² = {test.chi2:.2f}，自由度 {test.dof}，p = {test.p_value:.4f}，"
                       f"{'差異顯著' if test.significant else '差異不顯著'}")
            if not test.reliable:
                verdict += f"（{test.low_expected_share:.0%} 的期望次數小於 5，結果僅供參考）"
        ws.write_string(r, 0, f"{tab.question}：{verdict}", f.note)
        r += 1
        labels = list(next(iter(tab.groups.values())).counts) if tab.groups else []
        heads = [by, *labels, "有效回答", "未填答", "滿意度", "平均分數"]
        for c, h in enumerate(heads):
            ws.write_string(r, c, h, f.head)
        r += 1
        for group, t in tab.groups.items():
            ws.write_string(r, 0, group, f.text)
            for j, v in enumerate(t.counts.values()):
                ws.write_number(r, 1 + j, v, f.int)
            _put(ws, r, 1 + len(labels), t.n_answered, f.int)
            _put(ws, r, 2 + len(labels), t.missing, f.int)
            _put(ws, r, 3 + len(labels), t.satisfaction_rate, f.pct)
            _put(ws, r, 4 + len(labels), t.mean, f.num)
            r += 1
        r += 1
    ws.set_column(0, 0, 14)
    ws.set_column(1, 12, 9)


def _write_comments(wb: Any, f: _Formats, tally: Tally) -> None:
    ws = wb.add_worksheet("意見彙整")
    a4(ws, landscape=False)
    ws.write_string(0, 0, f"民眾意見彙整（共 {len(tally.comments)} 則）", f.title)
    heads = ["序號", "題目", "來源儲存格", "意見內容"]
    for c, h in enumerate(heads):
        ws.write_string(2, c, h, f.head)
    row = 3
    for n, comment in enumerate(tally.comments, 1):
        # A comment longer than a cell holds (32,767 characters) goes on in the rows below,
        # marked, rather than being cut: nothing a citizen wrote is dropped.
        for k, piece in enumerate(cell_pieces(comment.text)):
            if k == 0:
                ws.write_number(row, 0, n, f.int)
            ws.write_string(row, 1, comment.column, f.text)
            ws.write_string(row, 2, comment.cell, f.text)
            # write_string, never write(): "=1+1", "+886…", "-5", "@SUM(A1)" stay text.
            ws.write_string(row, 3, piece, f.wrap)
            row += 1
    ws.set_column(0, 0, 6)
    ws.set_column(1, 2, 14)
    ws.set_column(3, 3, 70)
    ws.repeat_rows(2)


def write_trend(result: Trend, dst: str | Path, *, deterministic: bool = False) -> Path:
    """趨勢 sheet: satisfaction per year per question, z-tests between consecutive years, and
    a line chart of the rates."""
    dst = Path(dst)
    with new_workbook(dst, deterministic=deterministic) as wb:
        f = _Formats(wb)
        ws = wb.add_worksheet("趨勢")
        a4(ws)
        years = result.years
        ws.write_string(0, 0, "歷年滿意度趨勢（兩比例 z 檢定，α = 0.05；▲ 顯著上升 ▼ 顯著下降 ─ 無顯著變化）", f.title)
        pairs = list(itertools.pairwise(years))
        heads = ["題目", *[f"{y}年" for y in years], *[f"{a}→{b} 變化" for a, b in pairs],
                 *[f"{a}→{b} p 值" for a, b in pairs], *[f"{a}→{b}" for a, b in pairs], "最低標準"]
        top = 2
        for c, h in enumerate(heads):
            ws.write_string(top, c, h, f.head)
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
        ws.set_column(0, 0, 16)
        ws.set_column(1, len(heads), 11)
        chart = wb.add_chart({"type": "line"})
        for i, _q in enumerate(result.questions, top + 1):
            chart.add_series({"name": ["趨勢", i, 0], "categories": ["趨勢", top, 1, top, len(years)],
                              "values": ["趨勢", i, 1, i, len(years)], "marker": {"type": "circle"}})
        chart.set_title({"name": "歷年滿意度", "name_font": {"size": 12}})
        chart.set_y_axis({"num_format": "0%", "max": 1})
        chart.set_legend({"position": "right"})
        chart.set_size({"width": 760, "height": 420})
        ws.insert_chart(n_row + 2, 0, chart)
    return dst


def write_votes(result: VoteResult, dst: str | Path, *, title: str = "最佳禮儀服務人員票選",
                deterministic: bool = False) -> Path:
    dst = Path(dst)
    with new_workbook(dst, deterministic=deterministic) as wb:
        f = _Formats(wb)
        ws = wb.add_worksheet("票選結果")
        a4(ws, landscape=False)
        ws.write_string(0, 0, f"{title}　結果", f.title)
        unit = "張選票" if result.per == "row" else "票"
        ws.write_string(1, 0, f"共 {result.ballots:,} {unit}，有效票 {result.valid_votes:,}，廢票 "
                        f"{len(result.spoiled):,}（同票者名次相同）", f.note)
        heads = ["名次", "姓名", "得票數", "得票率", "備註"]
        for c, h in enumerate(heads):
            ws.write_string(3, c, h, f.head)
        for i, s in enumerate(result.standings, 4):
            ws.write_number(i, 0, s.rank, f.int)
            ws.write_string(i, 1, s.name, f.text)
            ws.write_number(i, 2, s.votes, f.int)
            ws.write_number(i, 3, s.share, f.pct)
            ws.write_string(i, 4, "同票" if s.tied else "", f.text)
        ws.set_column(0, 0, 6)
        ws.set_column(1, 4, 12)
        if result.standings:
            chart = wb.add_chart({"type": "bar"})
            last = 3 + len(result.standings)
            chart.add_series({"name": "得票數", "categories": ["票選結果", 4, 1, last, 1],
                              "values": ["票選結果", 4, 2, last, 2], "data_labels": {"value": True},
                              "fill": {"color": "#2c7bb6"}})
            chart.set_y_axis({"reverse": True})
            chart.set_legend({"none": True})
            chart.set_title({"name": "得票數", "name_font": {"size": 12}})
            ws.insert_chart(3, 6, chart)
        spoiled = wb.add_worksheet("廢票")
        a4(spoiled, landscape=False)
        for c, h in enumerate(["儲存格", "原因", "內容"]):
            spoiled.write_string(0, c, h, f.head)
        for i, bad in enumerate(result.spoiled, 1):
            spoiled.write_string(i, 0, bad.cell, f.text)
            spoiled.write_string(i, 1, bad.reason, f.text)
            spoiled.write_string(i, 2, bad.value, f.text)
        spoiled.set_column(0, 2, 18)
    return dst


def write_template(path: str | Path) -> None:
    """A blank response sheet with the standard questionnaire header, drop-down answers and
    a 說明 sheet giving each question's wording."""
    with new_workbook(path, deterministic=True) as wb:
        f = _Formats(wb)
        ws = wb.add_worksheet("問卷回覆")
        a4(ws)
        heads = ["編號", "填寫日期", *DEMOGRAPHICS, *(q.column for q in QUESTIONS), *COMMENTS]
        for c, h in enumerate(heads):
            ws.write_string(0, c, h, f.head)
        rows = 2000
        for c, h in enumerate(heads):
            if h in DEMOGRAPHICS:
                ws.data_validation(1, c, rows, c, {"validate": "list", "source": list(DEMOGRAPHICS[h]),
                                                   "error_type": "warning"})
            elif any(q.column == h for q in QUESTIONS):
                ws.data_validation(1, c, rows, c, {
                    "validate": "list", "source": list(ANSWERS), "error_type": "warning",
                    "input_title": h, "input_message": "請選 非常滿意…非常不滿意、無意見，或填 5–1"})
        ws.set_column(0, 0, 6)
        ws.set_column(1, 1, 12)
        ws.set_column(2, len(heads) - 2, 10)
        ws.set_column(len(heads) - 1, len(heads) - 1, 40)
        ws.freeze_panes(1, 2)
        ws.write_comment(0, 1, "民國日期，例：113.3.15 或 113年3月15日")
        guide = wb.add_worksheet("說明")
        a4(guide, landscape=False)
        guide.write_string(0, 0, "滿意度調查回覆表　填寫說明", f.title)
        notes = [
            "每位受訪者一列；第 1 列標題請勿更改（可增加欄，svcq 會依標題找欄）。",
            f"題目欄填「{'、'.join(ANSWERS)}」，或代碼 5（非常滿意）到 1（非常不滿意）；全形數字與空格皆可。",
            "「不知道」「未回答」「拒答」視同無意見；空白表示未填答。",
            "統計：svcq survey tally 本檔.xlsx -o 統計結果.xlsx",
        ]
        for i, line in enumerate(notes, 2):
            guide.write_string(i, 0, line, f.note)
        for c, h in enumerate(["欄名", "題目內容"]):
            guide.write_string(7, c, h, f.head)
        for i, q in enumerate(QUESTIONS, 8):
            guide.write_string(i, 0, q.column, f.text)
            guide.write_string(i, 1, q.text, f.text)
        guide.set_column(0, 0, 14)
        guide.set_column(1, 1, 60)
