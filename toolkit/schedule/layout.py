"""Where things are on a hand-made control sheet: title rows, header rows, columns by label,
the month columns, and whether tasks take one row or a 預定/實際 pair (no file I/O).

A ``Grid`` wraps a sheet's values (a ``toolkit.io.read.Table``), its merged ranges and its
shaded cells; every position here is 0-based and relative to the table's first cell, and
``Grid.ref`` names it back as the A1 the user sees.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from toolkit.problems import Problem
from toolkit.text import clean_text, is_blank, nfkc, squash

Span = tuple[int, int, int, int]  # r0, c0, r1, c1 (inclusive)


class SheetLike(Protocol):
    """What adoption needs of a sheet (``toolkit.io.read.Table`` fits)."""

    file: str
    sheet: str | None
    rows: list[list[Any]]
    origin: tuple[int, int]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]

    def ref(self, row: int, col: int) -> str: ...


class Grid:
    """Values by merged range, shading by cell, and A1 names, for one sheet."""

    def __init__(self, table: SheetLike, shaded: Mapping[tuple[int, int], str] | None = None,
                 merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None) -> None:
        self.table = table
        self.rows = table.rows
        self.height = len(table.rows)
        self.width = max((len(r) for r in table.rows), default=0)
        top, left = table.origin
        self._span: dict[tuple[int, int], Span] = {}
        for (r0, c0), (r1, c1) in (table.merged or merged or []):
            span = (r0 - top, c0 - left, r1 - top, c1 - left)
            for r in range(max(span[0], 0), min(span[2], self.height - 1) + 1):
                for c in range(max(span[1], 0), min(span[3], self.width - 1) + 1):
                    self._span[(r, c)] = span
        self._shade = {(r - top, c - left): colour for (r, c), colour in (shaded or {}).items()}

    def raw(self, r: int, c: int) -> Any:
        try:
            return self.rows[r][c]
        except IndexError:
            return None

    def span(self, r: int, c: int) -> Span:
        return self._span.get((r, c), (r, c, r, c))

    def anchor(self, r: int, c: int) -> tuple[int, int]:
        r0, c0, _, _ = self.span(r, c)
        return (r0, c0)

    def value(self, r: int, c: int) -> Any:
        """The cell's value, or its merged range's (a merge shows one value on all its cells)."""
        return self.raw(*self.anchor(r, c))

    def text(self, r: int, c: int) -> str:
        return clean_text(self.value(r, c))

    def shade(self, r: int, c: int) -> str | None:
        return self._shade.get((r, c))

    def ref(self, r: int, c: int) -> str:
        return self.table.ref(r, c)

    def row_no(self, r: int) -> int:
        return self.table.origin[0] + r + 1

    def problem(self, r: int, c: int, code: str, message: str) -> Problem:
        return Problem(code, message, self.table.file, self.table.sheet, self.ref(r, c))

    def row_blank(self, r: int) -> bool:
        return all(is_blank(v) for v in self.rows[r]) if r < self.height else True


# ── labels ───────────────────────────────────────────────────────────────────────────────

#: Header words → the field of svcq's standard sheet (compared without spaces, NFKC, and
#: without a trailing parenthesis such as 「(課室)」 or 「(%)」).
FIELD_LABELS: dict[str, frozenset[str]] = {
    "編號": frozenset({"編號", "項次", "序號", "項目編號", "編號項次", "序", "項", "NO", "No", "no"}),
    "計畫項目": frozenset({"計畫項目", "工作項目", "計畫名稱", "重要工作計畫", "重要工作項目", "工作計畫",
                       "實施項目", "推動項目", "工作要項", "實施要項", "計畫"}),
    "工作內容": frozenset({"工作內容", "工作事項", "執行內容", "實施內容", "工作重點", "辦理事項", "作業內容",
                       "工作細項", "推行作法", "執行事項", "具體作法"}),
    "承辦單位": frozenset({"承辦單位", "承辦課室", "業務單位", "主辦單位", "辦理單位", "課室", "負責單位",
                       "權責單位", "執行單位", "承辦課", "主辦課室", "單位", "承辦課別"}),
    "預定/實際": frozenset({"預定/實際", "預定實際", "預定或實際", "預定/執行", "計畫/執行", "區分", "類別",
                        "進度別"}),
    "完成度": frozenset({"完成度", "執行進度", "進度", "完成率", "完成百分比", "達成率", "完成進度", "執行率",
                      "辦理進度", "完成比率", "執行進度%", "完成度%", "進度%"}),
    "落後原因及因應對策": frozenset({"落後原因及因應對策", "落後原因及改進措施", "礙難執行原因", "落後原因",
                             "未完成原因", "落後原因說明", "礙難執行原因及改進措施", "執行落後原因"}),
    "備註": frozenset({"備註", "附註", "說明"}),
    # the month-by-month plan (longjing 捌、作業時程)
    "月份": frozenset({"月份", "月別", "月"}),
    "推動計畫目標": frozenset({"推動計畫目標", "計畫目標", "推動目標", "工作目標", "目標"}),
}
_REASON_PREFIXES = ("落後原因", "礙難執行", "未完成原因", "未能完成原因")
_TRAILING_PAREN = re.compile(r"^(?P<base>.+?)[(（](?P<paren>[^()（）]*)[)）]$")
YEAR_IN_TEXT = re.compile(r"(?<![\d./-])(\d{2,4})\s*年")


def field_of(value: Any) -> tuple[str | None, str]:
    """(field, the header's parenthesis) of a header cell: 「計畫項目(課室)」 → (計畫項目, 課室)."""
    text = squash(value)
    if not text:
        return None, ""
    paren = ""
    if m := _TRAILING_PAREN.match(text):
        text, paren = m.group("base"), m.group("paren")
    for name, labels in FIELD_LABELS.items():
        if text in labels or f"{text}{paren}" in labels:
            return name, paren
    if text.startswith(_REASON_PREFIXES):
        return "落後原因及因應對策", paren
    return None, paren


_CJK_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
               "十": 10, "十一": 11, "十二": 12}


