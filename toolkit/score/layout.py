"""Reading a self-score sheet by its header labels, from plain cell values (no file I/O).

The sheet is found by its header row (構面 · 項目 · 指標 · 配分 · 自評分數 …), wherever it
sits; rows are matched to the rubric by the leaf's name, never by position, so a user may
sort, merge 構面 cells or insert a blank row. A sheet with several score columns instead of
自評分數 (電話禮貌測試: one column per call) gives one entry set per column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from toolkit.problems import Problem, SvcqError
from toolkit.score.rubric import Leaf, Rubric, name_key
from toolkit.sheetkit.headers import find_header_row
from toolkit.sheetkit.table import TableLike
from toolkit.text import clean_text, is_blank, squash

#: Column role → labels accepted in the header (compared after squash).
HEADERS: dict[str, tuple[str, ...]] = {
    "dimension": ("構面", "執行策略", "評分構面"),
    "item": ("項目", "執行指標", "評分項目"),
    "indicator": ("指標", "細項指標", "評分指標"),
    "points": ("配分", "滿分", "配分(分)"),
    "score": ("自評分數", "自評", "自評分", "得分", "自評得分"),
    "evidence": ("佐證資料", "佐證", "佐證說明"),
    "guidance": ("具體作法", "評分說明", "說明"),
    "note": ("備註",),
    "derived": ("平均", "失分", "得分率"),
}
LABEL_COLUMNS = ("dimension", "item", "indicator")
META_LABELS = {"評分基準": "rubric", "機關": "office", "年度": "year"}
SUBTOTAL_WORDS = ("小計",)
TOTAL_WORDS = ("總分", "合計", "總計")
SKIP_WORDS = ("等第", "平均")


@dataclass(frozen=True)
class Cell:
    """A value read from a sheet and where it came from."""

    value: Any
    file: str | None = None
    sheet: str | None = None
    ref: str | None = None

    def problem(self, code: str, message: str) -> Problem:
        return Problem(code, message, self.file, self.sheet, self.ref)


@dataclass
class Layout:
    header_row: int
    columns: dict[str, int]  # role → column index
    score_columns: list[tuple[str, int]]  # (label, column index)
    meta: dict[str, str]


@dataclass
class SheetScores:
    """Everything read from one sheet against one rubric."""

    file: str
    sheet: str | None
    layout: Layout
    #: per score column label: leaf → its cell
    columns: dict[str, dict[Leaf, Cell]] = field(default_factory=dict)
    evidence: dict[Leaf, Cell] = field(default_factory=dict)
    leaf_rows: dict[Leaf, int] = field(default_factory=dict)  # 0-based row in the grid
    subtotal_rows: dict[str, int] = field(default_factory=dict)  # 構面 → row
    total_row: int | None = None
    band_row: int | None = None  # 等第 under the total (rubrics with grade bands)
    problems: list[Problem] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.layout.score_columns]


def _role(value: Any) -> str | None:
    key = name_key(value)
    for role, labels in HEADERS.items():
        if key in {squash(label) for label in labels}:
            return role
    return None


def find_layout(grid: TableLike) -> Layout:
    """Locate the header row and the columns; SvcqError when the sheet is not a score sheet."""
    found = find_header_row(grid.rows, _role, lambda roles: {"dimension", "item", "points"} <= roles.keys())
    if found is not None:
        r, roles = found
        return Layout(r, roles, _score_columns(grid.rows[r], roles), _meta(grid.rows[:r]))
    raise SvcqError("找不到自評表的標題列（需要「構面」「項目」「配分」「自評分數」等欄位名稱）",
                    file=grid.file, sheet=grid.sheet, code="no-header")


def _score_columns(header: list[Any], roles: dict[str, int]) -> list[tuple[str, int]]:
    if "score" in roles:
        return [(clean_text(header[roles["score"]]), roles["score"])]
    return [(_header_label(v), c) for c, v in enumerate(header)
            if c > roles["points"] and not is_blank(v) and _role(v) is None]


def _header_label(value: Any) -> str:
    """A call column's name; a typed 3/12 that Excel made a date reads back as 3/12."""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.month}/{value.day}"
    return clean_text(value)


