"""The oracle itself: LibreOffice recalculates what svcq wrote and every cell must agree.

These tests prove the oracle can fail (a wrong cached value, a tampered .ods, a file
LibreOffice cannot open) before other tests trust it with the real writers."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from oracle import (
    Cell,
    compare_cells,
    read_cells,
    recalc_and_compare,
    recalc_and_compare_many,
    write_sample,
)

from toolkit.io.xlsx import new_workbook
from toolkit.problems import SvcqError

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("oracle")
    sample_xlsx = write_sample(d / "sample.xlsx")
    sample_ods = write_sample(d / "sample.ods")
    wrong = d / "wrong-cache.xlsx"
    with new_workbook(wrong) as wb:
        ws = wb.add_worksheet("工作表1")
        ws.write_number("A1", 2)
        ws.write_formula("A2", "=A1*2", None, 5)  # cached 5, LibreOffice computes 4
        ws.write_formula("A3", "=ROUND(0.125,2)", None, 0.12)  # Python's round(), not Excel's
    # without xlsxwriter's fullCalcOnLoad only the profile's OOXMLRecalcMode=0 forces recalculation
    no_hint = d / "wrong-cache-no-calc-hint.xlsx"
    with zipfile.ZipFile(wrong) as src, zipfile.ZipFile(no_hint, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                assert b' fullCalcOnLoad="1"' in data
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            dst.writestr(info, data, compress_type=info.compress_type)
    tampered = d / "tampered.ods"
    with zipfile.ZipFile(sample_ods) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "content.xml":  # the cached 7 of =[.B4]+[.C4] becomes 8
                data = re.sub(rb'(of:=\[\.B4\]\+\[\.C4\]" office:value-type="float" '
                              rb'office:value=")7(")', rb"\g<1>8\g<2>", data)
            dst.writestr(info, data, compress_type=info.compress_type)
    return {"xlsx": sample_xlsx, "ods": sample_ods, "wrong": wrong, "no_hint": no_hint,
            "tampered": tampered}


@pytest.fixture(scope="module")
def results(books: dict[str, Path]) -> dict[Path, list]:
    return recalc_and_compare_many(books.values())  # one LibreOffice run for all


def test_sample_workbooks_agree_with_libreoffice(books, results) -> None:
    assert results[books["xlsx"]] == []
    assert results[books["ods"]] == []


def test_sample_has_the_cells_the_oracle_is_meant_to_check(books) -> None:
    cells = read_cells(books["xlsx"])["作業時程管制表"]
    assert cells["A3"] == Cell(("str", '=HYPERLINK("http://example.invalid")'), None)
    assert cells["D4"] == Cell(("num", 7.0), "=B4+C4")
    assert cells["F4"].value == ("str", "達成")
    assert cells["A6"].value == ("date", 46082.0)  # 2026-03-01


@pytest.mark.parametrize("key", ["wrong", "no_hint"])
def test_wrong_cached_values_are_reported(books, results, key) -> None:
    found = {(m.cell, m.expected, m.actual) for m in results[books[key]]}
    assert found == {("A2", ("num", 5.0), ("num", 4.0)), ("A3", ("num", 0.12), ("num", 0.13))}
    assert "公式重算值與快取值不同" in str(results[books["wrong"]][0])


def test_a_tampered_ods_cache_is_reported(books, results) -> None:
    [m] = results[books["tampered"]]
    assert (m.sheet, m.cell, m.expected, m.actual) == ("作業時程管制表", "D4", ("num", 8.0), ("num", 7.0))


def test_ods_holds_the_same_cells_as_xlsx(books) -> None:
    assert compare_cells(read_cells(books["xlsx"]), read_cells(books["ods"]), books["ods"]) == []


def test_compare_reports_text_turned_formula_lost_formula_and_extra_values() -> None:
    wrote = {"S": {"A1": Cell(("str", "=1+1")), "A2": Cell(("num", 2.0), "1+1")}}
    back = {"S": {"A1": Cell(("num", 2.0), "1+1"), "A2": Cell(("num", 2.0)),
                  "A3": Cell(("str", "x"))}}
    whats = [m.what for m in compare_cells(wrote, back, "f.xlsx")]
    assert whats == ["文字變成公式", "公式不見了", "多出的值"]
    assert [m.what for m in compare_cells(wrote, {}, "f.xlsx")] == ["工作表不見了"]


def test_a_file_libreoffice_cannot_open_fails(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(SvcqError, match="LibreOffice 無法轉換"):
        recalc_and_compare(broken)
