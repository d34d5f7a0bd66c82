"""Every sheet svcq writes prints on A4: each demo workbook (and the templates and the sheets
the lossless writer adds to a user's workbook) printed by LibreOffice to PDF and checked sheet
by sheet on paper — every page of a table carries its header labels (print titles, fit to the
page width: no column cut onto pages of its own), the small tables of 交叉分析 are never split,
no page is blank and none but the last near empty, no text prints smaller than a reader can
read, every text cell prints in full (not cut by a low row or a neighbour), every chart prints
whole on one page — and in the files: every wrapped cell's row is tall enough for its lines,
every chart sits below its table.

All workbooks (the ``demo_books`` fixture) go through one LibreOffice run (``tests/printed.py``),
about 10 s.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from printed import FOOTER_ZONE, PrintedSheet, norm, print_books

from toolkit.sheetkit.page import END_MARGIN
from toolkit.sheetkit.width import cell_lines, line_height

pytestmark = pytest.mark.libreoffice

#: The header labels (first and last column) every printed page of each sheet shows on top.
#: A sheet svcq writes that is missing here fails the test: every sheet needs its check.
HEADERS: dict[str, tuple[str, ...]] = {
    "作業時程管制表": ("編號", "計畫項目", "備註"),
    "月別工作項目": ("月份", "承辦單位"),
    "彙整紀錄": ("彙整時間", "位置"),
    "共同辦理進度": ("編號", "更新時間"),
    "摘要": ("題目", "備註"),
    "次數分配": ("題目", "無意見%"),
    "交叉_年齡": ("有效回答", "平均分數"),
    "交叉_性別": ("有效回答", "平均分數"),
    "意見彙整": ("序號", "意見內容"),
    "趨勢": ("題目", "最低標準"),
    "票選結果": ("名次", "備註"),
    "廢票": ("儲存格", "內容"),
    "問卷回覆": ("編號", "其他意見或建議"),
    "說明": (),
    "代碼表": ("題目", "使用方式"),
    "自評表": ("構面", "具體作法"),
    "計分結果": ("構面", "備註"),
    "差距分析": ("排名", "得分率"),
    "構面統計": ("構面", "得分率"),
    "比較": ("構面", "差異"),
    "評分標準": ("構面", "具體作法"),
    "等第": ("等第", "最低分"),
}
#: Sheets of a user's own form svcq only fills in: their print is the office's design.
USERS_OWN = {"民政局考核填報表-已填寫.xlsx"}
#: The top of a page (share of its height) where the repeated header rows print.
TOP = 0.2
#: No page before a sheet's last is less full than this (share of the page's height).
LEAST_FILLED = 0.35
#: The smallest text on paper, in points. LibreOffice without Calibri measures columns in
#: DejaVu Sans, a third wider than Excel does, so it prints wide sheets smaller than Excel.
SMALLEST_PT = 6.0
#: Where the printable area ends above the paper's bottom edge (points).
BOTTOM_MARGIN = END_MARGIN * 72


@pytest.fixture(scope="module")
def books(demo_books: list[Path]) -> list[Path]:
    return demo_books


@pytest.fixture(scope="module")
def printed(books: list[Path], tmp_path_factory: pytest.TempPathFactory) -> list[PrintedSheet]:
    sheets = print_books(books, tmp_path_factory.mktemp("pdf"))
    return [sheet for book in books if book.name not in USERS_OWN for sheet in sheets[book].values()]


def _label(sheet: PrintedSheet, page: int) -> str:
    return f"{sheet.book} {sheet.name} 第 {page} 頁"


def test_every_sheet_prints_and_has_its_check(books: list[Path], printed: list[PrintedSheet]) -> None:
    assert len(books) >= 27
    assert {s.name for s in printed} <= set(HEADERS), "a new sheet needs its header labels in HEADERS"
    assert {"彙整紀錄", "共同辦理進度", "交叉_年齡", "票選結果", "自評表", "代碼表"} <= {s.name for s in printed}


def test_every_page_shows_the_header_labels(printed: list[PrintedSheet]) -> None:
    """Print titles and fit to width: page 2 of a table is still read by its columns, and no
    column is cut onto a page of its own (that page would lack the first label)."""
    missing = []
    for sheet in printed:
        labels = [norm(h) for h in HEADERS[sheet.name]]
        for n, page in enumerate(sheet.pages, 1):
            # the first page may open with a title and notes; the next ones with the headers
            where = page.text if n == 1 else page.top_text(page.height * TOP)
            missing += [f"{_label(sheet, n)}：{h}" for h in labels if h not in where]
    assert not missing, "\n".join(missing)


#: Sheets of several small tables, each kept whole on a page: every page opens with one
#: (its line, the question and its χ² verdict) or the sheet's title.
OPENINGS = {"交叉_年齡": ("χ2", "無法檢定", "交叉分析"), "交叉_性別": ("χ2", "無法檢定", "交叉分析")}


def test_small_tables_are_never_split(printed: list[PrintedSheet]) -> None:
    split = []
    for sheet in (s for s in printed if s.name in OPENINGS):
        for n, page in enumerate(sheet.pages, 1):
            top = max(r.y for r in page.body)
            line = norm("".join(r.text for r in page.body if r.y > top - 2))
            if not any(mark in line for mark in OPENINGS[sheet.name]):
                split.append(f"{_label(sheet, n)} 開頭是「{line[:20]}」")
    assert not split, "\n".join(split)


def test_no_near_empty_page(printed: list[PrintedSheet]) -> None:
    """The page count is what the content needs: no page is blank (a chart or column that
    crossed the page's edge prints one), none before the last is mostly empty."""
    thin = [f"{_label(sheet, n)}：{page.filled:.0%}" for sheet in printed
            for n, page in enumerate(sheet.pages, 1)
            if page.filled < (LEAST_FILLED if n < len(sheet.pages) else 0.01)]
    assert not thin, "\n".join(thin)


def test_text_prints_at_a_readable_size(printed: list[PrintedSheet]) -> None:
    small = [f"{_label(sheet, n)}：{page.smallest:.1f} pt"
             for sheet in printed for n, page in enumerate(sheet.pages, 1) if page.smallest < SMALLEST_PT]
    assert not small, "\n".join(small)


def test_every_text_cell_prints_in_full(books: list[Path], printed: list[PrintedSheet]) -> None:
    """A wrapped cell whose row is too low, or a long text running into the next cell, prints
    cut: then its text is not on the paper."""
    by_book = {b.name: b for b in books}
    cut = []
    for sheet in printed:
        rows = python_calamine.CalamineWorkbook.from_path(str(by_book[sheet.book])).get_sheet_by_name(
            sheet.name).to_python()
        text = sheet.text
        cut += [f"{sheet.book} {sheet.name}：{value[:30]}" for row in rows for value in row
                if isinstance(value, str) and value.strip() and norm(value) not in text]
    assert not cut, "\n".join(cut[:20])


def _merged_spans(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[tuple[int, int], tuple[int, int]]:
    """{top-left (row, col): (last row, last col)} of the sheet's merged ranges (1-based)."""
    return {(m.min_row, m.min_col): (m.max_row, m.max_col) for m in ws.merged_cells.ranges}


def test_every_wrapped_cell_has_a_tall_enough_row(books: list[Path]) -> None:
    """Neither Excel nor LibreOffice grows a row a program wrote: svcq sets the height of
    every row whose wrapped text needs more than one line (merged cells: their whole span)."""
    short = []
    for book in books:
        if book.name in USERS_OWN:
            continue
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            spans = _merged_spans(ws)
            default = ws.sheet_format.defaultRowHeight or 15
            widths = {c: dim.width - 0.7109375 for dim in ws.column_dimensions.values() if dim.width
                      for c in range(dim.min, dim.max + 1)}  # stored widths carry the padding

            def width(col: int, widths: dict[int, float] = widths) -> float:
                return widths.get(col, 8.43)

            for row in ws.iter_rows():
                for cell in row:
                    if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                        continue
                    last_row, last_col = spans.get((cell.row, cell.column), (cell.row, cell.column))
                    span = sum(width(c) for c in range(cell.column, last_col + 1))
                    tall = sum(ws.row_dimensions[r].height or default for r in range(cell.row, last_row + 1))
                    need = cell_lines(cell.value, span, cell.font.sz or 11) * line_height(cell.font.sz or 11)
                    if tall < need:
                        short.append(f"{book.name} {ws.title}!{cell.coordinate}：{tall:.0f} < {need:.0f} pt")
    assert not short, "\n".join(short[:20])


def test_charts_sit_below_their_tables(books: list[Path]) -> None:
    """A chart beside a table made the page twice as wide and printed both at 5 pt: every
    chart is anchored in column A, below the table."""
    anchors = 0
    for book in books:
        with zipfile.ZipFile(book) as z:
            for name in z.namelist():
                if re.fullmatch(r"xl/drawings/drawing\d+\.xml", name):
                    cols = re.findall(r"<xdr:from><xdr:col>(\d+)</xdr:col>", z.read(name).decode())
                    anchors += len(cols)
                    assert set(cols) <= {"0"}, f"{book.name} {name}: a chart beside its table"
    assert anchors >= 5


def _charts(book: Path) -> list[tuple[str, str, float]]:
    """(sheet, title, height in points) of every chart in the workbook."""
    found = []
    for ws in openpyxl.load_workbook(book).worksheets:
        for chart in ws._charts:
            rich = chart.title.tx.rich if chart.title is not None and chart.title.tx is not None else None
            title = "".join(run.t for p in (rich.p if rich else []) for run in (p.r or []))
            anchor = chart.anchor
            if hasattr(anchor, "to"):  # two cells: the rows between, and the offsets in them
                start, end = anchor._from, anchor.to
                rows = sum(ws.row_dimensions[r + 1].height or 15 for r in range(start.row, end.row))
                found.append((ws.title, title, rows + (end.rowOff - start.rowOff) / 12700))
            else:  # one cell and the chart's extent
                found.append((ws.title, title, anchor.ext.height / 12700))
    return found


def test_every_chart_prints_whole_on_one_page(books: list[Path], printed: list[PrintedSheet]) -> None:
    """Measured on paper: from its title down, the chart's height (at the page's scale, read
    off the 11 pt footer) ends above the bottom margin — a chart is never cut across pages."""
    sheets = {(s.book, s.name): s for s in printed}
    checked, split = 0, []
    for book in (b for b in books if b.name not in USERS_OWN):
        for name, title, height in _charts(book):
            sheet = sheets[(book.name, name)]
            hits = [(page, run) for page in sheet.pages for run in page.body  # the title's first run
                    if len(norm(run.text)) >= 2 and norm(title).startswith(norm(run.text))]
            assert hits, f"{book.name} {name}：圖表「{title}」沒有印出"
            page, run = hits[0]
            scale = max(r.size for r in page.runs if r.y <= FOOTER_ZONE) / 11
            bottom = run.y + 24 * scale - height * scale  # the chart's top is just above its title
            checked += 1
            if bottom < BOTTOM_MARGIN:
                split.append(f"{book.name} {name}「{title}」：底部在 {bottom:.0f} pt（頁尾以下）")
    assert checked >= 5 and not split, "\n".join(split)
