"""Reading the task rows of a hand-made control sheet: one row per task, or 預定/實際 pairs.

Each task becomes a ``Draft``: its texts, where every field sits, its planned and actual
months and where each came from (shading or marks). Doubts become problems; nothing is
chosen silently. Units are resolved afterwards for the whole sheet (``toolkit.schedule.adopt``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from toolkit.problems import Problem
from toolkit.schedule.layout import Grid, Layout, pair_label
from toolkit.schedule.legend import ACTUAL, FILL, PLANNED, mark_kind
from toolkit.schedule.months import format_months, is_mark
from toolkit.schedule.units import split_trailing_unit, unit_name
from toolkit.text import clean_text, is_blank

_FOOTER = re.compile(r"^[※＊*]?\s*(說明|註|備註|附註|備考|承辦人|製表|核稿|審核|覆核|主任|秘書|課長|填表"
                     r"|單位主管|機關首長|研考|圖例)")
FIELDS = ("編號", "計畫項目", "承辦單位", "工作內容", "完成度", "落後原因及因應對策", "備註")


@dataclass
class Draft:
    """A task as read from the sheet, before its units are resolved."""

    id: str
    project: str
    task: str
    at: tuple[int, int]  # grid (row, col) a problem about the task points at
    unit_text: str = ""
    unit_from: str = ""  # 承辦單位欄 / 計畫項目括號 / 工作內容括號 / 目標括號 / 指定
    cells: dict[str, str] = field(default_factory=dict)  # field → A1
    rows: list[int] = field(default_factory=list)  # sheet row numbers (1-based)
    planned: dict[int, str] = field(default_factory=dict)  # month → A1 read as planned
    planned_fill: set[int] = field(default_factory=set)
    planned_mark: set[int] = field(default_factory=set)
    actual: dict[int, str] = field(default_factory=dict)  # month → A1 read as actual
    actual_cells: dict[int, str] = field(default_factory=dict)  # the 實際 row's month cells
    values: dict[str, Any] = field(default_factory=dict)  # 完成度/落後原因/備註 as typed
    has_planned_row: bool = True


@dataclass
class RowMonths:
    marked: dict[int, str]  # month → mark kind
    shaded: dict[int, str]  # month → colour
    refs: dict[int, str]  # month → A1

    @property
    def empty(self) -> bool:
        return not self.marked and not self.shaded


@dataclass
class GridReading:
    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    marks: dict[str, Counter[str]] = field(default_factory=lambda: {PLANNED: Counter(), ACTUAL: Counter()})
    fills: dict[str, Counter[str]] = field(default_factory=lambda: {PLANNED: Counter(), ACTUAL: Counter()})
    footer: list[str] = field(default_factory=list)  # texts below the table (legends, signatures)
    pair_words: Counter[str] = field(default_factory=Counter)


@dataclass
class _Item:
    id: str
    project: str
    project_anchor: tuple[int, int] | None
    unit_paren: str | None
    cells: dict[str, str]
    at: tuple[int, int]
    unit_col: str = ""
    unit_cell: str = ""
    tasks: int = 0
    bad: bool = False


class GridReader:
    """Walks the data rows of a rows or pairs layout."""

    def __init__(self, grid: Grid, layout: Layout, legend: dict[str, str], marks_mean: str | None,
                 shading_readable: bool) -> None:
        self.g = grid
        self.lay = layout
        self.cols = layout.columns
        self.legend = legend
        self.marks_mean = marks_mean
        self.shading_readable = shading_readable
        self.out = GridReading()
        self.item: _Item | None = None
        self.draft: Draft | None = None
        self.task_anchor: tuple[int, int] | None = None
        self.next_auto_id = 1
        self.by_key: dict[tuple[str, str], Draft] = {}
        self.background = self._background_colours()
        self.kind_cells: dict[str, list[tuple[int, int]]] = {}  # mark kind → cells (one-row layout)

    # ── cells ──

    def col(self, name: str) -> int | None:
        return self.cols.get(name)

    def text(self, r: int, name: str) -> str:
        c = self.col(name)
        return "" if c is None else clean_text(self.g.value(r, c))

    def raw_text(self, r: int, name: str) -> str:
        c = self.col(name)
        if c is None or is_blank(v := self.g.value(r, c)):
            return ""
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)

    def ref(self, r: int, name: str) -> str:
        c = self.col(name)
        return "" if c is None else self.g.ref(*self.g.anchor(r, c))

    def _month_value(self, r: int, c: int) -> Any:
        r0, c0, r1, c1 = self.g.span(r, c)
        if r0 == r1 == r and c0 in self.lay.month_cols and c1 in self.lay.month_cols:
            return self.g.raw(r0, c0)  # one mark typed in a merge across months marks them all
        return self.g.raw(r, c)

    def months(self, r: int) -> RowMonths:
        marked, shaded, refs = {}, {}, {}
        for m, c in self.lay.months.items():
            refs[m] = self.g.ref(r, c)
            value = self._month_value(r, c)
            if is_mark(value):
                marked[m] = mark_kind(value)
            if colour := self.g.shade(r, c):
                shaded[m] = colour
        if len(shaded) == len(self.lay.months) and len(set(shaded.values())) == 1:
            colour = next(iter(shaded.values()))
            keys = [c for c in (self.col("預定/實際"), self.col("工作內容")) if c is not None]
            if colour in self.background or any(self.g.shade(r, k) == colour for k in keys):
                shaded = {}  # the whole row is tinted (banding), not 12 shaded months
        return RowMonths(marked, shaded, refs)

    def _background_colours(self) -> set[str]:
        """A colour covering all twelve months of most rows is the sheet's background."""
        full: Counter[str] = Counter()
        rows = 0
        for r in range(self.lay.data_start, self.g.height):
            colours = [self.g.shade(r, c) for c in self.lay.months.values()]
            if any(colours):
                rows += 1
                if all(colours) and len(set(colours)) == 1:
                    full[colours[0]] += 1  # type: ignore[index]
        out = {c for c, n in full.items() if n >= 3 and n >= 0.8 * rows}
        for colour in out:
            self.out.notices.append(f"網底 {colour} 塗滿大部分列的全部月份，視為表格底色，不當作預定月份")
        return out

    # ── the walk ──

    def read(self) -> GridReading:
        footer = False
        for r in range(self.lay.data_start, self.g.height):
            months = self.months(r)
            if self.g.row_blank(r) and months.empty:
                continue
            first = next((clean_text(v) for v in self.g.rows[r] if not is_blank(v)), "")
            if months.empty and (footer or (self.out.drafts and _FOOTER.match(first))):
                footer = True
                self.out.footer.append(" ".join(clean_text(v) for v in self.g.rows[r] if not is_blank(v)))
                continue
            footer = False
            self._row(r, months)
        self._close_item()
        self._mixed_marks()
        return self.out

    def _marks_explained(self) -> bool:
        return bool(self.marks_mean) or any(k != FILL for k in self.legend)

    def _mixed_marks(self) -> None:
        """Two kinds of marks on a one-row sheet (● and ○…) may mean 預定 and 實際: ask."""
        if self.lay.kind != "rows" or self._marks_explained() or len(self.kind_cells) < 2:
            return
        ordered = sorted(self.kind_cells.items(), key=lambda kv: -len(kv[1]))
        main, main_cells = ordered[0]
        for kind, cells in ordered[1:]:
            self.out.problems.append(self.g.problem(
                *cells[0], "ambiguous-marks",
                f"表上同時用了「{main}」（{self.g.ref(*main_cells[0])} 等 {len(main_cells)} 格）與"
                f"「{kind}」（{self.g.ref(*cells[0])} 等 {len(cells)} 格）標示月份，看不出兩者是否意思不同；"
                "請統一記號，或在表下加註圖例（例：「○表示預定，●表示實際」）"))

    def _row(self, r: int, months: RowMonths) -> None:
        self._item(r)
        kind = None
        if self.lay.kind == "pairs":
            label = self.g.raw(r, self.lay.label_col)  # type: ignore[arg-type]
            kind = pair_label(label)
            if kind:
                self.out.pair_words[clean_text(label)] += 1
        item = self.item
        if item is None:
            if not months.empty or self.text(r, "工作內容"):
                self._unplaced(r, "在第一個計畫項目（編號）之前，看不出屬於哪一項計畫")
            return
        if self.lay.kind == "pairs" and kind is None:
            if not months.empty:
                self._unplaced(r, "有月份標記，但「預定／實際」欄不是「預定」或「實際」")
            return
        task_raw = self.raw_text(r, "工作內容")
        tc = self.col("工作內容")
        anchor = self.g.anchor(r, tc) if tc is not None else None
        same_cell = anchor is not None and anchor == self.task_anchor and anchor[0] < r
        if kind == ACTUAL:
            self._actual_row(r, months, task_raw, same_cell)
            return
        if self.lay.kind == "rows" and same_cell and self.draft is not None:
            if not months.empty:
                self._unplaced(r, "與上一列共用同一格工作內容（合併儲存格），但表上沒有「預定／實際」欄，"
                                  "看不出這一列的月份標記是預定還是實際")
            self._progress(self.draft, r)
            return
        draft = self._new_task(r, task_raw, anchor, months)
        if draft is not None:
            self._planned(draft, r, months)

    def _item(self, r: int) -> None:
        """Start a new item when 編號 or 計畫項目 changes; blank cells continue the one above."""
        id_text = self.text(r, "編號")
        pc = self.col("計畫項目")
        project_raw = self.raw_text(r, "計畫項目")
        p_anchor = self.g.anchor(r, pc) if pc is not None else None
        project, paren = split_trailing_unit(project_raw, hinted="計畫項目" in self.lay.unit_hinted)
        item = self.item
        new_project = bool(project) and (item is None or p_anchor != item.project_anchor)
        if id_text:
            if item is not None and id_text == item.id:
                if new_project and project != item.project:
                    self.out.problems.append(self.g.problem(
                        r, pc, "item-mismatch",  # type: ignore[arg-type]
                        f"第 {self.g.row_no(r)} 列：編號 {id_text} 的計畫項目「{project}」與 "
                        f"{item.cells.get('計畫項目', '')}「{item.project}」不同（同一編號須為同一計畫項目）"))
                return
            self._start_item(r, id_text, project, p_anchor, paren)
        elif new_project and (item is None or project != item.project):
            if self.col("編號") is None:
                self._start_item(r, str(self.next_auto_id), project, p_anchor, paren)
                self.next_auto_id += 1
            else:
                self._start_item(r, "", project, p_anchor, paren)
                assert self.item is not None
                self.item.bad = True
                self.out.problems.append(self.g.problem(
                    r, self.col("編號"), "missing-id",  # type: ignore[arg-type]
                    f"第 {self.g.row_no(r)} 列的計畫項目「{project}」沒有編號"))

    def _close_item(self) -> None:
        item = self.item
        if item is not None and not item.tasks and not item.bad:
            self.out.problems.append(self.g.problem(
                *item.at, "no-planned-months",
                f"編號 {item.id}「{item.project}」沒有任何工作內容或預定月份"))

    def _start_item(self, r: int, item_id: str, project: str, p_anchor: tuple[int, int] | None,
                    paren: str | None) -> None:
        self._close_item()
        cells = {name: self.ref(r, name) for name in ("編號", "計畫項目") if self.col(name) is not None}
        pc, tc = self.col("計畫項目"), self.col("工作內容")
        at = (r, pc if pc is not None else tc if tc is not None else 0)
        self.item = _Item(item_id, project, p_anchor, paren, cells, at)
        self.draft = None
        self.task_anchor = None

    def _new_task(self, r: int, task_raw: str, anchor: tuple[int, int] | None,
                  months: RowMonths) -> Draft | None:
        item = self.item
        assert item is not None
        task, paren = split_trailing_unit(task_raw, hinted="工作內容" in self.lay.unit_hinted)
        if not task:
            if months.empty:
                return None  # a row naming only the item; its tasks follow
            if item.tasks:
                self._unplaced(r, "有月份標記，但工作內容是空白的，看不出是哪一項工作")
                return None
            task = item.project  # an item with one task and no separate 工作內容
            if self.col("工作內容") is not None:
                self.out.notices.append(f"第 {self.g.row_no(r)} 列的工作內容空白，以計畫項目「{task}」作為工作內容")
        if not item.project:
            if self.col("計畫項目") is not None and not item.bad:
                self.out.problems.append(self.g.problem(
                    r, self.col("計畫項目"), "missing-value",  # type: ignore[arg-type]
                    f"第 {self.g.row_no(r)} 列：編號 {item.id} 的計畫項目是空白的"))
                item.bad = True
            item.project = task
        unit_text, unit_from, unit_cell = self._unit(r, paren)
        tc = self.col("工作內容")
        at = (r, tc if tc is not None else item.at[1])
        draft = Draft(item.id, item.project, task, at, unit_text, unit_from,
                      {**item.cells, "工作內容": self.ref(r, "工作內容") or item.cells.get("計畫項目", "")})
        draft.cells["承辦單位"] = unit_cell
        item.tasks += 1
        self.task_anchor = anchor
        self.draft = draft
        key = (draft.id, draft.task)
        if item.bad:
            return draft  # its problem is listed; still read the row for the others
        if key in self.by_key:
            first = self.by_key[key]
            self.out.problems.append(self.g.problem(
                *at, "duplicate-task",
                f"第 {self.g.row_no(r)} 列：編號 {draft.id} 的工作內容「{task}」與第 {first.rows[0]} 列重複"))
            return draft
        self.by_key[key] = draft
        self.out.drafts.append(draft)
        return draft

    def _unit(self, r: int, task_paren: str | None) -> tuple[str, str, str]:
        """(unit text, where it was written, its cell): the 承辦單位 column (blank cells continue
        the item's), else the item's parenthesis, else the task's."""
        item = self.item
        assert item is not None
        uc = self.col("承辦單位")
        if uc is not None and (own := unit_name(self.text(r, "承辦單位"))):
            item.unit_col, item.unit_cell = own, self.ref(r, "承辦單位")
        if item.unit_col and item.unit_paren and item.unit_paren != item.unit_col:
            self.out.problems.append(self.g.problem(
                r, uc, "unit-conflict",  # type: ignore[arg-type]
                f"第 {self.g.row_no(r)} 列：承辦單位欄寫「{item.unit_col}」，計畫項目"
                f" {item.cells.get('計畫項目', '')} 的括號內寫「{item.unit_paren}」，兩者不同"))
        for text, where, cell in ((item.unit_col, "承辦單位欄", item.unit_cell),
                                  (item.unit_paren, "計畫項目括號", item.cells.get("計畫項目", "")),
                                  (task_paren, "工作內容括號", self.ref(r, "工作內容"))):
            if text:
                return text, where, cell
        return "", "", self.ref(r, "承辦單位") or item.cells.get("計畫項目", "")

    def _planned(self, draft: Draft, r: int, months: RowMonths) -> None:
        draft.rows.append(self.g.row_no(r))
        if self.lay.kind == "pairs":
            shaded, marked = set(months.shaded), set(months.marked)
            if shaded and marked and shaded != marked and not self._marks_explained():
                self.out.problems.append(self.g.problem(
                    r, self.lay.months[min(shaded ^ marked)], "ambiguous-marks",
                    f"第 {self.g.row_no(r)} 列（預定）的網底月份（{_months(shaded)}）與記號月份"
                    f"（{_months(marked)}）不一致，看不出哪一個才是預定月份：請讓兩者一致"))
            for m in set(months.marked) | set(months.shaded):
                draft.planned[m] = months.refs[m]
            draft.planned_fill |= set(months.shaded)
            draft.planned_mark |= set(months.marked)
            self._count(PLANNED, months, months.marked, months.shaded)
        else:
            self._single_row(draft, r, months)
        self._progress(draft, r)

    def _single_row(self, draft: Draft, r: int, months: RowMonths) -> None:
        """One row per task: shading and marks both say 預定 unless a legend says otherwise."""
        fill_role = self.legend.get(FILL, PLANNED)
        planned_marks: dict[int, str] = {}
        actual_marks: dict[int, str] = {}
        for m, kind in months.marked.items():
            role = self.marks_mean or self.legend.get(kind) or (PLANNED if not self._actual_marks_named()
                                                                else None)
            if role is None:
                self.out.problems.append(self.g.problem(
                    r, self.lay.months[m], "ambiguous-marks",
                    f"{months.refs[m]} 的記號「{kind}」不在表上的圖例中（圖例："
                    f"{'、'.join(f'{k}={v}' for k, v in self.legend.items())}），看不出是預定還是實際"))
                continue
            (planned_marks if role == PLANNED else actual_marks)[m] = kind
        shaded = dict(months.shaded)
        for m, kind in months.marked.items():
            self.kind_cells.setdefault(kind, []).append((r, self.lay.months[m]))
        if (shaded and months.marked and not self._marks_explained()
                and set(shaded) != set(months.marked)):
            self.out.problems.append(self.g.problem(
                r, self.lay.months[min(set(shaded) ^ set(months.marked))], "ambiguous-marks",
                f"第 {self.g.row_no(r)} 列的網底月份（{_months(shaded)}）與記號月份（{_months(months.marked)}）"
                "不一致，看不出記號是預定還是實際：請在表下加註圖例（例：「網底表示預定，●表示實際」），"
                "或改成預定、實際兩列"))
        if len(set(shaded.values())) > 1:
            colours: dict[str, list[int]] = {}
            for m, colour in sorted(shaded.items()):
                colours.setdefault(colour, []).append(m)
            self.out.problems.append(self.g.problem(
                r, self.lay.months[min(shaded)], "ambiguous-marks",
                f"第 {self.g.row_no(r)} 列的月份有不同網底（"
                + "；".join(f"{c}：{_months(ms)}" for c, ms in colours.items())
                + "），看不出是否代表不同意思（例如預定與實際）；請統一網底顏色，或改成預定、實際兩列"))
        planned_fill = set(shaded) if fill_role == PLANNED else set()
        actual_fill = set(shaded) if fill_role == ACTUAL else set()
        for m in planned_fill | set(planned_marks):
            draft.planned[m] = months.refs[m]
        for m in actual_fill | set(actual_marks):
            draft.actual[m] = months.refs[m]
        draft.planned_fill |= planned_fill
        draft.planned_mark |= set(planned_marks)
        self._count(PLANNED, months, planned_marks, {m: shaded[m] for m in planned_fill})
        self._count(ACTUAL, months, actual_marks, {m: shaded[m] for m in actual_fill})

    def _actual_marks_named(self) -> bool:
        return any(v == ACTUAL for k, v in self.legend.items() if k != FILL)

    def _actual_row(self, r: int, months: RowMonths, task_raw: str, same_cell: bool) -> None:
        task = split_trailing_unit(task_raw, hinted="工作內容" in self.lay.unit_hinted)[0]
        draft = self.draft
        if draft is None or not (same_cell or not task or task == draft.task):
            assert self.item is not None
            draft = self.by_key.get((self.item.id, task)) if task else None
            if draft is None:
                draft = self._new_task(r, task_raw, None, RowMonths({}, {}, {}))
                if draft is None:
                    if not months.empty:
                        self._unplaced(r, "是「實際」列，但看不出屬於哪一項工作")
                    return
                draft.has_planned_row = False
        if draft.actual_cells:
            self.out.problems.append(self.g.problem(
                r, self.lay.label_col, "duplicate-task",  # type: ignore[arg-type]
                f"第 {self.g.row_no(r)} 列：編號 {draft.id}「{draft.task}」的實際列重複出現"))
            return
        draft.rows.append(self.g.row_no(r))
        draft.actual_cells = dict(months.refs)
        for m in set(months.marked) | set(months.shaded):
            draft.actual[m] = months.refs[m]
        self._count(ACTUAL, months, months.marked, months.shaded)
        self._progress(draft, r)

    def _progress(self, draft: Draft, r: int) -> None:
        """完成度, 落後原因及因應對策 and 備註: the first filled cell among the task's rows."""
        for name in FIELDS[4:]:
            c = self.col(name)
            if c is None:
                continue
            ref = self.g.ref(*self.g.anchor(r, c))
            draft.cells.setdefault(name, ref)
            value = self.g.value(r, c)
            if is_blank(value):
                continue
            if name in draft.values and draft.cells[name] != ref and draft.values[name] != value:
                self.out.problems.append(self.g.problem(
                    r, c, "conflicting-values",
                    f"編號 {draft.id}「{draft.task}」的{name}在 {draft.cells[name]} 與 {ref} 寫得不同"))
                continue
            if name not in draft.values:
                draft.values[name] = value
                draft.cells[name] = ref

    def _count(self, role: str, months: RowMonths, marks: dict[int, str], fills: dict[int, str]) -> None:
        self.out.marks[role].update(marks.values())
        self.out.fills[role].update(fills.values())

    def _unplaced(self, r: int, why: str) -> None:
        self.out.problems.append(self.g.problem(r, 0, "unplaced-row", f"第 {self.g.row_no(r)} 列{why}"))


def _months(months: dict[int, Any] | set[int] | list[int]) -> str:
    return format_months(sorted(months)) + "月"


