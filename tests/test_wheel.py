"""A real package: the wheel, installed with plain pip into a fresh venv, runs `svcq demo` and
a report from an empty folder — samples, notebooks and report assets ship inside it."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh venv holding only the built wheel and its dependencies."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(REPO)],
                   check=True, capture_output=True)
    [wheel] = work.glob("svcq-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "-c", str(REPO / "constraints.txt"),
                    str(wheel)], check=True, capture_output=True, timeout=900)
    return bin_dir


def test_wheel_holds_samples_notebooks_and_assets(installed: Path) -> None:
    code = ("import toolkit, pathlib; p = pathlib.Path(toolkit.__file__).parent; "
            "print(sorted(str(f.relative_to(p)) for f in p.rglob('*') if f.suffix in "
            "('.ipynb', '.yaml', '.css', '.j2', '.csv') or 'samples' in f.parts))")
    out = subprocess.run([str(installed / "python"), "-c", code], capture_output=True, text=True,
                         check=True, cwd=installed).stdout
    for part in ("notebooks/schedule_status.ipynb", "samples/survey/questionnaire.yaml",
                 "samples/schedule/zhongzheng-107-plan.csv", "reports/templates/svcq/svcq.css",
                 "score/rubrics/penghu-107.yaml", "samples/forms/民政局考核填報表.xlsx"):
        assert part in out, part
    assert "make_samples.py" not in out and "site-packages" not in str(REPO)


def test_demo_and_report_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    demo = subprocess.run([str(installed / "svcq"), "demo"], cwd=tmp_path, capture_output=True, text=True,
                          env=env, timeout=600)
    assert demo.returncode == 0, demo.stderr
    index = tmp_path / "svcq-demo" / "index.html"
    assert index.is_file() and "工作計畫進度報告" in index.read_text(encoding="utf-8")
    assert len(list((tmp_path / "svcq-demo").rglob("*.html"))) >= 5
    assert (tmp_path / "svcq-demo" / "forms" / "民政局考核填報表-已填寫.xlsx").is_file()  # toolkit.forms ships
    sample = next((tmp_path / "svcq-demo" / "schedule").glob("管制表-*彙整.xlsx"))
    report = subprocess.run([str(installed / "svcq"), "report", "schedule", str(sample), "--param",
                             "as_of=107-06", "-o", "進度.html"], cwd=tmp_path, capture_output=True,
                            text=True, env=env, timeout=300)
    assert report.returncode == 0, report.stderr
    assert "落後工作項目" in (tmp_path / "進度.html").read_text(encoding="utf-8")
