"""The house a newcomer reads: one front door, families owning their sheets, a pure domain core,
the error catalogue with its generated page, and --json failures that parse as JSON."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import svcq

import toolkit
from toolkit.catalogue import CATALOGUE, markdown
from toolkit.families import FAMILIES

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
#: Libraries and modules that touch files; the domain core never imports them.
FILE_IO = {"openpyxl", "xlsxwriter", "python_calamine", "zipfile", "toolkit.io", "shutil", "tempfile"}


def touches_files(stem: str) -> bool:
    """The modules of a family allowed to read and write files (docs/architecture.md)."""
    return stem in {"api", "cli", "demo"} or stem.endswith(("view", "files")) or "sheet" in stem


def test_front_door_lists_the_verbs_and_they_resolve() -> None:
    assert toolkit.__all__[0] == "__version__"
    assert set(toolkit.__all__) - {"__version__"} == set(toolkit._EXPORTS)
    for name in toolkit._EXPORTS:
        assert callable(getattr(toolkit, name)), name
    for verb in ("new_schedule", "split_schedule", "collect_schedule", "schedule_status", "tally", "trend",
                 "votes", "compute_score", "merge_scores", "compare_scores", "read_cells", "patch_cells",
                 "render_report"):
        assert verb in toolkit.__all__


def test_import_toolkit_loads_no_verb_module() -> None:
    """`import toolkit` stays instant: the verbs load on first use."""
    code = ("import sys, toolkit; heavy = [m for m in ('toolkit.schedule.api', 'toolkit.survey.api', "
            "'pandas', 'scipy', 'xlsxwriter', 'python_calamine') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_results_have_to_dict_and_to_pandas(tmp_path: Path) -> None:
    status = toolkit.schedule_status(SAMPLES / "schedule/returned/戶籍登記課.xlsx", as_of="107年6月")
    frame = status.to_pandas()
    assert len(frame) == len(status.to_dict()["tasks"]) and "狀態" in frame.columns
    tally = toolkit.tally(SAMPLES / "survey/滿意度調查-112.xlsx", SAMPLES / "survey/questionnaire.yaml")
    rows = tally.to_pandas()
    assert list(rows["question"]) == [q["question"] for q in tally.to_dict()["questions"]]
    assert rows["satisfaction_rate"].tolist() == [q["satisfaction_rate"] for q in tally.to_dict()["questions"]]
    score = toolkit.compute_score(SAMPLES / "score/自評表-113.xlsx")
    assert score.to_pandas()["score"].sum() == pytest.approx(score.total)
    split = toolkit.split_schedule(SAMPLES / "schedule/returned/戶籍登記課.xlsx")
    assert split.files == [] and not list(tmp_path.iterdir()), "no output asked, nothing written"
    assert split.to_pandas()["unit"].tolist() == ["戶籍登記課"]


def test_verbs_write_only_when_given_a_path(tmp_path: Path) -> None:
    master = tmp_path / "管制表.xlsx"
    toolkit.new_schedule(SAMPLES / "schedule/zhongzheng-107-plan.csv", year=107, office="中正", output=master)
    before = sorted(tmp_path.iterdir())
    result = toolkit.collect_schedule(master, [SAMPLES / "schedule/returned/人事室.xlsx"])
    assert result.dst is None and result.taken, "a dry run still says what it would take"
    assert sorted(tmp_path.iterdir()) == before


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("family", [f.name for f in FAMILIES])
def test_family_domain_modules_touch_no_files(family: str) -> None:
    folder = REPO / "toolkit" / family
    pure = [p for p in folder.glob("*.py") if not touches_files(p.stem)]
    assert pure, "a family has a domain core"
    for path in pure:
        bad = {m for m in _imports(path) if any(m == io or m.startswith(io + ".") for io in FILE_IO)}
        assert not bad, f"{path.relative_to(REPO)} imports {bad}"
        assert "open(" not in path.read_text(encoding="utf-8").replace("open_", ""), path


@pytest.mark.parametrize("module", ["roc", "text", "problems", "catalogue", "families", "frames"])
def test_core_modules_touch_no_files(module: str) -> None:
    assert not {m for m in _imports(REPO / "toolkit" / f"{module}.py") if m.split(".")[0] in
                {"openpyxl", "xlsxwriter", "python_calamine", "zipfile"} or m.startswith("toolkit.io")}


@pytest.mark.parametrize("family", [f.name for f in FAMILIES])
def test_each_family_has_the_named_modules(family: str) -> None:
    folder = REPO / "toolkit" / family
    for part in ("sheets", "api", "cli", "demo"):
        assert (folder / f"{part}.py").is_file(), f"toolkit/{family}/{part}.py"
    demo = FAMILIES[[f.name for f in FAMILIES].index(family)].module("demo")
    assert callable(demo.run) and callable(demo.report_jobs)


def test_cli_and_notebooks_use_only_the_front_door() -> None:
    for path in [*(REPO / "toolkit").glob("*/cli.py"), *(REPO / "toolkit/cli").glob("*.py")]:
        for module in _imports(path):
            assert not module.endswith(".api"), f"{path.name} imports {module}: use `import toolkit`"
            assert not module.endswith(".sheets"), f"{path.name} imports {module}: use `import toolkit`"
    for nb in (REPO / "notebooks").glob("*.ipynb"):
        code = "\n".join("".join(c["source"]) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]
                         if c["cell_type"] == "code")
        assert re.findall(r"^\s*(?:from|import)\s+([\w.]+)", code, re.M) == ["toolkit"], nb.name


def test_docs_errors_page_is_generated_from_the_catalogue() -> None:
    committed = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    assert committed == markdown(), "docs/errors.md is stale: run `make docs`"


_CODE_SITES = re.compile(r'''(?:Problem\(\s*|code\s*=\s*|\.problem\([^,()]+,[^,()]+,\s*|row_problem\([^,()]+,\s*|'''
                         r'''Conflict\(\s*|problems\.append\(\(\s*[^,()]+(?:\([^)]*\))?,\s*)"([a-z]+(?:-[a-z0-9]+)*)"''')


def test_every_code_written_in_the_source_is_declared() -> None:
    """Besides the strict check at run time (conftest), a static pass over the source."""
    found = {m.group(1): path for path in (REPO / "toolkit").rglob("*.py")
             for m in _CODE_SITES.finditer(path.read_text(encoding="utf-8"))}
    assert len(found) > 60
    undeclared = {code: str(path.relative_to(REPO)) for code, path in found.items() if code not in CATALOGUE}
    assert undeclared == {}


def test_strict_codes_catch_an_undeclared_code() -> None:
    from toolkit.problems import Problem

    with pytest.raises(AssertionError, match="not declared"):
        Problem("no-such-code", "x")


@pytest.mark.parametrize("args, code", [
    (["schedule", "status", SAMPLES / "survey/questionnaire.yaml", "--json"], 2),
    (["survey", "tally", "no-such-file.xlsx", "--json"], 2),
    (["score", "compare", SAMPLES / "score/自評表-113.xlsx", SAMPLES / "score/自評表-113.xlsx", "--json"], 2),
    (["survey", "tally", SAMPLES / "survey/滿意度調查-113.xlsx", "--no-such-flag", "--json"], 2),
])
def test_json_failures_are_json_on_stdout(args: list, code: int) -> None:
    r = svcq(*args)
    assert r.code == code
    data = json.loads(r.out)
    assert data["ok"] is False and data["exit_code"] == code and data["problems"]
    assert set(data["problems"][0]) == {"code", "message", "file", "sheet", "cell"}
    assert data["problems"][0]["code"] in CATALOGUE
    assert r.err == ""


def test_click_speaks_chinese() -> None:
    r = svcq("survey", "tally", "--no-such-flag")
    assert r.code == 2 and "用法" in r.err and "錯誤" in r.err and "Usage" not in r.err
    assert "顯示此說明後結束" in svcq("--help").out


def test_every_package_ships_in_the_wheel() -> None:
    """pyproject lists packages by hand (samples/ and notebooks/ are mapped in): a new package
    that is not listed would be missing from `pip install .`."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "toolkit").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


@pytest.mark.parametrize("args", [["--help"], ["survey", "tally", "--help"], ["schedule", "status", "--help"],
                                  ["score", "compute", "--help"], ["cells", "get", "--help"]])
def test_help_loads_no_heavy_library(args: list[str]) -> None:
    """Start-up (bench/bench_startup.py measures it): a command's help never loads numpy,
    calamine, the Excel writers, pandas or matplotlib."""
    code = (f"import sys\nfrom toolkit.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "heavy = ('numpy', 'python_calamine', 'xlsxwriter', 'openpyxl', 'pandas', 'matplotlib', 'scipy')\n"
            "print([m for m in heavy if m in sys.modules], file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().splitlines()[-1] == "[]"
