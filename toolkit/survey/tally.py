"""Tallying responses: one pass of C-level counting per column, each distinct raw value
normalised once.

200,000 respondents × 20 questions are 4 million cells but only a handful of distinct
values per column, so the columns are transposed (``zip(*rows)``), counted with
``collections.Counter`` and the few distinct values mapped through the Likert normaliser.
Cells are looked at one by one only to locate bad values.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from toolkit.frames import frame
from toolkit.problems import Problem, ProblemsFound
from toolkit.sheetkit.cells import quote_sheet
from toolkit.sheetkit.headers import HEADER_SCAN_ROWS
from toolkit.sheetkit.table import TableLike
from toolkit.survey.codebook import INVALID_LABEL, Codebook, CodeMap
from toolkit.survey.likert import INVALID, MISSING, NOT_APPLICABLE, Scale
from toolkit.survey.questionnaire import Question, Questionnaire, detect_questionnaire
from toolkit.survey.stats import ChiSquare, chi_square, margin_of_error, wilson
from toolkit.survey.weights import Margins, WeightedRate, Weighting, weigh, weighted_rate
from toolkit.text import clean_text, is_blank, squash

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: Bad cells listed one by one; beyond this a single summary problem gives the count.
MAX_CELL_PROBLEMS = 1000
#: 無意見 above this share of an item's answers, while in its base, is pointed out.
NO_OPINION_NOTE_SHARE = 0.30
NO_GROUP = "（未填）"


@dataclass
class QuestionTally:
    question: str
    counts: dict[str, int]  # the five labels (best first) and 無意見
    missing: int
    exclude_no_opinion: bool = False
    min_standard: float | None = None
    text: str = ""
    not_applicable: int = 0  # 不適用: outside the base (neither answered nor missing)
    weighted: WeightedRate | None = None  # with --weights: the same rates, respondents weighted

    @property
    def labels(self) -> list[str]:
        return list(self.counts)[:5]

    @property
    def no_opinion(self) -> int:
        return list(self.counts.values())[5]

    @property
    def n_answered(self) -> int:
        return sum(self.counts.values())

    @property
    def n_rated(self) -> int:
        """Answers on the five-point scale (無意見 excluded)."""
        return self.n_answered - self.no_opinion

    @property
    def base(self) -> int:
        return self.n_rated if self.exclude_no_opinion else self.n_answered

    @property
    def satisfied(self) -> int:
        values = list(self.counts.values())
        return values[0] + values[1]

    @property
    def dissatisfied(self) -> int:
        values = list(self.counts.values())
        return values[3] + values[4]

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.base if self.base else None

    @property
    def dissatisfaction_rate(self) -> float | None:
        return self.dissatisfied / self.base if self.base else None

    @property
    def mean(self) -> float | None:
        values = list(self.counts.values())[:5]
        total = sum(values)
        return sum(v * (5 - i) for i, v in enumerate(values)) / total if total else None

    @property
    def ci95(self) -> tuple[float, float] | None:
        return wilson(self.satisfied, self.base)

    @property
    def below_standard(self) -> bool | None:
        if self.min_standard is None or self.satisfaction_rate is None:
            return None
        return self.satisfaction_rate < self.min_standard - 1e-12

    @property
    def no_opinion_share(self) -> float | None:
        return self.no_opinion / self.n_answered if self.n_answered else None

    @property
    def rate_without_no_opinion(self) -> float | None:
        """滿意度 among those with an opinion (what 「僅計曾使用者」 would report)."""
        return self.satisfied / self.n_rated if self.n_rated else None

    @property
    def no_opinion_note(self) -> str | None:
        """Said beside the verdict when 無意見 is in the base and above 30 % of the answers:
        the rate then mostly measures who never used the service."""
        share = self.no_opinion_share
        if self.exclude_no_opinion or share is None or share <= NO_OPINION_NOTE_SHARE:
            return None
        without = self.rate_without_no_opinion
        among = f"；有意見者的滿意度為 {without:.1%}" if without is not None else ""
        return (f"無意見占有效回答的 {share:.1%}（{self.no_opinion}/{self.n_answered}），仍計入分母{among}。"
                "若此題只該問曾使用者，可在問卷設定將此題設為「僅計曾使用者」")

    def to_dict(self) -> dict[str, Any]:
        ci = self.ci95
        return {
            "question": self.question,
            "counts": dict(self.counts),
            "missing": self.missing,
            "n_answered": self.n_answered,
            "satisfaction_rate": self.satisfaction_rate,
            "dissatisfaction_rate": self.dissatisfaction_rate,
            "mean": self.mean,
            "ci95": list(ci) if ci else None,
            "min_standard": self.min_standard,
            "below_standard": self.below_standard,
            "not_applicable": self.not_applicable,
            "exclude_no_opinion": self.exclude_no_opinion,
            "no_opinion_note": self.no_opinion_note,
            "weighted": self.weighted.to_dict() if self.weighted else None,
        }

    def row(self) -> dict[str, Any]:
        """One flat row for a table: counts per label, rates, mean and the interval ends."""
        ci = self.ci95 or (None, None)
        return {"question": self.question, **self.counts, "missing": self.missing,
                "n_answered": self.n_answered, "satisfaction_rate": self.satisfaction_rate,
                "dissatisfaction_rate": self.dissatisfaction_rate, "mean": self.mean,
                "ci95_low": ci[0], "ci95_high": ci[1], "min_standard": self.min_standard,
                "below_standard": self.below_standard}


@dataclass
class CrossTab:
    """One question by one demographic column: a tally per group and a chi-square test."""

    question: str
    by: str
    groups: dict[str, QuestionTally]
    test: ChiSquare | None

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "by": self.by,
                "groups": {g: t.to_dict() for g, t in self.groups.items()},
                "chi_square": self.test.to_dict() if self.test else None}

    def to_pandas(self) -> pd.DataFrame:
        """One row per group (the ``by`` value)."""
        return frame({self.by: g, **t.row()} for g, t in self.groups.items())


@dataclass(frozen=True)
class Comment:
    column: str
    cell: str  # sheet!A1 of the comment
    row: int  # 1-based row number in the sheet
    text: str


@dataclass
class Tally:
    n_respondents: int
    questions: list[QuestionTally]
    population: int | None = None
    exclude_no_opinion: bool = False
    min_standard: float | None = None
    crosstabs: list[CrossTab] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # --lenient: values counted as missing
    source: str = ""
    title: str = ""
    detected: bool = False
    weighting: Weighting | None = None  # raking to population margins (--weights)

    @property
    def margin_of_error_95(self) -> float | None:
        return margin_of_error(self.n_respondents, self.population)

    def question(self, name: str) -> QuestionTally:
        for q in self.questions:
            if squash(q.question) == squash(name):
                return q
        raise KeyError(name)

    @property
    def flagged(self) -> list[QuestionTally]:
        return [q for q in self.questions if q.below_standard]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "n_respondents": self.n_respondents,
            "margin_of_error_95": self.margin_of_error_95,
            "questions": [q.to_dict() for q in self.questions],
            "population": self.population,
            "exclude_no_opinion": self.exclude_no_opinion,
            "min_standard": self.min_standard,
        }
        if self.crosstabs:
            data["crosstabs"] = [c.to_dict() for c in self.crosstabs]
        if self.warnings:
            data["warnings"] = [p.to_dict() for p in self.warnings]
        if self.weighting is not None:
            data["weighting"] = self.weighting.to_dict()
        return data

    def to_pandas(self) -> pd.DataFrame:
        """One row per question (cross-tabs: ``crosstabs[i].to_pandas()``)."""
        return frame(q.row() for q in self.questions)


@dataclass(frozen=True)
class Options:
    """Choices that apply to any tally (CLI flags override the questionnaire's)."""

    lenient: bool = False
    exclude_no_opinion: bool | None = None
    population: int | None = None
    min_standard: float | None = None
    by: tuple[str, ...] = ()
    #: Rake respondents on these columns to ``margins`` (toolkit.survey.weights.Margins).
    weight_by: tuple[str, ...] = ()
    margins: Margins | None = None


# ---------------------------------------------------------------- reading the sheet layout

def _nonblank(row: Sequence[Any]) -> int:
    return sum(1 for v in row if not is_blank(v))


def find_header(rows: Sequence[Sequence[Any]], wanted: Iterable[str] = ()) -> int:
    """Index of the header row: the first row naming most wanted columns, else the first row
    with at least two filled cells (a title row above the table has one merged cell)."""
    wanted = {squash(w) for w in wanted}
    limit = min(len(rows), HEADER_SCAN_ROWS)
    if wanted:
        best, best_hits = -1, 0
        for i in range(limit):
            hits = len(wanted & {squash(v) for v in rows[i]})
            if hits > best_hits:
                best, best_hits = i, hits
        if best >= 0:
            return best
    for i in range(limit):
        if _nonblank(rows[i]) >= 2:
            return i
    return 0


def _columns(body: list[list[Any]], width: int) -> list[tuple[Any, ...]]:
    if any(len(r) != width for r in body):  # csv rows can be ragged
        body = [list(r[:width]) + [""] * (width - len(r)) for r in body]
    return list(zip(*body, strict=True)) if body else [() for _ in range(width)]


def _count(column: Sequence[Any]) -> Counter[Any]:
    counter = Counter(column)
    if any(type(k) is bool for k in counter):  # True == 1.0 as dict keys: keep them apart
        counter = Counter((v, "bool") if type(v) is bool else v for v in column)
    return counter


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


@dataclass
class _Sheet:
    """A responses sheet split into header and columns. A row is a respondent if any column
    the tally uses is filled: pre-numbered rows (編號 1–500 with no answers) are not."""

    source: TableLike
    header_row: int
    names: list[str]
    columns: list[tuple[Any, ...]]
    blank_rows: set[int] = field(default_factory=set)

    @property
    def n_respondents(self) -> int:
        return (len(self.columns[0]) if self.columns else 0) - len(self.blank_rows)

    @cached_property
    def _keys(self) -> tuple[dict[str, int], Counter[str]]:
        """Each header's squashed form → its first column, and how often each occurs: built
        once, so looking up every column of a 16,384-column sheet is not quadratic."""
        first: dict[str, int] = {}
        seen: Counter[str] = Counter()
        for i, n in enumerate(self.names):
            key = squash(n)
            first.setdefault(key, i)
            seen[key] += 1
        return first, seen

    def index(self, name: str) -> int | None:
        return self._keys[0].get(squash(name))

    def count(self, name: str) -> int:
        """How many header cells read as ``name``."""
        return self._keys[1][squash(name)]

    def ref(self, body_row: int, col: int) -> str:
        return self.source.ref(self.header_row + 1 + body_row, col)

    def problem(self, body_row: int, col: int, code: str, message: str) -> Problem:
        return self.source.problem(self.header_row + 1 + body_row, col, code, message)


def _split(source: TableLike, wanted: Iterable[str]) -> _Sheet:
    rows = source.rows
    header_row = find_header(rows, wanted)
    header = list(rows[header_row]) if rows else []
    width = max((len(r) for r in rows), default=0)
    header += [""] * (width - len(header))
    body = rows[header_row + 1:]
    return _Sheet(source, header_row, [clean_text(h) for h in header], _columns(body, width))


def _blank_rows(columns: list[tuple[Any, ...]]) -> set[int]:
    """Rows where every one of ``columns`` is blank (falsy first: a C-level test)."""
    if not columns:
        return set()
    # Only rows falsy in the first column can be blank everywhere: check just those.
    first = columns[0]
    candidates = [i for i, v in enumerate(first) if not v or (type(v) is str and v.isspace())]
    return {i for i in candidates if all(is_blank(c[i]) for c in columns)}


# ---------------------------------------------------------------- tallying

class _Normaliser:
    """Scale.normalise (or a 代碼表's codes) with a cache: each distinct raw value is looked
    at once."""

    def __init__(self, scale: Scale, codes: CodeMap | None = None) -> None:
        self.scale = scale
        self.codes = codes
        self.normalise = codes.score if codes is not None else scale.normalise
        self.cache: dict[Any, int | None] = {}

    def __call__(self, value: Any) -> int | None:
        key = (type(value), value) if type(value) is bool or (isinstance(value, tuple)) else value
        try:
            return self.cache[key]
        except KeyError:
            raw = value[0] if isinstance(value, tuple) else value
            code = self.cache[key] = self.normalise(raw)
            return code
        except TypeError:  # unhashable: never from calamine, but be safe
            return self.normalise(value)

    def complaint(self, name: str, value: Any) -> tuple[str, str]:
        """The problem code and message of a value this column cannot read."""
        shown = self.scale.describe(value)
        if self.codes is not None:
            return "bad-code", (f"「{name}」的代碼「{shown}」不在代碼表中（{self.codes.column}："
                                f"{self.codes.defined()}）")
        return "bad-answer", f"「{name}」的答案「{shown}」無法辨識；應為 {self.scale.expected()}"


def _slot(code: int) -> int:
    """Index in the by-score list [5, 4, 3, 2, 1, 無意見]."""
    return 5 - code if code else 5


def _tally_column(counter: Counter[Any], norm: _Normaliser) -> tuple[list[int], list[Any], int]:
    """Counts by score [5, 4, 3, 2, 1, 0], the distinct invalid raw values, and how many
    answers are outside the base (不適用)."""
    by_score = [0] * 6
    invalid: list[Any] = []
    outside = 0
    for value, n in counter.items():
        code = norm(value)
        if code is MISSING:
            continue
        if code == INVALID:
            invalid.append(value)
        elif code == NOT_APPLICABLE:
            outside += n
        else:
            by_score[_slot(code)] += n
    return by_score, invalid, outside


def question_tally(question: Question, by_score: list[int], missing: int, scale: Scale,
                   exclude: bool, min_standard: float | None, not_applicable: int = 0) -> QuestionTally:
    counts = {scale.labels[i]: by_score[i] for i in range(5)}
    counts["無意見"] = by_score[5]
    std = question.min_standard if question.min_standard is not None else min_standard
    own = question.exclude_no_opinion if question.exclude_no_opinion is not None else exclude
    return QuestionTally(question.column, counts, missing, own, std, question.text, not_applicable)


def _locate(sheet: _Sheet, col: int, bad: list[Any], norm: _Normaliser, budget: int) -> list[Problem]:
    problems: list[Problem] = []
    wanted = [b[0] if isinstance(b, tuple) else b for b in bad]
    name = sheet.names[col]
    for r, v in enumerate(sheet.columns[col]):
        if len(problems) >= budget:
            break
        if any(_same(v, w) for w in wanted):
            problems.append(sheet.problem(r, col, *norm.complaint(name, v)))
    return problems


def tally_table(source: TableLike, questionnaire: Questionnaire | None = None,
                options: Options | None = None) -> Tally:
    """Tally a responses sheet. Raises ProblemsFound listing every unreadable answer (all
    columns, capped) unless ``options.lenient``, which counts them as missing and keeps
    them in ``Tally.warnings``."""
    with _no_gc():
        return _tally_table(source, questionnaire, options)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Transposing millions of cells creates no cycles; the collector's passes over them
    would cost a third of the tally."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _tally_table(source: TableLike, questionnaire: Questionnaire | None,
                 options: Options | None) -> Tally:
    options = options or Options()
    wanted: list[str] = []
    if questionnaire is not None:
        wanted = [*questionnaire.question_columns, *questionnaire.demographics, *questionnaire.comments]
    sheet = _split(source, wanted)
    counters: dict[int, Counter[Any]] = {}

    def counter(col: int) -> Counter[Any]:
        if col not in counters:
            counters[col] = _count(sheet.columns[col])
        return counters[col]

    problems: list[Problem] = []
    if questionnaire is None or (not questionnaire.questions and questionnaire.codebook is not None):
        # no question list: found from the values (and from the 代碼表, when there is one)
        given = questionnaire or Questionnaire([])
        found = detect_questionnaire(sheet.names, [counter(i) for i in range(len(sheet.names))],
                                     given.scale, given.codebook)
        if not found.questions:
            raise ProblemsFound([Problem(
                "no-questions", "找不到滿意度題目欄（各欄的內容都不是「非常滿意…非常不滿意」或代碼 1–5）；"
                "請用 --questionnaire 指定題目欄", source.file, source.sheet)])
        questionnaire = found if questionnaire is None else replace(
            questionnaire, questions=found.questions,
            demographics=questionnaire.demographics or found.demographics,
            comments=questionnaire.comments or found.comments, detected=True)
    codebook: Codebook | None = questionnaire.codebook
    scale = questionnaire.scale
    exclude = options.exclude_no_opinion if options.exclude_no_opinion is not None \
        else questionnaire.exclude_no_opinion
    min_standard = options.min_standard if options.min_standard is not None else questionnaire.min_standard
    population = options.population if options.population is not None else questionnaire.population

    header_cell = source.ref(sheet.header_row, 0)
    columns: dict[str, int] = {}
    if options.weight_by and options.margins is None:
        raise ProblemsFound([Problem("weights-no-margin", "指定了加權變項，但沒有人口統計表（--weights）",
                                     source.file, source.sheet)])
    for name in dict.fromkeys([*questionnaire.question_columns, *questionnaire.demographics,
                               *questionnaire.comments, *options.by, *options.weight_by]):
        idx = sheet.index(name)
        if idx is None:
            problems.append(Problem("missing-column",
                                    f"第 {sheet.header_row + 1} 列的標題中找不到欄「{name}」；"
                                    f"此表的欄有：{'、'.join(n for n in sheet.names if n)}",
                                    source.file, source.sheet, header_cell))
        elif sheet.count(name) > 1:
            problems.append(Problem("duplicate-column", f"標題列有兩個以上的「{name}」欄，無法判斷要用哪一欄",
                                    source.file, source.sheet, header_cell))
        else:
            columns[name] = idx
    if codebook is not None:
        problems += _unused_codes(codebook, sheet)
    if problems:
        raise ProblemsFound(problems)

    sheet.blank_rows = _blank_rows([sheet.columns[c] for c in dict.fromkeys(columns.values())])
    questions = [_with_codebook(q, codebook) for q in questionnaire.questions]
    norms = {q.column: _Normaliser(scale, codebook.for_question(q.column) if codebook else None)
             for q in questions}
    n_resp = sheet.n_respondents
    results: list[QuestionTally] = []
    bad_cells: list[Problem] = []
    n_bad = 0
    for question in questions:
        col = columns[question.column]
        norm = norms[question.column]
        by_score, invalid, outside = _tally_column(counter(col), norm)
        if invalid:
            n_bad += sum(counter(col)[v] for v in invalid)
            bad_cells += _locate(sheet, col, invalid, norm, MAX_CELL_PROBLEMS - len(bad_cells))
        missing = n_resp - sum(by_score) - outside
        results.append(question_tally(question, by_score, missing, scale, exclude, min_standard, outside))
    if n_bad > len(bad_cells):
        bad_cells.append(Problem("bad-answer", f"另有 {n_bad - len(bad_cells)} 個無法辨識的答案未逐一列出",
                                 source.file, source.sheet))
    groups: dict[str, dict[Any, str]] = {}
    for by in options.by:
        # an undefined code is never a group of its own: with --lenient it joins （未填）
        groups[by], wrong = _groups(sheet, columns[by], by, codebook.get(by) if codebook else None)
        bad_cells += wrong
    if bad_cells and not options.lenient:
        raise ProblemsFound(bad_cells)

    tally = Tally(n_resp, results, population, exclude, min_standard, warnings=bad_cells,
                  source=source.file, title=questionnaire.title, detected=questionnaire.detected)
    if population is not None and population < n_resp:
        raise ProblemsFound([Problem("bad-population", f"母體人數 {population} 小於受訪人數 {n_resp}",
                                     source.file, source.sheet)])
    for by in options.by:
        tally.crosstabs += _crosstabs(sheet, columns[by], by, questions, columns, norms, scale, exclude,
                                      min_standard, groups[by])
    for name in questionnaire.comments:
        tally.comments += _comments(sheet, columns[name], name)
    if options.weight_by and options.margins is not None:
        tally.weighting = _weigh(sheet, columns, options, codebook, population)
        respondents = [r for r in range(len(sheet.columns[0])) if r not in sheet.blank_rows]
        for question, result in zip(questions, results, strict=True):
            scores = _scores(sheet.columns[columns[question.column]], respondents, norms[question.column])
            result.weighted = weighted_rate(scores, tally.weighting.weights,
                                            exclude_no_opinion=result.exclude_no_opinion)
    return tally


