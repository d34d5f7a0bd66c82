import datetime as dt

import pytest

from toolkit.roc import (
    RocDateError,
    YearMonth,
    format_date,
    from_excel_serial,
    parse_date,
    parse_year_month,
)

FEB26 = dt.date(2024, 2, 26)


@pytest.mark.parametrize(
    "text",
    [
        "113年2月26日",
        "民國113年02月26日",
        "中華民國113年2月26日",
        "民國 113 年 2 月 26 日",
        "113.2.26",
        "113/02/26",
        "113-02-26",
        "1130226",
        "１１３年２月２６日",
        "１１３．０２．２６",
        "113年2月26",
        "\u3000113/2/26 ",
        "2024-02-26",
        "2024/2/26",
    ],
)
def test_written_variants(text):
    assert parse_date(text) == FEB26


def test_seven_digit_with_leading_zero():
    assert parse_date("0990526") == dt.date(2010, 5, 26)
    assert parse_date("990526") == dt.date(2010, 5, 26)


def test_excel_cells_and_serials():
    assert parse_date(dt.datetime(2024, 2, 26, 9, 30)) == FEB26
    assert parse_date(FEB26) == FEB26
    assert parse_date(45348, excel_serial=True) == FEB26  # from a date-formatted cell
    assert parse_date(45348.75, excel_serial=True) == FEB26
    assert parse_date(1130226) == FEB26  # a typed 1130226 that Excel stored as a number
    assert parse_date(1130226.0) == FEB26
    assert from_excel_serial(61) == dt.date(1900, 3, 1)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("113年2月30日", "不是存在的日期"),
        ("113.13.1", "不是存在的日期"),
        ("1130230", "不是存在的日期"),
        ("112年2月29日", "不是存在的日期"),  # 2023 is not a leap year
        ("明天", "不是可辨識的日期"),
        ("", "空白"),
        ("500年1月1日", "無法判讀"),
    ],
)
def test_impossible_dates_are_rejected_with_a_message(text, fragment):
    with pytest.raises(RocDateError, match=fragment):
        parse_date(text)


def test_leap_day_of_a_leap_year():
    assert parse_date("113年2月29日") == dt.date(2024, 2, 29)


def test_format_styles():
    assert format_date(FEB26) == "113年2月26日"
    assert format_date(FEB26, "full") == "民國113年02月26日"
    assert format_date(FEB26, "dotted") == "113.02.26"
    assert format_date(FEB26, "slashed") == "113/02/26"
    assert format_date(FEB26, "compact") == "1130226"
    assert format_date(dt.date(2010, 5, 26), "compact") == "0990526"


@pytest.mark.parametrize(
    "text", ["107年6月", "民國107年06月", "107-06", "107/6", "107.06", "10706", "１０７年６月", "2018-06"]
)
def test_year_month_variants(text):
    assert parse_year_month(text) == YearMonth(107, 6)


def test_year_month_str_and_order():
    assert str(YearMonth(107, 6)) == "107年6月"
    assert YearMonth(107, 6).iso == "107-06"
    assert YearMonth(107, 6) < YearMonth(107, 7) < YearMonth(108, 1)


@pytest.mark.parametrize("text", ["107年13月", "107-00", "六月"])
def test_bad_year_month(text):
    with pytest.raises(RocDateError):
        parse_year_month(text)


# Property-based round trips (every style, full-width digits, year-months) live in
# tests/test_properties.py with the other hypothesis tests.
