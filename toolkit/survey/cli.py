"""``svcq survey``: tally, trend, votes — thin wrappers over toolkit.survey.sheets."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from toolkit.sheetkit.width import pad
from toolkit.text import parse_percent

if TYPE_CHECKING:
    from toolkit.survey.tally import Tally


def _percent(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_percent(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _common(f: Any) -> Any:
    for option in reversed([
        click.option("-q", "--questionnaire", type=INPUT,
                     help="問卷設定檔（YAML）或代碼表（.xlsx）；省略時自動判斷題目欄，"
                          "回覆活頁簿中的「代碼表」工作表會自動使用"),
        click.option("--sheet", help="工作表名稱（預設第一個可見的工作表）"),
        click.option("--counts", is_flag=True, help="輸入是「題目 × 選項」的次數表（如評分按鈕月統計）"),
        click.option("--lenient", is_flag=True, help="無法辨識的答案以未填答計並列出，而不中止"),
        click.option("--exclude-no-opinion", is_flag=True, default=None,
                     help="滿意度分母不含「無意見」（預設含，依政府民調慣例）"),
        click.option("--min-standard", callback=_percent, help="最低標準，如 0.85 或 85%；未達者標示"),
    ]):
        f = option(f)
    return f


def _echo_tally(tally: Tally) -> None:
    moe = tally.margin_of_error_95
    click.echo(f"受訪人數 {tally.n_respondents:,}；抽樣誤差 ±{_pct(moe)}（95% 信心水準）")
    weighting = tally.weighting
    if weighting is not None:
        low, high = weighting.weight_range
        click.echo(f"加權（{'、'.join(weighting.variables)}，反覆比例調整 {weighting.iterations} 輪）："
                   f"有效樣本數 {weighting.n_effective:.1f}，加權抽樣誤差 ±{_pct(weighting.margin_of_error_95)}，"
                   f"權數 {low:.2f}–{high:.2f}")
    weighted = f"{'加權滿意度':>6}{'加權平均':>5}" if weighting is not None else ""
    click.echo(f"{pad('題目', 14)}{'有效':>5}{'滿意度':>6}{'不滿意度':>5}{'平均':>4}{weighted}  95% 信賴區間")
    for q in tally.questions:
        ci = q.ci95
        flag = "  ← 未達最低標準" if q.below_standard else ""
        w = q.weighted
        extra = (f"{_pct(w.satisfaction_rate):>11}{(f'{w.mean:.2f}' if w.mean else '—'):>9}"
                 if w is not None else "")
        click.echo(f"{pad(q.question, 14)}{q.n_answered:>7}{_pct(q.satisfaction_rate):>9}"
                   f"{_pct(q.dissatisfaction_rate):>9}{(f'{q.mean:.2f}' if q.mean else '—'):>6}{extra}  "
                   f"{_pct(ci[0]) if ci else '—'}–{_pct(ci[1]) if ci else '—'}{flag}")
    from toolkit.survey.tally import question_notes  # here: `svcq --help` stays fast

    for q in tally.questions:
        for line in question_notes(q, tally.exclude_no_opinion):
            click.echo(f"  {q.question}：{line}")
    for tab in tally.crosstabs:
        t = tab.test
        click.echo(f"交叉分析 {tab.question} × {tab.by}：" + (
            "無法檢定" if t is None else f"χ²={t.chi2:.2f}, df={t.dof}, p={t.p_value:.4f}"
            f"{'（顯著）' if t.significant else ''}"))


@click.group("survey")
def command() -> None:
    """滿意度調查：統計、交叉分析、年度趨勢、票選。"""


@command.command("tally")
@click.argument("file", type=INPUT)
@_common
@click.option("--population", type=click.IntRange(min=1), help="母體人數 N（抽樣誤差做有限母體校正）")
@click.option("--by", "by", multiple=True, help="交叉分析的基本資料欄（可重複，如 --by 性別 --by 年齡）")
@click.option("--total/--no-total", default=None, help="次數表加一列合計（預設：列為月份或表上有合計列時）")
@click.option("--weights", type=INPUT, help="人口統計表（各性別、年齡層的人數或比例）：依此加權，"
                                            "加權滿意度列在未加權旁")
@click.option("--weight-by", "weight_by", multiple=True,
              help="加權變項（可重複，如 --weight-by 性別 --weight-by 年齡；預設為人口統計表的全部變項）")
@json_option
@output_option(required=False, help="統計結果：活頁簿（.xlsx、.ods），或各題一列的 .csv、.json（- 為標準輸出）",
               formats=(*WORKBOOK, *TABLES))
def tally_cmd(file: Path, questionnaire: Path | None, sheet: str | None, counts: bool, lenient: bool,
              exclude_no_opinion: bool | None, min_standard: float | None, population: int | None,
              by: tuple[str, ...], total: bool | None, weights: Path | None, weight_by: tuple[str, ...],
              as_json: bool, output: Path | None) -> None:
    """統計滿意度：各題次數、滿意度、平均分數、Wilson 95% 信賴區間與抽樣誤差。

    \b
    例：svcq survey tally 113年回覆.xlsx -q 問卷.yaml --min-standard 85% -o 113年統計.xlsx
        svcq survey tally 紙本問卷.xlsx -q 代碼表.xlsx --by 性別
        svcq survey tally 紙本問卷.xlsx --weights 人口統計.xlsx --weight-by 性別 --weight-by 年齡
        svcq survey tally 按鈕統計.xlsx --counts --json
    """
    tally = svcq.tally(file, questionnaire, sheet=sheet, counts=counts, lenient=lenient,
                       exclude_no_opinion=exclude_no_opinion, population=population,
                       min_standard=min_standard, by=by, total=total, weights=weights,
                       weight_by=weight_by, output=workbook(output))
    if table_out(tally, output):
        return
    if as_json:  # the warnings are in the JSON
        echo_json(tally.to_dict())
    else:
        echo_problems(tally.warnings, title="以下答案無法辨識，已以未填答計")
        if tally.detected:
            click.echo(f"自動判斷的題目欄：{'、'.join(q.question for q in tally.questions)}")
        _echo_tally(tally)
        if output is not None:
            click.echo(f"已寫出 {output}")


@command.command("codebook-template")
@output_option(help="代碼表（.xlsx）")
def codebook_template_cmd(output: Path) -> None:
    """寫出代碼表（題目｜代碼｜說明），已填好紙本問卷常用的代碼與使用說明。

    把「代碼表」工作表放進問卷回覆的活頁簿即自動使用，或以 -q 代碼表.xlsx 指定。
    """
    svcq.codebook_template(output)
    click.echo(f"已寫出 {output}")


@command.command("trend")
@inputs_argument("files")
@_common
@json_option
@output_option(required=False, help="趨勢：活頁簿（.xlsx、.ods），或每題每年一列的 .csv、.json",
               formats=(*WORKBOOK, *TABLES))
def trend_cmd(files: tuple[Path, ...], questionnaire: Path | None, sheet: str | None, counts: bool,
              lenient: bool, exclude_no_opinion: bool | None, min_standard: float | None, as_json: bool,
              output: Path | None) -> None:
    """歷年滿意度趨勢與相鄰年度的兩比例 z 檢定。

    \b
    例：svcq survey trend 111=111年.xlsx 112=112年.xlsx 113=113年.xlsx -o 趨勢.xlsx
        svcq survey trend 滿意度調查-111.csv 滿意度調查-112.xlsx 滿意度調查-113.xlsx
    （年度取自「年度=檔案」的寫法，或檔名中的民國年。）
    """
    result = svcq.trend([str(f) for f in files], questionnaire, sheet=sheet, counts=counts,
                        lenient=lenient, exclude_no_opinion=exclude_no_opinion, min_standard=min_standard,
                        output=workbook(output))
    if table_out(result, output):
        return
    if as_json:
        echo_json(result.to_dict())
        return
    click.echo(pad("題目", 14) + "".join(f"{y}年".rjust(8) for y in result.years) + "  變化（p 值）")
    for q in result.questions:
        rates = "".join(_pct(q.rate(y)).rjust(9) for y in result.years)
        marks = " ".join(f"{c.mark}(p={c.p_value:.3f})" for c in q.changes)
        click.echo(f"{pad(q.question, 14)}{rates}  {marks}")
    if output is not None:
        click.echo(f"已寫出 {output}")


@command.command("votes")
@click.argument("ballots", type=INPUT)
@click.option("--per", type=click.Choice(["row", "cell"]), default="row", show_default=True,
              help="row：每列一張選票；cell：每格一票")
@click.option("--column", help="選票欄（預設找標題含「票選」「候選」「姓名」的欄）")
@click.option("--candidates", help="候選人，以逗號或頓號分隔（預設讀「候選人」工作表，若有）")
@click.option("--max-choices", type=click.IntRange(min=1), default=1, show_default=True,
              help="每張選票最多可圈選人數")
@click.option("--sheet", help="選票所在工作表")
@json_option
@output_option(required=False, help="票選結果：活頁簿（.xlsx、.ods），或排名的 .csv、.json",
               formats=(*WORKBOOK, *TABLES))
def votes_cmd(ballots: Path, per: str, column: str | None, candidates: str | None, max_choices: int,
              sheet: str | None, as_json: bool, output: Path | None) -> None:
    """最佳禮儀服務人員等票選：排名（同票同名次），廢票另計。"""
    import re

    names = [n for n in re.split(r"[,，、]", candidates) if n.strip()] if candidates else None
    result = svcq.votes(ballots, candidates=names, per=per,  # type: ignore[arg-type]
                        column=column, max_choices=max_choices, sheet=sheet, output=workbook(output))
    if table_out(result, output):
        return
    if as_json:
        echo_json(result.to_dict())
        return
    click.echo(f"選票 {result.ballots}，有效票 {result.valid_votes}，廢票 {len(result.spoiled)}"
               + (f"（{'、'.join(f'{k} {v}' for k, v in result.spoiled_by_reason.items())}）"
                  if result.spoiled else ""))
    for s in result.standings:
        click.echo(f"{s.rank:>3}  {pad(s.name, 10)}{s.votes:>5} 票  {_pct(s.share)}{'  同票' if s.tied else ''}")
    if output is not None:
        click.echo(f"已寫出 {output}")
