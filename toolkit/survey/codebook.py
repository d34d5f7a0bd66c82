"""A paper survey's 代碼表 (題目 | 代碼 | 說明) → what each code means, per column (pure).

Offices key paper questionnaires as codes (5 = 非常滿意 … 1 = 非常不滿意, 9 = 未答) and keep
the meaning of the codes in a sheet beside the answers::

    題目        代碼   說明
    各題        5      非常滿意        ← 「各題」: every question not listed on its own
                ...
                9      未答            ← a blank: not in any base
    電話服務    8      不適用          ← outside this question's base
    電話服務           僅計曾使用者    ← this question's base leaves out 無意見
    性別        1      男              ← a demographic column (for --by and weighting)

Labels are read against the questionnaire's scale; 無意見 / 不知道 / 拒答 are 無意見 (in the
base unless the question says otherwise); 未答 / 未填 / 漏答 are blanks; 不適用 / 未使用 are
outside the base. A code in the data that the 代碼表 does not define is a problem with its
cell, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.problems import Problem
from toolkit.sheetkit.table import TableLike
from toolkit.survey.likert import INVALID, MISSING, NO_OPINION_CODE, NO_OPINION_WORDS, NOT_APPLICABLE, STANDARD, Scale
from toolkit.survey.questionnaire import EXCLUDE_NO_OPINION_WORDS
from toolkit.text import clean_text, is_blank, squash

#: Sheet names used automatically when they sit in the responses' workbook.
SHEET_NAMES = ("代碼表", "代碼說明", "問卷設定", "編碼表", "編碼說明")
QUESTION_HEADERS = ("題目", "題號", "欄位", "欄名", "變項", "變數", "問項", "題目名稱", "欄位名稱")
CODE_HEADERS = ("代碼", "代號", "編碼", "數值", "選項代碼", "值", "代碼值")
LABEL_HEADERS = ("說明", "標籤", "選項", "意義", "內容", "代表", "選項說明", "代碼說明")
#: 題目 entries that define the codes of every question not listed on its own.
ALL_QUESTIONS = ("各題", "全部", "所有題目", "每題", "共同", "共用", "各題共用", "滿意度題目", "*")
MISSING_WORDS = ("未答", "未填", "未填答", "未回答", "漏答", "空白", "遺漏", "遺漏值", "缺失值", "無效")
NOT_APPLICABLE_WORDS = ("不適用", "未使用", "未曾使用", "不曾使用", "沒有使用", "沒用過", "未使用過",
                        "跳答", "免答", "非適用對象")
HEADER_SCAN = 30
_BRACKETS = re.compile(r"[(（][^()（）]*[)）]$")

ANSWER, NO_OPINION, BLANK, OUTSIDE, LABEL = "answer", "no_opinion", "blank", "not_applicable", "label"



def code_key(value: Any) -> str:
    """How codes are compared: 5, 5.0, '５', ' 5 ' and '05' are the same code."""
    if isinstance(value, bool):
        return squash(str(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = squash(value)
    if re.fullmatch(r"\d+(\.0+)?", text):
        return str(int(float(text)))
    return text


@dataclass(frozen=True)
class Code:
    """What one code means: ``kind`` is answer / no_opinion / blank / not_applicable / label;
    ``score`` 5…1 for answers (5 = the scale's best label), 0 for 無意見."""

    label: str
    kind: str
    score: int | None = None


@dataclass
class CodeMap:
    """The codes of one column (or of every question: ``column`` '各題')."""

    column: str
    codes: dict[str, Code] = field(default_factory=dict)
    exclude_no_opinion: bool = False
    cell: str = ""  # where its block starts in the 代碼表 (for messages)

    @property
    def is_question(self) -> bool:
        """Its codes are answers (or it only adds 不適用 / 「僅計曾使用者」 to the 各題 codes)."""
        return self.exclude_no_opinion or any(c.kind in (ANSWER, NO_OPINION, OUTSIDE)
                                              for c in self.codes.values())

    def defined(self) -> str:
        return "、".join(f"{k}={c.label}" for k, c in self.codes.items())

    def score(self, value: Any) -> int | None:
        """Like Scale.normalise: 5…1, 0 (無意見), None (blank), NOT_APPLICABLE, INVALID."""
        if is_blank(value):
            return MISSING
        code = self.codes.get(code_key(value)) or self._by_label(value)
        if code is None or code.kind == LABEL:
            return INVALID
        if code.kind == BLANK:
            return MISSING
        if code.kind == OUTSIDE:
            return NOT_APPLICABLE
        return code.score

    def label(self, value: Any) -> str | None:
        """A demographic code → its label; None for blank / 未答; INVALID_LABEL if undefined."""
        if is_blank(value):
            return None
        code = self.codes.get(code_key(value)) or self._by_label(value)
        if code is None:
            return INVALID_LABEL
        return None if code.kind == BLANK else code.label

    def _by_label(self, value: Any) -> Code | None:
        """A cell typed as the label itself (「非常滿意」 in a coded column) is that code."""
        key = squash(value)
        return next((c for c in self.codes.values() if squash(c.label) == key), None)


#: What CodeMap.label returns for a code the 代碼表 does not define.
INVALID_LABEL = "\x00invalid"


@dataclass
class Codebook:
    """Every column's codes. ``default``: the 各題 block, for questions not listed alone."""

    columns: dict[str, CodeMap]  # squash(column) → its codes
    default: CodeMap | None = None
    file: str = ""
    sheet: str | None = None

    def get(self, column: str) -> CodeMap | None:
        return self.columns.get(squash(column))

    def for_question(self, column: str) -> CodeMap | None:
        """The codes of a question column: its own block over the 各題 block."""
        own = self.get(column)
        if own is None or self.default is None:
            return own or self.default
        merged = CodeMap(own.column, {**self.default.codes, **own.codes},
                         own.exclude_no_opinion or self.default.exclude_no_opinion, own.cell)
        return merged

    @property
    def question_columns(self) -> list[str]:
        return [m.column for m in self.columns.values() if m.is_question]

    @property
    def other_columns(self) -> list[str]:
        return [m.column for m in self.columns.values() if not m.is_question]


def classify(label: str, scale: Scale = STANDARD) -> Code:
    """The meaning of a 說明 written in the 代碼表."""
    text = clean_text(label)
    key = squash(_BRACKETS.sub("", squash(text)) or text)
    for i, name in enumerate(scale.labels):
        if key == squash(name):
            return Code(text, ANSWER, 5 - i)
    if key in {squash(w) for w in MISSING_WORDS}:
        return Code(text, BLANK)
    if key in {squash(w) for w in NOT_APPLICABLE_WORDS}:
        return Code(text, OUTSIDE)
    if key in {squash(w) for w in (*scale.no_opinion_words, *NO_OPINION_WORDS, "沒意見", "無法回答")}:
        return Code(text, NO_OPINION, NO_OPINION_CODE)
    return Code(text, LABEL)


def _at(row: Sequence[Any], col: int) -> Any:
    return row[col] if col < len(row) else None


def _find_header(rows: Sequence[Sequence[Any]]) -> tuple[int, int, int, int] | None:
    sets = [{squash(h) for h in hs} for hs in (QUESTION_HEADERS, CODE_HEADERS, LABEL_HEADERS)]
    for r, row in enumerate(rows[:HEADER_SCAN]):
        keys = [squash(v) for v in row]
        found = [next((c for c, k in enumerate(keys) if k in wanted), None) for wanted in sets]
        if all(c is not None for c in found):
            q, c, lab = found
            assert q is not None and c is not None and lab is not None
            return r, q, c, lab
    return None


def codebook_from_table(table: TableLike, scale: Scale = STANDARD) -> tuple[Codebook | None, list[Problem]]:
    """Read a 代碼表 (see the module doc); (codebook, []) or (None, every problem)."""
    found = _find_header(table.rows)
    if found is None:
        return None, [table.problem(0, 0, "codebook-no-header",
                                    "找不到代碼表的標題列：需要「題目」「代碼」「說明」三欄")]
    header, qc, cc, lc = found
    problems: list[Problem] = []
    maps: dict[str, CodeMap] = {}
    where: dict[tuple[str, str], str] = {}  # (column, code) → cell, for duplicates
    current: CodeMap | None = None
    for r in range(header + 1, len(table.rows)):
        row = table.rows[r]
        name, raw_code, raw_label = clean_text(_at(row, qc)), _at(row, cc), clean_text(_at(row, lc))
        if not name and is_blank(raw_code) and not raw_label:
            continue
        if name:
            key = "*" if squash(name) in {squash(a) for a in ALL_QUESTIONS} else squash(name)
            current = maps.setdefault(key, CodeMap("各題" if key == "*" else name,
                                                   cell=table.ref(r, qc)))
        if current is None:
            problems.append(table.problem(r, qc, "codebook-no-question", f"第 {r + 1} 列沒有題目（欄名）"))
            continue
        if is_blank(raw_code):
            if squash(raw_label) in {squash(w) for w in EXCLUDE_NO_OPINION_WORDS}:
                current.exclude_no_opinion = True
            elif raw_label:
                problems.append(table.problem(r, cc, "codebook-no-code",
                                              f"「{current.column}」的「{raw_label}」沒有代碼；若要此題滿意度"
                                              "不含無意見，說明請寫「僅計曾使用者」"))
            continue
        if not raw_label:
            problems.append(table.problem(r, lc, "codebook-no-label",
                                          f"「{current.column}」的代碼 {code_key(raw_code)} 沒有說明"))
            continue
        code = code_key(raw_code)
        seen = where.get((current.column, code))
        if seen is not None:
            problems.append(table.problem(r, cc, "codebook-duplicate",
                                          f"「{current.column}」的代碼 {code} 重複（{seen} 已定義）"))
            continue
        where[(current.column, code)] = table.ref(r, cc)
        current.codes[code] = classify(raw_label, scale)
    for cmap in maps.values():
        problems += _check_block(table, cmap, scale, where)
    if not maps and not problems:
        problems.append(table.problem(header, qc, "codebook-empty", "代碼表的標題列下方沒有任何代碼"))
    if problems:
        return None, problems
    default = maps.pop("*", None)
    return Codebook(maps, default, table.file, table.sheet), []


def _check_block(table: TableLike, cmap: CodeMap, scale: Scale,
                 where: Mapping[tuple[str, str], str]) -> list[Problem]:
    """A question's block holds scale labels only; the same label twice is a mistake."""
    problems: list[Problem] = []

    def at(code: str, message: str, what: str = "codebook-bad-label") -> None:
        problems.append(Problem(what, message, table.file, table.sheet, where[(cmap.column, code)]))

    if cmap.is_question or cmap.column == "各題":
        for code, meaning in cmap.codes.items():
            if meaning.kind == LABEL:
                at(code, f"「{cmap.column}」的代碼 {code}「{meaning.label}」不是量表的選項；應為"
                   f"{'、'.join(scale.labels)}、無意見、未答或不適用")
    scores: dict[int, str] = {}
    for code, meaning in cmap.codes.items():
        if meaning.kind == ANSWER and meaning.score is not None:
            if meaning.score in scores:
                at(code, f"「{cmap.column}」的代碼 {scores[meaning.score]} 與 {code} 都是「{meaning.label}」",
                   "codebook-duplicate")
            scores[meaning.score] = code
    return problems
