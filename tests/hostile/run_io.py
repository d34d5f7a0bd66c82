"""Child process for the hostile tests: open each file with the input gate, read every
sheet, and print one JSON line per file: {"path", "verdict", "code", "message", "first",
"errors", "seconds"}. Run under a memory limit by the parent, so a reader that tried to
allocate gigabytes shows up as a dead child, not a dead test run.

    python tests/hostile/run_io.py FILE…
"""

from __future__ import annotations

import json
import sys
import time

from toolkit.io.read import open_workbook
from toolkit.problems import SvcqError
from toolkit.values import is_error


def verdict(path: str) -> dict:
    started = time.perf_counter()
    out: dict = {"path": path}
    try:
        tables = list(open_workbook(path).tables())
    except SvcqError as exc:
        out.update(verdict="refuse", code=exc.problem.code, message=str(exc))
    else:
        first = tables[0].rows if tables else []
        out.update(verdict="read", first=[[str(v) for v in row[:4]] for row in first[:6]],
                   errors=sorted(f"{t.sheet}!{t.ref(r, c)}={v}" for t in tables
                                 for r, row in enumerate(t.rows) for c, v in enumerate(row) if is_error(v)))
    out["seconds"] = round(time.perf_counter() - started, 3)
    return out


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(json.dumps(verdict(path), ensure_ascii=False), flush=True)