def month_label(value: Any, *, bare_numbers: bool = True) -> int | None:
    """The month a header cell names: 1 / 1月 / 01月 / 一月 / １月份; None otherwise."""
    if isinstance(value, bool) or is_blank(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        # Excel may turn a typed 「1月」 into 1 January: the month is what was meant.
        return value.month if value.day == 1 else None
    if isinstance(value, int | float):
        if bare_numbers and float(value).is_integer() and 1 <= value <= 12:
            return int(value)
        return None
    text = nfkc(squash(value)).replace("月份", "月")
    if m := re.fullmatch(r"0?(\d{1,2})(月)?", text):
        month = int(m.group(1))
        if (m.group(2) or bare_numbers) and 1 <= month <= 12:
            return month
        return None
    if m := re.fullmatch(r"([一二三四五六七八九十]{1,3})月", text):
        return _CJK_MONTHS.get(m.group(1))
    return None


def month_chain(grid: Grid, r: int) -> dict[int, int]:
    """The longest left-to-right run of consecutive month labels on row ``r`` (month → col)."""
    found = [(c, m) for c in range(grid.width)
             if grid.anchor(r, c) == (r, c) and (m := month_label(grid.raw(r, c))) is not None]
    best: dict[int, int] = {}
    run: dict[int, int] = {}
    last = 0
    for c, m in found:
        run = run if run and m == last + 1 else {}
        run[m] = c
        last = m
        if len(run) > len(best):
            best = dict(run)
    return best


# ── the layout ───────────────────────────────────────────────────────────────────────────

PLANNED_WORDS = ("預定", "預計", "計畫", "計劃", "預定進度", "預定時程", "預定月份")
ACTUAL_WORDS = ("實際", "執行", "實際進度", "執行進度", "辦理情形", "執行情形", "實際執行", "完成情形")


def pair_label(value: Any) -> str | None:
    """預定 or 實際 for a 預定/實際 label cell (預定進度, 計畫/執行…), None otherwise."""
    text = squash(value)
    if not text:
        return None
    if text in PLANNED_WORDS or text.startswith("預定"):
        return "預定"
    if text in ACTUAL_WORDS or text.startswith("實際"):
        return "實際"
    return None


@dataclass
class Layout:
    kind: str  # "rows" (one row per task), "pairs" (預定/實際 rows), "by-month" (longjing)
    title_rows: list[int] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)
    months: dict[int, int] = field(default_factory=dict)  # month → col (grid layouts)
    columns: dict[str, int] = field(default_factory=dict)  # field → col
    unit_hinted: set[str] = field(default_factory=set)  # fields whose parentheses hold the unit
    label_col: int | None = None  # the 預定/實際 column of the pairs layout
    captions: list[tuple[int, int, str]] = field(default_factory=list)
    ignored: list[tuple[int, int, str]] = field(default_factory=list)  # headers not used
    data_start: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def month_cols(self) -> set[int]:
        return set(self.months.values())


