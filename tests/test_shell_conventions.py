"""Shell conventions every command follows: -o picks the format by its extension (refusing one it
cannot write, before anything runs), `-` is standard input and `-o -` standard output, svcq
expands wildcards itself, several files give one status report, progress only on a terminal
and never with --quiet."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from helpers import files_in, svcq

from toolkit import progress
from toolkit.io.tables import safe_cell

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
RETURNED = SAMPLES / "schedule" / "returned"
PLAN = SAMPLES / "schedule" / "zhongzheng-107-plan.csv"


def test_status_as_csv_json_and_on_standard_output(tmp_path: Path) -> None:
    hr = RETURNED / "人事室.xlsx"
    expected = svcq("schedule", "status", hr, "--as-of", "107-06", "--json").json()
    assert svcq("schedule", "status", hr, "--as-of", "107-06", "-o", tmp_path / "s.json").code == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == expected
    assert svcq("schedule", "status", hr, "--as-of", "107-06", "-o", tmp_path / "s.csv").code == 0
    raw = (tmp_path / "s.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads the Chinese right"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["id"], r["status"]) for r in rows] == [(t["id"], t["status"]) for t in expected["tasks"]]
    assert rows[0]["planned_months"] == ",".join(map(str, expected["tasks"][0]["planned_months"]))
    out = svcq("schedule", "status", hr, "--as-of", "107-06", "-o", "-")
    assert out.code == 0 and out.out.startswith("id,project,unit,task") and "\ufeff" not in out.out
    assert len(out.out.strip().splitlines()) == len(expected["tasks"]) + 1


@pytest.mark.parametrize("args", [
    ["schedule", "status", RETURNED / "人事室.xlsx", "-o", "{out}/s.txt"],
    ["schedule", "new", PLAN, "--year", "107", "--office", "中正", "-o", "{out}/管制表.csv"],
    ["schedule", "new", PLAN, "--year", "107", "--office", "中正", "-o", "-"],
    ["cells", "set", RETURNED / "人事室.xlsx", "A1=1", "-o", "{out}/x.json"],
    ["report", "schedule", RETURNED / "人事室.xlsx", "-o", "{out}/r.pdf"],
])
def test_an_extension_a_command_cannot_write_is_refused_before_anything_runs(tmp_path: Path,
                                                                              args: list) -> None:
    out = tmp_path / "out"
    out.mkdir()
    r = svcq(*[str(a).replace("{out}", str(out)) for a in args])
    assert r.code == 2 and ("可用的格式" in r.err or "標準輸出" in r.err), r.err
    assert files_in(out) == []


def test_formula_guard_in_csv_cells() -> None:
    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert safe_cell("+886 2 1234") == "'+886 2 1234" and safe_cell("@SUM") == "'@SUM"
    assert safe_cell(-3) == -3 and safe_cell("已完成") == "已完成" and safe_cell(None) == ""


def test_dash_reads_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PLAN.read_bytes()), encoding="utf-8"))
    r = svcq("schedule", "new", "-", "--year", "107", "--office", "中正", "-o", tmp_path / "管制表.xlsx")
    assert r.code == 0, r.err
    direct = svcq("schedule", "new", PLAN, "--year", "107", "--office", "中正", "-o", tmp_path / "b.xlsx")
    assert r.out.split("（")[1] == direct.out.split("（")[1]  # same items, tasks and units


def test_wildcards_are_expanded_by_svcq(tmp_path: Path) -> None:
    pattern = str(RETURNED / "*.xlsx")
    together = svcq("schedule", "status", pattern, "--as-of", "107-06", "--json")
    assert together.code == 0, together.err
    data = together.json()
    one_by_one = [svcq("schedule", "status", f, "--as-of", "107-06", "--json").json()
                  for f in sorted(RETURNED.glob("*.xlsx"))]
    assert len(data["tasks"]) == sum(len(d["tasks"]) for d in one_by_one)
    assert data["summary"]["overall"]["late"] == sum(d["summary"]["overall"]["late"] for d in one_by_one)
    none = svcq("schedule", "status", str(tmp_path / "回收" / "*.xlsx"))
    assert none.code == 2 and "沒有符合的檔案" in none.err


def test_the_same_task_in_two_files_is_a_problem() -> None:
    hr = RETURNED / "人事室.xlsx"
    r = svcq("schedule", "status", hr, hr, "--as-of", "107-06")
    assert r.code == 1 and "同時出現在" in r.err


def test_as_of_outside_the_plan_year_is_said(tmp_path: Path) -> None:
    r = svcq("schedule", "status", RETURNED / "人事室.xlsx", "--as-of", "115-11", "--json")
    assert r.code == 0 and "不在管制表的 107 年度內" in r.json()["notes"][0]
    text = svcq("schedule", "status", RETURNED / "人事室.xlsx", "--as-of", "115-11")
    assert "⚠ 統計月份 115年11月 不在管制表的 107 年度內" in text.out
    assert svcq("schedule", "status", RETURNED / "人事室.xlsx", "--as-of", "107-06", "--json").json()["notes"] == []


def test_progress_only_when_asked_and_never_with_quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    master = tmp_path / "管制表.xlsx"
    assert svcq("schedule", "new", PLAN, "--year", "107", "--office", "中正", "-o", master).code == 0
    quiet = svcq("schedule", "split", master, "-o", tmp_path / "a")
    assert quiet.code == 0 and "分送各課室" not in quiet.err, "not a terminal: no progress"
    monkeypatch.setenv("SVCQ_PROGRESS", "1")  # as on a terminal
    shown = svcq("schedule", "split", master, "-o", tmp_path / "b")
    assert shown.code == 0 and "分送各課室" in shown.err
    silenced = svcq("schedule", "split", master, "-o", tmp_path / "c", "--quiet")
    assert silenced.code == 0 and "分送各課室" not in silenced.err


def test_progress_events_reach_a_listener(tmp_path: Path) -> None:
    import toolkit

    heard: list[str] = []
    master = tmp_path / "管制表.xlsx"
    toolkit.new_schedule(PLAN, year=107, office="中正", output=master)
    with progress.listening(progress.Recorder(heard)):
        toolkit.collect_schedule(master, sorted(RETURNED.glob("*.xlsx")), tmp_path / "m.xlsx")
    assert heard[0] == "讀取回報 0/5" and heard.count("+1") == 5 and heard[-1] == "done"


SURVEY = SAMPLES / "survey"
SCORE = SAMPLES / "score"


def test_tally_trend_votes_compute_compare_as_tables(tmp_path: Path) -> None:
    q = SURVEY / "questionnaire.yaml"
    tally = svcq("survey", "tally", SURVEY / "滿意度調查-113.xlsx", "-q", q, "--json").json()
    assert svcq("survey", "tally", SURVEY / "滿意度調查-113.xlsx", "-q", q, "-o", tmp_path / "t.json").code == 0
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8")) == tally
    rows = svcq("survey", "tally", SURVEY / "滿意度調查-113.xlsx", "-q", q, "-o", "-")
    table = list(csv.DictReader(io.StringIO(rows.out)))
    assert [r["question"] for r in table] == [x["question"] for x in tally["questions"]]
    assert [float(r["satisfaction_rate"]) for r in table] == pytest.approx(
        [x["satisfaction_rate"] for x in tally["questions"]])
    votes = svcq("survey", "votes", SURVEY / "最佳禮儀服務人員票選-113.xlsx", "-o", tmp_path / "v.csv")
    assert votes.code == 0 and "rank,name,votes" in (tmp_path / "v.csv").read_text(encoding="utf-8-sig")
    score = svcq("score", "compute", SCORE / "自評表-113.xlsx", "-o", "-")
    assert score.code == 0 and score.out.startswith("dimension,path,max,score,lost")
    compare = svcq("score", "compare", SCORE / "自評表-112.xlsx", SCORE / "自評表-113.xlsx", "-o", tmp_path / "c.csv")
    assert compare.code == 0 and (tmp_path / "c.csv").read_text(encoding="utf-8-sig").startswith("path,max,")


def test_trend_takes_years_from_file_names() -> None:
    files = [SURVEY / "滿意度調查-112.xlsx", SURVEY / "滿意度調查-113.xlsx"]
    q = SURVEY / "questionnaire.yaml"
    by_name = svcq("survey", "trend", *files, "-q", q, "--json")
    labelled = svcq("survey", "trend", *(f"{y}={f}" for y, f in zip((112, 113), files, strict=True)), "-q", q,
                    "--json")
    assert by_name.code == 0 and by_name.json() == labelled.json() and by_name.json()["years"] == [112, 113]


def test_tally_reads_responses_from_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    src = SURVEY / "滿意度調查-111.csv"
    direct = svcq("survey", "tally", src, "--json").json()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(src.read_bytes()), encoding="utf-8"))
    piped = svcq("survey", "tally", "-", "--json")
    assert piped.code == 0 and piped.json()["questions"] == direct["questions"]
