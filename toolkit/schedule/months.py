"""預定月份 as office staff write it: ``1-3,6``, ``1,2,3``, ``3月、6月``, ``全年``, ``每月``…"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from toolkit.text import CJK_NUMERAL_CHARS, cjk_number, clean_text, is_blank, squash
from toolkit.values import is_error

ALL_MONTHS: tuple[int, ...] = tuple(range(1, 13))

#: Whole-period words. 每季 is the quarter-end month, when quarterly reviews are held, and
#: 每半年 the half-year ends for the same reason; 第2季 is the quarter itself (4–6).
_KEYWORDS: dict[str, tuple[int, ...]] = {
    "全年": ALL_MONTHS,
    "全年度": ALL_MONTHS,
    "整年": ALL_MONTHS,
    "每月": ALL_MONTHS,
    "逐月": ALL_MONTHS,
    "經常性": ALL_MONTHS,
    "上半年": tuple(range(1, 7)),
    "下半年": tuple(range(7, 13)),
    "每季": (3, 6, 9, 12),
    "每半年": (6, 12),
    "單月": (1, 3, 5, 7, 9, 11),
    "每單月": (1, 3, 5, 7, 9, 11),
    "雙月": (2, 4, 6, 8, 10, 12),
    "每雙月": (2, 4, 6, 8, 10, 12),
}
_NUMERAL = re.compile(f"[{CJK_NUMERAL_CHARS}兩]+")
_SPLIT = re.compile(r"[,、;/及和與]+")
#: A month with a part of it (3月底, 3月上旬): still that month.
_PART_OF_MONTH = r"(?:底|初|中|上旬|中旬|下旬)?"
_RANGE = re.compile(r"^(\d{1,2})月?" + _PART_OF_MONTH + r"[-~至到]+(\d{1,2})月?" + _PART_OF_MONTH + "$")
_SINGLE = re.compile(r"^(\d{1,2})月?" + _PART_OF_MONTH + "$")
_QUARTER = re.compile(r"^第(\d)(?:[-~至到]+第?(\d))?季$")
#: Dashes between months: hyphens, en/em dashes, minus signs (NFKC leaves them apart).
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


def parse_months(value: Any) -> tuple[int, ...]:
    """The sorted months 1–12 a 預定月份 cell names; ValueError with a Chinese message otherwise.

    An Excel date cell is asked about, never read: a typed 3-6 and a typed 3/6 both become
    3月6日, which may mean months 3 and 6 or 3 to 6."""
    if is_blank(value):
        raise ValueError("預定月份是空白的（例：1-3,6、3月、6月、全年、每月）")
    if isinstance(value, bool):
        raise ValueError(f"「{value}」不是月份")
    if isinstance(value, dt.date):
        first, second = value.month, value.day
        if first < second <= 12:
            raise ValueError(f"預定月份被 Excel 轉成了日期（{first}月{second}日）：無法確定是 {first}月和"
                             f"{second}月，還是 {first}–{second}月。請把此欄設為「文字」格式後重新輸入"
                             "（例：3,6 或 3-6）")
        raise ValueError(f"預定月份被 Excel 轉成了日期（{first}月{second}日），請把此欄設為「文字」"
                         "格式後重新輸入（例：1-3,6）")
    if isinstance(value, int | float):
        if float(value).is_integer() and 1 <= value <= 12:
            return (int(value),)
        raise ValueError(f"「{clean_text(value)}」不是 1–12 的月份")
    text = squash(value).replace("月份", "月").replace("，", ",").replace("～", "~").translate(_DASHES)
    if text in _KEYWORDS:
        return _KEYWORDS[text]
    text = _NUMERAL.sub(lambda m: _numeral(m.group(), value), text)
    months: set[int] = set()
    for part in filter(None, _SPLIT.split(text)):
        if m := _RANGE.match(part):
            start, end = int(m.group(1)), int(m.group(2))
            _check(start, value)
            _check(end, value)
            if start > end:
                raise ValueError(f"「{clean_text(value)}」的區間 {start}-{end} 前大後小")
            months.update(range(start, end + 1))
        elif m := _SINGLE.match(part):
            months.add(_check(int(m.group(1)), value))
        elif m := _QUARTER.match(part):
            first, last = int(m.group(1)), int(m.group(2) or m.group(1))
            if not 1 <= first <= last <= 4:
                raise ValueError(f"「{clean_text(value)}」的季別須為第1–4季")
            months.update(range(first * 3 - 2, last * 3 + 1))
        elif part in _KEYWORDS:
            months.update(_KEYWORDS[part])
        else:
            raise ValueError(f"「{clean_text(value)}」無法判讀為月份（例：1-3,6、3月、6月、全年、每月）")
    if not months:
        raise ValueError(f"「{clean_text(value)}」沒有任何月份")
    return tuple(sorted(months))


def _numeral(text: str, raw: Any) -> str:
    number = cjk_number(text.replace("兩", "二"))
    if number is None:
        raise ValueError(f"「{clean_text(raw)}」中的「{text}」不是數字")
    return str(number)


def _check(month: int, raw: Any) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"「{clean_text(raw)}」中的 {month} 不是 1–12 的月份")
    return month


def format_months(months: tuple[int, ...] | list[int]) -> str:
    """Back to the compact form staff write: (1, 2, 3, 6) → ``1-3,6``; all twelve → ``全年``."""
    months = sorted(set(months))
    if months == list(ALL_MONTHS):
        return "全年"
    parts: list[str] = []
    i = 0
    while i < len(months):
        j = i
        while j + 1 < len(months) and months[j + 1] == months[j] + 1:
            j += 1
        parts.append(str(months[i]) if i == j else f"{months[i]}-{months[j]}")
        i = j + 1
    return ",".join(parts)


#: What staff type to say "not done" in a month cell; anything else non-blank is a mark.
NEGATIVE_MARKS = frozenset({"0", "-", "—", "–", "×", "✗", "✘", "x", "X", "否", "無", "未", "未完成",
                            "N", "n", "no", "NO", "No"})


def is_mark(value: Any) -> bool:
    """A month cell counts as marked when it holds anything but blank or an explicit "no"."""
    if is_blank(value) or value is False or is_error(value):
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value != 0
    return squash(value) not in NEGATIVE_MARKS
