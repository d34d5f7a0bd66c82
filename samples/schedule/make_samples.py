"""Regenerate the schedule samples: `.venv/bin/python samples/schedule/make_samples.py`.

* longjing-101-plan.xlsx – the longjing 101 作業時程 as a plan list (an xlsx input, written
  with openpyxl as an office would type it: full-width digits, 「3月、6月」, 每月).
* zhongzheng-107-office-sheet.xlsx – the seed's 49-item 作業時程管制表 typed as the office has
  it (title row; three header rows with the merged caption 預定作業時程 / 107年度 over 1…12;
  merged 編號 and 計畫項目; the unit in parentheses after the item, shared ones as the seed
  writes them: (各課), (戶籍登記、資料課); planned months shaded Excel's grey 「白色, 背景 1,
  較深 25%」, a theme colour with a tint), from zhongzheng-107-plan.csv's tasks and months.
  會計 and 人事 are written 會計室 and 人事室, as in the plan list, so the copies in returned/
  fit a master adopted from this sheet too.
* returned/*.xlsx – the zhongzheng 107 copies each 課室 hands back after June: built with
  svcq (new → split) and then edited with openpyxl the way staff fill them in (varied marks
  and 完成度 forms, reasons for delays). 行政庶務課 also moved a planned month, which
  `collect` must list as a conflict.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.colors import Color

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

import toolkit  # noqa: E402
from toolkit.schedule.sheets import load_plan, write_control_sheet  # noqa: E402

OFFICE, YEAR = "臺北市中正區戶政事務所", 107

#: The unit each item of the seed names in parentheses (zhongzheng-107-plan.txt, 附件); the
#: seed's (會計) and (人事) are written as the plan list writes them.
SEED_UNITS = {
    **dict.fromkeys(("1", "2", "3"), "戶籍登記課"), "4": "戶籍資料課",
    **dict.fromkeys(("5", "6", "8"), "各課"), "7": "戶籍登記、資料課",
    **dict.fromkeys(map(str, range(9, 25)), "行政庶務課"),
    **dict.fromkeys(map(str, range(25, 33)), "會計室"),
    **dict.fromkeys(map(str, range(33, 45)), "行政庶務課"),
    **dict.fromkeys(map(str, range(45, 50)), "人事室"),
}
#: Excel's 「白色, 背景 1, 較深 25%」: theme colour 0 (white) with a negative tint.
THEME_GREY = PatternFill("solid", fgColor=Color(theme=0, tint=-0.249977111117893))

LONGJING = [
    ("編號", "計畫項目", "承辦單位", "工作內容", "預定月份"),
    ("1", "所務會議暨法令講習", "優質便民服務組", "每月舉辦所務會議暨法令講習", "每月"),
    ("2", "關懷系列—戶政幸福列車", "創新加值服務組", "試辦計畫報市府備查", "1月"),
    ("", "", "", "首班服務列車啟動及至里服務", "２-４"),
    ("3", "服務滿意度調查及禮貌人員選拔", "優質便民服務組", "辦理服務滿意度調查及禮貌人員選拔", "3月、6月、9月、12月"),
    ("4", "員工法令測驗", "優質便民服務組", "辦理員工法令測驗", "３,８,１１"),
    ("5", "門牌整編", "資訊流通服務組", "祥瑞街等門牌整編換證下里服務", "4"),
    ("", "", "", "田中里龍北路門牌勘查繪圖及整編", "6-9"),
    ("6", "國三生初領國民身分證到校服務", "優質便民服務組", "至轄區國中受理初領身分證", "4"),
    ("7", "自然人憑證報稅宣導", "資訊流通服務組", "以自然人憑證報稅操作說明會", "4-5"),
    ("8", "外籍配偶生活輔導班", "優質便民服務組", "龍井、梧棲聯辦外籍配偶生活輔導班", "5"),
    ("9", "藝文區展覽", "創新加值服務組", "本所藝文區展出在地藝文作品", "1,3,5,7-9,11"),
    ("10", "配合市府大型活動設攤宣導", "創新加值服務組", "音樂町、爵士樂等活動設攤宣導戶政業務", "7-9"),
    ("11", "網站更新", "資訊流通服務組", "每月第一上班日呈報網站更新執行情形表", "全年"),
    ("12", "國家服務品質獎績效報告", "優質便民服務組", "績效報告製作完成", "１２月"),
]

# (編號, 工作內容) → (實際 marks {month: text}, 完成度 as typed, 落後原因及因應對策)
PROGRESS: dict[str, dict[tuple[str, str], tuple[dict[int, object], object, str]]] = {
    "戶籍登記課": {
        ("1", "清查致贈百歲人瑞金鎖片，當事人不知去向者"): ({1: "●", 2: "●", 3: "●"}, "100%", ""),
        ("1", "清查90歲以上設有戶籍者"): ({4: "v", 5: "v"}, "60%", ""),
        ("1", "清查80歲以上最近二年未使用全民健康保險法所稱健保卡者"): ({4: "v"}, 0.3,
            "健保署資料6月中旬始送達，已排定7月上旬完成清查"),
        ("1", "清查已接收死亡通報未辦理死亡登記者"): ({m: "✓" for m in range(1, 7)}, "50%", ""),
        ("2", "依出生通報通知申請人及辦理相關請領流程檢核"): ({m: "O" for m in range(1, 7)}, 50, ""),
        ("3", "依計畫指標辦理清查作業"): ({3: 1, 4: 1, 5: 1, 6: 1}, "４５％", ""),
        ("5", "依評鑑指標執行戶政業務"): ({m: "完成" for m in range(1, 6)}, "55%", ""),
        ("7", "人貌辨識講習"): ({4: "●"}, "100%", ""),
        ("7", "戶籍登記法令講習"): ({3: "●"}, "25%", ""),
    },
    "戶籍資料課": {
        ("4", "戶籍登記申請書委外掃描和稽核作業"): ({3: "●", 4: "●", 5: "●", 6: "●"}, "40%", ""),
        ("4", "掃描107年度身分登記類申請書"): ({m: "●" for m in range(1, 7)}, "50%", ""),
        ("6", "依評鑑指標執行戶政業務"): ({m: "●" for m in range(1, 6)}, "50%", ""),
    },
    "行政庶務課": {
        ("8", "研擬作業計畫"): ({1: "●"}, "100%", ""),
        ("8", "每月檢討執行進度"): ({m: "●" for m in range(2, 7)}, "45%", ""),
        ("9", "公文講習教育訓練"): ({5: "v"}, "100%", ""),
        ("9", "本所內部公文檢核"): ({3: "v", 6: "v"}, "50%", ""),
        ("9", "本所內部公文抽核"): ({2: "v"}, "25%", ""),  # May missing, no reason given
        ("10", "外部顧客滿意度調查"): ({5: "●"}, "50%", ""),
        ("10", "調查結果檢討改進"): ({}, None, "問卷回收延至6月底，檢討會議改於7月第1週召開"),
        ("12", "為民服務禮貌課程"): ({3: "●"}, "100%", ""),
        ("13", "辦理與他機關電話互測"): ({3: "●", 6: "●"}, "50%", ""),
        ("14", "辦理創意提案作業"): ({m: "●" for m in range(1, 7)}, "50%", ""),
        ("14", "召開創意提案推動小組會議"): ({6: "●"}, "50%", ""),
        ("15", "研擬臺北市議會本所107年上半年工作報告"): ({2: "●", 3: "●"}, "100%", ""),
        ("16", "策略地圖及平衡計分卡擬定、執行"): ({1: "●"}, "50%", ""),
        ("17", "檢討減除冗事彙整及執行"): ({6: "●"}, "50%", ""),
        ("18", "調查並規劃採購內容及數量"): ({2: "●", 3: "●"}, "100%", ""),
        ("18", "透過共同供應契約辦理採購"): ({4: "●", 5: "●"}, "70%",
            "共同供應契約6月換約，餘項改於7月新約上架後採購"),
        ("19", "調查並規劃個人電腦採購內容及數量"): ({2: "●", 3: "●"}, "100%", ""),
        ("19", "透過共同供應契約辦理軟體採購"): ({4: "●", 5: "●", 6: "●"}, "100%", ""),
        ("20", "調查並規劃電腦耗材採購內容及數量"): ({1: "●"}, "50%", ""),
        ("20", "透過共同供應契約辦理電腦耗材採購"): ({2: "●"}, "50%", ""),
        ("21", "經常性辦理"): ({m: "●" for m in range(1, 7)}, "50%", ""),
        ("22", "經常性辦理"): ({m: "●" for m in range(1, 7)}, "50%", ""),
        ("23", "將外網全面檢測是否符合無障礙網頁規範並修正"): ({4: "●"}, "50%", ""),
        ("24", "經常性辦理"): ({m: "●" for m in range(1, 7)}, "50%", ""),
        ("34", "配合上級機關實施，分上下半年實施"): ({6: "●"}, "50%", ""),
        ("37", "經常性辦理"): ({m: "●" for m in range(1, 7)}, "50%", ""),
        ("38", "協助上級機關辦理"): ({5: "●"}, "50%", ""),
        ("39", "協助宣導"): ({m: "●" for m in range(1, 7)}, "50%", ""),
        ("40", "協助辦理，每年3、4、5月"): ({3: "●", 4: "●", 5: "●"}, "100%", ""),
        ("41", "配合參與民政局廉政會報"): ({6: "●"}, "50%", ""),
        ("42", "宣導並陳報成果"): ({2: "●", 6: "●"}, "67%", ""),
    },
    "會計室": {
        ("25", "各課室預算需求分配期程之彙整"): ({1: "●"}, "100%", ""),
        ("25", "提列預算分配之申請案"): ({1: "●"}, "100%", ""),
        ("26", "需求之彙整與提報"): ({3: "●", 4: "●"}, "100%", ""),
        ("26", "概算之編製"): ({5: "●", 6: "●"}, "100%", ""),
        ("28", "辦理年終結帳帳務處理"): ({1: "●"}, "100%", ""),
        ("28", "填具歲出保留申請表"): ({1: "●"}, "100%", ""),
        ("28", "彙編各科室提供決算總說明相關資料及市議會審議總預算案所提審議意見辦理情形。"):
            ({1: "●", 2: "●"}, "100%", ""),
        ("28", "依據財產統制帳編報財產目錄。"): ({2: "●"}, "100%", ""),
        ("28", "依據各課室提供決算相關資料、本所核定之歲出保留款、財產目錄及會計月報彙編年度決算報告。"):
            ({2: "●"}, "100%", ""),
        ("28", "簽陳首長核定後，遞送民政局、審計處、主計處及財政局等相關機關。"): ({2: "●"}, "100%", ""),
        ("30", "課室主管與同仁主動溝通協調確定年度重要工作力求創新精進"):
            ({m: "●" for m in range(1, 7)}, "50%", ""),
        ("31", "針對「現金」(包括櫃檯現金及零用金等處理手續及保管情形)、「收款憑證」及「戶役政耗材」(存量)之查核。"):
            ({6: "●"}, "50%", ""),
    },
    "人事室": {
        ("45", "清查職期屆滿須檢討者人數及姓名"): ({1: "●"}, "100%", ""),
        ("45", "檢討職期屆滿者是否連任、延長任期或辦理遷調"): ({2: "●"}, "100%", ""),
        ("45", "簽報市長核定職期到任主管以上人員是否連任、延長任期或辦理遷調並將結果報府備查。"):
            ({4: "●"}, "80%", "市長核定公文5月始回復，6月已函報府備查中"),
        ("46", "調訓所內初任公職人員，加強知能補充訓練並簡介戶政業務"): ({4: "●"}, "50%", ""),
        ("49", "配合民政局辦理知能補充、職場健康訓練及專題講座"): ({3: "●"}, "25%", ""),
    },
}


def fill_copy(path: Path, progress: dict[tuple[str, str], tuple[dict[int, object], object, str]],
              *, move_planned: tuple[str, str, int, int] | None = None) -> None:
    """Type progress into a split copy as staff would, finding rows by (編號, 工作內容)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["作業時程管制表"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "編號")
    col = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    item, rows = None, {}
    for r in range(header + 1, ws.max_row + 1):
        item = ws.cell(r, col["編號"]).value or item
        task = ws.cell(r, col["工作內容"]).value
        if task and ws.cell(r, col["預定/實際"]).value == "預定":
            rows[(str(item), task)] = r
    for key, (marks, completion, reason) in progress.items():
        planned = rows[key]
        for month, mark in marks.items():
            ws.cell(planned + 1, col[f"{month}月"]).value = mark
        ws.cell(planned, col["完成度"]).value = completion  # merged over the pair: top-left
        if reason:
            ws.cell(planned, col["落後原因及因應對策"]).value = reason
    if move_planned:
        item_id, task, old, new = move_planned
        r = rows[(item_id, task)]
        ws.cell(r, col[f"{old}月"]).value = None
        ws.cell(r, col[f"{new}月"]).value = "●"
    wb.save(path)


