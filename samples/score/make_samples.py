"""Regenerate the sample sheets in this folder (run from the repository root):

    .venv/bin/python samples/score/make_samples.py

The values are made up but plausible for a small office (澎湖縣西嶼鄉戶政事務所); the sheets
are written by svcq's own writer, exactly as ``svcq score new`` would, then filled.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.io.xlsx import new_workbook
from toolkit.score.sheets import write_sheet
from toolkit.sheetkit.formats import HouseFormats
from toolkit.sheetkit.page import a4

HERE = Path(__file__).resolve().parent
OFFICE = "澎湖縣西嶼鄉戶政事務所"

SCORES = {
    "112": {
        "服務一致及正確": 4, "服務友善": 4, "服務禮貌": 8, "服務便捷": 7, "服務可近性": 8.5,
        "服務成長及優化": 7, "內部作業簡化": 8, "深化服務量能": 3.5,
        "上年度評審建議事項提出具體改善措施": 3, "服務滿意情形": 8, "意見回應處理情形": 9,
        "開放參與": 4, "創新性": 3, "執行計畫擬訂之具體完整性": 1, "執行計畫依限報送備查情形": 1,
    },
    "113": {
        "服務一致及正確": 4.5, "服務友善": 4, "服務禮貌": 9, "服務便捷": 8, "服務可近性": 9,
        "服務成長及優化": 7.5, "內部作業簡化": 8, "深化服務量能": 4,
        "上年度評審建議事項提出具體改善措施": 3, "服務滿意情形": 9, "意見回應處理情形": 10,
        "開放參與": 4, "創新性": 3.5, "執行計畫擬訂之具體完整性": 1, "執行計畫依限報送備查情形": 1,
    },
}
EVIDENCE = {
    "服務一致及正確": "ISO 內部稽核紀錄；公文、陳情及申辦案件時效統計（零逾期）",
    "服務友善": "廳舍綠美化照片；無障礙設施檢核表；網站 A+ 無障礙標章",
    "服務禮貌": "電話禮貌測試紀錄表（6 通）；櫃台禮儀考核表",
    "服務便捷": "線上申辦案件數統計表；到校受理初領身分證 2 場",
    "服務可近性": "到府服務紀錄 18 件；例假日結婚登記預約 12 對",
    "服務滿意情形": "113 年滿意度調查分析報告（含 111–113 年趨勢）",
    "意見回應處理情形": "受理人民陳情案件登記簿；首長信箱回復紀錄（均當日回應）",
}
#: Which 課室 fills which 構面 (for the merge example in 各課室/).
UNITS = {"戶籍課": ("基礎服務", "服務遞送"), "行政課": ("服務量能", "服務評價", "開放創新",
                                                       "執行計畫訂定核備情形")}

PHONE_LEAVES = ["響鈴4聲或10秒內接聽", "問候語及報明機關名稱", "報明單位或姓名", "語氣親切有耐心",
                "結束禮貌", "答復正確", "說明清楚完整", "轉接或留言處理得宜"]
#: Six test calls in 113: column header = date and who was tested.
CALLS = {
    "3/12 戶籍課": [20, 10, 5, 14, 10, 15, 14, 10],
    "4/18 戶籍課": [20, 10, 3, 13, 8, 15, 13, 9],
    "6/05 行政課": [15, 10, 5, 12, 8, 12, 12, 8],
    "8/21 戶籍課": [20, 8, 0, 12, 7, 13, 12, 6],
    "10/09 行政課": [10, 5, 0, 10, 5, 12, 10, 5],
    "11/27 戶籍課": [20, 10, 5, 15, 10, 15, 15, 10],
}


#: A county's own rubric as counties publish it: a 配分 column beside 構面 | 項目 | 指標, the
#: 構面 in merged cells, a 小計 row per 構面 and a 總計 row (評分標準-114.xlsx), with its 等第.
COUNTY_TITLE = "○○縣114年度戶政事務所提升服務品質評分基準"
COUNTY_OFFICE = "○○縣○○鄉戶政事務所"
COUNTY_RUBRIC: list[tuple[str, list[tuple[str, str, float, str]]]] = [
    ("基礎服務", [("服務一致及正確", "", 8, "標準作業流程建立與檢討；案件時效零逾期"),
                 ("服務友善", "", 8, "洽公環境、無障礙設施、網站友善程度"),
                 ("服務禮貌", "", 9, "電話禮貌測試與櫃台禮儀考核結果")]),
    ("服務遞送", [("服務便捷", "線上申辦", 6, "線上申辦項目數與案件數成長"),
                 ("服務便捷", "跨機關便民服務", 6, "跨機關合作（地政、稅捐、監理…）辦理情形"),
                 ("服務可近性", "", 10, "到府服務、例假日預約、行動櫃台"),
                 ("服務成長及優化", "", 8, "民眾意見處理機制與最低標準逐年提高")]),
    ("服務量能", [("內部作業簡化", "", 8, "簡化流程、減紙、線上簽核"),
                 ("服務精進機制", "", 7, "上年度評審建議事項之具體改善措施")]),
    ("服務評價", [("服務滿意情形", "", 10, "滿意度調查（含趨勢分析）與最低標準達成情形"),
                 ("意見回應處理情形", "", 10, "陳情、首長信箱、FB 意見之回應時效")]),
    ("開放創新", [("開放參與", "", 5, "民眾參與管道與宣導"),
                 ("創新性", "", 5, "創新服務措施之成效")]),
]
COUNTY_BANDS = [("優等", 90), ("甲等", 80), ("乙等", 70), ("丙等", 0)]
#: The office's 114 self-score on that rubric (hand-computed: 87, 甲等).
COUNTY_SCORES = {"服務一致及正確": 7, "服務友善": 7, "服務禮貌": 8, "線上申辦": 5, "跨機關便民服務": 5,
                 "服務可近性": 9, "服務成長及優化": 7, "內部作業簡化": 7, "服務精進機制": 6,
                 "服務滿意情形": 9, "意見回應處理情形": 9, "開放參與": 4, "創新性": 4}


def write_county_table(dst: Path) -> Path:
    """評分標準-114.xlsx as a county would type it in Excel (merged 構面, 小計, 總計, 等第)."""
    with new_workbook(dst, deterministic=True) as wb:
        f = HouseFormats(wb)
        ws = wb.add_worksheet("評分標準")
        a4(ws, repeat_rows=1)
        ws.write_string(0, 0, COUNTY_TITLE, f.title)
        for c, head in enumerate(("構面", "項目", "指標", "配分", "評分說明")):
            ws.write_string(1, c, head, f.header)
        row = 2
        for dim, items in COUNTY_RUBRIC:
            first = row
            last_item = ""
            item_first = row
            for item, indicator, points, guide in items:
                if item != last_item:
                    if row - item_first > 1:
                        ws.merge_range(item_first, 1, row - 1, 1, last_item, f.wrap)
                    item_first, last_item = row, item
                ws.write_string(row, 1, item, f.wrap)
                ws.write_string(row, 2, indicator, f.wrap)
                ws.write_number(row, 3, points, f.center)
                ws.write_string(row, 4, guide, f.wrap)
                row += 1
            if row - item_first > 1:
                ws.merge_range(item_first, 1, row - 1, 1, last_item, f.wrap)
            ws.write_string(row, 1, "小計", f.center)
            ws.write_blank(row, 2, None, f.wrap)
            ws.write_number(row, 3, sum(p for _, _, p, _ in items), f.center)
            ws.write_blank(row, 4, None, f.wrap)
            ws.merge_range(first, 0, row, 0, dim, f.center)
            row += 1
        ws.write_string(row, 0, "總計", f.center)
        ws.write_number(row, 3, sum(p for _, items in COUNTY_RUBRIC for _, _, p, _ in items), f.center)
        for c, width in enumerate((12, 18, 16, 7, 44)):
            ws.set_column(c, c, width)
        bands = wb.add_worksheet("等第")
        a4(bands, landscape=False)
        for c, head in enumerate(("等第", "最低分")):
            bands.write_string(0, c, head, f.header)
        for r, (label, low) in enumerate(COUNTY_BANDS, 1):
            bands.write_string(r, 0, label, f.text)
            bands.write_number(r, 1, low, f.int)
    return dst


def main() -> None:
    from toolkit.score.rubric_files import load_rubric

    rubric = load_rubric("penghu-107")
    for year, scores in SCORES.items():
        write_sheet(HERE / f"自評表-{year}.xlsx", rubric, scores={"自評分數": scores},
                    evidence=EVIDENCE if year == "113" else {}, office=OFFICE, year=year,
                    deterministic=True)
    for unit, dims in UNITS.items():
        mine = {leaf.name for leaf in rubric.leaves if leaf.dimension in dims}
        write_sheet(HERE / "各課室" / f"{unit}.xlsx", rubric,
                    scores={"自評分數": {k: v for k, v in SCORES["113"].items() if k in mine}},
                    evidence={k: v for k, v in EVIDENCE.items() if k in mine}, office=OFFICE,
                    year="113", deterministic=True)
    table = write_county_table(HERE / "評分標準-114.xlsx")
    write_sheet(HERE / "自評表-114-縣市評分標準.xlsx", load_rubric(table), scores={"自評分數": COUNTY_SCORES},
                office=COUNTY_OFFICE, year="114", deterministic=True)
    write_sheet(HERE / "電話禮貌測試-113.xlsx", "phone-courtesy",
                scores={label: dict(zip(PHONE_LEAVES, values, strict=True))
                        for label, values in CALLS.items()},
                office=OFFICE, year="113", deterministic=True)


if __name__ == "__main__":
    main()
