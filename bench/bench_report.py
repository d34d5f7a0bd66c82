"""End-to-end report time: ``svcq report`` (papermill + nbconvert in one process) against
what a user would otherwise run, ``papermill`` then ``jupyter nbconvert --to html`` (two
command-line starts, the same notebook and inputs). Target: each report ≤ 3 s."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import machine, report

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAMPLES = REPO / "samples"
TARGET = 3.0

JOBS: dict[str, tuple[list[str], list[str]]] = {
    "schedule": ([str(SAMPLES / "schedule" / "returned" / "戶籍登記課.xlsx")],
                 ["-p", "as_of=107-06"]),
    "survey": ([str(SAMPLES / "survey" / f"滿意度調查-{y}.xlsx") for y in (112, 113)],
               ["-p", f"questionnaire={SAMPLES / 'survey' / 'questionnaire.yaml'}"]),
    "score": ([str(SAMPLES / "score" / f"自評表-{y}.xlsx") for y in (112, 113)], []),
}


def _wall(cmd: list[str], repeat: int = 2) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=REPO)
        best = min(best, time.perf_counter() - started)
    return best


def _baseline(kind: str, inputs: list[str], params: list[str], out: Path) -> list[list[str]]:
    from toolkit.families import REPORTS
    from toolkit.reports.notebook import notebook_path

    executed = out / f"{kind}-executed.ipynb"
    pm = [str(BIN / "papermill"), "-k", "python3", "--no-progress-bar", "--cwd",
          str(notebook_path(kind).parent), str(notebook_path(kind)), str(executed),
          "-y", "inputs: [" + ", ".join(f'"{i}"' for i in inputs) + "]"]
    for flag, kv in zip(params[::2], params[1::2], strict=True):
        pm += ["-p", *kv.split("=", 1)] if flag == "-p" else []
    nbc = [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed),
           "--output", str(out / f"{REPORTS[kind].notebook}.html")]
    return [pm, nbc]


def main() -> None:
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        worst = 0.0
        for kind, (inputs, params) in JOBS.items():
            ours = _wall([str(BIN / "svcq"), "report", kind, *inputs, *params,
                          "-o", str(out / f"{kind}.html")])
            steps = _baseline(kind, inputs, params, out)
            started = time.perf_counter()
            for cmd in steps:
                subprocess.run(cmd, check=True, capture_output=True, cwd=REPO)
            theirs = time.perf_counter() - started
            size = (out / f"{kind}.html").stat().st_size / 1024
            report(f"report {kind}", ours, theirs, baseline="papermill + jupyter nbconvert",
                   extra=f"({size:.0f} KB HTML; target ≤ {TARGET:g} s: "
                         f"{'ok' if ours <= TARGET else 'MISSED'})")
            worst = max(worst, ours)
        print(f"slowest report end to end: {worst:.2f} s (target ≤ {TARGET:g} s)")


if __name__ == "__main__":
    main()
