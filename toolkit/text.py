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
