"""Normalising what office staff type into cells: full-width forms, stray spaces, percents."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def nfkc(value: str) -> str:
    """Full-width digits, letters and punctuation to their ordinary forms (１２ → 12)."""
    return unicodedata.normalize("NFKC", value)


def clean_text(value: Any) -> str:
    """NFKC, ideographic/non-breaking spaces folded, outer spaces stripped, runs collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # NFKC again at the end: folding spaces can join a letter and a combining mark
    # ("A´" → "A ́" → "Á"), and the result must be stable under a second pass.
    return nfkc(_SPACES.sub(" ", nfkc(str(value))).strip())


def squash(value: Any) -> str:
    """clean_text with every space removed: for labels such as '非 常 滿 意'."""
    return nfkc(_SPACES.sub("", clean_text(value)))


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and clean_text(value) == ""


def parse_number(value: Any, *, unit: str = "") -> float | None:
    """A number from a cell: 4.5, '４.５', '4.5分' (with unit='分'), '1,234'. None if not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    # Spaces inside digits mean it is not one number: "+886 2 1234 5678" is a phone number.
    text = clean_text(value).replace(",", "")
    if unit and text.endswith(unit):
        text = text[: -len(unit)].rstrip()
    return float(text) if _NUMBER.match(text) else None


def parse_percent(value: Any) -> float | None:
    """A completion or rate as a fraction 0–1.

    Accepts 80%, ８０％, '80 %', 0.8 and 80. Numbers ≤ 1 are taken as fractions (Excel
    stores 80% as 0.8 and 100% as 1), larger ones up to 100 as percents. Returns None
    for blank; raises ValueError (message in Chinese) for anything else.
    """
    if is_blank(value):
        return None
    if isinstance(value, str):
        text = squash(value)
        if text.endswith("%"):
            number = parse_number(text[:-1])
            if number is None:
                raise ValueError(f"「{clean_text(value)}」不是百分比")
            number /= 100
        else:
            number = parse_number(text)
            if number is None:
                raise ValueError(f"「{clean_text(value)}」不是百分比（請填 0–100% 的數字）")
            if number > 1:
                number /= 100
    else:
        number = parse_number(value)
        if number is None:
            raise ValueError(f"「{value}」不是百分比")
        if number > 1:
            number /= 100
    if not 0 <= number <= 1 + 1e-9:
        raise ValueError(f"「{clean_text(value)}」超出 0–100% 的範圍")
    return min(number, 1.0)


# -- Chinese numerals ---------------------------------------------------------------------

_CJK_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
               "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
_CJK_TENS = {"廿": 20, "卅": 30}
CJK_NUMERAL_CHARS = "".join([*_CJK_DIGITS, *_CJK_UNITS, *_CJK_TENS])


def cjk_number(text: str) -> int | None:
    """一百零七 → 107, 一〇七 / 一○七 → 107, 十二 → 12, 二十六 → 26, 廿六 → 26; None if the
    text is not a Chinese numeral (or is malformed: 十十, 一二十)."""
    if not text or any(ch not in _CJK_DIGITS and ch not in _CJK_UNITS and ch not in _CJK_TENS
                       for ch in text):
        return None
    if all(ch in _CJK_DIGITS for ch in text):  # positional: 一〇七, 一一三
        return int("".join(str(_CJK_DIGITS[ch]) for ch in text))
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in _CJK_DIGITS:
            if digit is not None and _CJK_DIGITS[ch] != 0:
                return None  # two digits without a unit between them: 一二十
            digit = _CJK_DIGITS[ch] or None
        elif ch in _CJK_TENS:
            if digit is not None or total:
                return None
            total, last_unit = _CJK_TENS[ch], 10
        else:
            unit = _CJK_UNITS[ch]
            if unit >= last_unit:
                return None  # units must fall: 十百 is not a number
            total += (digit if digit is not None else 1) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


# -- what reaches a terminal or a file name -----------------------------------------------

#: Invisible characters that reorder text: bidi embeddings, overrides, isolates and marks.
#: In a file name they make 「報表‮xslx.exe」 look like an .xlsx; in a terminal, reversed text.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


def terminal_safe(value: Any) -> str:
    """Text safe to print: C0/C1 control characters (ESC, BEL, CSI, a bare CR…), DEL and bidi
    controls removed, so a cell cannot retitle the window, clear the screen, overwrite the
    line before it or show reversed. Tabs and newlines stay."""
    text = "" if value is None else str(value)
    return _TERMINAL_UNSAFE.sub("", text.replace("\r\n", "\n"))


#: Names Windows reserves for devices, whatever the extension: 「CON.xlsx」 cannot be created.
WINDOWS_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]})
_NAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]')
#: A file name's budget in UTF-8 bytes, extension included: far below the 255 of every file
#: system, so that svcq's temporary (.名稱.pid.亂碼.tmp.xlsx) and backup (.bak-日期時間)
#: names still fit, and a Windows path to a shared folder stays under 260 characters.
MAX_NAME_BYTES = 120


def safe_file_name(name: Any, suffix: str = "", *, fallback: str = "未命名",
                   max_bytes: int = MAX_NAME_BYTES) -> str:
    """A file name from user text (a 課室 name) that every system accepts and shows as it is:
    characters Windows refuses and control characters become ``_``, bidi controls go, no
    leading ``~$`` (Excel's lock-file prefix) or dot, no trailing dot or space, no device name
    (``CON`` → ``_CON``), and at most ``max_bytes`` UTF-8 bytes — a shortened name ends with
    a short digest of the full one, so two long names never collapse into one file."""
    text = unicodedata.normalize("NFC", "" if name is None else str(name))
    text = "".join(ch for ch in text if ch not in BIDI_CONTROLS)
    text = _NAME_FORBIDDEN.sub("_", text).strip(" .")
    while text.startswith("~$"):
        text = "_" + text[2:]
    if not text:
        text = fallback
    if text.split(".")[0].rstrip(" ").upper() in WINDOWS_DEVICE_NAMES:
        text = "_" + text
    budget = max_bytes - len(suffix.encode("utf-8"))
    if len(text.encode("utf-8")) > budget:
        import hashlib

        tag = "~" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]
        keep = budget - len(tag)
        while len(text.encode("utf-8")) > keep or (text and unicodedata.combining(text[-1])):
            text = text[:-1]
        text = text.rstrip(" .") + tag
    return text + suffix
