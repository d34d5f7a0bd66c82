"""The plan list (編號, 計畫項目, 承辦單位, 工作內容, 預定月份) → Plan, with every problem found."""

from __future__ import annotations

import unicodedata
from typing import Any

from toolkit.problems import Problem
from toolkit.schedule.model import Plan, Task
from toolkit.schedule.months import parse_months
from toolkit.schedule.units import with_owners
from toolkit.sheetkit.headers import HEADER_SCAN_ROWS, find_header_row
from toolkit.sheetkit.table import TableLike
from toolkit.text import clean_text, is_blank, squash

PLAN_HEADERS = ("編號", "計畫項目", "承辦單位", "工作內容", "預定月份")
#: Other labels offices use for the same columns.
_ALIASES = {
    "項次": "編號", "序號": "編號", "計畫名稱": "計畫項目", "工作項目": "計畫項目",
    "承辦課室": "承辦單位", "課室": "承辦單位", "辦理單位": "承辦單位", "主辦單位": "承辦單位",
    "工作事項": "工作內容", "預定作業時程": "預定月份", "預定時程": "預定月份", "月份": "預定月份",
}


def plain_text(value: Any) -> str:
    """User text kept as typed (full-width punctuation stays), outer and repeated spaces gone."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def free_text(value: Any) -> str:
    """落後原因 and 備註 keep their line breaks; only outer spaces go."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def cell_text(label: str, value: Any) -> str:
    """編號 is normalised (１ → 1, 1.0 → 1); names and descriptions stay as typed."""
    return clean_text(value) if label == "編號" else plain_text(value)


def header_label(value: Any) -> str:
    label = squash(value)
    return _ALIASES.get(label, label)


def find_header(table: TableLike, wanted: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    """The first row (of the top few) naming every ``wanted`` label → (row, {label: col})."""
    found = find_header_row(table.rows, header_label, lambda cols: all(w in cols for w in wanted))
    if found is None:
        return None
    r, cols = found
    return r, {w: cols[w] for w in wanted}


def row_number(table: TableLike, row: int) -> int:
    """The 1-based sheet row users see for rows[row]."""
    return int(table.ref(row, 0).lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def parse_plan(table: TableLike) -> tuple[Plan, list[Problem]]:
    """Read the plan list. Blank 編號/計畫項目/承辦單位 continue the item above (merged cells)."""
    found = find_header(table, PLAN_HEADERS)
    if found is None:
        where = table.sheet or "第一個工作表"
        return Plan(), [Problem("missing-header",
                                f"{where} 前 {HEADER_SCAN_ROWS} 列找不到標題列；需要這些欄位："
                                + "、".join(PLAN_HEADERS), table.file, table.sheet, "A1")]
    header, col = found
    problems: list[Problem] = []
    tasks: list[Task] = []
    projects: dict[str, tuple[str, str]] = {}  # 編號 → (計畫項目, cell) of its first row
    seen: dict[tuple[str, str], str] = {}
    unit_cells: dict[str, str] = {}  # 承辦單位 text → its first cell
    last: dict[str, str] = {}
    for r in range(header + 1, len(table.rows)):
        row = table.rows[r]

        def cell(label: str, row: list[Any] = row) -> Any:
            c = col[label]
            return row[c] if c < len(row) else ""

        if all(is_blank(cell(h)) for h in PLAN_HEADERS):
            continue
        line = f"第 {row_number(table, r)} 列"
        values = {h: cell_text(h, cell(h)) for h in PLAN_HEADERS[:4]}
        if not values["編號"] and last:
            for h in ("編號", "計畫項目", "承辦單位"):
                values[h] = values[h] or last.get(h, "")
        for h in PLAN_HEADERS[:4]:
            if not values[h]:
                problems.append(table.problem(r, col[h], "missing-value", f"{line}的「{h}」是空白的"))
        try:
            months = parse_months(cell("預定月份"))
        except ValueError as exc:
            problems.append(table.problem(r, col["預定月份"], "bad-months", f"{line}：{exc}"))
            months = ()
        if not all(values[h] for h in PLAN_HEADERS[:4]):
            continue
        last = values
        item_id = values["編號"]
        first = projects.setdefault(item_id, (values["計畫項目"], table.ref(r, col["計畫項目"])))
        if first[0] != values["計畫項目"]:
            problems.append(table.problem(
                r, col["計畫項目"], "item-mismatch",
                f"{line}：編號 {item_id} 的計畫項目「{values['計畫項目']}」與 {first[1]} 的"
                f"「{first[0]}」不同（同一編號須為同一計畫項目）"))
        key = (item_id, values["工作內容"])
        if key in seen:
            problems.append(table.problem(
                r, col["工作內容"], "duplicate-task",
                f"{line}：編號 {item_id} 的工作內容「{values['工作內容']}」與 {seen[key]} 重複"))
            continue
        seen[key] = table.ref(r, col["工作內容"])
        if months:
            tasks.append(Task(item_id, values["計畫項目"], values["承辦單位"], values["工作內容"],
                              months))
            unit_cells.setdefault(values["承辦單位"], table.ref(r, col["承辦單位"]))
    tasks, doubts = with_owners(tasks)  # 各課, 「戶籍登記、資料課」: the units they name
    problems += [Problem("unknown-shared-unit", doubt, table.file, table.sheet, unit_cells[text])
                 for text, doubt in doubts.items()]
    if not tasks and not problems:
        problems.append(Problem("empty-plan", "計畫清單沒有任何工作列", table.file, table.sheet,
                                table.ref(header + 1, 0)))
    return Plan(tasks), problems