def _weigh(sheet: _Sheet, columns: dict[str, int], options: Options, codebook: Codebook | None,
           population: int | None) -> Weighting:
    """Rake the respondents on the ``weight_by`` columns (coded ones through the 代碼表)."""
    assert options.margins is not None
    respondents = [r for r in range(len(sheet.columns[0])) if r not in sheet.blank_rows]
    sample: dict[str, list[str | None]] = {}
    problems: list[Problem] = []
    for var in options.weight_by:
        col = columns[var]
        group_of, wrong = _groups(sheet, col, var, codebook.get(var) if codebook else None)
        problems += wrong
        values = sheet.columns[col]
        sample[var] = [None if group_of[values[r]] == NO_GROUP else group_of[values[r]] for r in respondents]
    if problems:
        raise ProblemsFound(problems)

    def locate(var: str, i: int) -> tuple[str | None, str | None, str | None]:
        return sheet.source.file, sheet.source.sheet, sheet.ref(respondents[i], columns[var])

    weighting, problems = weigh(sample, options.margins, locate=locate, population=population)
    if problems:
        raise ProblemsFound(problems)
    assert weighting is not None
    return weighting


def _scores(column: Sequence[Any], respondents: list[int], norm: _Normaliser) -> np.ndarray:
    """Each respondent's score (5…1, 0 無意見), -9 when in no base (blank, 未答, 不適用, unreadable)."""
    import numpy as np  # on first use: the survey commands start without it

    out = np.full(len(respondents), -9, dtype=np.int8)
    for i, r in enumerate(respondents):
        code = norm(column[r])
        if code is not None and code >= 0:
            out[i] = code
    return out


