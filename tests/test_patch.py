"""The lossless cell writer: fidelity of every untouched part, correct OOXML in the edited
sheet, problems instead of damage. LibreOffice round trips live in test_patch_libreoffice.py."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from toolkit.io.patch import Formula, parse_address, patch_cells, read_cells, typed_value
from toolkit.problems import ProblemsFound, SvcqError
from toolkit.sheetkit.page import NewSheet

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SHEET1 = "xl/worksheets/sheet1.xml"


# -- builders (also used by test_patch_libreoffice.py and test_cells_cli.py) --------------

def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def build_rich(path: Path, *, vba: Path | None = None) -> Path:
    """A workbook carrying everything openpyxl loses or rewrites."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ws = wb.add_worksheet("工作表")
    bold = wb.add_format({"bold": True})
    pct = wb.add_format({"num_format": "0%", "border": 1})
    roc = wb.add_format({"num_format": "yyyy/mm/dd"})
    ws.write_row("A1", ["項目", "分數", "完成率", "日期"], bold)
    for i in range(8):
        ws.write_string(i + 1, 0, f"工作項目{i + 1}")
        ws.write_number(i + 1, 1, 60 + i * 5)
        ws.write_number(i + 1, 2, i / 8, pct)
        ws.write_datetime(i + 1, 3, dt.datetime(2024, 1, 1 + i), roc)
    ws.write_formula("B11", "=SUM(B2:B9)", None, sum(60 + i * 5 for i in range(8)))
    ws.write_rich_string("A13", "一般", bold, "粗體", "結尾")
    ws.write_comment("A1", "這是註解")
    ws.data_validation("B2:B9", {"validate": "integer", "criteria": "between", "minimum": 0,
                                 "maximum": 100})
    ws.conditional_format("B2:B9", {"type": "data_bar", "data_bar_2010": True})
    ws.add_sparkline("E2", {"range": "工作表!B2:B9"})
    ws.merge_range("A15:C15", "合併儲存格", bold)
    ws.insert_image("G2", "dot.png", {"image_data": io.BytesIO(png_bytes())})
    ws.insert_textbox("G10", "文字方塊內容")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=工作表!$B$2:$B$9", "categories": "=工作表!$A$2:$A$9"})
    ws.insert_chart("J2", chart)
    wb.define_name("分數", "=工作表!$B$2:$B$9")
    other = wb.add_worksheet("My Sheet")
    other.add_table("A1:B4", {"data": [["甲", 1], ["乙", 2], ["丙", 3]],
                              "columns": [{"header": "名稱"}, {"header": "值"}]})
    other.write_array_formula("D1:D3", "{=B2:B4*2}", None, 2)
    other.write("F1", "文字")
    if vba is not None:
        wb.add_vba_project(str(vba))
    wb.close()
    return path


def fake_vba(folder: Path) -> Path:
    """No real vbaProject.bin can be had offline: an OLE2-headed blob stands in; what is
    tested is that the part and its content type travel byte for byte."""
    blob = folder / "vbaProject.bin"
    blob.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    return blob


def edit_members(path: Path, dst: Path, changes: dict[str, bytes]) -> Path:
    """Rewrite ``path`` with some members replaced or added (for shapes xlsxwriter cannot
    make: shared formulas, a calcChain)."""
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, changes.pop(info.filename, None) or zin.read(info.filename))
        for name, data in changes.items():
            zout.writestr(name, data)
    return dst


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def cells_of(xml: bytes) -> dict[str, str]:
    """{A1: canonical XML of the <c> element} of a sheet part."""
    root = ET.fromstring(xml)
    def plain(c: ET.Element) -> str:  # prefix-free, whatever ElementTree registered
        text = ET.tostring(c, encoding="unicode")
        return re.sub(r' xmlns(:\w+)?="[^"]*"', "", re.sub(r"(</?)\w+:", r"\1", text))

    return {c.get("r"): plain(c) for c in root.iter(f"{MAIN}c")}


def outside_cells(xml: bytes) -> bytes:
    """The sheet part without sheetData and dimension: what a cell edit must not touch."""
    xml = re.sub(rb"<sheetData>.*</sheetData>|<sheetData/>", b"", xml, flags=re.S)
    return re.sub(rb'<dimension ref="[^"]*"/>', b"", xml)


