"""Test data and helpers shared by test_score*.py (no tests here): hand-computed scorings and
filling a self-score sheet the way a user does, with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

#: A year's self-score, by leaf name, with the hand-computed results below.
PENGHU_113: dict[str, Any] = {
    "服務一致及正確": 4.5, "服務友善": 4, "服務禮貌": 9,
    "服務便捷": 8, "服務可近性": 9, "服務成長及優化": 7.5,
    "內部作業簡化": 8, "深化服務量能": 4, "上年度評審建議事項提出具體改善措施": 3,
    "服務滿意情形": 9, "意見回應處理情形": 10,
    "開放參與": 4, "創新性": 3.5,
    "執行計畫擬訂之具體完整性": 1, "執行計畫依限報送備查情形": 1,
}
PENGHU_113_DIMS = {"基礎服務": 17.5, "服務遞送": 24.5, "服務量能": 15, "服務評價": 19,
                   "開放創新": 7.5, "執行計畫訂定核備情形": 2}
PENGHU_113_TOTAL = 85.5
#: (leaf, lost) most lost first; ties in rubric order.
PENGHU_113_GAPS = [("服務成長及優化", 2.5), ("服務便捷", 2), ("內部作業簡化", 2),
                   ("上年度評審建議事項提出具體改善措施", 2), ("創新性", 1.5), ("服務友善", 1),
                   ("服務禮貌", 1), ("服務可近性", 1), ("深化服務量能", 1), ("服務滿意情形", 1),
                   ("開放參與", 1), ("服務一致及正確", 0.5)]

PHONE_LEAVES = ["響鈴4聲或10秒內接聽", "問候語及報明機關名稱", "報明單位或姓名", "語氣親切有耐心",
                "結束禮貌", "答復正確", "說明清楚完整", "轉接或留言處理得宜"]
PHONE_CALLS = {
    "第1通": [20, 10, 5, 15, 10, 15, 15, 10],   # 100 優良
    "第2通": [15, 10, 0, 12, 8, 15, 12, 8],     # 80 良好
    "第3通": [10, 5, 5, 10, 5, 10, 12, 7],      # 64 待改善
}


def find_col(ws: Any, header_row: int, label: str) -> int:
    for cell in ws[header_row]:
        if cell.value == label:
            return cell.column
    raise KeyError(label)


def fill(src: Path, dst: Path, values: dict[str, Any], *, column: str = "自評分數",
         header_row: int = 4) -> Path:
    """Type ``values`` ({leaf name: value}) into the score column, by the row's leaf name."""
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    col = find_col(ws, header_row, column)
    done = set()
    for row in ws.iter_rows(min_row=header_row + 1):
        name = row[2].value or row[1].value
        if name in values:
            ws.cell(row[0].row, col).value = values[name]
            done.add(name)
    assert done == set(values), f"rows not found: {set(values) - done}"
    wb.save(dst)
    return dst


def fill_calls(src: Path, dst: Path, calls: dict[str, list[Any]], header_row: int = 4) -> Path:
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    for label, values in calls.items():
        col = find_col(ws, header_row, label)
        by_name = dict(zip(PHONE_LEAVES, values, strict=True))
        for row in ws.iter_rows(min_row=header_row + 1):
            name = row[2].value or row[1].value
            if name in by_name:
                ws.cell(row[0].row, col).value = by_name[name]
    wb.save(dst)
    return dst
