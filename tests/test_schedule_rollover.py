"""Next year's sheet: same tasks and planned months, year moved on, progress cleared."""

from __future__ import annotations

from pathlib import Path

from toolkit.schedule.adopt_files import read_adoption
from toolkit.schedule.model import ControlSheet, Task
from toolkit.schedule.rollover import rollover, shift_years

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "schedule"


def test_years_next_to_the_sheets_move_on() -> None:
    assert shift_years("107年度清查人口作業", 107, 1) == "108年度清查人口作業"
    assert shift_years("108年度預算之籌編", 107, 1) == "109年度預算之籌編"
    assert shift_years("辦理 107年下半年至108年上半年考績", 107, 1) == "辦理 108年下半年至109年上半年考績"
    assert shift_years("106年度決算", 107, 2) == "108年度決算"
    assert shift_years("101年1月12日舉辦；每年3、4、5月；2018年", 107, 1) == "101年1月12日舉辦；每年3、4、5月；2018年"


def test_rollover_clears_progress_and_keeps_plans() -> None:
    done = Task("1", "107年度清查人口作業", "各課", "清查百歲人瑞", (1, 2, 3), (1, 2), 0.5, "人力不足",
                "備註", units=("戶籍登記課", "戶籍資料課"))
    plain = Task("2", "網站更新", "行政庶務課", "經常性辦理", (1, 7))
    nxt, renamed = rollover(ControlSheet("中正所", 107, [done, plain], unit="戶籍登記課"), 108)
    assert (nxt.office, nxt.year, nxt.unit) == ("中正所", 108, None)
    assert nxt.tasks == [
        Task("1", "108年度清查人口作業", "各課", "清查百歲人瑞", (1, 2, 3), units=("戶籍登記課", "戶籍資料課")),
        Task("2", "網站更新", "行政庶務課", "經常性辦理", (1, 7))]
    assert [str(r) for r in renamed] == ["編號 1 計畫項目「107年度清查人口作業」→「108年度清查人口作業」"]
    kept, none = rollover(ControlSheet("中正所", 107, [done]), 108, move_texts=False)
    assert kept.tasks[0].project == "107年度清查人口作業" and none == []


def test_rollover_of_the_sample() -> None:
    sheet = read_adoption(SAMPLES / "zhongzheng-107-office-sheet.xlsx").sheet
    nxt, renamed = rollover(sheet, 108)
    assert [t.planned for t in nxt.tasks] == [t.planned for t in sheet.tasks]
    assert [t.owners for t in nxt.tasks] == [t.owners for t in sheet.tasks]
    by_id = {t.id: t for t in nxt.tasks}
    assert by_id["26"].project == "109年度預算之籌編" and by_id["1"].project == "108年度清查人口作業"
    assert {(r.id, r.field) for r in renamed} == {
        ("1", "計畫項目"), ("4", "工作內容"), ("8", "計畫項目"), ("15", "工作內容"), ("25", "計畫項目"),
        ("26", "計畫項目"), ("48", "工作內容")}
