"""Rubrics as data: a tree 構面 → 項目 → 指標 with 配分 on the scored leaves.

A rubric arrives as a plain dict (parsed YAML); ``rubric_from_dict`` checks it and returns
an immutable tree. Parents may omit 配分 (it is then the sum of their children); when given
it must equal that sum, which is how a typo in a 配分 is caught before anyone scores.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from toolkit.frames import frame
from toolkit.problems import Problem, ProblemsFound
from toolkit.text import clean_text, parse_number, squash

if TYPE_CHECKING:
    import pandas as pd

#: Names of the three levels, as the sheet's column headers.
LEVELS = ("構面", "項目", "指標")

#: Chinese keys a user may write in their own YAML instead of the English ones.
_ALIASES = {
    "名稱": "name", "配分": "points", "細項": "children", "具體作法": "guidance",
    "說明": "guidance", "構面": "dimensions", "等第": "bands", "最低分": "min",
    "等第名稱": "label", "標題": "title", "出處": "source", "代號": "name",
}
#: "服務友善(5分)" and "服務友善（5 分）" name the same leaf as "服務友善".
_POINTS_NOTE = re.compile(r"[(（]\s*[\d.]+\s*分\s*[)）]")
_EPS = 1e-9


def name_key(name: Any) -> str:
    """How leaf names are compared: NFKC, no spaces, no trailing 配分 note."""
    return squash(_POINTS_NOTE.sub("", clean_text(name)))


@dataclass(frozen=True)
class Node:
    name: str
    points: float
    children: tuple[Node, ...] = ()
    guidance: str = ""

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class Leaf:
    """A scored leaf with its ancestors' names: (構面, 項目) or (構面, 項目, 指標)."""

    path: tuple[str, ...]
    points: float
    guidance: str = ""

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def dimension(self) -> str:
        return self.path[0]

    @property
    def label(self) -> str:
        return " › ".join(self.path)


@dataclass(frozen=True)
class Band:
    """A grade band: totals ≥ ``min`` (and below the next band) get ``label``."""

    min: float
    label: str


@dataclass(frozen=True)
class Rubric:
    name: str
    title: str
    dimensions: tuple[Node, ...]
    bands: tuple[Band, ...] = ()  # highest first
    source: str = ""
    leaves: tuple[Leaf, ...] = field(init=False)

    def __post_init__(self) -> None:
        leaves = [
            Leaf((d.name, i.name, *((x.name,) if x is not i else ())), x.points, x.guidance)
            for d in self.dimensions for i in d.children for x in (i.children or (i,))
        ]
        object.__setattr__(self, "leaves", tuple(leaves))

    @property
    def max(self) -> float:
        return sum(d.points for d in self.dimensions)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "max": self.max, "leaves": len(self.leaves),
                "dimensions": [{"name": d.name, "max": d.points} for d in self.dimensions],
                "bands": [{"min": b.min, "label": b.label} for b in self.bands]}

    def to_pandas(self) -> pd.DataFrame:
        """One row per leaf: its path, 配分 and guidance."""
        return frame(({"dimension": leaf.dimension, "path": " › ".join(leaf.path), "points": leaf.points,
                       "guidance": leaf.guidance} for leaf in self.leaves),
                     ["dimension", "path", "points", "guidance"])

    def band(self, total: float) -> str | None:
        """The grade band of ``total`` (None when the rubric has no bands)."""
        for band in self.bands:
            if total >= band.min - _EPS:
                return band.label
        return None

    def find(self, names: tuple[str, ...]) -> Leaf | None:
        """The leaf named by the last non-blank of ``names`` (構面, 項目, 指標 as read).

        A leaf name is matched on its own; where two leaves share a name, the item and then
        the dimension decide.
        """
        keys = [name_key(n) for n in names]
        filled = [k for k in keys if k]
        if not filled:
            return None
        candidates = [leaf for leaf in self.leaves if name_key(leaf.name) == filled[-1]]
        for level in (-2, -3):
            if len(candidates) <= 1 or len(filled) < -level:
                break
            narrowed = [c for c in candidates
                        if len(c.path) >= -level and name_key(c.path[level]) == filled[level]]
            candidates = narrowed or candidates
        return candidates[0] if len(candidates) == 1 else None


