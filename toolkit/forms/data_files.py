"""The data a form is filled from: ``{name: source}`` → ``{name: result as --json prints it}``.

A source is

* a result object (anything with ``to_dict()``, e.g. what ``toolkit.compute_score`` returns)
  or the plain dict/list such an object gives;
* a JSON file a command printed with ``--json`` (``svcq score compute 自評表.xlsx --json >
  自評結果.json``), recognised by its content;
* an input workbook, computed through the front door according to the data's name:
  ``score`` → compute_score, ``survey`` → tally, ``status`` → schedule_status, ``votes`` →
  votes, ``trend`` → trend, ``compare`` → compare_scores. ``管制表.xlsx@114-06`` gives
  ``status`` its month; ``回覆.xlsx@問卷.yaml`` gives ``survey``/``trend`` a questionnaire;
  ``trend`` and ``compare`` take several files separated by commas
  (``111=a.xlsx,112=b.xlsx``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from toolkit.problems import ProblemsFound, SvcqError
from toolkit.text import squash

__all__ = ["KINDS", "MAX_JSON_BYTES", "as_data", "check_name", "load_json", "load_source", "parse_data_spec"]

MAX_JSON_BYTES = 64 * 1024**2  # the largest --json output (a status of 10,000 tasks) is ~5 MB
_NAME = re.compile(r"^[^\s.\[\]{}｛｝=@]+$")


def check_name(name: str) -> str:
    """A data name as placeholders use it (``score``); ValueError with a message if unusable."""
    name = name.strip()
    if not _NAME.match(name):
        raise ValueError(f"資料名稱「{name}」不可是空的，也不可含空白、「.」、「@」、括號或大括號"
                         "（例：score、survey、status）")
    return name


def parse_data_spec(spec: str) -> tuple[str, str]:
    """``score=自評結果.json`` → ("score", "自評結果.json"); ValueError with a message."""
    name, sep, source = spec.partition("=")
    if not sep or not source.strip():
        raise ValueError(f"「{spec}」應寫成 名稱=檔案，例如 score=自評結果.json")
    return check_name(name), source.strip()


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


def _is_json(path: Path) -> bool:
    """By content, as every input is sniffed: JSON starts with { or [ (after a BOM, spaces)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"[")


def _split_option(source: str) -> tuple[str, str | None]:
    """``管制表.xlsx@114-06`` → ("管制表.xlsx", "114-06"); a file whose own name holds '@' wins."""
    if Path(source).is_file() or "@" not in source:
        return source, None
    path, _, option = source.rpartition("@")
    return path.strip(), option.strip() or None


def _files(source: str) -> list[str]:
    return [part.strip() for part in source.split(",") if part.strip()]


def _checked(result: Any) -> Any:
    """A result whose problems (a score sheet with unscored items…) stop the fill, listed."""
    problems = getattr(result, "problems", None)
    if problems:
        raise ProblemsFound(problems)
    return result


def _score(source: str) -> Any:
    import toolkit as svcq

    return _checked(svcq.compute_score(source))


def _survey(source: str) -> Any:
    import toolkit as svcq

    path, questionnaire = _split_option(source)
    return _checked(svcq.tally(path, questionnaire))


def _status(source: str) -> Any:
    import toolkit as svcq

    path, as_of = _split_option(source)
    return svcq.schedule_status(path, as_of)


def _votes(source: str) -> Any:
    import toolkit as svcq

    return svcq.votes(source)


def _trend(source: str) -> Any:
    import toolkit as svcq

    files, questionnaire = _split_option(source)
    return svcq.trend(_files(files), questionnaire)


def _compare(source: str) -> Any:
    import toolkit as svcq

    files = _files(source)
    if len(files) != 2:
        raise SvcqError(f"compare 需要兩個檔案，以逗號分隔（例：compare=自評表-112.xlsx,自評表-113.xlsx）；"
                        f"「{source}」有 {len(files)} 個", code="usage")
    return svcq.compare_scores(files[0], files[1])


#: Data name → how an input workbook of that name becomes data.
KINDS: dict[str, Callable[[str], Any]] = {
    "score": _score, "survey": _survey, "status": _status, "votes": _votes, "trend": _trend,
    "compare": _compare,
}


def load_source(name: str, source: str | Path) -> Any:
    """The data behind one ``--data name=source`` (see the module doc)."""
    text = str(source)
    if _is_json(Path(text)):
        return load_json(text)
    kind = KINDS.get(squash(name).casefold())
    if kind is None:
        if not Path(text).exists():
            raise SvcqError("找不到檔案", file=text, code="not-found")
        raise SvcqError(f"「{name}={text}」不是 JSON 檔；要直接由活頁簿計算，資料名稱須是 "
                        f"{'、'.join(KINDS)} 之一（或先以 --json 存成 JSON）", file=text, code="fill-data-kind")
    return kind(text)


def as_data(items: Mapping[str, Any]) -> dict[str, Any]:
    """{name: data as dicts and lists}: result objects as their ``to_dict()``, sources loaded."""
    out: dict[str, Any] = {}
    for name, value in items.items():
        try:
            key = check_name(str(name))
        except ValueError as exc:
            raise SvcqError(str(exc), code="usage") from None
        if isinstance(value, str | Path):
            value = load_source(key, value)
        to_dict = getattr(value, "to_dict", None)
        out[key] = to_dict() if callable(to_dict) and not isinstance(value, Mapping) else value
    return out
