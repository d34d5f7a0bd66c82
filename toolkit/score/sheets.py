"""The self-score sheet (自評表): writing it blank or filled, reading it back and scoring it,
merging the parts each 課室 filled, comparing two scorings. The output workbooks (計分結果,
比較) are in score_results_xlsx and re-exported here.

Every SUM/IF svcq writes carries the value Excel would compute, so a reader that trusts
cached values (and LibreOffice recalculating on load) sees the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from toolkit.io.read import Table, Workbook, open_workbook
from toolkit.io.xlsx import new_workbook
from toolkit.problems import SvcqError
from toolkit.score.layout import Cell, SheetScores, find_layout, leaf_names, read_sheet
from toolkit.score.merge import MergeResult
from toolkit.score.rubric import Leaf, Rubric, name_key
from toolkit.score.rubric_files import DEFAULT_RUBRIC, builtin_names, load_rubric
from toolkit.score.rubric_sheets import add_rubric_sheet, rubric_in_book
from toolkit.score.scoring import CallsResult, ScoreResult, score
from toolkit.score.sheet_style import (
    HEADER_ROW,
    band_formula,
    cell_range,
    excel_number,
    formats,
    label_cells,
    print_setup,
    ranges_text,
    row_runs,
    sum_of,
    whole,
)
from toolkit.sheetkit.cells import quote_sheet
from toolkit.sheetkit.page import columns, spanning_note
from toolkit.sheetkit.width import fit_height
from toolkit.text import is_blank

__all__ = ["merge_edits", "open_score_sheet", "result_from_sheet", "write_sheet", "write_template"]

SCORE_LABEL = "自評分數"
SHEET_SELF = "自評表"
SHEET_CALLS = "電話禮貌測試"
#: The 具體作法 guide column: 9 pt text wrapping in 66 units (76 units of 8 pt printed at 5 pt).
_GUIDE_WIDTH = 66
_GUIDE_PT = 9


# ----------------------------------------------------------------------------- the sheet


def call_labels(n: int) -> list[str]:
    return [f"第{i}通" for i in range(1, n + 1)]


def write_sheet(dst: str | Path, rubric: str | Path | Rubric = DEFAULT_RUBRIC, *,
                calls: int | None = None, scores: Mapping[str, Mapping[str, Any]] | None = None,
                evidence: Mapping[str, Any] | None = None, office: str = "", year: str = "",
                deterministic: bool = False) -> Path:
    """Write a self-score sheet for ``rubric``.

    One 自評分數 column, or ``calls`` score columns (第1通…) for a test with several calls.
    ``scores`` pre-fills it: {column label: {leaf name: value}} (samples, tests); values are
    written as given, so a text such as 「４.５」 stays text as a user would have typed it.
    """
    rubric = load_rubric(rubric)
    labels = list(scores) if scores and (calls or len(scores) > 1) else (
        call_labels(calls) if calls else [SCORE_LABEL])
    scores = scores or {}
    if labels == [SCORE_LABEL] and scores and SCORE_LABEL not in scores:
        scores = {SCORE_LABEL: next(iter(scores.values()))}
    evidence = evidence or {}
    single = labels == [SCORE_LABEL]
    tail = ["佐證資料", "具體作法"] if single else ["備註", "評分說明"]
    header = ["構面", "項目", "指標", "配分", *labels, *tail]
    n_score = len(labels)
    col_score = 4
    col_tail = col_score + n_score
    dst = Path(dst)
    with new_workbook(dst, deterministic=deterministic) as wb:
        f = formats(wb)
        ws = wb.add_worksheet(SHEET_SELF if single else SHEET_CALLS)
        widths = columns(ws, [11, 16, 20, 7, *([10] * n_score), 26 if single else 20, _GUIDE_WIDTH])
        ws.write(0, 0, sheet_title(rubric, office, year, single), f["title"])
        ws.set_row(0, 24)
        ws.write(1, 0, "評分基準", f["meta_label"])
        ws.write(1, 1, rubric.name, f["meta"])
        ws.write(1, 2, "機關", f["meta_label"])
        ws.merge_range(1, 3, 1, 4, office, f["meta"])
        ws.write(1, col_tail, "年度", f["meta_label"])
        _write_value(ws, 1, col_tail + 1, year_value(year), f["meta"])
        what = "自評分數" if single else "各通分數（欄名可改為測試日期或受測課室）"
        note = (f"本表依「{rubric.title}」評分。填寫說明：於「{what}」填 0 至配分之間的數字（可有小數）；"
                "超過配分或不是數字會標色。小計與總分自動加總。請勿修改「構面」「項目」「指標」的名稱"
                "（svcq 依名稱對應配分）。")
        spanning_note(ws, 2, note, f["note"], widths, font_pt=9)
        for c, h in enumerate(header):
            ws.write(HEADER_ROW, c, h, f["header"])
        ws.set_row(HEADER_ROW, fit_height(zip(header, widths, strict=True), minimum=22))

        row = HEADER_ROW + 1
        subtotal_rows: list[int] = []
        leaf_ranges: list[tuple[int, int]] = []
        sums = {label: 0.0 for label in labels}
        dim_sums: dict[str, float] = {}
        for dim in rubric.dimensions:
            first = row
            dim_sums = {label: 0.0 for label in labels}
            leaves = [leaf for leaf in rubric.leaves if leaf.dimension == dim.name]
            for leaf in leaves:
                ws.write(row, 0, leaf.path[0], f["label"])
                ws.write(row, 1, leaf.path[1], f["label"])
                ws.write(row, 2, leaf.path[2] if len(leaf.path) > 2 else "", f["label"])
                ws.write_number(row, 3, leaf.points, f["points"])
                for i, label in enumerate(labels):
                    value = _lookup(scores.get(label, {}), leaf)
                    _write_value(ws, row, col_score + i, value, f["input"])
                    dim_sums[label] += excel_number(value)
                given = _lookup(evidence, leaf) or ""
                ws.write(row, col_tail, given, f["text_input"])
                ws.write(row, col_tail + 1, leaf.guidance, f["guide"])
                ws.set_row(row, max(fit_height([(leaf.guidance, _GUIDE_WIDTH)], _GUIDE_PT, minimum=20),
                                    fit_height(zip(leaf.path, widths, strict=False)),
                                    fit_height([(given, widths[col_tail])])))
                ws.data_validation(row, col_score, row, col_tail - 1, {
                    "validate": "decimal", "criteria": "between", "minimum": 0,
                    "maximum": whole(leaf.points), "ignore_blank": True,
                    "input_title": f"配分 {leaf.points:g} 分",
                    "input_message": f"請填 0 到 {leaf.points:g} 之間的數字",
                    "error_title": "分數超出範圍",
                    "error_message": f"「{leaf.name}」請填 0 到 {leaf.points:g} 之間的數字",
                })
                row += 1
            leaf_ranges.append((first, row - 1))
            ws.write(row, 0, dim.name, f["sub_label"])
            ws.write(row, 1, "小計", f["sub_label"])
            ws.write(row, 2, "", f["sub_label"])
            ws.write_formula(row, 3, f"=SUM({cell_range(first, row - 1, 3)})", f["sub"], dim.points)
            for i, label in enumerate(labels):
                c = col_score + i
                ws.write_formula(row, c, f"=SUM({cell_range(first, row - 1, c)})", f["sub"],
                                 dim_sums[label])
                sums[label] += dim_sums[label]
            ws.write(row, col_tail, "", f["sub_label"])
            ws.write(row, col_tail + 1, "", f["sub_label"])
            subtotal_rows.append(row)
            row += 1

        label_cells(ws, row, "總分", f["total_label"], 2)
        ws.write_formula(row, 3, sum_of(subtotal_rows, 3), f["total"], rubric.max)
        for i, label in enumerate(labels):
            ws.write_formula(row, col_score + i, sum_of(subtotal_rows, col_score + i), f["total"],
                             sums[label])
        ws.write(row, col_tail, "", f["total_label"])
        ws.write(row, col_tail + 1, "", f["total_label"])
        total_row = row
        if rubric.bands:
            row += 1
            label_cells(ws, row, "等第", f["total_label"], 3)
            for i, label in enumerate(labels):
                c = col_score + i
                filled = any(not _is_blank_value(_lookup(scores.get(label, {}), leaf))
                             for leaf in rubric.leaves)
                cached = (rubric.band(sums[label]) or "") if filled else ""
                ws.write_formula(row, c, band_formula(rubric, xl_rowcol_to_cell(total_row, c),
                                                       ranges_text(leaf_ranges, c)),
                                 f["total"], cached)
            ws.write(row, col_tail, "", f["total_label"])
            ws.write(row, col_tail + 1, "", f["total_label"])
            band_lines = "；".join(
                f"{b.label} ≥ {b.min:g}" for b in rubric.bands)
            spanning_note(ws, row + 2, f"等第：{band_lines}", f["note"], widths, font_pt=9)

        _highlight(ws, leaf_ranges, col_score, col_tail - 1, f)
        print_setup(ws, HEADER_ROW, widths=widths)
        ws.print_area(0, 0, row + (2 if rubric.bands else 0), len(header) - 1)
        ws.set_selection(HEADER_ROW + 1, col_score, HEADER_ROW + 1, col_score)
        add_rubric_sheet(wb, rubric)  # compute, merge and compare need no rubric file
    return dst


def year_value(year: str) -> int | str:
    """年度 as Excel should hold it: 113 a number (no green triangle), 「113年」 kept as typed."""
    text = year.strip()
    return int(text) if text.isdigit() and len(text) <= 4 else year


def sheet_title(rubric: Rubric, office: str, year: str, single: bool = True) -> str:
    """「西嶼鄉戶政事務所113年度 提升服務品質自評表」 from --office / --year; without them the
    rubric's own title. Never a county the user did not name."""
    kind = "自評表" if single else "測試紀錄表"
    year = year.removesuffix("年度").removesuffix("年")
    prefix = f"{office}{f'{year}年度' if year else ''}"
    if not prefix:
        return f"{rubric.title}　{kind}"
    if single:
        return f"{prefix} 提升服務品質{kind}"
    return f"{prefix} {rubric.title}{'' if rubric.title.endswith('表') else kind}"


