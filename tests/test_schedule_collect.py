"""The monthly round trip: new → split → copies edited (openpyxl, LibreOffice) → collect → status.

Expectations are computed by hand from the plan in samples/schedule/zhongzheng-107-plan.csv.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import svcq

import toolkit
from toolkit.io.atomic import file_digest
from toolkit.io.libreoffice import convert
from toolkit.roc import YearMonth
from toolkit.schedule import status
from toolkit.schedule.sheets import LOG_SHEET, SHEET, load_plan, read_control_sheet, write_control_sheet

PLAN = Path(__file__).resolve().parents[1] / "samples" / "schedule" / "zhongzheng-107-plan.csv"
JUNE = YearMonth(107, 6)

# 人事室's tasks: (編號, 工作內容) → planned months in the sample plan
HR_CHECK = ("45", "清查職期屆滿須檢討者人數及姓名")  # planned 1
HR_REVIEW = ("45", "檢討職期屆滿者是否連任、延長任期或辦理遷調")  # planned 2
HR_REPORT = ("45", "簽報市長核定職期到任主管以上人員是否連任、延長任期或辦理遷調並將結果報府備查。")  # 3
HR_TRAINING = ("46", "調訓所內初任公職人員，加強知能補充訓練並簡介戶政業務")  # 4,10
HR_OUTING = ("47", "統籌辦理本所員工文康活動，增進情誼。")  # 10
HR_ELECTION = ("48", "辦理107年下半年至108年上半年考績/甄審委員會票選委員選舉作業")  # 6
HR_SKILLS = ("49", "配合民政局辦理知能補充、職場健康訓練及專題講座")  # 3,6,9,12
ACC_ALLOC = ("25", "各課室預算需求分配期程之彙整")  # 會計室, planned 1
ACC_APPLY = ("25", "提列預算分配之申請案")  # 會計室, planned 1
REG_FIRST = ("1", "清查致贈百歲人瑞金鎖片，當事人不知去向者")  # 戶籍登記課, planned 1-3
REG_BONUS = ("2", "依出生通報通知申請人及辦理相關請領流程檢核")  # 戶籍登記課, 每月
DATA_SCAN = ("4", "掃描107年度身分登記類申請書")  # 戶籍資料課, 全年


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The master and a folder of pristine split copies (tests copy them before editing)."""
    work = tmp_path_factory.mktemp("round")
    master = write_control_sheet(load_plan(PLAN), work / "master.xlsx", 107, "臺北市中正區戶政事務所")
    toolkit.split_schedule(master, work / "split")
    return master, work / "split"


def fresh(base: tuple[Path, Path], tmp: Path, unit: str, name: str | None = None) -> Path:
    dst = tmp / (name or f"{unit}.xlsx")
    shutil.copy(base[1] / f"{unit}.xlsx", dst)
    return dst


def edit(path: Path, progress: dict, *, planned: dict | None = None, rename: dict | None = None,
         sheet_from: Path | None = None) -> None:
    """Type into a copy as staff do with Excel, finding each task by (編號, 工作內容)."""
    wb = openpyxl.load_workbook(sheet_from or path)
    ws = wb[SHEET]
    col = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    rows, item = {}, None
    for r in range(4, ws.max_row + 1):
        item = ws.cell(r, col["編號"]).value or item
        if ws.cell(r, col["預定/實際"]).value == "預定":
            rows[(str(item), ws.cell(r, col["工作內容"]).value)] = r
    for key, values in progress.items():
        r = rows[key]
        for month, mark in values.get("marks", {}).items():
            ws.cell(r + 1, col[f"{month}月"]).value = mark
        for label in ("完成度", "落後原因及因應對策", "備註"):
            if label in values:
                ws.cell(r, col[label]).value = values[label]  # merged pair: the top-left cell
    for key, months in (planned or {}).items():
        for m in range(1, 13):
            ws.cell(rows[key], col[f"{m}月"]).value = "●" if m in months else None
    for key, text in (rename or {}).items():
        ws.cell(rows[key], col["工作內容"]).value = text
    wb.save(path)


