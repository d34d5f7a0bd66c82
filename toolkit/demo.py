"""``svcq demo``: the whole pipeline on samples/, as a user would run it month by month.

The steps are: the blank templates, each family's own step (``toolkit.<family>.demo.run``,
in the order of ``toolkit.families.FAMILIES``), the sample county form filled from their
results (``toolkit.forms.demo``), then every report the families' steps asked for
(``report_jobs``) and ``out/index.html`` linking all the files written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.families import FAMILIES
from toolkit.frames import frame
from toolkit.shipped import shipped

if TYPE_CHECKING:
    import pandas as pd


def default_samples() -> Path:
    """The sample data shipped with svcq (samples/ of the repository, toolkit/samples in a wheel)."""
    return shipped("samples")


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

    def to_dict(self) -> dict[str, Any]:
        return {"output": str(self.out), "files": [{"title": t, "path": str(p)} for t, p in self.artifacts]}

    def to_pandas(self) -> pd.DataFrame:
        return frame(self.to_dict()["files"], ["title", "path"])


@dataclass(frozen=True)
class ReportJob:
    """A report a family's demo step asks for: ``svcq report <kind> <inputs> --param …``."""

    title: str
    kind: str
    inputs: list[str]
    params: dict[str, Any]


def _templates(ctx: DemoContext) -> None:
    import toolkit as svcq

    for path in svcq.write_templates(ctx.out / "templates"):
        ctx.wrote(f"空白範本：{path.name}", path)


def _reports(ctx: DemoContext) -> None:
    import toolkit as svcq
    from toolkit.reports.index import write_index

    out = ctx.out / "reports"
    for f in FAMILIES:
        for job in f.module("demo").report_jobs(ctx):
            ctx.say(f"    執行 {job.title}…")
            ctx.wrote(f"HTML 報告：{job.title}",
                      svcq.render_report(job.kind, job.inputs, job.params, out / f"{job.title}.html"))
    ctx.wrote("成果總覽：index.html", write_index(ctx.out, ctx.artifacts))


def steps() -> list[tuple[str, Callable[[DemoContext], None]]]:
    from toolkit.forms import demo as forms_demo  # fills a county form from the families' results

    return [("空白範本", _templates),
            *[(f.title, f.module("demo").run) for f in FAMILIES],
            ("填寫表單", forms_demo.run),
            ("HTML 報告", _reports)]


def run_demo(out: Path, samples: Path | None = None, say: Callable[[str], None] = print) -> DemoContext:
    ctx = DemoContext(samples or default_samples(), Path(out), say)
    ctx.out.mkdir(parents=True, exist_ok=True)
    todo = steps()
    for n, (title, step) in enumerate(todo, 1):
        started = time.perf_counter()
        say(f"[{n}/{len(todo)}] {title}…")
        step(ctx)
        say(f"      完成（{time.perf_counter() - started:.1f} 秒）")
    return ctx
