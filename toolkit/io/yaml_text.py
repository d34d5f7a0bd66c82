"""Settings files in YAML (rubrics, questionnaires) with errors a user can act on, in Chinese.

PyYAML's messages are English and point past the real mistake: a full-width colon
(「points：5」, typed with a Chinese input method) is reported one line later as "could not
find expected ':'". ``load_yaml`` names the line and says what to type instead; a key written
twice, which PyYAML silently lets the second win, is refused too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from toolkit.problems import SvcqError

#: A line whose key ends with a full-width colon: 「points：5」「- name：服務友善」.
_FULL_WIDTH_KEY = re.compile(r"^\s*(?:-\s+)?([^\s#'\"：:][^#'\":：]*?)\s*：")
_MESSAGES = (
    ("could not find expected ':'", "找不到冒號「:」"),
    ("mapping values are not allowed here", "這裡不能出現「鍵: 值」：冒號後要加一個空格；文字中有冒號時請整段加引號"),
    ("cannot start any token", "不能用 Tab 鍵縮排，請改用空格"),
    ("expected <block end>", "縮排不一致：同一層的項目要對齊"),
    ("found unexpected end of stream", "引號（' 或 \"）沒有成對"),
    ("did not find expected key", "縮排不一致或少了「- 」"),
    ("did not find expected '-' indicator", "清單項目要以「- 」開頭並對齊"),
    ("found undefined alias", "用了未定義的別名（*）"),
    ("found duplicate anchor", "錨點（&）重複"),
)


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        self.key, self.line = key, line


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, str | int | float | bool) and key in seen:
            raise _DuplicateKey(str(key), key_node.start_mark.line + 1)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def full_width_colons(text: str) -> list[int]:
    """Line numbers (1-based) whose key is followed by a full-width colon."""
    lines = []
    for i, line in enumerate(text.splitlines(), 1):
        before_value = line.split(": ", 1)[0]  # a 「：」 inside a value is fine
        if "：" in before_value and _FULL_WIDTH_KEY.match(line):
            lines.append(i)
    return lines


def load_yaml(text: str, what: str, source: str | Path | None = None) -> Any:
    """Parse ``text``; SvcqError (exit 2) in Chinese naming the line. ``what``: 評分基準檔…"""
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: no arbitrary objects
    except _DuplicateKey as exc:
        raise SvcqError(f"{what}第 {exc.line} 行：「{exc.key}」重複設定了兩次", file=source,
                        code="bad-yaml") from None
    except yaml.YAMLError as exc:
        _refuse_full_width(text, what, source)
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        raw = str(getattr(exc, "problem", "") or exc)
        said = next((zh for en, zh in _MESSAGES if en in raw), f"格式有誤（技術細節：{raw}）")
        raise SvcqError(f"{what}{where}的 YAML 格式錯誤：{said}", file=source, code="bad-yaml") from None
    if not isinstance(data, dict):  # 「名稱：本所」 alone reads as one string
        _refuse_full_width(text, what, source)
    return data


def _refuse_full_width(text: str, what: str, source: str | Path | None) -> None:
    colons = full_width_colons(text)
    if colons:
        lines = "、".join(f"第 {n} 行" for n in colons)
        raise SvcqError(f"{what}{lines}用了全形冒號「：」；YAML 的冒號要用半形「:」，後面再加一個空格"
                        "（例如「points: 5」）", file=source, code="bad-yaml")