def write_template(path: str | Path) -> None:
    """The blank penghu-107 self-score sheet (``svcq template score``)."""
    write_sheet(path, DEFAULT_RUBRIC, deterministic=True)


def _lookup(values: Mapping[str, Any], leaf: Leaf) -> Any:
    key = name_key(leaf.name)
    for k, v in values.items():
        if name_key(k) == key or k == leaf.label:
            return v
    return None


def _is_blank_value(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Any) -> None:
    if _is_blank_value(value):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _highlight(ws: Worksheet, ranges: Sequence[tuple[int, int]], c1: int, c2: int,
               f: dict[str, Any]) -> None:
    """Over-cap or negative scores red, text that is not a number amber."""
    for first, last in ranges:
        cell = xl_rowcol_to_cell(first, c1)
        points = f"$D{first + 1}"
        ws.conditional_format(first, c1, last, c2, {
            "type": "formula", "criteria": f"=AND(ISNUMBER({cell}),OR({cell}>{points},{cell}<0))",
            "format": f["bad"]})
        ws.conditional_format(first, c1, last, c2, {
            "type": "formula", "criteria": f'=AND({cell}<>"",NOT(ISNUMBER({cell})))',
            "format": f["warn"]})


# ----------------------------------------------------------------------------- reading


def open_score_sheet(path: str | Path, rubric: str | Path | Rubric | None = None,
                     sheet: str | None = None) -> tuple[Rubric, SheetScores]:
    """Find the score sheet in ``path``, decide its rubric and read every row against it."""
    book = open_workbook(path)
    table = _score_table(book, path, sheet)
    layout = find_layout(table)
    rubric_obj = _decide_rubric(book, table, layout, rubric)
    return rubric_obj, read_sheet(table, rubric_obj, layout)


