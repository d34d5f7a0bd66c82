"""The sheets ``collect`` keeps in the master besides the control sheet itself.

* 彙整紀錄 — every value taken or refused, appended month by month: time, file, unit, task,
  field, old and new value, the result (the master cells written, or why not) and, for a
  refused value, where in the returned file it was. ``open_conflicts`` reads back what the
  latest collect refused, for ``status`` and the meeting report.
* 共同辦理進度 — each unit's latest return of a shared task (各課…), one row per task and unit;
  the master shows them combined (``toolkit.schedule.shared``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath
from typing import Any

from toolkit.io.read import Table, Workbook
from toolkit.roc import ROC_OFFSET
from toolkit.schedule.collect import Conflict, Recorded, SharedState, Taken, show
from toolkit.schedule.months import parse_months
from toolkit.schedule.shared import UnitReturn
from toolkit.schedule.status import OpenConflict
from toolkit.sheetkit.cells import cell_ref, parse_ref
from toolkit.sheetkit.page import NewSheet
from toolkit.sheetkit.width import fit_height
from toolkit.text import clean_text, is_blank, parse_percent

LOG_SHEET = "彙整紀錄"
SHARED_SHEET = "共同辦理進度"
LOG_HEADERS = ("彙整時間", "來源檔案", "承辦單位", "編號", "工作內容", "項目", "原值", "新值", "結果", "位置")
SHARED_HEADERS = ("編號", "工作內容", "承辦單位", "實際月份", "完成度", "落後原因及因應對策", "備註",
                  "來源檔案", "更新時間")
#: Column widths: the 民國 time, a file name and a unit fit one line; task, values and
#: result wrap (their rows are given heights, which no spreadsheet program grows by itself).
LOG_LAYOUT = NewSheet(widths=(17, 18, 12, 6, 28, 12, 14, 14, 30, 10), number_formats={6: "0%", 7: "0%"})
SHARED_LAYOUT = NewSheet(widths=(6, 28, 12, 14, 8, 26, 16, 18, 17), number_formats={4: "0%"})
LAYOUTS = {LOG_SHEET: LOG_LAYOUT, SHARED_SHEET: SHARED_LAYOUT}
NOT_APPLIED = "未套用："
RECORDED = "已記錄（共同辦理：各單位的回報保存在「共同辦理進度」，總表顯示合併後的值）"


def now() -> str:
    """彙整時間 as the office writes a date: 民國 (115/11/29 13:49)."""
    moment = dt.datetime.now()
    return f"{moment.year - ROC_OFFSET}/{moment:%m/%d %H:%M}"


def stamp_order(text: str) -> tuple[int, ...]:
    """A 彙整時間 as a sortable tuple; a Gregorian one written by an older svcq counts as 民國."""
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if numbers and numbers[0] > ROC_OFFSET:
        numbers[0] -= ROC_OFFSET
    return tuple(numbers)


def _read(book: Workbook, name: str) -> tuple[Table, dict[str, int]] | None:
    """The sheet and {header: column} of its first row, when the workbook has it."""
    if name not in book.sheet_names:
        return None
    table = book.table(name, uncached_formulas=True)
    if not table.rows:
        return None
    return table, {clean_text(v): c for c, v in enumerate(table.rows[0]) if not is_blank(v)}


def id_value(item_id: str) -> int | str:
    """編號 as Excel should hold it: 12 as a number (sorts 1, 2, … 10, no green triangle),
    「1-2」 or 「甲」 as text."""
    return int(item_id) if item_id.isdigit() and len(item_id) < 10 else item_id


def row_heights(edits: dict[str, Any]) -> dict[str, dict[int, float]]:
    """{sheet: {row (1-based): points}} for the rows ``edits`` write in the record sheets,
    tall enough for their wrapped text."""
    cells: dict[str, dict[int, list[tuple[Any, float]]]] = {}
    for address, value in edits.items():
        sheet, ref = address.rsplit("!", 1)
        layout = LAYOUTS.get(sheet)
        if layout is None:
            continue
        row, col = parse_ref(ref)
        if col < len(layout.widths):
            cells.setdefault(sheet, {}).setdefault(row + 1, []).append((value, layout.widths[col]))
    return {sheet: {row: fit_height(texts) for row, texts in rows.items()} for sheet, rows in cells.items()}


def _logged(field_name: str, value: str) -> str | float:
    """A logged value as the cell holds it: a 完成度 as a number (shown as a percentage)."""
    if field_name == "完成度" and value.endswith("%"):
        try:
            share = parse_percent(value)
        except ValueError:
            share = None
        if share is not None:
            return share
    return value


def _text(value: Any) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# ── 共同辦理進度 ─────────────────────────────────────────────────────────────────────────

def read_shared_state(book: Workbook) -> tuple[SharedState, dict[tuple[tuple[str, str], str], int], int]:
    """(each unit's latest return by (task key, unit), the sheet row of each, the next free row)."""
    found = _read(book, SHARED_SHEET)
    if found is None:
        return {}, {}, 0
    table, cols = found
    state: SharedState = {}
    rows: dict[tuple[tuple[str, str], str], int] = {}

    def get(row: list[Any], label: str) -> Any:
        c = cols.get(label)
        return row[c] if c is not None and c < len(row) else None

    for r, row in enumerate(table.rows[1:], start=1):
        key = (clean_text(get(row, "編號")), _text(get(row, "工作內容")))
        unit = _text(get(row, "承辦單位"))
        if not all(key) or not unit:
            continue
        months = _text(get(row, "實際月份"))
        try:
            actual = parse_months(months) if months and months != "（無）" else ()
            completion = parse_percent(get(row, "完成度"))
        except ValueError:
            continue  # a row someone typed over: that unit starts again from the master's values
        state[(key, unit)] = UnitReturn(key, unit, actual, completion, _text(get(row, "落後原因及因應對策")),
                                        _text(get(row, "備註")), _text(get(row, "來源檔案")) or "（總表原值）")
        rows[(key, unit)] = table.origin[0] + r
    return state, rows, table.origin[0] + len(table.rows)


def shared_edits(book: Workbook, returns: Iterable[UnitReturn], stamp: str) -> dict[str, Any]:
    """Cells of 共同辦理進度 holding each unit's latest return (rows updated or appended)."""
    _, rows, next_row = read_shared_state(book)
    edits: dict[str, Any] = {}
    if next_row == 0:
        edits.update({f"{SHARED_SHEET}!{cell_ref(0, c)}": h for c, h in enumerate(SHARED_HEADERS)})
        next_row = 1
    for ret in returns:
        r = rows.get((ret.key, ret.unit))
        if r is None:
            r, next_row = next_row, next_row + 1
        values = (id_value(ret.key[0]), ret.key[1], ret.unit, show("實際月份", ret.actual), ret.completion,
                  ret.reason or None, ret.note or None, ret.file or "（總表原值）", stamp)
        edits.update({f"{SHARED_SHEET}!{cell_ref(r, c)}": v for c, v in enumerate(values)})
    return edits


# ── 彙整紀錄 ────────────────────────────────────────────────────────────────────────────

def log_edits(book: Workbook, taken: list[Taken], conflicts: list[Conflict],
              recorded: Sequence[Recorded] = (), stamp: str | None = None) -> dict[str, Any]:
    """Rows for the 彙整紀錄 sheet, appended below earlier months' rows when it exists."""
    stamp = stamp or now()
    found = _read(book, LOG_SHEET)
    start = 0
    edits: dict[str, Any] = {}
    if found is not None:
        table, cols = found
        start = table.origin[0] + len(table.rows)
        if "位置" not in cols:  # a log begun before the column existed
            edits[f"{LOG_SHEET}!{cell_ref(table.origin[0], LOG_HEADERS.index('位置'))}"] = "位置"
    rows: list[tuple[Any, ...]] = [] if start else [LOG_HEADERS]
    rows += [(stamp, PurePath(t.file).name, t.unit, t.id, t.task, t.field, t.old, t.new,
              "已套用（" + "、".join(t.cells) + "）", "") for t in taken]
    rows += [(stamp, PurePath(r.file).name, r.unit, r.id, r.task, r.field, r.old, r.new, RECORDED, "")
             for r in recorded]
    rows += [(stamp, "、".join(Path(f).name for f in c.files), "", c.id, c.task, c.title, "", "",
              NOT_APPLIED + c.message, c.cell) for c in conflicts]
    if not taken and not conflicts and not recorded:
        rows.append((stamp, "", "", "", "", "", "", "", "沒有需要更新的內容", ""))
    id_col, field_col = LOG_HEADERS.index("編號"), LOG_HEADERS.index("項目")
    for r, row in enumerate(rows, start=start):
        for c, value in enumerate(row):
            if value in ("", None):
                continue
            cell: Any = str(value)
            if row is not LOG_HEADERS and c == id_col:
                cell = id_value(cell)
            elif row is not LOG_HEADERS and c in (id_col + 3, id_col + 4):  # 原值, 新值
                cell = _logged(str(row[field_col]), cell)
            edits[f"{LOG_SHEET}!{cell_ref(r, c)}"] = cell
    return edits


def open_conflicts(book: Workbook) -> list[OpenConflict]:
    """The conflicts the latest collect did not apply: what the meeting still has to settle."""
    found = _read(book, LOG_SHEET)
    if found is None:
        return []
    table, cols = found

    def get(row: list[Any], label: str) -> str:
        c = cols.get(label)
        return _text(row[c]) if c is not None and c < len(row) else ""

    rows = [row for row in table.rows[1:] if get(row, "彙整時間")]
    if not rows:
        return []
    latest = max((get(row, "彙整時間") for row in rows), key=stamp_order)
    return [OpenConflict(get(row, "項目"), get(row, "結果").removeprefix(NOT_APPLIED), get(row, "來源檔案"),
                         get(row, "位置"), get(row, "編號"), get(row, "工作內容"), latest)
            for row in rows
            if get(row, "彙整時間") == latest and get(row, "結果").startswith(NOT_APPLIED)]
