"""Build the hostile-input corpus into a folder: every file is made here, at test time,
from a few bytes of Python, so nothing binary is committed.

    python tests/hostile/make_corpus.py OUTDIR      # writes the files and lists them

Each case says what svcq must do with it:

* ``refuse`` – exit 2 with one Traditional-Chinese message naming the file; nothing written.
* ``read``   – a readable (if odd) file: the command reads it and answers with 0, or lists
  data problems (1), or refuses what it is not (2) — never a traceback or exit 3.
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    expect: str  # "refuse" | "read"
    code: str = ""  # the Problem code the I/O layer gives, for refuse cases
    why: str = ""


def raw_xlsx(path: Path, sheets: list[tuple[str, str]], *, hidden: set[str] = frozenset(),
             extra: dict[str, bytes] | None = None, same_part: bool = False) -> Path:
    """A minimal xlsx from worksheet XML bodies: [(sheet name, <sheetData> inner XML +
    anything after it)]. ``same_part``: every sheet entry points at one part."""
    n = 1 if same_part else len(sheets)
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="{SHEET_CT}"/>'
                        for i in range(n))
    ct = (HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
          f'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>')
    rels = (HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    state = ' state="hidden"'
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i + 1}" r:id="rId{1 if same_part else i + 1}"'
        f'{state if name in hidden else ""}/>' for i, (name, _) in enumerate(sheets))
    book = f"{HEAD}<workbook {NS} {NS_R}><sheets>{entries}</sheets></workbook>"
    targets = "".join(
        f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(n))
    book_rels = (HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                 f'relationships">{targets}</Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", ct)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("xl/workbook.xml", book)
        zf.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for i, (_, body) in enumerate(sheets[:n]):
            zf.writestr(f"xl/worksheets/sheet{i + 1}.xml",
                        f"{HEAD}<worksheet {NS}>{body}</worksheet>")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def good_xlsx(path: Path) -> Path:
    """A small, ordinary survey-like workbook (also the base the other cases corrupt)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("回覆")
    rows = [["性別", "1.服務態度", "2.等候時間"], ["男", "非常滿意", "滿意"], ["女", "滿意", "普通"],
            ["女", "普通", "非常滿意"]]
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    wb.close()
    return path


