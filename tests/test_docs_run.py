"""Docs that run: every ```python block of README.md and docs/*.md is executed, in a fresh
interpreter, in a folder holding a copy of samples/ (so its paths read as from the repository
root and what it writes lands in that folder's out/, not in the repository). Examples that are
not meant to run use another fence (```text, ```pycon)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)


def _blocks() -> list[tuple[str, str]]:
    out = []
    for page in PAGES:
        for n, m in enumerate(BLOCK.finditer(page.read_text(encoding="utf-8")), 1):
            out.append((f"{page.relative_to(REPO)}#{n}", m.group(1)))
    return out


BLOCKS = _blocks()


def test_there_are_examples_to_run() -> None:
    assert len(BLOCKS) >= 5


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs-root")
    shutil.copytree(REPO / "samples", folder / "samples")
    (folder / "out").mkdir()
    return folder


@pytest.mark.parametrize("where, code", BLOCKS, ids=[w for w, _ in BLOCKS])
def test_python_example_runs(root: Path, where: str, code: str) -> None:
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{where} failed:\n{proc.stderr[-3000:]}"
