"""``svcq cells set/get``: typed values, exit codes, messages, nothing written on failure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import files_in, svcq
from test_patch import build_rich, members

from toolkit.io.patch import read_cells


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return build_rich(tmp_path / "計畫.xlsx")


def test_set_then_get(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    r = svcq("cells", "set", book, "工作表!B3=１２", "工作表!C4=文字", "'My Sheet'!F1=TRUE",
             "工作表!D5=113年2月26日", "工作表!A2=", "-o", out)
    assert r.code == 0, r.err
    assert "修改 5 格" in r.out
    got = read_cells(out, ["工作表!B3", "工作表!C4", "'My Sheet'!F1", "工作表!D5", "工作表!A2"])
    assert list(got.values()) == [12, "文字", True, dt.date(2024, 2, 26), None] or \
        got["工作表!D5"] == dt.datetime(2024, 2, 26)
    r = svcq("cells", "get", out, "工作表!B3:C4", "--json")
    assert r.code == 0 and r.json() == {"工作表!B3": 12, "工作表!C3": 0.125, "工作表!B4": 70,
                                         "工作表!C4": "文字"}
    r = svcq("cells", "get", out, "工作表!B3", "工作表!A2")
    assert r.out.splitlines() == ["工作表!B3\t12", "工作表!A2\t"]


def test_formula_needs_a_flag(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    r = svcq("cells", "set", book, "工作表!F2==B2*2", "-o", out)
    assert r.code == 1 and "--formula" in r.err and "Traceback" not in r.err
    assert not out.exists()
    assert svcq("cells", "set", book, "工作表!F2==B2*2", "--text", "-o", out).code == 0
    assert read_cells(out, "工作表!F2") == {"工作表!F2": "=B2*2"}
    r = svcq("cells", "set", book, "工作表!F2==B2*2", "--formula", "-o", out, "--json")
    assert r.code == 0 and r.json()["recalc"] is True
    assert b"<f>B2*2</f>" in members(out)["xl/worksheets/sheet1.xml"]
    assert svcq("cells", "set", book, "工作表!F2=1", "--text", "--formula", "-o", out).code == 2


def test_problems_exit_1_and_write_nothing(book: Path, tmp_path: Path) -> None:
    before = files_in(tmp_path)
    r = svcq("cells", "set", book, "工作表!B15=x", "無此表!A1=1", "沒有等號", "-o", tmp_path / "o.xlsx")
    assert r.code == 1
    assert "沒有等號" in r.err and "應寫成" in r.err  # the assignment itself is listed
    assert files_in(tmp_path) == before
    r = svcq("cells", "set", book, "工作表!B15=x", "無此表!A1=1", "-o", tmp_path / "o.xlsx")
    assert r.code == 1 and "合併儲存格" in r.err and "無此表" in r.err
    assert files_in(tmp_path) == before


def test_unusable_input_exits_2(tmp_path: Path) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text("a,b\n", encoding="utf-8")
    r = svcq("cells", "set", csv, "A1=1", "-o", tmp_path / "o.xlsx")
    assert r.code == 2 and "xlsx" in r.err and "Traceback" not in r.err
    r = svcq("cells", "set", tmp_path / "missing.xlsx", "A1=1", "-o", tmp_path / "o.xlsx")
    assert r.code == 2 and "找不到檔案" in r.err


def test_in_place_with_backup(book: Path) -> None:
    assert svcq("cells", "set", book, "工作表!B2=1").code == 2  # no -o, no --in-place
    r = svcq("cells", "set", book, "工作表!B2=1", "--in-place")
    assert r.code == 0 and "備份" in r.out
    backups = list(book.parent.glob("計畫.bak-*.xlsx"))
    assert len(backups) == 1 and read_cells(backups[0], "工作表!B2") == {"工作表!B2": 60}
    assert read_cells(book, "工作表!B2") == {"工作表!B2": 1}


def test_get_reads_other_formats_and_first_sheet(tmp_path: Path) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text("名稱,值\n甲,3\n", encoding="utf-8")
    r = svcq("cells", "get", csv, "B2")
    assert r.code == 0 and r.out.strip() == "x!B2\t3"


def test_add_sheet_option(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.xlsx"
    r = svcq("cells", "set", book, "彙整紀錄!A1=紀錄", "--add-sheet", "彙整紀錄", "-o", out)
    assert r.code == 0 and "新增工作表：彙整紀錄" in r.out
    assert read_cells(out, "彙整紀錄!A1") == {"彙整紀錄!A1": "紀錄"}
