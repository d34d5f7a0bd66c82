"""``{{ 路徑 }}`` placeholders in an office's own form: find, parse, resolve, format (pure).

A placeholder names a value in svcq's results, which are given as ``{data name: the JSON
shape a command prints with --json}``: ``{{ score.total }}``,
``{{ survey.questions.整體滿意度.satisfaction_rate }}``, ``{{ status.summary.overall.late }}``.

Path rules (docs/fill.md says the same for users):

* Segments are separated by ``.``; spaces inside a segment belong to it
  (``Q5 整體滿意度``); full-width forms are folded first (``｛｛``, ``．``, ``１``).
  A key containing a dot is written in brackets: ``["Q5. 整體滿意度"]`` or ``[「…」]``.
* A key of an object matches exactly, else ignoring case, spaces and full/half width
  (one match only).
* An item of a list is addressed by its name — its ``name``, ``question``, ``task`` or
  ``unit`` field, or for a ``path`` field its last part or all parts joined by ``/`` — or by
  its position counted from 1 (``ranking.1`` is the first; ``[1]`` is always a position).
* The value reached must be a single value: a list or an object is a problem, as is an
  unknown key, a missing data name, or a list item that does not exist.

What a value becomes (``shown`` is how it reads inside text; ``cell_value`` what a cell whose
whole text is the placeholder receives):

* **Rate** — a number whose field (the last key of the path that is not a number, so
  ``rates.113`` counts as ``rates``) ends in ``rate``/``rates`` or is ``share``,
  ``completion``, ``ci95``, ``min_standard`` or ``margin_of_error…``: a fraction 0–1, read as
  ``91.8%`` (one decimal). ``difference`` (a change between two rates) reads
  ``+4.9 個百分點``; ``p_value`` reads ``0.011`` (``<0.001`` below that).
* Any other number reads with at most two decimals and no trailing zeros: ``85.5``, ``400``,
  ``4.32``. A whole cell gets the exact number; the cell's own number format shows it.
* A date (``datetime.date`` or ``2024-02-26``) reads in 民國, ``113年2月26日``; ``as_of``
  (``107-06``) reads ``107年6月``. A whole cell gets a date only if it already shows dates.
* true/false read 是/否; null (e.g. the 完成度 of a task not yet due) reads as blank and
  clears a whole cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

from toolkit.problems import Problem
from toolkit.roc import RocDateError, YearMonth, format_date, parse_year_month
from toolkit.text import nfkc, squash

__all__ = [
    "ITEM_FIELDS", "Filled", "Found", "PathError", "Resolved", "cell_value", "fill_text",
    "find", "format_path", "has_braces", "is_rate", "parse_path", "resolve", "shown",
]

#: Fields that name a list item, in the order they are tried.
ITEM_FIELDS = ("name", "question", "task", "unit", "path")
#: Fields holding a fraction 0–1 (besides every field ending in rate/rates).
RATE_FIELDS = frozenset({"share", "shares", "completion", "ci95", "min_standard"})
POINT_FIELDS = frozenset({"difference"})  # a change between two rates
YEAR_MONTH_FIELDS = frozenset({"as_of"})

_TOKEN = re.compile(r"[{｛]{2}(?P<body>.*?)[}｝]{2}", re.S)
_STRAY = re.compile(r"[{｛]{2}|[}｝]{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_QUOTES = {'"': '"', "'": "'", "「": "」", "『": "』"}
_SHOW_AT_MOST = 12  # names listed in a "有：…" hint


class PathError(ValueError):
    """A placeholder that cannot be filled: ``code`` and a message for office staff."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Segment:
    text: str  # NFKC-folded as written
    position: int | None = None  # [n] written in brackets: always a position (1-based)
    quoted: bool = False  # ["…"]: always a key or name, never a position


@dataclass(frozen=True)
class Found:
    """One ``{{ … }}`` in a cell's text."""

    start: int
    end: int
    path: str  # the text between the braces, stripped


@dataclass(frozen=True)
class Resolved:
    value: Any
    field: str | None  # the field that says what kind of number it is (see is_rate)


