"""An office's own sheet through every command: adopt → split → collect → status → report →
rollover, shared tasks kept per unit, a refused value that never becomes a false 落後, and the
bad inputs of issue 12 (exit 1 with every problem and nothing written; exit 2 for a non-workbook).

Sheets are built by hand with openpyxl (tests/test_schedule_adopt.py's builders); expected
values are computed by hand from them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from helpers import files_in, svcq
from test_schedule_adopt import build, months_row, seed_sheet
from test_schedule_collect import edit

import toolkit
from toolkit.schedule import view
from toolkit.schedule.record_sheets import LOG_SHEET, SHARED_SHEET

EVERY = ("戶籍登記課", "戶籍資料課", "會計")
STATUS_KEYS = {"id", "project", "unit", "task", "planned_months", "actual_months", "completion",
               "status", "reason", "reason_missing"}
#: The seed sheet's tasks (tests/test_schedule_adopt.py::seed_sheet)
FIRST = ("1", "清查致贈百歲人瑞金鎖片，當事人不知去向者")  # 戶籍登記課, 1-3
REVIEW = ("5", "依評鑑指標執行戶政業務")  # 各課, 1-9


@pytest.fixture
def own(tmp_path: Path) -> Path:
    return seed_sheet(tmp_path / "中正所107年管制表.xlsx")


def by_key(report: dict) -> dict[tuple[str, str], dict]:
    return {(t["id"], t["task"]): t for t in report["tasks"]}


# ── adopt ──

def test_adopt_writes_the_standard_sheet(own: Path, tmp_path: Path) -> None:
    r = svcq("schedule", "adopt", own, "-o", tmp_path / "管制表.xlsx")
    assert r.code == 0, r.err
    assert "標題列：第 2–4 列" in r.out and "版面：每項工作一列（只有預定）" in r.out
    assert "共同辦理「各課」→ 戶籍登記課、戶籍資料課、會計（編號 5）" in r.out
    assert "已寫出" in r.out and "（6 項計畫、8 項工作、3 個承辦單位）" in r.out
    sheet = toolkit.read_schedule(tmp_path / "管制表.xlsx")
    assert (sheet.office, sheet.year) == ("臺北市中正區戶政事務所", 107)
    got = {t.key: (t.unit, t.owners, t.planned) for t in sheet.tasks}
    assert got[FIRST] == ("戶籍登記課", ("戶籍登記課",), (1, 2, 3))
    assert got[REVIEW] == ("各課", EVERY, tuple(range(1, 10)))  # shared, through the standard sheet
    assert got[("7", "筆跡鑑定講習")] == ("戶籍登記、資料課", ("戶籍登記課", "戶籍資料課"), (8,))


def test_adopt_dry_run_and_json(own: Path, tmp_path: Path) -> None:
    r = svcq("schedule", "adopt", own, "--dry-run")
    assert r.code == 0 and "判讀「工作表1」" in r.out and files_in(tmp_path) == [own.name]
    r = svcq("schedule", "adopt", own, "--dry-run", "--json")
    data = r.json()
    assert (data["layout"], data["year"], data["header_rows"]) == ("rows", 107, [2, 3, 4])
    assert data["units"] == list(EVERY) and data["problems"] == []
    assert data["tasks"][0]["cells"]["planned"] == {"1": "D5", "2": "E5", "3": "F5"}
    r = svcq("schedule", "adopt", own)
    assert r.code == 2 and "--dry-run" in r.err


def test_adopt_bad_inputs_list_every_problem_and_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    no_months = build(tmp_path / "清單.xlsx", [["編號", "工作內容", "承辦單位"], ["1", "清查", "戶籍登記課"]])
    r = svcq("schedule", "adopt", no_months, "-o", out / "a.xlsx")
    assert r.code == 1 and "工作表1!A1：找不到月份欄" in r.err
    no_unit = build(tmp_path / "無單位.xlsx", [
        ["107年度管制表"], ["編號", "計畫項目", "工作內容", *months_row()],
        ["1", "清查人口(戶籍登記課)", "清查", "●"], ["2", "公文檢核", "抽核", None, "●"]])
    r = svcq("schedule", "adopt", no_unit, "-o", out / "b.xlsx")
    assert r.code == 1 and "工作表1!B4：編號 2「抽核」看不出承辦單位" in r.err
    contradict = build(tmp_path / "矛盾.xlsx", [
        ["107年度管制表"], ["編號", "計畫項目", "工作內容", "預定作業時程"],
        ["項次", None, "承辦單位", *months_row()], ["1", "清查(戶籍登記課)", "清查", "●"]],
        merges=("D2:O2",))
    r = svcq("schedule", "adopt", contradict, "-o", out / "c.xlsx")
    assert r.code == 1 and "發現 1 項問題" in r.err
    assert "工作表1!A3：同一欄的兩列標題互相矛盾" not in r.err  # 編號 and 項次 mean the same
    assert "工作表1!C3：同一欄的兩列標題互相矛盾：C2「工作內容」是工作內容，C3「承辦單位」是承辦單位" in r.err
    assert files_in(out) == []
    pdf = tmp_path / "管制表.xlsx"
    pdf.write_bytes(b"%PDF-1.4 not a workbook")
    r = svcq("schedule", "adopt", pdf, "-o", out / "d.xlsx")
    assert r.code == 2 and "不是試算表" in r.err and files_in(out) == []


# ── every reader takes the office's own sheet directly ──

def test_status_of_the_office_sheet(own: Path) -> None:
    data = svcq("schedule", "status", own, "--as-of", "107-06", "--json").json()
    assert set(data) == {"office", "year", "as_of", "tasks", "summary", "shared_units", "conflicts", "notes"}
    assert all(set(t) == STATUS_KEYS for t in data["tasks"])
    # as of June, nothing marked: every task with a planned month up to June is 落後; 5 彙整 (9)
    # and 7 筆跡 (8) are not due
    assert [(t["id"], t["status"]) for t in data["tasks"]] == [
        ("1", "late"), ("1", "late"), ("2", "late"), ("5", "late"), ("5", "not_due"), ("7", "not_due"),
        ("4", "late"), ("25", "late")]
    assert data["summary"]["overall"] == {"done": 0, "late": 6, "on_track": 0, "not_due": 2, "total": 8,
                                          "late_without_reason": 6}
    assert data["summary"]["by_unit"] == {  # a shared task counts for each unit it names
        "戶籍登記課": {"done": 0, "late": 4, "on_track": 0, "not_due": 2, "total": 6, "late_without_reason": 4},
        "戶籍資料課": {"done": 0, "late": 2, "on_track": 0, "not_due": 2, "total": 4, "late_without_reason": 2},
        "會計": {"done": 0, "late": 2, "on_track": 0, "not_due": 1, "total": 3, "late_without_reason": 2}}
    assert data["shared_units"] == {"各課": list(EVERY), "戶籍登記、資料課": ["戶籍登記課", "戶籍資料課"]}
    assert data["conflicts"] == []


def test_split_the_office_sheet_puts_shared_tasks_in_every_named_unit(own: Path, tmp_path: Path) -> None:
    r = svcq("schedule", "split", own, "-o", tmp_path / "分送")
    assert r.code == 0
    assert sorted(p.name for p in (tmp_path / "分送").iterdir()) == ["戶籍登記課.xlsx", "戶籍資料課.xlsx", "會計.xlsx"]
    keys = {unit: [t.key for t in toolkit.read_schedule(tmp_path / "分送" / f"{unit}.xlsx").tasks]
            for unit in EVERY}
    assert keys["戶籍資料課"] == [REVIEW, ("5", "彙整執行成果"), ("7", "筆跡鑑定講習"),
                               ("4", "掃描107年度身分登記類申請書")]
    assert keys["會計"] == [REVIEW, ("5", "彙整執行成果"), ("25", "提列預算分配之申請案")]
    assert len(keys["戶籍登記課"]) == 6


def _round(master: Path, tmp: Path, name: str, progress: dict[str, dict]) -> list[Path]:
    """Split ``master`` and fill each unit's copy as its staff would."""
    toolkit.split_schedule(master, tmp / f"{name}-分送")
    out = []
    for unit, values in progress.items():
        copy = tmp / f"{name}-分送" / f"{unit}.xlsx"
        edit(copy, values)
        out.append(copy)
    return out


