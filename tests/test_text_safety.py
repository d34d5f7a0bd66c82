"""Text that reaches a terminal or becomes a file name (issue 16, item 14), and Chinese
numerals (item 13): hand-written expectations, each one failing before the helper existed."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.schedule.collect import unit_file_name
from toolkit.text import MAX_NAME_BYTES, cjk_number, safe_file_name, terminal_safe


@pytest.mark.parametrize(("text", "value"), [
    ("一百零七", 107), ("一〇七", 107), ("一○七", 107), ("一一三", 113), ("一百一十三", 113),
    ("一百十三", 113), ("十二", 12), ("十", 10), ("二十六", 26), ("廿六", 26), ("卅一", 31),
    ("一千零二十", 1020), ("零", 0),
])
def test_chinese_numerals(text, value):
    assert cjk_number(text) == value


@pytest.mark.parametrize("text", ["", "十十", "一二十", "百百", "十百", "元", "1百", "一百a"])
def test_malformed_chinese_numerals_are_not_numbers(text):
    assert cjk_number(text) is None


def test_escape_sequences_never_reach_the_terminal():
    hostile = "甲\x1b]0;被改的標題\x07乙\x1b[2J丙\x9b31m丁\u202e戊\x00己\x7f"
    assert terminal_safe(hostile) == "甲]0;被改的標題乙[2J丙31m丁戊己"
    assert terminal_safe("第一行\r\n第二行\t欄\r蓋掉") == "第一行\n第二行\t欄蓋掉"
    assert terminal_safe(None) == ""


@given(st.text())
def test_terminal_safe_leaves_no_control_character(text):
    out = terminal_safe(text)
    assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in out)
    assert not any(c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f" for c in out)


@pytest.mark.parametrize(("unit", "name"), [
    ("戶籍登記課", "戶籍登記課.xlsx"),
    ("CON", "_CON.xlsx"),
    ("nul", "_nul.xlsx"),
    ("COM1", "_COM1.xlsx"),
    ("LPT9.課", "_LPT9.課.xlsx"),
    ("CONSOLE", "CONSOLE.xlsx"),  # only the exact device names are reserved
    ("~$研考", "_研考.xlsx"),  # would pass for Excel's lock file of 研考.xlsx
    ("報表\u202exslx.exe", "報表xslx.exe.xlsx"),  # an RTL override hides the real extension
    ("人事/會計", "人事_會計.xlsx"),
    (" .隱藏. ", "隱藏.xlsx"),
    ("", "未命名單位.xlsx"),
    ("\u202e", "未命名單位.xlsx"),
])
def test_unit_file_names_are_safe(unit, name):
    assert unit_file_name(unit) == name


def test_long_unit_names_are_shortened_without_colliding(tmp_path):
    long_a = "臺北市中正區戶政事務所" * 8 + "甲課"  # 90 CJK characters: 270 bytes
    long_b = "臺北市中正區戶政事務所" * 8 + "乙課"
    a, b = unit_file_name(long_a), unit_file_name(long_b)
    assert a != b
    assert len(a.encode()) <= MAX_NAME_BYTES and a.endswith(".xlsx")
    assert a.startswith("臺北市中正區戶政事務所")
    # the file system takes it, and svcq's temporary and backup names beside it too
    (tmp_path / a).write_bytes(b"x")
    (tmp_path / f".{a}.{os.getpid()}.abcdefgh.tmp.xlsx").write_bytes(b"x")


@given(st.text(max_size=300))
def test_any_text_becomes_a_usable_name(text):
    name = safe_file_name(text, ".xlsx")
    assert name.endswith(".xlsx") and len(name.encode()) <= MAX_NAME_BYTES
    stem = name.removesuffix(".xlsx")
    assert stem and not stem.startswith(("~$", ".", " ")) and not stem.endswith((" ", "."))
    assert not any(c in '\\/:*?"<>|' or ord(c) < 32 for c in name)
    assert stem.split(".")[0].rstrip().upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
