"""作業時程管制表 files: load the plan list, write the control sheet, read it back by its labels.

Layout (the contract other tools rely on): sheet ``作業時程管制表``; row 1 the title
``{office}{year}年度重要工作計畫作業時程管制表``; row 2 a note (``填報單位：…`` on a copy split
for one unit) and the caption ``預定作業時程(107年度)`` over the months; row 3 the header
labels. Each task takes two rows, ``預定`` (planned months hold ``●`` on a shaded fill, so
readers without colours still see them) and ``實際``; 編號 and 計畫項目 are merged over the
item's rows, 承辦單位, 工作內容, 完成度, 落後原因及因應對策 and 備註 over the task's two rows.
Reading goes by header labels and (編號, 工作內容), never by position, so copies whose rows
were sorted, padded with blank rows or given an extra column still read correctly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from toolkit.io.atomic import check_output_path
from toolkit.io.read import Table, Workbook, open_workbook, read_table
from toolkit.io.xlsx import new_workbook
from toolkit.problems import Problem, ProblemsFound, SvcqError
from toolkit.schedule.adopt import Adoption, AdoptOptions
from toolkit.schedule.collect import Change
from toolkit.schedule.model import ControlSheet, Plan, Task, TaskKey
from toolkit.schedule.months import is_mark
from toolkit.schedule.plan import cell_text, free_text, header_label, parse_plan, row_number
from toolkit.schedule.record_sheets import LOG_SHEET, SHARED_SHEET, id_value
from toolkit.schedule.units import with_owners
from toolkit.sheetkit.cells import cell_ref, column_index, parse_ref, quote_sheet
from toolkit.sheetkit.formats import GOOD, HEADER_FILL, TITLE_SIZE, HouseFormats
from toolkit.sheetkit.headers import find_header_row
from toolkit.sheetkit.page import a4, columns
from toolkit.sheetkit.width import cell_lines, line_height
from toolkit.text import clean_text, is_blank, parse_percent, squash
from toolkit.values import is_error

SHEET = "作業時程管制表"
MONTH_SHEET = "月別工作項目"
MONTH_LABELS = tuple(f"{m}月" for m in range(1, 13))
HEADERS = ("編號", "計畫項目", "承辦單位", "工作內容", "預定/實際", *MONTH_LABELS, "完成度",
           "落後原因及因應對策", "備註")
PLANNED, ACTUAL = "預定", "實際"
#: The mark svcq writes for a planned or an actual month (any non-blank mark is read as one).
MARK = "●"
TITLE_SUFFIX = "年度重要工作計畫作業時程管制表"
HEADER_ROW = 2  # 0-based: title, note/caption, header
FIRST_DATA_ROW = HEADER_ROW + 1
COL = {label: i for i, label in enumerate(HEADERS)}
MONTH_COL0 = COL["1月"]
WIDTHS = {"編號": 5, "計畫項目": 16, "承辦單位": 11, "工作內容": 28, "預定/實際": 6,
          "完成度": 7, "落後原因及因應對策": 26, "備註": 12}
MONTH_WIDTH = 4.2
LINE_HEIGHT = line_height(11)  # points per wrapped line
TEMPLATE_ROWS = 10
_UNIT_NOTE = re.compile(r"填報單位[:：]\s*([^\s　（(]+)")
_TITLE = re.compile(r"^(?P<office>.*?)(?P<year>\d{1,3})" + TITLE_SUFFIX + "$")
_CAPTION_YEAR = re.compile(r"(\d{1,3})年度")


# ── plan list ────────────────────────────────────────────────────────────────────────────

def load_plan(path: str | Path) -> Plan:
    """The plan list (CSV utf-8/Big5, xlsx, xls, ods): Plan, or ProblemsFound naming each row."""
    plan, problems = parse_plan(read_table(path))
    if problems:
        raise ProblemsFound(problems)
    return plan


# ── writing ──────────────────────────────────────────────────────────────────────────────

def _lines(text: str, width: float) -> int:
    return cell_lines(text, width)


class _Formats(HouseFormats):
    """The house formats plus the control sheet's own (planned months shaded, 完成度 in %)."""

    def __init__(self, wb: Any) -> None:
        super().__init__(wb)
        cell = {"border": 1}
        self.title = self.add(font_size=TITLE_SIZE, bold=True, align="center")
        self.note = self.add(font_size=10)
        self.caption = self.add(**cell, bold=True, align="center", bg_color=HEADER_FILL)
        self.text = self.wrap
        self.planned_label = self.add(**cell, align="center", bg_color="#EDF3FA")
        self.planned = self.add(**cell, align="center", bg_color="#9BC2E6")
        self.percent = self.add(**cell, align="center", num_format="0%")
        # merged over many rows, labels sit at the top: a merge crossing a page break prints
        # its centred text on neither page
        self.month = self.add(**cell, align="center", valign="top", text_wrap=True)
        self.item = self.add(**cell, valign="top", text_wrap=True)
        self.done = wb.add_format(GOOD)


