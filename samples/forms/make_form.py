"""Regenerate the sample county form: `.venv/bin/python samples/forms/make_form.py`.

民政局考核填報表.xlsx – the kind of form a county's 民政局 sends every 戶政事務所 to fill in
for its yearly 為民服務 review, laid out the way such forms are: a merged title, a table per
topic, number formats (0.0 for scores, 0.0% for rates), a formula total, a chart of the
scores, the county's emblem as an image, a comment, a second sheet of instructions, A4
printing. Where svcq's figures go the form says ``{{ 路徑 }}`` — in a cell of its own (it
becomes a number) or inside a sentence (it becomes text) — and two cells are marked by Excel
defined names instead: ``survey.questions.服務態度.satisfaction_rate`` (a name that is a
path) and ``最佳禮儀人員`` (mapped with ``--name 最佳禮儀人員=votes.ranking.1.name``).

Fill it from the demo's results (`svcq demo` does) or by hand, see docs/fill.md.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from PIL import Image as PILImage, ImageDraw

HERE = Path(__file__).resolve().parent
FORM = HERE / "民政局考核填報表.xlsx"
DIMENSIONS = ["基礎服務", "服務遞送", "服務量能", "服務評價", "開放創新", "執行計畫訂定核備情形"]
QUESTIONS = ["洽公環境", "服務態度", "等候時間", "整體滿意度"]

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD = PatternFill("solid", fgColor="D9D9D9")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="center")


def emblem() -> io.BytesIO:
    """A stand-in for the county emblem (a real form carries the 縣市府 logo here)."""
    img = PILImage.new("RGB", (64, 64), "white")
    draw = ImageDraw.Draw(img)
    draw.ellipse((4, 4, 60, 60), outline=(0, 70, 140), width=5)
    draw.rectangle((24, 20, 40, 44), fill=(0, 70, 140))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    buf.seek(0)
    return buf


def header(ws, row: int, titles: list[str]) -> None:
    for col, title in enumerate(titles, 1):
        cell = ws.cell(row, col, title)
        cell.font, cell.fill, cell.border = BOLD, HEAD, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center")


def boxed(ws, row: int, values: list[object], formats: list[str | None]) -> None:
    for col, (value, fmt) in enumerate(zip(values, formats, strict=True), 1):
        cell = ws.cell(row, col, value)
        cell.border = BOX
        if fmt:
            cell.number_format = fmt


def build(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "填報表"
    ws.merge_cells("A1:E1")
    ws["A1"] = "○○市政府民政局　各區戶政事務所為民服務工作考核填報表"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = "填報機關："
    ws["B2"] = "（請填機關名稱）"
    ws["D2"] = "資料截至："
    ws["E2"] = "{{ status.as_of }}"

    ws["A4"] = "一、服務品質自評"
    ws["A4"].font = BOLD
    header(ws, 5, ["構面", "配分", "自評得分", "得分率", "備註"])
    for i, name in enumerate(DIMENSIONS):
        boxed(ws, 6 + i, [name, f"{{{{ score.dimensions.{name}.max }}}}",
                          f"{{{{ score.dimensions.{name}.score }}}}",
                          f"{{{{ score.dimensions.{name}.share }}}}", None],
              [None, "0", "0.0", "0.0%", None])
    total = 6 + len(DIMENSIONS)
    boxed(ws, total, ["合計", f"=SUM(B6:B{total - 1})", "{{ score.total }}", None, None],
          [None, "0", "0.0", None, None])
    ws.cell(total, 1).font = BOLD
    ws.cell(6, 5).comment = Comment("配分依本府 113 年度考核要點；得分請填自評表計算結果", "民政局")

    q = total + 2
    ws.cell(q, 1, "二、滿意度調查").font = BOLD
    header(ws, q + 1, ["題目", "滿意度", "平均分數", "有效回答", "備註"])
    for i, name in enumerate(QUESTIONS):
        row = q + 2 + i
        if name == "服務態度":  # this rate goes in through an Excel defined name
            rate = None
            wb.defined_names[f"survey.questions.{name}.satisfaction_rate"] = DefinedName(
                f"survey.questions.{name}.satisfaction_rate", attr_text=f"填報表!$B${row}")
        else:
            rate = f"{{{{ survey.questions.{name}.satisfaction_rate }}}}"
        boxed(ws, row, [name, rate, f"{{{{ survey.questions.{name}.mean }}}}",
                        f"{{{{ survey.questions.{name}.n_answered }}}}", None],
              [None, "0.0%", "0.00", "0", None])
    note = q + 2 + len(QUESTIONS)
    ws.merge_cells(start_row=note, start_column=1, end_row=note, end_column=5)
    ws.cell(note, 1, "本年度共訪問 {{ survey.n_respondents }} 人，95% 信賴水準下抽樣誤差為 "
                     "±{{ survey.margin_of_error_95 }}；整體滿意度 "
                     "{{ survey.questions.整體滿意度.satisfaction_rate }}。").alignment = WRAP
    ws.row_dimensions[note].height = 32

    s = note + 2
    ws.cell(s, 1, "三、作業時程管制").font = BOLD
    header(ws, s + 1, ["項目", "件數"])
    for i, (label, key) in enumerate([("已完成", "done"), ("進行中", "on_track"), ("落後", "late"),
                                      ("落後且未填原因", "late_without_reason"), ("工作總數", "total")]):
        boxed(ws, s + 2 + i, [label, f"{{{{ status.summary.overall.{key} }}}}"], [None, "0"])
    v = s + 8
    ws.cell(v, 1, "四、最佳禮儀服務人員").font = BOLD
    ws.cell(v + 1, 1, "票選第一名：").border = BOX
    ws.cell(v + 1, 2).border = BOX  # filled through the defined name 最佳禮儀人員
    wb.defined_names["最佳禮儀人員"] = DefinedName("最佳禮儀人員", attr_text=f"填報表!$B${v + 1}")
    ws.cell(v + 2, 1, "得票：{{ votes.ranking.1.votes }} 票（{{ votes.ranking.1.share }}）")

    chart = BarChart()
    chart.title = "各構面得分"
    chart.y_axis.title = "分"
    chart.add_data(Reference(ws, min_col=3, min_row=5, max_row=total - 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=6, max_row=total - 1))
    chart.height, chart.width = 7, 12
    ws.add_chart(chart, "G4")
    logo = Image(emblem())
    logo.width = logo.height = 48
    ws.add_image(logo, "F1")

    for col, width in zip("ABCDE", (22, 12, 12, 12, 16), strict=True):
        ws.column_dimensions[col].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
    ws.oddFooter.center.text = "第 &P 頁，共 &N 頁"

    help_sheet = wb.create_sheet("填表說明")
    for i, line in enumerate([
        "填表說明",
        "1. 本表請於每年 1 月 31 日前以電子郵件回傳民政局戶籍行政科。",
        "2. 自評得分依「為民服務工作考核要點」之構面計算，至小數點後 1 位。",
        "3. 滿意度以「非常滿意」及「滿意」占有效回答之比率計算。",
    ], 1):
        help_sheet.cell(i, 1, line)
    help_sheet.column_dimensions["A"].width = 70

    stamp = dt.datetime(2025, 1, 6, 9, 0, 0)  # fixed, so regenerating changes no bytes it need not
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "○○市政府民政局"
    wb.save(path)
    return path


if __name__ == "__main__":
    print(build(FORM))
