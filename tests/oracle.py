"""LibreOffice as the oracle for every workbook svcq writes.

``recalc_and_compare`` has LibreOffice (private profile, every formula recalculated on load)
re-save a workbook as xlsx, then compares cell by cell with what svcq wrote: each formula's
recalculated value must equal the cached value svcq stored, every text, number, date and
boolean must read back the same, no text may turn into a formula and no formula may be lost.
A file LibreOffice cannot open raises SvcqError (so the test fails).

``read_cells`` reads a workbook as {sheet: {A1: Cell}} (openpyxl for xlsx, toolkit.io.ods
for ods) and ``compare_cells`` compares two such readings, e.g. an .xlsx and the .ods the
same writer produced. Other test modules import these helpers.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.datetime import to_excel

from toolkit.io.libreoffice import convert
from toolkit.io.ods import read_ods
from toolkit.sheetkit.cells import cell_ref

ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "Err:502", "Err:504"}


@dataclass(frozen=True)
class Cell:
    value: tuple[str, Any] | None  # ("num" | "str" | "bool" | "date" | "err", value); None = empty
    formula: str | None = None


@dataclass(frozen=True)
class Mismatch:
    file: str
    sheet: str
    cell: str
    what: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return (f"{Path(self.file).name} {self.sheet}!{self.cell}: {self.what}: "
                f"寫入 {self.expected!r} ≠ LibreOffice {self.actual!r}")


Cells = dict[str, dict[str, Cell]]


def normalise(value: Any) -> tuple[str, Any] | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("num", float(value))
    if isinstance(value, dt.datetime | dt.date):
        return ("date", float(to_excel(value)))
    if isinstance(value, dt.time):
        return ("date", (value.hour * 3600 + value.minute * 60 + value.second) / 86400)
    text = str(value)
    return ("err", text) if text in ERRORS else ("str", text)


def read_cells(path: str | Path) -> Cells:
    """Every non-empty cell (value as cached in the file, formula text) of every sheet."""
    stat = Path(path).stat()
    return _read_cells(Path(path).resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _read_cells(path: Path, _mtime: int, _size: int) -> Cells:
    if path.suffix.lower() == ".ods":
        return {s.name: {cell_ref(r, c): Cell(normalise(v.value), v.formula)
                         for (r, c), v in s.cells.items()} for s in read_ods(path).sheets}
    # read_only streams the sheet XML: several times faster than the full object model
    formulas = openpyxl.load_workbook(path, data_only=False, read_only=True)
    values = openpyxl.load_workbook(path, data_only=True, read_only=True)
    out: Cells = {}
    try:
        for ws in formulas.worksheets:
            sheet: dict[str, Cell] = {}
            ws.reset_dimensions()  # trust the cells, not a writer's <dimension>
            values[ws.title].reset_dimensions()
            cached = {(c.row, c.column): c.value for row in values[ws.title].iter_rows()
                      for c in row if getattr(c, "value", None) is not None}
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "value", None) is None:
                        continue
                    formula = None
                    if cell.data_type == "f":
                        raw = cell.value
                        formula = getattr(raw, "text", None) or str(raw)
                    value = normalise(cached.get((cell.row, cell.column)))
                    if formula or value is not None:
                        sheet[cell_ref(cell.row - 1, cell.column - 1)] = Cell(value, formula)
            out[ws.title] = sheet
    finally:
        formulas.close()
        values.close()
    return out


def same(a: tuple[str, Any] | None, b: tuple[str, Any] | None) -> bool:
    if a is None or b is None:
        return a is b
    # LibreOffice has no boolean type: TRUE is 1 with a boolean format.
    a = ("num", float(a[1])) if a[0] == "bool" else a
    b = ("num", float(b[1])) if b[0] == "bool" else b
    if a[0] != b[0]:
        return False
    if a[0] in ("num", "date"):
        return math.isclose(a[1], b[1], rel_tol=1e-9, abs_tol=1e-9)
    return a[1] == b[1]


def _boolean_constant(formula: str) -> bool:
    """LibreOffice stores a boolean cell as the formula TRUE()/FALSE() (it has no boolean
    type); that is the same value, not user text turned into a formula."""
    return formula.removeprefix("of:").lstrip("=").upper() in ("TRUE()", "FALSE()")


def compare_cells(expected: Cells, actual: Cells, file: str | Path) -> list[Mismatch]:
    """What differs between two readings of a workbook (``expected`` = what svcq wrote)."""
    file = str(file)
    out: list[Mismatch] = []
    for name, cells in expected.items():
        if name not in actual:
            out.append(Mismatch(file, name, "", "工作表不見了", name, sorted(actual)))
            continue
        other = actual[name]
        for ref, cell in cells.items():
            got = other.get(ref, Cell(None))
            if cell.formula and not got.formula:
                out.append(Mismatch(file, name, ref, "公式不見了", cell.formula, got.value))
            elif not cell.formula and got.formula and not _boolean_constant(got.formula):
                out.append(Mismatch(file, name, ref, "文字變成公式", cell.value, got.formula))
            elif not same(cell.value, got.value):
                what = "公式重算值與快取值不同" if cell.formula else "儲存格值不同"
                out.append(Mismatch(file, name, ref, what, cell.value, got.value))
        for ref, got in other.items():
            if ref not in cells and got.value is not None:
                out.append(Mismatch(file, name, ref, "多出的值", None, got.value))
    return out


def recalc(paths: Iterable[str | Path], outdir: str | Path) -> dict[Path, Path]:
    """One LibreOffice run re-saves every file as xlsx, recalculating every formula."""
    paths = [Path(p) for p in paths]
    stage = Path(outdir, "in")
    stage.mkdir(parents=True, exist_ok=True)
    staged = []
    for n, p in enumerate(paths):  # unique stems: a.xlsx and a.ods must not collide
        staged.append(stage / f"{n:03d}{p.suffix}")
        shutil.copyfile(p, staged[-1])
    written = convert(staged, "xlsx", Path(outdir, "out"))
    return dict(zip(paths, written, strict=True))


def recalc_and_compare_many(paths: Iterable[str | Path]) -> dict[Path, list[Mismatch]]:
    paths = [Path(p) for p in paths]
    with tempfile.TemporaryDirectory(prefix="svcq-oracle-") as work:
        resaved = recalc(paths, work)
        return {p: compare_cells(read_cells(p), read_cells(resaved[p]), p) for p in paths}


def recalc_and_compare(path: str | Path) -> list[Mismatch]:
    """Mismatches between ``path`` as svcq wrote it and as LibreOffice recalculates it."""
    return recalc_and_compare_many([path])[Path(path)]


def assert_oracle(paths: Iterable[str | Path]) -> None:
    """Fail with every mismatch listed; also fails if a workbook has no cells at all."""
    results = recalc_and_compare_many(paths)
    problems = [str(m) for ms in results.values() for m in ms[:20]]
    assert not problems, "\n".join(problems)
    empty = [str(p) for p in results if not any(read_cells(p).values())]
    assert not empty, f"workbooks without any cell: {empty}"


def compare_layout(xlsx: str | Path, ods: str | Path) -> list[str]:
    """What the .ods lost of the xlsx the same writer produced: sheets, merged cells, column
    widths (Excel pixels), shading, percent/date formats, frozen panes. [] when all kept."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.styles.numbers import is_date_format

    from toolkit.io.ods import xlsx_layout

    out: list[str] = []
    book = openpyxl.load_workbook(xlsx)
    doc = read_ods(ods)
    if [s.name for s in doc.sheets] != book.sheetnames:
        return [f"工作表不同：{book.sheetnames} ≠ {[s.name for s in doc.sheets]}"]
    layouts, _ = xlsx_layout(xlsx)
    for ws, sheet, layout in zip(book.worksheets, doc.sheets, layouts, strict=True):
        name = ws.title
        merges = {(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1)
                  for r in ws.merged_cells.ranges}
        if merges != set(sheet.merges):
            out.append(f"{name}: 合併儲存格 {sorted(merges ^ set(sheet.merges))[:5]}")
        for c in range(min(ws.max_column + 2, len(sheet.column_widths))):
            got = round(sheet.column_widths[c] * 96)
            if abs(got - layout.width_px(c)) > 1:
                out.append(f"{name}: 欄 {c + 1} 寬 {layout.width_px(c)}px ≠ {got}px")
        if layout.freeze and f'config:name="{name}"' not in doc.settings:
            out.append(f"{name}: 凍結窗格不見了")
        out += [f"{name}: {p}" for p in _page_differences(ws, sheet.page)]
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell):  # openpyxl keeps no style for covered cells
                    continue
                r, c = cell.row - 1, cell.column - 1
                props = doc.style_properties(sheet.styled.get((r, c)))
                fill = cell.fill
                want = (f"#{fill.fgColor.rgb[-6:]}".lower()
                        if fill.fill_type == "solid" and isinstance(fill.fgColor.rgb, str) else None)
                got_bg = props.get("fo:background-color", "transparent").lower()
                if (want or "transparent") != got_bg and not (want is None and got_bg == "#ffffff"):
                    out.append(f"{name}!{cell.coordinate}: 底色 {want} ≠ {got_bg}")
                if cell.value is None or cell.data_type == "s":
                    continue
                fmt = cell.number_format
                kind = props.get("data-style", "")
                if "%" in fmt and not kind.startswith("percentage"):
                    out.append(f"{name}!{cell.coordinate}: 百分比格式 {fmt!r} → {kind!r}")
                if is_date_format(fmt) and not kind.startswith("date"):
                    out.append(f"{name}!{cell.coordinate}: 日期格式 {fmt!r} → {kind!r}")
    return out