def test_shared_task_kept_per_unit_and_done_only_when_every_unit_is(own: Path, tmp_path: Path) -> None:
    june = _round(own, tmp_path, "6月", {
        "戶籍登記課": {REVIEW: {"marks": {1: "●", 2: "●", 3: "●"}, "完成度": "50%", "落後原因及因應對策": "人力不足"}},
        "戶籍資料課": {REVIEW: {"marks": {1: "v", 2: "v"}, "完成度": "80%"}},
        "會計": {}})
    r = svcq("schedule", "collect", own, *june, "-o", tmp_path / "6月.xlsx")
    assert r.code == 0 and "總表不是 svcq 的管制表格式" in r.out
    assert "戶籍資料課.xlsx（戶籍資料課）：採用 0 項，共同辦理工作 1 項已記錄" in r.out
    task = by_key(toolkit.schedule_status(tmp_path / "6月.xlsx", "107-06").to_dict())[REVIEW]
    # the union of 實際 months, the lowest 完成度 — none until 會計 gives one — reasons per unit
    assert (task["actual_months"], task["completion"], task["reason"]) == ([1, 2, 3], None, "戶籍登記課：人力不足")
    wb = openpyxl.load_workbook(tmp_path / "6月.xlsx")
    log = [row for row in wb[LOG_SHEET].iter_rows(values_only=True) if row[3] == 5]  # 編號 a number
    assert [(row[2], row[5], row[7]) for row in log if str(row[8]).startswith("已記錄")] == [
        ("戶籍登記課", "實際月份", "1月、2月、3月"), ("戶籍登記課", "完成度", 0.5),  # 完成度 a number
        ("戶籍登記課", "落後原因及因應對策", "人力不足"),
        ("戶籍資料課", "實際月份", "1月、2月"), ("戶籍資料課", "完成度", 0.8)]
    # 編號 a number here too
    kept = {(str(row[0]), *row[1:3]): row[3:5] for row in wb[SHARED_SHEET].iter_rows(min_row=2, values_only=True)}
    assert kept[(*REVIEW, "戶籍資料課")] == ("1月、2月", 0.8) and kept[(*REVIEW, "會計")] == ("（無）", None)

    # July: only 會計 returns (100%); the others' June returns still count → the lowest is 50%
    july = _round(tmp_path / "6月.xlsx", tmp_path, "7月", {"會計": {REVIEW: {"marks": {1: "●"}, "完成度": 1}}})
    toolkit.collect_schedule(tmp_path / "6月.xlsx", july, tmp_path / "7月.xlsx")
    task = by_key(toolkit.schedule_status(tmp_path / "7月.xlsx", "107-07").to_dict())[REVIEW]
    assert (task["actual_months"], task["completion"], task["reason"]) == ([1, 2, 3], 0.5, "戶籍登記課：人力不足")
    # each unit's copy shows its own return, not the combination
    mine = toolkit.read_schedule(tmp_path / "7月-分送" / "戶籍資料課.xlsx").by_key()[REVIEW]
    assert (mine.actual, mine.completion) == ((1, 2), 0.8)

    # August: the two others report 100% → done
    aug = _round(tmp_path / "7月.xlsx", tmp_path, "8月", {
        "戶籍登記課": {REVIEW: {"完成度": "100%", "落後原因及因應對策": ""}},
        "戶籍資料課": {REVIEW: {"完成度": "100%"}}})
    toolkit.collect_schedule(tmp_path / "7月.xlsx", aug, tmp_path / "8月.xlsx")
    task = by_key(toolkit.schedule_status(tmp_path / "8月.xlsx", "107-08").to_dict())[REVIEW]
    assert (task["completion"], task["status"], task["reason"]) == (1.0, "done", "")