def _as_tasks(plan: Plan | ControlSheet | Iterable[Task]) -> Plan:
    if isinstance(plan, Plan):
        return plan
    if isinstance(plan, ControlSheet):
        return plan.plan
    return Plan(list(plan))


def write_control_sheet(plan: Plan | ControlSheet | Iterable[Task], dst: str | Path, year: int,
                        office: str, *, unit: str | None = None) -> Path:
    """Write the control sheet and the 月別工作項目 sheet to ``dst`` (.xlsx, or .ods via LibreOffice).

    Progress already on the tasks (實際 months, 完成度, reasons, notes) is written too, so a
    copy split from a collected master carries last month's state. ``unit`` names the 課室 a
    split copy is for (shown as ``填報單位：…``, read back by ``collect``).
    """
    tasks = _as_tasks(plan)
    dst = Path(dst)
    check_output_path([], dst)
    with new_workbook(dst) as wb:
        fmt = _Formats(wb)
        _write_control(wb, fmt, tasks, year, office, unit)
        _write_months(wb, fmt, tasks, year, office)
    return dst


def _title(office: str, year: int | str) -> str:
    return f"{office}{year}{TITLE_SUFFIX}"


def _write_control(wb: Any, fmt: _Formats, plan: Plan, year: int | str, office: str,
                   unit: str | None, *, blank_rows: int = 0) -> None:
    ws = wb.add_worksheet(SHEET)
    last_col = len(HEADERS) - 1
    widths = columns(ws, [WIDTHS.get(label, MONTH_WIDTH) for label in HEADERS])
    heights: dict[int, float] = {0: 30, HEADER_ROW: 33}
    blocks: list[tuple[int, int]] = []  # each item, and each task's 預定 and 實際 rows
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last_col, _title(office, year), fmt.title)
    note = (f"填報單位：{unit}　請於「實際」列標記已執行的月份，並填寫完成度與落後原因" if unit
            else "「預定」列藍底●為預定月份；各課室於「實際」列標記已執行月份")
    ws.merge_range(1, 0, 1, COL["預定/實際"], note, fmt.note)
    ws.merge_range(1, MONTH_COL0, 1, MONTH_COL0 + 11, f"預定作業時程({year}年度)", fmt.caption)
    ws.merge_range(1, COL["完成度"], 1, last_col, "", fmt.note)
    ws.set_row(HEADER_ROW, 33)
    for c, label in enumerate(HEADERS):
        ws.write_string(HEADER_ROW, c, label, fmt.header)

    r = FIRST_DATA_ROW
    for item_id, project, tasks in plan.items():
        first = r
        for t in tasks:
            heights[r] = heights[r + 1] = _write_task(ws, fmt, r, t)
            blocks.append((r, r + 1))
            r += 2
        blocks.append((first, r - 1))
        # top-aligned: an item running onto the next page shows its 編號 and name where it starts
        _merge_or_write(ws, first, r - 1, COL["編號"], id_value(item_id), fmt.month)
        _merge_or_write(ws, first, r - 1, COL["計畫項目"], project, fmt.item)
        short = _lines(project, WIDTHS["計畫項目"]) * LINE_HEIGHT + 4 - sum(heights[rr] for rr in range(first, r))
        if short > 0:  # a long 計畫項目 over its tasks' rows: grow them by what it lacks
            for rr in range(first, r):
                heights[rr] += short / (r - first)
                ws.set_row(rr, heights[rr])
    for _ in range(blank_rows):
        _write_task(ws, fmt, r, None)
        r += 2
        _merge_or_write(ws, r - 2, r - 1, COL["編號"], "", fmt.center)
        _merge_or_write(ws, r - 2, r - 1, COL["計畫項目"], "", fmt.text)
    last_row = max(r - 1, FIRST_DATA_ROW)

    months = f"{cell_ref(FIRST_DATA_ROW, MONTH_COL0)}:{cell_ref(last_row, MONTH_COL0 + 11)}"
    label_col = f"${cell_ref(FIRST_DATA_ROW, COL['預定/實際'])[:-len(str(FIRST_DATA_ROW + 1))]}"
    # A month marked on an 實際 row turns green as staff type, in Excel and LibreOffice alike.
    ws.conditional_format(months, {
        "type": "formula",
        "criteria": f'=AND({label_col}{FIRST_DATA_ROW + 1}="{ACTUAL}",'
                    f'LEN({cell_ref(FIRST_DATA_ROW, MONTH_COL0)})>0)',
        "format": fmt.done})
    ws.data_validation(FIRST_DATA_ROW, COL["完成度"], last_row, COL["完成度"], {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1,
        "error_type": "warning", "ignore_blank": True,
        "input_title": "完成度", "input_message": "請填 0%–100%，例：80%",
        "error_title": "完成度超出範圍", "error_message": "完成度應介於 0% 與 100% 之間（例：80%）"})
    ws.print_area(0, 0, last_row, last_col)
    a4(ws, widths=widths, repeat_rows=(0, HEADER_ROW), freeze=(FIRST_DATA_ROW, COL["預定/實際"] + 1),
       blocks=blocks, heights=heights)