_HEADER_SCAN = 30
_HEADER_DEPTH = 4  # header rows above the month numbers: 預定作業時程 / 107年度 / 1…12 and one more


def find_layout(grid: Grid) -> Layout:
    """The layout of the sheet; ``problems`` says what contradicts or is missing."""
    by_month = _find_by_month(grid)
    if by_month is not None:
        return by_month
    month_row, months = next(((r, ch) for r in range(min(grid.height, _HEADER_SCAN))
                              if len(ch := month_chain(grid, r)) >= 6), (None, {}))
    if month_row is None:
        return Layout("rows", problems=[grid.problem(0, 0, "no-month-columns",
                      "找不到月份欄：需要一列依序寫著 1…12、1月…12月 或 一月…十二月 的標題（或「月份」欄"
                      "逐列寫一月…十二月的月別計畫表）")])
    layout = Layout("rows", months=months, data_start=month_row + 1)
    top = month_row
    for r in range(max(0, month_row - _HEADER_DEPTH), month_row):
        if _is_header_row(grid, r, months):
            top = r
            break
    layout.header_rows = list(range(top, month_row + 1))
    layout.title_rows = [r for r in range(top) if not grid.row_blank(r)]
    _read_headers(grid, layout)
    layout.label_col = _find_label_col(grid, layout)
    if layout.label_col is not None:
        layout.kind = "pairs"
    if "工作內容" not in layout.columns and "計畫項目" not in layout.columns:
        layout.problems.append(grid.problem(month_row, 0, "no-task-column",
                               "找不到「工作內容」或「計畫項目」欄（標題列第 "
                               f"{grid.row_no(top)}–{grid.row_no(month_row)} 列）"))
    return layout


def _is_header_row(grid: Grid, r: int, months: dict[int, int]) -> bool:
    first, last = min(months.values()), max(months.values())
    for c in range(grid.width):
        if grid.anchor(r, c) != (r, c) or is_blank(grid.raw(r, c)):
            continue
        _, c0, _, c1 = grid.span(r, c)
        if field_of(grid.raw(r, c))[0] is not None and not (first <= c0 and c1 <= last):
            return True
        if first <= c0 and c1 <= last and len(clean_text(grid.raw(r, c))) <= 20:
            return True  # a caption over the months: 預定作業時程, 107年度
    return False