def _page_differences(ws: Any, page: dict[str, str]) -> list[str]:
    """A4, orientation and fit-to-width of an openpyxl sheet vs an ods page layout."""
    from toolkit.io.ods import length_in

    out = []
    setup = ws.page_setup
    if str(setup.paperSize) == "9":
        dims = sorted(length_in(page.get(k, "")) for k in ("fo:page-width", "fo:page-height"))
        if not all(math.isclose(a, b, abs_tol=0.01) for a, b in zip(dims, (8.268, 11.693), strict=True)):
            out.append(f"紙張不是 A4：{page.get('fo:page-width')} × {page.get('fo:page-height')}")
    want = setup.orientation or "portrait"
    if want in ("portrait", "landscape") and page.get("style:print-orientation", "portrait") != want:
        out.append(f"列印方向 {want} ≠ {page.get('style:print-orientation')}")
    fit = ws.sheet_properties.pageSetUpPr
    fit_width = fit is not None and fit.fitToPage and setup.fitToWidth == 1 and not setup.fitToHeight
    if fit_width and page.get("style:scale-to-X") != "1":
        out.append(f"未縮放為一頁寬：{ {k: v for k, v in page.items() if 'scale' in k} }")
    return out


def write_sample(path: str | Path) -> Path:
    """A workbook with everything the oracle and the ODS conversion must keep: formulas with
    cached values (number, text, percent, cross-sheet), text starting with '=', '+' and
    full-width digits, a date, merged title, shaded planned months, widths, a frozen header,
    a hidden column, a list validation, A4 landscape fitted to one page wide."""
    from toolkit.io.xlsx import new_workbook

    path = Path(path)
    with new_workbook(path) as wb:
        ws = wb.add_worksheet("作業時程管制表")
        title = wb.add_format({"bold": True, "align": "center", "font_size": 14})
        shade = wb.add_format({"bg_color": "#BDD7EE", "border": 1})
        pct = wb.add_format({"num_format": "0.0%"})
        date = wb.add_format({"num_format": "yyyy/mm/dd"})
        ws.merge_range("A1:F1", "115年度提升服務品質執行計畫作業時程管制表", title)
        ws.set_column("A:A", 30)
        ws.set_column("B:E", 6)
        ws.set_column("G:G", 4, None, {"hidden": True})
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0, 1)
        ws.freeze_panes(2, 1)
        ws.write_row(1, 0, ["工作項目", "1月", "2月", "3月", "4月", "完成率"])
        ws.write("A3", "=HYPERLINK(\"http://example.invalid\")")  # user text, not a formula
        ws.write("A4", "+886 2 2345 6789")
        ws.write("A5", "１２３")
        for col in (1, 3):
            ws.write_blank(2, col, None, shade)
        ws.write_number("B4", 3)
        ws.write_number("C4", 4)
        ws.write_formula("D4", "=B4+C4", None, 7)
        ws.write_number("B5", 0.853, pct)
        ws.write_formula("F5", "=B5*2", pct, 1.706)
        ws.write_formula("F4", '=IF(D4>5,"達成","未達成")', None, "達成")
        ws.write_formula("F3", "=ROUND(2.5,0)", None, 3)  # Excel rounds half away from zero
        ws.write_datetime("A6", dt.datetime(2026, 3, 1), date)
        ws.write_boolean("B6", True)
        ws.data_validation("B3:E20", {"validate": "list", "source": ["V", "○", "X"]})
        summary = wb.add_worksheet("統計 表")
        summary.write_formula("A1", "=SUM('作業時程管制表'!B4:C4)", None, 7)
        summary.write_formula("A2", "=AVERAGE(1,2)", None, 1.5)
        summary.write_formula("A3", "=COUNTA('作業時程管制表'!A3:A6)", None, 4)
    return path


