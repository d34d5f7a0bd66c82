"""Likert answers as office staff type them → codes 1–5 (5 = 非常滿意), 0 for 無意見.

A cell may hold a label (``非常滿意``, ``非 常 滿 意``, ``非常滿意　``), a code (5, ``５``,
``5.0``) or a labelled code (``5 非常滿意``, ``非常滿意(5)``). Blank is missing. The scale's
labels and which end code 5 stands for come from the questionnaire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from toolkit.text import clean_text, is_blank, squash

#: The standard five labels, best first.
LABELS: tuple[str, ...] = ("非常滿意", "滿意", "普通", "不滿意", "非常不滿意")
NO_OPINION = "無意見"
#: Answers that mean "no opinion": kept in the base of government-style rates.
NO_OPINION_WORDS: tuple[str, ...] = ("無意見", "不知道", "未回答", "拒答")
#: Keys of ``counts`` in every result, best first, 無意見 last.
COUNT_KEYS: tuple[str, ...] = (*LABELS, NO_OPINION)

NO_OPINION_CODE = 0
MISSING = None
INVALID = -1
#: An answer outside the question's base (不適用: the respondent never used the service).
NOT_APPLICABLE = -2

_LABELLED = re.compile(r"^\(?(\d)\)?[.、:：)\-]?(\D+)$|^(\D+?)[(（]?(\d)[)）]?$")


@dataclass(frozen=True)
class Scale:
    """The five labels (best first), whether code 5 or code 1 means the best one, and
    any extra codes meaning 無意見 (some forms code it 0, 6 or 9), 未答 (a blank) or 不適用
    (outside the base)."""

    labels: tuple[str, ...] = LABELS
    high_is_best: bool = True
    no_opinion_words: tuple[str, ...] = NO_OPINION_WORDS
    no_opinion_codes: tuple[int, ...] = ()
    missing_codes: tuple[int, ...] = ()
    not_applicable_codes: tuple[int, ...] = ()
    _lookup: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.labels) != 5:
            raise ValueError("量表必須有 5 個選項（由最好到最差）")
        lookup: dict[str, int] = {}
        for i, label in enumerate(self.labels):
            lookup[squash(label)] = 5 - i
        for word in self.no_opinion_words:
            lookup[squash(word)] = NO_OPINION_CODE
        object.__setattr__(self, "_lookup", lookup)

    def label_of(self, score: int) -> str:
        """Score 5…1 → label; 0 → 無意見."""
        return NO_OPINION if score == NO_OPINION_CODE else self.labels[5 - score]

    def from_code(self, code: int) -> int | None:
        """A written code → score (5 = best) honouring the code direction."""
        if code in self.no_opinion_codes:
            return NO_OPINION_CODE
        if code in self.missing_codes:
            return MISSING
        if code in self.not_applicable_codes:
            return NOT_APPLICABLE
        if 1 <= code <= 5:
            return code if self.high_is_best else 6 - code
        return INVALID

    def normalise(self, value: Any) -> int | None:
        """Score 5…1, 0 for 無意見, None for blank, NOT_APPLICABLE (-2) for a 不適用 code,
        INVALID (-1) for anything else."""
        if isinstance(value, bool):
            return INVALID
        if isinstance(value, int | float):
            if value != value:  # NaN: an empty numeric cell from pandas-made files
                return MISSING
            return self.from_code(int(value)) if float(value).is_integer() else INVALID
        if is_blank(value):
            return MISSING
        text = squash(value)
        found = self._lookup.get(text)
        if found is not None:
            return found
        if text.isdigit() or re.fullmatch(r"\d+\.0+", text):
            return self.from_code(int(float(text)))
        m = _LABELLED.match(text)
        if m:  # "5 非常滿意", "非常滿意(5)": label and code must agree
            digit = m.group(1) or m.group(4)
            label = (m.group(2) or m.group(3)).strip("()（）.、:：-")
            by_label = self._lookup.get(label)
            if by_label is not None and by_label == self.from_code(int(digit)):
                return by_label
        return INVALID

    def describe(self, value: Any) -> str:
        """How a bad value is quoted back to the user."""
        return clean_text(value) if not isinstance(value, float) else f"{value:g}"

    def expected(self) -> str:
        best = 5 if self.high_is_best else 1
        return f"{'、'.join(self.labels)}、{NO_OPINION}，或代碼 1–5（{best} = {self.labels[0]}）"


STANDARD = Scale()
