"""Rubric tables in workbooks: a county's 評分標準 read from .xlsx/.ods/.csv (``--rubric``),
the blank template offices fill in, and the rubric kept inside each self-score sheet (a
hidden sheet) so a sheet made from a custom rubric computes, merges and compares without
the rubric file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.io.read import Table, Workbook, open_workbook
from toolkit.io.xlsx import new_workbook
from toolkit.problems import ProblemsFound, SvcqError
from toolkit.score.rubric import Rubric
from toolkit.score.rubric_table import (
    BAND_HEADER,
    TABLE_HEADER,
    bands_from_table,
    find_columns,
    rubric_from_table,
    rubric_rows,
)
from toolkit.sheetkit.formats import INPUT_FILL, HouseFormats
from toolkit.sheetkit.page import a4, columns, spanning_note
from toolkit.sheetkit.width import fit_height
from toolkit.text import squash

#: Sheet names a rubric table is looked for under (else the first sheet that has its header).
RUBRIC_SHEETS = ("評分標準", "評分基準", "配分表", "評分表", "評核標準")
BAND_SHEETS = ("等第", "等第標準", "等級")
#: Blank rows of the template's table: one A4 page; a county's table of 20–30 rows fits.
TEMPLATE_ROWS = 30
#: The hidden sheet a self-score workbook keeps its rubric in.
HIDDEN_SHEET = "評分基準資料"
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def is_rubric_table(path: str | Path) -> bool:
    """``--rubric`` names a table (not YAML, not a built-in) when it ends like a sheet file."""
    return Path(str(path)).suffix.lower() in TABLE_SUFFIXES


def read_rubric_table(path: str | Path, *, sheet: str | None = None, name: str | None = None) -> Rubric:
    """The rubric of a county's table (see toolkit.score.rubric_table); ProblemsFound lists
    every inconsistency with its cell, SvcqError when no sheet holds a rubric table."""
    path = Path(path)
    if not path.is_file():
        raise SvcqError("找不到評分標準檔", file=path, code="not-found")
    book = open_workbook(path)
    table = book.table(sheet) if sheet else _rubric_table(book, path)
    bands, problems = bands_from_table(table)
    band_sheet = next((s for s in book.sheet_names if squash(s) in BAND_SHEETS), None)
    if not bands and not problems and band_sheet is not None:
        bands, problems = bands_from_table(book.table(band_sheet))
    rubric, more = rubric_from_table(table, name=name or path.stem, bands=bands)
    if problems or more:
        raise ProblemsFound(problems + more)
    assert rubric is not None
    return rubric


def _rubric_table(book: Workbook, path: Path) -> Table:
    names = [s for s in book.sheet_names if s not in book.hidden_sheets]
    names.sort(key=lambda s: squash(s) not in RUBRIC_SHEETS)
    for name in names:
        table = book.table(name)
        if find_columns(table.rows) is not None:
            return table
    raise SvcqError("找不到評分標準表：需要「構面」「項目」等欄名，配分寫在「配分」欄，或寫在名稱後，"
                    "例如「基礎服務（20分）」。空白範本：svcq score rubric-template", file=path,
                    code="no-rubric-table")


def rubric_in_book(book: Workbook, name: str) -> Rubric | None:
    """The rubric a self-score workbook carries (its hidden sheet), if it has one."""
    if HIDDEN_SHEET not in book.sheet_names:
        return None
    table = book.table(HIDDEN_SHEET)
    bands, problems = bands_from_table(table)
    rubric, more = rubric_from_table(table, name=name, bands=bands)
    if problems or more:
        raise ProblemsFound(problems + more)
    return rubric


def add_rubric_sheet(wb: Any, rubric: Rubric) -> None:
    """Keep ``rubric`` in a hidden sheet of the xlsxwriter workbook ``wb`` (its name in the
    score sheet's 評分基準 cell says which rubric it is)."""
    f = HouseFormats(wb)
    ws = wb.add_worksheet(HIDDEN_SHEET)
    ws.write_string(0, 0, rubric.title, f.title)
    ws.write_string(1, 0, "此工作表保存本表的評分基準，svcq 計分、彙整與比較時使用，請勿修改。", f.note)
    for r, row in enumerate(rubric_rows(rubric), 3):
        fmt = f.header if r == 3 else f.wrap
        for c, value in enumerate(row):
            if isinstance(value, int | float):
                ws.write_number(r, c, value, fmt)
            elif value != "":
                ws.write_string(r, c, str(value), fmt)
    ws.set_column(0, 2, 18)
    ws.set_column(4, 4, 60)
    ws.hide()


def write_rubric_template(dst: str | Path, *, deterministic: bool = True) -> Path:
    """A blank 評分標準 workbook with instructions: the table, a 等第 sheet and 說明."""
    dst = Path(dst)
    with new_workbook(dst, deterministic=deterministic) as wb:
        f = HouseFormats(wb)
        points = f.add(border=1, bg_color=INPUT_FILL, num_format="0.##", align="center")
        note = f.add(font_size=10, font_color="#555555", text_wrap=True, valign="top")
        ws = wb.add_worksheet("評分標準")
        widths = columns(ws, (16, 24, 24, 8, 60))
        a4(ws, landscape=None, widths=widths, repeat_rows=1, freeze=(2, 0))
        ws.write_string(0, 0, "（請填入標題，例如：○○縣114年度提升服務品質評分基準）", f.title)
        for c, head in enumerate(TABLE_HEADER):
            ws.write_string(1, c, head, f.header)
        for r in range(2, 2 + TEMPLATE_ROWS):
            for c in range(len(TABLE_HEADER)):
                ws.write_blank(r, c, None, points if c == 3 else f.wrap)
        ws.data_validation(2, 3, 1 + TEMPLATE_ROWS, 3, {"validate": "decimal", "criteria": ">", "value": 0,
                                         "error_type": "warning", "input_title": "配分",
                                         "input_message": "大於 0 的數字；小計、總計列填該段合計（svcq 會檢查）"})
        bands = wb.add_worksheet("等第")
        widths = columns(bands, (12, 12, 2, 40))
        a4(bands, landscape=None, widths=widths, repeat_rows=0)
        for c, head in enumerate(BAND_HEADER):
            bands.write_string(0, c, head, f.header)
        text = "可省略。例：優良 90、良好 80、普通 70、待改善 0（總分 ≥ 最低分者為該等第）"
        bands.write_string(1, 3, text, note)
        bands.set_row(1, fit_height([(text, widths[3])], 10))
        guide = wb.add_worksheet("說明")
        widths = columns(guide, (72,))  # one column no wider than the page: never cut
        a4(guide, landscape=None, widths=widths)
        guide.write_string(0, 0, "評分標準表　填寫說明", f.title)
        for r, line in enumerate(GUIDE, 2):
            spanning_note(guide, r, line, note, widths, font_pt=10)
    return dst


GUIDE = (
    "1. 每個計分項目一列：「構面」「項目」（「指標」可空白）、「配分」。上層名稱只寫一次，"
    "或合併儲存格；svcq 依名稱對應，不依位置。",
    "2. 配分也可寫在名稱後面，例如「基礎服務（20分）」「服務一致及正確（5分）」（全形括號可）；"
    "有配分的最下層是計分項目，其下沒有配分的列（次指標、具體作法）會成為說明文字。",
    "3. 可加「小計」列（寫在「項目」欄，配分填該構面合計）與最後的「總計」列：svcq 會檢查加總，不當成項目。",
    "4. 「具體作法」（或「說明」「評分說明」）欄的文字會寫入自評表；「完成期限」「備註」欄也會保留。",
    "5. 「等第」工作表可省略；有填時，計分結果會列出等第。",
    "6. 使用：svcq score new --rubric 本檔.xlsx --office 本所名稱 --year 114 -o 自評表.xlsx",
    "   之後 svcq score compute / merge / compare 自評表 不必再指定本檔（評分基準已存在自評表內）。",
    "7. 有錯（小計不符、項目沒有配分、名稱重複…）時會一次列出所有問題與儲存格位置，不會寫出檔案。",
)