HR_PROGRESS = {
    HR_CHECK: {"marks": {1: "●"}, "完成度": "100%"},
    HR_REVIEW: {"marks": {2: "v"}, "完成度": 0.8},
    HR_REPORT: {"marks": {3: "✓"}, "完成度": "８０％", "落後原因及因應對策": "公文5月始回復，7月補報"},
    HR_TRAINING: {"marks": {4: "O"}, "完成度": 50},
    HR_SKILLS: {"marks": {3: 1}, "完成度": "25%", "備註": "6月講座延期"},
}


def _by_key(report: dict) -> dict[tuple[str, str], dict]:
    return {(t["id"], t["task"]): t for t in report["tasks"]}


def test_openpyxl_round_trip_status_matches_hand_computed(base: tuple[Path, Path], tmp_path: Path) -> None:
    master = base[0]
    before = file_digest(master)
    hr = fresh(base, tmp_path, "人事室")
    edit(hr, HR_PROGRESS)
    acc = fresh(base, tmp_path, "會計室")
    edit(acc, {ACC_ALLOC: {"marks": {1: "完成"}, "完成度": 1}})
    result = toolkit.collect_schedule(master, [hr, acc], tmp_path / "merged.xlsx")
    assert file_digest(master) == before  # the master itself is untouched without --in-place
    assert result.conflicts == []
    assert result.units == {str(hr): "人事室", str(acc): "會計室"}

    report = status(read_control_sheet(tmp_path / "merged.xlsx"), JUNE).to_dict()
    tasks = _by_key(report)
    expected = {  # (actual months, completion, status, reason_missing)
        HR_CHECK: ([1], 1.0, "done", False),
        HR_REVIEW: ([2], 0.8, "late", True),  # last planned month passed, only 80%
        HR_REPORT: ([3], 0.8, "late", False),
        HR_TRAINING: ([4], 0.5, "on_track", False),  # April done, October not due
        HR_OUTING: ([], None, "not_due", False),
        HR_ELECTION: ([], None, "late", True),  # June planned, nothing marked
        HR_SKILLS: ([3], 0.25, "late", True),  # June planned, not marked
        ACC_ALLOC: ([1], 1.0, "done", False),
        ACC_APPLY: ([], None, "late", True),  # January planned, the copy left it blank
    }
    for key, (actual, completion, state, missing) in expected.items():
        t = tasks[key]
        assert (t["actual_months"], t["completion"], t["status"], t["reason_missing"]) == (
            actual, completion, state, missing), key
    assert tasks[HR_REPORT]["reason"] == "公文5月始回復，7月補報"
    hr_counts = report["summary"]["by_unit"]["人事室"]
    assert hr_counts == {"done": 1, "late": 4, "on_track": 1, "not_due": 1, "total": 7,
                         "late_without_reason": 3}

    wb = openpyxl.load_workbook(tmp_path / "merged.xlsx")
    ws = wb[SHEET]
    marks = {ws.cell(r, c).value for r in range(4, ws.max_row + 1) for c in range(6, 18)
             if ws.cell(r, 5).value == "實際"}
    assert marks == {None, "●"}  # v, ✓, O, 1 and 完成 were normalised
    percent = [ws.cell(r, 18) for r in range(4, ws.max_row + 1) if ws.cell(r, 18).value == 0.8]
    assert len(percent) == 2 and all(c.number_format == "0%" for c in percent)
    log = [[c.value for c in row] for row in wb[LOG_SHEET].iter_rows()]
    assert log[0][:3] == ["彙整時間", "來源檔案", "承辦單位"]
    assert sum(row[1] == "人事室.xlsx" for row in log) == len([t for t in result.taken if t.unit == "人事室"])
    assert {(t.field, t.new) for t in result.taken if (t.id, t.task) == HR_REPORT} == {
        ("實際月份", "3月"), ("完成度", "80%"), ("落後原因及因應對策", "公文5月始回復，7月補報")}