def question_notes(q: QuestionTally, survey_excludes: bool = False) -> list[str]:
    """What a reader must know beside an item's verdict: its own base, 不適用, and a 無意見
    share above 30 % kept in the base."""
    notes = []
    if q.exclude_no_opinion and not survey_excludes:
        notes.append("此題分母不含無意見（僅計曾使用者）")
    if q.not_applicable:
        notes.append(f"不適用 {q.not_applicable:,} 人，不計入分母")
    if q.no_opinion_note:
        notes.append(q.no_opinion_note)
    return notes


def group_label(value: Any) -> str:
    text = clean_text(value)
    return text if text else NO_GROUP


def _with_codebook(question: Question, codebook: Codebook | None) -> Question:
    """A question's own base from the 代碼表 (「僅計曾使用者」) unless the YAML set one."""
    if codebook is None or question.exclude_no_opinion is not None:
        return question
    codes = codebook.for_question(question.column)
    return replace(question, exclude_no_opinion=True) if codes and codes.exclude_no_opinion else question


def _unused_codes(codebook: Codebook, sheet: _Sheet) -> list[Problem]:
    """A 代碼表 entry naming no column of the responses is a typo the user must see."""
    out = []
    for cmap in codebook.columns.values():
        if sheet.index(cmap.column) is None:
            out.append(Problem("codebook-unknown-column",
                               f"代碼表的題目「{cmap.column}」在問卷回覆的標題列找不到；此表的欄有："
                               f"{'、'.join(n for n in sheet.names if n)}",
                               codebook.file, codebook.sheet, cmap.cell))
    return out


