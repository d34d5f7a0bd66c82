"""LibreOffice as the oracle: it reopens every patched workbook — xlsxwriter-made, macro-
enabled, and one LibreOffice saved itself — recalculates, and reads the new values.

Two soffice calls for the whole module: one to make the LibreOffice-saved input, one to
turn every patched output into CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from test_patch import SHEET1, assert_only_cells_changed, build_rich, fake_vba, members

from toolkit.io.libreoffice import CSV_ALL_SHEETS, convert
from toolkit.io.patch import Formula, patch_cells, read_cells
from toolkit.io.patch_sheet import col_number

pytestmark = pytest.mark.libreoffice

EDITS = {
    "工作表!B3": 99,  # B11 = SUM(B2:B9) must follow: 620 - 65 + 99
    "工作表!A14": "新增文字 & <符號>",
    "工作表!F2": Formula("=B2*2", 120),
    "工作表!F3": True,
    "工作表!F4": dt.date(2024, 2, 26),
    "工作表!D5": dt.date(2025, 1, 31),  # keeps its yyyy/mm/dd format
    "工作表!C5": None,
    "工作表!B40": 1.5,
    "工作表!F6": "=1+1",
    "'My Sheet'!F1": "改過",
    "彙整紀錄!A1": "紀錄",
    "彙整紀錄!B2": 3,
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[list[str]]]]:
    folder = tmp_path_factory.mktemp("lo")
    inputs = {"xlsxwriter": build_rich(folder / "rich.xlsx"),
              "macro": build_rich(folder / "macro.xlsm", vba=fake_vba(folder))}
    [saved] = convert([inputs["xlsxwriter"]], "xlsx", folder / "lo")
    inputs["libreoffice"] = shutil.copy(saved, folder / "losaved.xlsx")
    patched = {}
    for name, src in inputs.items():
        dst = folder / f"{name}-out{Path(src).suffix}"
        patched[name] = patch_cells(src, EDITS, dst, add_sheets=["彙整紀錄"]).output
    csv_files = convert(list(patched.values()), CSV_ALL_SHEETS, folder / "csv")
    result: dict[str, dict[str, list[list[str]]]] = {"_paths": {}}  # type: ignore[dict-item]
    for name, out in patched.items():
        sheets = {}
        for path in csv_files:
            if path.stem.startswith(out.stem + "-"):
                with path.open(encoding="utf-8", newline="") as fh:
                    sheets[path.stem[len(out.stem) + 1:]] = list(csv.reader(fh))
        result[name] = sheets
        result["_paths"][name] = (inputs[name], out)  # type: ignore[index]
    return result


def value(rows: list[list[str]], ref: str) -> str:
    letters = ref.rstrip("0123456789")
    r, c = int(ref[len(letters):]) - 1, col_number(letters) - 1
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else ""


def as_date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%m/%d/%Y").date()


@pytest.mark.parametrize("name", ["xlsxwriter", "macro", "libreoffice"])
def test_libreoffice_reads_the_new_values(outputs, name: str) -> None:
    sheets = outputs[name]
    main = sheets["工作表"]
    assert value(main, "B3") == "99"
    assert value(main, "B11") == str(620 - 65 + 99)  # recalculated by LibreOffice
    assert value(main, "A14") == "新增文字 & <符號>"
    assert value(main, "F2") == "120"
    assert value(main, "F3") == "TRUE"
    # The CSV filter writes dates in its locale's form, not the cell's: a date it is.
    assert as_date(value(main, "F4")) == dt.date(2024, 2, 26)
    assert as_date(value(main, "D5")) == dt.date(2025, 1, 31)
    assert value(main, "C5") == ""
    assert value(main, "B40") == "1.5"
    assert value(main, "F6") == "=1+1"  # text stays text
    assert value(main, "A2") == "工作項目1" and value(main, "B2") == "60"  # untouched
    assert value(sheets["My Sheet"], "F1") == "改過"
    assert value(sheets["My Sheet"], "D1") == "2"  # array formula untouched, recalculated
    assert value(sheets["彙整紀錄"], "A1") == "紀錄" and value(sheets["彙整紀錄"], "B2") == "3"


def test_libreoffice_saved_input_keeps_its_other_parts(outputs) -> None:
    src, out = outputs["_paths"]["libreoffice"]
    old, new = members(src), members(out)
    assert read_cells(src, "工作表!A2") == {"工作表!A2": "工作項目1"}  # sheet1.xml is 工作表
    edited = {SHEET1: {"B3", "A14", "F2", "F3", "F4", "D5", "C5", "B40", "F6"},
              "xl/worksheets/sheet2.xml": {"F1"}}
    assert_only_cells_changed(src, out, edited, allowed_parts={
        "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"})
    assert new["xl/sharedStrings.xml"] == old["xl/sharedStrings.xml"]
