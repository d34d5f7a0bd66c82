"""Dates are never read wrong (issue 16, item 13): what has one meaning is read, what has
several is asked about with a message naming the value, never chosen."""

from __future__ import annotations

import datetime as dt

import pytest

from toolkit.roc import RocDateError, YearMonth, parse_date, parse_year_month
from toolkit.schedule.months import parse_months

FEB26 = dt.date(2024, 2, 26)


@pytest.mark.parametrize(("text", "date"), [
    ("113/2/26 下午 02:30:00", FEB26),  # Excel's text of a date-time cell
    ("113/2/26 上午 9:05", FEB26),
    ("2024-02-26T09:30:00", FEB26),
    ("2024/2/26 2:30 PM", FEB26),
    ("113年2月26日（星期一）", FEB26),  # Excel's 「長日期」
    ("113年2月26日(週一)", FEB26),
    ("113年2月26日 星期一", FEB26),
    ("一百零七年二月一日", dt.date(2018, 2, 1)),
    ("中華民國一百一十三年二月二十六日", FEB26),
    ("民國一〇七年二月一日", dt.date(2018, 2, 1)),
    ("113年2月26號", FEB26),
    ("20240226", FEB26),
    ("民國元年1月1日", dt.date(1912, 1, 1)),
    ("民國元年元月一日", dt.date(1912, 1, 1)),  # 元月 is January
    ("113–2–26", FEB26),  # en dash
    ("113—02—26", FEB26),  # em dash
    ("2024−02−26", FEB26),  # minus sign
    ("99/12/31", dt.date(2010, 12, 31)),  # ROC 80–150: a plan year
    ("民國24年2月26日", dt.date(1935, 2, 26)),  # 民國 written out: no doubt
])
def test_dates_with_one_meaning_are_read(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize("text", [
    "24/02/26",  # 民國24年 (1935)? 2024? 24 February 1926?
    "1/2/3",
    "24年2月26日",
    "2402226",  # ROC 240: not a plan year
    "240226",
    "0240226",
    "元年1月1日",  # 元年 of what?
])
def test_dates_with_several_meanings_are_asked_about(text):
    with pytest.raises(RocDateError) as info:
        parse_date(text)
    assert text in str(info.value)


def test_the_question_names_the_readings():
    with pytest.raises(RocDateError, match="民國24年（西元1935年）、西元2024年"):
        parse_date("24/02/26")


def test_a_wrong_weekday_is_asked_about():
    with pytest.raises(RocDateError, match="星期一，但寫的是星期二"):
        parse_date("113年2月26日（星期二）")


def test_a_wider_plan_window_accepts_older_years():
    assert parse_date("60/5/1", years=range(50, 151)) == dt.date(1971, 5, 1)
    with pytest.raises(RocDateError):
        parse_date("60/5/1")


def test_a_bare_number_is_a_serial_only_when_said_so():
    with pytest.raises(RocDateError, match="是數字，不是日期"):
        parse_date(45348)
    assert parse_date(45348, excel_serial=True) == FEB26
    assert parse_date(1130226) == FEB26  # a typed 1130226 Excel kept as a number
    assert parse_date(990526) == dt.date(2010, 5, 26)  # …and 0990526 without its zero
    assert parse_date(20240226) == FEB26
    with pytest.raises(RocDateError):
        parse_date(float("nan"))


@pytest.mark.parametrize(("text", "ym"), [
    ("民國元年1月", YearMonth(1, 1)), ("一百零七年六月", YearMonth(107, 6)), ("107–06", YearMonth(107, 6)),
    ("2018-06", YearMonth(107, 6)),
])
def test_year_months(text, ym):
    assert parse_year_month(text) == ym


@pytest.mark.parametrize("text", ["24-02", "2402", "1/2"])
def test_short_year_months_are_asked_about(text):
    with pytest.raises(RocDateError, match="不確定"):
        parse_year_month(text)


@pytest.mark.parametrize(("text", "months"), [
    ("第2季", (4, 5, 6)),
    ("第二季", (4, 5, 6)),
    ("第1-2季", (1, 2, 3, 4, 5, 6)),
    ("第1季、第3季", (1, 2, 3, 7, 8, 9)),
    ("單月", (1, 3, 5, 7, 9, 11)),
    ("雙月", (2, 4, 6, 8, 10, 12)),
    ("每半年", (6, 12)),
    ("3月底", (3,)),
    ("3月上旬-5月下旬", (3, 4, 5)),
    ("3–6月", (3, 4, 5, 6)),  # en dash
    ("3—6", (3, 4, 5, 6)),  # em dash
    ("一月至三月", (1, 2, 3)),
    ("十一月、十二月", (11, 12)),
])
def test_month_words_with_one_meaning(text, months):
    assert parse_months(text) == months


def test_an_excel_date_in_the_months_column_is_asked_about():
    # a typed 3-6 and a typed 3/6 both become 3月6日: months 3 and 6, or 3 to 6?
    with pytest.raises(ValueError, match="無法確定是 3月和6月，還是 3–6月"):
        parse_months(dt.date(2024, 3, 6))
    with pytest.raises(ValueError, match="文字"):
        parse_months(dt.datetime(2024, 5, 20))


@pytest.mark.parametrize("text", ["第5季", "二十月", "3月前"])
def test_month_words_that_are_not_months(text):
    with pytest.raises(ValueError):
        parse_months(text)


def test_cells_set_asks_about_an_ambiguous_typed_date():
    from toolkit.io.patch import typed_value

    assert typed_value("113/2/26") == FEB26
    with pytest.raises(ValueError, match="--text"):
        typed_value("24/02/26")
    assert typed_value("24/02/26", "text") == "24/02/26"