def test_conflicts_are_listed_and_not_applied(base: tuple[Path, Path], tmp_path: Path) -> None:
    master = base[0]
    reg = fresh(base, tmp_path, "戶籍登記課")
    edit(reg, {REG_FIRST: {"marks": {1: "●"}, "完成度": "40%"}}, planned={REG_FIRST: (1, 2)})
    # a whole master copy returned by 戶籍資料課: its own task counts, 戶籍登記課's does not
    data = tmp_path / "戶籍資料課-6月回報.xlsx"
    shutil.copy(master, data)
    edit(data, {DATA_SCAN: {"marks": {m: "●" for m in range(1, 7)}, "完成度": "50%"},
                REG_BONUS: {"marks": {1: "●"}, "完成度": "10%"}})
    hr = fresh(base, tmp_path, "人事室")
    edit(hr, {HR_CHECK: {"marks": {1: "●"}, "完成度": "100%"},
              HR_REVIEW: {"marks": {2: "●"}, "完成度": "很多"}}, rename={HR_OUTING: "員工旅遊"})
    acc1 = fresh(base, tmp_path, "會計室")
    edit(acc1, {ACC_ALLOC: {"完成度": "60%"}, ACC_APPLY: {"完成度": "100%"}})
    acc2 = fresh(base, tmp_path, "會計室", "會計室-修正版.xlsx")
    edit(acc2, {ACC_ALLOC: {"完成度": "70%"}, ACC_APPLY: {"完成度": "100%"}})

    r = svcq("schedule", "collect", master, reg, data, hr, acc1, acc2, "-o", tmp_path / "merged.xlsx")
    assert r.code == 0 and "衝突（5 項，未套用）" in r.err
    assert "人事室.xlsx 作業時程管制表!R6：編號 45「檢討職期屆滿者" in r.err  # names file and cell
    assert "戶籍資料課-6月回報.xlsx（戶籍資料課）：採用 2 項，衝突 1 項未套用" in r.out
    log = list(openpyxl.load_workbook(tmp_path / "merged.xlsx")[LOG_SHEET].iter_rows(values_only=True))
    conflicts = sorted((row[5], row[3]) for row in log if str(row[8]).startswith("未套用"))
    # the kinds in Chinese, as the error catalogue names them
    assert sorted(conflicts) == sorted([("值無法判讀", 45), ("多份回報不一致", 25), ("非本單位工作", 2),
                                        ("預定列被修改", 1), ("總表沒有此工作", 47)])
    disagree = next(row for row in log if row[5] == "多份回報不一致")
    assert disagree[1] == "會計室.xlsx、會計室-修正版.xlsx"

    tasks = _by_key(status(read_control_sheet(tmp_path / "merged.xlsx"), JUNE).to_dict())
    assert tasks[REG_FIRST]["planned_months"] == [1, 2, 3]  # the 預定 change was not applied…
    assert tasks[REG_FIRST]["completion"] == 0.4  # …but the unit's progress was
    assert tasks[REG_BONUS]["completion"] is None  # another unit's task: untouched
    assert tasks[DATA_SCAN]["actual_months"] == [1, 2, 3, 4, 5, 6]
    assert tasks[HR_CHECK]["status"] == "done"
    # an unreadable 完成度 is refused alone (issue 12, item 6): the 2月 mark is still taken
    assert (tasks[HR_REVIEW]["actual_months"], tasks[HR_REVIEW]["completion"]) == ([2], None)
    assert tasks[ACC_ALLOC]["completion"] is None  # the two returns disagree: neither taken
    assert tasks[ACC_APPLY]["completion"] == 1.0  # they agree on this one


def test_added_charts_images_and_notes_survive(base: tuple[Path, Path], tmp_path: Path) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.drawing.image import Image
    from PIL import Image as PILImage

    master = tmp_path / "office-master.xlsx"
    wb = openpyxl.load_workbook(base[0])
    ws = wb[SHEET]
    PILImage.new("RGB", (40, 20), "red").save(tmp_path / "logo.png")
    ws.add_image(Image(str(tmp_path / "logo.png")), "V2")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=18, min_row=4, max_row=20))
    ws.add_chart(chart, "V10")
    ws["T4"].comment = Comment("主任交辦：6月底前完成", "秘書")
    wb.save(master)
    with zipfile.ZipFile(master) as zf:
        kept = {n: zf.read(n) for n in zf.namelist() if n.startswith(("xl/media/", "xl/charts/",
                                                                           "xl/drawings/", "xl/comments"))}
    assert any("chart" in n for n in kept) and any("media" in n for n in kept)

    hr = fresh(base, tmp_path, "人事室")
    edit(hr, HR_PROGRESS)
    result = toolkit.collect_schedule(master, [hr], in_place=True)
    assert result.backup is not None and result.backup.exists() and result.dst == master
    with zipfile.ZipFile(master) as zf:
        after = {n: zf.read(n) for n in kept}
        assert zf.testzip() is None
    assert after == kept  # byte for byte
    wb = openpyxl.load_workbook(master)
    assert wb[SHEET]["T4"].comment.text == "主任交辦：6月底前完成"
    tasks = _by_key(status(read_control_sheet(master), JUNE).to_dict())
    assert tasks[HR_CHECK]["status"] == "done"


