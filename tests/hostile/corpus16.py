"""The inputs of issue 16 (files from other programs, fuzzed files, small files that cost
gigabytes), generated here at test time like make_corpus.py's, nothing binary committed.

    python tests/hostile/corpus16.py OUTDIR      # writes the files and lists them

``expect`` is what the readers must do (``refuse`` = exit 2 naming the file; ``read`` = read
or answered with problems, never a crash); ``patch`` is what ``cells set`` must do when it
differs (the writer refuses more than the readers: it copies what it does not parse).
"""

from __future__ import annotations

import random
import struct
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hostile.make_corpus import HEAD, NS, _ods, good_xlsx, raw_xlsx
from hostile.xls import XlsError, cfb, record, workbook_stream, xls_bytes

SURVEY = [["性別", "1.服務態度"], ["男", "非常滿意"], ["女", "滿意"], ["女", "普通"]]


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    expect: str  # "refuse" | "read"
    code: str = ""  # the Problem code of a refusal
    patch: str = ""  # cells set's verdict when it differs: "refuse:<code>"
    why: str = ""


def _cells(rows: list[list[object]], quote: str = '"') -> str:
    out = []
    q = quote
    for r, row in enumerate(rows, 1):
        cells = "".join(f"<c r={q}{chr(65 + c)}{r}{q} t={q}inlineStr{q}><is><t>{v}</t></is></c>"
                        for c, v in enumerate(row))
        out.append(f"<row r={q}{r}{q}>{cells}</row>")
    return "".join(out)


