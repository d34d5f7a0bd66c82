from __future__ import annotations

from pathlib import Path

import click

import toolkit as svcq
from toolkit.templates import TEMPLATES


@click.command("template")
@click.argument("kinds", nargs=-1, type=click.Choice(sorted(TEMPLATES)))
@click.option("-o", "--output", "outdir", type=click.Path(path_type=Path, file_okay=False),
              required=True, help="輸出資料夾")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "ods"]), default="xlsx", show_default=True,
              help="檔案格式（ods 需 LibreOffice）")
def command(kinds: tuple[str, ...], outdir: Path, fmt: str) -> None:
    """寫出空白標準表格：schedule（作業時程管制表）、survey（滿意度調查）、score（自評表）。

    不指定種類時全部寫出。例：svcq template schedule -o 範本/
    """
    for path in svcq.write_templates(outdir, kinds, format=fmt):
        click.echo(f"已寫出 {path}")
