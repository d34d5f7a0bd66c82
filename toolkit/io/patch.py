"""Lossless write-back: change cells in a user's .xlsx/.xlsm and keep everything else.

openpyxl load+save drops shapes, text boxes, x14 conditional formats, sparklines, slicers
and (without Pillow) images, and rewrites shared strings and comments. ``patch_cells``
instead rewrites only the worksheet parts that hold changed cells — spliced, not
re-serialised — plus, only when it must, styles.xml (a date format), workbook.xml and its
relationships/content types (a sheet added, recalculation flagged) and calcChain.xml
(entries of cells that stopped being formulas). Every other member of the package is
copied compressed, byte for byte, in its original order. Text is written as inline
strings, so the shared-string table is never touched.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as DET

from toolkit.io import guards
from toolkit.io.atomic import atomic_output, changed_on_disk, check_output_path, file_digest, make_backup
from toolkit.io.limits import DEFAULT, Limits
from toolkit.io.patch_book import Book, Sheet, Styles, load_book, parse_xml, rels_of, resolve_target
from toolkit.io.patch_sheet import (
    MAX_COL,
    MAX_ROW,
    Formula,
    SheetEditor,
    a1,
    check_value,
    col_number,
)
from toolkit.io.patch_zip import rewrite_package
from toolkit.io.read import open_workbook
from toolkit.io.sniff import FileKind, sniff
from toolkit.io.workdir import work_dir
from toolkit.io.xlsx import save_as_ods
from toolkit.problems import Problem, ProblemsFound, SvcqError
from toolkit.sheetkit import page
from toolkit.sheetkit.cells import quote_sheet
from toolkit.sheetkit.formats import HEADER_FILL
from toolkit.sheetkit.page import NewSheet
from toolkit.text import nfkc

__all__ = ["Formula", "PatchResult", "parse_address", "patch_cells", "read_cells"]

#: How many cells ``read_cells`` returns at most (a whole-column range is a typing slip).
MAX_READ_CELLS = 100_000
_ADDRESS = re.compile(r"^\s*(?:(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^!！']+?))\s*[!！])?"
                      r"\s*(?P<ref>[^!！]+?)\s*$", re.S)
_CELL = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_NEW_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
              b'<dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
              b'<sheetFormatPr defaultRowHeight="15"/><sheetData/>'
              b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
              b'<pageSetup paperSize="9" orientation="portrait"/></worksheet>')


def new_sheet_xml(layout: NewSheet | None, styles: Styles) -> bytes:
    """The worksheet part of a sheet being added: empty, or laid out and set up for A4 as
    ``toolkit.sheetkit.page.a4`` sets up the sheets svcq writes itself (fitted to the page
    width, header rows frozen; the print titles are a defined name in workbook.xml)."""
    if layout is None:
        return _NEW_SHEET
    rows = layout.header_rows
    pane = (f'<pane ySplit="{rows}" topLeftCell="A{rows + 1}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="A{rows + 1}" sqref="A{rows + 1}"/>' if rows else "")
    # widths stored as Excel (and xlsxwriter) store them: the cell padding added
    cols = "".join(f'<col min="{c}" max="{c}" width="{width + 0.7109375}" customWidth="1" '
                   f'style="{styles.column_style(layout.number_formats.get(c - 1))}"/>'
                   for c, width in enumerate(layout.widths, 1))
    orientation = "landscape" if layout.is_landscape else "portrait"
    # header rows formatted ahead: the header cells written into them take their look
    style = styles.header_style(HEADER_FILL)
    heads = "".join(f'<row r="{r}" s="{style}" customFormat="1"/>' for r in range(1, rows + 1)) if style else ""
    side, end, head = page.SIDE_MARGIN, page.END_MARGIN, page.HEADER_MARGIN
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1"/>'
            f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="{page.DEFAULT_ROW:g}"/>'
            + (f"<cols>{cols}</cols>" if cols else "") +
            f"<sheetData>{heads}</sheetData>" '<printOptions horizontalCentered="1"/>'
            f'<pageMargins left="{side}" right="{side}" top="{end}" bottom="{end}" header="{head}" footer="{head}"/>'
            f'<pageSetup paperSize="{page.A4}" fitToHeight="0" orientation="{orientation}"/>'
            f"<headerFooter><oddFooter>{escape(page.FOOTER, quote=False)}</oddFooter></headerFooter>"
            "</worksheet>").encode()


@dataclass(frozen=True)
class PatchResult:
    output: Path
    changed: list[str]  # canonical addresses written, in the order given
    backup: Path | None = None  # the copy made before an --in-place write
    added_sheets: list[str] = field(default_factory=list)
    recalc: bool = False  # the workbook was told to recalculate on open
    rewritten: list[str] = field(default_factory=list)  # other cells adjusted (shared formulas)


@dataclass(frozen=True)
class Address:
    sheet: str | None  # as written by the caller; None = the only/first sheet
    row1: int  # 1-based
    col1: int
    row2: int
    col2: int

    @property
    def is_cell(self) -> bool:
        return (self.row1, self.col1) == (self.row2, self.col2)


def parse_address(text: str, *, allow_range: bool = False) -> Address:
    """``工作表!B3``, ``'My Sheet'!C4``, ``工作表！Ｂ３``, ``B3``; with ``allow_range`` also
    ``工作表!A1:C9``. Raises ValueError with a message for office staff."""
    m = _ADDRESS.match(text or "")
    if not m:
        raise ValueError(f"「{text}」不是儲存格位置（例：工作表!B3）")
    sheet = m.group("quoted").replace("''", "'") if m.group("quoted") else m.group("plain")
    ref = nfkc(m.group("ref")).upper().replace(" ", "")
    points = ref.split(":")
    if len(points) > (2 if allow_range else 1):
        what = "儲存格位置" if allow_range else "單一儲存格（寫入不接受範圍）"
        raise ValueError(f"「{text}」不是{what}")
    cells = []
    for point in points:
        cm = _CELL.fullmatch(point)
        if not cm:
            raise ValueError(f"「{text}」不是儲存格位置（例：工作表!B3）")
        row, col = int(cm.group(2)), col_number(cm.group(1))
        if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
            raise ValueError(f"「{text}」超出 Excel 的範圍（最大 XFD1048576）")
        cells.append((row, col))
    (r1, c1), (r2, c2) = cells[0], cells[-1]
    return Address(sheet.strip() if sheet else None, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


def canonical(sheet: str, row: int, col: int) -> str:
    return f"{quote_sheet(sheet)}!{a1(row, col)}"


def resolve_sheet(name: str, names: Sequence[str]) -> str | None:
    """Exact, then Excel's case-insensitive, then full-/half-width-insensitive match."""
    if name in names:
        return name
    for fold in (str.casefold, lambda s: nfkc(s).casefold()):
        hits = [n for n in names if fold(n) == fold(name)]
        if len(hits) == 1:
            return hits[0]
    return None


