"""The ``svcq`` command. Each group lives in its own module and mirrors a Python API."""

from __future__ import annotations

import importlib
import io
import os
import signal
import sys
from collections.abc import Sequence
from contextlib import suppress
from typing import Any

import click

from toolkit import __version__, progress
from toolkit.cli import zh
from toolkit.cli.common import QUIET, TerminalProgress, echo_json
from toolkit.families import FAMILIES
from toolkit.io.atomic import os_error
from toolkit.problems import EXIT_PROBLEMS, EXIT_UNUSABLE, Problem, ProblemsFound, SvcqError
from toolkit.text import terminal_safe

EXIT_INTERNAL = 3

zh.install()

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


#: Top-level commands: name → (module holding its click ``command``, one line for ``--help``).
#: Imported only when used, so ``svcq --help`` and each command start without loading every
#: family; the families come from the registry (toolkit/families.py).
COMMANDS: dict[str, tuple[str, str]] = {
    **{f.name: (f"toolkit.{f.name}.cli", f.summary) for f in FAMILIES},
    "cells": ("toolkit.cli.cells", "在使用者的活頁簿中讀寫儲存格，其餘內容原封不動"),
    "fill": ("toolkit.cli.fill", "填寫機關自己的表單：{{ 路徑 }} 換成 svcq 算出的數值"),
    "report": ("toolkit.cli.report", "由 notebook 產生 HTML 報告"),
    "template": ("toolkit.cli.template", "寫出空白標準表格"),
    "demo": ("toolkit.cli.demo", "以範例資料示範整個流程"),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (``lazy``: name → (module, help))."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.lazy, *(n for n in super().list_commands(ctx) if n not in self.lazy)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module = importlib.import_module(self.lazy[cmd_name][0])
            command: click.Command = module.command
            _chinese_metavars(command)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, self.lazy[name][1]) for name in self.lazy]
        with formatter.section("指令"):
            formatter.write_dl(rows)


def _chinese_metavars(command: click.Command) -> None:
    """``用法： svcq survey tally [選項] FILE`` rather than click's English placeholders, and
    ``--quiet`` on every command (progress is shown on a terminal otherwise)."""
    command.options_metavar = "[選項]"
    if isinstance(command, click.Group):
        command.subcommand_metavar = "指令 [參數]..."
        for sub in command.commands.values():
            _chinese_metavars(sub)
    elif not any("--quiet" in p.opts for p in command.params):
        command.params.append(QUIET)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings=CONTEXT, options_metavar="[選項]",
             subcommand_metavar="指令 [參數]...")
@click.version_option(__version__, "-V", "--version", prog_name="svcq")
def cli() -> None:
    """svcq：戶政事務所「提升服務品質執行計畫」的 Excel 工具。

    讀寫標準試算表、計算原本以人工計算的統計，並把報告轉成 HTML。每個指令都有 --help。

    結束代碼：0 成功；1 資料有問題（已列出）；2 無法使用的輸入或用法錯誤。
    """


def _fail_json(problems: Sequence[Problem], code: int) -> None:
    """With --json a failure is JSON on stdout too: {"ok": false, "exit_code", "problems"}."""
    echo_json({"ok": False, "exit_code": code, "problems": [p.to_dict() for p in problems]})
    sys.exit(code)


class Terminated(KeyboardInterrupt):
    """SIGTERM (a closed terminal, a task manager): ended like Ctrl-C, cleaning up on the way."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: runs the command and turns every failure into one message and an exit code.

    Messages are made terminal-safe: a sheet name or cell value quoted in them cannot send
    escape sequences to the user's terminal. SIGTERM ends a run like Ctrl-C does, so its
    temporary files and LibreOffice are cleaned up on the way out."""
    previous = signal.signal(signal.SIGTERM, _terminate) if _main_thread() else None
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalSafe(stdout), _TerminalSafe(stderr)
    try:
        code = _run(list(argv) if argv is not None else sys.argv[1:])
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    sys.exit(code)


class _TerminalSafe(io.TextIOBase):
    """A text stream that passes on what svcq prints minus control characters: task names,
    comments and cell values quoted in any output cannot send escape sequences (retitle the
    window, clear the screen) or reorder text with bidi controls. JSON output is unaffected:
    echo_json writes such characters as \\u escapes."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    @property
    def raw_stream(self) -> Any:
        """The stream underneath, for svcq's own progress bar (\r and ANSI codes of its own)."""
        return self._stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click probes text streams with b""
            raise TypeError("write() argument must be str")
        self._stream.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return bool(self._stream.isatty())

    def fileno(self) -> int:
        return int(self._stream.fileno())

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._stream, "encoding", "utf-8") or "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._stream, "errors", None)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _run(args: list[str]) -> int:
    as_json = "--json" in args
    shown = sys.stderr.isatty() or bool(os.environ.get("SVCQ_PROGRESS"))
    try:
        with progress.listening(TerminalProgress() if shown else None):
            code = cli.main(args=args, prog_name="svcq", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt) as exc:
        terminated = isinstance(exc, Terminated) or isinstance(exc.__context__, Terminated)
        _say("已中止。")
        return 143 if terminated else 130
    except click.ClickException as exc:
        exit_code = EXIT_UNUSABLE if isinstance(exc, click.UsageError) else exc.exit_code
        if as_json:
            _fail_json([Problem("usage", exc.format_message())], exit_code)
        shown = io.StringIO()
        exc.show(file=shown)  # click's own words (in Chinese), then made terminal-safe
        click.echo(terminal_safe(shown.getvalue()), err=True, nl=False)
        return exit_code
    except SvcqError as exc:
        return _unusable(exc, as_json)
    except ProblemsFound as exc:
        if as_json:
            _fail_json(exc.problems, EXIT_PROBLEMS)
        _say(str(exc))
        return EXIT_PROBLEMS
    except BrokenPipeError:  # `svcq … | head`: the reader left; nothing to say to anyone
        _silence_stdout()
        return 141
    except OSError as exc:  # a file-system failure no layer below named: still one message
        return _unusable(os_error(exc), as_json)
    except Exception as exc:
        if os.environ.get("SVCQ_DEBUG"):
            raise
        _internal(exc)
        return EXIT_INTERNAL
    except BaseException as exc:
        # a Rust panic inside a reader (pyo3's PanicException) is a BaseException
        if type(exc).__name__ != "PanicException" or os.environ.get("SVCQ_DEBUG"):
            raise
        _internal(exc)
        return EXIT_INTERNAL
    return code if isinstance(code, int) else 0


def _unusable(exc: SvcqError, as_json: bool) -> int:
    if as_json:
        _fail_json([exc.problem], EXIT_UNUSABLE)
    _say(f"錯誤：{exc}")
    return EXIT_UNUSABLE


def _say(text: str) -> None:
    click.echo(terminal_safe(text), err=True)


def _internal(exc: BaseException) -> None:
    _say(f"svcq 內部錯誤：{type(exc).__name__}: {exc}\n"
         "請回報此訊息與所用指令（設定 SVCQ_DEBUG=1 可顯示完整追蹤）。")


def _silence_stdout() -> None:
    with suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
