"""The workbooks svcq writes from scores: the scored workbook (計分結果, 差距分析, 構面統計
with a native bar chart) and a comparison of two scorings. Every formula carries its value."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from toolkit.io.xlsx import new_workbook
from toolkit.score.compare import Comparison
from toolkit.score.rubric import Rubric
from toolkit.score.scoring import CallsResult, ScoreResult
from toolkit.score.sheet_style import (
    HEADER_ROW,
    band_formula,
    cell_range,
    formats,
    label_cells,
    print_setup,
    sum_of,
)
from toolkit.sheetkit import palette
from toolkit.sheetkit.page import a4, chart_block, chart_span, columns, spanning_note
from toolkit.sheetkit.width import fit_height, fit_width


def write_scored(dst: str | Path, result: ScoreResult | CallsResult) -> Path:
    """Totals (SUM formulas), 差距分析 ranked by points lost, 構面 table with a bar chart."""
    calls = result.calls if isinstance(result, CallsResult) else [result]
    avg = result.average_result() if isinstance(result, CallsResult) else result
    rubric = result.rubric
    dst = Path(dst)
    with new_workbook(dst) as wb:
        f = formats(wb)
        _write_totals(wb, f, rubric, calls, isinstance(result, CallsResult))
        _write_gaps(wb, f, avg)
        _write_dimensions(wb, f, avg, calls if isinstance(result, CallsResult) else [])
    return dst


def _write_totals(wb: Workbook, f: dict[str, Any], rubric: Rubric, calls: Sequence[ScoreResult],
                  multi: bool) -> None:
    ws = wb.add_worksheet("計分結果")
    labels = [c.label for c in calls] if multi else ["得分"]
    n = len(labels)
    extra = ["平均"] if multi else ["失分", "得分率"]
    header = ["構面", "項目", "指標", "配分", *labels, *extra, "備註"]
    widths = columns(ws, [11, 16, 20, 7, *([10] * n), *([10] * len(extra)), 24])
    ws.write(0, 0, f"{rubric.title}　計分結果", f["title"])
    ws.write(1, 0, "評分基準", f["meta_label"])
    ws.write(1, 1, rubric.name, f["meta"])
    if not multi:
        ws.write(1, 2, "年度／對象", f["meta_label"])
        _label(ws, 1, 3, calls[0].label, f["meta"])
    _header(ws, header, widths, f)
    row = HEADER_ROW + 1
    c_extra = 4 + n
    subtotal_rows: list[int] = []
    dim_values: list[list[float]] = []
    for d_index, dim in enumerate(rubric.dimensions):
        first = row
        for leaf in (x for x in rubric.leaves if x.dimension == dim.name):
            ws.write(row, 0, leaf.path[0], f["label"])
            ws.write(row, 1, leaf.path[1], f["label"])
            ws.write(row, 2, leaf.path[2] if len(leaf.path) > 2 else "", f["label"])
            ws.write_number(row, 3, leaf.points, f["points"])
            unscored = []
            for i, call in enumerate(calls):
                s = call.score_of(leaf)
                if s.score is None:
                    ws.write_blank(row, 4 + i, None, f["number"])
                    unscored.append(call.label)
                else:
                    ws.write_number(row, 4 + i, s.score, f["number"])
            values = [call.score_of(leaf).points for call in calls]
            _write_derived(ws, row, c_extra, multi, n, leaf.points, values, f["number"], f["pct"])
            note = "未評分（以 0 分計）" if not multi and unscored else (
                f"未評分：{'、'.join(unscored)}" if unscored else "")
            ws.write(row, c_extra + len(extra), note, f["label"])
            _fit(ws, row, widths, {0: leaf.path[0], 1: leaf.path[1], 2: leaf.path[2] if len(leaf.path) > 2 else "",
                                   c_extra + len(extra): note})
            row += 1
        last = row - 1
        ws.write(row, 0, dim.name, f["sub_label"])
        ws.write(row, 1, "小計", f["sub_label"])
        ws.write(row, 2, "", f["sub_label"])
        ws.write_formula(row, 3, f"=SUM({cell_range(first, last, 3)})", f["sub"], dim.points)
        dims = [call.dimensions[d_index].score for call in calls]
        dim_values.append(dims)
        for i, value in enumerate(dims):
            ws.write_formula(row, 4 + i, f"=SUM({cell_range(first, last, 4 + i)})", f["sub"], value)
        _write_derived(ws, row, c_extra, multi, n, dim.points, dims, f["sub"], f["sub_pct"])
        ws.write(row, c_extra + len(extra), "", f["sub_label"])
        subtotal_rows.append(row)
        row += 1
    label_cells(ws, row, "總分", f["total_label"], 2)
    ws.write_formula(row, 3, sum_of(subtotal_rows, 3), f["total"], rubric.max)
    totals = [sum(v[i] for v in dim_values) for i in range(n)]
    for i, value in enumerate(totals):
        ws.write_formula(row, 4 + i, sum_of(subtotal_rows, 4 + i), f["total"], value)
    _write_derived(ws, row, c_extra, multi, n, rubric.max, totals, f["total"], f["total_pct"])
    ws.write(row, c_extra + len(extra), "", f["total_label"])
    total_row = row
    if rubric.bands:
        row += 1
        label_cells(ws, row, "等第", f["total_label"], 3)
        for i, call in enumerate(calls):
            c = 4 + i
            ws.write_formula(row, c, band_formula(rubric, xl_rowcol_to_cell(total_row, c),
                                                   xl_rowcol_to_cell(total_row, c)),
                             f["total"], call.band or "")
        if multi:
            avg_cell = xl_rowcol_to_cell(total_row, c_extra)
            ws.write_formula(row, c_extra, band_formula(rubric, avg_cell, avg_cell), f["total"],
                             rubric.band(sum(totals) / n) or "")
        ws.write(row, c_extra + len(extra), "", f["total_label"])
    print_setup(ws, HEADER_ROW, widths=widths)


def _write_derived(ws: Worksheet, row: int, col: int, multi: bool, n: int, points: float,
                   values: Sequence[float], fmt: Any, pct: Any) -> None:
    """平均 (several calls) or 失分 and 得分率 (one scoring) beside a row's scores."""
    if multi:
        span = f"{xl_rowcol_to_cell(row, 4)}:{xl_rowcol_to_cell(row, 3 + n)}"
        ws.write_formula(row, col, f"=AVERAGE({span})", fmt, sum(values) / n)
        return
    d, e = xl_rowcol_to_cell(row, 3), xl_rowcol_to_cell(row, 4)
    ws.write_formula(row, col, f"={d}-{e}", fmt, points - values[0])
    ws.write_formula(row, col + 1, f"=IF({d}=0,0,{e}/{d})", pct,
                     values[0] / points if points else 0)


