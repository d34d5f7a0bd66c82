"""The questionnaire: which columns are questions, demographics and comments, and the scale.

Loaded from a plain dict (the YAML file is read by toolkit.survey.sheets) or, without one,
detected from the responses themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.problems import Problem
from toolkit.survey.likert import INVALID, LABELS, MISSING, NO_OPINION_WORDS, STANDARD, Scale
from toolkit.text import clean_text, is_blank, squash

#: Headers that are never questions even when every value is 1–5 (age bands, ids…). Not
#: 「時間」: 等候時間 keyed as codes is a question (填寫時間 and 時間戳記 are ID_WORDS).
NOT_QUESTION_WORDS = ("編號", "序號", "性別", "年齡", "學歷", "教育", "職業", "身分", "月份",
                      "日期", "時段", "區域", "里別", "居住", "項目", "類別", "次數")
#: Record-keeping columns: neither questions nor demographics (and not what makes a respondent).
ID_WORDS = ("編號", "序號", "日期", "時間戳記", "填寫時間")
COMMENT_WORDS = ("意見", "建議", "其他", "留言", "說明", "備註", "心得")
#: A column is auto-detected as a question if this share of its non-blank values are answers
#: (numbers only / some typed labels).
DETECT_SHARE = 0.9
DETECT_SHARE_LABELS = 0.5
#: Non-question columns with at most this many distinct values are demographic candidates.
MAX_GROUPS = 20

KNOWN_KEYS = {"title", "sheet", "scale", "codes", "no_opinion", "no_opinion_codes", "missing_codes",
              "not_applicable_codes", "questions", "demographics", "comments", "min_standard",
              "population", "exclude_no_opinion"}
QUESTION_KEYS = {"column", "text", "min_standard", "exclude_no_opinion"}
#: How a 代碼表 or a YAML file says a question's base leaves out 無意見.
EXCLUDE_NO_OPINION_WORDS = ("僅計曾使用者", "不含無意見", "排除無意見", "無意見不計入", "分母不含無意見")


@dataclass(frozen=True)
class Question:
    column: str  # header text as in the sheet
    text: str = ""  # the full wording, for reports
    min_standard: float | None = None
    #: This question's own base: True leaves 無意見 out (「僅計曾使用者」); None follows the survey.
    exclude_no_opinion: bool | None = None

    @property
    def title(self) -> str:
        return self.text or self.column


@dataclass
class Questionnaire:
    questions: list[Question]
    demographics: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    scale: Scale = STANDARD
    title: str = ""
    sheet: str | None = None
    min_standard: float | None = None
    population: int | None = None
    exclude_no_opinion: bool = False
    detected: bool = False  # True when guessed from the data, not read from a file
    #: The 代碼表 (toolkit.survey.codebook.Codebook) when the answers are codes it defines.
    codebook: Any = None

    @property
    def question_columns(self) -> list[str]:
        return [q.column for q in self.questions]


def _problem(source: str, message: str, key: str = "") -> Problem:
    return Problem("bad-questionnaire", message, source, None, key or None)


def _names(value: Any, key: str, source: str, problems: list[Problem]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        problems.append(_problem(source, f"「{key}」應為欄名清單", key))
        return []
    return [clean_text(v) for v in value]


def _fraction(value: Any, key: str, source: str, problems: list[Problem]) -> float | None:
    from toolkit.text import parse_percent

    if value is None:
        return None
    try:
        return parse_percent(value)
    except ValueError as exc:
        problems.append(_problem(source, f"「{key}」{exc}", key))
        return None


def questionnaire_from_dict(data: Any, source: str = "問卷設定") -> tuple[Questionnaire | None, list[Problem]]:
    """Build a Questionnaire from the YAML structure (see docs/survey.md); all problems at once."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return None, [_problem(source, "問卷設定檔的最上層應為「鍵: 值」的對照（例如 questions: [...]）")]
    for key in data:
        if key not in KNOWN_KEYS:
            problems.append(_problem(source, f"不認得的設定「{key}」；可用的有：{'、'.join(sorted(KNOWN_KEYS))}",
                                     str(key)))
    labels = LABELS
    if data.get("scale") is not None:
        scale_value = data["scale"]
        if isinstance(scale_value, list) and len(scale_value) == 5 and all(isinstance(s, str) for s in scale_value):
            labels = tuple(clean_text(s) for s in scale_value)
        else:
            problems.append(_problem(source, "「scale」應為 5 個選項文字，由最好到最差"
                                     "（例：[非常滿意, 滿意, 普通, 不滿意, 非常不滿意]）", "scale"))
    high_is_best = True
    codes = data.get("codes")
    if codes is not None:
        text = squash(codes)
        if text in {"5=" + squash(labels[0]), "5", "5high", "high"}:
            high_is_best = True
        elif text in {"1=" + squash(labels[0]), "1", "1high", "low"}:
            high_is_best = False
        else:
            problems.append(_problem(source, f"「codes」應寫成「5={labels[0]}」或「1={labels[0]}」", "codes"))
    words = tuple(_names(data.get("no_opinion"), "no_opinion", source, problems)) or NO_OPINION_WORDS
    extra: dict[str, tuple[int, ...]] = {}
    for key, example in (("no_opinion_codes", "[0, 6]"), ("missing_codes", "[9]"),
                         ("not_applicable_codes", "[8]")):
        raw = data.get(key) or []
        if isinstance(raw, int):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(c, int) and not isinstance(c, bool)
                                                and not 1 <= c <= 5 for c in raw):
            problems.append(_problem(source, f"「{key}」應為 1–5 以外的整數清單（例：{example}）", key))
            raw = []
        for other, codes in extra.items():
            for code in set(raw) & set(codes):
                problems.append(_problem(source, f"代碼 {code} 同時列在「{other}」與「{key}」", key))
        extra[key] = tuple(raw)
    scale = Scale(labels, high_is_best, words, extra["no_opinion_codes"], extra["missing_codes"],
                  extra["not_applicable_codes"])

    questions: list[Question] = []
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append(_problem(source, "「questions」應列出至少一個題目欄", "questions"))
        raw_questions = []
    for i, item in enumerate(raw_questions, 1):
        if isinstance(item, str | int):
            questions.append(Question(clean_text(item)))
        elif isinstance(item, dict) and isinstance(item.get("column"), str | int):
            std = _fraction(item.get("min_standard"), f"questions 第 {i} 題的 min_standard", source, problems)
            for key in item:
                if key not in QUESTION_KEYS:
                    problems.append(_problem(source, f"questions 第 {i} 題有不認得的設定「{key}」；可用的有："
                                             f"{'、'.join(sorted(QUESTION_KEYS))}", "questions"))
            exclude = item.get("exclude_no_opinion")
            if exclude is not None and not isinstance(exclude, bool):
                problems.append(_problem(source, f"questions 第 {i} 題的 exclude_no_opinion 應為 true 或 false"
                                         "（true：此題滿意度的分母不含無意見，即「僅計曾使用者」）", "questions"))
                exclude = None
            questions.append(Question(clean_text(item["column"]), clean_text(item.get("text", "")), std,
                                      exclude))
        else:
            problems.append(_problem(source, f"questions 第 {i} 項應為欄名，或含 column: 的對照", "questions"))
    seen = Counter(squash(q.column) for q in questions)
    for name, n in seen.items():
        if n > 1:
            problems.append(_problem(source, f"題目欄「{name}」重複列了 {n} 次", "questions"))
    population = data.get("population")
    if population is not None and (not isinstance(population, int) or population < 1):
        problems.append(_problem(source, "「population」應為正整數（母體人數）", "population"))
        population = None
    sheet = data.get("sheet")
    q = Questionnaire(
        questions=questions,
        demographics=_names(data.get("demographics"), "demographics", source, problems),
        comments=_names(data.get("comments"), "comments", source, problems),
        scale=scale,
        title=clean_text(data.get("title", "")),
        sheet=clean_text(sheet) if sheet is not None else None,
        min_standard=_fraction(data.get("min_standard"), "min_standard", source, problems),
        population=population,
        exclude_no_opinion=bool(data.get("exclude_no_opinion", False)),
    )
    return (None if problems else q), problems


