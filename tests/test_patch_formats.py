"""The cell writer on workbooks as other programs write them (issue 16, items 5, 6, 7, 11):
what it copies is checked, what it edits is edited as XML, and what Excel would refuse to
change it refuses too."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hostile.make_corpus import HEAD, NS, raw_xlsx

from toolkit.io.patch import patch_cells
from toolkit.io.read import read_table
from toolkit.problems import ProblemsFound, SvcqError


def test_date_into_openpyxl_workbook_with_empty_numfmts(tmp_path):
    """openpyxl writes <numFmts count="0"/>: a second <numFmts> made openpyxl raise and
    pandas read the date as 45348."""
    src = tmp_path / "openpyxl.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.active["A1"] = "日期"
    wb.save(src)
    assert b'<numFmts count="0" />' in zipfile.ZipFile(src).read("xl/styles.xml")
    out = tmp_path / "out.xlsx"
    patch_cells(src, {"S!A2": dt.date(2024, 2, 26)}, out)
    styles = zipfile.ZipFile(out).read("xl/styles.xml")
    assert styles.count(b"<numFmts") == 1 and b'<numFmts count="1">' in styles
    assert openpyxl.load_workbook(out)["S"]["A2"].value == dt.datetime(2024, 2, 26)
    assert read_table(out).rows[1][0] in (dt.date(2024, 2, 26), dt.datetime(2024, 2, 26))


def test_single_quoted_styles_and_dimension(tmp_path):
    body = ("<dimension ref='A1:B2'/><sheetData><row r='1'><c r='A1' s='1'><v>1</v></c></row>"
            "<row r='2'><c r='B2'><v>2</v></c></row></sheetData>")
    styles = (HEAD + f"<styleSheet {NS}><numFmts count='1'><numFmt numFmtId='164' formatCode='0.0'/></numFmts>"
              "<cellXfs count='2'><xf numFmtId='0' fontId='0'/><xf numFmtId='164' fontId='0'/></cellXfs>"
              "</styleSheet>").encode()
    src = raw_xlsx(tmp_path / "q.xlsx", [("S", body)], extra={"xl/styles.xml": styles})
    with zipfile.ZipFile(src) as zf:  # the minimal package names no styles part: link it
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b"<Relationship Id='rId9' Type='http://schemas.openxmlformats.org/officeDocument/"
        b"2006/relationships/styles' Target='styles.xml'/></Relationships>")
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    out = tmp_path / "out.xlsx"
    patch_cells(src, {"S!C3": dt.date(2024, 2, 26), "S!A1": 5}, out)
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")
    assert b"<dimension ref='A1:C3'/>" in sheet
    styles_out = zipfile.ZipFile(out).read("xl/styles.xml")
    assert styles_out.count(b"numFmtId='164'") == 2  # the old format untouched
    assert b"cellXfs count='3'" in styles_out and b"count=\"3\"" not in styles_out
    ws = openpyxl.load_workbook(out)["S"]
    assert (ws["A1"].value, ws["C3"].value, ws["A1"].number_format) == (5, dt.datetime(2024, 2, 26), "0.0")


def _with_pivot(path: Path) -> Path:
    """A sheet whose rels point at a pivot table located at A3:B6 with one report filter."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 8))
    body = f"<sheetData>{rows}</sheetData>"
    pivot = (HEAD + f'<pivotTableDefinition {NS} name="樞紐分析表1" cacheId="1" dataCaption="值">'
             '<location ref="A3:B6" firstHeaderRow="1" firstDataRow="1" firstDataCol="1" rowPageCount="1" '
             'colPageCount="1"/></pivotTableDefinition>').encode()
    rels = (HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'pivotTable" Target="../pivotTables/pivotTable1.xml"/></Relationships>').encode()
    return raw_xlsx(path, [("S", body)], extra={"xl/pivotTables/pivotTable1.xml": pivot,
                                                "xl/worksheets/_rels/sheet1.xml.rels": rels})


def test_cells_inside_a_pivot_table_are_refused(tmp_path):
    src = _with_pivot(tmp_path / "pivot.xlsx")
    with pytest.raises(ProblemsFound) as info:
        patch_cells(src, {"S!B4": 9, "S!A1": "篩選", "S!C4": 1, "S!A8": 2}, tmp_path / "o.xlsx")
    problems = {p.cell: p for p in info.value.problems}
    assert sorted(problems) == ["A1", "B4"]  # the table body and its report filter above
    assert problems["B4"].code == "pivot-table" and "樞紐分析表1" in problems["B4"].message
    assert not (tmp_path / "o.xlsx").exists()
    patch_cells(src, {"S!C4": 1, "S!A8": 2}, tmp_path / "ok.xlsx")  # beside it is fine


def _stored_part(tmp_path: Path, name: str, data: bytes) -> Path:
    """The good workbook plus a stored (uncompressed) part: a flipped byte in it breaks
    only the CRC, which nothing but inflating the whole part can see."""
    from hostile.make_corpus import good_xlsx

    good = good_xlsx(tmp_path / "good.xlsx")
    out = tmp_path / name
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("xl/media/image1.png", data, compress_type=zipfile.ZIP_STORED)
    return out


@pytest.mark.parametrize("damage", ["crc", "size"])
def test_a_damaged_part_is_not_copied(tmp_path, damage):
    import random
    import struct

    from toolkit.io.read import open_workbook

    payload = random.Random(5).randbytes(20_000)
    src = _stored_part(tmp_path, "src.xlsx", payload)
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("xl/media/image1.png")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    if damage == "crc":
        data[start + 15_000] ^= 0x55  # deep in the part: no header, no 4 KB sniff sees it
    else:
        central = data.rfind(b"PK\x01\x02" + data[info.header_offset + 4: info.header_offset + 6])
        for at, off in ((info.header_offset, 22), (data.find(b"xl/media/image1.png", central) - 46, 24)):
            struct.pack_into("<I", data, at + off, 19_000)  # declared size wrong in both headers
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(bytes(data))
    with pytest.raises(SvcqError) as err:
        patch_cells(bad, {"回覆!A1": 1}, tmp_path / "o.xlsx")
    assert err.value.problem.code == "corrupt-file" and not (tmp_path / "o.xlsx").exists()
    with pytest.raises(SvcqError):  # the readers refuse it: the writer must not pass it on
        open_workbook(bad)


def test_a_rust_panic_in_the_reader_is_a_clean_refusal(tmp_path, monkeypatch):
    """pyo3 turns a Rust panic into PanicException, a BaseException: caught, named, exit 2."""
    import python_calamine
    from hostile.make_corpus import good_xlsx

    from toolkit.io.read import open_workbook

    panic = type("PanicException", (BaseException,), {})

    def explode(*_a, **_k):
        raise panic("index out of bounds: the len is 3 but the index is 7")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", explode)
    path = good_xlsx(tmp_path / "g.xlsx")
    with pytest.raises(SvcqError) as info:
        open_workbook(path)
    assert info.value.problem.code == "corrupt-file" and "g.xlsx" in str(info.value)