def _sheet_name_problem(name: str) -> str | None:
    if not name or len(name) > 31:
        return "工作表名稱須為 1–31 個字"
    if _BAD_SHEET_CHARS.search(name):
        return "工作表名稱不可含有 [ ] : * ? / \\"
    if name.startswith("'") or name.endswith("'"):
        return "工作表名稱不可以單引號開頭或結尾"
    if name.casefold() == "history":
        return "「History」是 Excel 保留的工作表名稱"
    return None


def _guard_package(path: Path, limits: Limits) -> None:
    """The foundation guards, once, over every part: each is inflated (counting bytes, so a
    bomb stops early) and its CRC and size verified — a part copied raw into the output must
    be as sound as one parsed, or the output would be a file readers refuse. No worksheet
    scan: the writer edits XML, it never loads a grid of cells."""
    guards.check_zip(path, limits, inflate=())


def _output(src: Path, dst: str | Path | None, in_place: bool, macro: bool) -> Path:
    if dst is None:
        if not in_place:
            raise SvcqError("請指定輸出檔（-o），或加上 --in-place 直接修改原檔（會先留備份）",
                            file=src, code="no-output")
        check_output_path([src], src, in_place=True)  # refuses a file open in Excel
        return src
    target = Path(dst)
    check_output_path([src], target, in_place=in_place, can_in_place=True)
    # .ods: the patched package is converted by LibreOffice (the public-document ODF rule).
    allowed = {src.suffix.lower(), ".xlsm" if macro else ".xlsx", *(() if macro else (".ods",))}
    if target.suffix.lower() not in allowed:
        want = ".xlsm（含巨集）" if macro else ".xlsx 或 .ods"
        raise SvcqError(f"輸出檔的副檔名須為 {want}，否則 Excel 會拒絕開啟", file=target,
                        code="bad-extension")
    return target


