"""Excel habits of the workbooks svcq writes: numbers are numbers (編號 sorts 1, 2, … 10 and
shows no green triangle), the dates a user sees are 民國, validation lets through what its
prompt invites, and one colour-blind-safe palette draws the charts in workbooks and HTML."""

from __future__ import annotations

import re
from pathlib import Path

import python_calamine

import toolkit

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _sheet(path: Path, name: str) -> list[list]:
    return python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_ids_are_numbers_and_collect_stamps_are_roc(tmp_path: Path) -> None:
    master = tmp_path / "管制表.xlsx"
    toolkit.new_schedule(SAMPLES / "schedule/zhongzheng-107-plan.csv", year=107, office="中正", output=master)
    rows = _sheet(master, "作業時程管制表")
    ids = [r[0] for r in rows[3:] if r[0] not in ("", None)]
    assert ids[:3] == [1.0, 2.0, 3.0] and all(isinstance(v, float) for v in ids)
    monthly = [r[1] for r in _sheet(master, "月別工作項目")[2:] if r[1] not in ("", None)]
    assert monthly and all(isinstance(v, float) for v in monthly)
    merged = tmp_path / "彙整.xlsx"
    toolkit.collect_schedule(master, [SAMPLES / "schedule/returned/人事室.xlsx"], merged)
    log = _sheet(merged, "彙整紀錄")
    assert re.fullmatch(r"1\d\d/\d\d/\d\d \d\d:\d\d", log[1][0]), log[1][0]
    assert isinstance(log[1][3], float), "彙整紀錄 編號 is a number too"


#: A text cell Excel would flag with a green triangle: a number typed as text (１２, 113, 80%).
NUMBER_AS_TEXT = re.compile(r"^\s*[-+]?\d+(\.\d+)?\s*%?\s*$")
#: A date a user reads that is not 民國: 2024-03-15, 2026/11/29 13:49.
GREGORIAN = re.compile(r"(19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}")


def test_every_workbook_keeps_numbers_as_numbers_and_dates_roc(demo_books: list[Path]) -> None:
    """calamine reads every workbook svcq writes: 編號, years, counts and 完成度 are numbers,
    and no date a user sees is Gregorian (nor a date cell showing one)."""
    import datetime as dt
    import unicodedata

    found = []
    for book in demo_books:
        wb = python_calamine.CalamineWorkbook.from_path(str(book))
        for name in wb.sheet_names:
            for r, row in enumerate(wb.get_sheet_by_name(name).to_python()):
                for c, value in enumerate(row):
                    text = unicodedata.normalize("NFKC", value) if isinstance(value, str) else ""
                    if NUMBER_AS_TEXT.match(text) or GREGORIAN.search(text) or isinstance(value, dt.date):
                        found.append(f"{book.name} {name}!{chr(65 + c)}{r + 1}：{value!r}")
    assert len(demo_books) >= 27 and not found, "\n".join(found[:20])


def test_years_ids_and_percentages_read_as_numbers(demo_books: list[Path]) -> None:
    by_name = {p.name: p for p in demo_books}
    score = _sheet(by_name["自評表-113-空白.xlsx"], "自評表")
    assert score[1][score[1].index("年度") + 1] == 113.0  # 自評表!G2 was the text '113'
    assert _sheet(by_name["自評計分結果-113.xlsx"], "計分結果")[1][3] == 113.0
    compare = _sheet(by_name["自評比較-112-113.xlsx"], "比較")
    assert compare[3][4:6] == [112.0, 113.0]  # the two years heading their columns
    merged = by_name["管制表-107年6月彙整.xlsx"]
    shared = _sheet(merged, "共同辦理進度")
    assert shared[1:] and all(isinstance(row[0], float) for row in shared[1:])  # 編號
    log = _sheet(merged, "彙整紀錄")
    done = [row[7] for row in log[1:] if row[5] == "完成度" and row[7] not in ("", None, "（空白）")]
    assert done and all(isinstance(v, float) and 0 <= v <= 1 for v in done)


def test_one_colour_blind_safe_palette_in_workbooks_and_html(demo_books: list[Path]) -> None:
    """The workbook's Likert chart and the HTML report's draw the scale in the same colours
    (ColorBrewer BrBG, no red against green); 無意見 apart from 普通."""
    import zipfile

    from toolkit.reports import charts, html
    from toolkit.sheetkit import palette

    book = next(p for p in demo_books if p.name == "113年滿意度統計.xlsx")
    with zipfile.ZipFile(book) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    fills = re.findall(r'<c:spPr><a:solidFill><a:srgbClr val="([0-9A-F]{6})"', chart)
    assert fills == [c.lstrip("#").upper() for c in (*palette.LIKERT_BEST_FIRST, palette.NO_OPINION)]
    labels = ["非常不滿意", "不滿意", "普通", "滿意", "非常滿意"]
    figure = charts.likert(["洽公環境"], [[0.05, 0.1, 0.2, 0.3, 0.35]], labels, title="分布")
    svg = html.svg(figure)
    assert all(c in svg for c in palette.LIKERT_WORST_FIRST)
    red_green = {"#d7191c", "#1a9641", "#a6d96a", "#fdae61"}  # RdYlGn: unreadable for 1 in 12 men
    assert not red_green & {*palette.LIKERT_BEST_FIRST, palette.NO_OPINION}
    assert not any(c.lstrip("#").upper() in chart for c in red_green)


def test_template_validation_takes_what_its_prompt_invites(tmp_path: Path) -> None:
    """The 滿意度 template's answer columns prompt 「或填 5–1」: the list they validate against
    holds 5–1 too, so a typed 5 is not warned about (it was on every one)."""
    import openpyxl

    from toolkit.survey.sheets import write_template

    write_template(tmp_path / "範本.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "範本.xlsx")["問卷回覆"]
    answers = [dv for dv in ws.data_validations.dataValidation if dv.prompt and "5–1" in dv.prompt]
    assert answers
    for dv in answers:
        items = dv.formula1.strip('"').split(",")
        assert {"5", "4", "3", "2", "1", "非常滿意", "無意見"} <= set(items), dv.formula1