def _merge_or_write(ws: Any, r1: int, r2: int, c: int, value: Any, cell_format: Any) -> None:
    if r1 == r2:
        ws.write(r1, c, value, cell_format)
    else:
        ws.merge_range(r1, c, r2, c, "", cell_format)
        if isinstance(value, int | float) and not isinstance(value, bool):
            ws.write_number(r1, c, value, cell_format)
        else:
            ws.write_string(r1, c, str(value), cell_format)


def _write_task(ws: Any, fmt: _Formats, r: int, t: Task | None) -> float:
    """A task's 預定 and 實際 rows; returns the height given to each."""
    _merge_or_write(ws, r, r + 1, COL["承辦單位"], t.unit if t else "", fmt.center)
    _merge_or_write(ws, r, r + 1, COL["工作內容"], t.task if t else "", fmt.text)
    ws.write_string(r, COL["預定/實際"], PLANNED, fmt.planned_label)
    ws.write_string(r + 1, COL["預定/實際"], ACTUAL, fmt.center)
    for m in range(1, 13):
        c = MONTH_COL0 + m - 1
        if t and m in t.planned:
            ws.write_string(r, c, MARK, fmt.planned)
        else:
            ws.write_blank(r, c, None, fmt.center)
        if t and m in t.actual:
            ws.write_string(r + 1, c, MARK, fmt.center)
        else:
            ws.write_blank(r + 1, c, None, fmt.center)
    ws.merge_range(r, COL["完成度"], r + 1, COL["完成度"], "", fmt.percent)
    if t and t.completion is not None:
        ws.write_number(r, COL["完成度"], t.completion, fmt.percent)
    _merge_or_write(ws, r, r + 1, COL["落後原因及因應對策"], t.reason if t else "", fmt.text)
    _merge_or_write(ws, r, r + 1, COL["備註"], t.note if t else "", fmt.text)
    if t:
        height = _task_height(t)
        ws.set_row(r, height)
        ws.set_row(r + 1, height)
        return height
    return 15.0