def patch_cells(src: str | Path, edits: Mapping[str, Any], dst: str | Path | None = None, *,
                in_place: bool = False, add_sheets: Sequence[str] | Mapping[str, NewSheet | None] = (),
                row_heights: Mapping[str, Mapping[int, float]] | None = None, recalc: bool | None = None,
                limits: Limits = DEFAULT, expect_digest: str | None = None) -> PatchResult:
    """Write ``edits`` ({"工作表!B3": value}) into a copy of ``src`` at ``dst`` (or into
    ``src`` itself with ``in_place``, after a backup), changing nothing else.

    Values: None clears (the cell keeps its format), bool, int/float, str (always text,
    even "=1+1"), date/datetime (the cell's date format kept, or yyyy/m/d given), Formula.
    ``add_sheets`` are created empty at the end first if missing; given as {name: NewSheet},
    each new sheet is laid out and set up to print on A4 (column widths and formats, header
    rows on every page). ``row_heights`` {sheet: {row (1-based): points}} sets the height of
    rows being written (wrapped text). ``recalc``: None = flag
    recalculation on open when formulas may depend on the edits; True/False force it.
    Raises ProblemsFound listing every bad address, unknown sheet, merged/array cell —
    and then writes nothing — or SvcqError for an unusable file.

    ``expect_digest``: the sha256 of ``src`` when the caller first read it (``file_digest``),
    before computing ``edits`` from it: if the file changed since (a colleague saved it), the
    edits may no longer fit it, and nothing is written (``changed-on-disk``). Default: its
    digest on entry. Either way the source must still have that digest when the new file is
    complete, and, in place, when it replaces the old one.
    """
    src = Path(src)
    kind = sniff(src)
    # The digest of the bytes about to be read: an --in-place write and its backup are
    # refused if the file is saved by someone else before svcq writes it back.
    digest = file_digest(src)
    if expect_digest is not None and digest != expect_digest:
        raise changed_on_disk(src)
    if kind not in (FileKind.XLSX, FileKind.XLSM):
        raise SvcqError(f"只能寫回 Excel 活頁簿（.xlsx／.xlsm）；這是 {kind.value} 檔，"
                        "請先用 Excel 另存為 .xlsx 再試", file=src, code="unsupported-format")
    _guard_package(src, limits)
    with zipfile.ZipFile(src) as zf:
        book = load_book(zf, src)
        if len(book.sheets) > limits.max_sheets:
            raise SvcqError(f"活頁簿有 {len(book.sheets)} 個工作表，超過上限 {limits.max_sheets}",
                            file=src, code="too-many-sheets")
        target = _output(src, dst, in_place, book.macro_enabled)
        in_place_write = target.resolve() == src.resolve()
        problems: list[Problem] = []
        layouts = dict(add_sheets) if isinstance(add_sheets, Mapping) else dict.fromkeys(add_sheets)
        added = _add_sheets(book, layouts, problems, src)
        per_sheet, changed = _parse_edits(book, edits, problems, src)
        styles_part = book.part_of_type("styles")
        calc_part = book.part_of_type("calcChain")
        existing = [s for s in per_sheet if not s.new]
        problems += _table_header_problems(per_sheet, _sheet_tables(zf, src, existing), src)
        problems += _pivot_problems(per_sheet, _sheet_pivots(zf, src, existing), src)
        styles = Styles(styles_part, zf.read(styles_part) if styles_part else None)
        original_styles = styles.xml
        new_parts = {s.part: new_sheet_xml(layouts.get(s.name), styles) for s in book.sheets if s.new}
        replaced: dict[str, bytes] = {}
        removed: set[tuple[int, str]] = set()
        rewritten: list[str] = []
        formulas_near = any(isinstance(v, Formula) for cells in per_sheet.values() for v in cells.values())
        heights = {(resolve_sheet(name, [s.name for s in book.sheets]) or name): rows
                   for name, rows in (row_heights or {}).items()}
        for sheet, cells in per_sheet.items():
            xml = new_parts[sheet.part] if sheet.new else zf.read(sheet.part)
            _check_encoding(xml, src, sheet.name)
            try:
                editor = SheetEditor(xml, styles, book.date1904)
                result = editor.apply(cells, heights.get(sheet.name))
            except ValueError:
                raise SvcqError("工作表的 XML 結構無法安全寫入（svcq 讀回修改的列時不一致），未寫入；"
                                "請用 Excel 另存新檔後再試", file=src, sheet=sheet.name,
                                code="unsupported-structure") from None
            problems += [Problem(code, msg, str(src), sheet.name, ref)
                         for ref, code, msg in result.problems]
            (new_parts if sheet.new else replaced)[sheet.part] = result.xml
            removed |= {(sheet.sheet_id, ref) for ref in result.removed_formulas}
            rewritten += [canonical(sheet.name, *_rc(ref)) for ref in result.rewritten]
            formulas_near |= result.had_formulas and not sheet.new
        if problems:
            raise ProblemsFound(problems)
        if styles.xml != original_styles and styles_part:
            replaced[styles_part] = styles.xml  # type: ignore[assignment]
        if removed and calc_part:
            book.drop_calc_entries(removed, zf.read(calc_part))
        existing_edited = any(not s.new for s in per_sheet)
        flag = recalc if recalc is not None else (
            formulas_near or (calc_part is not None and existing_edited))
        if flag:
            book.flag_recalc()
    replaced.update(book.changed)
    _verify_parts(replaced, {s.part for s in per_sheet}, src)
    try:
        backup = _write(src, target, replaced, new_parts, book, digest, in_place_write)
    except (zipfile.BadZipFile, struct.error) as exc:
        # a member's local header disagrees with the directory: not copied as it is
        raise SvcqError(f"活頁簿的壓縮結構有誤（{exc}），無法安全寫入；請用 Excel 另存新檔後再試", file=src,
                        code="corrupt-file") from None
    return PatchResult(target, changed, backup, added, bool(flag), rewritten)


