"""``svcq fill``: fill an office's own form ({{ 路徑 }} placeholders) from svcq's results."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

import toolkit as svcq
from toolkit.cli.common import (
    INPUT,
    echo_json,
    echo_problems,
    in_place_option,
    json_option,
    output_option,
    raise_if_problems,
)
from toolkit.forms.data_files import parse_data_spec
from toolkit.problems import EXIT_PROBLEMS


@click.command("fill")
@click.argument("form", type=INPUT)
@click.option("--data", "data_specs", multiple=True, metavar="名稱=檔案",
              help="資料：svcq 指令以 --json 輸出的 JSON 檔（score=自評結果.json），或直接給輸入檔："
                   "score=自評表.xlsx、survey=回覆.xlsx、status=管制表.xlsx@114-06、votes=票選.xlsx（可重複）")
@click.option("--name", "name_specs", multiple=True, metavar="名稱=路徑",
              help="把活頁簿中的 Excel 名稱對應到路徑，例如 總分=score.total（可重複）")
@output_option(required=False, help="輸出檔（.xlsx／.xlsm／.ods）；或改用 --in-place",
               formats=("xlsx", "xlsm", "ods"))
@in_place_option
@click.option("--list", "dry_run", is_flag=True, help="只列出找到的欄位與將填入的值，不寫出檔案")
@json_option
def command(form: Path, data_specs: tuple[str, ...], name_specs: tuple[str, ...], output: Path | None,
            in_place: bool, dry_run: bool, as_json: bool) -> None:
    """填寫機關自己的表單：儲存格中的 {{ 路徑 }} 換成 svcq 算出的數值。

    \b
      svcq fill 考核填報表.xlsx --data score=自評表.xlsx --data survey=問卷回覆.xlsx \\
          --data status=管制表.xlsx@114-06 --list
      svcq fill 考核填報表.xlsx --data score=自評結果.json --data survey=滿意度.json -o 填報.xlsx
    \b
    整格只有 {{ score.total }} → 填入數字，沿用儲存格的數值格式（0.0、0.0%）；
    文字中的 {{…}} → 依內容寫成 85.5、91.8%、113年2月26日；
    Excel 名稱與路徑相同（score.total）或以 --name 對應者，其儲存格也會填入。
    其餘內容（圖表、圖片、註解、其他工作表、格式、列印設定）原封不動。
    路徑寫錯、缺少資料、清單中沒有該項目時，一次列出全部問題，不寫出任何檔案。
    """
    if dry_run and (output is not None or in_place):
        raise click.UsageError("--list 只列出欄位，不寫出檔案；請勿同時指定 -o 或 --in-place")
    if not dry_run and output is None and not in_place:
        raise click.UsageError("請指定輸出檔（-o），或加上 --in-place 直接修改原檔；只想看會填什麼請加 --list")
    data = _data_sources(data_specs)
    names = _parse_names(name_specs)
    result = svcq.fill_form(form, data, output, in_place=in_place, names=names)
    if as_json:  # problems and notes are in the JSON (one shape for every command)
        echo_json(result.to_dict())
        sys.exit(EXIT_PROBLEMS if result.problems else 0)
    if dry_run:
        _echo_plan(result.spots)
        raise_if_problems(result.problems)
        echo_problems(result.notes)
        return
    changed = result.changed
    click.echo(f"已寫出 {result.output}（填入 {len(changed)} 格：{'、'.join(changed[:10])}"
               f"{'…' if len(changed) > 10 else ''}）")
    if result.backup:
        click.echo(f"原檔已備份為 {result.backup}")
    if result.recalc:
        click.echo("已設定開檔時重新計算公式（Excel 關閉時可能詢問是否儲存，屬正常現象）")
    echo_problems(result.notes)


def _data_sources(specs: tuple[str, ...]) -> dict[str, str]:
    sources: dict[str, str] = {}
    for spec in specs:
        try:
            name, source = parse_data_spec(spec)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        if name.casefold() in {n.casefold() for n in sources}:
            raise click.UsageError(f"資料名稱「{name}」重複指定")
        sources[name] = source
    return sources


def _parse_names(specs: tuple[str, ...]) -> dict[str, str]:
    names: dict[str, str] = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name.strip() or not path.strip():
            raise click.UsageError(f"「{spec}」應寫成 名稱=路徑，例如 總分=score.total")
        names[name.strip()] = path.strip()
    return names


def _echo_plan(spots: list[Any]) -> None:
    if not spots:
        click.echo("找不到任何 {{ 路徑 }} 欄位。")
        return
    for spot in spots:
        where = f"名稱 {spot.text}" if spot.source == "name" else _one_line(spot.text)
        if spot.problems:
            click.echo(f"{spot.address}\t{where}\t→ （有問題，見下方）")
            continue
        click.echo(f"{spot.address}\t{where}\t→ {_becomes(spot)}")


def _becomes(spot: Any) -> str:
    value = spot.value
    if value is None:
        return "清除（資料為空白）"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"文字「{_one_line(str(spot.shown))}」" if not hasattr(value, "isoformat") \
            else f"日期 {spot.shown}"
    fmt = "" if spot.number_format.casefold() == "general" else f"，格式 {spot.number_format}"
    return f"數字 {value!r}（讀作 {spot.shown}{fmt}）"


def _one_line(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
