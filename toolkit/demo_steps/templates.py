from __future__ import annotations

from toolkit.demo import DemoContext
from toolkit.io.templates import TEMPLATES, write_template


def run(ctx: DemoContext) -> None:
    for kind in sorted(TEMPLATES):
        ctx.wrote(f"空白範本：{TEMPLATES[kind][0]}", write_template(kind, ctx.out / "templates"))
