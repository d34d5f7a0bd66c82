from __future__ import annotations

from pathlib import Path

import click

from toolkit.demo import default_samples, run_demo


@click.command("demo")
@click.option("-o", "--output", "outdir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("out"), show_default=True, help="輸出資料夾")
@click.option("--samples", type=click.Path(path_type=Path, file_okay=False, exists=True),
              default=None, help="範例資料夾（預設為專案的 samples/）")
def command(outdir: Path, samples: Path | None) -> None:
    """以 samples/ 示範整個流程：管制表建立、分送、彙整、進度；滿意度統計與趨勢；
    自評計分；各份 HTML 報告與 index.html。"""
    ctx = run_demo(outdir, samples or default_samples(), say=click.echo)
    click.echo(f"完成：共寫出 {len(ctx.artifacts)} 個檔案，請開啟 {outdir / 'index.html'}")