def _meta(rows: list[list[Any]]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for row in rows:
        for c, value in enumerate(row):
            text = clean_text(value)
            key, _, inline = text.partition("：") if "：" in text else text.partition(":")
            field_name = META_LABELS.get(squash(key))
            if not field_name:
                continue
            found = clean_text(inline) or next(
                (clean_text(v) for v in row[c + 1:] if not is_blank(v)), "")
            if found and squash(found) not in META_LABELS:  # not the next label of a blank field
                meta[field_name] = found
    return meta


def read_sheet(grid: TableLike, rubric: Rubric, layout: Layout | None = None) -> SheetScores:
    """Match each row to a rubric leaf and collect its score cells (problems, not exceptions)."""
    layout = layout or find_layout(grid)
    if not layout.score_columns:
        raise SvcqError("找不到「自評分數」欄（或各次測試的分數欄）", file=grid.file, sheet=grid.sheet,
                        code="no-score-column")
    out = SheetScores(grid.file, grid.sheet, layout, {label: {} for label, _ in layout.score_columns})
    label_cols = [layout.columns.get(role) for role in LABEL_COLUMNS]
    carried: list[str] = ["", ""]  # 構面 and 項目 carried down over merged or blank cells
    last_dimension = ""

    def cell(r: int, c: int) -> Cell:
        return Cell(_at(grid.rows[r], c), grid.file, grid.sheet, grid.ref(r, c))

    for r in range(layout.header_row + 1, len(grid.rows)):
        row = grid.rows[r]
        names = [clean_text(_at(row, c)) if c is not None else "" for c in label_cols]
        joined = "".join(names)
        scores = [(label, cell(r, c)) for label, c in layout.score_columns]
        if not joined:
            if any(not is_blank(s.value) for _, s in scores):
                out.problems.append(scores[0][1].problem(
                    "no-leaf-name", f"第 {r + 1} 列有分數，但沒有指標名稱"))
            continue
        if any(w in joined for w in TOTAL_WORDS):
            out.total_row = r
            for below in range(r + 1, min(r + 3, len(grid.rows))):
                if any(squash(_at(grid.rows[below], c)) == "等第" for c in label_cols if c is not None):
                    out.band_row = below
            break  # below the total: 等第, notes, signatures
        if any(w in joined for w in SUBTOTAL_WORDS):
            named = rubric_dimension(rubric, joined.replace("小計", ""))
            dim = named or names[0] or last_dimension
            if dim:
                out.subtotal_rows[dim] = r
            continue
        if any(squash(n) in SKIP_WORDS for n in names if n):
            continue
        if names[0]:
            if names[0] != carried[0]:
                carried[1] = ""
            carried[0] = names[0]
        if names[1]:
            carried[1] = names[1]
        if not names[2] and _is_heading(rubric, names[1] or names[0]):
            continue  # a 構面 or 項目 heading row above its leaves
        full = (carried[0], names[1] or (carried[1] if names[2] else ""), names[2])
        leaf = rubric.find(full)
        col = next(c for c in reversed(label_cols) if c is not None and not is_blank(_at(row, c)))
        if leaf is None:
            shown = names[2] or names[1] or names[0]
            out.problems.append(cell(r, col).problem(
                "unknown-leaf", f"「{shown}」不是評分基準 {rubric.name} 的計分項目"))
            continue
        if leaf in out.leaf_rows:
            out.problems.append(cell(r, col).problem(
                "duplicate-leaf", f"「{leaf.name}」重複出現（第 {out.leaf_rows[leaf] + 1} 列已有）"))
            continue
        out.leaf_rows[leaf] = r
        last_dimension = leaf.dimension
        for label, score_cell in scores:
            out.columns[label][leaf] = score_cell
        if "evidence" in layout.columns:
            out.evidence[leaf] = cell(r, layout.columns["evidence"])
    return out


def _is_heading(rubric: Rubric, name: str) -> bool:
    key = name_key(name)
    return any(name_key(n.name) == key and not n.is_leaf
               for d in rubric.dimensions for n in (d, *d.children))


def rubric_dimension(rubric: Rubric, text: str) -> str | None:
    key = name_key(text)
    return next((d.name for d in rubric.dimensions if name_key(d.name) == key), None)


def leaf_names(grid: TableLike, layout: Layout) -> list[str]:
    """Every name in the label columns below the header: used to recognise the rubric."""
    cols = [layout.columns[r] for r in LABEL_COLUMNS if r in layout.columns]
    return [clean_text(_at(row, c)) for row in grid.rows[layout.header_row + 1:] for c in cols
            if not is_blank(_at(row, c))]


def _at(row: list[Any], col: int) -> Any:
    return row[col] if col < len(row) else ""
