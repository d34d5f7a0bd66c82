from __future__ import annotations

from pathlib import Path

import click

import toolkit as svcq


@click.command("demo")
@click.option("-o", "--output", "outdir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("svcq-demo"), show_default=True, help="輸出資料夾")
@click.option("--samples", type=click.Path(path_type=Path, file_okay=False, exists=True),
              default=None, help="範例資料夾（預設為 svcq 附帶的範例資料）")
def command(outdir: Path, samples: Path | None) -> None:
    """以附帶的範例資料示範整個流程：管制表建立、分送、彙整、進度；滿意度統計與趨勢；
    自評計分；各份 HTML 報告與 index.html。在任何資料夾都可執行。"""
    ctx = svcq.run_demo(outdir, samples, say=click.echo)
    click.echo(f"完成：共寫出 {len(ctx.artifacts)} 個檔案，請開啟 {outdir / 'index.html'}")