@dataclass
class Filled:
    """What a cell's text becomes: ``value`` for the cell, ``shown`` for people."""

    whole: bool  # the cell's whole text is one placeholder
    paths: list[str]
    value: Any = None
    shown: str = ""
    problems: list[Problem] = field(default_factory=list)


# -- finding ------------------------------------------------------------------------------

def has_braces(text: str) -> bool:
    """Cheap test before the real scan: could ``text`` hold a placeholder (or a broken one)?"""
    return "{{" in text or "}}" in text or "｛" in text or "｝" in text


def find(text: str) -> tuple[list[Found], list[Problem]]:
    """The placeholders in ``text`` and problems with braces that do not pair up."""
    found = [Found(m.start(), m.end(), _clean_body(m.group("body"))) for m in _TOKEN.finditer(text)]
    problems = []
    for f in found:
        if not f.path:
            problems.append(Problem("fill-bad-placeholder", "「{{ }}」中沒有寫路徑（例：{{ score.total }}）"))
    rest = _TOKEN.sub("", text)
    if _STRAY.search(rest):
        problems.append(Problem("fill-bad-placeholder",
                                f"「{_excerpt(text)}」的大括號不成對：欄位應寫成 {{{{ 路徑 }}}}"))
    return found, problems


def _clean_body(body: str) -> str:
    return " ".join(nfkc(body).split())


