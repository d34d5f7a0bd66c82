"""The project's own fuzzing (issue 16): a bounded mutation loop over svcq's samples and
generated .xls/.ods/CSV/HTML/SpreadsheetML files, in a child process under a 3 GiB
address-space limit, within the normal test run.

The seed is random and printed; replay a failure with

    SVCQ_FUZZ_SEED=<seed> pytest tests/test_fuzz.py
    python tests/hostile/fuzz.py --seed <seed> --only <attempt> --work /tmp/fz   # one mutant

``SVCQ_FUZZ_SECONDS`` (default 20) sets the time spent mutating; the test as a whole stays
under 60 s.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from test_hostile_files import limited

REPO = Path(__file__).resolve().parents[1]


def test_mutants_are_read_or_refused_never_crash(tmp_path, capsys):
    seed = int(os.environ.get("SVCQ_FUZZ_SEED") or random.SystemRandom().randrange(2**31))
    seconds = float(os.environ.get("SVCQ_FUZZ_SECONDS", "20"))
    with capsys.disabled():
        print(f"\n[fuzz] seed={seed} seconds={seconds:g} (replay: SVCQ_FUZZ_SEED={seed})", flush=True)
    env = {k: v for k, v in os.environ.items() if k != "SVCQ_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(REPO / "tests")])
    cmd, preexec = limited([sys.executable, str(REPO / "tests/hostile/fuzz.py"), "--seed", str(seed),
                            "--seconds", str(seconds), "--work", str(tmp_path)])
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 35, cwd=tmp_path,
                              env=env, preexec_fn=preexec)
        out, code = proc.stdout, proc.returncode
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        code = "timeout"
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    tries = [x for x in lines if "try" in x]
    failures = [x for x in lines if "failure" in x]
    last = tries[-1] if tries else None
    assert code != "timeout", f"seed {seed}: attempt {last} did not finish (a hang)"
    assert not failures, f"seed {seed}: " + json.dumps(failures[:3], ensure_ascii=False, indent=1)
    assert code == 0, (f"seed {seed}: the fuzzer died ({code}) on attempt {last}; replay with "
                       f"--seed {seed} --only {last['try'] if last else '?'}\n{proc.stderr[-2000:]}")
    summary = lines[-1]
    assert summary["seed"] == seed and summary["done"] > 50, summary  # it really ran
