"""Options and output helpers shared by the command groups."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from toolkit.problems import Problem, ProblemsFound

F = TypeVar("F", bound=Callable[..., Any])

#: Paths that must exist are still checked by toolkit.io (with a Chinese message), so click
#: only converts them.
INPUT = click.Path(path_type=Path, dir_okay=False)
OUTPUT = click.Path(path_type=Path, dir_okay=False)


def output_option(required: bool = True, help: str = "輸出檔（.xlsx 或 .ods）") -> Callable[[F], F]:
    return click.option("-o", "--output", "output", type=OUTPUT, required=required, help=help)


def in_place_option(f: F) -> F:
    return click.option("--in-place", is_flag=True,
                        help="直接修改輸入檔（先在同資料夾留一份有時間戳記的備份）")(f)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="以 JSON 輸出結果（供程式使用）")(f)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


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