@pytest.mark.libreoffice
def test_copies_saved_by_libreoffice_collect(base: tuple[Path, Path], tmp_path: Path) -> None:
    """LibreOffice as the second client: the edited copies are re-written by its own ODS
    writer (and one of those by its own xlsx writer), and still collect correctly."""
    hr = fresh(base, tmp_path, "人事室")
    edit(hr, HR_PROGRESS)
    reg = fresh(base, tmp_path, "戶籍登記課")
    edit(reg, {REG_FIRST: {"marks": {1: "●", 2: "✓", 3: "v"}, "完成度": "100%"},
               REG_BONUS: {"marks": {m: "○" for m in range(1, 6)}, "完成度": "４０％",
                           "落後原因及因應對策": "6月通報系統維護，7月補正"}})
    ods = convert([hr, reg], "ods", tmp_path / "ods")
    assert sorted(p.suffix for p in ods) == [".ods", ".ods"]
    [lo_xlsx] = convert([tmp_path / "ods" / "人事室.ods"], "xlsx", tmp_path / "lo-xlsx")

    result = toolkit.collect_schedule(base[0], ods, tmp_path / "from-ods.xlsx")
    assert result.conflicts == [] and set(result.units.values()) == {"人事室", "戶籍登記課"}
    tasks = _by_key(status(read_control_sheet(tmp_path / "from-ods.xlsx"), JUNE).to_dict())
    assert (tasks[REG_FIRST]["actual_months"], tasks[REG_FIRST]["status"]) == ([1, 2, 3], "done")
    assert tasks[REG_BONUS]["completion"] == 0.4 and tasks[REG_BONUS]["status"] == "late"
    assert tasks[REG_BONUS]["reason"] == "6月通報系統維護，7月補正"
    assert tasks[HR_TRAINING]["status"] == "on_track" and tasks[HR_SKILLS]["completion"] == 0.25

    again = toolkit.collect_schedule(base[0], [lo_xlsx], tmp_path / "from-lo-xlsx.xlsx")
    assert again.conflicts == []
    assert sorted((t.id, t.task, t.field, t.new) for t in again.taken) == sorted(
        (t.id, t.task, t.field, t.new) for t in result.taken if t.unit == "人事室")


def test_cli_collect_refusals(base: tuple[Path, Path], tmp_path: Path) -> None:
    master = base[0]
    hr = fresh(base, tmp_path, "人事室")
    r = svcq("schedule", "collect", master, hr)
    assert r.code == 2 and "--in-place" in r.err
    r = svcq("schedule", "collect", master, hr, "-o", master)
    assert r.code == 2 and "輸出檔與輸入檔相同" in r.err
    r = svcq("schedule", "collect", master, tmp_path / "missing.xlsx", "-o", tmp_path / "m.xlsx")
    assert r.code == 2 and "missing.xlsx" in r.err and not (tmp_path / "m.xlsx").exists()
    csv = tmp_path / "master.csv"
    csv.write_text("a,b\n", encoding="utf-8")
    r = svcq("schedule", "collect", csv, hr, "-o", tmp_path / "m.xlsx")
    assert r.code == 2 and "找不到作業時程管制表" in r.err  # neither svcq's sheet nor an office's own


