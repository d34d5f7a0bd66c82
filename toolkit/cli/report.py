"""``svcq report {schedule,survey,score} INPUT... [--param k=v] -o report.html``."""

from __future__ import annotations

from pathlib import Path

import click

import toolkit as svcq
from toolkit.cli.common import inputs_argument, output_option
from toolkit.families import REPORTS


@click.command("report")
@click.argument("kind", type=click.Choice(sorted(REPORTS)))
@inputs_argument("inputs")
@click.option("-p", "--param", "params", multiple=True, metavar="名稱=值",
              help="notebook 參數，可重複（例：--param as_of=107-06 --param office=中正所）")
@output_option(help="輸出的 HTML 報告（例：進度報告.html）", formats=("html", "htm"))
def command(kind: str, inputs: tuple[Path, ...], params: tuple[str, ...], output: Path) -> None:
    """由 notebook 產生自成一檔、無障礙的繁體中文 HTML 報告（可直接列印 A4）。

    \b
    schedule  工作計畫進度（輸入：已彙整的作業時程管制表；參數 as_of=107-06）
    survey    滿意度調查分析（輸入：一或多年的回覆，113=回覆.xlsx；最後一個為本年度）
    score     自評評分（輸入：[去年自評表] 今年自評表，可寫成 113=自評.xlsx）

    \b
    例：svcq report schedule 管制表.xlsx --param as_of=107-06 -o 進度報告.html
        svcq report survey 112=回覆112.xlsx 113=回覆113.xlsx -o 滿意度報告.html
    """
    from toolkit.reports.notebook import parse_param

    values = dict(parse_param(p) for p in params)
    svcq.render_report(kind, [str(i) for i in inputs], values, output)
    click.echo(f"已寫出 {output}")