def _task_height(t: Task) -> float:
    """The height of each of a task's two rows: its texts wrap over both in full."""
    lines = max(_lines(t.task, WIDTHS["工作內容"]), _lines(t.reason, WIDTHS["落後原因及因應對策"]),
                _lines(t.unit, WIDTHS["承辦單位"]), _lines(t.note, WIDTHS["備註"]))
    return max(18.0, (lines * LINE_HEIGHT + 4) / 2)


def grown_rows(base: ReadSheet, changes: Iterable[Change]) -> dict[int, float]:
    """{row (1-based): points} for the task rows whose 落後原因及因應對策 or 備註 a collect
    writes: a longer text than the sheet was written with would print cut, since no program
    grows a row by itself. Rows of the other tasks keep their heights."""
    new: dict[TaskKey, dict[str, str]] = {}
    for change in changes:
        if change.field in ("落後原因及因應對策", "備註"):
            new.setdefault(change.key, {})[change.field] = str(change.new or "")
    tasks = base.sheet.by_key()
    heights: dict[int, float] = {}
    for key, texts in new.items():
        task, where = tasks.get(key), base.cells.get(key)
        if task is None or where is None or where.planned_row is None or where.actual_row is None:
            continue
        task = replace(task, reason=texts.get("落後原因及因應對策", task.reason), note=texts.get("備註", task.note))
        for row in (where.planned_row, where.actual_row):
            heights[row + 1] = _task_height(task)
    return heights


_MONTH_SHEET_HEADERS = ("月份", "編號", "計畫項目", "工作內容", "承辦單位")
_MONTH_SHEET_WIDTHS = (7, 6, 30, 44, 14)
_CJK_MONTHS = ("一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月",
               "十一月", "十二月")


def _write_months(wb: Any, fmt: _Formats, plan: Plan, year: int | str, office: str) -> None:
    """月別工作項目 (the longjing layout): each month and the tasks planned in it."""
    ws = wb.add_worksheet(MONTH_SHEET)
    for c, width in enumerate(_MONTH_SHEET_WIDTHS):
        ws.set_column(c, c, width)
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, len(_MONTH_SHEET_HEADERS) - 1, f"{office}{year}年度月別工作項目",
                   fmt.title)
    for c, label in enumerate(_MONTH_SHEET_HEADERS):
        ws.write_string(1, c, label, fmt.header)
    r = 2
    for month, tasks in plan.by_month().items():
        first = r
        if not tasks:
            ws.merge_range(r, 1, r, len(_MONTH_SHEET_HEADERS) - 1, "（本月無預定工作）", fmt.center)
            r += 1
        for t in tasks:
            _merge_or_write(ws, r, r, 1, id_value(t.id), fmt.center)
            ws.write_string(r, 2, t.project, fmt.text)
            ws.write_string(r, 3, t.task, fmt.text)
            ws.write_string(r, 4, t.unit, fmt.center)
            lines = max(_lines(t.project, _MONTH_SHEET_WIDTHS[2]), _lines(t.task, _MONTH_SHEET_WIDTHS[3]),
                        _lines(t.unit, _MONTH_SHEET_WIDTHS[4]))
            ws.set_row(r, max(18.0, lines * LINE_HEIGHT + 4))
            r += 1
        _merge_or_write(ws, first, r - 1, 0, _CJK_MONTHS[month - 1], fmt.month)
    ws.print_area(0, 0, r - 1, len(_MONTH_SHEET_HEADERS) - 1)
    # five columns: portrait by its shape, about half again as many rows a page as landscape
    a4(ws, landscape=None, widths=_MONTH_SHEET_WIDTHS, repeat_rows=(0, 1), freeze=(2, 0))


def write_template(path: str | Path) -> None:
    """The blank control sheet (``svcq template schedule``): ten empty task pairs to fill in."""
    with new_workbook(path, deterministic=True) as wb:
        fmt = _Formats(wb)
        _write_control(wb, fmt, Plan(), "○○○", "○○戶政事務所", None, blank_rows=TEMPLATE_ROWS)
        _write_months(wb, fmt, Plan(), "○○○", "○○戶政事務所")


