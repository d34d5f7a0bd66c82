"""``svcq schedule``: new → split → collect → status, each one call of the front door."""

from __future__ import annotations

from pathlib import Path

import click

import toolkit as svcq
from toolkit.cli.common import INPUT, echo_json, in_place_option, json_option, output_option
from toolkit.roc import ROC_OFFSET, RocDateError, YearMonth, parse_year_month, to_gregorian_year
from toolkit.text import clean_text


@click.group("schedule")
def command() -> None:
    """作業時程管制表：建立、分送各課室、彙整回收、進度狀態。

    \b
    每月流程：
      svcq schedule new 計畫清單.csv --year 107 --office 臺北市中正區戶政事務所 -o 管制表.xlsx
      svcq schedule split 管制表.xlsx -o 分送/
      （各課室在「實際」列標記月份、填完成度與落後原因後交回）
      svcq schedule collect 管制表.xlsx 回收/*.xlsx -o 管制表-6月.xlsx
      svcq schedule status 管制表-6月.xlsx --as-of 107年6月
    """


def _year(ctx: click.Context, param: click.Parameter, value: str) -> int:
    text = clean_text(value).removeprefix("民國").removesuffix("年度").removesuffix("年")
    try:
        return to_gregorian_year(int(text)) - ROC_OFFSET
    except (ValueError, RocDateError):
        raise click.BadParameter(f"「{value}」不是年度（例：107 或 2018）") from None


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> YearMonth | None:
    if value is None:
        return None  # this month
    try:
        return parse_year_month(value)
    except RocDateError as exc:
        raise click.BadParameter(str(exc)) from None


@command.command("new")
@click.argument("plan", type=INPUT)
@click.option("--year", required=True, callback=_year, help="民國年度，例：107")
@click.option("--office", required=True, help="機關名稱，例：臺北市中正區戶政事務所")
@output_option()
def new_command(plan: Path, year: int, office: str, output: Path) -> None:
    """由計畫清單（CSV/xlsx：編號、計畫項目、承辦單位、工作內容、預定月份）建立管制表。

    預定月份可寫 1-3,6、1,2,3、3月、6月、全年、每月、上半年，全形數字亦可。
    """
    sheet = svcq.new_schedule(plan, year=year, office=clean_text(office), output=output)
    tasks = sheet.plan
    click.echo(f"已寫出 {output}（{len(tasks.items())} 項計畫、{len(tasks.tasks)} 項工作、"
               f"{len(tasks.units)} 個承辦單位）")


@command.command("split")
@click.argument("master", type=INPUT)
@click.option("-o", "--output", "outdir", type=click.Path(path_type=Path, file_okay=False),
              required=True, help="輸出資料夾（每個承辦單位一個檔）")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "ods"]), default="xlsx", show_default=True,
              help="分送檔格式（ods 需 LibreOffice）")
def split_command(master: Path, outdir: Path, fmt: str) -> None:
    """依承辦單位分檔：每個課室一份只含自己工作的管制表，檔名為單位名稱。"""
    for path in svcq.split_schedule(master, outdir, format=fmt).files:
        click.echo(f"已寫出 {path}")


@command.command("collect")
@click.argument("master", type=INPUT)
@click.argument("returned", nargs=-1, required=True, type=INPUT)
@output_option(required=False, help="彙整後的輸出檔（.xlsx）")
@in_place_option
@json_option
def collect_command(master: Path, returned: tuple[Path, ...], output: Path | None, in_place: bool,
                    as_json: bool) -> None:
    """彙整各課室交回的管制表（.xlsx/.xls/.ods）：只採用各單位自己工作的實際月份、完成度、
    落後原因及因應對策、備註；其餘修改列為衝突、不套用。總表的圖表、圖片、註解原樣保留。"""
    if output is not None and in_place:
        raise click.UsageError("-o 與 --in-place 只能擇一")
    if output is None and not in_place:
        raise click.UsageError("請以 -o 指定彙整後的輸出檔，或加上 --in-place 直接更新總表（會先留備份）")
    result = svcq.collect_schedule(master, returned, output, in_place=in_place)
    if as_json:
        echo_json(result.to_dict())
        return
    for line in result.summary_lines():
        click.echo(line)
    if result.conflicts:
        click.echo(f"衝突（{len(result.conflicts)} 項，未套用）：", err=True)
        for conflict in result.conflicts[:50]:
            click.echo(f"  - {conflict}", err=True)
        if len(result.conflicts) > 50:
            click.echo(f"  …還有 {len(result.conflicts) - 50} 項（見「彙整紀錄」工作表）", err=True)
    if result.backup:
        click.echo(f"原檔備份：{result.backup}")
    click.echo(f"已寫出 {result.dst}（採用 {len(result.taken)} 項，明細見「彙整紀錄」工作表）")


@command.command("status")
@click.argument("file", type=INPUT)
@click.option("--as-of", "as_of", callback=_as_of, default=None,
              help="統計至哪個月，例：107-06 或 107年6月（預設本月）")
@json_option
def status_command(file: Path, as_of: YearMonth | None, as_json: bool) -> None:
    """各工作截至某月的狀態：落後、進行中、未到期、已完成（落後者列在最前）。"""
    report = svcq.schedule_status(file, as_of)
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.to_text())
