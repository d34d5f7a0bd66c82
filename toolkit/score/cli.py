"""``svcq score``: rubrics → new → (each 課室 fills) → merge → compute → compare.

Thin: every command is one call of the front door (toolkit.compute_score, …).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

import toolkit as svcq
from toolkit.cli.common import (
    INPUT,
    TABLES,
    WORKBOOK,
    echo_json,
    echo_problems,
    inputs_argument,
    json_option,
    output_option,
    table_out,
    workbook,
)
from toolkit.problems import EXIT_PROBLEMS, ProblemsFound
from toolkit.text import clean_text

if TYPE_CHECKING:
    from toolkit.score import CallsResult, ScoreResult

RUBRIC_HELP = ("評分基準：內建代號（penghu-107、phone-courtesy）、縣市的評分標準表（.xlsx、.ods、.csv）"
               "或 .yaml 檔")


@click.group("score")
def command() -> None:
    """自評評分：評分表、計分、差距分析、比較。

    \b
    流程：
      svcq score rubrics                               列出內建評分基準
      svcq score new -o 自評表.xlsx                      寫出空白自評表（penghu-107）
      （各課室填寫負責項目的「自評分數」與「佐證資料」）
      svcq score merge 自評表.xlsx 戶籍課.xlsx 行政課.xlsx -o 自評表-彙整.xlsx
      svcq score compute 自評表-彙整.xlsx -o 計分結果.xlsx
      svcq score compare 自評表-112.xlsx 自評表-113.xlsx --labels 112,113
    \b
    縣市自己的評分標準（Excel 表）：
      svcq score rubric-template -o 評分標準.xlsx        寫出空白評分標準表（含說明）
      svcq score new --rubric 評分標準.xlsx --office 本所 --year 114 -o 自評表.xlsx
    \b
    電話禮貌測試：svcq score new --rubric phone-courtesy --calls 6 -o 電話禮貌測試.xlsx
    """


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


@command.command("rubrics")
@click.argument("files", type=INPUT, nargs=-1)
@json_option
def rubrics_command(files: tuple[Path, ...], as_json: bool) -> None:
    """列出內建的評分基準；給檔名時檢查並列出該評分標準表（.xlsx、.ods、.csv）或 .yaml 檔。

    \b
    例：svcq score rubrics
        svcq score rubrics 評分標準.xlsx      檢查配分、小計與總計，列出構面與計分項目
    """
    rubrics = [svcq.load_rubric(f) for f in files] if files else svcq.rubrics()
    if as_json:
        echo_json([r.to_dict() for r in rubrics])
        return
    for r in rubrics:
        click.echo(f"{r.name}　{r.title}（滿分 {_fmt(r.max)}，{len(r.leaves)} 個計分項目）")
        click.echo("    " + "、".join(f"{d.name} {_fmt(d.points)}" for d in r.dimensions))
        if r.bands:
            click.echo("    等第：" + "、".join(f"{b.label} ≥ {_fmt(b.min)}" for b in r.bands))
        if files:
            for leaf in r.leaves:
                click.echo(f"      {leaf.label}　{_fmt(leaf.points)}")


@command.command("rubric-template")
@output_option(help="空白評分標準表（.xlsx）")
def rubric_template_command(output: Path) -> None:
    """寫出空白的評分標準表：構面、項目、指標、配分、具體作法，另有「等第」與「說明」工作表。

    填好後以 --rubric 評分標準.xlsx 使用（score new、compute、merge、compare 皆可）。
    """
    svcq.rubric_template(output)
    click.echo(f"已寫出 {output}；填好後：svcq score new --rubric {output.name} -o 自評表.xlsx")


@command.command("new")
@click.option("--rubric", default="penghu-107", show_default=True, help=RUBRIC_HELP)
@click.option("--calls", type=click.IntRange(1, 60), default=None,
              help="測試次數：每通電話一欄分數（phone-courtesy 預設 5）")
@click.option("--office", default="", help="機關名稱（寫在表頭）")
@click.option("--year", default="", help="年度，例：113（寫在表頭，比較時作為標籤）")
@output_option()
def new_command(rubric: str, calls: int | None, office: str, year: str, output: Path) -> None:
    """寫出自評表：每個計分項目一列，含配分、小計、總分公式、輸入檢核與 A4 列印設定。"""
    sheet = svcq.new_score_sheet(output, rubric, calls=calls, office=clean_text(office), year=clean_text(year))
    what = f"{sheet.calls} 通測試" if sheet.calls else "自評分數一欄"
    click.echo(f"已寫出 {output}（{sheet.rubric.name}：{len(sheet.rubric.leaves)} 個計分項目，"
               f"滿分 {_fmt(sheet.rubric.max)}，{what}；評分基準已存在表內）")


@command.command("compute")
@click.argument("file", type=INPUT)
@click.option("--rubric", default=None, help=RUBRIC_HELP + "；預設依表上的「評分基準」")
@click.option("--sheet", default=None, help="工作表名稱（預設：第一個有自評表標題列的工作表）")
@click.option("--blank-as-zero", is_flag=True, help="空白分數以 0 分計算（否則列為問題）")
@json_option
@output_option(required=False, help="計分結果：活頁簿（總分、差距分析、構面長條圖），或各項目一列的 .csv、.json",
               formats=(*WORKBOOK, *TABLES))
def compute_command(file: Path, rubric: str | None, sheet: str | None, blank_as_zero: bool,
                    as_json: bool, output: Path | None) -> None:
    """計算自評總分、各構面得分率與差距分析（依失分排序）。有問題時列出並以代碼 1 結束。"""
    from toolkit.score.scoring import CallsResult

    result = svcq.compute_score(file, rubric, blank_as_zero=blank_as_zero, sheet=sheet, output=workbook(output))
    if as_json:  # problems and notes are in the JSON (one shape for every command)
        echo_json(result.to_dict())
        sys.exit(EXIT_PROBLEMS if result.problems else 0)
    if result.problems:
        raise ProblemsFound(result.problems)
    if table_out(result, output):
        return
    echo_problems(result.notes, title="注意")
    if isinstance(result, CallsResult):
        _echo_calls(result)
    else:
        _echo_result(result)
    if output is not None:
        click.echo(f"已寫出 {output}")


def _echo_result(result: ScoreResult) -> None:
    band = f"，等第 {result.band}" if result.band else ""
    click.echo(f"{result.label}　總分 {_fmt(result.total)} / {_fmt(result.max)}{band}")
    for d in result.dimensions:
        click.echo(f"  {d.name}：{_fmt(d.score)} / {_fmt(d.max)}（{d.share:.0%}）")
    if result.gaps:
        click.echo("失分最多的項目：")
        for s in result.gaps[:5]:
            click.echo(f"  {s.leaf.label}：失 {_fmt(s.lost)} 分（{_fmt(s.points)} / "
                       f"{_fmt(s.leaf.points)}）")
    if result.unscored:
        click.echo(f"未評分（以 0 分計）：{'、'.join(leaf.name for leaf in result.unscored)}")


def _echo_calls(result: CallsResult) -> None:
    for call in result.calls:
        band = f"　{call.band}" if call.band else ""
        click.echo(f"{call.label}：{_fmt(call.total)} / {_fmt(call.max)}{band}")
    band = f"，等第 {result.band}" if result.band else ""
    click.echo(f"平均 {_fmt(result.average)}（{len(result.calls)} 通）{band}")
    avg = result.average_result()
    if avg.gaps:
        click.echo("平均失分最多的項目：")
        for s in avg.gaps[:5]:
            click.echo(f"  {s.leaf.label}：平均失 {_fmt(s.lost)} 分")


@command.command("merge")
@click.argument("base", type=INPUT)
@inputs_argument("parts")
@click.option("--prefer", type=click.Choice(["error", "first", "last"]), default="error",
              show_default=True,
              help="同一項目各檔分數不同時：error 列為問題不寫出；first/last 採先／後列的檔案")
@click.option("--in-place", is_flag=True, help="直接寫回 BASE（先留備份）")
@click.option("--rubric", default=None, help=RUBRIC_HELP)
@output_option(required=False, help="彙整後的自評表（.xlsx、.xlsm 或 .ods）", formats=("xlsx", "xlsm", "ods"))
def merge_command(base: Path, parts: tuple[Path, ...], prefer: str, in_place: bool,
                  rubric: str | None, output: Path | None) -> None:
    """把各課室填好的自評表（PARTS）彙整進 BASE：只改分數、佐證資料與小計／總分的值，其餘原封不動。"""
    if output is None and not in_place:
        raise click.UsageError("請以 -o 指定輸出檔，或加上 --in-place")
    result = svcq.merge_scores(base, list(parts), output, prefer=prefer,  # type: ignore[arg-type]
                               in_place=in_place, rubric=rubric)
    echo_problems(result.conflicts, title="分數不一致（已依 --prefer 處理）")
    click.echo(f"已寫出 {output or base}（彙整 {len(parts)} 個檔，{len(result.values)} 項有分數，"
               f"{len(result.unscored)} 項仍空白）")


def _labels(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    parts = [clean_text(p) for p in clean_text(value).replace("，", ",").split(",")]
    if len(parts) != 2 or not all(parts):
        raise click.BadParameter("請給兩個標籤，以逗號分隔，例：112,113 或 自評,委員")
    return parts[0], parts[1]


@command.command("compare")
@click.argument("a", type=INPUT)
@click.argument("b", type=INPUT)
@click.option("--labels", callback=_labels, default=None,
              help="兩份的標籤，例：112,113（預設：表上的年度或檔名）")
@click.option("--rubric", default=None, help=RUBRIC_HELP)
@json_option
@output_option(required=False, help="比較表：活頁簿（.xlsx、.ods），或各項目一列的 .csv、.json",
               formats=(*WORKBOOK, *TABLES))
def compare_command(a: Path, b: Path, labels: tuple[str, str] | None, rubric: str | None,
                    as_json: bool, output: Path | None) -> None:
    """比較同一評分基準的兩份評分（兩個年度，或自評與委員評分）：各項目、各構面的差異。"""
    comp = svcq.compare_scores(a, b, labels, rubric=rubric, output=workbook(output))
    if table_out(comp, output):
        return
    if as_json:
        echo_json(comp.to_dict())
        return
    la, lb = comp.labels
    click.echo(f"{comp.rubric.name}：{la} {_fmt(comp.total.a)} → {lb} {_fmt(comp.total.b)}"
               f"（{comp.total.diff:+.2f}）".replace(".00）", "）"))
    for d in comp.dimensions:
        click.echo(f"  {d.path[0]}：{_fmt(d.a)} → {_fmt(d.b)}（{d.diff:+g}）")
    if comp.changed:
        click.echo("變動的項目（退步在前）：")
        for r in comp.changed:
            click.echo(f"  {' › '.join(r.path)}：{_fmt(r.a)} → {_fmt(r.b)}（{r.diff:+g}）")
    if output is not None:
        click.echo(f"已寫出 {output}")