def _write(src: Path, target: Path, replaced: dict[str, bytes], new_parts: dict[str, bytes], book: Book,
           digest: str, in_place: bool) -> Path | None:
    """Write the patched package. Parts are copied from ``src`` as the new file is written, so
    ``src`` must still be the file that was read (``digest``). In place, the backup is made once
    the new file is complete and just before it replaces the old: a write that fails leaves
    neither a new file nor a backup."""
    if target.suffix.lower() == ".ods":
        with work_dir("patch") as work:
            xlsx = Path(work, "patched.xlsx")
            rewrite_package(src, xlsx, replaced, add=list(new_parts.items()), drop=frozenset(book.dropped))
            if file_digest(src) != digest:
                raise changed_on_disk(src)
            save_as_ods(xlsx, target)
        return None
    with atomic_output(target, expect_digest=digest if in_place else None) as tmp:
        rewrite_package(src, tmp, replaced, add=list(new_parts.items()), drop=frozenset(book.dropped))
        if in_place:
            return make_backup(src, expect_digest=digest)
        if file_digest(src) != digest:
            raise changed_on_disk(src)
        return None


@dataclass(frozen=True)
class _Table:
    name: str
    header_row: int  # 1-based; 0 = the table has no header row
    first_col: int
    columns: tuple[str, ...]


@dataclass(frozen=True)
class _Pivot:
    name: str
    areas: tuple[tuple[int, int, int, int], ...]  # (row1, col1, row2, col2), 1-based


