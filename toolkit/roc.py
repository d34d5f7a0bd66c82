"""民國 (ROC) calendar: parse every way office staff write a date, and format it back.

ROC year + 1911 = Gregorian year. The twdate package was considered: it converts a
TWDate to datetime and back but parses none of the written variants below, so the
parsing lives here and the arithmetic is plain datetime.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any, Literal

from toolkit.text import cjk_number, clean_text

ROC_OFFSET = 1911
#: Excel's day 0 (the 1900 leap-year bug makes 1899-12-30 the working epoch).
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31

#: ROC years a date without 民國 may carry: 80–150 is 1991–2061, every plan svcq will see.
#: A short year outside it (24/02/26, 1/2/3) has several readings and is asked about.
PLAUSIBLE_ROC_YEARS = range(80, 151)

_NUM = r"(\d{1,4}|[〇○零一二三四五六七八九十百千廿卅兩]+)"
_PREFIX = r"(?P<roc>民國|中華民國)?\s*"
_YMD_CJK = re.compile(_PREFIX + r"(?P<y>\d{1,4}|元|[〇○零一二三四五六七八九十百千兩]+)\s*年\s*"
                      + _NUM + r"\s*月\s*" + _NUM + r"\s*(?:日|號)?$")
_YMD_SEP = re.compile(_PREFIX + r"(?P<y>\d{1,4})\s*([./\-])\s*(\d{1,2})\s*\3\s*(\d{1,2})$")
_COMPACT = re.compile(r"(\d{6,8})$")
_YM_CJK = re.compile(_PREFIX + r"(?P<y>\d{1,4}|元|[〇○零一二三四五六七八九十百千兩]+)\s*年\s*"
                     + _NUM + r"\s*月?(?:份)?$")
_YM_SEP = re.compile(_PREFIX + r"(?P<y>\d{1,4})\s*[./\-]\s*(\d{1,2})$")
_YM_COMPACT = re.compile(r"(\d{4,5})$")
#: Dashes people and programs put between date parts: hyphens, en/em dashes, minus signs.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63", "-"))
#: A weekday after the date, as Excel's 「long date」 writes it: （星期一）, (週一), (一), Mon.
_WEEKDAY = re.compile(r"\s*\(?\s*(?:星期|週|周|禮拜)?([一二三四五六日天])\s*\)?$|"
                      r"\s*\(?\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?\s*\)?$", re.I)
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
             "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
#: A time after the date: 下午 02:30:00, 14:30, 2:30 PM, T09:30:00.
_TIME = re.compile(r"(?:\s+|T)(?:(上午|下午|AM|PM)\s*)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                   r"(?:\s*(AM|PM))?$", re.I)


class RocDateError(ValueError):
    """A value that is not a date, or whose date is not certain; the message is for office staff."""


class AmbiguousDateError(RocDateError):
    """A value that looks like a date but could be more than one: the user must say which."""


def to_gregorian_year(year: int) -> int:
    """A written year to Gregorian: 1–200 are ROC years, 1912 and later Gregorian."""
    if 1 <= year <= 200:
        return year + ROC_OFFSET
    if year > ROC_OFFSET:
        return year
    raise RocDateError(f"年份 {year} 無法判讀（民國年請寫 1–200，西元年請寫四位數）")


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    value = cjk_number(text.replace("兩", "二"))
    if value is None:
        raise RocDateError(f"「{text}」不是數字")
    return value


def _year(text: str, raw: str, *, explicit: bool, years: range) -> int:
    """The Gregorian year a written year means, or RocDateError when it is not certain.

    Four digits from 1912 are Gregorian. A year after 民國 is ROC, 元 included. Any other
    short year is ROC only inside ``years``: 24/02/26 may be 民國24年, 2024 or day/month/year."""
    if text == "元":
        if not explicit:
            raise RocDateError(f"「{raw}」的「元年」請寫成「民國元年」")
        return 1 + ROC_OFFSET
    year = _number(text)
    if text.isdigit() and len(text) == 4 and year > ROC_OFFSET:
        return year
    if explicit and 1 <= year <= 200:
        return year + ROC_OFFSET
    if year in years:
        return year + ROC_OFFSET
    if 1 <= year <= 200:
        raise AmbiguousDateError(
            f"「{raw}」的年份 {text} 不確定：是民國{year}年（西元{year + ROC_OFFSET}年）、西元"
            f"{2000 + year if year < 100 else year}年，還是另一種順序（日／月／年）？請寫成民國年（例："
            f"113/2/26，或「民國{year}年…」）或西元四位數（例：2024/2/26）")
    raise RocDateError(f"「{raw}」的年份 {text} 無法判讀（民國年請寫 1–200，西元年請寫四位數）")


def _make(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        roc = f"民國{year - ROC_OFFSET}年" if year > ROC_OFFSET else f"{year}年"
        raise RocDateError(f"「{raw}」不是存在的日期（{roc}{month}月{day}日）") from None


def from_excel_serial(serial: float) -> dt.date:
    """The date of an Excel serial number: only for a number read from a date-formatted cell."""
    if isinstance(serial, bool) or not 1 <= serial <= EXCEL_MAX_SERIAL:
        raise RocDateError(f"「{serial}」不是 Excel 日期序號")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def _strip_time(raw: str) -> str:
    m = _TIME.search(raw)
    if not m:
        return raw
    hour, minute, second = int(m.group(2)), int(m.group(3)), int(m.group(4) or 0)
    half = (m.group(1) or m.group(5) or "").upper()
    if minute > 59 or second > 59 or hour > (12 if half else 23):
        raise RocDateError(f"「{raw}」的時間不正確")
    return raw[: m.start()].rstrip()


def _strip_weekday(raw: str) -> tuple[str, int | None]:
    m = _WEEKDAY.search(raw)
    if not m or m.start() == 0:
        return raw, None
    head = raw[: m.start()].rstrip()
    # 一 … 日 right after 月 is a day written in Chinese (二月一日), not a weekday
    if m.group(1) and not m.group(0).lstrip().startswith(("(", "星期", "週", "周", "禮拜")):
        return raw, None
    key = (m.group(1) or m.group(2)).lower()[:3]
    return head, _WEEKDAYS[key]


def parse_date(value: Any, *, years: range = PLAUSIBLE_ROC_YEARS, excel_serial: bool = False) -> dt.date:
    """Any date an office sheet holds → ``datetime.date``; never a guess.

    Accepts 113年2月26日, 民國113年02月26日, 113年2月26號, 一百零七年二月一日, 民國元年1月1日,
    113.2.26, 113/02/26, 113-02-26 (en/em dashes too), 1130226, 0990526, 20240226,
    full-width digits, Gregorian 2024-02-26, a time after the date (113/2/26 下午 02:30:00)
    and a weekday (113年2月26日（星期一）, checked against the date), and Excel date cells.

    A year without 民國 outside ``years`` (ROC 80–150) is not guessed: 24/02/26 and 1/2/3
    raise RocDateError asking for the year. A bare number is a date only as 1130226 or
    20240226 (what Excel makes of those typed in a General cell); an Excel serial (45348) is
    one only with ``excel_serial=True`` — i.e. when it comes from a date-formatted cell.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or value is None:
        raise RocDateError("日期是空白的" if value is None else f"「{value}」不是日期")
    if isinstance(value, int | float):
        if excel_serial:
            return from_excel_serial(value)
        if math.isfinite(value) and float(value).is_integer() and 100_000 <= value <= 99_991_231:
            digits = str(int(value))
            # Excel drops the leading zero of a typed 0990526
            return parse_date(digits.zfill(7) if len(digits) == 6 else digits, years=years)
        raise RocDateError(f"「{value:g}」是數字，不是日期（若是 Excel 日期，請把儲存格設為日期格式；"
                           "或寫成 113/2/26）")
    raw = clean_text(value)
    if not raw:
        raise RocDateError("日期是空白的")
    text = _strip_time(raw.translate(_DASHES)).replace("年元月", "年1月")  # 元月 is January
    text, weekday = _strip_weekday(text)
    date = _parse_text(text, raw, years)
    if weekday is not None and date.weekday() != weekday:
        names = "一二三四五六日"
        raise AmbiguousDateError(f"「{raw}」的日期是星期{names[date.weekday()]}，但寫的是星期"
                           f"{names[weekday]}；請確認日期")
    return date