def test_second_month_appends_to_the_log(base: tuple[Path, Path], tmp_path: Path) -> None:
    hr = fresh(base, tmp_path, "人事室")
    edit(hr, {HR_CHECK: {"marks": {1: "●"}, "完成度": "100%"}})
    first = toolkit.collect_schedule(base[0], [hr], tmp_path / "may.xlsx").dst
    edit(hr, {HR_REVIEW: {"marks": {2: "●"}, "完成度": "100%"}})
    toolkit.collect_schedule(first, [hr], tmp_path / "june.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "june.xlsx")[LOG_SHEET].iter_rows(values_only=True))
    assert rows[0][0] == "彙整時間" and sum(r[0] == "彙整時間" for r in rows) == 1
    assert [r[5] for r in rows[1:]] == ["實際月份", "完成度", "實際月份", "完成度"]


def test_demo_step_on_the_samples(tmp_path: Path, samples: Path) -> None:
    from toolkit.demo import DemoContext
    from toolkit.schedule import demo as step

    said: list[str] = []
    ctx = DemoContext(samples, tmp_path, said.append)
    step.run(ctx)
    # the office's own sheet adopted (reading + master), 5 copies, the collected master, the
    # status as JSON and text, next year's sheet
    assert all(path.exists() for _, path in ctx.artifacts) and len(ctx.artifacts) == 11
    report = ctx.results["schedule"]
    assert report["as_of"] == "107-06" and len(report["tasks"]) == 86
    # 人事室 (samples/schedule/make_samples.py): 45 ×2 at 100% done; 45 簽報 80% with its
    # March planned month past → late (reason given); 46 April marked, October ahead → on_track;
    # 47 October → not_due; 48 June unmarked → late; 49 June unmarked → late. The office's sheet
    # adds the six 「(各課)」 tasks of items 5, 6, 8, shared by every unit: 5 and 6 依評鑑指標
    # (1-9, 1-10; one unit marked 1-5, June missing) → late, no reason; 5 彙整 (9) and 6 陳報 (10)
    # → not_due; 8 研擬 (January; one unit at 100%, the others not yet) → late, no reason;
    # 8 每月檢討 (2-12, 2-6 marked) → on_track
    assert report["summary"]["by_unit"]["人事室"] == {
        "done": 2, "late": 6, "on_track": 2, "not_due": 3, "total": 13, "late_without_reason": 5}
    assert report["shared_units"]["各課"] == ["戶籍登記課", "戶籍資料課", "行政庶務課", "會計室", "人事室"]
    assert [c["title"] for c in report["conflicts"]] == ["預定列被修改"]
    assert any("衝突" in line and "外部顧客滿意度調查" in line for line in said)
    tasks = _by_key(report)
    assert tasks[("10", "外部顧客滿意度調查")]["planned_months"] == [5, 10]
    assert (tasks[("8", "研擬作業計畫")]["unit"], tasks[("8", "研擬作業計畫")]["actual_months"]) == ("各課", [1])


def test_a_long_reason_grows_its_task_rows_in_the_master(base: tuple[Path, Path], tmp_path: Path) -> None:
    """No program grows a row by itself: a 落後原因 longer than the master was written with
    would print cut, so collect gives the task's two rows the height its text needs (and
    leaves every other row as it was)."""
    from toolkit.sheetkit.width import cell_lines, line_height

    reason = "公文往返耗時，承辦人於5月調任，新任人員到職後重新彙整資料，預計7月底前補報並於下次會議說明。" * 2
    hr = fresh(base, tmp_path, "人事室")
    edit(hr, {HR_REPORT: {"marks": {3: "●"}, "完成度": "80%", "落後原因及因應對策": reason}})
    before = openpyxl.load_workbook(base[0])[SHEET]
    toolkit.collect_schedule(base[0], [hr], tmp_path / "merged.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "merged.xlsx")[SHEET]
    col = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, col["工作內容"]).value == HR_REPORT[1])
    assert ws.cell(row, col["落後原因及因應對策"]).value == reason
    width = ws.column_dimensions["S"].width - 0.7109375
    tall = (ws.row_dimensions[row].height or 15) + (ws.row_dimensions[row + 1].height or 15)
    assert tall >= cell_lines(reason, width) * line_height() > before.row_dimensions[row].height * 2
    others = [r for r in range(4, ws.max_row + 1) if r not in (row, row + 1)]
    assert [ws.row_dimensions[r].height for r in others] == [before.row_dimensions[r].height for r in others]
