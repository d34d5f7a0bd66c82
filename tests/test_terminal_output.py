"""Issue 16, item 14: what svcq prints carries no control characters from the files it read:
no ESC]0;…BEL (retitles the window), no ESC[2J (clears the screen), no C1 CSI, no bidi
override — in results, in problems, in errors. --json keeps the value, escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xlsxwriter
from helpers import svcq

HOSTILE = "甲\x1b]0;被改的標題\x07乙\x1b[2J丙\x9b31m丁\u202e戊\r己"


def _unsafe(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F
            or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"]


@pytest.fixture
def responses(tmp_path: Path) -> Path:
    path = tmp_path / "回覆.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("回覆")
    ws.write_row(0, 0, [f"1.服務{HOSTILE}", "其他意見"])
    for r, row in enumerate([["非常滿意", HOSTILE], ["滿意", "很好"], ["不滿意", ""]], 1):
        ws.write_row(r, 0, row)
    wb.close()
    return path


def test_cells_get_prints_text_only(responses):
    result = svcq("cells", "get", responses, "回覆!B2")
    assert result.code == 0 and _unsafe(result.out) == []
    assert "甲" in result.out and "己" in result.out


def test_json_keeps_the_value(responses):
    result = svcq("cells", "get", responses, "回覆!B2", "--json")
    assert _unsafe(result.out) == []
    assert json.loads(result.out)["回覆!B2"] == HOSTILE  # the same value, escaped


def test_survey_tally_prints_text_only(responses):
    result = svcq("survey", "tally", responses)
    assert result.code == 0, result.err
    assert _unsafe(result.out + result.err) == []
    assert "服務甲" in result.out


def test_problems_and_errors_print_text_only(responses, tmp_path):
    result = svcq("cells", "set", responses, f"{HOSTILE}!A1=1", "-o", tmp_path / "o.xlsx")
    assert result.code == 1 and _unsafe(result.err) == []
    odd = tmp_path / f"檔{HOSTILE[:8]}.xlsx"
    odd.write_bytes(b"not a workbook")
    result = svcq("survey", "tally", odd)
    assert result.code in (1, 2) and _unsafe(result.err) == []


def test_a_data_stream_on_standard_output_is_exact(tmp_path):
    """-o - is data for a pipe: CSV keeps its CRLF line ends (only human text is filtered)."""
    from test_schedule_collect import PLAN

    master = tmp_path / "總表.xlsx"
    assert svcq("schedule", "new", PLAN, "--year", "107", "--office", "中正", "-o", master).code == 0
    result = svcq("schedule", "status", master, "--as-of", "107-06", "-o", "-")
    assert result.code == 0, result.err
    assert "\r\n" in result.out