# ── reading ──────────────────────────────────────────────────────────────────────────────

@dataclass
class TaskCells:
    """Where a task sits (0-based sheet rows); write targets for progress fields."""

    planned_row: int | None = None
    actual_row: int | None = None


@dataclass
class ReadSheet:
    """A control sheet read with everything ``collect`` needs to write back to it."""

    sheet: ControlSheet
    table: Table
    cols: dict[str, int]  # label → 0-based sheet column
    cells: dict[TaskKey, TaskCells]
    problems: list[Problem] = field(default_factory=list)
    task_problems: dict[TaskKey, list[Problem]] = field(default_factory=dict)
    #: set when the sheet is not svcq's layout but an office's own, read by adoption
    adoption: Adoption | None = None

    def target(self, key: TaskKey, label: str) -> str | None:
        """A1 of the cell holding ``label`` (完成度/落後原因及因應對策/備註 or 'N月') for a task:
        on the 實際 row, or the top-left cell of a merge covering it."""
        where = self.cells[key]
        row = where.actual_row if where.actual_row is not None else where.planned_row
        if row is None or label not in self.cols:
            return None
        col = self.cols[label]
        if not label.endswith("月"):
            for (r0, c0), (r1, c1) in self.table.merged:
                if r0 <= row <= r1 and c0 <= col <= c1:
                    return cell_ref(r0, c0)
        elif where.actual_row is None:
            return None
        return cell_ref(row, col)


def _header_key(value: Any) -> str:
    label = header_label(value)
    if label.startswith("落後原因"):
        return "落後原因及因應對策"
    if label in ("預定實際", "預定/實際", "預定或實際", "進度", "類別"):
        return "預定/實際"
    m = re.fullmatch(r"0?(\d{1,2})月?", label)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{int(m.group(1))}月"
    return label


_REQUIRED = tuple(h for h in HEADERS if h != "備註")


def _find_columns(table: Table) -> tuple[int, dict[str, int]] | None:
    found = find_header_row(table.rows, _header_key, lambda cols: "編號" in cols and "工作內容" in cols
                            and sum(m in cols for m in MONTH_LABELS) >= 6)
    if found is None:
        return None
    r, cols = found
    return r, {h: cols[h] for h in HEADERS if h in cols}


def _standard_table(book: Workbook) -> Table | None:
    """svcq's own control sheet in the workbook: the 作業時程管制表 sheet, else any sheet with its
    header row and every column it needs (a copy may have been renamed or re-saved); None when
    there is none."""
    names = ([SHEET] if SHEET in book.sheet_names else []) + [
        n for n in book.sheet_names if n not in (SHEET, MONTH_SHEET, LOG_SHEET, SHARED_SHEET)]
    for name in names:
        table = book.table(name)
        found = _find_columns(table)
        if found is not None and all(h in found[1] for h in _REQUIRED):
            return table
    return None


def _adopted(book: Workbook, copy: bool) -> ReadSheet:
    """An office's own control sheet, read as ``svcq schedule adopt`` reads it; a returned
    ``copy`` need not say whose each task is (the master does)."""
    from toolkit.schedule.adopt_files import adopt_book

    adoption, table = adopt_book(book, AdoptOptions(need_year=False, need_unit=not copy))
    if not adoption.found:
        why = adoption.problems[0].message if adoption.problems else ""
        raise SvcqError(f"找不到作業時程管制表：沒有 svcq 管制表的標題列（{'、'.join(HEADERS[:5])}、"
                        f"1月…12月），也無法判讀為事務所自己的管制表（{why}）", file=book.path,
                        sheet=table.sheet, code="not-a-control-sheet")
    cols = {name: column_index(letter) for name, letter in adoption.columns.items()}
    cols |= {f"{m}月": column_index(letter) for m, letter in adoption.months.items()}
    cells: dict[TaskKey, TaskCells] = {}
    task_problems: dict[TaskKey, list[Problem]] = {}
    for reading in adoption.tasks:
        key = reading.task.key
        actual = parse_ref(next(iter(reading.actual_row.values())))[0] if reading.actual_row else None
        planned = reading.rows[0] - 1 if reading.rows and reading.rows[0] - 1 != actual else None
        cells[key] = TaskCells(planned, actual)
        task_problems[key] = [p for p in adoption.problems
                              if p.code == "bad-completion" and p.cell == reading.cells.get("完成度")]
    return ReadSheet(adoption.sheet, table, cols, cells, list(adoption.problems),
                     {k: v for k, v in task_problems.items() if v}, adoption)


