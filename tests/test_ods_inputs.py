"""Every reading command accepts .ods input (as LibreOffice saves it) and gets the same
result as from the .xlsx it came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import svcq
from oracle import compare_cells, read_cells

from toolkit.io.libreoffice import convert
from toolkit.score.rubric_files import load_rubric
from toolkit.score.sheets import write_sheet

pytestmark = pytest.mark.libreoffice

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SURVEY = SAMPLES / "survey"
RETURNED = SAMPLES / "schedule" / "returned"


def ok(*args: object) -> str:
    """stdout of a successful command; an input named x.ods is reported as x.xlsx so the
    results from both formats compare equal."""
    result = svcq(*map(str, args))
    assert result.code == 0, f"svcq {' '.join(map(str, args))}\n{result.err}"
    return result.out.replace(".ods", ".xlsx")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """xlsx inputs and their .ods versions (one LibreOffice run converts them all)."""
    d = tmp_path_factory.mktemp("ods-inputs")
    ok("schedule", "new", SAMPLES / "schedule" / "zhongzheng-107-plan.csv", "--year", "107",
       "--office", "臺北市中正區戶政事務所", "-o", d / "管制表.xlsx")
    rubric = load_rubric("penghu-107")
    scores = {leaf.name: leaf.points * 0.75 for leaf in rubric.leaves}
    write_sheet(d / "自評表-112.xlsx", rubric, year="112", scores={"自評分數": scores})
    write_sheet(d / "自評表-113.xlsx", rubric, year="113",
                scores={"自評分數": {k: v * 0.9 for k, v in scores.items()}})
    inputs = {
        "responses": SURVEY / "滿意度調查-113.xlsx",
        "responses112": SURVEY / "滿意度調查-112.xlsx",
        "votes": SURVEY / "最佳禮儀服務人員票選-113.xlsx",
        "buttons": SURVEY / "評分按鈕月統計-113.xlsx",
        "plan": SAMPLES / "schedule" / "longjing-101-plan.xlsx",
        "returned": RETURNED / "戶籍登記課.xlsx",
        "control": d / "管制表.xlsx",
        "score112": d / "自評表-112.xlsx",
        "score113": d / "自評表-113.xlsx",
    }
    staged = []
    for key, src in inputs.items():  # distinct stems for LibreOffice's output names
        staged.append(d / "in" / f"{key}.xlsx")
        staged[-1].parent.mkdir(exist_ok=True)
        staged[-1].write_bytes(src.read_bytes())
    convert(staged, "ods", d / "in")  # in/responses.ods beside in/responses.xlsx
    out = {k: d / "in" / f"{k}.xlsx" for k in inputs}
    out |= {f"{k}.ods": d / "in" / f"{k}.ods" for k in inputs}
    out["dir"] = d
    return out


def test_survey_commands_read_ods(books) -> None:
    q = SURVEY / "questionnaire.yaml"
    for args in (["survey", "tally", "{responses}", "-q", q, "--by", "性別", "--json"],
                 ["survey", "tally", "{buttons}", "--counts", "--json"],
                 ["survey", "votes", "{votes}", "--json"],
                 ["survey", "trend", "112={responses112}", "113={responses}", "-q", q, "--json"]):
        def fill(a: object, ext: str) -> str:
            text = str(a)
            for key in ("responses112", "responses", "buttons", "votes"):
                text = text.replace("{" + key + "}", str(books[key + ext]))
            return text

        assert ok(*(fill(a, ".ods") for a in args)) == ok(*(fill(a, "") for a in args)), args


def test_schedule_commands_read_ods(books) -> None:
    d = books["dir"]
    ok("schedule", "new", books["plan.ods"], "--year", "101", "--office", "臺中市龍井區戶政事務所",
       "-o", d / "new-from-ods.xlsx")
    ok("schedule", "new", books["plan"], "--year", "101", "--office", "臺中市龍井區戶政事務所",
       "-o", d / "new-from-xlsx.xlsx")
    assert read_cells(d / "new-from-ods.xlsx") == read_cells(d / "new-from-xlsx.xlsx")
    for args in (["schedule", "status", "{control}", "--as-of", "107-06", "--json"],):
        assert (ok(*(str(a).replace("{control}", str(books["control.ods"])) for a in args))
                == ok(*(str(a).replace("{control}", str(books["control"])) for a in args)))
    from_ods = ok("schedule", "collect", books["control"], books["returned.ods"], "-o",
                  d / "collect-ods.xlsx", "--json")
    from_xlsx = ok("schedule", "collect", books["control"], books["returned"], "-o",
                   d / "collect-xlsx.xlsx", "--json")
    assert from_ods.replace("collect-ods", "collect-xlsx") == from_xlsx
    diffs = compare_cells(read_cells(d / "collect-xlsx.xlsx"), read_cells(d / "collect-ods.xlsx"),
                          "collect-ods.xlsx")
    assert [m for m in diffs if m.sheet != "彙整紀錄"] == []  # the log names the file
    ok("schedule", "split", books["control.ods"], "-o", d / "split-ods")
    ok("schedule", "split", books["control"], "-o", d / "split-xlsx")
    copies = sorted(p.name for p in (d / "split-xlsx").glob("*.xlsx"))
    assert copies and copies == sorted(p.name for p in (d / "split-ods").glob("*.xlsx"))
    for name in copies:
        assert read_cells(d / "split-ods" / name) == read_cells(d / "split-xlsx" / name), name


def test_score_commands_read_ods(books) -> None:
    assert (ok("score", "compute", books["score113.ods"], "--json")
            == ok("score", "compute", books["score113"], "--json"))
    assert (ok("score", "compare", books["score112.ods"], books["score113.ods"], "--labels", "112,113",
               "--json")
            == ok("score", "compare", books["score112"], books["score113"], "--labels", "112,113",
                  "--json"))