def _parse_text(text: str, raw: str, years: range) -> dt.date:
    m = _YMD_CJK.match(text)
    if m:
        year = _year(m.group("y"), raw, explicit=bool(m.group("roc")), years=years)
        return _make(year, _number(m.group(3)), _number(m.group(4)), raw)
    m = _YMD_SEP.match(text)
    if m:
        year = _year(m.group("y"), raw, explicit=bool(m.group("roc")), years=years)
        return _make(year, int(m.group(4)), int(m.group(5)), raw)
    m = _COMPACT.match(text)
    if m:
        digits = m.group(1)
        if len(digits) == 8:  # 20240226
            year = _year(digits[:4], raw, explicit=False, years=years)
        else:  # 1130226, 0990526, 990526
            year = _year(str(int(digits[:-4])), raw, explicit=False, years=years)
        return _make(year, int(digits[-4:-2]), int(digits[-2:]), raw)
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


def parse_year_month(value: Any, *, years: range = PLAUSIBLE_ROC_YEARS) -> YearMonth:
    """``113年6月``, ``民國113年06月``, ``一百零七年六月``, ``113-06``, ``113/6``, ``113.06``,
    ``11306``, ``2018-06``, a date. A short year outside ``years`` is asked about."""
    if isinstance(value, dt.date):
        return YearMonth(value.year - ROC_OFFSET, value.month)
    raw = clean_text(value)
    text = raw.translate(_DASHES).replace("年元月", "年1月")
    for pattern in (_YM_CJK, _YM_SEP):
        m = pattern.match(text)
        if m:
            year = _year(m.group("y"), raw, explicit=bool(m.group("roc")), years=years)
            return YearMonth(year - ROC_OFFSET, _number(m.group(3)))
    m = _YM_COMPACT.match(text)
    if m:
        year = _year(m.group(1)[:-2], raw, explicit=False, years=years)
        return YearMonth(year - ROC_OFFSET, int(m.group(1)[-2:]))
    try:
        date = parse_date(raw, years=years)
    except AmbiguousDateError:
        raise
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
