"""The data a form is filled from: ``--data NAME=FILE`` → {NAME: result as --json prints it}.

A FILE is the JSON a command printed with ``--json`` (``svcq score compute 自評表.xlsx --json
> 自評結果.json``). Objects with ``to_dict()`` (the front door's result objects) are turned
into the same shape, so a notebook passes results directly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from toolkit.problems import SvcqError

__all__ = ["MAX_JSON_BYTES", "as_data", "load_json", "parse_data_spec"]

MAX_JSON_BYTES = 64 * 1024**2  # the largest --json output (a status of 10,000 tasks) is ~5 MB
_NAME = re.compile(r"^[^\s.\[\]{}｛｝=]+$")


def parse_data_spec(spec: str) -> tuple[str, str]:
    """``score=自評結果.json`` → ("score", "自評結果.json"); ValueError with a message."""
    name, sep, source = spec.partition("=")
    name = name.strip()
    if not sep or not source.strip():
        raise ValueError(f"「{spec}」應寫成 名稱=檔案，例如 score=自評結果.json")
    if not _NAME.match(name):
        raise ValueError(f"資料名稱「{name}」不可含空白、「.」、括號或大括號（例：score、survey、status）")
    return name, source.strip()


def load_json(path: str | Path) -> Any:
    """A JSON file as svcq's commands print it (UTF-8, with or without BOM)."""
    path = Path(path)
    if not path.is_file():
        raise SvcqError("找不到檔案", file=path, code="not-found")
    if path.stat().st_size > MAX_JSON_BYTES:
        raise SvcqError(f"JSON 檔太大（上限 {MAX_JSON_BYTES // 1024**2} MB）", file=path, code="too-large")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SvcqError("JSON 檔不是 UTF-8 編碼；請用 svcq 指令加 --json 重新產生", file=path,
                        code="bad-encoding") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SvcqError(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 字：{exc.msg}）；"
                        "請用 svcq 指令加 --json 重新產生", file=path, code="bad-json") from None


def as_data(items: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """{name: result} with every result object (anything with ``to_dict()``) as its dict."""
    pairs = items.items() if isinstance(items, Mapping) else items
    out: dict[str, Any] = {}
    for name, value in pairs:
        to_dict = getattr(value, "to_dict", None)
        out[str(name)] = to_dict() if callable(to_dict) and not isinstance(value, Mapping) else value
    return out