def _excerpt(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# -- paths --------------------------------------------------------------------------------

_PATH_TOKEN = re.compile(r"\[[^\]]*\]|\.|[^.\[\]]+|[\[\]]")


def parse_path(text: str) -> list[Segment]:
    """``survey.questions.Q5 整體滿意度.satisfaction_rate`` → segments; raises PathError."""
    text = nfkc(text).strip()
    segments: list[Segment] = []
    expect_name = True  # at the start and after a dot a name or [..] must come

    def bad(why: str) -> PathError:
        return PathError("fill-bad-placeholder", f"路徑「{text}」寫法有誤：{why}")

    for token in _PATH_TOKEN.findall(text):
        if token == ".":
            if expect_name:
                raise bad("開頭不可是「.」" if not segments else "兩個「.」之間沒有名稱")
            expect_name = True
        elif token in ("[", "]"):
            raise bad(f"「{token}」沒有成對")
        elif token.startswith("["):
            segments.append(_bracket(token[1:-1].strip(), bad))
            expect_name = False
        else:
            word = " ".join(token.split())
            if not word and expect_name:
                raise bad("兩個「.」之間沒有名稱" if segments else "沒有名稱")
            if word and not expect_name:
                raise bad(f"「]」後面應接「.」（在「{word}」之前）")
            if word:
                segments.append(Segment(word))
                expect_name = False
    if expect_name:
        raise bad("結尾不可是「.」" if segments else "沒有名稱")
    return segments


def _bracket(inner: str, bad: Callable[[str], PathError]) -> Segment:
    if inner[:1] in _QUOTES and len(inner) >= 2 and inner.endswith(_QUOTES[inner[0]]):
        inner = " ".join(inner[1:-1].split())
        if not inner:
            raise bad("括號中的名稱是空的")
        return Segment(inner, quoted=True)
    if inner.isdigit():
        return Segment(inner, position=int(inner))
    if not inner:
        raise bad("「[]」中沒有項次或名稱")
    return Segment(" ".join(inner.split()), quoted=True)


def format_path(segments: Sequence[Segment]) -> str:
    out = ""
    for s in segments:
        if s.position is not None:
            out += f"[{s.position}]"
        elif s.quoted and "." in s.text:
            out += f"[「{s.text}」]"
        else:
            out += ("." if out else "") + s.text
    return out


def _fold(key: Any) -> str:
    return squash(str(key)).casefold()


def _names(item: Any) -> list[str]:
    """The names a list item answers to (see ITEM_FIELDS)."""
    if not isinstance(item, Mapping):
        return []
    out = []
    for key in ITEM_FIELDS:
        value = item.get(key)
        if key == "path" and isinstance(value, list | tuple) and value:
            parts = [str(v) for v in value]
            out += [parts[-1], "/".join(parts)]
        elif isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            out.append(str(value))
    return out


def _first_name(item: Any) -> str | None:
    """The name a hint shows for an item (a path's last part)."""
    names = _names(item)
    return names[0] if names else None


def _hint(options: Sequence[str]) -> str:
    shown = "、".join(options[:_SHOW_AT_MOST])
    return shown + (f"…等 {len(options)} 項" if len(options) > _SHOW_AT_MOST else "")


def resolve(path: str | Sequence[Segment], data: Mapping[str, Any]) -> Resolved:
    """The value at ``path`` in ``data`` ({data name: result}); raises PathError."""
    segments = parse_path(path) if isinstance(path, str) else list(path)
    written = format_path(segments)
    head = segments[0]
    names = [str(k) for k in data]
    key = _match_key(data, head)
    if key is None:
        given = f"（已提供：{'、'.join(names)}）" if names else "（目前沒有提供任何資料）"
        raise PathError("fill-no-data", f"「{written}」：沒有名為「{head.text}」的資料{given}；"
                        f"請以 --data {head.text}=檔案 提供")
    value: Any = data[key]
    trail = [str(key)]
    field_name: str | None = None
    for seg in segments[1:]:
        here = ".".join(trail).replace(".[", "[")
        if isinstance(value, Mapping):
            key = _match_key(value, seg)
            if key is None:
                options = [str(k) for k in value]
                raise PathError("fill-unknown-path", f"「{written}」：{here} 中沒有「{seg.text}」"
                                f"（有：{_hint(options)}）")
            value = value[key]
            trail.append(str(key))
            if not _fold(key).lstrip("-").isdigit():
                field_name = str(key)
        elif isinstance(value, list | tuple):
            index = _match_item(value, seg, written, here)
            value = value[index]
            trail.append(_first_name(value) or f"[{index + 1}]")
        else:
            raise PathError("fill-unknown-path", f"「{written}」：{here} 已是單一值"
                            f"（{shown(Resolved(value, field_name))}），其下沒有「{seg.text}」")
    if isinstance(value, Mapping | list | tuple):
        raise PathError("fill-not-a-value", _not_a_value(written, value))
    if isinstance(value, float) and not math.isfinite(value):
        raise PathError("fill-not-a-value", f"「{written}」沒有可填入的數值（{value}）")
    return Resolved(value, field_name)


def _match_key(mapping: Mapping[Any, Any], seg: Segment) -> Any:
    for k in mapping:
        if str(k) == seg.text:
            return k
    hits = [k for k in mapping if _fold(k) == _fold(seg.text)]
    return hits[0] if len(hits) == 1 else None


def _match_item(items: Sequence[Any], seg: Segment, written: str, here: str) -> int:
    if seg.position is None:
        exact = [i for i, item in enumerate(items) if seg.text in _names(item)]
        hits = exact or [i for i, item in enumerate(items)
                         if _fold(seg.text) in {_fold(n) for n in _names(item)}]
        as_position = seg.text.isdigit() and not seg.quoted
        if len(hits) > 1:
            where = "、".join(f"第 {i + 1} 項" for i in hits)
            raise PathError("fill-ambiguous-item", f"「{written}」：{here} 中有 {len(hits)} 項名為"
                            f"「{seg.text}」（{where}），請改用項次，例如 {here}[{hits[0] + 1}]")
        if hits and as_position and int(seg.text) <= len(items) and hits[0] != int(seg.text) - 1:
            raise PathError("fill-ambiguous-item", f"「{written}」：{seg.text} 可能是名為「{seg.text}」"
                            f"的項目，也可能是第 {seg.text} 項；名稱請寫 {here}[\"{seg.text}\"]，"
                            f"項次請寫 {here}[{seg.text}]")
        if hits:
            return hits[0]
        if not as_position:
            options = [n for n in (_first_name(item) for item in items) if n]
            have = f"（有：{_hint(options)}）" if options else f"（此清單的項目沒有名稱，請用項次 1–{len(items)}）"
            raise PathError("fill-no-item", f"「{written}」：{here} 中沒有名為「{seg.text}」的項目{have}")
        position = int(seg.text)
    else:
        position = seg.position
    if not 1 <= position <= len(items):
        raise PathError("fill-no-item", f"「{written}」：{here} 只有 {len(items)} 項，沒有第 {position} 項"
                        "（項次從 1 起算）")
    return position - 1


def _not_a_value(written: str, value: Any) -> str:
    if isinstance(value, Mapping):
        keys = [str(k) for k in value]
        example = f"，例如 {written}.{keys[0]}" if keys else ""
        return (f"「{written}」是一組資料（含 {_hint(keys)}），不是單一值；請指定其中一項{example}")
    names = [n for n in (_first_name(item) for item in value) if n]
    example = f"{written}.{names[0]}" if names else f"{written}[1]"
    return (f"「{written}」是 {len(value)} 項的清單，不是單一值；請指定其中一項，例如 {example}")


# -- formatting ---------------------------------------------------------------------------

def is_rate(field_name: str | None) -> bool:
    """A field holding a fraction 0–1 that people read as a percentage (module doc)."""
    if not field_name:
        return False
    f = field_name.casefold()
    return f.endswith(("rate", "rates")) or f in RATE_FIELDS or f.startswith("margin_of_error")


def _plain_number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _as_date(value: Any, field_name: str | None) -> dt.date | YearMonth | None:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    if field_name in YEAR_MONTH_FIELDS:
        try:
            return parse_year_month(text)
        except RocDateError:
            return None
    return None


def shown(resolved: Resolved) -> str:
    """The value as it reads inside a sentence."""
    value, field_name = resolved.value, resolved.field
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Real):
        number = float(value)
        f = (field_name or "").casefold()
        if f in POINT_FIELDS:
            return f"{'+' if number >= 0 else '−'}{abs(number) * 100:.1f} 個百分點"
        if f == "p_value":
            return "<0.001" if number < 0.001 else f"{number:.3f}"
        if is_rate(field_name):
            return f"{number * 100:.1f}%"
        return _plain_number(number)
    date = _as_date(value, field_name)
    if isinstance(date, YearMonth):
        return str(date)
    if isinstance(date, dt.date):
        try:
            return format_date(date)
        except RocDateError:
            return date.isoformat()
    return str(value)


