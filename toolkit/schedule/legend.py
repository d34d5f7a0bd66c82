"""Marks in month cells and the legends that say what they mean (no file I/O).

Offices mark months with ● ○ ■ □ v ✓ 1…; a sheet may say what each means in a note such as
「○表示預定進度，●表示實際進度」 or 「網底為預定月份」. ``mark_kind`` folds the spellings of one
mark together (v, V, ✓, √ are one kind) so "two different marks" means two kinds.
"""

from __future__ import annotations

import re
from typing import Any

from toolkit.text import clean_text, nfkc

FILL = "網底"  # the key of shading in a legend
PLANNED, ACTUAL = "預定", "實際"

_KINDS = {
    "●": "●", "•": "●", "⚫": "●", "◉": "●", "⬤": "●",
    "○": "○", "◯": "○", "〇": "○", "o": "○", "O": "○", "ｏ": "○",
    "■": "■", "▇": "■", "█": "■", "▉": "■",
    "□": "□", "☐": "□",
    "✓": "✓", "✔": "✓", "√": "✓", "v": "✓", "V": "✓", "☑": "✓",
    "◎": "◎", "★": "★", "☆": "☆", "▲": "▲", "△": "△", "◆": "◆", "◇": "◇",
}
_MARK_CHARS = "".join(sorted(set(_KINDS) - set("oOvVｏ")))
_FILL_WORDS = r"網底|灰底|底色|塗色|著色|色塊|填色|反灰|塗黑|顏色|色底|灰色|網點"
_WHAT = (r"預定|預計|計畫|計劃|實際|執行|已完成|完成|已執行|已辦理|辦理")
_LEGEND = re.compile(
    rf"(?P<mark>[{re.escape(_MARK_CHARS)}vV]|{_FILL_WORDS})\s*(?:符號|記號|標記)?\s*"
    rf"(?:表示|代表|為|係|：|:|=|＝|者為|者表示)?\s*(?:已?(?:標示|標記))?\s*(?P<what>{_WHAT})")


def mark_kind(value: Any) -> str:
    """The kind of a month mark: 「●」, 「○」, 「✓」, 「1」… (spellings of one mark folded)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    text = nfkc(clean_text(value)).replace(" ", "")
    if text and all(ch == text[0] for ch in text):  # 「●●」 is still ●
        text = text[0]
    return _KINDS.get(text, text)


def _meaning(word: str) -> str:
    return PLANNED if word in ("預定", "預計", "計畫", "計劃") else ACTUAL


def parse_legend(texts: list[str]) -> dict[str, str]:
    """{mark kind or 網底: 預定|實際} from the sheet's notes; later mentions do not override."""
    out: dict[str, str] = {}
    for text in texts:
        for m in _LEGEND.finditer(nfkc(text)):
            mark = m.group("mark")
            key = FILL if re.fullmatch(_FILL_WORDS, mark) else mark_kind(mark)
            out.setdefault(key, _meaning(m.group("what")))
    return out