def _related(zf: zipfile.ZipFile, src: Path, sheets: Sequence[Sheet], kind: str) -> dict[Sheet, list[str]]:
    """The parts of type ``kind`` (table, pivotTable) each sheet's relationships point to."""
    present = set(zf.namelist())
    found: dict[Sheet, list[str]] = {}
    for sheet in sheets:
        rels = rels_of(sheet.part)
        if rels not in present:
            continue
        for rel in parse_xml(zf.read(rels), rels, src):
            if rel.get("Type", "").endswith("/" + kind) and rel.get("TargetMode") != "External":
                part = resolve_target(sheet.part, rel.get("Target", ""))
                if part in present:
                    found.setdefault(sheet, []).append(part)
    return found


def _sheet_tables(zf: zipfile.ZipFile, src: Path, sheets: Sequence[Sheet]) -> dict[Sheet, list[_Table]]:
    """Excel tables (ListObjects) on the edited sheets: their header cells must keep the
    column names table*.xml lists, or Excel repairs the file on open."""
    out: dict[Sheet, list[_Table]] = {}
    for sheet, parts in _related(zf, src, sheets, "table").items():
        for part in parts:
            root = parse_xml(zf.read(part), part, src)
            rng = parse_address(root.get("ref", "A1"), allow_range=True)
            header = rng.row1 if root.get("headerRowCount", "1") != "0" else 0
            names = tuple(el.get("name", "") for el in root.iter() if el.tag.endswith("}tableColumn"))
            out.setdefault(sheet, []).append(_Table(root.get("displayName") or root.get("name", ""),
                                                    header, rng.col1, names))
    return out


def _sheet_pivots(zf: zipfile.ZipFile, src: Path, sheets: Sequence[Sheet]) -> dict[Sheet, list[_Pivot]]:
    """Pivot tables on the edited sheets: their cells are computed by Excel from the pivot
    cache. Excel refuses to change one; LibreOffice rebuilds the pivot and shows the old
    value — either way a value written there is lost, so it is refused."""
    out: dict[Sheet, list[_Pivot]] = {}
    for sheet, parts in _related(zf, src, sheets, "pivotTable").items():
        for part in parts:
            root = parse_xml(zf.read(part), part, src)
            location = next((el for el in root.iter() if el.tag.endswith("}location")), None)
            if location is None:
                continue
            try:
                rng = parse_address(location.get("ref", ""), allow_range=True)
            except ValueError:
                continue
            areas = [(rng.row1, rng.col1, rng.row2, rng.col2)]
            pages = int(location.get("rowPageCount", "0") or 0)
            if pages > 0 and rng.row1 - pages - 1 >= 1:  # report filters above, one blank row between
                areas.append((rng.row1 - pages - 1, rng.col1, rng.row1 - 2, rng.col1 + 1))
            out.setdefault(sheet, []).append(_Pivot(root.get("name", ""), tuple(areas)))
    return out


def _pivot_problems(per_sheet: Mapping[Sheet, Mapping[tuple[int, int], Any]],
                    pivots: Mapping[Sheet, list[_Pivot]], src: Path) -> list[Problem]:
    problems = []
    for sheet, items in pivots.items():
        for (row, col) in per_sheet[sheet]:
            for pivot in items:
                if any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in pivot.areas):
                    r1, c1, r2, c2 = pivot.areas[0]
                    problems.append(Problem(
                        "pivot-table", f"此格位於樞紐分析表「{pivot.name}」（{a1(r1, c1)}:{a1(r2, c2)}）內，"
                        "其內容由 Excel 依來源資料計算，不能直接修改；請修改來源資料後在 Excel 重新整理",
                        str(src), sheet.name, a1(row, col)))
                    break
    return problems


