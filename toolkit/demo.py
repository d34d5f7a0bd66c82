"""``svcq demo``: the whole pipeline on samples/, as a user would run it month by month.

Each step is a function in its own module under ``toolkit.demo_steps`` taking a
``DemoContext`` and returning the files it wrote; ``run_demo`` runs them in order with a
progress line per step, and the report step writes ``out/index.html`` linking them all.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

STEPS: list[tuple[str, str]] = [
    ("空白範本", "toolkit.demo_steps.templates"),
    ("作業時程管制表", "toolkit.demo_steps.schedule"),
    ("滿意度調查", "toolkit.demo_steps.survey"),
    ("自評評分", "toolkit.demo_steps.score"),
    ("HTML 報告", "toolkit.demo_steps.reports"),
]


def default_samples() -> Path:
    return Path(__file__).resolve().parents[1] / "samples"


@dataclass
class DemoContext:
    samples: Path
    out: Path
    say: Callable[[str], None] = print
    #: (title, path) of everything written so far, for the index page.
    artifacts: list[tuple[str, Path]] = field(default_factory=list)
    #: JSON results of earlier steps, keyed by step, for the reports.
    results: dict[str, object] = field(default_factory=dict)
    #: Named files later steps build on (e.g. "schedule_merged"), so no step has to find
    #: another's output by its title.
    files: dict[str, Path] = field(default_factory=dict)

    def wrote(self, title: str, path: Path) -> Path:
        self.artifacts.append((title, path))
        self.say(f"    {path.relative_to(self.out) if path.is_relative_to(self.out) else path}")
        return path


def run_demo(out: Path, samples: Path | None = None, say: Callable[[str], None] = print) -> DemoContext:
    ctx = DemoContext(samples or default_samples(), Path(out), say)
    ctx.out.mkdir(parents=True, exist_ok=True)
    for n, (title, module) in enumerate(STEPS, 1):
        started = time.perf_counter()
        say(f"[{n}/{len(STEPS)}] {title}…")
        importlib.import_module(module).run(ctx)
        say(f"      完成（{time.perf_counter() - started:.1f} 秒）")
    return ctx