def office_sheet(path: Path) -> None:
    """The 49-item control sheet as the office types it in Excel (see the module doc)."""
    plan = load_plan(HERE / "zhongzheng-107-plan.csv")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "107年度管制表"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name="標楷體", size=11)
    wrap = Alignment(wrap_text=True, vertical="center")
    middle = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws["A1"] = f"{OFFICE}{YEAR}年度重要工作計畫作業時程管制表"
    ws["A1"].font = Font(name="標楷體", size=16, bold=True)
    ws["A1"].alignment = middle
    ws.merge_cells("A1:O1")
    ws.row_dimensions[1].height = 30
    header = {"A2": "編號", "B2": "計畫項目\n(課室)", "C2": "工作內容", "D2": "預定作業時程",
              "D3": f"{YEAR}年度", **{f"{chr(67 + m)}4": m for m in range(1, 13)}}
    for ref, value in header.items():
        ws[ref] = value
    for row in ws["A2:O4"]:
        for cell in row:
            cell.font, cell.alignment, cell.border = Font(name="標楷體", size=11, bold=True), middle, box
    for rng in ("A2:A4", "B2:B4", "C2:C4", "D2:O2", "D3:O3"):
        ws.merge_cells(rng)
    r = 5
    for item_id, project, tasks in plan.items():
        first = r
        for task in tasks:
            ws.cell(r, 3, task.task)
            for c in range(1, 16):
                cell = ws.cell(r, c)
                cell.font, cell.border = body, box
                cell.alignment = wrap if c in (2, 3) else middle
            for m in task.planned:
                ws.cell(r, 3 + m).fill = THEME_GREY
            r += 1
        ws.cell(first, 1, int(item_id))
        ws.cell(first, 2, f"{project}\n({SEED_UNITS[item_id]})")
        if r - first > 1:
            ws.merge_cells(start_row=first, start_column=1, end_row=r - 1, end_column=1)
            ws.merge_cells(start_row=first, start_column=2, end_row=r - 1, end_column=2)
    for col, width in {"A": 5, "B": 18, "C": 30, **{chr(67 + m): 4 for m in range(1, 13)}}.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "D5"
    ws.print_title_rows = "1:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.save(path)


def main() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "計畫清單"
    for row in LONGJING:
        ws.append(row)
    for row in ws.iter_rows():
        for cell in row:
            cell.number_format = "@"
    wb.save(HERE / "longjing-101-plan.xlsx")

    office_sheet(HERE / "zhongzheng-107-office-sheet.xlsx")

    returned = HERE / "returned"
    returned.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        master = Path(work, "master.xlsx")
        write_control_sheet(load_plan(HERE / "zhongzheng-107-plan.csv"), master, YEAR, OFFICE)
        for path in toolkit.split_schedule(master, Path(work, "split")).files:
            unit = path.stem
            fill_copy(path, PROGRESS[unit], move_planned=(
                ("10", "外部顧客滿意度調查", 10, 11) if unit == "行政庶務課" else None))
            path.replace(returned / path.name)
    print(f"wrote {HERE / 'longjing-101-plan.xlsx'}, zhongzheng-107-office-sheet.xlsx and "
          f"{len(PROGRESS)} copies in {returned}")


if __name__ == "__main__":
    main()