def _table_header_problems(per_sheet: Mapping[Sheet, Mapping[tuple[int, int], Any]],
                           tables: Mapping[Sheet, list[_Table]], src: Path) -> list[Problem]:
    problems = []
    for sheet, items in tables.items():
        for (row, col), value in per_sheet[sheet].items():
            for table in items:
                i = col - table.first_col
                if row == table.header_row and 0 <= i < len(table.columns) and value != table.columns[i]:
                    problems.append(Problem(
                        "table-header", f"此格是表格「{table.name}」的標題（欄名「{table.columns[i]}」），"
                        "改欄名請在 Excel 中進行", str(src), sheet.name, a1(row, col)))
    return problems


def _verify_parts(parts: Mapping[str, bytes], sheets: set[str], src: Path) -> None:
    """Every small part svcq changed must read back as XML (worksheets are checked row by row
    as they are spliced): an edit that broke one is refused, never written."""
    for part, xml in parts.items():
        if part in sheets:
            continue
        try:
            DET.fromstring(xml)
        except Exception:
            raise SvcqError(f"修改後的 {part} 無法正確讀回，為免損壞檔案，未寫入；請用 Excel 另存新檔後再試",
                            file=src, code="unsupported-structure") from None


def _rc(ref: str) -> tuple[int, int]:
    m = _CELL.fullmatch(ref)
    assert m is not None
    return int(m.group(2)), col_number(m.group(1))


def _check_encoding(xml: bytes, path: Path, sheet: str) -> None:
    head = xml[:200]
    m = re.search(rb'encoding="([^"]+)"', head.split(b"?>", 1)[0]) if head.startswith(b"<?xml") else None
    if (m and m.group(1).lower().replace(b"-", b"") != b"utf8") or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SvcqError("此工作表不是 UTF-8 編碼的 XML，無法安全寫入；請用 Excel 另存新檔後再試",
                        file=path, sheet=sheet, code="unsupported-encoding")


def _add_sheets(book: Book, layouts: Mapping[str, NewSheet | None], problems: list[Problem],
                src: Path) -> list[str]:
    added = []
    for name, layout in layouts.items():
        if book.find_sheet(name) is not None:
            continue
        why = _sheet_name_problem(name)
        if why:
            problems.append(Problem("bad-sheet-name", f"無法新增工作表「{name}」：{why}", str(src)))
            continue
        sheet = book.add_sheet(name)
        if layout is not None and layout.header_rows:
            book.print_titles(sheet, layout.header_rows)
        added.append(name)
    return added


def _parse_edits(book: Book, edits: Mapping[str, Any], problems: list[Problem],
                 src: Path) -> tuple[dict[Sheet, dict[tuple[int, int], Any]], list[str]]:
    per_sheet: dict[Sheet, dict[tuple[int, int], Any]] = {}
    changed: list[str] = []
    worksheets = [s for s in book.sheets if s.kind == "worksheet"]
    names = [s.name for s in book.sheets]
    for key, value in edits.items():
        try:
            address = parse_address(key)
        except ValueError as exc:
            problems.append(Problem("bad-address", str(exc), str(src)))
            continue
        if address.sheet is None:
            if len(worksheets) != 1:
                problems.append(Problem("no-sheet", f"「{key}」沒有指定工作表（例：工作表!B3）；"
                                        f"此檔有：{'、'.join(names)}", str(src)))
                continue
            sheet: Sheet | None = worksheets[0]
        else:
            resolved = resolve_sheet(address.sheet, names)
            sheet = next((s for s in book.sheets if s.name == resolved), None)
        ref = a1(address.row1, address.col1)
        if sheet is None:
            problems.append(Problem("unknown-sheet", f"找不到工作表「{address.sheet}」；此檔有："
                                    f"{'、'.join(names)}", str(src), address.sheet, ref))
            continue
        if sheet.kind != "worksheet" or (not sheet.new and sheet.part not in book.names):
            problems.append(Problem("not-a-worksheet", "這是圖表或對話方塊工作表，不能寫入儲存格",
                                    str(src), sheet.name, ref))
            continue
        bad = check_value(value)
        if bad:
            problems.append(Problem(bad[0], bad[1], str(src), sheet.name, ref))
            continue
        cells = per_sheet.setdefault(sheet, {})
        spot = (address.row1, address.col1)
        if spot in cells:
            problems.append(Problem("duplicate-address", "同一儲存格被指定了兩次", str(src), sheet.name, ref))
            continue
        cells[spot] = value
        changed.append(canonical(sheet.name, *spot))
    return per_sheet, changed