def _groups(sheet: _Sheet, col: int, name: str, codes: CodeMap | None) -> tuple[dict[Any, str], list[Problem]]:
    """Each distinct value of a demographic column → its group (a 代碼表 label when coded);
    undefined codes are problems with their cells."""
    if codes is None:
        return {v: group_label(v) for v in set(sheet.columns[col])}, []
    group_of: dict[Any, str] = {}
    bad: set[Any] = set()
    for v in set(sheet.columns[col]):
        label = codes.label(v)
        if label == INVALID_LABEL:
            bad.add(v)
        group_of[v] = NO_GROUP if label is None or label == INVALID_LABEL else label
    problems = [sheet.problem(r, col, "bad-code", f"「{name}」的代碼「{clean_text(v)}」不在代碼表中"
                              f"（{codes.defined()}）")
                for r, v in enumerate(sheet.columns[col]) if v in bad and r not in sheet.blank_rows]
    return group_of, problems[:MAX_CELL_PROBLEMS]


def _crosstabs(sheet: _Sheet, by_col: int, by: str, questions: list[Question],
               columns: dict[str, int], norms: dict[str, _Normaliser], scale: Scale, exclude: bool,
               min_standard: float | None, group_of: dict[Any, str]) -> list[CrossTab]:
    blank = sheet.blank_rows
    sizes: Counter[str] = Counter()
    for r, v in enumerate(sheet.columns[by_col]):
        if r not in blank:
            sizes[group_of[v]] += 1
    order = sorted(sizes, key=lambda g: (g == NO_GROUP, _natural(g)))
    out: list[CrossTab] = []
    for question in questions:
        col = columns[question.column]
        norm = norms[question.column]
        pairs = Counter(zip(sheet.columns[by_col], sheet.columns[col], strict=True))
        scores: dict[str, list[int]] = {g: [0] * 6 for g in order}
        outside: Counter[str] = Counter()
        for (g, v), n in pairs.items():
            code = norm(v)
            if code is MISSING or code == INVALID:
                continue
            if code == NOT_APPLICABLE:
                outside[group_of[g]] += n
                continue
            scores[group_of[g]][_slot(code)] += n
        groups = {g: question_tally(question, scores[g], sizes[g] - sum(scores[g]) - outside[g], scale, exclude,
                           min_standard, outside[g]) for g in order}
        own = next(iter(groups.values())).exclude_no_opinion if groups else exclude
        table = [s[:5] + ([] if own else [s[5]]) for g, s in scores.items() if g != NO_GROUP]
        out.append(CrossTab(question.column, by, groups, chi_square(table)))
    return out


def _natural(text: str) -> tuple[Any, ...]:
    """Sort 20-29歲 before 100歲 and 1月 before 10月."""
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _comments(sheet: _Sheet, col: int, name: str) -> list[Comment]:
    out = []
    quoted = sheet.source.sheet
    for r, v in enumerate(sheet.columns[col]):
        if is_blank(v):
            continue
        text = v.strip() if isinstance(v, str) else clean_text(v)
        ref = sheet.ref(r, col)
        out.append(Comment(name, f"{quote_sheet(quoted)}!{ref}" if quoted else ref, sheet.header_row + 2 + r, text))
    return out