def _label(value: Any) -> str | None:
    text = squash(value)
    if text.startswith(PLANNED) or text in ("計畫", "預計"):
        return PLANNED
    if text.startswith(ACTUAL) or text in ("執行", "辦理情形", "實際進度"):
        return ACTUAL
    return None


def _meta(table: Table, header: int) -> tuple[str, int | None, str | None]:
    office, year, unit = "", None, None
    for row in table.rows[:header]:
        for value in row:
            text = clean_text(value)
            if m := _TITLE.match(text.replace(" ", "")):
                office, year = m.group("office"), int(m.group("year"))
            elif m := _UNIT_NOTE.search(text):
                unit = m.group(1)
            elif year is None and (m := _CAPTION_YEAR.search(text)):
                year = int(m.group(1))
    return office, year, unit


def read_sheet(source: str | Path | Workbook, *, copy: bool = False) -> ReadSheet:
    """Read a control sheet or a returned copy (a path, or a workbook already opened through
    the input gate); problems are returned, not raised. A sheet that is not svcq's layout is
    read as ``svcq schedule adopt`` would read it (``ReadSheet.adoption`` then says so); for a
    returned ``copy`` a task without a unit is no problem."""
    book = source if isinstance(source, Workbook) else open_workbook(source)
    path = book.path
    table = _standard_table(book)
    if table is None:
        return _adopted(book, copy)
    header, cols_rel = _find_columns(table)  # type: ignore[misc]
    oc = table.origin[1]
    cols = {h: c + oc for h, c in cols_rel.items()}
    office, year, unit = _meta(table, header)
    problems: list[Problem] = []
    task_problems: dict[TaskKey, list[Problem]] = {}
    carried: dict[str, str] = {}

    def get(r: int, label: str) -> Any:
        return table.value(r, cols_rel[label]) if label in cols_rel else ""

    ids = ("編號", "計畫項目", "承辦單位", "工作內容")
    found: dict[TaskKey, dict[str, Any]] = {}
    for r in range(header + 1, len(table.rows)):
        kind = _label(get(r, "預定/實際"))
        own = {h: cell_text(h, get(r, h)) for h in ids}
        progress = [get(r, m) for m in MONTH_LABELS] + [get(r, h) for h in HEADERS[-3:]]
        if kind is None:
            if any(is_mark(v) for v in progress[:12]) and any(own.values()):
                problems.append(table.problem(r, cols_rel["預定/實際"], "no-row-kind",
                                              f"第 {row_number(table, r)} 列有月份標記，但「預定/實際」"
                                              "欄不是「預定」或「實際」"))
            continue
        if not any(own.values()) and all(is_blank(v) for v in progress) and (
                kind == PLANNED or not carried):
            carried = {}  # an empty pair (the template's), not the 實際 row of the task above
            continue
        for h in ids:  # merged cells read as blank below their first row: carry down
            carried[h] = own[h] or carried.get(h, "")
        key = (carried["編號"], carried["工作內容"])
        if not all(key):
            problems.append(table.problem(r, cols_rel["工作內容"], "missing-value",
                                          f"第 {row_number(table, r)} 列看不出屬於哪一項工作"
                                          "（編號或工作內容空白）"))
            continue
        rec = found.setdefault(key, {"project": carried["計畫項目"], "unit": carried["承辦單位"]})
        if kind in rec:
            problems.append(table.problem(
                r, cols_rel["工作內容"], "duplicate-task",
                f"第 {row_number(table, r)} 列：編號 {key[0]}「{key[1]}」的{kind}列重複出現"))
            continue
        rec[kind] = r

    def error_cell(r: int, label: str, key: TaskKey) -> bool:
        """An error value (#N/A…) is neither a mark nor a blank: a problem with the cell."""
        value = get(r, label)
        if not is_error(value):
            return False
        problem = table.problem(r, cols_rel[label], "cell-error",
                                f"編號 {key[0]}「{key[1]}」的{label}：儲存格顯示錯誤值 {value}，請修正該格")
        problems.append(problem)
        task_problems.setdefault(key, []).append(problem)
        return True

    def months_of(r: int | None, key: TaskKey) -> tuple[int, ...]:
        if r is None:
            return ()
        return tuple(m for m in range(1, 13)
                     if not error_cell(r, f"{m}月", key) and is_mark(get(r, f"{m}月")))

    tasks: list[Task] = []
    cells: dict[TaskKey, TaskCells] = {}
    for key, rec in found.items():
        p, a = rec.get(PLANNED), rec.get(ACTUAL)

        def pick(label: str, p: int | None = p, a: int | None = a) -> tuple[Any, int | None]:
            for r in (a, p):
                if r is not None and not is_blank(get(r, label)):
                    return get(r, label), r
            return "", None

        for label in ("完成度", "落後原因及因應對策", "備註"):
            for row_at in (p, a):
                if row_at is not None and label in cols_rel:
                    error_cell(row_at, label, key)
        raw, at = pick("完成度")
        completion = None
        if at is not None and not is_error(raw):
            try:
                completion = parse_percent(raw)
            except ValueError as exc:
                problem = table.problem(at, cols_rel["完成度"], "bad-completion",
                                        f"編號 {key[0]}「{key[1]}」的完成度：{exc}")
                problems.append(problem)
                task_problems.setdefault(key, []).append(problem)
        tasks.append(Task(key[0], rec["project"], rec["unit"], key[1], months_of(p, key), months_of(a, key),
                          completion, free_text(pick("落後原因及因應對策")[0]),
                          free_text(pick("備註")[0])))
        cells[key] = TaskCells(None if p is None else p + table.origin[0],
                               None if a is None else a + table.origin[0])
    # A shared 承辦單位 (各課, 「戶籍登記、資料課」) names units; a copy split for one unit knows
    # that unit too, and its doubts are the master's to report, not the copy's.
    tasks, doubts = with_owners(tasks, also=[unit] if unit else [])
    if unit is None:
        for text, doubt in doubts.items():
            key = next(t.key for t in tasks if t.unit == text)
            row = cells[key].planned_row if cells[key].planned_row is not None else cells[key].actual_row
            problems.append(Problem("unknown-shared-unit", doubt, str(path), table.sheet,
                                    cell_ref(row or 0, cols["承辦單位"])))
    sheet = ControlSheet(office, year, tasks, unit, str(path))
    return ReadSheet(sheet, table, cols, cells, problems, task_problems)


def read_control_sheet(source: str | Path | Workbook) -> ControlSheet:
    """The control sheet at ``source`` (xlsx/xls/ods); ProblemsFound listing every bad cell."""
    read = read_sheet(source)
    if read.problems:
        raise ProblemsFound(read.problems)
    return read.sheet


# ── write-back into a control sheet ─────────────────────────────────────────────────────

def edits_for(base: ReadSheet, change: Change, edits: dict[str, Any]) -> tuple[str, ...] | None:
    """Add the master cells a change writes to ``edits``; None when the master lacks them."""
    sheet = quote_sheet(base.table.sheet or SHEET)
    if change.field == "實際月份":
        old, new = set(change.old), set(change.new)
        values = {m: MARK for m in new - old} | {m: None for m in old - new}
        targets = {m: base.target(change.key, f"{m}月") for m in sorted(values)}
        if any(t is None for t in targets.values()):
            return None
        edits.update({f"{sheet}!{targets[m]}": v for m, v in values.items()})
        return tuple(t for t in targets.values() if t)
    target = base.target(change.key, change.field)
    if target is None:
        return None
    edits[f"{sheet}!{target}"] = change.new if change.new != "" else None
    return (target,)
