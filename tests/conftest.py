"""Shared fixtures. Oracles (LibreOffice, Chromium) skip with a reason where absent, and fail
instead when SVCQ_REQUIRE_ORACLES is set (CI installs them, so there they always run)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/helpers.py
# Every problem code raised while testing must be declared in toolkit/catalogue.py (also in
# the child processes the hostile-input tests start, which inherit the environment).
os.environ["SVCQ_STRICT_CODES"] = "1"

from toolkit.io.libreoffice import soffice

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: axe-core comes from npm (`make test` runs `npm ci` when npm exists).
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def _missing(what: str) -> None:
    if os.environ.get("SVCQ_REQUIRE_ORACLES"):
        pytest.fail(f"{what} is required here (SVCQ_REQUIRE_ORACLES is set) but not installed")
    pytest.skip(f"{what} not installed")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("libreoffice") and soffice() is None:
        _missing("LibreOffice (soffice)")
    if item.get_closest_marker("browser"):
        if CHROMIUM is None:
            _missing("Debian chromium")
        try:
            import playwright  # noqa: F401
        except ImportError:
            _missing("playwright (pip)")
    if item.get_closest_marker("axe") and not AXE.is_file():
        _missing("axe-core (run `npm ci`)")


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def samples() -> Path:
    return REPO / "samples"


@pytest.fixture(scope="module")
def plan_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid 107 control sheet of the sample plan, so `schedule collect` reaches the file a
    test feeds it as a returned copy."""
    from helpers import new_master

    return new_master(tmp_path_factory.mktemp("master"))


@pytest.fixture(scope="session")
def demo_books(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every workbook ``svcq demo`` writes (its HTML reports left out), the rubric and 代碼表
    templates, and the merged master collected into a second time (its log appended to):
    the workbooks the print and Excel-habit checks measure."""
    import toolkit as svcq
    from toolkit.demo import DemoContext, steps

    out = tmp_path_factory.mktemp("demo")
    ctx = DemoContext(REPO / "samples", out, say=lambda _: None)
    for title, step in steps():
        if title != "HTML 報告":
            step(ctx)
    svcq.rubric_template(out / "評分標準-範本.xlsx")
    svcq.codebook_template(out / "代碼表-範本.xlsx")
    svcq.collect_schedule(ctx.files["schedule_merged"], sorted((REPO / "samples/schedule/returned").glob("*.xlsx")),
                          out / "管制表-再彙整.xlsx")
    return sorted(out.rglob("*.xlsx"))
