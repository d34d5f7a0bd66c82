"""預定月份 as office staff write it: ``1-3,6``, ``1,2,3``, ``3月、6月``, ``全年``, ``每月``…"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from toolkit.text import clean_text, is_blank, squash

ALL_MONTHS: tuple[int, ...] = tuple(range(1, 13))

#: Whole-period words. 每季 is the quarter-end month, when quarterly reviews are held.
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
}
_CJK_NUMERALS = [("十二", "12"), ("十一", "11"), ("十", "10"), ("一", "1"), ("二", "2"),
                 ("三", "3"), ("四", "4"), ("五", "5"), ("六", "6"), ("七", "7"), ("八", "8"),
                 ("九", "9")]
_SPLIT = re.compile(r"[,、;/及和與]+")
_RANGE = re.compile(r"^(\d{1,2})月?[-~至到—–]+(\d{1,2})月?$")
_SINGLE = re.compile(r"^(\d{1,2})月?$")


def parse_months(value: Any) -> tuple[int, ...]:
    """The sorted months 1–12 a 預定月份 cell names; ValueError with a Chinese message otherwise."""
    if is_blank(value):
        raise ValueError("預定月份是空白的（例：1-3,6、3月、6月、全年、每月）")
    if isinstance(value, bool):
        raise ValueError(f"「{value}」不是月份")
    if isinstance(value, dt.date):
        # Excel turns a typed "1-3" into 1月3日: read it back as the range the user meant.
        if value.month <= value.day <= 12:
            return tuple(range(value.month, value.day + 1))
        raise ValueError("預定月份被 Excel 轉成了日期，請把此欄設為「文字」格式後重新輸入")
    if isinstance(value, int | float):
        if float(value).is_integer() and 1 <= value <= 12:
            return (int(value),)
        raise ValueError(f"「{clean_text(value)}」不是 1–12 的月份")
    text = squash(value).replace("月份", "月").replace("，", ",").replace("～", "~")
    if text in _KEYWORDS:
        return _KEYWORDS[text]
    for cjk, digits in _CJK_NUMERALS:
        text = text.replace(cjk, digits)
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
        elif part in _KEYWORDS:
            months.update(_KEYWORDS[part])
        else:
            raise ValueError(f"「{clean_text(value)}」無法判讀為月份（例：1-3,6、3月、6月、全年、每月）")
    if not months:
        raise ValueError(f"「{clean_text(value)}」沒有任何月份")
    return tuple(sorted(months))


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
    if is_blank(value) or value is False:
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value != 0
    return squash(value) not in NEGATIVE_MARKS
