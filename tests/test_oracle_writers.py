"""LibreOffice as the oracle for every kind of workbook svcq writes, through the CLI.

One module fixture runs the real commands on samples/ (.xlsx, and .ods via ``-o x.ods`` /
``--format ods``); the .ods conversions share one LibreOffice run (``ods_batch``) and the
oracle re-saves everything in one more run, so the module stays fast."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import svcq
from oracle import compare_cells, compare_layout, read_cells, recalc_and_compare_many

from toolkit.io.ods import read_ods
from toolkit.io.xlsx import ods_batch
from toolkit.score.rubric_files import load_rubric
from toolkit.score.sheets import write_sheet

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SURVEY = SAMPLES / "survey"
PLAN = SAMPLES / "schedule" / "zhongzheng-107-plan.csv"
RETURNED = sorted((SAMPLES / "schedule" / "returned").glob("*.xlsx"))
#: every workbook kind written both ways: name → svcq arguments after the output
KINDS = {
    "管制表": ["schedule", "new", PLAN, "--year", "107", "--office", "臺北市中正區戶政事務所"],
    "統計": ["survey", "tally", SURVEY / "滿意度調查-113.xlsx", "-q", SURVEY / "questionnaire.yaml",
           "--by", "性別"],
    "按鈕統計": ["survey", "tally", SURVEY / "評分按鈕月統計-113.xlsx", "--counts"],
    "趨勢": ["survey", "trend", f"111={SURVEY / '滿意度調查-111.csv'}",
           f"112={SURVEY / '滿意度調查-112.xlsx'}", f"113={SURVEY / '滿意度調查-113.xlsx'}",
           "-q", SURVEY / "questionnaire.yaml"],
    "票選": ["survey", "votes", SURVEY / "最佳禮儀服務人員票選-113.xlsx"],
    "自評表": ["score", "new", "--office", "澎湖縣馬公市戶政事務所", "--year", "113"],
    "電話禮貌測試": ["score", "new", "--rubric", "phone-courtesy", "--calls", "6"],
    "計分結果": ["score", "compute", "{filled}"],
    "比較": ["score", "compare", "{filled112}", "{filled}", "--labels", "112,113"],
}


def run(*args: object) -> None:
    result = svcq(*map(str, args))
    assert result.code == 0, f"svcq {' '.join(map(str, args))}\n{result.err}"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("writers")
    rubric = load_rubric("penghu-107")
    scores = {leaf.name: leaf.points * 0.75 for leaf in rubric.leaves}
    filled = write_sheet(d / "自評表-113.xlsx", rubric, office="澎湖縣馬公市戶政事務所", year="113",
                         scores={"自評分數": scores})
    filled112 = write_sheet(d / "自評表-112.xlsx", rubric, year="112",
                            scores={"自評分數": {k: round(v * 0.8, 1) for k, v in scores.items()}})
    given = {"{filled}": str(filled), "{filled112}": str(filled112)}
    with ods_batch():  # every .ods below converts in one LibreOffice run
        for ext in ("xlsx", "ods"):
            for name, args in KINDS.items():
                args = [given.get(str(a), a) for a in args]
                run(*args, "-o", d / f"{name}.{ext}")
            run("template", "-o", d / f"範本-{ext}", "--format", ext)
    run("schedule", "split", d / "管制表.xlsx", "-o", d / "分送")
    run("schedule", "collect", d / "管制表.xlsx", *RETURNED, "-o", d / "彙整.xlsx")
    return d


def pairs(out: Path) -> list[tuple[Path, Path]]:
    found = [(out / f"{n}.xlsx", out / f"{n}.ods") for n in KINDS]
    found += [(x, out / "範本-ods" / f"{x.stem}.ods") for x in sorted((out / "範本-xlsx").glob("*.xlsx"))]
    return found


def test_every_kind_was_written_both_ways(out: Path) -> None:
    kinds = pairs(out)
    assert len(kinds) == len(KINDS) + 3
    for xlsx, ods in kinds:
        assert xlsx.is_file() and ods.is_file(), (xlsx, ods)
        assert read_ods(ods).sheets, ods
    assert len(list((out / "分送").glob("*.xlsx"))) == 5


def test_libreoffice_recalculates_every_workbook_to_the_values_svcq_wrote(out: Path) -> None:
    files = [f for p in pairs(out) for f in p]
    # two of the five split copies: same writer, less LibreOffice time
    files += [*sorted((out / "分送").glob("*.xlsx"))[:2], out / "彙整.xlsx"]
    results = recalc_and_compare_many(files)  # one LibreOffice run
    problems = [str(m) for ms in results.values() for m in ms[:10]]
    assert not problems, "\n".join(problems)
    formulas = sum(1 for f in files for s in read_cells(f).values() for c in s.values() if c.formula)
    assert formulas > 100  # the oracle really checked computed cells


def test_ods_holds_the_same_cells_as_xlsx(out: Path) -> None:
    problems = [str(m) for xlsx, ods in pairs(out)
                for m in compare_cells(read_cells(xlsx), read_cells(ods), ods)[:10]]
    assert not problems, "\n".join(problems)


def test_ods_keeps_shading_merges_widths_formats_and_frozen_panes(out: Path) -> None:
    problems = [f"{ods.name}: {p}" for xlsx, ods in pairs(out) for p in compare_layout(xlsx, ods)[:10]]
    assert not problems, "\n".join(problems)


def test_control_sheet_ods_shades_planned_months(out: Path) -> None:
    doc = read_ods(out / "管制表.ods")
    sheet = doc.sheets[0]
    shaded = {rc for rc, style in sheet.styled.items()
              if doc.style_properties(style).get("fo:background-color", "transparent") != "transparent"}
    assert len(shaded) > 100 and len(sheet.merges) > 100


def test_collect_and_split_write_ods(out: Path, tmp_path: Path) -> None:
    """Write-back outputs go through the patch writer, then LibreOffice, keeping what was taken."""
    merged = tmp_path / "彙整.ods"
    result = svcq("schedule", "collect", str(out / "管制表.xlsx"), *map(str, RETURNED), "-o", str(merged))
    assert result.code == 0, result.err
    from toolkit.schedule.sheets import read_control_sheet

    from_xlsx = tmp_path / "彙整.xlsx"
    assert svcq("schedule", "collect", str(out / "管制表.xlsx"), *map(str, RETURNED), "-o", str(from_xlsx)).code == 0
    as_ods, as_xlsx = read_control_sheet(merged), read_control_sheet(from_xlsx)
    assert [t.actual for t in as_ods.tasks] == [t.actual for t in as_xlsx.tasks]
    assert any(t.actual for t in as_ods.tasks)
    split = svcq("schedule", "split", str(out / "管制表.xlsx"), "--format", "ods", "-o", str(tmp_path / "分送"))
    assert split.code == 0, split.err
    assert sorted(p.suffix for p in (tmp_path / "分送").iterdir()) == [".ods"] * len(as_xlsx.plan.units)