def assert_only_cells_changed(before: Path, after: Path, edited: dict[str, set[str]],
                              allowed_parts: set[str] = frozenset()) -> None:
    """Every part but the edited sheets (and ``allowed_parts``) is byte-identical and in the
    same order; in an edited sheet only the edited cells differ."""
    old, new = members(before), members(after)
    assert list(new)[: len(old)] == [n for n in old if n in new]
    for name, data in old.items():
        if name in edited or name in allowed_parts:
            continue
        assert new[name] == data, f"{name} changed"
    with zipfile.ZipFile(before) as a, zipfile.ZipFile(after) as b:
        for name in old:
            if name not in edited and name not in allowed_parts:
                ia, ib = a.getinfo(name), b.getinfo(name)
                assert (ia.CRC, ia.compress_size) == (ib.CRC, ib.compress_size)  # raw copy
    for part, refs in edited.items():
        cells_old, cells_new = cells_of(old[part]), cells_of(new[part])
        for ref in set(cells_old) | set(cells_new):
            if ref not in refs:
                assert cells_old.get(ref) == cells_new.get(ref), f"{part}!{ref} changed"
        assert outside_cells(old[part]) == outside_cells(new[part])


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rich")
    return build_rich(folder / "rich.xlsx")


# -- fidelity ---------------------------------------------------------------------------

