"""The CLI's own contract: real help for every command, docs that follow the commands,
exit codes 0/1/2 and no tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import files_in, svcq

from toolkit.cli import docs


def test_every_command_has_real_help():
    for path in docs.command_paths():
        args = path.split()[1:]
        result = svcq(*args, "--help")
        assert result.code == 0, path
        # The first line after "Usage:" is the command's own description, in Chinese.
        text = result.out.split("\n\n", 2)[1]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), f"{path}: help has no Chinese text"
        assert "TODO" not in result.out


def test_cli_reference_is_up_to_date(repo):
    committed = (repo / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == docs.render(), "docs/cli.md is stale: run `make docs`"


def test_readme_names_every_command(repo):
    readme = (repo / "README.md").read_text(encoding="utf-8")
    missing = [p for p in docs.command_paths() if p != "svcq" and f"`{p}" not in readme]
    assert not missing, f"README does not document: {missing}"
    assert readme.lstrip().startswith("# svcq")
    first_block = readme.split("```", 2)[1]
    assert "make demo" in first_block and "make test" in first_block


def test_usage_error_exits_2():
    result = svcq("template", "nonsense", "-o", "x")
    assert result.code == 2
    assert "Traceback" not in result.err


def test_unusable_input_exits_2_with_one_message(tmp_path):
    bad = tmp_path / "空的.xlsx"
    bad.write_bytes(b"")
    from toolkit.io.read import read_table
    from toolkit.problems import SvcqError

    with pytest.raises(SvcqError) as info:
        read_table(bad)
    assert "空的.xlsx" in str(info.value)


def test_version():
    result = svcq("--version")
    assert result.code == 0 and "svcq" in result.out


def test_console_script_runs_as_module():
    out = subprocess.run([sys.executable, "-m", "toolkit", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "svcq" in out.stdout


def test_template_writes_every_kind(tmp_path):
    result = svcq("template", "-o", tmp_path)
    assert result.code == 0, result.err
    assert sorted(files_in(tmp_path)) == sorted(
        ["作業時程管制表-範本.xlsx", "滿意度調查-範本.xlsx", "自評表-範本.xlsx"])


def _readme_commands(readme: str) -> list[list[str]]:
    """Every `svcq …` line in the README's shell blocks, split into words."""
    import shlex

    lines, in_block = [], False
    for line in readme.splitlines():
        if line.startswith("```"):
            in_block = line.strip() == "```sh"
            continue
        if in_block and line.startswith("svcq "):
            lines.append(shlex.split(line.split("  #")[0]))
    return lines


def test_readme_examples_use_real_commands_and_options(repo):
    """Docs are tested: each example names an existing command and only options it has."""
    import click

    from toolkit.cli import cli

    examples = _readme_commands((repo / "README.md").read_text(encoding="utf-8"))
    assert len(examples) >= 10
    for words in examples:
        cmd: click.Command = cli
        rest = words[1:]
        while isinstance(cmd, click.Group) and rest and (
                sub := cmd.get_command(click.Context(cmd), rest[0])) is not None:
            cmd, rest = sub, rest[1:]
        if rest == ["--help"]:
            continue  # `svcq --help`, `svcq survey --help`: help of a group is an example too
        assert not isinstance(cmd, click.Group), f"not a command: {' '.join(words)}"
        known = {opt for p in cmd.params for opt in (*p.opts, *p.secondary_opts)}
        used = {w.split("=")[0] for w in rest if w.startswith("-")}
        assert used <= known, f"{' '.join(words)}: unknown options {used - known}"
