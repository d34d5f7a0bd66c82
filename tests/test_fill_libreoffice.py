"""svcq fill with LibreOffice as the second client: a form LibreOffice saved, an .ods form,
and LibreOffice reopening the filled forms (recalculating, showing each cell in its format).

Eight soffice runs for the module: save the form as xlsx, ods and xls, the .ods round trip
of the fill, two reads of the .xls, and one CSV export of every filled form.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from test_fill import FILLED, NAMES, SHEET1, build_form, results  # noqa: F401  (module fixture)
from test_patch import assert_only_cells_changed, members

from toolkit import fill_form
from toolkit.io.libreoffice import CSV_ALL_SHEETS, convert
from toolkit.io.patch import read_cells
from toolkit.io.patch_sheet import col_number
from toolkit.problems import SvcqError

pytestmark = pytest.mark.libreoffice

#: CSV_ALL_SHEETS with "save cell contents as shown" on: each value in its cell's number format.
AS_SHOWN = CSV_ALL_SHEETS.replace(",false,true,false,false,false,-1", ",false,true,true,false,false,-1")
assert AS_SHOWN != CSV_ALL_SHEETS


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory, results: dict[str, Path]) -> dict[str, object]:  # noqa: F811
    folder = tmp_path_factory.mktemp("fill-lo")
    data = {name: json.loads(results[name].read_text(encoding="utf-8")) for name in ("score", "survey", "status")}
    form = build_form(folder / "form.xlsx")
    [saved] = convert([form], "xlsx", folder / "lo")
    lo_form = Path(shutil.copy(saved, folder / "lo-form.xlsx"))
    [ods] = convert([form], "ods", folder / "ods")
    ods_form = Path(shutil.copy(ods, folder / "ods-form.ods"))
    [xls] = convert([form], "xls", folder / "xls")
    xls_form = Path(shutil.copy(xls, folder / "xls-form.xls"))
    outputs = {
        "openpyxl": fill_form(form, data, folder / "openpyxl-out.xlsx", names=NAMES).output,
        "libreoffice": fill_form(lo_form, data, folder / "lo-out.xlsx", names=NAMES).output,
        "ods": fill_form(ods_form, data, folder / "ods-out.ods", names=NAMES).output,
        # LibreOffice's .xls export writes the name score.dimensions.基礎服務.score with "_"
        "xls": fill_form(xls_form, data, folder / "xls-out.xlsx", names={
            **NAMES, "score_dimensions_基礎服務_score": "score.dimensions.基礎服務.score"}).output,
    }
    sheets: dict[str, dict[str, list[list[str]]]] = {}
    csv_files = convert(list(outputs.values()), AS_SHOWN, folder / "csv")
    for name, out in outputs.items():
        sheets[name] = {}
        for path in csv_files:
            if path.stem.startswith(out.stem + "-"):
                with path.open(encoding="utf-8", newline="") as fh:
                    sheets[name][path.stem[len(out.stem) + 1:]] = list(csv.reader(fh))
    return {"data": data, "outputs": outputs, "csv": sheets, "lo_form": lo_form, "ods_form": ods_form,
            "xls_form": xls_form}


def shown(rows: list[list[str]], ref: str) -> str:
    letters = ref.rstrip("0123456789")
    r, c = int(ref[len(letters):]) - 1, col_number(letters) - 1
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else ""


@pytest.mark.parametrize("name", ["openpyxl", "libreoffice", "ods", "xls"])
def test_libreoffice_shows_the_values_in_the_forms_own_formats(filled, name: str) -> None:
    sheet = filled["csv"][name]["填報表"]
    late = filled["data"]["status"]["summary"]["overall"]["late"]
    assert shown(sheet, "B3") == "85.5"  # 0.0
    assert shown(sheet, "B4") == "91.8%"  # 0.0%: 356/388
    assert shown(sheet, "B5") == "400"
    assert shown(sheet, "A6") == "本所整體滿意度為91.8%，共訪問400人。"
    assert shown(sheet, "B7") == "17.5"  # through the defined name score.dimensions.基礎服務.score
    assert shown(sheet, "B8") == "93.3%"  # through the mapped name 態度
    assert shown(sheet, "B9") == "171"  # =B3*2, recalculated from the filled value
    assert shown(sheet, "B10") == str(late)
    assert shown(filled["csv"][name]["說明"], "A1") == "本表請於 1 月底前回傳"


def test_a_form_libreoffice_saved_keeps_its_other_parts(filled) -> None:
    src, out = filled["lo_form"], filled["outputs"]["libreoffice"]
    assert_only_cells_changed(src, out, {SHEET1: FILLED}, allowed_parts={"xl/workbook.xml"})
    assert members(out)["xl/sharedStrings.xml"] == members(src)["xl/sharedStrings.xml"]


def test_an_ods_form_is_filled_into_an_ods(filled) -> None:
    out = filled["outputs"]["ods"]
    assert out.suffix == ".ods" and members(out)["mimetype"] == b"application/vnd.oasis.opendocument.spreadsheet"
    got = read_cells(out, ["填報表!B3", "填報表!B4", "填報表!A6"])
    rate = next(q["satisfaction_rate"] for q in filled["data"]["survey"]["questions"] if q["question"] == "整體滿意度")
    assert got["填報表!B3"] == 85.5 and got["填報表!B4"] == pytest.approx(rate)
    assert got["填報表!A6"] == "本所整體滿意度為91.8%，共訪問400人。"


def test_a_name_that_lost_its_dots_is_a_note_not_a_silent_skip(filled) -> None:
    plan = fill_form(filled["xls_form"], filled["data"], names=NAMES)
    note = next(n for n in plan.notes if n.code == "fill-name-not-a-path")
    assert "score_dimensions_基礎服務_score" in note.message and "--name" in note.message
    assert "填報表!B7" not in [s.address for s in plan.spots]


def test_an_xls_form_cannot_be_written_back_as_xls(filled, tmp_path: Path) -> None:
    with pytest.raises(SvcqError) as exc:
        fill_form(filled["xls_form"], filled["data"], in_place=True, names=NAMES)
    assert exc.value.problem.code == "bad-extension" and ".xlsx 或 .ods" in exc.value.problem.message