def test_rich_workbook_keeps_every_other_part(rich: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    result = patch_cells(rich, {"工作表!B3": 99, "工作表!A14": "新增文字", "工作表!Z40": True},
                         out)
    assert result.changed == ["工作表!B3", "工作表!A14", "工作表!Z40"]
    assert_only_cells_changed(rich, out, {SHEET1: {"B3", "A14", "Z40"}},
                              allowed_parts={"xl/workbook.xml"})
    assert result.recalc  # B11 sums B2:B9 on the edited sheet
    got = read_cells(out, ["工作表!B3", "工作表!A14", "工作表!Z40", "工作表!B4"])
    assert got == {"工作表!B3": 99, "工作表!A14": "新增文字", "工作表!Z40": True, "工作表!B4": 70}
    assert b'fullCalcOnLoad="1"' in members(out)["xl/workbook.xml"]
    sheet = members(out)[SHEET1].decode()
    assert '<dimension ref="A1:Z40"/>' in sheet
    assert "x14:dataBar" in sheet and "x14:sparklineGroups" in sheet  # extLst kept


def test_openpyxl_would_have_lost_parts(rich: Path, tmp_path: Path) -> None:
    """The reason this writer exists: openpyxl load+save drops what patch_cells keeps."""
    import openpyxl

    wb = openpyxl.load_workbook(rich)
    wb["工作表"]["B3"] = 99
    wb.save(tmp_path / "openpyxl.xlsx")
    lost = set(members(rich)) - set(members(tmp_path / "openpyxl.xlsx"))
    patched = patch_cells(rich, {"工作表!B3": 99}, tmp_path / "ours.xlsx").output
    assert lost and not set(members(rich)) - set(members(patched))


def test_xlsm_keeps_vba_and_needs_xlsm_name(tmp_path: Path) -> None:
    src = build_rich(tmp_path / "macro.xlsm", vba=fake_vba(tmp_path))
    with pytest.raises(SvcqError, match="xlsm"):
        patch_cells(src, {"工作表!B3": 1}, tmp_path / "out.xlsx")
    out = patch_cells(src, {"'My Sheet'!F1": "改過"}, tmp_path / "out.xlsm").output
    assert members(out)["xl/vbaProject.bin"] == members(src)["xl/vbaProject.bin"]
    assert_only_cells_changed(src, out, {"xl/worksheets/sheet2.xml": {"F1"}})
    assert read_cells(out, "'My Sheet'!F1") == {"'My Sheet'!F1": "改過"}


def test_shared_strings_and_comments_untouched_text_is_inline(rich: Path, tmp_path: Path) -> None:
    out = patch_cells(rich, {"工作表!A2": "取代共用字串", "工作表!C30": "=1+1"}, tmp_path / "o.xlsx").output
    new = members(out)
    assert new["xl/sharedStrings.xml"] == members(rich)["xl/sharedStrings.xml"]
    cells = cells_of(new[SHEET1])
    assert 't="inlineStr"' in cells["A2"] and "取代共用字串" in cells["A2"]
    assert "<f" not in cells["C30"] and "=1+1" in cells["C30"]  # text, never a formula


# -- OOXML correctness ------------------------------------------------------------------

def test_cells_and_rows_stay_in_order_and_style_is_kept(rich: Path, tmp_path: Path) -> None:
    edits = {"工作表!E3": 1, "工作表!A3": None, "工作表!C3": 0.25, "工作表!B100": 7,
             "工作表!B12": 5, "工作表!AA3": "尾"}
    out = patch_cells(rich, edits, tmp_path / "o.xlsx").output
    root = ET.fromstring(members(out)[SHEET1])
    rows = [int(r.get("r")) for r in root.iter(f"{MAIN}row")]
    assert rows == sorted(rows) and 12 in rows and 100 in rows
    row3 = next(r for r in root.iter(f"{MAIN}row") if r.get("r") == "3")
    refs = [c.get("r") for c in row3]
    assert refs == ["B3", "C3", "D3", "E3", "AA3"]  # A3 (no style) removed, others in order
    old_c3 = next(c for c in ET.fromstring(members(rich)[SHEET1]).iter(f"{MAIN}c") if c.get("r") == "C3")
    new_c3 = next(c for c in row3 if c.get("r") == "C3")
    assert new_c3.get("s") == old_c3.get("s") and new_c3.find(f"{MAIN}v").text == "0.25"


def test_clearing_keeps_the_cells_format(rich: Path, tmp_path: Path) -> None:
    out = patch_cells(rich, {"工作表!C4": None}, tmp_path / "o.xlsx").output
    cell = cells_of(members(out)[SHEET1])["C4"]
    assert "<v>" not in cell and 's="' in cell
    assert read_cells(out, "工作表!C4") == {"工作表!C4": None}


def test_dates_keep_existing_format_or_get_one(rich: Path, tmp_path: Path) -> None:
    out = patch_cells(rich, {"工作表!D3": dt.date(2024, 2, 26), "工作表!F20": dt.date(2025, 1, 2),
                             "工作表!F21": dt.datetime(2025, 1, 2, 13, 30)}, tmp_path / "o.xlsx").output
    cells = cells_of(members(out)[SHEET1])
    old = cells_of(members(rich)[SHEET1])
    assert re.search(r's="(\d+)"', cells["D3"]).group(1) == re.search(r's="(\d+)"', old["D3"]).group(1)
    styles = members(out)["xl/styles.xml"].decode()
    assert 'formatCode="yyyy/m/d"' in styles and 'formatCode="yyyy/m/d hh:mm"' in styles
    got = read_cells(out, ["工作表!D3", "工作表!F20", "工作表!F21"])
    assert got["工作表!D3"] in (dt.date(2024, 2, 26), dt.datetime(2024, 2, 26))
    assert got["工作表!F20"] in (dt.date(2025, 1, 2), dt.datetime(2025, 1, 2))
    assert got["工作表!F21"] == dt.datetime(2025, 1, 2, 13, 30)
    count = re.search(r'<cellXfs count="(\d+)"', styles).group(1)
    assert int(count) == styles.split("<cellXfs", 1)[1].split("</cellXfs>")[0].count("<xf ")


def test_formula_with_cached_value_and_types(rich: Path, tmp_path: Path) -> None:
    edits = {"工作表!F2": Formula("=B2*2", 120), "工作表!F3": Formula("B3&\"分\"", "65分"),
             "工作表!F4": Formula("=B4>60", True), "工作表!F5": Formula("=1/0", "#DIV/0!")}
    out = patch_cells(rich, edits, tmp_path / "o.xlsx").output
    cells = cells_of(members(out)[SHEET1])
    assert "<f>B2*2</f><v>120</v>" in cells["F2"]
    assert 't="str"' in cells["F3"] and "&amp;" in cells["F3"]
    assert 't="b"' in cells["F4"] and 't="e"' in cells["F5"]
    assert read_cells(out, "工作表!F2:F4") == {"工作表!F2": 120, "工作表!F3": "65分", "工作表!F4": True}


def test_merged_array_unknown_sheet_and_bad_address_listed_together(rich: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.xlsx"
    edits = {"工作表!B15": 1, "工作表!A15": "左上角可以", "'My Sheet'!D2": 5, "無此表!A1": 1,
             "工作表!B": 1, "工作表!XFE1": 2, "工作表!C2": float("nan")}
    with pytest.raises(ProblemsFound) as caught:
        patch_cells(rich, edits, out)
    found = {(p.code, p.cell) for p in caught.value.problems}
    assert {("merged-cell", "B15"), ("array-formula", "D2"), ("unknown-sheet", "A1"),
            ("not-finite", "C2")} <= found
    assert [p.code for p in caught.value.problems].count("bad-address") == 2
    assert "A15:C15" in str(caught.value) and "工作表" in str(caught.value)
    assert not out.exists()


def test_whole_array_may_be_replaced_and_clearing_merged_is_fine(rich: Path, tmp_path: Path) -> None:
    out = patch_cells(rich, {"'My Sheet'!D1": 1, "'My Sheet'!D2": 2, "'My Sheet'!D3": 3,
                             "工作表!B15": None}, tmp_path / "o.xlsx").output
    assert read_cells(out, "'My Sheet'!D1:D3") == {"'My Sheet'!D1": 1, "'My Sheet'!D2": 2,
                                                   "'My Sheet'!D3": 3}
    assert 't="array"' not in members(out)["xl/worksheets/sheet2.xml"].decode()


SHARED = (b'<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2</f>'
          b'<v>2</v></c></row><row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" si="0"/>'
          b'<v>4</v></c></row><row r="3"><c r="A3"><v>3</v></c><c r="B3"><f t="shared" si="0"/>'
          b"<v>6</v></c></row>")
CALC_CHAIN = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns='
              b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="B1" i="1"/>'
              b'<c r="B2"/><c r="B3"/></calcChain>')


def shared_formula_book(tmp_path: Path, *, calc_chain: bool) -> Path:
    base = tmp_path / "base.xlsx"
    wb = xlsxwriter.Workbook(str(base))
    wb.add_worksheet("表")
    wb.close()
    old = members(base)
    sheet = re.sub(rb"<sheetData\s*/>", b"<sheetData>" + SHARED + b"</sheetData>", old[SHEET1])
    changes = {SHEET1: sheet}
    if calc_chain:
        changes["xl/calcChain.xml"] = CALC_CHAIN
        changes["xl/_rels/workbook.xml.rels"] = old["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>')
        changes["[Content_Types].xml"] = old["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>')
    return edit_members(base, tmp_path / "shared.xlsx", changes)


def test_overwriting_a_shared_formula_master_keeps_its_children(tmp_path: Path) -> None:
    src = shared_formula_book(tmp_path, calc_chain=True)
    result = patch_cells(src, {"表!B1": 100}, tmp_path / "o.xlsx")
    cells = cells_of(members(result.output)[SHEET1])
    assert "<f>A2*2</f><v>4</v>" in cells["B2"]
    assert "<f>A3*2</f><v>6</v>" in cells["B3"]
    assert result.rewritten == ["表!B2", "表!B3"]
    chain = members(result.output)["xl/calcChain.xml"]
    assert b'r="B1"' not in chain and b'<c r="B2" i="1"/>' in chain  # sheet id carried over


def test_calc_chain_dropped_when_no_formula_is_left(tmp_path: Path) -> None:
    src = shared_formula_book(tmp_path, calc_chain=True)
    out = patch_cells(src, {"表!B1": 1, "表!B2": 2, "表!B3": 3}, tmp_path / "o.xlsx").output
    new = members(out)
    assert "xl/calcChain.xml" not in new
    assert b"calcChain" not in new["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in new["[Content_Types].xml"]


def test_add_sheets_then_write(rich: Path, tmp_path: Path) -> None:
    result = patch_cells(rich, {"彙整紀錄!A1": "時間", "彙整紀錄!B2": 3},
                         tmp_path / "o.xlsx", add_sheets=["彙整紀錄", "工作表"])
    assert result.added_sheets == ["彙整紀錄"] and not result.recalc
    new = members(result.output)
    assert b'name="\xe5\xbd\x99\xe6\x95\xb4\xe7\xb4\x80\xe9\x8c\x84"' in new["xl/workbook.xml"]
    assert read_cells(result.output, "彙整紀錄!A1:B2")["彙整紀錄!B2"] == 3
    again = patch_cells(result.output, {"彙整紀錄!A1": None}, tmp_path / "o2.xlsx",
                        add_sheets=["彙整紀錄"])
    assert again.added_sheets == [] and members(again.output)["xl/workbook.xml"] == new["xl/workbook.xml"]


def test_added_sheet_carries_its_page_layout(rich: Path, tmp_path: Path) -> None:
    """A sheet added to a user's workbook prints on A4 like svcq's own (column widths and
    formats, fitted to the page width, header row frozen and printed on every page: a
    _xlnm.Print_Titles name local to the new sheet) and the user's parts keep their bytes."""
    import openpyxl

    layout = NewSheet(widths=(16, 30, 80), number_formats={1: "0%"})  # wide: landscape
    out = tmp_path / "o.xlsx"
    result = patch_cells(rich, {"彙整紀錄!A1": "時間", "彙整紀錄!B2": 0.5, "彙整紀錄!C2": "很長的說明" * 20,
                                "工作表!A14": "新增"}, out, add_sheets={"彙整紀錄": layout},
                         row_heights={"彙整紀錄": {2: 64.5}, "工作表": {14: 30}})
    assert result.added_sheets == ["彙整紀錄"]
    assert_only_cells_changed(rich, out, {SHEET1: {"A14"}}, allowed_parts={
        "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"})
    book = members(out)["xl/workbook.xml"].decode()
    assert '<definedName name="_xlnm.Print_Titles" localSheetId="2">彙整紀錄!$1:$1</definedName>' in book
    assert 'name="分數"' in book  # the user's own name is still there
    wb = openpyxl.load_workbook(out)
    ws = wb["彙整紀錄"]
    assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert [round(ws.column_dimensions[c].width - 0.71, 1) for c in "ABC"] == [16, 30, 80]
    assert ws.row_dimensions[2].height == 64.5 and wb["工作表"].row_dimensions[14].height == 30
    assert ws["B2"].number_format == "0%" and ws["C2"].alignment.wrap_text  # from the columns
    assert ws["C2"].alignment.vertical == "top"
    header = ws["A1"]  # the house header: bold on the header fill, centred, wrapping
    assert header.font.b and header.fill.fgColor.rgb == "FFD9E1F2" and header.alignment.horizontal == "center"
    assert not ws["B2"].font.b and wb["工作表"]["A2"].fill.fgColor.rgb != "FFD9E1F2"  # others untouched
    assert ws.oddFooter.center.text == "第 &P 頁，共 &N 頁"


def test_print_titles_name_is_made_where_the_workbook_has_none(tmp_path: Path) -> None:
    import openpyxl

    src = tmp_path / "plain.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    wb.add_worksheet("資料").write("A1", "x")
    wb.close()
    assert b"definedNames" not in members(src)["xl/workbook.xml"]
    out = patch_cells(src, {"紀錄!A1": "標題"}, tmp_path / "o.xlsx",
                      add_sheets={"紀錄": NewSheet(widths=(10,), header_rows=2)}).output
    book = members(out)["xl/workbook.xml"].decode()
    assert book.index("</sheets>") < book.index("<definedNames>") < book.index("<calcPr")
    narrow = openpyxl.load_workbook(out)["紀錄"]
    assert narrow.print_title_rows == "$1:$2" and narrow.page_setup.orientation == "portrait"  # by shape
    # an existing sheet is never laid out again, and asking for no layout adds none
    again = patch_cells(out, {"紀錄!A2": 1}, tmp_path / "o2.xlsx", add_sheets={"紀錄": NewSheet(widths=(30,))})
    assert members(again.output)["xl/workbook.xml"] == members(out)["xl/workbook.xml"]
    bare = patch_cells(src, {}, tmp_path / "o3.xlsx", add_sheets={"空白": None}).output
    assert b"Print_Titles" not in members(bare)["xl/workbook.xml"]


def test_bad_new_sheet_name_is_a_problem(rich: Path, tmp_path: Path) -> None:
    with pytest.raises(ProblemsFound, match="工作表名稱"):
        patch_cells(rich, {}, tmp_path / "o.xlsx", add_sheets=["a/b"])


# -- inputs and outputs -------------------------------------------------------------------

def test_in_place_makes_a_backup_and_same_path_needs_in_place(rich: Path, tmp_path: Path) -> None:
    src = tmp_path / "mine.xlsx"
    src.write_bytes(rich.read_bytes())
    with pytest.raises(SvcqError, match="--in-place"):
        patch_cells(src, {"工作表!B2": 1}, src)
    with pytest.raises(SvcqError, match="--in-place"):
        patch_cells(src, {"工作表!B2": 1})
    result = patch_cells(src, {"工作表!B2": 1}, in_place=True)
    assert result.backup is not None and result.backup.read_bytes() == rich.read_bytes()
    assert read_cells(src, "工作表!B2") == {"工作表!B2": 1}


@pytest.mark.parametrize("content, name", [(b"a,b\n1,2\n", "x.csv"),
                                           (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "x.xls")])
def test_non_xlsx_is_refused(tmp_path: Path, content: bytes, name: str) -> None:
    src = tmp_path / name
    src.write_bytes(content)
    with pytest.raises(SvcqError, match="xlsx"):
        patch_cells(src, {"A1": 1}, tmp_path / "o.xlsx")
    assert not (tmp_path / "o.xlsx").exists()


def test_addresses() -> None:
    assert parse_address("'My Sheet'!c4").sheet == "My Sheet"
    full_width = parse_address("工作表！Ｂ３")
    assert (full_width.sheet, full_width.row1, full_width.col1) == ("工作表", 3, 2)
    assert parse_address("'it''s'!$B$3").sheet == "it's"
    rng = parse_address("表!B2:A9", allow_range=True)
    assert (rng.row1, rng.col1, rng.row2, rng.col2) == (2, 1, 9, 2)
    for bad in ("表!", "表!B0", "表!3B", "表!A1:B2"):
        with pytest.raises(ValueError):
            parse_address(bad)


def test_typed_values() -> None:
    assert typed_value("１２") == 12 and typed_value("1,234.5") == 1234.5
    assert typed_value("TRUE") is True and typed_value("80%") == pytest.approx(0.8)
    assert typed_value("113年2月26日") == dt.date(2024, 2, 26)
    assert typed_value("") is None and typed_value("文字") == "文字"
    assert typed_value("1130226") == 1130226  # digits stay a number, as Excel types them
    assert typed_value("=A1", "formula") == Formula("=A1")
    assert typed_value("=A1", "text") == "=A1"
    with pytest.raises(ValueError, match="--formula"):
        typed_value("=A1")


# -- round trip ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plain") / "plain.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("資料 表")
    for r in range(0, 20, 3):
        for c in range(0, 6, 2):
            ws.write(r, c, f"原{r}-{c}")
    wb.close()
    return path


values = st.one_of(
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64).filter(lambda x: abs(x) < 1e300),
    st.booleans(),
    st.text(st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFFF), max_size=40),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31)),
)
spots = st.tuples(st.integers(1, 30), st.integers(1, 10))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(spots, values, min_size=1, max_size=12))
def test_patch_then_read_returns_the_values(plain: Path, tmp_path: Path, data) -> None:
    from toolkit.io.patch_sheet import a1

    edits = {f"'資料 表'!{a1(r, c)}": v for (r, c), v in data.items()}
    out = patch_cells(plain, edits, tmp_path / "h.xlsx").output
    got = read_cells(out, list(edits))
    for key, value in edits.items():
        want = None if value == "" else value
        have = got[key]
        if isinstance(want, dt.date):
            have = have.date() if isinstance(have, dt.datetime) else have
        assert have == want, key


