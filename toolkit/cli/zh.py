"""click's own words (Usage, Options, Error, Show this message…) in Traditional Chinese.

click marks them for gettext and looks them up through the ``_``/``ngettext`` names each of
its modules imports; svcq points those names at this table, so ``--help`` and usage errors
read like the rest of svcq. Strings not listed stay as click wrote them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

ZH: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "選項",
    "Commands": "指令",
    "Positional arguments": "位置參數",
    "Show this message and exit.": "顯示此說明後結束。",
    "Show the version and exit.": "顯示版本後結束。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "錯誤：{message}",
    "Try '{command} {option}' for help.": "執行「{command} {option}」看說明。",
    "Missing command.": "缺少指令。",
    "No such command {name!r}.": "沒有「{name}」這個指令。",
    "No such option {name!r}.": "沒有「{name}」這個選項。",
    "Option {name!r} does not take a value.": "選項「{name}」不接受值。",
    "Argument {name!r} takes {nargs} values.": "參數「{name}」需要 {nargs} 個值。",
    "Missing argument": "缺少參數",
    "Missing option": "缺少選項",
    "Missing parameter": "缺少參數",
    "Missing parameter: {param_name}": "缺少參數：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不正確：{message}",
    "Invalid value: {message}": "值不正確：{message}",
    "Choose from:\n\t{choices}": "請從下列選擇：\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "「{value}」不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 的範圍內。",
    "{name} {filename!r} does not exist.": "{name}「{filename}」不存在。",
    "{name} {filename!r} is a directory.": "{name}「{filename}」是資料夾。",
    "{name} {filename!r} is a file.": "{name}「{filename}」是檔案。",
    "{name} {filename!r} is not readable.": "{name}「{filename}」無法讀取。",
    "{name} {filename!r} is not writable.": "{name}「{filename}」無法寫入。",
    "Could not open file {filename!r}: {message}": "無法開啟檔案「{filename}」：{message}",
    "file": "檔案",
    "directory": "資料夾",
    "path": "路徑",
    "default: {default}": "預設：{default}",
    "Aborted!": "已中止。",
    "unknown error": "未知的錯誤",
    "integer": "整數",
    "float": "數字",
    # ngettext (singular, plural) → one Chinese form
    "Got unexpected extra argument ({args})": "多了無法使用的參數（{args}）",
    "Got unexpected extra arguments ({args})": "多了無法使用的參數（{args}）",
    "Option {name!r} requires an argument.": "選項「{name}」需要一個值。",
    "Option {name!r} requires {nargs} arguments.": "選項「{name}」需要 {nargs} 個值。",
    "Did you mean {possibility}?": "您是不是要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（您是不是要用其中之一：{possibilities}？）",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 個值，但只給了 1 個。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 個值，但給了 {len} 個。",
    "{value!r} is not {choice}.": "「{value}」不是 {choice}。",
    "{value!r} is not one of {choices}.": "「{value}」不是 {choices} 之一。",
    "Missing argument {param_hint}.": "缺少參數 {param_hint}。",
}


def gettext(message: str) -> str:
    return ZH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return ZH.get(singular if n == 1 else plural, singular if n == 1 else plural)


_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui")


def install() -> None:
    """Point click's message look-ups at the table (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        for attr, fn in (("_", gettext), ("ngettext", ngettext)):
            current: Callable[..., str] | None = getattr(module, attr, None)
            if current is not None:
                setattr(module, attr, fn)