def _write_gaps(wb: Workbook, f: dict[str, Any], result: ScoreResult) -> None:
    ws = wb.add_worksheet("差距分析")
    header = ["排名", "構面", "項目", "指標", "配分", "得分", "失分", "得分率"]
    widths = columns(ws, [6, 11, 16, 22, 7, 8, 8, 9])
    what = "（各通平均）" if result.label == "平均" else ""
    ws.write(0, 0, f"差距分析：依失分多寡排序{what}", f["title"])
    spanning_note(ws, 1, "失分 = 配分 − 得分；先改善失分最多的項目。", f["note"], widths, font_pt=9)
    _header(ws, header, widths, f)
    row = HEADER_ROW + 1
    for rank, s in enumerate(result.gaps, 1):
        path = s.leaf.path
        ws.write_number(row, 0, rank, f["points"])
        ws.write(row, 1, path[0], f["label"])
        ws.write(row, 2, path[1], f["label"])
        ws.write(row, 3, path[2] if len(path) > 2 else "", f["label"])
        ws.write_number(row, 4, s.leaf.points, f["number"])
        ws.write_number(row, 5, round(s.points, 10), f["number"])
        ws.write_number(row, 6, round(s.lost, 10), f["number"])
        ws.write_number(row, 7, s.points / s.leaf.points, f["pct"])
        _fit(ws, row, widths, {1: path[0], 2: path[1], 3: path[2] if len(path) > 2 else ""})
        row += 1
    if not result.gaps:
        spanning_note(ws, row, "各項皆得滿分，沒有失分項目。", f["note"], widths, font_pt=9)
    print_setup(ws, HEADER_ROW, widths=widths)