# -- XML other writers produce --------------------------------------------------------------

def raw_sheet_book(tmp_path: Path, sheet_xml: bytes) -> Path:
    base = tmp_path / "base.xlsx"
    wb = xlsxwriter.Workbook(str(base))
    wb.add_worksheet("表")
    wb.close()
    return edit_members(base, tmp_path / "raw.xlsx", {SHEET1: sheet_xml})


PREFIXED = (b'<?xml version="1.0" encoding="utf-8"?><x:worksheet xmlns:x="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:B2"/><x:sheetData>'
            b'<x:row r="1" spans="1:2"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c>'
            b'<x:c r="B1"><x:v>1</x:v></x:c></x:row><x:row r="3"/></x:sheetData></x:worksheet>')


def test_prefixed_sheet_xml_keeps_its_prefix(tmp_path: Path) -> None:
    """The Open XML SDK writes <x:worksheet>: new elements must use the same prefix."""
    out = patch_cells(raw_sheet_book(tmp_path, PREFIXED), {"表!D1": 4, "表!B3": "新", "表!A2": True},
                      tmp_path / "o.xlsx").output
    xml = members(out)[SHEET1]
    assert b'<x:row r="1" spans="1:4">' in xml and b'<x:c r="D1"><x:v>4</x:v></x:c>' in xml
    assert b'<x:row r="2"><x:c r="A2" t="b"><x:v>1</x:v></x:c></x:row><x:row r="3">' in xml
    assert b'<x:dimension ref="A1:D3"/>' in xml
    assert read_cells(out, "表!A1:D3")["表!B3"] == "新"