def detect_questionnaire(header: Sequence[Any], columns: Sequence[Counter[Any]],
                         scale: Scale = STANDARD, codebook: Any = None) -> Questionnaire:
    """Guess the roles of columns from their values.

    With a ``codebook`` (toolkit.survey.codebook.Codebook), the columns it lists are
    questions or demographics as its codes say, and the others are read through its 各題
    codes.

    ``columns[i]`` counts the raw values of column ``i``. A question is a column whose
    non-blank values are mostly Likert answers (≥ 50 % when labels are typed, ≥ 90 % for bare
    numbers) with at least one real answer; the rest of its values are then reported as
    problems rather than silently dropping a whole question for a few typos. Numeric columns
    headed 年齡, 編號… are never questions.
    """
    questions: list[Question] = []
    demographics: list[str] = []
    comments: list[str] = []
    listed = {squash(c) for c in codebook.question_columns} if codebook is not None else set()
    labelled = {squash(c) for c in codebook.other_columns} if codebook is not None else set()
    default = codebook.default if codebook is not None else None
    for name, counter in zip(header, columns, strict=True):
        name = clean_text(name)
        if not name:
            continue
        if squash(name) in listed:
            questions.append(Question(name))
            continue
        if squash(name) in labelled:
            demographics.append(name)
            continue
        normalise = default.score if default is not None else scale.normalise
        answers = invalid = real = distinct = 0
        for value, n in counter.items():
            code = normalise(value)
            if code is MISSING:
                continue
            distinct += 1
            if code == INVALID:
                invalid += n
            else:
                answers += n
                real += n if code > 0 else 0
        total = answers + invalid
        numeric_only = all(isinstance(v, int | float) or squash(v).isdigit() or is_blank(v) for v in counter)
        excluded = numeric_only and any(w in name for w in NOT_QUESTION_WORDS)
        # Typed labels make a column a question even with many typos (they are then reported,
        # not silently dropped with the column); bare numbers must nearly all be 1–5 codes.
        # (a 代碼表's 各題 codes are labels as good as typed ones)
        share = DETECT_SHARE if numeric_only and default is None else DETECT_SHARE_LABELS
        if total and real and answers / total >= share and not excluded:
            questions.append(Question(name))
        elif any(w in name for w in COMMENT_WORDS) and not numeric_only:
            comments.append(name)
        elif 0 < distinct <= MAX_GROUPS and not any(w in name for w in ID_WORDS):
            demographics.append(name)
    return Questionnaire(questions, demographics, comments, scale, detected=True, codebook=codebook)