def _write_dimensions(wb: Workbook, f: dict[str, Any], result: ScoreResult,
                      calls: Sequence[ScoreResult]) -> None:
    ws = wb.add_worksheet("構面統計")
    header = ["構面", "配分", "得分", "失分", "得分率"]
    names = [d.name for d in result.dimensions] + [c.label for c in calls]
    widths = columns(ws, [fit_width(["各通總分", *names], minimum=14, maximum=30), 9, 9, 9, 9])
    ws.write(0, 0, "各構面得分" + ("（各通平均）" if calls else ""), f["title"])
    heights = {HEADER_ROW: _header(ws, header, widths, f)}
    row = HEADER_ROW + 1
    first = row
    for d in result.dimensions:
        ws.write(row, 0, d.name, f["label"])
        _fit(ws, row, widths, {0: d.name})
        ws.write_number(row, 1, d.max, f["number"])
        ws.write_number(row, 2, round(d.score, 10), f["number"])
        b, c = xl_rowcol_to_cell(row, 1), xl_rowcol_to_cell(row, 2)
        ws.write_formula(row, 3, f"={b}-{c}", f["number"], d.max - d.score)
        ws.write_formula(row, 4, f"=IF({b}=0,0,{c}/{b})", f["pct"], d.share)
        row += 1
    last = row - 1
    ws.write(row, 0, "合計", f["total_label"])
    for c in (1, 2, 3):
        ws.write_formula(row, c, f"=SUM({cell_range(first, last, c)})", f["total"],
                         [result.max, result.total, result.max - result.total][c - 1])
    b, c = xl_rowcol_to_cell(row, 1), xl_rowcol_to_cell(row, 2)
    ws.write_formula(row, 4, f"=IF({b}=0,0,{c}/{b})", f["total_pct"],
                     result.total / result.max if result.max else 0)

    sheet = "構面統計"
    # Charts go below their tables, as wide as a portrait page holds at 100 %: printed whole,
    # their labels at the size they were drawn (beside the table they shrank the page to 5 pt).
    chart_width, span = chart_span(widths, CHART_WIDTH)
    height = 60 + 48 * len(result.dimensions)
    blocks = [(0, row), chart_block(row + 2, height)]
    chart = wb.add_chart({"type": "bar"})
    for c, name, color in ((1, "配分", palette.REFERENCE), (2, "得分", palette.SERIES)):
        chart.add_series({
            "name": name,
            "categories": [sheet, first, 0, last, 0],
            "values": [sheet, first, c, last, c],
            "fill": {"color": color},
            "data_labels": {"value": True},
        })
    chart.set_title({"name": "各構面配分與得分"})
    chart.set_y_axis({"reverse": True})  # first 構面 at the top, as in the table
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": chart_width, "height": height})
    ws.insert_chart(row + 2, 0, chart)
    row = blocks[-1][1] + 1

    if calls:
        row += 1
        table = row
        ws.write(row, 0, "各通總分", f["title"])
        row += 1
        for c, h in enumerate(["通次", "總分", "等第"]):
            ws.write(row, c, h, f["header"])
        ws.set_row(row, fit_height(zip(["通次", "總分", "等第"], widths, strict=False)))
        row += 1
        first_call = row
        for call in calls:
            ws.write(row, 0, call.label, f["label"])
            _fit(ws, row, widths, {0: call.label})
            ws.write_number(row, 1, round(call.total, 10), f["number"])
            ws.write(row, 2, call.band or "", f["label"])
            row += 1
        ws.write(row, 0, "平均", f["total_label"])
        avg = sum(c.total for c in calls) / len(calls)
        ws.write_formula(row, 1, f"=AVERAGE({cell_range(first_call, row - 1, 1)})", f["total"], avg)
        ws.write(row, 2, result.rubric.band(avg) or "", f["total_label"])
        chart2 = wb.add_chart({"type": "column"})
        chart2.add_series({"name": "總分", "categories": [sheet, first_call, 0, row - 1, 0],
                           "values": [sheet, first_call, 1, row - 1, 1],
                           "fill": {"color": palette.SERIES}, "data_labels": {"value": True}})
        chart2.set_title({"name": "各通電話禮貌測試總分"})
        chart2.set_y_axis({"min": 0, "max": result.max})
        chart2.set_legend({"none": True})
        chart2.set_size({"width": chart_width, "height": 300})
        ws.insert_chart(row + 2, 0, chart2)
        blocks += [(table, row), chart_block(row + 2, 300)]
    a4(ws, landscape=False, widths=span, repeat_rows=HEADER_ROW, freeze=(HEADER_ROW + 1, 0),
       blocks=blocks, heights=heights)


