"""民國 (ROC) calendar: parse every way office staff write a date, and format it back.

ROC year + 1911 = Gregorian year. The twdate package was considered: it converts a
TWDate to datetime and back but parses none of the written variants below, so the
parsing lives here and the arithmetic is plain datetime.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from toolkit.text import clean_text

ROC_OFFSET = 1911
#: Excel's day 0 (the 1900 leap-year bug makes 1899-12-30 the working epoch).
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31

_PREFIX = r"(?:民國|中華民國)?\s*"
_YMD_CJK = re.compile(_PREFIX + r"(\d{1,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_YMD_SEP = re.compile(_PREFIX + r"(\d{1,4})\s*([./\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})$")
_COMPACT = re.compile(r"(\d{6,7})$")
_YM_CJK = re.compile(_PREFIX + r"(\d{1,4})\s*年\s*(\d{1,2})\s*月?$")
_YM_SEP = re.compile(_PREFIX + r"(\d{1,4})\s*[./\-]\s*(\d{1,2})$")
_YM_COMPACT = re.compile(r"(\d{4,5})$")


class RocDateError(ValueError):
    """A value that is not a date; the message is for office staff."""


def to_gregorian_year(year: int) -> int:
    """A written year to Gregorian: 1–200 are ROC years, 1912 and later Gregorian."""
    if 1 <= year <= 200:
        return year + ROC_OFFSET
    if year > ROC_OFFSET:
        return year
    raise RocDateError(f"年份 {year} 無法判讀（民國年請寫 1–200，西元年請寫四位數）")


def _make(year: int, month: int, day: int, raw: str) -> dt.date:
    gyear = to_gregorian_year(year)
    try:
        return dt.date(gyear, month, day)
    except ValueError:
        raise RocDateError(f"「{raw}」不是存在的日期（民國{gyear - ROC_OFFSET}年{month}月{day}日）") from None


def from_excel_serial(serial: float) -> dt.date:
    if not 1 <= serial <= EXCEL_MAX_SERIAL:
        raise RocDateError(f"「{serial}」不是 Excel 日期序號")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value: Any) -> dt.date:
    """Any date an office sheet holds → ``datetime.date``.

    Accepts 113年2月26日, 民國113年02月26日, 113.2.26, 113/02/26, 113-02-26, 1130226,
    0990526, full-width digits, Gregorian 2024-02-26, Excel date cells and serial numbers.
    Raises RocDateError with a message naming the value.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or value is None:
        raise RocDateError("日期是空白的" if value is None else f"「{value}」不是日期")
    if isinstance(value, int | float):
        # 7-digit numbers are what Excel makes of a typed 1130226; real serials are < 100000
        # for any date before 2173, so the two never meet in practice.
        if float(value).is_integer() and 100_000 <= value <= 9_991_231:
            return parse_date(f"{int(value):07d}")
        return from_excel_serial(value)
    raw = clean_text(value)
    if not raw:
        raise RocDateError("日期是空白的")
    for pattern in (_YMD_CJK, _YMD_SEP):
        m = pattern.match(raw)
        if m:
            groups = [g for g in m.groups() if g not in {".", "/", "-"}]
            y, mo, d = (int(g) for g in groups)
            return _make(y, mo, d, raw)
    m = _COMPACT.match(raw)
    if m:
        digits = m.group(1)
        return _make(int(digits[:-4]), int(digits[-4:-2]), int(digits[-2:]), raw)
    raise RocDateError(f"「{raw}」不是可辨識的日期（例：113年2月26日、113.2.26、1130226）")


@dataclass(frozen=True, order=True)
class YearMonth:
    """A month of a ROC year: the "as of" of a progress report."""

    year: int  # ROC
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise RocDateError(f"月份 {self.month} 不在 1–12 之間")
        if not 1 <= self.year <= 200:
            raise RocDateError(f"民國年 {self.year} 無法判讀")

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def iso(self) -> str:
        """``107-06``: the form used in JSON and file names."""
        return f"{self.year}-{self.month:02d}"


def parse_year_month(value: Any) -> YearMonth:
    """``113年6月``, ``民國113年06月``, ``113-06``, ``113/6``, ``113.06``, ``11306``, a date."""
    if isinstance(value, dt.date):
        return YearMonth(value.year - ROC_OFFSET, value.month)
    raw = clean_text(value)
    for pattern in (_YM_CJK, _YM_SEP, _YM_COMPACT):
        m = pattern.match(raw)
        if m:
            if pattern is _YM_COMPACT:
                y, mo = int(m.group(1)[:-2]), int(m.group(1)[-2:])
            else:
                y, mo = int(m.group(1)), int(m.group(2))
            if y > ROC_OFFSET:
                y -= ROC_OFFSET
            return YearMonth(y, mo)
    try:
        date = parse_date(raw)
    except RocDateError:
        raise RocDateError(f"「{raw}」不是可辨識的年月（例：107年6月、107-06）") from None
    return YearMonth(date.year - ROC_OFFSET, date.month)


Style = Literal["cjk", "full", "dotted", "slashed", "compact"]


def format_date(date: dt.date, style: Style = "cjk") -> str:
    """``cjk`` 113年2月26日 · ``full`` 民國113年02月26日 · ``dotted`` 113.02.26 ·
    ``slashed`` 113/02/26 · ``compact`` 1130226."""
    y = date.year - ROC_OFFSET
    if y < 1:
        raise RocDateError(f"{date.isoformat()} 早於民國元年")
    match style:
        case "cjk":
            return f"{y}年{date.month}月{date.day}日"
        case "full":
            return f"民國{y}年{date.month:02d}月{date.day:02d}日"
        case "dotted":
            return f"{y}.{date.month:02d}.{date.day:02d}"
        case "slashed":
            return f"{y}/{date.month:02d}/{date.day:02d}"
        case "compact":
            return f"{y:03d}{date.month:02d}{date.day:02d}"
    raise ValueError(style)