def cell_value(resolved: Resolved, *, cell_shows_date: bool = False) -> Any:
    """What a cell whose whole text is the placeholder receives: a number stays a number
    (the cell's format shows it), text stays text, a date is a date only in a date cell."""
    value = resolved.value
    if value is None:
        return None
    if isinstance(value, bool):
        return shown(resolved)
    if isinstance(value, Real):
        number = float(value)
        return int(number) if isinstance(value, int) else number
    date = _as_date(value, resolved.field)
    if isinstance(date, dt.date) and cell_shows_date and date.year >= 1900:
        return date
    if date is not None:
        return shown(resolved)
    return str(value)


# -- a cell -------------------------------------------------------------------------------

def fill_text(text: str, data: Mapping[str, Any], *, cell_shows_date: bool = False) -> Filled:
    """Fill every placeholder of one cell's ``text``; problems carry no location yet."""
    found, problems = find(text)
    whole = len(found) == 1 and _is_whole(text, found)
    result = Filled(whole, [f.path for f in found], problems=list(problems))
    pieces: list[str] = []
    last = 0
    for f in found:
        pieces.append(text[last: f.start])
        last = f.end
        if not f.path:
            continue
        try:
            resolved = resolve(f.path, data)
        except PathError as exc:
            result.problems.append(Problem(exc.code, str(exc)))
            continue
        if whole:
            result.value = cell_value(resolved, cell_shows_date=cell_shows_date)
            result.shown = shown(resolved)
            return result
        pieces.append(shown(resolved))
    pieces.append(text[last:])
    if not whole:
        result.value = result.shown = "".join(pieces)
    return result


def _is_whole(text: str, found: Sequence[Found]) -> bool:
    f = found[0]
    return not text[: f.start].strip() and not text[f.end:].strip()