def _rezip(src: Path, dst: Path, change: dict[str, bytes | None]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change.get(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
    return dst


def _patch_local_and_central(data: bytearray, name: bytes, offsets: tuple[int, int], fmt: str,
                             value: int) -> None:
    """Overwrite a field of member ``name`` in its local header and central directory entry."""
    for sig, offset, name_at, head in ((b"PK\x03\x04", offsets[0], 26, 30), (b"PK\x01\x02", offsets[1], 28, 46)):
        pos = 0
        while (pos := data.find(sig, pos)) >= 0:
            name_len = struct.unpack_from("<H", data, pos + name_at)[0]
            if data[pos + head: pos + head + name_len] == name:
                struct.pack_into(fmt, data, pos + offset, value)
            pos += 4


def build(out: Path) -> list[Case]:
    out.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str, path: Path, expect: str, code: str = "", patch: str = "", why: str = "") -> None:
        cases.append(Case(name, path, expect, code, patch, why))

    good = good_xlsx(out / "正常.xlsx")

    # -- item 8: declared counts and sizes calamine trusts --------------------------------
    sst = (HEAD + f'<sst {NS} count="1" uniqueCount="99999999999"><si><t>性別</t></si></sst>').encode()
    one_cell = '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
    raw_xlsx(out / "字串數謊報.xlsx", [("回覆", one_cell)], extra={"xl/sharedStrings.xml": sst})
    add("sst-unique-count", out / "字串數謊報.xlsx", "refuse", "too-many-strings",
        why="calamine reserves 2.4 TB for the declared count and aborts")

    rows = [*SURVEY, ["男", XlsError("#DIV/0!")]]
    (out / "舊版.xls").write_bytes(xls_bytes([("回覆", rows)]))
    add("xls", out / "舊版.xls", "read", patch="refuse:unsupported-format")

    whole = xls_bytes([("回覆", SURVEY * 40)])
    (out / "截斷.xls").write_bytes(whole[: int(len(whole) * 0.9)])
    add("xls-truncated", out / "截斷.xls", "refuse", "corrupt-file", why="calamine panicked")

    stream = workbook_stream([("回覆", SURVEY)])
    looped = cfb({"Workbook": stream}, chain={1: 1})  # the directory chain points at itself
    (out / "循環.xls").write_bytes(looped)
    add("xls-fat-loop", out / "循環.xls", "refuse", "corrupt-file", why="an endless chain")

    stream = workbook_stream([("回覆", SURVEY)], records={"回覆": [
        record(0x0200, struct.pack("<IIHHH", 5, 2, 0, 255, 0))]})  # a reversed range: wraps
    (out / "範圍反轉.xls").write_bytes(cfb({"Workbook": stream}))
    add("xls-dimensions", out / "範圍反轉.xls", "refuse", "corrupt-file",
        why="calamine reserves rows × cols with wrapping arithmetic")

    far = record(0x0203, struct.pack("<HHHd", 65535, 65535, 15, 1.0))
    (out / "遠處儲存格.xls").write_bytes(xls_bytes([("回覆", SURVEY)], records={"回覆": [far]}))
    add("xls-far-cell", out / "遠處儲存格.xls", "refuse", "sheet-too-large")

    header = bytearray(xls_bytes([("回覆", SURVEY)]))
    struct.pack_into("<I", header, 44, 0x7FFFFFFF)  # 2 billion FAT sectors declared
    (out / "配置表謊報.xls").write_bytes(bytes(header))
    add("xls-fat-length", out / "配置表謊報.xls", "refuse", "corrupt-file")

    rng = random.Random(16)
    flipped = bytearray(xls_bytes([("回覆", SURVEY * 30)]))
    for _ in range(40):
        flipped[rng.randrange(512, len(flipped))] ^= 1 << rng.randrange(8)
    (out / "位元翻轉.xls").write_bytes(bytes(flipped))
    add("xls-bit-flips", out / "位元翻轉.xls", "read", why="read or refused, never a crash")

    (out / "百萬欄.csv").write_text("性別," * 1_000_000 + "x\n男,非常滿意\n", encoding="utf-8")
    add("csv-million-columns", out / "百萬欄.csv", "refuse", "sheet-too-large",
        why="6.7 GB and 49 s before")

    (out / "引號未結束.csv").write_text('性別,1.服務態度\n男,"非常滿意\n' + "女,滿意\n" * 20_000, encoding="utf-8")
    add("csv-stray-quote", out / "引號未結束.csv", "refuse", "csv-field-too-long",
        why="one field of 140,000 characters")

    raw_xlsx(out / "XFD1.xlsx", [("回覆", "<sheetData>" + _cells(SURVEY).replace(
        "</row>", '<c r="XFD1"><v>1</v></c></row>', 1) + "</sheetData>")])
    add("xfd1", out / "XFD1.xlsx", "read", why="one cell in the last column")

    from toolkit.sheetkit.cells import column_letter

    heads = "".join(f'<c r="{column_letter(c)}1" t="inlineStr"><is><t>Q{c}</t></is></c>' for c in range(16_384))
    answers = "".join(f'<c r="{column_letter(c)}2" t="inlineStr"><is><t>滿意</t></is></c>' for c in range(16_384))
    raw_xlsx(out / "一萬六千欄.xlsx", [("回覆", f'<sheetData><row r="1">{heads}</row><row r="2">{answers}</row>'
                                                "</sheetData>")])
    add("16384-columns", out / "一萬六千欄.xlsx", "read", why="the header check was quadratic: > 300 s")

    # -- item 9: one clear message ---------------------------------------------------------
    v64 = bytearray(good.read_bytes())
    pos = 0
    while (pos := v64.find(b"PK\x01\x02", pos)) >= 0:
        struct.pack_into("<H", v64, pos + 6, 64)  # version needed to extract: 6.4
        pos += 4
    (out / "zip版本.xlsx").write_bytes(bytes(v64))
    add("zip-version-6.4", out / "zip版本.xlsx", "refuse", "unsupported-compression")

    _rezip(good, out / "缺內容類型.xlsx", {"[Content_Types].xml": None})
    add("no-content-types", out / "缺內容類型.xlsx", "read", patch="refuse:corrupt-file",
        why="readers accept it; a write-back would make a file Excel refuses")

    # -- item 5: what the writer copies raw ------------------------------------------------
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("docProps/app.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x55  # corrupt the compressed bytes of a part svcq copies
    (out / "檢查碼錯誤.xlsx").write_bytes(bytes(data))
    add("bad-crc", out / "檢查碼錯誤.xlsx", "refuse", "corrupt-file")

    data = bytearray(good.read_bytes())
    _patch_local_and_central(data, b"docProps/core.xml", (22, 24), "<I", 7)  # size declared 7
    (out / "大小謊報.xlsx").write_bytes(bytes(data))
    add("wrong-size", out / "大小謊報.xlsx", "refuse", "corrupt-file")

    # -- item 6 and 11: XML as other programs write it -------------------------------------
    raw_xlsx(out / "單引號.xlsx", [("回覆", "<sheetData>" + _cells(SURVEY, "'") + "</sheetData>"
                                           "<mergeCells count='1'><mergeCell ref='D1:E2'/></mergeCells>")])
    add("single-quotes", out / "單引號.xlsx", "read")

    raw_xlsx(out / "單引號遠處.xlsx", [("回覆", "<sheetData>" + _cells(SURVEY, "'")
                                               + "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>"
                                               + "</sheetData>")])
    add("single-quotes-far-cell", out / "單引號遠處.xlsx", "refuse", "sheet-too-large", patch="read",
        why="the reference scan must read r='…' too")

    raw_xlsx(out / "屬性內大於.xlsx", [("回覆", "<sheetData>" + _cells(SURVEY)
                                               + '<row r="5"><c foo=">" r="XFD1048576"><v>1</v></c></row>'
                                               + "</sheetData>")])
    add("gt-in-attribute-far-cell", out / "屬性內大於.xlsx", "refuse", "sheet-too-large", patch="read")

    wide_rows = [[f"Q{c}" for c in range(20)]] + [[f"{r}-{c}" for c in range(20)] for r in range(3)]
    raw_xlsx(out / "最末空列.xlsx", [("回覆", "<sheetData>" + _cells([SURVEY[0] + w[2:] for w in wide_rows])
                                            + '<row r="1048576" ht="15"/></sheetData>')])
    add("empty-last-row", out / "最末空列.xlsx", "read", why="Excel writes it beside a comment in the last row")

    raw_xlsx(out / "錯誤值.xlsx", [("回覆", "<sheetData>" + _cells(SURVEY) + '<row r="5"><c r="A5" t="inlineStr">'
                                          '<is><t>男</t></is></c><c r="B5" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
                                          "</row></sheetData>")])
    add("error-cells", out / "錯誤值.xlsx", "read")

    # -- item 12: text formats -------------------------------------------------------------
    xml = (HEAD + '<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:'
           'spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="回覆"><Table>'
           + "".join("<Row>" + "".join(f'<Cell><Data ss:Type="String">{v}</Data></Cell>' for v in row) + "</Row>"
                     for row in SURVEY) + "</Table></Worksheet></Workbook>")
    (out / "XML試算表.xls").write_text(xml, encoding="utf-8")
    add("spreadsheetml-2003", out / "XML試算表.xls", "read", patch="refuse:unsupported-format")

    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"><title>回覆</title>'
            "</head><body><table border=1>" + "".join(
                "<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in SURVEY) + "</table></body></html>")
    (out / "網頁匯出.xls").write_bytes(html.encode("cp950"))
    add("html-table", out / "網頁匯出.xls", "read", patch="refuse:unsupported-format")

    (out / "符號連結格式.slk").write_text('ID;PWXL;N;E\nC;Y1;X1;K"性別"\nE\n', encoding="utf-8")
    add("sylk", out / "符號連結格式.slk", "refuse", "unsupported-format")
    (out / "資料交換格式.dif").write_text('TABLE\r\n0,1\r\n""\r\nVECTORS\r\n0,1\r\n""\r\n', encoding="utf-8")
    add("dif", out / "資料交換格式.dif", "refuse", "unsupported-format")

    _xlm(out / "巨集表.xlsm")
    add("excel4-macro-sheet", out / "巨集表.xlsm", "refuse", "excel4-macro")

    _ods(out / "錯誤值.ods", '<table:table-row><table:table-cell office:value-type="string"><text:p>性別</text:p>'
         '</table:table-cell><table:table-cell office:value-type="string"><text:p>1.服務態度</text:p>'
         '</table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string">'
         '<text:p>男</text:p></table:table-cell><table:table-cell table:formula="of:=1/0" '
         'office:value-type="string" office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
         "</table:table-cell></table:table-row>")
    add("ods-error-cells", out / "錯誤值.ods", "read", patch="refuse:unsupported-format")
    return cases


def _xlm(path: Path) -> Path:
    """An .xlsm whose second sheet is an Excel 4.0 macro sheet with an Auto_Open name."""
    ct = (HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/macrosheets/sheet1.xml" '
          'ContentType="application/vnd.ms-excel.macrosheet+xml"/></Types>')
    rels = (HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    book = (HEAD + f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="回覆" sheetId="1" r:id="rId1"/><sheet name="Macro1" sheetId="2" state="hidden" '
            'r:id="rId2"/></sheets><definedNames><definedName name="_xlnm.Auto_Open">Macro1!$A$1</definedName>'
            "</definedNames></workbook>")
    book_rels = (HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.microsoft'
                 '.com/office/2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>')
    macro = (HEAD + '<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1" t="str">'
             '<f>EXEC("calc.exe")</f><v></v></c></row></sheetData></xm:macrosheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("[Content_Types].xml", ct), ("_rels/.rels", rels), ("xl/workbook.xml", book),
                           ("xl/_rels/workbook.xml.rels", book_rels),
                           ("xl/worksheets/sheet1.xml", HEAD + f"<worksheet {NS}><sheetData>" + _cells(SURVEY)
                            + "</sheetData></worksheet>"),
                           ("xl/macrosheets/sheet1.xml", macro)):
            zf.writestr(name, text)
    return path


if __name__ == "__main__":
    for case in build(Path(sys.argv[1])):
        print(f"{case.expect:7} {case.code:24} {case.path.name}")
