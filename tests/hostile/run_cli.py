"""Child process for the hostile tests: run several svcq commands in one interpreter (one
start-up per input instead of one per command) under the memory limit the parent set, and
print one JSON line per command: {"args", "code", "out", "err"}.

    python tests/hostile/run_cli.py '[["schedule", "status", "x.xlsx"], …]'
"""

from __future__ import annotations

import io
import json
import sys
import time
from contextlib import redirect_stderr, redirect_stdout

from toolkit.cli import main


def run(args: list[str]) -> dict:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    started = time.perf_counter()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return {"args": args, "code": code, "out": out.getvalue()[-2000:], "err": err.getvalue()[-2000:],
            "seconds": round(time.perf_counter() - started, 3)}


if __name__ == "__main__":
    for args in json.loads(sys.argv[1]):
        print(json.dumps(run(args), ensure_ascii=False), flush=True)
