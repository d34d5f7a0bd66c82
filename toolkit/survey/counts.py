"""Tallying a sheet of counts: rows are questions (or months of a counter's rating buttons),
columns the labels, cells how many answered so. The result is the same Tally as responses.

Layout (the header may sit below a title row)::

    項目     非常滿意  滿意  普通  不滿意  非常不滿意  無意見  合計
    1月        412    120    31      4        2          0     569
    …
    合計      …                                              …   ← checked, not a question

A 合計/總計 row is checked against the sum of the rows above it; a 合計 column against its
row. With month rows (rating buttons) a computed 合計 row is added to the results.
"""

from __future__ import annotations

import re
from typing import Any

from toolkit.problems import Problem, ProblemsFound
from toolkit.sheetkit.table import TableLike
from toolkit.survey.likert import INVALID, MISSING, STANDARD, Scale
from toolkit.survey.questionnaire import Question
from toolkit.survey.tally import Options, QuestionTally, Tally, find_header, question_tally
from toolkit.text import clean_text, is_blank, parse_number, squash

TOTAL_WORDS = ("合計", "總計", "小計", "總和", "總數")
MISSING_WORDS = ("未填", "未填答", "遺漏", "空白", "缺漏")
TOTAL_ROW = "合計"
_MONTH = re.compile(r"^(\d{2,3}年)?\d{1,2}月(份)?$|^\d{2,3}[./-]\d{1,2}$")


def _role(value: Any, scale: Scale) -> tuple[str, int] | None:
    """What a header cell is: ("score", 5…0), ("missing", 0), ("total", 0) or None."""
    text = squash(value)
    if not text:
        return None
    if text in TOTAL_WORDS:
        return ("total", 0)
    if text in MISSING_WORDS:
        return ("missing", 0)
    if isinstance(value, int | float) or text.isdigit():
        return None  # a bare number in the header is not a label
    code = scale.normalise(value)
    if code is not MISSING and code != INVALID:
        return ("score", code)
    return None


def _count_value(source: TableLike, r: int, c: int, problems: list[Problem]) -> int:
    value = source.rows[r][c] if c < len(source.rows[r]) else ""
    if is_blank(value):
        return 0
    number = parse_number(value)
    if number is None or number < 0 or not float(number).is_integer():
        problems.append(source.problem(r, c, "bad-count",
                                       f"次數應為 0 或正整數，這格是「{clean_text(value)}」"))
        return 0
    return int(number)


def tally_counts(source: TableLike, scale: Scale = STANDARD, options: Options | None = None,
                 total: bool | None = None) -> Tally:
    """Tally a question × label counts sheet. ``total``: add a computed 合計 row (default:
    when the rows are months or the sheet has its own 合計 row)."""
    options = options or Options()
    rows = source.rows
    header_row = _find_label_header(rows, scale)
    if header_row is None:
        raise ProblemsFound([Problem("no-labels", "找不到標示「非常滿意、滿意、普通、不滿意、非常不滿意」的標題列",
                                     source.file, source.sheet)])
    header = rows[header_row]
    roles = {c: role for c, v in enumerate(header) if (role := _role(v, scale))}
    scores = {role[1] for role in roles.values() if role[0] == "score"}
    problems: list[Problem] = []
    missing_labels = [scale.label_of(s) for s in (5, 4, 3, 2, 1) if s not in scores]
    if missing_labels:
        problems.append(source.problem(header_row, 0, "missing-column",
                                       f"標題列缺少「{'、'.join(missing_labels)}」欄"))
    first_label = min(roles)
    name_col = next((c for c in range(first_label) if not is_blank(header[c])), 0) if first_label else None

    results: list[QuestionTally] = []
    user_total: tuple[int, list[int], int] | None = None
    sums = [0] * 6
    sum_missing = 0
    month_rows = 0
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if all(is_blank(v) for v in row):
            continue
        name = clean_text(row[name_col]) if name_col is not None and name_col < len(row) else f"第{r + 1}列"
        by_score = [0] * 6
        missing = 0
        row_total = None
        for c, (kind, code) in roles.items():
            n = _count_value(source, r, c, problems)
            if kind == "score":
                by_score[5 - code if code else 5] += n
            elif kind == "missing":
                missing += n
            elif not is_blank(row[c] if c < len(row) else ""):
                row_total = (n, c)
        if row_total and row_total[0] != sum(by_score) + missing:
            problems.append(source.problem(r, row_total[1], "bad-total",
                                           f"合計 {row_total[0]} 與各欄加總 {sum(by_score) + missing} 不符"))
        if not name:
            problems.append(source.problem(r, name_col or 0, "no-name", "這一列有次數但沒有項目名稱"))
            continue
        if squash(name) in TOTAL_WORDS:
            user_total = (r, by_score, missing)
            continue
        month_rows += bool(_MONTH.match(squash(name)))
        sums = [a + b for a, b in zip(sums, by_score, strict=True)]
        sum_missing += missing
        results.append(question_tally(Question(name), by_score, missing, scale, _exclude(options),
                                      options.min_standard))
    if user_total is not None and (user_total[1] != sums or user_total[2] != sum_missing):
        problems.append(source.problem(user_total[0], name_col or 0, "bad-total",
                                       f"合計列 {sum(user_total[1]) + user_total[2]} 與上方各列加總 "
                                       f"{sum(sums) + sum_missing} 不符"))
    if not results and not problems:
        problems.append(Problem("no-rows", "標題列下沒有任何次數資料", source.file, source.sheet))
    if problems:
        raise ProblemsFound(problems)
    if total is None:
        total = user_total is not None or (month_rows == len(results) and len(results) > 1)
    if total:
        results.append(question_tally(Question(TOTAL_ROW), sums, sum_missing, scale, _exclude(options),
                             options.min_standard))
        n_resp = sum(sums) + sum_missing
    else:
        n_resp = max(q.n_answered + q.missing for q in results)
    return Tally(n_resp, results, options.population, _exclude(options), options.min_standard,
                 source=source.file)


def _exclude(options: Options) -> bool:
    return bool(options.exclude_no_opinion)


def _find_label_header(rows: list[list[Any]], scale: Scale) -> int | None:
    for r in range(min(len(rows), 30)):
        if sum(1 for v in rows[r] if (role := _role(v, scale)) and role[0] == "score") >= 3:
            return r
    return None


__all__ = ["find_header", "tally_counts"]