REFLESS = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
           b'formats.org/spreadsheetml/2006/main"><cols><col min="3" max="3" width="9" style="1"/>'
           b'</cols><sheetData><row><c><v>1</v></c><c><v>2</v></c></row>'
           b'<row customFormat="1" s="1"><c><v>3</v></c></row></sheetData></worksheet>')


def test_rows_and_cells_without_references(tmp_path: Path) -> None:
    """r is optional in OOXML: a row/cell without it follows the previous one, so inserting
    anything before such an element must first give it its reference."""
    src = raw_sheet_book(tmp_path, REFLESS)
    out = patch_cells(src, {"表!A1": 10, "表!C1": 30, "表!B2": 5, "表!A3": "x"}, tmp_path / "o.xlsx").output
    got = read_cells(out, "表!A1:C3")
    assert (got["表!A1"], got["表!B1"], got["表!C1"]) == (10, 2, 30)
    assert (got["表!A2"], got["表!B2"], got["表!A3"]) == (3, 5, "x")
    cells = cells_of(members(out)[SHEET1])
    assert 's="1"' in cells["C1"]  # the column's style
    assert 's="1"' in cells["B2"]  # the row's style (customFormat)


def test_table_header_cells_are_protected(rich: Path, tmp_path: Path) -> None:
    with pytest.raises(ProblemsFound, match="名稱"):
        patch_cells(rich, {"'My Sheet'!A1": "新欄名"}, tmp_path / "o.xlsx")
    out = patch_cells(rich, {"'My Sheet'!A1": "名稱", "'My Sheet'!B2": 9}, tmp_path / "o.xlsx").output
    assert read_cells(out, "'My Sheet'!B2") == {"'My Sheet'!B2": 9}


@pytest.fixture(scope="module")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Rows 2, 5, 8, … 9,002: big enough that rows are found by binary search."""
    path = tmp_path_factory.mktemp("sparse") / "sparse.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表")
    for r in range(1, 9002, 3):
        ws.write_row(r, 0, [r + 1, f"列{r + 1}", r * 0.5])
    wb.close()
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.integers(1, 9100), min_size=1, max_size=15), st.integers(1, 5))
def test_rows_found_and_inserted_in_a_large_sheet(sparse: Path, tmp_path: Path, rows: set[int],
                                                   col: int) -> None:
    from toolkit.io.patch_sheet import a1

    edits = {f"表!{a1(r, col)}": f"新{r}" for r in rows}
    out = patch_cells(sparse, edits, tmp_path / "s.xlsx").output
    root = ET.fromstring(members(out)[SHEET1])
    nums = [int(r.get("r")) for r in root.iter(f"{MAIN}row")]
    assert nums == sorted(set(nums)) and rows <= set(nums)
    got = read_cells(out, [*edits, "表!A2", "表!A9002"])
    assert all(got[k] == v for k, v in edits.items())
    if not rows & {2, 9002}:
        assert (got["表!A2"], got["表!A9002"]) == (2, 9002)
