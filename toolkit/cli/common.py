"""Options and output helpers shared by the command groups: the shell conventions every
command follows (``-`` is standard input or output, wildcards, the output format chosen by the
file's extension, ``--quiet``) live here once."""

from __future__ import annotations

import glob
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

import click

from toolkit import progress
from toolkit.problems import Problem, ProblemsFound
from toolkit.text import terminal_safe

F = TypeVar("F", bound=Callable[..., Any])

STDIO = "-"
#: Output formats: a workbook (written by the command itself) or a text table of its result.
WORKBOOK = ("xlsx", "ods")
TABLES = ("csv", "json")
_FORMAT_NAMES = {"xlsx": ".xlsx", "ods": ".ods", "xlsm": ".xlsm", "csv": ".csv", "json": ".json",
                 "html": ".html", "htm": ".htm"}


class InputPath(click.ParamType):  # type: ignore[type-arg]  # generic only in newer stubs
    """An input file; ``-`` is standard input (CSV or a workbook's bytes), saved to a private
    temporary file for the run so every reader takes it like a file. Existence and kind are
    checked by the input gate (toolkit.io), with a Chinese message."""

    name = "檔案"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        if isinstance(value, Path):
            return value
        if value != STDIO:
            return Path(value)
        # owned by this process by name, so a killed run's folder is swept (toolkit.io.workdir)
        folder = tempfile.TemporaryDirectory(prefix=f"svcq-stdin-{os.getpid()}-")
        if ctx is not None:
            ctx.call_on_close(folder.cleanup)
        path = Path(folder.name, "標準輸入.csv")
        path.write_bytes(sys.stdin.buffer.read())
        return path


INPUT = InputPath()
OUTPUT = click.Path(path_type=Path, dir_okay=False, allow_dash=True)


def expand(values: Iterable[str | Path]) -> list[Path]:
    """Input paths as typed, wildcards expanded in name order (Windows' shells do not expand
    them, and quoted patterns reach svcq on any system)."""
    out: list[Path] = []
    for value in map(str, values):
        if glob.has_magic(value) and not Path(value).exists():
            found = sorted(glob.glob(value))
            if not found:
                raise click.BadParameter(f"「{value}」沒有符合的檔案")
            out += map(Path, found)
        else:
            out.append(INPUT.convert(value, None, click.get_current_context(silent=True)))
    return out


def inputs_argument(name: str, *, required: bool = True) -> Callable[[F], F]:
    """Many input files (``回收/*.xlsx`` expanded by svcq itself when the shell does not)."""
    def callback(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[Path, ...]:
        return tuple(expand(value))

    return click.argument(name, nargs=-1, required=required, callback=callback)


def output_option(required: bool = True, help: str = "輸出檔（.xlsx 或 .ods）",
                  formats: Sequence[str] = WORKBOOK) -> Callable[[F], F]:
    """``-o FILE``: the format follows the extension; one the command cannot write is refused
    (exit 2) before anything runs. With a text format, ``-o -`` writes to standard output."""
    def callback(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        if value is None:
            return None
        if str(value) == STDIO:
            if not set(formats) & set(TABLES):
                raise click.BadParameter("此指令的輸出是檔案，不能寫到標準輸出（-）")
            return value
        suffix = value.suffix.lower().lstrip(".")
        if suffix not in formats:
            allowed = "、".join(_FORMAT_NAMES.get(f, f".{f}") for f in formats)
            raise click.BadParameter(f"不能寫出「{value.suffix or '沒有副檔名'}」檔；可用的格式：{allowed}")
        return value

    return click.option("-o", "--output", "output", type=OUTPUT, required=required, help=help,
                        callback=callback)


def is_table(output: Path | None) -> bool:
    """True when ``output`` asks for the result as a text table (.csv, .json or ``-``)."""
    return output is not None and (str(output) == STDIO or output.suffix.lower().lstrip(".") in TABLES)


def workbook(output: Path | None) -> Path | None:
    """``output`` when it is a workbook the command itself writes; None for a table or nothing."""
    return None if output is None or is_table(output) else output


def table_out(result: Result, output: Path | None) -> bool:
    """Write ``result`` as a table when ``output`` asks for one; True when that went to standard
    output, so the command prints nothing else."""
    if output is None or not is_table(output):
        return False
    write_table(result, output)
    return str(output) == STDIO


class Result(Protocol):
    def to_dict(self) -> Any: ...

    def to_pandas(self) -> Any: ...


def write_table(result: Result, output: Path) -> None:
    """The result as JSON (``.json``: the ``--json`` shape) or CSV (``.csv``, ``-``: its table)."""
    from toolkit.io.tables import write_csv, write_json

    if output.suffix.lower() == ".json":
        write_json(result.to_dict(), output)
        return
    frame = result.to_pandas()
    write_csv([str(c) for c in frame.columns], frame.itertuples(index=False, name=None), output)


def in_place_option(f: F) -> F:
    return click.option("--in-place", is_flag=True,
                        help="直接修改輸入檔（先在同資料夾留一份有時間戳記的備份）")(f)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="以 JSON 輸出結果（供程式使用）")(f)


#: Characters a terminal may act on that json.dumps(ensure_ascii=False) leaves raw: C1 controls
#: (U+009B is CSI) and bidi controls. Written as \uXXXX they stay the same JSON value.
_RAW_UNSAFE = re.compile("[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def echo_json(data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    click.echo(_RAW_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def raise_if_problems(problems: Iterable[Problem]) -> None:
    problems = list(problems)
    if problems:
        raise ProblemsFound(problems)


def echo_problems(problems: Iterable[Problem], *, title: str = "注意") -> None:
    problems = list(problems)
    if problems:
        click.echo(f"{title}（{len(problems)} 項）：", err=True)
        for p in problems[:50]:
            click.echo(f"  - {p}", err=True)
        if len(problems) > 50:
            click.echo(f"  …還有 {len(problems) - 50} 項", err=True)


class TerminalProgress:
    """Step lines and bars on standard error (the CLI uses it when that is a terminal)."""

    def __init__(self) -> None:
        self._bar: Any = None

    def step(self, message: str) -> None:
        click.echo(f"… {message}", err=True)

    def start(self, label: str, total: int) -> None:
        # the bar redraws itself with \r and ANSI codes: it writes to the terminal itself, past
        # the filter that keeps control characters of user data off it (toolkit.cli.main)
        stream = getattr(sys.stderr, "raw_stream", sys.stderr)
        self._bar = click.progressbar(length=total, label=terminal_safe(label), file=stream)
        self._bar.__enter__()

    def advance(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _silence(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        progress.silence()


QUIET = click.Option(["--quiet"], is_flag=True, expose_value=False, is_eager=True, callback=_silence,
                     help="不顯示進度訊息")