# -- reading ------------------------------------------------------------------------------

def read_cells(path: str | Path, addresses: str | Sequence[str]) -> dict[str, Any]:
    """Values of cells or ranges (``工作表!B3``, ``工作表!A1:C9``, ``B3`` = first sheet):
    {canonical address: value}; empty cells are None. Works on every format svcq reads."""
    items = [addresses] if isinstance(addresses, str) else list(addresses)
    wb = open_workbook(path)
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    spans = []
    for item in items:
        try:
            address = parse_address(item, allow_range=True)
        except ValueError as exc:
            problems.append(Problem("bad-address", str(exc), str(path)))
            continue
        if address.sheet is None:
            sheet = wb.table(None).sheet or wb.sheet_names[0]
        else:
            found = resolve_sheet(address.sheet, wb.sheet_names)
            if found is None:
                problems.append(Problem("unknown-sheet", f"找不到工作表「{address.sheet}」；此檔有："
                                        f"{'、'.join(wb.sheet_names)}", str(path)))
                continue
            sheet = found
        spans.append((sheet, address))
    size = sum((a.row2 - a.row1 + 1) * (a.col2 - a.col1 + 1) for _, a in spans)
    if size > MAX_READ_CELLS:
        problems.append(Problem("range-too-large", f"要讀取的範圍共 {size:,} 格，超過上限 "
                                f"{MAX_READ_CELLS:,} 格", str(path)))
    if problems:
        raise ProblemsFound(problems)
    tables: dict[str, Any] = {}
    for sheet, address in spans:
        if sheet not in tables:
            tables[sheet] = wb.table(sheet if wb.kind is not FileKind.CSV else None)
        table = tables[sheet]
        for row in range(address.row1, address.row2 + 1):
            for col in range(address.col1, address.col2 + 1):
                r, c = row - 1 - table.origin[0], col - 1 - table.origin[1]
                value = table.value(r, c) if r >= 0 and c >= 0 else None
                out[canonical(sheet, row, col)] = None if value == "" else value
    return out


def display(value: Any) -> str:
    """A cell value the way a person reads it: 5 not 5.0, TRUE/FALSE, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


_TRUE = {"TRUE", "真", "是"}
_FALSE = {"FALSE", "假", "否"}


def typed_value(text: str, mode: str = "auto") -> Any:
    """A value typed on the command line, read the way Excel reads what is typed in a cell.

    ``auto``: empty → clear; TRUE/FALSE → bool; 12, １２, 1,234, -3.5 → number; 80% → 0.8;
    113年2月26日, 113/2/26, 2024-02-26 → date; anything else → text. A value starting with
    '=' is refused (ValueError): say ``text`` or ``formula`` rather than have svcq guess.
    ``text``: always text (empty still clears). ``formula``: '=…' is a formula (no cached
    value: the workbook is told to recalculate on open); other values as in ``auto``.
    """
    from toolkit.roc import AmbiguousDateError, RocDateError, parse_date
    from toolkit.text import clean_text, parse_number, parse_percent

    if text == "":
        return None
    if mode == "text":
        return text
    stripped = nfkc(text).strip()
    if stripped.startswith("="):
        if mode == "formula":
            return Formula(stripped)
        raise ValueError(f"「{text}」看起來是公式：要寫入公式請加 --formula，要當作文字請加 --text")
    if stripped.upper() in _TRUE:
        return True
    if stripped.upper() in _FALSE:
        return False
    number = parse_number(text)
    if number is not None:
        return int(number) if number.is_integer() and abs(number) < 1e15 and "." not in stripped else number
    if stripped.endswith("%"):
        try:
            return parse_percent(text)
        except ValueError:
            return text
    if not clean_text(text).isdigit():
        try:
            return parse_date(text)
        except AmbiguousDateError as exc:
            raise ValueError(f"{exc}；若要寫入文字請加 --text") from None
        except RocDateError:
            pass
    return text
