from __future__ import annotations

import importlib
import sys
from pathlib import Path

names = sys.argv[1:] or sorted(p.stem.removeprefix("bench_") for p in Path(__file__).parent.glob("bench_*.py"))
for name in names:
    print(f"== {name} ==", flush=True)
    importlib.import_module(f"bench.bench_{name}").main()
