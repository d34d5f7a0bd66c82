"""Rubric files: the built-in ones (package data), a user's own YAML, or a county's 評分標準
table (.xlsx/.ods/.csv, read by toolkit.score.rubric_sheets)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from toolkit.io.yaml_text import load_yaml
from toolkit.problems import SvcqError
from toolkit.score.rubric import Rubric, rubric_from_dict
from toolkit.score.rubric_sheets import is_rubric_table, read_rubric_table

DEFAULT_RUBRIC = "penghu-107"
_MAX_YAML_BYTES = 2 * 1024**2


def builtin_names() -> list[str]:
    folder = resources.files("toolkit.score") / "rubrics"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def builtin_rubrics() -> list[Rubric]:
    return [load_rubric(name) for name in builtin_names()]


def load_rubric(name_or_path: str | Path | Rubric) -> Rubric:
    """A built-in rubric by name (``penghu-107``, ``phone-courtesy``), a YAML file's, or the
    rubric of a 評分標準 table (.xlsx, .ods, .csv: see docs/score.md)."""
    if isinstance(name_or_path, Rubric):
        return name_or_path
    text = str(name_or_path)
    if text in builtin_names():
        res = resources.files("toolkit.score") / "rubrics" / f"{text}.yaml"
        return _parse(res.read_text(encoding="utf-8"), f"{text}.yaml")
    path = Path(text)
    if is_rubric_table(path) and path.is_file():
        return read_rubric_table(path)
    if path.suffix.lower() not in (".yaml", ".yml") or not path.is_file():
        raise SvcqError(f"找不到評分基準「{text}」；內建的有：{'、'.join(builtin_names())}，"
                        "或指定自己的 .yaml 檔、評分標準表（.xlsx、.ods、.csv）", code="no-rubric")
    if path.stat().st_size > _MAX_YAML_BYTES:
        raise SvcqError("評分基準檔過大", file=path, code="too-large")
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SvcqError("評分基準檔須以 UTF-8 儲存", file=path, code="bad-encoding") from None
    return _parse(content, str(path))


def _parse(content: str, source: str) -> Rubric:
    return rubric_from_dict(load_yaml(content, "評分基準檔", source), source=source)