def _score_table(wb: Workbook, path: str | Path, sheet: str | None) -> Table:
    if sheet is not None:
        return wb.table(sheet)
    names = [s for s in wb.sheet_names if s not in wb.hidden_sheets]
    names.sort(key=lambda s: s not in (SHEET_SELF, SHEET_CALLS))
    for name in names:
        table = wb.table(name)
        try:
            find_layout(table)
        except SvcqError:
            continue
        return table
    raise SvcqError("找不到自評表（需要有「構面」「項目」「配分」「自評分數」等欄位名稱的工作表）",
                    file=path, code="no-header")


def _decide_rubric(book: Workbook, table: Table, layout: Any, rubric: str | Path | Rubric | None) -> Rubric:
    """``--rubric`` when given; else the rubric the workbook carries (its hidden sheet), the
    built-in its 評分基準 cell names, or the built-in whose leaf names the sheet uses."""
    if rubric is not None:
        return load_rubric(rubric)
    recorded = layout.meta.get("rubric")
    if recorded:
        carried = rubric_in_book(book, recorded)
        if carried is not None:
            return carried
        if recorded in builtin_names():
            return load_rubric(recorded)
        raise SvcqError(f"此表使用評分基準「{recorded}」，不是內建的，表內也沒有保存評分基準；"
                        "請以 --rubric 指定其評分標準表或 YAML 檔",
                        file=table.file, sheet=table.sheet, code="no-rubric")
    # No 評分基準 cell (an office's own copy): the built-in whose leaf names the sheet uses.
    names = {name_key(n) for n in leaf_names(table, layout)}
    best, hits = None, 0
    for candidate in (load_rubric(n) for n in builtin_names()):
        found = sum(name_key(leaf.name) in names for leaf in candidate.leaves)
        if found > hits and found * 2 >= len(candidate.leaves):
            best, hits = candidate, found
    if best is None:
        raise SvcqError("無法判斷此表使用哪個評分基準（表上沒有「評分基準」欄，項目名稱也不符內建基準）；"
                        "請以 --rubric 指定", file=table.file, sheet=table.sheet, code="no-rubric")
    return best


