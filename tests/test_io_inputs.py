"""Foundation acceptance: every input kind is recognised by content, and the guards refuse
bombs and broken files with a clear message before any parser sees them."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from toolkit.io.libreoffice import convert
from toolkit.io.limits import Limits
from toolkit.io.read import read_table
from toolkit.io.sniff import FileKind, sniff
from toolkit.problems import SvcqError

ROWS = [["姓名", "分數", "日期"], ["王小明", 5, dt.date(2024, 2, 26)], ["林美玲", 4, dt.date(2024, 3, 1)]]


def make_xlsx(path: Path, rows=ROWS, sheet="回覆") -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(v, dt.time()), date_fmt)
            else:
                ws.write(r, c, v)
    wb.close()
    return path


def test_xlsx_by_content_whatever_the_name(tmp_path):
    path = make_xlsx(tmp_path / "回覆.dat")
    assert sniff(path) is FileKind.XLSX
    table = read_table(path)
    assert table.sheet == "回覆"
    assert table.rows[1][:2] == ["王小明", 5.0]
    assert table.rows[1][2] == dt.date(2024, 2, 26)
    assert table.ref(1, 1) == "B2"


def test_xlsm_is_recognised(tmp_path):
    xlsx = make_xlsx(tmp_path / "a.xlsx")
    xlsm = tmp_path / "a.xlsm"
    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(60))
    assert sniff(xlsm) is FileKind.XLSM


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp950"])
def test_csv_encodings(tmp_path, encoding):
    path = tmp_path / f"回覆-{encoding}.csv"
    path.write_text("姓名,滿意度\n王小明,非常滿意\n林美玲,普通\n", encoding=encoding)
    assert sniff(path) is FileKind.CSV
    table = read_table(path)
    assert table.rows[0] == ["姓名", "滿意度"]  # no BOM left on the first header
    assert table.rows[1] == ["王小明", "非常滿意"]
    assert table.ref(2, 1) == "B3"


def test_csv_renamed_to_xlsx_is_read_as_csv(tmp_path):
    # Content decides: a CSV someone renamed to .xlsx is still read correctly.
    path = tmp_path / "回覆.xlsx"
    path.write_text("姓名,滿意度\n王小明,滿意\n", encoding="cp950")
    assert sniff(path) is FileKind.CSV
    assert read_table(path).rows[1] == ["王小明", "滿意"]


@pytest.mark.libreoffice
def test_xls_and_ods_via_calamine(tmp_path):
    xlsx = make_xlsx(tmp_path / "src.xlsx")
    ods = convert([xlsx], "ods", tmp_path / "ods")[0]
    xls = convert([xlsx], "xls:MS Excel 97", tmp_path / "xls")[0]
    assert sniff(ods) is FileKind.ODS
    assert sniff(xls) is FileKind.XLS
    for path in (ods, xls):
        rows = read_table(path).rows
        assert rows[0] == ["姓名", "分數", "日期"]
        assert rows[1][:2] == ["王小明", 5.0]


# --- unusable inputs: one clear message each -------------------------------------------

def expect_error(path: Path, code: str, fragment: str, **kw) -> None:
    with pytest.raises(SvcqError) as info:
        read_table(path, **kw)
    assert info.value.problem.code == code
    assert fragment in str(info.value)
    assert path.name in str(info.value)


def test_empty_file(tmp_path):
    path = tmp_path / "空的.xlsx"
    path.write_bytes(b"")
    expect_error(path, "empty-file", "空的")


def test_missing_file(tmp_path):
    expect_error(tmp_path / "不存在.xlsx", "not-found", "找不到")


def test_png_named_xlsx(tmp_path):
    path = tmp_path / "圖.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    expect_error(path, "not-a-workbook", "PNG")


def test_truncated_zip(tmp_path):
    good = make_xlsx(tmp_path / "good.xlsx")
    path = tmp_path / "截斷.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    expect_error(path, "corrupt-file", "損毀")


def test_encrypted_workbook(tmp_path):
    # An encrypted OOXML file is an OLE2 compound file carrying an "EncryptionInfo" stream.
    path = tmp_path / "加密.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000) + "EncryptionInfo".encode("utf-16-le"))
    expect_error(path, "encrypted", "請先移除檔案密碼")


def _rezip(src: Path, dst: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, replace.get(item.filename, zin.read(item)))
    return dst


def test_zip_bomb(tmp_path):
    good = make_xlsx(tmp_path / "good.xlsx")
    sheet = zipfile.ZipFile(good).read("xl/worksheets/sheet1.xml")
    huge = sheet.replace(b"</worksheet>", b"<!--" + b" " * (50 * 1024**2) + b"--></worksheet>")
    path = _rezip(good, tmp_path / "炸彈.xlsx", {"xl/worksheets/sheet1.xml": huge})
    assert path.stat().st_size < 1024**2  # small on disk, 50 MB inflated
    with pytest.raises(SvcqError) as info:
        read_table(path, limits=Limits(max_member_bytes=20 * 1024**2))
    assert info.value.problem.code == "zip-bomb"
    # with the default limits, the ratio check alone catches it
    expect_error(path, "zip-bomb", "壓縮炸彈")


def test_xml_entity_bomb(tmp_path):
    good = make_xlsx(tmp_path / "good.xlsx")
    lol = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
           b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
           b'uniqueCount="1"><si><t>&c;</t></si></sst>')
    path = _rezip(good, tmp_path / "實體炸彈.xlsx", {"xl/sharedStrings.xml": lol})
    expect_error(path, "xml-dtd", "DTD")


def test_not_a_workbook_zip(tmp_path):
    path = tmp_path / "壓縮.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    expect_error(path, "not-a-workbook", "zip")


def test_unknown_sheet_lists_the_sheets(tmp_path):
    path = make_xlsx(tmp_path / "a.xlsx")
    expect_error(path, "no-sheet", "回覆", sheet="工作表9")


def test_binary_garbage(tmp_path):
    path = tmp_path / "亂碼.csv"
    path.write_bytes(bytes(range(256)) * 10)
    expect_error(path, "not-a-workbook", "無法辨識")


def test_sheet_ref_with_offset(tmp_path):
    path = tmp_path / "offset.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表 一")
    ws.write("C5", "題目")
    ws.write("D6", 3)
    wb.close()
    table = read_table(path)
    assert table.origin == (4, 2)
    assert table.ref(1, 1) == "D6"
    assert str(table.problem(1, 1, "bad-value", "錯")) == "offset.xlsx '表 一'!D6：錯"


def test_read_from_memory_is_not_needed_but_bytes_io_is_not_a_path():
    with pytest.raises(TypeError):
        sniff(io.BytesIO(b""))  # type: ignore[arg-type]


def test_unsupported_compression_method_is_named_not_called_corrupt(tmp_path):
    # Deflate64 (method 9) is what some archivers produce; zipfile cannot inflate it.
    good = make_xlsx(tmp_path / "good.xlsx")
    data = bytearray(good.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, method_offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = data.find(signature)
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + method_offset:at + method_offset + 2] = (9).to_bytes(2, "little")
            at = data.find(signature, at + 4)
    path = tmp_path / "deflate64.xlsx"
    path.write_bytes(bytes(data))
    expect_error(path, "unsupported-compression", "不支援的壓縮方式")
