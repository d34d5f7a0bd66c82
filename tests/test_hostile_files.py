"""Issue 16: files from other programs, fuzzed files and small files that cost gigabytes.

Every input of tests/hostile/corpus16.py is read by the input gate and given to five
commands in child processes under ``prlimit --as=3G`` (RLIMIT_AS where prlimit is absent)
and a timeout: a reader that allocates gigabytes or a Rust abort shows up as a dead child
named here, not as a dead test run. Each command must finish in seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hostile.commands import COMMANDS, run_every_command
from hostile.corpus16 import Case, build

REPO = Path(__file__).resolve().parents[1]
ADDRESS_SPACE = 3 * 1024**3
TIMEOUT = 240  # seconds for one child (every file or every command), start-up included
PER_FILE_SECONDS = 10  # reading one small hostile file
PER_COMMAND_SECONDS = 30  # one command on one small hostile file (CI machines are slow)
def limited(cmd: list[str]) -> tuple[list[str], object]:
    """``cmd`` under an address-space limit of 3 GiB: prlimit(1) if installed, else setrlimit."""
    prlimit = shutil.which("prlimit")
    if prlimit:
        return [prlimit, f"--as={ADDRESS_SPACE}", "--", *cmd], None

    def preexec() -> None:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    return cmd, preexec


def run_child(script: str, args: list[str], cwd: Path) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if k != "SVCQ_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(REPO / "tests")])
    cmd, preexec = limited([sys.executable, str(REPO / "tests/hostile" / script), *args])
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd, env=env,
                          preexec_fn=preexec)
    done = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert proc.returncode == 0, (f"child died ({proc.returncode}) after {len(done)} items:\n"
                                  f"{proc.stderr[-3000:]}")
    return done


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Case]:
    return {c.name: c for c in build(tmp_path_factory.mktemp("corpus16"))}


@pytest.fixture(scope="module")
def io_verdicts(corpus, tmp_path_factory) -> dict[str, dict]:
    results = run_child("run_io.py", [str(c.path) for c in corpus.values()], tmp_path_factory.mktemp("io"))
    by_path = {r["path"]: r for r in results}
    return {name: by_path[str(case.path)] for name, case in corpus.items()}


@pytest.fixture(scope="module")
def cli_results(corpus, plan_master, tmp_path_factory) -> dict[tuple[str, str], dict]:
    return run_every_command(corpus, tmp_path_factory.mktemp("cli16"), plan_master,
                             lambda commands, root: run_child("run_cli.py", [json.dumps(commands)], root))


def names() -> list[str]:
    return [c.name for c in build_names()]


def build_names() -> list[Case]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return build(Path(folder))


CASE_NAMES = names()


# -- the input gate ---------------------------------------------------------------------

@pytest.mark.parametrize("name", CASE_NAMES)
def test_input_gate_verdict(corpus, io_verdicts, name):
    case, got = corpus[name], io_verdicts[name]
    assert got["seconds"] < PER_FILE_SECONDS, got
    if case.expect == "refuse":
        assert got["verdict"] == "refuse", got
        assert got["code"] == case.code, got
        assert case.path.name in got["message"]
    else:
        assert got["verdict"] == "read" or name == "xls-bit-flips", got


@pytest.mark.parametrize(("name", "first"), [
    ("xls", [["性別", "1.服務態度"], ["男", "非常滿意"], ["女", "滿意"], ["女", "普通"], ["男", "#DIV/0!"]]),
    ("single-quotes", [["性別", "1.服務態度"], ["男", "非常滿意"], ["女", "滿意"], ["女", "普通"]]),
    ("spreadsheetml-2003", [["性別", "1.服務態度"], ["男", "非常滿意"], ["女", "滿意"], ["女", "普通"]]),
    ("html-table", [["性別", "1.服務態度"], ["男", "非常滿意"], ["女", "滿意"], ["女", "普通"]]),
    ("no-content-types", [["性別", "1.服務態度", "2.等候時間"], ["男", "非常滿意", "滿意"], ["女", "滿意", "普通"],
                          ["女", "普通", "非常滿意"]]),
])
def test_what_was_read(io_verdicts, name, first):
    assert io_verdicts[name]["first"] == first


@pytest.mark.parametrize(("name", "errors"), [
    ("xls", ["回覆!B5=#DIV/0!"]),
    ("error-cells", ["回覆!B5=#DIV/0!"]),
    ("ods-error-cells", ["回覆!B2=#DIV/0!"]),
])
def test_error_cells_are_errors_not_blanks(io_verdicts, name, errors):
    assert io_verdicts[name]["errors"] == errors


def test_markup_never_becomes_cell_values(io_verdicts):
    for name in ("spreadsheetml-2003", "html-table"):
        assert not any("<" in v for row in io_verdicts[name]["first"] for v in row)


# -- the commands -------------------------------------------------------------------------

def expectation(case: Case, command: str) -> tuple[str, str]:
    if command == "cells set" and case.patch:
        verdict, _, code = case.patch.partition(":")
        return verdict, code
    return case.expect, case.code


@pytest.mark.parametrize(("name", "command"), [(n, c) for n in CASE_NAMES for c in COMMANDS])
def test_command_on_issue16_input(corpus, cli_results, name, command):
    case = corpus[name]
    r = cli_results[(name, command)]
    assert "Traceback" not in r["err"] + r["out"]
    assert r["code"] != 3, f"internal error\n{r['err']}"
    assert r["seconds"] < PER_COMMAND_SECONDS, r
    verdict, _ = expectation(case, command)
    if verdict == "refuse":
        assert r["code"] == 2, f"exit {r['code']}\n{r['err'][:1500]}"
        assert case.path.name in r["err"], r["err"]
        assert len(r["err"].strip().splitlines()) == 1 and "錯誤：" in r["err"], r["err"]
    else:
        assert r["code"] in (0, 1, 2), r
    if r["code"] != 0 and "-o" in r["args"]:
        assert not Path(r["args"][r["args"].index("-o") + 1]).exists()


@pytest.mark.parametrize("name", CASE_NAMES)
def test_inputs_untouched(cli_results, corpus, name):
    files = cli_results[(name, "files")]
    assert files["same"] and files["work"] == [corpus[name].path.name]


def test_cells_set_into_single_quoted_xml_reads_back(corpus, tmp_path):
    """Item 6: r='1' kept, no second r, the row where it was; Excel's and openpyxl's view agree."""
    import openpyxl

    from toolkit.io.patch import patch_cells
    from toolkit.io.read import read_table

    out = tmp_path / "out.xlsx"
    patch_cells(corpus["single-quotes"].path, {"回覆!C1": "新欄", "回覆!C3": 5, "回覆!A6": "新列"}, out)
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert xml.count("<row r='1'") == 1 and 'r="1"' not in xml
    ws = openpyxl.load_workbook(out)["回覆"]
    assert [[c.value for c in row] for row in ws.iter_rows(max_col=3)] == [
        ["性別", "1.服務態度", "新欄"], ["男", "非常滿意", None], ["女", "滿意", 5], ["女", "普通", None],
        [None, None, None], ["新列", None, None]]
    assert read_table(out).rows[2] == ["女", "滿意", 5.0]


def test_single_quoted_merge_is_still_refused(corpus, tmp_path):
    from toolkit.io.patch import patch_cells
    from toolkit.problems import ProblemsFound

    with pytest.raises(ProblemsFound) as info:
        patch_cells(corpus["single-quotes"].path, {"回覆!E2": 1}, tmp_path / "o.xlsx")
    assert [p.code for p in info.value.problems] == ["merged-cell"]