def test_collect_into_the_office_sheet_needs_an_output(own: Path, tmp_path: Path) -> None:
    [copy] = _round(own, tmp_path, "6月", {"會計": {("25", "提列預算分配之申請案"): {"marks": {1: "●"}, "完成度": 1}}})
    r = svcq("schedule", "collect", own, copy, "--in-place")
    assert r.code == 2 and "-o" in r.err
    assert files_in(tmp_path) == sorted([own.name, "6月-分送/戶籍登記課.xlsx", "6月-分送/戶籍資料課.xlsx",
                                         "6月-分送/會計.xlsx"])


def test_a_returned_copy_in_the_office_layout(own: Path, tmp_path: Path) -> None:
    master = toolkit.adopt_schedule(own, output=tmp_path / "管制表.xlsx").written
    copy = build(tmp_path / "戶籍登記課-6月回報.xlsx", [
        ["戶籍登記課 6 月進度"],
        ["編號", "計畫項目", "工作內容", "預定/實際", *months_row(), "完成度"],
        ["1", "107年度清查人口作業(戶籍登記課)", FIRST[1], "預定", "●", "●", "●"],
        [None, None, None, "實際", "✓", "✓", *[None] * 10, "60%"]],
        merges=("A3:A4", "B3:B4", "C3:C4"))
    result = toolkit.collect_schedule(master, [copy], tmp_path / "6月.xlsx")
    assert result.units == {str(copy): "戶籍登記課"} and result.conflicts == []
    task = toolkit.read_schedule(tmp_path / "6月.xlsx").by_key()[FIRST]
    assert (task.actual, task.completion) == ((1, 2), 0.6)