def write_comparison(dst: str | Path, comparison: Comparison) -> Path:
    """The comparison as a sheet: per leaf, per 構面 and total, with differences."""
    la, lb = comparison.labels
    dst = Path(dst)
    with new_workbook(dst) as wb:
        f = formats(wb)
        ws = wb.add_worksheet("比較")
        header = ["構面", "項目", "指標", "配分", la, lb, f"差異（{lb}−{la}）"]
        widths = columns(ws, [11, 16, 22, 7, 10, 10, 12])
        ws.write(0, 0, f"{comparison.rubric.title}　{la} 與 {lb} 比較", f["title"])
        ws.write(1, 0, "評分基準", f["meta_label"])
        ws.write(1, 1, comparison.rubric.name, f["meta"])
        _header(ws, header, widths, f)
        row = HEADER_ROW + 1
        for r in comparison.leaves:
            ws.write(row, 0, r.path[0], f["label"])
            ws.write(row, 1, r.path[1], f["label"])
            ws.write(row, 2, r.path[2] if len(r.path) > 2 else "", f["label"])
            _fit(ws, row, widths, dict(enumerate(r.path)))
            ws.write_number(row, 3, r.max, f["points"])
            ws.write_number(row, 4, round(r.a, 10), f["number"])
            ws.write_number(row, 5, round(r.b, 10), f["number"])
            ws.write_formula(row, 6, f"={xl_rowcol_to_cell(row, 5)}-{xl_rowcol_to_cell(row, 4)}",
                             f["number"], r.diff)
            row += 1
        row += 1
        ws.write(row, 0, "各構面", f["title"])
        row += 1
        _header(ws, ["構面", "", "", "配分", la, lb, "差異"], widths, f, row)
        row += 1
        for d in [*comparison.dimensions, comparison.total]:
            fmt = f["total_label"] if d is comparison.total else f["label"]
            num = f["total"] if d is comparison.total else f["number"]
            ws.write(row, 0, d.path[0], fmt)
            _fit(ws, row, widths, {0: d.path[0]})
            ws.write(row, 1, "", fmt)
            ws.write(row, 2, "", fmt)
            ws.write_number(row, 3, d.max, num)
            ws.write_number(row, 4, round(d.a, 10), num)
            ws.write_number(row, 5, round(d.b, 10), num)
            ws.write_formula(row, 6, f"={xl_rowcol_to_cell(row, 5)}-{xl_rowcol_to_cell(row, 4)}",
                             num, d.diff)
            row += 1
        ws.conditional_format(HEADER_ROW + 1, 6, row - 1, 6, {
            "type": "cell", "criteria": "<", "value": 0, "format": f["bad"]})
        print_setup(ws, HEADER_ROW, widths=widths)
    return dst


#: Charts below a table are at least this wide (pixels): readable, and within a portrait page.
CHART_WIDTH = 560


def _label(ws: Worksheet, row: int, col: int, label: str, fmt: Any) -> None:
    """A year or call label: 113 as a number (Excel's green triangle otherwise), 第1通 as text."""
    text = label.strip()
    if text.isdigit() and len(text) <= 4:
        ws.write_number(row, col, int(text), fmt)
    else:
        ws.write_string(row, col, label, fmt)


def _header(ws: Worksheet, header: Sequence[str], widths: Sequence[float], f: dict[str, Any],
            row: int = HEADER_ROW) -> float:
    """The header row, its labels wrapped in a row tall enough (returned); years as numbers."""
    for c, h in enumerate(header):
        _label(ws, row, c, h, f["header"])
    height = fit_height(zip(header, widths, strict=False))
    ws.set_row(row, height)
    return height


def _fit(ws: Worksheet, row: int, widths: Sequence[float], texts: dict[int, str]) -> None:
    """Set the row's height so each of its wrapped texts ({column: text}) shows in full."""
    height = fit_height((text, widths[c]) for c, text in texts.items())
    if height > fit_height([]):
        ws.set_row(row, height)
