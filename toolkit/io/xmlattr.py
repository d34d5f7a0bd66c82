"""Attributes of XML start tags, found by name whatever their quoting and spacing.

The patch writer splices bytes rather than re-serialising a part, so it reads and edits
start tags as text. XML allows ``r="1"``, ``r='1'`` and ``r = "1"`` alike (and Excel,
LibreOffice, POI and SheetJS each write some of them); every lookup here accepts all three,
and every edit replaces the attribute where it stands instead of adding a second one.
"""

from __future__ import annotations

import re
from functools import cache

#: one attribute: name, then its value in either quote
ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@cache
def pattern(name: bytes) -> re.Pattern[bytes]:
    """``name="…"`` / ``name='…'`` preceded by whitespace or the start; the value is the
    group named ``v``."""
    return re.compile(rb"(?:^|(?<=\s))" + re.escape(name)
                      + rb"""\s*=\s*(?:"(?P<v>[^"]*)"|'(?P<w>[^']*)')""")


def get(attrs: bytes, name: bytes) -> bytes | None:
    """The (still escaped) value of attribute ``name`` in a start tag's attribute text."""
    m = pattern(name).search(attrs)
    if m is None:
        return None
    return m.group("v") if m.group("v") is not None else m.group("w")


def set_(attrs: bytes, name: bytes, value: bytes) -> bytes:
    """``attrs`` with ``name`` set to ``value`` (already escaped): replaced in place, in the
    quote it had, or appended when absent."""
    m = pattern(name).search(attrs)
    if m is None:
        return attrs + b" " + name + b'="' + value + b'"'
    quote = b'"' if m.group("v") is not None else b"'"
    if quote in value:
        quote = b"'" if quote == b'"' else b'"'
    return attrs[: m.start()] + name + b"=" + quote + value + quote + attrs[m.end():]


def remove(attrs: bytes, name: bytes) -> bytes:
    m = pattern(name).search(attrs)
    if m is None:
        return attrs
    start = m.start()
    while start > 0 and attrs[start - 1: start].isspace():
        start -= 1
    return attrs[:start] + attrs[m.end():]


def items(attrs: bytes) -> list[tuple[bytes, bytes]]:
    """Every attribute as (name, value), in order."""
    return [(m.group(1), m.group(2) if m.group(2) is not None else m.group(3)) for m in ATTR.finditer(attrs)]