def rubric_from_dict(data: Any, *, source: str = "") -> Rubric:
    """Check a parsed YAML rubric and build the tree; ProblemsFound lists every mistake."""
    problems: list[Problem] = []

    def fail(message: str) -> None:
        problems.append(Problem("bad-rubric", message, source or None))

    data = _normalise_keys(data)
    if not isinstance(data, Mapping):
        raise ProblemsFound([Problem("bad-rubric", "評分基準檔的內容必須是對照表（name、dimensions…）",
                                     source or None)])
    name = clean_text(data.get("name"))
    if not name:
        fail("評分基準缺少 name（代號，例如 penghu-107）")
    title = str(data.get("title") or "").strip() or name
    dims_raw = data.get("dimensions")
    if not isinstance(dims_raw, list) or not dims_raw:
        fail("評分基準缺少 dimensions（構面清單）")
        dims_raw = []
    dims = tuple(n for n in (_node(d, 0, (), fail) for d in dims_raw) if n is not None)
    for d in dims:
        if d.is_leaf:
            fail(f"構面「{d.name}」底下至少要有一個項目（配分寫在項目或指標上）")
    _check_unique([d.name for d in dims], "構面", fail)
    bands = _bands(data.get("bands"), fail)
    if problems:
        raise ProblemsFound(problems)
    rubric = Rubric(name, title, dims, bands, clean_text(data.get("source")))
    for band in bands:
        if band.min > rubric.max + _EPS:
            problems.append(Problem("bad-rubric", f"等第「{band.label}」的最低分 {band.min:g} 超過總配分 "
                                    f"{rubric.max:g}", source or None))
    if problems:
        raise ProblemsFound(problems)
    return rubric


def _normalise_keys(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {_ALIASES.get(clean_text(k), clean_text(k)): _normalise_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise_keys(v) for v in value]
    return value


def _node(raw: Any, depth: int, parents: tuple[str, ...], fail: Any) -> Node | None:
    where = " › ".join(parents)
    level = LEVELS[depth] if depth < len(LEVELS) else f"第 {depth + 1} 層"
    if isinstance(raw, str):
        raw = {"name": raw}
    if not isinstance(raw, Mapping):
        fail(f"{where + ' 的' if where else ''}{level}必須是含 name 與 points 的項目")
        return None
    name = clean_text(raw.get("name"))
    if not name:
        fail(f"{where + ' 底下有' if where else '有'}{level}缺少 name")
        return None
    here = " › ".join((*parents, name))
    if depth >= len(LEVELS):
        fail(f"「{here}」超過三層（構面 → 項目 → 指標）")
        return None
    kids_raw = raw.get("children") or []
    if not isinstance(kids_raw, list):
        fail(f"「{here}」的 children 必須是清單")
        kids_raw = []
    kids = tuple(n for n in (_node(k, depth + 1, (*parents, name), fail) for k in kids_raw)
                 if n is not None)
    _check_unique([k.name for k in kids], f"「{here}」底下的名稱", fail)
    points = _points(raw.get("points"), here, fail)
    if kids:
        total = sum(k.points for k in kids)
        if points is None:
            points = total
        elif not math.isclose(points, total, abs_tol=1e-6):
            fail(f"「{here}」配分 {points:g}，但其下各項配分合計 {total:g}")
    elif points is None:
        if raw.get("points") in (None, ""):  # an unreadable value was reported already
            fail(f"「{here}」是計分項目，必須有配分（points）")
        points = 0.0
    return Node(name, points, kids, _guidance(raw.get("guidance")))


def _points(raw: Any, here: str, fail: Any) -> float | None:
    if raw is None or raw == "":
        return None
    value = parse_number(raw, unit="分")
    if value is None or value <= 0:
        fail(f"「{here}」的配分「{raw}」必須是大於 0 的數字")
        return None
    return value


def _guidance(raw: Any) -> str:
    """Guidance as display text: a string, a list of lines, or 次指標 → 作法 mappings."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.strip()
    lines: list[str] = []
    for entry in raw if isinstance(raw, list) else [raw]:
        if isinstance(entry, Mapping):
            for head, body in entry.items():
                # the 作法 of one 次指標 as one paragraph: a cell holds it without a page of lines
                parts = body if isinstance(body, list) else [body]
                lines += [f"【{clean_text(head)}】", "".join(str(b).strip() for b in parts if b)]
        else:
            lines.append(str(entry).strip())
    return "\n".join(lines)


def _check_unique(names: list[str], what: str, fail: Any) -> None:
    seen: set[str] = set()
    for n in names:
        if name_key(n) in seen:
            fail(f"{what}「{n}」重複")
        seen.add(name_key(n))


def _bands(raw: Any, fail: Any) -> tuple[Band, ...]:
    if not raw:
        return ()
    if not isinstance(raw, list):
        fail("bands（等第）必須是清單，例如 - {min: 90, label: 優良}")
        return ()
    bands: list[Band] = []
    for entry in raw:
        label = clean_text(entry.get("label")) if isinstance(entry, Mapping) else ""
        low = parse_number(entry.get("min")) if isinstance(entry, Mapping) else None
        if not label or low is None or low < 0:
            fail(f"等第「{entry}」需要 label 與不小於 0 的 min")
            continue
        bands.append(Band(low, label))
    bands.sort(key=lambda b: -b.min)
    if len({b.min for b in bands}) != len(bands):
        fail("兩個等第的最低分（min）相同")
    return tuple(bands)
