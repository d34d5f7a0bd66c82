"""Write the command reference (docs/cli.md) from the commands' own help text.

``make docs`` regenerates it; a test fails when the committed file falls behind.
"""

from __future__ import annotations

import click

from toolkit.cli import CONTEXT, cli


def _walk(cmd: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    out = [(path, cmd)]
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd, info_name=" ".join(path))
        for name in sorted(cmd.list_commands(ctx)):
            sub = cmd.get_command(ctx, name)  # lazy groups import the command here
            assert sub is not None
            out += _walk(sub, [*path, name])
    return out


def command_paths() -> list[str]:
    return [" ".join(p) for p, _ in _walk(cli, ["svcq"])]


def render() -> str:
    parts = ["# svcq 指令參考\n", "由 `make docs` 依各指令的 `--help` 產生；請勿手動修改。\n"]
    for path, cmd in _walk(cli, ["svcq"]):
        ctx = click.Context(cmd, info_name=" ".join(path), **CONTEXT)
        parts.append(f"\n## `{' '.join(path)}`\n\n```text\n{cmd.get_help(ctx)}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    click.echo(render(), nl=False)
