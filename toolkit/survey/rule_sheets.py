"""The office's own survey rules in workbooks: the 代碼表 (in the responses' workbook, used
automatically, or a file given as ``-q``), its blank template, and the 人口統計 margins a
tally is weighted to (``--weights``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.io.read import Workbook, open_workbook
from toolkit.io.xlsx import new_workbook
from toolkit.problems import ProblemsFound, SvcqError
from toolkit.sheetkit.formats import HouseFormats
from toolkit.sheetkit.page import a4, columns
from toolkit.sheetkit.width import fit_height
from toolkit.survey.codebook import SHEET_NAMES, Codebook, codebook_from_table
from toolkit.survey.likert import LABELS, STANDARD, Scale
from toolkit.survey.questionnaire import Questionnaire
from toolkit.survey.standard import DEMOGRAPHICS
from toolkit.survey.weights import Margins, margins_from_table
from toolkit.text import squash

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def is_spreadsheet(path: str | Path) -> bool:
    return Path(str(path)).suffix.lower() in SPREADSHEET_SUFFIXES


def codebook_sheet(book: Workbook) -> str | None:
    """The 代碼表 / 代碼說明 / 問卷設定 sheet of a workbook, if it has one."""
    wanted = {squash(n) for n in SHEET_NAMES}
    return next((s for s in book.sheet_names if squash(s) in wanted), None)


def codebook_in_book(book: Workbook, scale: Scale = STANDARD) -> Codebook | None:
    """The workbook's own 代碼表, read; ProblemsFound when it has mistakes."""
    name = codebook_sheet(book)
    if name is None:
        return None
    codebook, problems = codebook_from_table(book.table(name), scale)
    if problems:
        raise ProblemsFound(problems)
    return codebook


def read_codebook_file(path: str | Path, scale: Scale = STANDARD) -> Questionnaire:
    """``-q 代碼表.xlsx``: a questionnaire whose questions are found in the responses with the
    help of the codes (its 代碼表 sheet, or its first sheet)."""
    path = Path(path)
    if not path.is_file():
        raise SvcqError("找不到代碼表檔", file=path, code="not-found")
    book = open_workbook(path)
    name = codebook_sheet(book)
    codebook, problems = codebook_from_table(book.table(name), scale)
    if problems:
        raise ProblemsFound(problems)
    return Questionnaire([], scale=scale, codebook=codebook)


def read_margins(path: str | Path, sheet: str | None = None) -> Margins:
    """The population margins of a 人口統計 workbook (see toolkit.survey.weights)."""
    path = Path(path)
    if not path.is_file():
        raise SvcqError("找不到人口統計檔（--weights）", file=path, code="not-found")
    margins, problems = margins_from_table(open_workbook(path).table(sheet))
    if problems:
        raise ProblemsFound(problems)
    assert margins is not None
    return margins


#: The codes most paper forms use, pre-filled in the template.
TEMPLATE_CODES: tuple[tuple[str, Any, str], ...] = (
    ("各題", 5, LABELS[0]), ("", 4, LABELS[1]), ("", 3, LABELS[2]), ("", 2, LABELS[3]), ("", 1, LABELS[4]),
    ("", 6, "無意見"), ("", 9, "未答"),
    ("電話服務", 8, "不適用"), ("電話服務", "", "僅計曾使用者"),
    *(("性別" if i == 0 else "", i + 1, v) for i, v in enumerate(DEMOGRAPHICS["性別"][:2])),
    *(("年齡" if i == 0 else "", i + 1, v) for i, v in enumerate(DEMOGRAPHICS["年齡"])),
)
GUIDE = (
    "把本工作表（名稱保持「代碼表」）複製到問卷回覆的活頁簿，svcq survey tally 會自動使用；"
    "或另存一檔，以 -q 代碼表.xlsx 指定。",
    "「題目」填問卷回覆的欄名；「各題」代表所有沒有另外列出的滿意度題目。題目欄空白表示同上一題。",
    "「說明」可用：非常滿意、滿意、普通、不滿意、非常不滿意（量表選項）；無意見、不知道、拒答（計入分母）；"
    "未答、未填（視同空白）；不適用、未使用（不計入該題分母）。",
    "某題只計曾使用者（例如電話服務）：該題加一列，代碼空白、說明填「僅計曾使用者」，滿意度分母就不含無意見。",
    "性別、年齡等基本資料欄若填代碼，也列在這裡；交叉分析（--by）與加權（--weight-by）會顯示說明文字。",
    "回覆中出現代碼表沒有定義的代碼時，svcq 會列出每個儲存格，不會猜測。",
)


def write_codebook_template(dst: str | Path, *, deterministic: bool = True) -> Path:
    """A 代碼表 with the common codes filled in, and how to use it."""
    dst = Path(dst)
    with new_workbook(dst, deterministic=deterministic) as wb:
        f = HouseFormats(wb)
        note = f.add(font_color="#555555", text_wrap=True, valign="top")
        ws = wb.add_worksheet("代碼表")
        widths = columns(ws, (14, 8, 16, 2, 70))
        for c, head in enumerate(("題目", "代碼", "說明")):
            ws.write_string(0, c, head, f.header)
        for r, (name, code, label) in enumerate(TEMPLATE_CODES, 1):
            ws.write_string(r, 0, name, f.text)
            if code == "":
                ws.write_blank(r, 1, None, f.text)
            else:
                ws.write_number(r, 1, code, f.text)
            ws.write_string(r, 2, label, f.text)
        ws.write_string(0, 4, "使用方式", f.header)
        for r, line in enumerate(GUIDE, 1):
            ws.write_string(r, 4, line, note)
            ws.set_row(r, fit_height([(line, widths[4])]))
        a4(ws, landscape=None, widths=widths, repeat_rows=0, freeze=(1, 0))
    return dst
