"""``svcq schedule``: new → split → collect → status, each one call of the front door."""

from __future__ import annotations

from pathlib import Path

import click

import toolkit as svcq
from toolkit.cli.common import (
    INPUT,
    STDIO,
    TABLES,
    echo_json,
    in_place_option,
    inputs_argument,
    json_option,
    output_option,
    write_table,
)
from toolkit.problems import ProblemsFound
from toolkit.roc import ROC_OFFSET, RocDateError, YearMonth, parse_year_month, to_gregorian_year
from toolkit.text import clean_text


@click.group("schedule")
def command() -> None:
    """作業時程管制表：建立（或採用事務所自己的表）、分送各課室、彙整回收、進度狀態、下年度。

    \b
    每月流程：
      svcq schedule adopt 事務所自己的管制表.xlsx -o 管制表.xlsx   （或由計畫清單 schedule new）
      svcq schedule new 計畫清單.csv --year 107 --office 臺北市中正區戶政事務所 -o 管制表.xlsx
      svcq schedule split 管制表.xlsx -o 分送/
      （各課室在「實際」列標記月份、填完成度與落後原因後交回）
      svcq schedule collect 管制表.xlsx 回收/*.xlsx -o 管制表-6月.xlsx
      svcq schedule status 管制表-6月.xlsx --as-of 107年6月
      svcq schedule rollover 管制表-12月.xlsx --year 108 -o 108年管制表.xlsx   （年底）
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


def _year_or_none(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    return None if value is None else _year(ctx, param, value)


@command.command("new")
@click.argument("plan", type=INPUT)
@click.option("--year", required=True, callback=_year, help="民國年度，例：107")
@click.option("--office", help="機關名稱，例：臺北市中正區戶政事務所（由上年度管制表建立時可省略）")
@output_option()
def new_command(plan: Path, year: int, office: str | None, output: Path) -> None:
    """由計畫清單（CSV/xlsx：編號、計畫項目、承辦單位、工作內容、預定月份）或上年度的管制表
    （svcq 的或事務所自己的）建立管制表。

    預定月份可寫 1-3,6、1,2,3、3月、6月、全年、每月、上半年，全形數字亦可。由上年度管制表建立時，
    工作與預定月份照舊，實際、完成度、落後原因、備註清空，文字中的年度順延。
    """
    sheet = svcq.new_schedule(plan, year=year, office=clean_text(office) if office else None,
                              output=output)
    for note in sheet.notes:
        click.echo(note)
    tasks = sheet.plan
    click.echo(f"已寫出 {output}（{len(tasks.items())} 項計畫、{len(tasks.tasks)} 項工作、"
               f"{len(tasks.units)} 個承辦單位）")


@command.command("adopt")
@click.argument("sheet_file", metavar="SHEET", type=INPUT)
@output_option(required=False, help="寫出的標準管制表（.xlsx 或 .ods）")
@click.option("--year", callback=_year_or_none, help="民國年度（表上沒寫或寫錯時），例：107")
@click.option("--office", help="機關名稱（標題上沒寫時）")
@click.option("--unit", help="沒寫承辦單位的工作由此單位承辦（例：月別計畫表）")
@click.option("--marks", type=click.Choice(["預定", "實際"]),
              help="每項工作只有一列的表上，記號代表預定或實際（表上有圖例時不需要）")
@click.option("--sheet", "sheet_name", help="要讀的工作表（預設為第一個看起來像管制表的工作表）")
@click.option("--dry-run", is_flag=True, help="只顯示判讀結果，不寫出檔案")
@json_option
def adopt_command(sheet_file: Path, output: Path | None, year: int | None, office: str | None,
                  unit: str | None, marks: str | None, sheet_name: str | None, dry_run: bool,
                  as_json: bool) -> None:
    """採用事務所自己的作業時程管制表：判讀後寫出 svcq 的標準管制表。

    \b
    看得懂的寫法：
      標題列（機關與年度取自標題，例「臺北市中正區戶政事務所107年度…管制表」）；
      一到三列的欄名（可合併儲存格，例「預定作業時程／107年度／1…12」）；
      月份寫 1…12、1月…12月、一月…十二月；
      承辦單位在自己的欄，或寫在計畫項目後的括號內「(戶籍登記課)」；
      「各課」「戶籍登記、資料課」等共同辦理的單位；
      每項工作一列，或「預定／實際」兩列；
      預定月份以網底（任何非白色底色）或記號（■ ● ○ v ✓ 1…）標示；
      完成度、落後原因、備註欄；以及「月份｜推動計畫目標」的月別計畫表。
    先列出判讀結果（標題列、各欄、記號、各單位工作數、每項工作的月份），
    有疑義的儲存格全部列出（工作表!儲存格），並且不寫出任何檔案。
    """
    if output is None and not dry_run:
        raise click.UsageError("請以 -o 指定輸出檔，或加上 --dry-run 只看判讀結果")
    adoption = svcq.adopt_schedule(sheet_file, year=year, office=clean_text(office) if office else None,
                                   unit=clean_text(unit) if unit else None, marks=marks, sheet=sheet_name)
    if not as_json:
        for line in adoption.lines():
            click.echo(line)
    if adoption.problems:
        raise ProblemsFound(adoption.problems)
    if not dry_run:
        svcq.adopt_schedule(adoption, output=output)
    if as_json:
        echo_json(adoption.to_dict())
    elif not dry_run:
        plan = adoption.sheet.plan
        click.echo(f"已寫出 {output}（{len(plan.items())} 項計畫、{len(plan.tasks)} 項工作、"
                   f"{len(plan.units)} 個承辦單位）")


@command.command("rollover")
@click.argument("master", type=INPUT)
@click.option("--year", required=True, callback=_year, help="新的民國年度，例：108")
@click.option("--office", help="機關名稱（預設沿用原表）")
@click.option("--keep-texts", is_flag=True, help="不順延計畫項目、工作內容文字中的年度")
@output_option()
@json_option
def rollover_command(master: Path, year: int, office: str | None, keep_texts: bool, output: Path,
                     as_json: bool) -> None:
    """下年度的管制表：工作與預定月份照舊，標題與年度順延，實際、完成度、落後原因、備註清空。

    原表可以是 svcq 的管制表或事務所自己的表。計畫項目與工作內容中與原年度相鄰的年度
    （例「107年度清查人口作業」）一併順延，改了哪些都會列出；加 --keep-texts 則不改文字。
    """
    result = svcq.rollover_schedule(master, year=year, office=clean_text(office) if office else None,
                                    output=output, move_texts=not keep_texts)
    if as_json:
        echo_json(result.to_dict())
        return
    for renamed in result.renamed:
        click.echo(f"文字中的年度已順延：{renamed}")
    click.echo(f"已寫出 {output}（{result.sheet.office}{year}年度，{len(result.sheet.tasks)} 項工作，"
               "進度已清空）")


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
@inputs_argument("returned")
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
            click.echo(f"  - ［{conflict.title}］{conflict}", err=True)
        if len(result.conflicts) > 50:
            click.echo(f"  …還有 {len(result.conflicts) - 50} 項（見「彙整紀錄」工作表）", err=True)
    if result.backup:
        click.echo(f"原檔備份：{result.backup}")
    click.echo(f"已寫出 {result.dst}（採用 {len(result.taken)} 項，明細見「彙整紀錄」工作表）")


@command.command("status")
@inputs_argument("files")
@click.option("--as-of", "as_of", callback=_as_of, default=None,
              help="統計至哪個月，例：107-06 或 107年6月（預設本月）")
@json_option
@output_option(required=False, formats=TABLES, help="把各工作的狀態寫成 .csv 或 .json（- 為標準輸出）")
def status_command(files: tuple[Path, ...], as_of: YearMonth | None, as_json: bool, output: Path | None) -> None:
    """各工作截至某月的狀態：落後、進行中、未到期、已完成（落後者列在最前）。

    可一次給多個檔案（例如各課室交回的檔案，回收/*.xlsx），合併成一份報告。
    """
    report = svcq.schedule_status(files[0] if len(files) == 1 else files, as_of)
    if output is not None:
        write_table(report, output)
        if str(output) == STDIO:
            return
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.to_text())