def _cells(rows: list[list[str]]) -> str:
    out = []
    for r, row in enumerate(rows, 1):
        cells = "".join(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
                        for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


SURVEY = [["性別", "1.服務態度"], ["男", "非常滿意"], ["女", "滿意"]]


def build(out: Path) -> list[Case]:
    out.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str, path: Path, expect: str, code: str = "", why: str = "") -> None:
        cases.append(Case(name, path, expect, code, why))

    good = good_xlsx(out / "正常.xlsx")
    add("good", good, "read", why="an ordinary file, for contrast")

    # zip bomb: 60 MB of XML in a ~60 KB file (ratio far beyond any real sheet)
    bomb = out / "壓縮炸彈.xlsx"
    filler = b"<!--" + b" " * (60 * 1024**2) + b"-->"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", filler + b"</worksheet>")
            dst.writestr(item.filename, data)
    add("zip-bomb", bomb, "refuse", "zip-bomb")

    # the same bomb with a directory that lies (claims 1 KB): CRC / size checks catch it
    lying = out / "說謊的壓縮檔.xlsx"
    data = bytearray(bomb.read_bytes())
    with zipfile.ZipFile(bomb) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    _patch_sizes(data, info.filename.encode(), 1024)
    lying.write_bytes(bytes(data))
    add("zip-bomb-lying-sizes", lying, "refuse", "corrupt-file")

    lol = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
           b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
           b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
           b'uniqueCount="1"><si><t>&d;</t></si></sst>')
    raw_xlsx(out / "實體炸彈.xlsx", [("回覆", '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
                                            "</row></sheetData>")],
             extra={"xl/sharedStrings.xml": lol})
    add("entity-bomb", out / "實體炸彈.xlsx", "refuse", "xml-dtd")

    whole = good.read_bytes()
    (out / "截斷.xlsx").write_bytes(whole[: len(whole) // 2])
    add("truncated-zip", out / "截斷.xlsx", "refuse", "corrupt-file")

    (out / "空檔.xlsx").write_bytes(b"")
    add("empty-file", out / "空檔.xlsx", "refuse", "empty-file")

    (out / "圖片.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    add("png-named-xlsx", out / "圖片.xlsx", "refuse", "not-a-workbook")

    (out / "其實是CSV.xlsx").write_text("性別,1.服務態度\n男,非常滿意\n女,滿意\n", encoding="utf-8")
    add("csv-named-xlsx", out / "其實是CSV.xlsx", "read", why="read as CSV by content")

    encrypted = _encrypted(good, out / "加密.xlsx")
    if encrypted is not None:
        add("encrypted", encrypted, "refuse", "encrypted")

    # 10,000 sheets, each its own part: refused by the member count before any parse
    many = [(f"S{i}", '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>')
            for i in range(10_000)]
    raw_xlsx(out / "一萬個工作表.xlsx", many)
    add("10000-sheets", out / "一萬個工作表.xlsx", "refuse", "too-many-parts")
    # 10,000 sheet entries sharing one part: small package, refused by the sheet count
    raw_xlsx(out / "一萬個工作表名稱.xlsx", many, same_part=True)
    add("10000-sheet-entries", out / "一萬個工作表名稱.xlsx", "refuse", "too-many-sheets")

    # a 1,048,576-row dimension claim over three real rows: read as the three rows
    raw_xlsx(out / "維度誇大.xlsx", [("回覆", '<dimension ref="A1:XFD1048576"/><sheetData>'
                                       + _cells(SURVEY) + "</sheetData>")])
    add("dimension-claim", out / "維度誇大.xlsx", "read", why="<dimension> is not trusted")

    # the same three rows and one real cell in the last row Excel has: 1,048,576 × 2 cells is
    # within the limits, so it is read (and must still finish in bounded time and memory)
    raw_xlsx(out / "最末列.xlsx", [("回覆", "<sheetData>" + _cells(SURVEY)
                                    + '<row r="1048576"><c r="B1048576"><v>1</v></c></row></sheetData>')])
    add("tall-sparse", out / "最末列.xlsx", "read", why="a legal sheet, 2 million cells")

    # cells at A1 and XFD1048576: calamine would allocate 17 billion cells and abort
    raw_xlsx(out / "遠處儲存格.xlsx", [("回覆", "<sheetData>" + _cells(SURVEY)
                                        + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                                        "</sheetData>")])
    add("far-corner-cell", out / "遠處儲存格.xlsx", "refuse", "sheet-too-large")

    # a row that claims 1,048,576 but holds a cell reference in column XFD of row 2
    raw_xlsx(out / "列號不符.xlsx", [("回覆", "<sheetData>" + _cells(SURVEY)
                                      + '<row r="4"><c r="XFD900000"><v>1</v></c></row></sheetData>')])
    add("lying-cell-ref", out / "列號不符.xlsx", "refuse", "sheet-too-large")

    # the visible sheet is empty, the data sits on a hidden one
    raw_xlsx(out / "隱藏工作表.xlsx", [("說明", "<sheetData/>"),
                                        ("回覆", "<sheetData>" + _cells(SURVEY) + "</sheetData>")],
             hidden={"回覆"})
    add("data-in-hidden-sheet", out / "隱藏工作表.xlsx", "refuse", "data-in-hidden-sheet")

    # one merged range over the whole sheet
    raw_xlsx(out / "巨大合併.xlsx", [("回覆", "<sheetData>" + _cells(SURVEY) + "</sheetData>"
                                      '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')])
    add("huge-merge", out / "巨大合併.xlsx", "read", why="merged ranges are clipped to the data")

    # formulas with no stored result (as openpyxl writes them): the value is unknown
    raw_xlsx(out / "公式無值.xlsx", [("回覆", "<sheetData>" + _cells(SURVEY)
                                      + '<row r="4"><c r="A4"><f>A2&amp;A3</f></c>'
                                        '<c r="B4"><f>B2</f></c></row></sheetData>')])
    add("formula-without-value", out / "公式無值.xlsx", "refuse", "formula-without-value")

    # the same with results stored (as Excel saves them): read, the formula's value is used
    raw_xlsx(out / "公式有值.xlsx", [("回覆", '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>性別'
                                      '</t></is></c><c r="B1" t="inlineStr"><is><t>1.服務態度</t></is></c>'
                                      '</row><row r="2"><c r="A2" t="inlineStr"><is><t>男</t></is></c>'
                                      '<c r="B2" t="str"><f>"非常"&amp;"滿意"</f><v>非常滿意</v></c></row>'
                                      '<row r="3"><c r="A3" t="inlineStr"><is><t>女</t></is></c>'
                                      '<c r="B3" t="str"><f>"滿意"</f><v>滿意</v></c></row></sheetData>')])
    add("formula-with-value", out / "公式有值.xlsx", "read", why="cached formula results are values")

    # ODS whose repeated rows/cells expand to 17 billion valued cells
    _ods(out / "重複展開.ods", '<table:table-row table:number-rows-repeated="1048576">'
         '<table:table-cell office:value-type="float" office:value="1" '
         'table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell></table:table-row>')
    add("ods-repeat-bomb", out / "重複展開.ods", "refuse", "sheet-too-large")

    (out / "大五碼.csv").write_bytes("性別,1.服務態度\n男,非常滿意\n女,滿意\n".encode("cp950"))
    add("big5-csv", out / "大五碼.csv", "read", why="Big5 decoded by content")

    (out / "亂碼.csv").write_bytes(bytes(range(128, 256)) * 40)
    add("undecodable-csv", out / "亂碼.csv", "refuse", "not-a-workbook")

    (out / "假的xls.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    add("broken-ole2", out / "假的xls.xls", "refuse", "corrupt-file")
    return cases


def _patch_sizes(data: bytearray, name: bytes, size: int) -> None:
    """Overwrite the uncompressed size of member ``name`` in its local header and in the
    central directory: a zip that lies about how big its sheet is."""
    import struct

    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := data.find(sig, pos)) >= 0:
            name_len_at = 26 if sig == b"PK\x03\x04" else 28
            name_len = struct.unpack_from("<H", data, pos + name_len_at)[0]
            start = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[start:start + name_len] == name:
                struct.pack_into("<I", data, pos + offset, size)
            pos += 4


def _encrypted(src: Path, dst: Path) -> Path | None:
    """A real password-protected workbook (Agile encryption), via msoffcrypto-tool (a test
    dependency); None when it is not installed."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return None
    with src.open("rb") as plain, dst.open("wb") as sealed:
        OOXMLFile(plain).encrypt("1234", sealed)
    return dst


def _ods(path: Path, rows: str) -> Path:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
               'office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="回覆">{rows}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    path.write_bytes(buf.getvalue())
    return path


if __name__ == "__main__":
    for case in build(Path(sys.argv[1])):
        print(f"{case.expect:7} {case.code:22} {case.path.name}")