def _read_headers(grid: Grid, layout: Layout) -> None:
    months = layout.months
    first, last = min(months.values()), max(months.values())
    month_row = layout.header_rows[-1]
    by_col: dict[int, list[tuple[str, int]]] = {}
    for r in layout.header_rows:
        if r != month_row and len(chain := month_chain(grid, r)) >= 6 and chain != months:
            c = min(chain.values())
            layout.problems.append(grid.problem(r, c, "header-conflict",
                                   f"第 {grid.row_no(r)} 列與第 {grid.row_no(month_row)} 列的月份標題不一致"
                                   f"（{grid.ref(r, c)} 與 {grid.ref(month_row, c)}），看不出哪一欄是哪個月"))
        for c in range(grid.width):
            if grid.anchor(r, c) != (r, c) or is_blank(grid.raw(r, c)):
                continue
            text = clean_text(grid.raw(r, c))
            _, c0, _, c1 = grid.span(r, c)
            name, paren = field_of(grid.raw(r, c))
            if r == month_row and c in months.values():
                continue
            if first <= c0 and c1 <= last and (c1 > c0 or name is None or name == "月份"):
                layout.captions.append((r, c, text))
                continue
            if name is None and c1 > c0:
                layout.captions.append((r, c, text))  # a note across columns, not a column
                continue
            if name is None or name in ("月份", "推動計畫目標"):
                layout.ignored.append((r, c, text))
                continue
            if c in months.values():
                layout.problems.append(grid.problem(r, c, "header-conflict",
                                       f"{grid.ref(r, c)} 的標題「{text}」在月份欄上方（此欄在第 "
                                       f"{grid.row_no(month_row)} 列是月份），看不出這一欄是什麼"))
                continue
            by_col.setdefault(c, []).append((name, r))
            if any(p in paren for p in ("課室", "單位", "課別")):
                layout.unit_hinted.add(name)
    for c, names in by_col.items():
        distinct = list(dict.fromkeys(n for n, _ in names))
        if len(distinct) > 1:
            (n1, r1), (n2, r2) = names[0], next(x for x in names if x[0] != names[0][0])
            layout.problems.append(grid.problem(r2, c, "header-conflict",
                                   f"同一欄的兩列標題互相矛盾：{grid.ref(r1, c)}「{clean_text(grid.raw(r1, c))}」"
                                   f"是{n1}，{grid.ref(r2, c)}「{clean_text(grid.raw(r2, c))}」是{n2}"))
            continue
        name = distinct[0]
        if name in layout.columns:
            other = layout.columns[name]
            layout.problems.append(grid.problem(names[0][1], c, "duplicate-column",
                                   f"有兩欄都是「{name}」：{grid.ref(names[0][1], other)} 與 "
                                   f"{grid.ref(names[0][1], c)}，看不出該用哪一欄"))
            continue
        layout.columns[name] = c


def _find_label_col(grid: Grid, layout: Layout) -> int | None:
    """The column holding 預定/實際 on the data rows (its header may be blank)."""
    counts: dict[int, set[str]] = {}
    hits: dict[int, int] = {}
    for r in range(layout.data_start, grid.height):
        for c in range(grid.width):
            if c in layout.month_cols:
                continue
            kind = pair_label(grid.raw(r, c))
            if kind:
                counts.setdefault(c, set()).add(kind)
                hits[c] = hits.get(c, 0) + 1
    candidates = [c for c, kinds in counts.items() if len(kinds) == 2 and hits[c] >= 2]
    if "預定/實際" in layout.columns and layout.columns["預定/實際"] in candidates:
        return layout.columns["預定/實際"]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: hits[c])
    layout.columns["預定/實際"] = best
    return best


def _find_by_month(grid: Grid) -> Layout | None:
    """The month-by-month plan: a 月份 column whose rows are 一月…十二月."""
    for r in range(min(grid.height, _HEADER_SCAN)):
        for c in range(grid.width):
            if field_of(grid.raw(r, c))[0] != "月份":
                continue
            below = [m for rr in range(r + 1, grid.height) if grid.anchor(rr, c) == (rr, c)
                     and (m := month_label(grid.raw(rr, c), bare_numbers=False))]
            if len(below) < 2 or below != sorted(set(below)):
                continue  # months in calendar order, as a month-by-month plan lists them
            layout = Layout("by-month", header_rows=[r], data_start=r + 1)
            layout.title_rows = [rr for rr in range(r) if not grid.row_blank(rr)]
            layout.columns["月份"] = c
            for cc in range(grid.width):
                if cc == c or is_blank(grid.raw(r, cc)) or grid.anchor(r, cc) != (r, cc):
                    continue
                name = field_of(grid.raw(r, cc))[0]
                if name in ("推動計畫目標", "計畫項目", "工作內容") and "goal" not in layout.columns:
                    layout.columns["goal"] = cc
                elif name in ("承辦單位", "備註", "編號") and name not in layout.columns:
                    layout.columns[name] = cc
                else:
                    layout.ignored.append((r, cc, clean_text(grid.raw(r, cc))))
            if "goal" not in layout.columns:
                layout.problems.append(grid.problem(r, c, "no-task-column",
                                       "月別計畫表找不到「推動計畫目標」（或「工作項目」）欄"))
            return layout
    return None