def result_from_sheet(rubric: Rubric, sheet: SheetScores, *, blank_as_zero: bool = False,
                      label: str | None = None) -> ScoreResult | CallsResult:
    missing = Cell(None, sheet.file, sheet.sheet)
    base_label = label or sheet.layout.meta.get("year") or Path(sheet.file).stem
    results = [score(rubric, cells, blank_as_zero=blank_as_zero, missing=missing,
                     label=base_label if len(sheet.columns) == 1 else column)
               for column, cells in sheet.columns.items()]
    problems = list(sheet.problems)
    seen = set()
    for r in results:
        for p in r.problems:
            if p.code == "missing-leaf" and p.message in seen:
                continue  # once per leaf, not once per call column
            seen.add(p.message)
            problems.append(p)
    if len(results) == 1 and sheet.labels[0] and name_key(sheet.labels[0]) in {
            name_key(SCORE_LABEL), "自評", "自評分", "得分", "自評得分"}:
        results[0].problems = problems
        return results[0]
    return CallsResult(rubric, results, problems)


# ----------------------------------------------------------------------------- merge, compare


def merge_edits(rubric: Rubric, sheet: SheetScores, result: MergeResult) -> dict[str, Any]:
    """The cells to write into the base sheet: scores, 佐證資料, and every formula svcq can
    recompute (小計, 總分, 等第) with its new cached value."""
    from toolkit.io.patch import Formula

    name = sheet.sheet or ""
    edits: dict[str, Any] = {}

    def at(row: int, col: int) -> str:
        return f"{quote_sheet(name)}!{xl_rowcol_to_cell(row, col)}"

    for label, col in sheet.layout.score_columns:
        column = label if label in sheet.columns else next(iter(sheet.columns))
        values: dict[Leaf, float] = {}
        for leaf, row in sheet.leaf_rows.items():
            value = result.values.get((column, leaf))
            if value is None:
                old = sheet.columns[column][leaf].value
                values[leaf] = excel_number(old)  # untouched cell: what SUM already adds
                continue
            values[leaf] = value
            edits[at(row, col)] = int(value) if float(value).is_integer() else value
        dim_total: dict[str, float] = {}
        for dim, sub_row in sheet.subtotal_rows.items():
            rows = sorted(r for leaf, r in sheet.leaf_rows.items() if leaf.dimension == dim)
            if not rows:
                continue
            dim_total[dim] = sum(v for leaf, v in values.items() if leaf.dimension == dim)
            edits[at(sub_row, col)] = Formula(_sum_rows(rows, col), dim_total[dim])
        total = sum(values.values())
        if sheet.total_row is not None:
            if sheet.subtotal_rows and set(sheet.subtotal_rows) >= {d.name for d in rubric.dimensions}:
                formula = sum_of([sheet.subtotal_rows[d.name] for d in rubric.dimensions], col)
            else:
                formula = _sum_rows(sorted(sheet.leaf_rows.values()), col)
            edits[at(sheet.total_row, col)] = Formula(formula, total)
            if rubric.bands and sheet.band_row is not None:
                ranges = row_runs(sorted(sheet.leaf_rows.values()), col)
                scored = any((column, leaf) in result.values
                             or not is_blank(sheet.columns[column][leaf].value)
                             for leaf in sheet.leaf_rows)
                edits[at(sheet.band_row, col)] = Formula(
                    band_formula(rubric, xl_rowcol_to_cell(sheet.total_row, col), ranges),
                    (rubric.band(total) or "") if scored else "")
    ev_col = sheet.layout.columns.get("evidence")
    if ev_col is not None:
        for leaf, text in result.evidence.items():
            old = sheet.evidence.get(leaf)
            if leaf in sheet.leaf_rows and (old is None or str(old.value).strip() != text):
                edits[at(sheet.leaf_rows[leaf], ev_col)] = text
    return edits


def _sum_rows(rows: Sequence[int], col: int) -> str:
    return f"=SUM({row_runs(rows, col)})"


