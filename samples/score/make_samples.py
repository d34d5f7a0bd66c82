"""Regenerate the sample sheets in this folder (run from the repository root):

    .venv/bin/python samples/score/make_samples.py

The values are made up but plausible for a small office (澎湖縣西嶼鄉戶政事務所); the sheets
are written by svcq's own writer, exactly as ``svcq score new`` would, then filled.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.score.sheets import write_sheet

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
    write_sheet(HERE / "電話禮貌測試-113.xlsx", "phone-courtesy",
                scores={label: dict(zip(PHONE_LEAVES, values, strict=True))
                        for label, values in CALLS.items()},
                office=OFFICE, year="113", deterministic=True)


if __name__ == "__main__":
    main()
