"""Test helpers: run the CLI in-process exactly as the console script does."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def svcq(*args: str | Path) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Result(code, out.getvalue(), err.getvalue())


def new_master(folder: Path) -> Path:
    """A valid 107 control sheet of the sample plan (so collect reaches what a test feeds it)."""
    out = folder / "總表.xlsx"
    result = svcq("schedule", "new", Path(__file__).resolve().parents[1] / "samples/schedule/zhongzheng-107-plan.csv",
                  "--year", "107", "--office", "中正", "-o", out)
    assert result.code == 0, result.err
    return out


def files_in(folder: Path) -> list[str]:
    """Every file below ``folder`` (relative), to prove a failed command wrote nothing."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
