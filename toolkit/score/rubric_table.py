"""A rubric from the table a county publishes (pure: cell values in, a Rubric and problems out).

Two layouts are read, as offices keep them in Excel:

* a points column (配分 / 分數 / 權重) beside level columns (構面 | 項目 | 指標), parents in
  merged cells or written once above blank cells, with 小計 / 合計 rows per parent and a
  總計 row: those rows are checked against the sums, never taken as items;
* points inside the names, as in the plans' 附表: 「基礎服務(20分)」「服務一致及正確（5 分）」.
  The leaves are the deepest nodes with points; the rows below a leaf without points
  (次執行指標, 具體作法, 完成期限) are its guidance text.

Both may be mixed (a name's points must then agree with its points cell). Every
inconsistency is a Problem naming its sheet!cell; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.problems import Problem
from toolkit.roc import ROC_OFFSET, format_date
from toolkit.score.rubric import LEVELS, Band, Node, Rubric, name_key
from toolkit.sheetkit.table import TableLike
from toolkit.text import clean_text, is_blank, parse_number, squash

#: Header words (compared after squash) of the columns the table may have.
LEVEL_HEADERS = (
    "構面", "評分構面", "評核構面", "評審構面", "構面名稱", "執行策略", "策略", "面向", "評核面向",
    "項目", "評分項目", "評核項目", "評審項目", "考核項目", "執行指標", "項目名稱",
    "指標", "評分指標", "評核指標", "細項", "細項指標", "評分細項", "次執行指標", "次指標", "子項目",
)
#: Any other header ending in one of these is a level column too (評核項目別, 服務構面…).
LEVEL_SUFFIXES = ("構面", "項目", "指標", "策略", "面向", "細項")
POINTS_HEADERS = ("配分", "分數", "權重", "滿分", "配分(分)", "分配", "配分比重", "配分權重", "配分分數")
#: Columns whose text is a leaf's guidance as written.
GUIDANCE_HEADERS = ("具體作法", "作法", "推動作法", "說明", "評分說明", "評分標準", "評分重點", "評核重點",
                    "評分基準", "評核標準", "評分內容", "評核內容", "衡量標準", "內容", "評分方式")
#: Columns kept in the guidance as 「欄名：內容」.
NOTE_HEADERS = ("完成期限", "期限", "辦理期限", "備註", "承辦單位", "負責單位", "辦理單位", "權責單位")
HEADER_SCAN = 30
MAX_DEPTH = len(LEVELS)
_EPS = 1e-6

#: 「基礎服務(20分)」「服務友善（配分：5 分）」 after NFKC; trailing 。 or ， allowed.
_POINTS_IN_NAME = re.compile(r"\(\s*(?:配分\s*[:：]?\s*)?(\d+(?:\.\d+)?)\s*分\s*\)[\s。.，,、]*$")
#: Enumerators in front of a name: 1. 1、 (1) 一、 (一)
_NUMBERING = re.compile(r"^(?:\d+\s*[.、)]|\(\d+\)|[一二三四五六七八九十]+\s*、|\([一二三四五六七八九十]+\))\s*")
_TOTAL_WORDS = ("總計", "總分", "總配分", "共計", "合計總分")
_SUBTOTAL_WORDS = ("小計", "合計")



@dataclass
class _Draft:
    """A node as read, before the tree is checked."""

    name: str
    level: int
    row: int
    col: int
    parent: _Draft | None = None
    points: float | None = None
    points_at: tuple[int, int] | None = None  # the cell the points came from
    children: list[_Draft] = field(default_factory=list)
    guidance: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # 「完成期限：…」 lines, said last
    closed_at: int | None = None  # the row of its 小計
    bad_points: bool = False  # its points cell could not be read (reported)
    broken: bool = False  # a problem was reported inside: its sums are not checked

    def break_up(self) -> None:
        node: _Draft | None = self
        while node is not None:
            node.broken = True
            node = node.parent

    @property
    def key(self) -> str:
        return name_key(self.name)

    def has_points_below(self) -> bool:
        return any(c.points is not None or c.has_points_below() for c in self.children)


@dataclass
class _Check:
    """A 小計 / 總計 value to compare with the sum once the tree is complete."""

    node: _Draft | None  # None: the grand total
    value: float
    row: int
    col: int


@dataclass
class _Columns:
    header_row: int
    levels: list[int]
    points: list[tuple[int, int | None]]  # (column, level index it belongs to; None = deepest)
    guidance: list[int]
    notes: list[tuple[int, str]]


def split_points(text: Any) -> tuple[str, float | None]:
    """「2.服務友善（5 分）。」 → ("服務友善", 5.0); the name without enumerator or points."""
    name = clean_text(text)
    points = None
    m = _POINTS_IN_NAME.search(name)
    if m:
        points = float(m.group(1))
        name = name[: m.start()].rstrip()
    stripped = _NUMBERING.sub("", name)
    return (stripped or name).strip(), points


def _header_kind(value: Any) -> str | None:
    key = squash(value)
    if not key:
        return None
    if key in {squash(h) for h in POINTS_HEADERS} or key.endswith(("配分", "權重", "滿分")):
        return "points"
    if key in {squash(h) for h in GUIDANCE_HEADERS}:
        return "guidance"
    if key in {squash(h) for h in NOTE_HEADERS}:
        return "note"
    if key in LEVEL_HEADERS or key.endswith(LEVEL_SUFFIXES):
        return "level"
    return None


def find_columns(rows: Sequence[Sequence[Any]]) -> _Columns | None:
    """The header row: the first naming a level column and either a points column or a
    second level column (points may then be inside the names)."""
    for r, row in enumerate(rows[:HEADER_SCAN]):
        kinds = [_header_kind(v) for v in row]
        levels = [c for c, k in enumerate(kinds) if k == "level"]
        has_points = "points" in kinds
        if not levels or (not has_points and len(levels) < 2):
            continue
        points: list[tuple[int, int | None]] = []
        point_cols = [c for c, k in enumerate(kinds) if k == "points"]
        for c in point_cols:
            if len(point_cols) == 1:
                points.append((c, None))
            else:  # one points column per level: each belongs to the level on its left
                left = [i for i, lc in enumerate(levels) if lc < c]
                points.append((c, left[-1] if left else 0))
        return _Columns(r, levels, points,
                        [c for c, k in enumerate(kinds) if k == "guidance"],
                        [(c, clean_text(row[c])) for c, k in enumerate(kinds) if k == "note"])
    return None


def _at(row: Sequence[Any], col: int) -> Any:
    return row[col] if col < len(row) else None


def _text(value: Any) -> str:
    """Guidance as written (line breaks kept); an Excel date as a 民國 date."""
    if isinstance(value, dt.date) and value.year > ROC_OFFSET:
        return format_date(value if not isinstance(value, dt.datetime) else value.date())
    return value.strip() if isinstance(value, str) else clean_text(value)


def _total_label(text: str, open_nodes: list[_Draft]) -> tuple[str, str] | None:
    """(word, name) when ``text`` labels a 小計 / 合計 / 總計 row — ``name`` being the node
    written beside the word (「基礎服務小計」), or '' — and None for an ordinary name."""
    key = squash(_POINTS_IN_NAME.sub("", clean_text(text))).strip(":")
    for word in (*_TOTAL_WORDS, *_SUBTOTAL_WORDS):
        if key.startswith(word) or key.endswith(word):
            rest = (key[len(word):] if key.startswith(word) else key[: -len(word)]).strip(":")
            if not rest or any(name_key(rest) == n.key for n in open_nodes):
                return word, rest
    return None


class _Reader:
    def __init__(self, table: TableLike, cols: _Columns) -> None:
        self.t = table
        self.cols = cols
        self.problems: list[Problem] = []
        self.roots: list[_Draft] = []
        self.path: list[_Draft] = []
        self.checks: list[_Check] = []
        origin = getattr(table, "origin", (0, 0))
        self.merged = [((r0 - origin[0], c0 - origin[1]), (r1 - origin[0], c1 - origin[1]))
                       for (r0, c0), (r1, c1) in getattr(table, "merged", []) or []]
        # level columns where the table uses merged cells: a blank there must be inside one
        self.merged_cols = {lc for lc in cols.levels
                            if any(c0 <= lc <= c1 for (_, c0), (_, c1) in self.merged)}

    def fail(self, row: int, col: int, code: str, message: str) -> None:
        self.problems.append(self.t.problem(row, col, code, message))

    def header(self, level: int) -> str:
        """The header text of a level column (構面, 執行指標…)."""
        col = self.cols.levels[level]
        return clean_text(_at(self.t.rows[self.cols.header_row], col)) or LEVELS[min(level, 2)]

    def in_merge(self, row: int, col: int) -> bool:
        return any(r0 <= row <= r1 and c0 <= col <= c1 for (r0, c0), (r1, c1) in self.merged)

    def number(self, row: int, col: int) -> float | None:
        """A points cell: None when blank; a problem (and None) when not a number > 0."""
        raw = _at(self.t.rows[row], col)
        if is_blank(raw):
            return None
        value = parse_number(raw, unit="分")
        if value is None and isinstance(raw, str) and squash(raw).endswith("%"):
            value = parse_number(squash(raw)[:-1])
        if value is None or value <= 0 or math.isinf(value):
            self.fail(row, col, "rubric-bad-points", f"配分「{clean_text(raw)}」必須是大於 0 的數字")
            return None
        return value

    # ------------------------------------------------------------------ rows

    def read(self) -> None:
        for r in range(self.cols.header_row + 1, len(self.t.rows)):
            row = self.t.rows[r]
            names = {i: clean_text(_at(row, c)) for i, c in enumerate(self.cols.levels)}
            filled = [i for i, n in names.items() if n]
            label = next(((i, found) for i in filled if (found := _total_label(names[i], self.path))), None)
            if label is not None:
                self.total_row(r, label[0], *label[1])
            elif filled:
                self.item_row(r, names, filled)
            else:
                self.text_row(r)

    def text_row(self, r: int) -> None:
        """A row with no names: guidance continuing the node above."""
        row = self.t.rows[r]
        for c, _ in self.cols.points:
            if not is_blank(_at(row, c)):
                self.fail(r, c, "rubric-points-without-name",
                          f"第 {r + 1} 列有配分「{clean_text(_at(row, c))}」，但沒有構面、項目或指標名稱")
        if self.text_cells(row) or self.note_cells(row):
            if not self.path:
                self.fail(r, self.cols.guidance[0] if self.cols.guidance else 0, "rubric-no-parent",
                          f"第 {r + 1} 列的說明文字上方還沒有任何構面或項目")
            else:
                self.add_text(self.path[-1], row)

    def text_cells(self, row: Sequence[Any]) -> list[str]:
        return [_text(_at(row, c)) for c in self.cols.guidance if not is_blank(_at(row, c))]

    def note_cells(self, row: Sequence[Any]) -> list[str]:
        return [f"{head}：{_text(_at(row, c))}" for c, head in self.cols.notes
                if not is_blank(_at(row, c))]

    def add_text(self, node: _Draft, row: Sequence[Any]) -> None:
        node.guidance += self.text_cells(row)
        # a 完成期限 filled down every row (not merged) is said once
        node.notes += [n for n in self.note_cells(row) if n not in node.notes]

    def total_row(self, r: int, level: int, word: str, named: str) -> None:
        """A 總計 row (the whole table), or a 小計 / 合計 row of the node it names, else of the
        open node one level up from where the word is written (「合計」 in the first column:
        the whole table)."""
        col = self.cols.levels[level]
        value, vcol = self.total_value(r, level)
        node: _Draft | None = None
        if named:
            node = next(n for n in self.path if n.key == name_key(named))
        elif word in _SUBTOTAL_WORDS and (level > 0 or word == "小計"):
            node = self.path[max(level - 1, 0)] if len(self.path) >= max(level, 1) else None
            if node is None:
                self.fail(r, col, "rubric-no-parent",
                          f"第 {r + 1} 列的「{word}」上方沒有可以小計的構面或項目")
                return
        if node is not None:
            node.closed_at = r
        if value is not None:
            self.checks.append(_Check(node, value, r, vcol))

    def total_value(self, r: int, level: int) -> tuple[float | None, int]:
        row = self.t.rows[r]
        for c, _ in self.cols.points:
            value = self.number(r, c)
            if value is not None:
                return value, c
        col = self.cols.levels[level]
        _, noted = split_points(_at(row, col))
        return noted, col

    def item_row(self, r: int, names: dict[int, str], filled: list[int]) -> None:
        deepest = max(filled)
        row = self.t.rows[r]
        for level in range(deepest + 1):
            col = self.cols.levels[level]
            if level in filled:
                if not self.place(r, level, names[level]):
                    return
            elif len(self.path) <= level:
                self.fail(r, col, "rubric-no-parent",
                          f"第 {r + 1} 列的「{names[deepest]}」缺少上層的{self.header(level)}")
                return
            elif col in self.merged_cols and not self.in_merge(r, col):
                self.fail(r, col, "rubric-ambiguous-blank",
                          f"此格空白，但不在「{self.path[level].name}」的合併儲存格範圍內，無法確定"
                          f"「{names[deepest]}」屬於哪個{self.header(level)}：請合併儲存格或填入名稱")
                self.path[level].break_up()  # read on as if merged, blaming no sum for it
        node = self.path[deepest]
        for c, owner in self.cols.points:
            level = deepest if owner is None else owner
            if level > deepest:
                if not is_blank(_at(row, c)):
                    self.fail(r, c, "rubric-points-without-name",
                              f"第 {r + 1} 列有配分，但這一列沒有{self.header(level)}名稱")
                continue
            value = self.number(r, c)
            if value is not None:
                self.set_points(self.path[level], value, r, c)
            elif not is_blank(_at(row, c)):
                self.path[level].bad_points = True
                self.path[level].break_up()
        self.add_text(node, row)

    def place(self, r: int, level: int, text: str) -> bool:
        """Put the name written at ``level`` on the path: the node above continued (the same
        name written again) or a new child of the level above."""
        col = self.cols.levels[level]
        name, noted = split_points(text)
        if level >= 1 and len(self.path) < level:
            return False
        current = self.path[level] if len(self.path) > level else None
        if current is not None and current.key == name_key(name) and col not in self.merged_cols:
            node = current  # the same name filled down (a table that merges no cells there)
        else:
            parent = self.path[level - 1] if level else None
            if parent is not None and parent.closed_at is not None:
                self.fail(r, col, "rubric-after-subtotal",
                          f"「{name}」在「{parent.name}」的小計列（第 {parent.closed_at + 1} 列）之後；"
                          "請移到小計列之前，或填寫它所屬的上層名稱")
                return False
            siblings = parent.children if parent else self.roots
            twin = next((s for s in siblings if s.key == name_key(name)), None)
            if twin is not None:
                if parent is not None:
                    parent.break_up()
                self.fail(r, col, "rubric-duplicate",
                          f"「{name}」重複：{self.t.ref(twin.row, twin.col)} 已有同名的"
                          f"{'構面' if level == 0 else '項目'}")
                return False
            node = _Draft(name, level, r, col, parent)
            siblings.append(node)
            del self.path[level:]
            self.path.append(node)
        if noted is not None:
            self.set_points(node, noted, r, col)
        return True

    def set_points(self, node: _Draft, value: float, r: int, c: int) -> None:
        if node.points is None:
            node.points, node.points_at = value, (r, c)
        elif not math.isclose(node.points, value, abs_tol=_EPS):
            assert node.points_at is not None
            node.break_up()
            self.fail(r, c, "rubric-points-conflict",
                      f"「{node.name}」的配分寫了兩個不同的值：{node.points:g}"
                      f"（{self.t.ref(*node.points_at)}）與 {value:g}")


# ---------------------------------------------------------------------- the tree


def _collapse(node: _Draft) -> None:
    """A child written again under itself (the plan's 「執行計畫擬訂之具體完整性(1分)」 as both
    執行指標 and 次執行指標) is the same node: its children and text move up."""
    for child in node.children:
        _collapse(child)
    if len(node.children) == 1 and node.children[0].key == node.key:
        only = node.children[0]
        if node.points is None or only.points is None or math.isclose(node.points, only.points):
            node.points = node.points if node.points is not None else only.points
            node.points_at = node.points_at or only.points_at
            node.guidance += only.guidance
            node.notes += [n for n in only.notes if n not in node.notes]
            node.children = only.children
            for grandchild in node.children:
                grandchild.parent = node


class _Builder:
    def __init__(self, table: TableLike, problems: list[Problem]) -> None:
        self.t = table
        self.problems = problems

    def fail(self, node: _Draft, code: str, message: str, *, at_points: bool = False) -> None:
        r, c = node.points_at if at_points and node.points_at else (node.row, node.col)
        self.problems.append(self.t.problem(r, c, code, message))

    def total(self, node: _Draft) -> float:
        if node.points is not None and not node.has_points_below():
            return node.points
        return sum(self.total(c) for c in node.children if c.points is not None or c.has_points_below())

    def missing(self, node: _Draft, here: str = "") -> None:
        """Report the deepest nodes of a subtree without any points."""
        if node.bad_points:
            return  # its unreadable points cell was reported already
        if node.children:
            for child in node.children:
                self.missing(child, here)
            return
        beside = f"，但同在「{here}」底下的其他項目有配分" if here else "：請在配分欄填寫，或在名稱後寫「（5分）」"
        self.fail(node, "rubric-no-points", f"「{node.name}」沒有配分{beside}")

    def build(self, node: _Draft, depth: int) -> Node | None:
        """The checked Node of a draft; None (and problems, and ``broken`` up the path so no
        sum is blamed for a part already reported) when it cannot be one."""
        if not node.has_points_below():
            if node.points is None:
                self.missing(node)
                node.break_up()
                return None
            if depth >= MAX_DEPTH:
                self.fail(node, "rubric-too-deep", f"「{node.name}」是第 {depth + 1} 層；評分基準最多三層"
                          "（構面 → 項目 → 指標）")
                node.break_up()
                return None
            return Node(node.name, node.points, (), "\n".join(_guidance_lines(node)))
        kids: list[Node] = []
        for child in node.children:
            if child.points is None and not child.has_points_below():
                self.missing(child, node.name)
                child.break_up()
                continue
            built = self.build(child, depth + 1)
            if built is not None:
                kids.append(built)
        if node.points is not None and not node.broken and \
                not math.isclose(node.points, self.total(node), abs_tol=_EPS):
            self.fail(node, "rubric-parent-points",
                      f"「{node.name}」配分 {node.points:g}，但其下各項配分合計 {self.total(node):g}",
                      at_points=True)
        return Node(node.name, sum(k.points for k in kids), tuple(kids),
                    "\n".join(node.guidance + node.notes))


def _guidance_lines(node: _Draft) -> list[str]:
    """A leaf's text: its own cells, each row below it (【次指標】 and its 具體作法), and
    last the notes (完成期限…) of them all, each said once."""
    notes: list[str] = []

    def walk(draft: _Draft) -> list[str]:
        notes.extend(n for n in draft.notes if n not in notes)
        lines = list(draft.guidance)
        for child in draft.children:
            lines += [f"【{child.name}】", *walk(child)]
        return lines

    return walk(node) + notes


def _dimension(node: Node) -> Node:
    """A 構面 scored on its own (a table with one level) becomes 構面 → 項目 of one name."""
    if node.children:
        return node
    return Node(node.name, node.points, (Node(node.name, node.points, (), node.guidance),))


def rubric_from_table(table: TableLike, *, name: str = "", title: str = "",
                      bands: Sequence[Band] = ()) -> tuple[Rubric | None, list[Problem]]:
    """Read a rubric table (see the module doc). ``name``: the rubric's 代號 (default: its
    title); ``title``: default the text above the header row. Returns (rubric, []) or
    (None, every problem found)."""
    cols = find_columns(table.rows)
    if cols is None:
        return None, [table.problem(0, 0, "rubric-no-header",
                                    "找不到評分標準的標題列：需要「構面」「項目」（或「指標」）等欄名，"
                                    "配分寫在「配分」欄，或寫在名稱後，例如「基礎服務（20分）」")]
    reader = _Reader(table, cols)
    reader.read()
    problems = reader.problems
    for root in reader.roots:
        _collapse(root)
    builder = _Builder(table, problems)
    dims = [d for d in (builder.build(root, 0) for root in reader.roots) if d is not None]
    if not reader.roots and not problems:
        problems.append(table.problem(cols.header_row, cols.levels[0], "rubric-empty",
                                      "標題列下方沒有任何構面或項目"))
    for check in reader.checks:
        if check.node.broken if check.node else any(r.broken for r in reader.roots):
            continue
        if check.node is None:
            expected = sum(builder.total(r) for r in reader.roots)
            what = "各構面配分合計"
        else:
            expected = builder.total(check.node)
            what = f"「{check.node.name}」各項配分合計"
        if not math.isclose(check.value, expected, abs_tol=_EPS):
            problems.append(table.problem(check.row, check.col, "rubric-subtotal" if check.node else
                                          "rubric-total", f"{'小計' if check.node else '總計'} "
                                          f"{check.value:g} 與{what} {expected:g} 不符"))
    if problems:
        return None, sorted(problems, key=_reading_order)
    found_title = title or _title_above(table.rows[: cols.header_row])
    rubric = Rubric(name or found_title or "自訂評分基準", found_title or name or "自訂評分基準",
                    tuple(_dimension(d) for d in dims), tuple(sorted(bands, key=lambda b: -b.min)),
                    source=_source(table))
    return rubric, []


def _reading_order(problem: Problem) -> tuple[int, int, str]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", problem.cell or "")
    if not m:
        return (0, 0, "")
    return (int(m.group(2)), len(m.group(1)), m.group(1))


def _title_above(rows: Sequence[Sequence[Any]]) -> str:
    """The first text above the header, as typed (a full-width colon stays one)."""
    for row in rows:
        for value in row:
            if not is_blank(value):
                return " ".join(str(value).split())
    return ""


def _source(table: TableLike) -> str:
    from pathlib import PurePath

    where = PurePath(table.file).name if table.file else ""
    return f"{where}「{table.sheet}」" if table.sheet else where


# ---------------------------------------------------------------------- grade bands

BAND_LABEL_HEADERS = ("等第", "等第名稱", "等級", "評等")
BAND_MIN_HEADERS = ("最低分", "最低分數", "分數下限", "下限", "最低", "分數(以上)", "門檻")


def bands_from_table(table: TableLike) -> tuple[tuple[Band, ...], list[Problem]]:
    """等第 | 最低分 rows (e.g. 優良 90, 良好 80…) → bands, highest first; none when the
    table has no such columns."""
    labels = {squash(h) for h in BAND_LABEL_HEADERS}
    mins = {squash(h) for h in BAND_MIN_HEADERS}
    for r, row in enumerate(table.rows[:HEADER_SCAN]):
        keys = [squash(v) for v in row]
        lc = next((c for c, k in enumerate(keys) if k in labels), None)
        mc = next((c for c, k in enumerate(keys) if k in mins), None)
        if lc is None or mc is None:
            continue
        bands: list[Band] = []
        problems: list[Problem] = []
        seen: dict[float, int] = {}
        for i in range(r + 1, len(table.rows)):
            label, low = clean_text(_at(table.rows[i], lc)), _at(table.rows[i], mc)
            if not label and is_blank(low):
                continue
            value = parse_number(low, unit="分")
            if not label or value is None or value < 0:
                problems.append(table.problem(i, mc if label else lc, "rubric-bad-band",
                                              f"等第需要名稱與不小於 0 的最低分（第 {i + 1} 列）"))
                continue
            if value in seen:
                problems.append(table.problem(i, mc, "rubric-bad-band",
                                              f"兩個等第的最低分都是 {value:g}（另見 "
                                              f"{table.ref(seen[value], mc)}）"))
                continue
            seen[value] = i
            bands.append(Band(value, label))
        return tuple(sorted(bands, key=lambda b: -b.min)), problems
    return (), []  # no 等第 table: a rubric without grade bands


# ---------------------------------------------------------------------- back to a table

TABLE_HEADER = ("構面", "項目", "指標", "配分", "具體作法")
BAND_HEADER = ("等第", "最低分")


def rubric_rows(rubric: Rubric) -> list[list[Any]]:
    """The rubric as a points-column table (header first, one row per leaf, parents written
    on their first row, a 小計 row per 構面 and a 總計 row; grade bands in two columns to the
    right) that ``rubric_from_table`` and ``bands_from_table`` read back to the same rubric."""
    rows: list[list[Any]] = [list(TABLE_HEADER)]
    for dim in rubric.dimensions:
        first_dim = True
        for item in dim.children:
            first_item = True
            for leaf in item.children or (item,):
                rows.append([dim.name if first_dim else "", item.name if first_item else "",
                             leaf.name if leaf is not item else "", leaf.points, leaf.guidance])
                first_dim = first_item = False
        rows.append(["", "小計", "", dim.points, ""])
    rows.append(["總計", "", "", rubric.max, ""])
    if rubric.bands:
        rows[0] += ["", *BAND_HEADER]
        for i, band in enumerate(rubric.bands, 1):
            if i == len(rows):
                rows.append(["", "", "", "", ""])
            rows[i] += ["", band.label, band.min]
    return rows