# ── a refused value is refused alone and listed until resolved ──

def test_a_refused_completion_never_makes_a_false_late(own: Path, tmp_path: Path) -> None:
    master = toolkit.adopt_schedule(own, output=tmp_path / "管制表.xlsx").written
    [copy] = _round(Path(master), tmp_path, "2月", {
        "戶籍登記課": {FIRST: {"marks": {1: "●", 2: "●"}, "完成度": "150%"}}})
    r = svcq("schedule", "collect", master, copy, "-o", tmp_path / "2月.xlsx")
    assert r.code == 0 and "［值無法判讀］戶籍登記課.xlsx 作業時程管制表!R4：" in r.err
    data = svcq("schedule", "status", tmp_path / "2月.xlsx", "--as-of", "107-02", "--json").json()
    task = by_key(data)[FIRST]
    # the 實際 marks were taken: January and February done, March ahead → 進行中, not 落後
    assert (task["actual_months"], task["completion"], task["status"]) == ([1, 2], None, "on_track")
    [conflict] = data["conflicts"]
    assert (conflict["title"], conflict["files"], conflict["cell"], conflict["id"]) == (
        "值無法判讀", "戶籍登記課.xlsx", "作業時程管制表!R4", "1")
    text = svcq("schedule", "status", tmp_path / "2月.xlsx", "--as-of", "107-02").out
    assert "尚未解決的衝突" in text and "［值無法判讀］戶籍登記課.xlsx 作業時程管制表!R4" in text
    html = view.conflicts(data)
    assert "作業時程管制表!R4" in html and "值無法判讀" in html


# ── next year ──

def test_rollover_and_new_from_last_years_sheet(own: Path, tmp_path: Path) -> None:
    r = svcq("schedule", "rollover", own, "--year", "108", "-o", tmp_path / "108.xlsx")
    assert r.code == 0 and "文字中的年度已順延：編號 1 計畫項目「107年度清查人口作業」→「108年度清查人口作業」" in r.out
    nxt = toolkit.read_schedule(tmp_path / "108.xlsx")
    assert (nxt.office, nxt.year, len(nxt.tasks)) == ("臺北市中正區戶政事務所", 108, 8)
    assert [t.planned for t in nxt.tasks] == [t.planned for t in toolkit.read_schedule(own).tasks]
    assert nxt.by_key()[("4", "掃描108年度身分登記類申請書")].owners == ("戶籍資料課",)
    assert nxt.by_key()[REVIEW].owners == EVERY
    r = svcq("schedule", "new", own, "--year", "108", "-o", tmp_path / "new108.xlsx")
    assert r.code == 0 and "由 107年度的管制表" in r.out
    assert [t.key for t in toolkit.read_schedule(tmp_path / "new108.xlsx").tasks] == [t.key for t in nxt.tasks]


def test_rollover_clears_collected_progress(own: Path, tmp_path: Path) -> None:
    master = toolkit.adopt_schedule(own, output=tmp_path / "管制表.xlsx").written
    [copy] = _round(Path(master), tmp_path, "6月", {"會計": {("25", "提列預算分配之申請案"): {
        "marks": {1: "●"}, "完成度": 1, "備註": "已完成"}}})
    toolkit.collect_schedule(master, [copy], tmp_path / "6月.xlsx")
    assert toolkit.read_schedule(tmp_path / "6月.xlsx").by_key()[("25", "提列預算分配之申請案")].completion == 1.0
    data = svcq("schedule", "rollover", tmp_path / "6月.xlsx", "--year", "108", "-o", tmp_path / "108.xlsx",
                "--keep-texts", "--json").json()
    assert (data["year"], data["tasks"], data["renamed"]) == (108, 8, [])
    nxt = toolkit.read_schedule(tmp_path / "108.xlsx")
    assert all(t.actual == () and t.completion is None and not t.note for t in nxt.tasks)
    assert nxt.by_key()[FIRST].project == "107年度清查人口作業"  # --keep-texts


def test_new_with_neither_a_plan_nor_a_sheet(tmp_path: Path) -> None:
    junk = build(tmp_path / "雜項.xlsx", [["名稱", "數量"], ["筆", 3]])
    r = svcq("schedule", "new", junk, "--year", "108", "--office", "某所", "-o", tmp_path / "x.xlsx")
    assert r.code == 1 and "找不到標題列" in r.err and "找不到作業時程管制表" in r.err
    assert not (tmp_path / "x.xlsx").exists()

