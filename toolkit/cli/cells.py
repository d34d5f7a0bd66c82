"""``svcq cells``: read and write single cells of a user's workbook (toolkit.io.patch)."""

from __future__ import annotations

import re
from pathlib import Path

import click

import toolkit as svcq
from toolkit.cli.common import (
    INPUT,
    echo_json,
    in_place_option,
    json_option,
    output_option,
    raise_if_problems,
)
from toolkit.problems import Problem

# 'Sheet'!B3=… | 工作表!B3=… | B3=… (the value may itself contain '=')
_ASSIGN = re.compile(r"^(?P<addr>(?:'(?:[^']|'')*'|[^!！']*)[!！][^=]+|[^=]+)=(?P<value>.*)$", re.S)


@click.group("cells")
def command() -> None:
    """在使用者的活頁簿中讀寫儲存格，其餘內容（圖表、圖片、註解、巨集、格式）原封不動。"""


@command.command("set")
@click.argument("file", type=INPUT)
@click.argument("assignments", nargs=-1, required=True)
@output_option(required=False, help="輸出檔（.xlsx／.xlsm／.ods）；或改用 --in-place",
               formats=("xlsx", "xlsm", "ods"))
@in_place_option
@click.option("--text", "as_text", is_flag=True, help="所有值一律當作文字（不轉為數字、日期或公式）")
@click.option("--formula", "as_formula", is_flag=True,
              help="以 = 開頭的值當作公式寫入（開檔時由 Excel／LibreOffice 計算）")
@click.option("--add-sheet", "add_sheets", multiple=True, metavar="名稱",
              help="若活頁簿沒有這個工作表就先新增（可重複）")
@json_option
def set_cells(file: Path, assignments: tuple[str, ...], output: Path | None, in_place: bool,
              as_text: bool, as_formula: bool, add_sheets: tuple[str, ...], as_json: bool) -> None:
    """修改儲存格：svcq cells set 檔案.xlsx '工作表!B3=5' '工作表!C4=文字' -o 新檔.xlsx

    \b
    值的判讀（與在 Excel 儲存格中輸入相同）：
      12、１２、1,234 → 數字；80% → 0.8；TRUE／FALSE → 是非值；
      113年2月26日、113/2/26、2024-02-26 → 日期；空白（B3=）→ 清除內容（保留格式）；
      其他 → 文字。以 = 開頭的值須加 --formula（公式）或 --text（文字）。
    """
    from toolkit.io.patch import typed_value  # loads the patch engine only when used

    if as_text and as_formula:
        raise click.UsageError("--text 與 --formula 只能擇一")
    mode = "text" if as_text else "formula" if as_formula else "auto"
    edits: dict[str, object] = {}
    problems: list[Problem] = []
    for item in assignments:
        m = _ASSIGN.match(item)
        if not m:
            problems.append(Problem("bad-assignment", f"「{item}」應寫成 工作表!B3=值", str(file)))
            continue
        try:
            edits[m.group("addr")] = typed_value(m.group("value"), mode)
        except ValueError as exc:
            problems.append(Problem("ambiguous-value", str(exc), str(file), None, m.group("addr")))
    raise_if_problems(problems)
    result = svcq.patch_cells(file, edits, output, in_place=in_place, add_sheets=add_sheets)
    if as_json:
        echo_json({"output": str(result.output), "changed": result.changed,
                   "backup": str(result.backup) if result.backup else None,
                   "added_sheets": result.added_sheets, "recalc": result.recalc,
                   "rewritten": result.rewritten})
        return
    click.echo(f"已寫出 {result.output}（修改 {len(result.changed)} 格：{'、'.join(result.changed[:10])}"
               f"{'…' if len(result.changed) > 10 else ''}）")
    if result.added_sheets:
        click.echo(f"新增工作表：{'、'.join(result.added_sheets)}")
    if result.backup:
        click.echo(f"原檔已備份為 {result.backup}")
    if result.recalc:
        click.echo("已設定開檔時重新計算公式（Excel 關閉時可能詢問是否儲存，屬正常現象）")


@command.command("get")
@click.argument("file", type=INPUT)
@click.argument("ranges", nargs=-1, required=True)
@json_option
def get_cells(file: Path, ranges: tuple[str, ...], as_json: bool) -> None:
    """讀取儲存格：svcq cells get 檔案.xlsx '工作表!B3' '工作表!A1:C9'

    每格一行「位置<Tab>值」；未指定工作表時讀第一個工作表。空白儲存格顯示為空。
    """
    from toolkit.io.patch import display

    values = svcq.read_cells(file, list(ranges))
    if as_json:
        echo_json({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()})
        return
    for address, value in values.items():
        click.echo(f"{address}\t{display(value)}")