# ---------------------------------------------------------------- XlsxWriter-style comparison

#: Parts that change on every run whatever the content: document dates.
VOLATILE = {
    "docProps/core.xml": [re.compile(r"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")],
}


def xml_elements(xml: str) -> list[str]:
    """Split XML at tag boundaries (as XlsxWriter's ``_xml_to_list``) so a difference names
    the element that changed instead of one endless line."""
    parts = re.split(r">\s*<", xml.strip().replace("\r", ""))
    return [("" if p.startswith("<") else "<") + p + ("" if p.endswith(">") else ">") for p in parts]


def xlsx_differences(got: str | Path, expected: str | Path) -> list[str]:
    """Member-by-member differences between two xlsx files after normalising volatile parts;
    ``[Content_Types].xml`` and relationships are compared as sorted element lists."""
    with zipfile.ZipFile(got) as g, zipfile.ZipFile(expected) as e:
        got_names, exp_names = sorted(g.namelist()), sorted(e.namelist())
        if got_names != exp_names:
            return [f"成員不同：多 {sorted(set(got_names) - set(exp_names))}，"
                    f"少 {sorted(set(exp_names) - set(got_names))}"]
        out = []
        for name in exp_names:
            a, b = g.read(name), e.read(name)
            if not name.endswith((".xml", ".rels", ".vml")):
                if a != b:
                    out.append(f"{name}：二進位內容不同")
                continue
            ta, tb = a.decode("utf-8"), b.decode("utf-8")
            for pattern in VOLATILE.get(name, []):
                ta, tb = pattern.sub("", ta), pattern.sub("", tb)
            la, lb = xml_elements(ta), xml_elements(tb)
            if name == "[Content_Types].xml" or name.endswith(".rels"):
                la, lb = sorted(la), sorted(lb)
            if la != lb:
                first = next((i for i, (x, y) in enumerate(zip(la, lb, strict=False)) if x != y),
                             min(len(la), len(lb)))
                out.append(f"{name}：第 {first} 個元素起不同：產生 {la[first:first + 2]} ≠ "
                           f"已提交 {lb[first:first + 2]}")
        return out
