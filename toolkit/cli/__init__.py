"""The ``svcq`` command. Each group lives in its own module and mirrors a Python API."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from toolkit import __version__
from toolkit.cli import zh
from toolkit.cli.common import echo_json
from toolkit.problems import EXIT_PROBLEMS, EXIT_UNUSABLE, Problem, ProblemsFound, SvcqError

EXIT_INTERNAL = 3

zh.install()

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="svcq")
def cli() -> None:
    """svcq：戶政事務所「提升服務品質執行計畫」的 Excel 工具。

    \b
    讀寫標準試算表、計算原本以人工計算的統計，並把報告轉成 HTML：
      schedule  作業時程管制表：建立、分送各課室、彙整回收、進度狀態
      survey    滿意度調查：統計、交叉分析、年度趨勢、票選
      score     自評評分：評分表、計分、差距分析、比較
      cells     在使用者的活頁簿中修改儲存格，其餘內容原封不動
      report    由 notebook 產生 HTML 報告
      template  寫出空白標準表格
      demo      以 samples/ 示範整個流程

    結束代碼：0 成功；1 資料有問題（已列出）；2 無法使用的輸入或用法錯誤。
    """


def _register() -> None:
    from toolkit.cli import cells, demo, report, template
    from toolkit.families import FAMILIES

    for module in (template, demo, cells, *(f.module("cli") for f in FAMILIES), report):
        cli.add_command(module.command)
    _chinese_metavars(cli)


def _chinese_metavars(command: click.Command) -> None:
    """``用法： svcq survey tally [選項] FILE`` rather than click's English placeholders."""
    command.options_metavar = "[選項]"
    if isinstance(command, click.Group):
        command.subcommand_metavar = "指令 [參數]..."
        for sub in command.commands.values():
            _chinese_metavars(sub)


_register()


def _fail_json(problems: Sequence[Problem], code: int) -> None:
    """With --json a failure is JSON on stdout too: {"ok": false, "exit_code", "problems"}."""
    echo_json({"ok": False, "exit_code": code, "problems": [p.to_dict() for p in problems]})
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: runs the command and turns every failure into one message and an exit code."""
    args = list(argv) if argv is not None else sys.argv[1:]
    as_json = "--json" in args
    try:
        code = cli.main(args=args, prog_name="svcq", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已中止。", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exit_code = EXIT_UNUSABLE if isinstance(exc, click.UsageError) else exc.exit_code
        if as_json:
            _fail_json([Problem("usage", exc.format_message())], exit_code)
        exc.show()
        sys.exit(exit_code)
    except SvcqError as exc:
        if as_json:
            _fail_json([exc.problem], EXIT_UNUSABLE)
        click.echo(f"錯誤：{exc}", err=True)
        sys.exit(EXIT_UNUSABLE)
    except ProblemsFound as exc:
        if as_json:
            _fail_json(exc.problems, EXIT_PROBLEMS)
        click.echo(str(exc), err=True)
        sys.exit(EXIT_PROBLEMS)
    except KeyboardInterrupt:
        click.echo("已中止。", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("SVCQ_DEBUG"):
            raise
        click.echo(f"svcq 內部錯誤：{type(exc).__name__}: {exc}\n"
                   "請回報此訊息與所用指令（設定 SVCQ_DEBUG=1 可顯示完整追蹤）。", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else 0)
