"""承辦單位 as offices write them: in their own column, in parentheses after the item, or shared.

* 「107年度清查人口作業(戶籍登記課)」, also （…） and a line break before it: the unit of the item.
* 「各課」「全所各課」「各課室」: every unit the sheet names.
* 「戶籍登記、資料課」: several units sharing the suffix 課 (and here the prefix 戶籍: 資料課 is the
  sheet's 戶籍資料課); 「A課及B課」 likewise.

A shared task keeps the text as its display ``unit`` and lists the units it means in
``Task.units``; no unit called 「各課」 is ever created.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from toolkit.schedule.model import Task
from toolkit.text import nfkc, squash

#: Words meaning "every unit of the office" (compared without spaces, NFKC).
EVERY_UNIT = frozenset({
    "各課", "全所各課", "各課室", "全所各課室", "本所各課", "本所各課室", "所屬各課", "各課(室)",
    "全所", "全所同仁", "各單位", "全所各單位", "本所各單位", "各科室", "全所各科室",
})
#: Endings of unit names, longest first (課室 before 室).
UNIT_SUFFIXES = ("課室", "中心", "小組", "課", "室", "組", "股", "科", "處", "隊", "站")
#: Office functions written without a suffix in parentheses: 「(會計)」「(人事)」.
FUNCTION_NAMES = frozenset({"會計", "人事", "政風", "主計", "研考", "秘書", "總務", "資訊"})
#: Header words saying the parentheses of a column hold the unit: 「計畫項目(課室)」.
UNIT_HINTS = frozenset({"課室", "承辦單位", "承辦課室", "單位", "課別", "權責單位", "承辦課",
                        "主辦單位", "主辦課室", "業務單位", "負責單位"})
_LIST_SPLIT = re.compile(r"[、,，;；/／]+|及|與|和|暨")
_TRAILING = re.compile(r"^(?P<body>.*?)\s*[(（](?P<unit>[^()（）]+)[)）]\s*$", re.DOTALL)
_CJK_BREAK = re.compile(r"(?<=[^\x00-\x7f])\s*\n\s*(?=[^\x00-\x7f])")


def one_line(text: str) -> str:
    """A cell's text on one line: a break between two CJK characters joins them (the typist
    wrapped the line by hand), any other break becomes a space; runs of spaces fold."""
    return " ".join(_CJK_BREAK.sub("", text.replace("\r", "")).split())


def unit_name(text: str) -> str:
    """A unit as compared and shown: NFKC, no spaces (「戶籍 登記課」 → 戶籍登記課)."""
    return squash(text)


def looks_like_unit(text: str) -> bool:
    """A name ending as units do (課, 室, 組…), an office function (會計) or 「各課」; for a list
    (「戶籍登記、資料課」) its last part decides, the others take its suffix."""
    name = unit_name(text)
    if not name or len(name) > 20 or any(ch.isdigit() for ch in name):
        return False
    parts = [p for p in _LIST_SPLIT.split(name) if p]
    last = parts[-1] if parts else ""
    return name in EVERY_UNIT or last in EVERY_UNIT or last in FUNCTION_NAMES \
        or last.endswith(UNIT_SUFFIXES)


def split_trailing_unit(text: str, *, hinted: bool) -> tuple[str, str | None]:
    """(text without it, unit) when the text ends with a unit in parentheses, else (text, None).

    ``hinted``: the column header says its parentheses hold the unit (「計畫項目(課室)」), so
    any trailing parenthesis is one; otherwise only one that looks like a unit name is.
    """
    m = _TRAILING.match(nfkc(text.strip()))
    if m and (hinted or looks_like_unit(m.group("unit"))) and m.group("body").strip():
        return one_line(m.group("body")), unit_name(m.group("unit"))
    return one_line(text), None


@dataclass(frozen=True)
class UnitReading:
    """What a 承辦單位 text means: the units, and a doubt (Chinese) when it cannot be resolved."""

    text: str
    units: tuple[str, ...]
    kind: str  # "single", "every" (各課), "list" (戶籍登記、資料課)
    doubt: str = ""
    how: str = ""  # for the reading: 「資料課 → 戶籍資料課」


def resolve_units(texts: Iterable[str], also: Iterable[str] = ()) -> dict[str, UnitReading]:
    """Each distinct unit text of a sheet → the units it means.

    Single names are the sheet's units. A list's parts take the last part's suffix when they
    lack one, then resolve to the sheet's unit of that name, or the only unit ending with it
    (資料課 → 戶籍資料課); a part matching none is a unit named only there. 「各課」 means every
    unit so found. ``also`` names units known besides the texts (a copy's 填報單位).
    """
    texts = list(dict.fromkeys(unit_name(t) for t in texts if unit_name(t)))
    known: list[str] = list(dict.fromkeys(unit_name(u) for u in also if unit_name(u)))
    kinds: dict[str, str] = {}
    for text in texts:
        parts = [p for p in _LIST_SPLIT.split(text) if p]
        if text in EVERY_UNIT or any(p in EVERY_UNIT for p in parts):
            kinds[text] = "every"
        elif len(parts) > 1:
            kinds[text] = "list"
        else:
            kinds[text] = "single"
            if text not in known:
                known.append(text)
    out: dict[str, UnitReading] = {}
    for text in texts:
        if kinds[text] == "list":
            out[text] = _resolve_list(text, known)
    for text in texts:
        if kinds[text] == "single":
            out[text] = UnitReading(text, (text,), "single")
        elif kinds[text] == "every":
            if known:
                out[text] = UnitReading(text, tuple(known), "every", how=f"{text} → {'、'.join(known)}")
            else:
                out[text] = UnitReading(text, (), "every", doubt=f"「{text}」指全所各單位，但表上沒有"
                                        "任何其他承辦單位可以展開；請寫出各單位名稱")
    return out


def _resolve_list(text: str, known: list[str]) -> UnitReading:
    parts = [p for p in _LIST_SPLIT.split(text) if p]
    suffix = next((s for s in UNIT_SUFFIXES if parts[-1].endswith(s)), "")
    units: list[str] = []
    steps: list[str] = []
    doubts: list[str] = []
    for part in parts:
        name = part if part.endswith(UNIT_SUFFIXES) or part in FUNCTION_NAMES else part + suffix
        if name in known:
            found = name
        else:
            candidates = [u for u in known if u.endswith(name)]
            if len(candidates) > 1:
                doubts.append(f"「{part}」可能是{'或'.join(candidates)}")
                continue
            found = candidates[0] if candidates else name
            if not candidates:
                known.append(found)  # named only here: still a unit of the sheet
        if found != part:
            steps.append(f"{part} → {found}")
        units.append(found)
    doubt = ""
    if doubts:
        doubt = f"共同承辦單位「{text}」無法判讀：{'；'.join(doubts)}"
    return UnitReading(text, tuple(dict.fromkeys(units)), "list", doubt, "、".join(steps))


def with_owners(tasks: Iterable[Task], also: Iterable[str] = ()) -> tuple[list[Task], dict[str, str]]:
    """The tasks with ``units`` set where the 承辦單位 is shared, and {unit text: doubt} for
    shared texts that cannot be resolved (those tasks keep ``units`` empty)."""
    tasks = list(tasks)
    readings = resolve_units((t.unit for t in tasks), also)
    out, doubts = [], {}
    for t in tasks:
        reading = readings.get(unit_name(t.unit))
        if reading is None or reading.kind == "single":
            out.append(t)
            continue
        if reading.doubt:
            doubts[t.unit] = reading.doubt
            out.append(t)
            continue
        out.append(replace(t, units=reading.units))
    return out, doubts
