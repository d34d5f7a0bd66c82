"""The commands every hostile input goes through."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

#: One per reader: status, collect (as a returned copy), tally, compute, cells set.
COMMANDS = ["schedule status", "schedule collect", "survey tally", "score compute", "cells set"]


def commands_for(path: Path, out: Path, master: Path) -> list[list[str]]:
    p = str(path)
    return [
        ["schedule", "status", p, "--as-of", "107-06"],
        ["schedule", "collect", str(master), p, "-o", str(out / "collect.xlsx")],
        ["survey", "tally", p, "-o", str(out / "tally.xlsx")],
        ["score", "compute", p, "-o", str(out / "score.xlsx")],
        ["cells", "set", p, "回覆!A1=1", "-o", str(out / "cells.xlsx")],
    ]


def run_every_command(cases: Mapping[str, Any], root: Path, master: Path,
                      run: Callable[[list[list[str]], Path], list[dict]]) -> dict[tuple[str, str], dict]:
    """Every command on a copy of every case (``run`` starts one child for all of them), keyed
    (case, command); (case, "files") says what stayed in the work and output folders and
    whether the input kept its bytes."""
    commands, keys = [], []
    for name, case in cases.items():
        work, out = root / name / "work", root / name / "out"
        work.mkdir(parents=True)
        out.mkdir()
        shutil.copy2(case.path, work / case.path.name)
        for command, args in zip(COMMANDS, commands_for(work / case.path.name, out, master), strict=True):
            commands.append(args)
            keys.append((name, command))
    results = run(commands, root)
    assert len(results) == len(commands)
    by_key = dict(zip(keys, results, strict=True))
    for name, case in cases.items():
        by_key[(name, "files")] = {
            "work": sorted(p.name for p in (root / name / "work").iterdir()),
            "out": sorted(p.name for p in (root / name / "out").iterdir()),
            "same": (root / name / "work" / case.path.name).read_bytes() == case.path.read_bytes()}
    return by_key
