"""What calamine does not tell about an .xlsx/.xlsm: its defined names, and for chosen cells
whether they hold a formula and which number format they show.

The form filler needs both: a defined name can mark a cell to fill, a cell whose displayed
text comes from a formula must not be overwritten with a value, and a number is written
into a cell whose own format (0.0%, 0.0, a date) then shows it. Parts are read with the
same guards and byte-level scanning as the patch writer (toolkit.io.patch).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from toolkit.io import guards
from toolkit.io.limits import DEFAULT, Limits
from toolkit.io.patch_book import Styles, load_book, parse_xml
from toolkit.io.patch_sheet import SheetEditor, attributes

__all__ = ["BUILTIN_FORMATS", "BookFacts", "CellFacts", "DefinedName", "read_book_facts"]

#: Excel's built-in number formats that a form is likely to use (ECMA-376 §18.8.30).
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
    22: "yyyy/m/d h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss",
    47: "mm:ss.0", 48: "##0.0E+0", 49: "@",
}
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_HEADER_FOOTER = re.compile(rb"<(?:[\w.-]+:)?headerFooter\b.*?</(?:[\w.-]+:)?headerFooter>", re.S)
_BRACES = (b"{{", b"}}", "｛｛".encode(), "｝｝".encode())
#: Parts whose text people see but cells do not hold: (pattern, what users call it).
_OTHER_TEXT = ((re.compile(r"xl/drawings/[^/]+\.xml$"), "文字方塊或圖案"),
               (re.compile(r"xl/charts/[^/]+\.xml$"), "圖表"),
               (re.compile(r"xl/(?:comments[^/]*|comments/[^/]+|threadedComments/[^/]+)\.xml$"), "註解"))


@dataclass(frozen=True)
class DefinedName:
    name: str
    refers_to: str  # as written in workbook.xml, e.g. 工作表1!$B$3
    sheet: str | None  # the sheet a local name belongs to; None = the whole workbook
    hidden: bool = False


@dataclass(frozen=True)
class CellFacts:
    formula: bool
    number_format: str  # "General" for a cell without one, or a missing cell
    shows_date: bool


@dataclass(frozen=True)
class BookFacts:
    names: list[DefinedName]
    cells: dict[tuple[str, int, int], CellFacts]  # (sheet, row, col) 1-based
    has_formulas: bool  # any worksheet holds a formula
    #: (sheet or part, what it is) of text outside cells that holds {{ or }}: headers and
    #: footers, text boxes, charts, comments (a cell writer cannot fill those)
    elsewhere: list[tuple[str, str]]


def read_book_facts(path: str | Path, cells: Collection[tuple[str, int, int]] = (),
                    limits: Limits = DEFAULT) -> BookFacts:
    """Defined names of the workbook at ``path`` and facts of ``cells`` ((sheet, row, col))."""
    path = Path(path)
    core = {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
    guards.check_zip(path, limits, inflate=core)
    with zipfile.ZipFile(path) as zf:
        book = load_book(zf, path)
        worksheets = {s.name: s for s in book.sheets if s.kind == "worksheet" and s.part in book.names}
        styles_part = book.part_of_type("styles")
        others = {n: label for n in book.names for pattern, label in _OTHER_TEXT if pattern.match(n)}
        guards.check_zip(path, limits, inflate={s.part for s in worksheets.values()} | set(others)
                         | ({styles_part} if styles_part else set()))
        styles = Styles(styles_part, zf.read(styles_part) if styles_part else None)
        names = _defined_names(book.workbook_xml, book.workbook_part, path,
                               [s.name for s in book.sheets])
        wanted: dict[str, list[tuple[int, int]]] = {}
        for sheet, row, col in cells:
            wanted.setdefault(sheet, []).append((row, col))
        facts: dict[tuple[str, int, int], CellFacts] = {}
        has_formulas = False
        elsewhere = [(part, label) for part, label in others.items() if _has_braces(zf.read(part))]
        for name, worksheet in worksheets.items():
            xml = zf.read(worksheet.part)
            has_formulas |= _FORMULA_TAG.search(xml) is not None
            if any(_has_braces(m.group(0)) for m in _HEADER_FOOTER.finditer(xml)):
                elsewhere.append((name, "頁首頁尾"))
            if name in wanted:
                facts.update(_cell_facts(name, xml, styles, book.date1904, wanted[name]))
    for sheet, row, col in cells:  # a sheet svcq could not read (a chart sheet): plain facts
        facts.setdefault((sheet, row, col), CellFacts(False, "General", False))
    return BookFacts(names, facts, has_formulas, elsewhere)


def _has_braces(xml: bytes) -> bool:
    return any(b in xml for b in _BRACES)


def _defined_names(xml: bytes, part: str, path: Path, sheets: list[str]) -> list[DefinedName]:
    out = []
    for el in parse_xml(xml, part, path).iter():
        if el.tag.rsplit("}", 1)[-1] != "definedName":
            continue
        local = el.get("localSheetId")
        sheet = sheets[int(local)] if local is not None and local.isdigit() and int(local) < len(sheets) else None
        out.append(DefinedName(el.get("name", ""), (el.text or "").strip(), sheet,
                               el.get("hidden") in ("1", "true")))
    return out


def _cell_facts(sheet: str, xml: bytes, styles: Styles, date1904: bool,
                spots: list[tuple[int, int]]) -> Mapping[tuple[str, int, int], CellFacts]:
    # SheetEditor finds rows and cells, and picks the style of a new cell, the way the patch
    # writer will when it writes them (its helpers are internal to toolkit.io, as this is).
    try:
        editor = SheetEditor(xml, styles, date1904)
    except ValueError:
        return {}
    col_styles = editor._col_styles()
    out = {}
    for row_num, col in spots:
        row = editor._row(row_num)
        cell = next((c for c in editor._cells(row) if c.col == col), None) if row is not None else None
        style = None
        formula = False
        if cell is not None:
            attrs = dict(attributes(cell.attrs))
            style = int(attrs[b"s"]) if attrs.get(b"s", b"").isdigit() else None
            formula = editor.f_re.search(cell.inner) is not None
        if cell is None:  # a new cell takes its row's, else its column's format
            style = editor._row_style(row) if row is not None else None
            if style is None:
                style = next((s for lo, hi, s in col_styles if lo <= col <= hi), None)
        code = _format_code(styles, style or 0)
        out[(sheet, row_num, col)] = CellFacts(formula, code, styles.shows_date(style or 0))
    return out


def _format_code(styles: Styles, style: int) -> str:
    if not 0 <= style < len(styles.xf_fmt):
        return "General"
    fid = styles.xf_fmt[style]
    return styles.codes.get(fid) or BUILTIN_FORMATS.get(fid, "General")
