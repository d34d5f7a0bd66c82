"""滿意度調查 verbs of the front door: a path in, a result out; a workbook written only when
``output`` is given."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from toolkit import progress
from toolkit.inputs import years_of
from toolkit.io.atomic import check_output_path
from toolkit.io.read import open_workbook
from toolkit.problems import Problem, ProblemsFound, SvcqError
from toolkit.survey.counts import tally_counts
from toolkit.survey.questionnaire import Questionnaire
from toolkit.survey.rule_sheets import read_margins, write_codebook_template
from toolkit.survey.sheets import (
    as_questionnaire,
    read_questionnaire,
    responses_table,
    with_codebook,
    write_tally,
    write_trend,
    write_votes,
)
from toolkit.survey.tally import Options, Tally, tally_table
from toolkit.survey.trend import Trend
from toolkit.survey.trend import trend as trend_of
from toolkit.survey.votes import VoteResult, count_votes
from toolkit.survey.weights import Margins
from toolkit.text import clean_text, is_blank, squash

__all__ = ["codebook_template", "read_questionnaire", "tally", "trend", "votes"]

QuestionnaireLike = Questionnaire | str | Path | Mapping[str, Any] | None
CANDIDATE_SHEETS = ("候選人", "候選名單", "候選人名單")


def tally(path: str | Path, questionnaire: QuestionnaireLike = None, *, sheet: str | None = None,
          counts: bool = False, lenient: bool = False, exclude_no_opinion: bool | None = None,
          population: int | None = None, min_standard: float | None = None, by: Sequence[str] = (),
          total: bool | None = None, weights: str | Path | Margins | None = None,
          weight_by: Sequence[str] = (), output: str | Path | None = None) -> Tally:
    """Tally a responses file (xlsx/xls/ods/csv), or a question × label counts sheet with
    ``counts=True``. ``questionnaire``: a Questionnaire, a YAML path, a 代碼表 workbook, a dict,
    or None to detect the question columns (a 代碼表 sheet in the responses' workbook is used
    automatically). ``by``: demographic columns for 交叉分析. ``weights``: a 人口統計 table
    (or Margins) to rake the respondents to on ``weight_by`` (default: every variable of the
    table); weighted figures then stand beside the unweighted ones. ``output``: the tally
    workbook (.xlsx/.ods)."""
    if output is not None:
        check_output_path([path, *([weights] if isinstance(weights, str | Path) else [])], output)
    q = as_questionnaire(questionnaire)
    progress.step(f"讀取 {Path(path).name}…")
    book = open_workbook(path)
    if not counts:
        q = with_codebook(q, book)
    table = responses_table(book, sheet or (q.sheet if q else None))
    progress.step(f"統計 {len(table.rows):,} 列…")
    margins = read_margins(weights) if isinstance(weights, str | Path) else weights
    if weight_by and margins is None:
        raise SvcqError("指定了加權變項（--weight-by），請以 --weights 指定人口統計表", code="usage")
    if margins is not None and counts:
        raise SvcqError("次數表沒有個別受訪者資料，無法加權（--weights）", file=path, code="usage")
    options = Options(lenient, exclude_no_opinion, population, min_standard, tuple(by),
                      tuple(weight_by) or (tuple(margins.variables) if margins else ()), margins)
    if counts:
        if by:
            raise SvcqError("次數表沒有個別受訪者資料，無法做交叉分析（--by）", file=path, code="usage")
        result = tally_counts(table, q.scale if q else Questionnaire([]).scale, options, total)
    else:
        result = tally_table(table, q, options)
    if output is not None:
        write_tally(result, output)
    return result


def codebook_template(output: str | Path) -> Path:
    """Write a 代碼表 (題目 | 代碼 | 說明) with the common codes of paper forms filled in:
    5 非常滿意 … 1 非常不滿意, 6 無意見, 9 未答, 8 不適用, 「僅計曾使用者」, 性別 and 年齡."""
    check_output_path([], output)
    return write_codebook_template(output, deterministic=False)


def trend(files: Mapping[int, str | Path] | Sequence[str | Path], questionnaire: QuestionnaireLike = None,
          *, known: Mapping[int, Tally] | None = None, output: str | Path | None = None,
          **options: Any) -> Trend:
    """Tally each year's file and compare consecutive years (two-proportion z test).
    ``files``: {111: path, …}, or paths written ``111=a.xlsx`` or named with their year
    (``滿意度調查-111.xlsx``). Problems of every file are gathered before anything is reported.
    ``known``: years already tallied (a report's own year), reused rather than read again.
    ``options``: as for ``tally``."""
    years = dict(files) if isinstance(files, Mapping) else years_of(files)
    if len(years) < 2:
        raise SvcqError("趨勢分析至少需要兩個年度的檔案", code="usage")
    if output is not None:
        check_output_path(years.values(), output)
    q = as_questionnaire(questionnaire)
    tallies: dict[int, Tally] = {}
    problems: list[Problem] = []
    for year, path in sorted(years.items()):
        if known and year in known:
            tallies[year] = known[year]
            continue
        try:
            progress.step(f"{year} 年度")
            tallies[year] = tally(path, q, **options)
        except ProblemsFound as exc:
            problems += exc.problems
    if problems:
        raise ProblemsFound(problems)
    result = trend_of(tallies)
    if output is not None:
        write_trend(result, output)
    return result


def votes(path: str | Path, *, candidates: Sequence[str] | None = None,
          per: Literal["row", "cell"] = "row", column: str | None = None, max_choices: int = 1,
          sheet: str | None = None, output: str | Path | None = None) -> VoteResult:
    """Count the ballots in ``path``: ranks (ties share a rank), spoiled ballots apart.
    Candidates come from ``candidates`` or from a sheet named 候選人 in the same workbook
    (first column, below its header), if any."""
    if output is not None:
        check_output_path([path], output)
    book = open_workbook(path)
    cand_sheet = next((s for s in book.sheet_names if squash(s) in CANDIDATE_SHEETS), None)
    if candidates is None and cand_sheet is not None:
        values = [clean_text(r[0]) for r in book.table(cand_sheet).rows if r and not is_blank(r[0])]
        candidates = [v for v in values if not any(w in v for w in ("候選", "姓名", "名單"))]
    if sheet is None:
        sheet = next((s for s in book.sheet_names if s != cand_sheet and s not in book.hidden_sheets), None)
    result = count_votes(book.table(sheet), candidates=list(candidates) if candidates else None,
                         per=per, column=column, max_choices=max_choices)
    if output is not None:
        write_votes(result, output)
    return result
