"""自評評分 verbs of the front door: rubrics → blank sheet → (each 課室 fills) → merge →
compute → compare. A path in, a result out; a workbook written only when ``output`` is given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.io.atomic import check_output_path, file_digest
from toolkit.problems import ProblemsFound, SvcqError
from toolkit.score.compare import Comparison, compare
from toolkit.score.merge import MergeResult, Prefer, merge
from toolkit.score.result_sheets import write_comparison, write_scored
from toolkit.score.rubric import Rubric
from toolkit.score.rubric_files import DEFAULT_RUBRIC, builtin_rubrics, load_rubric
from toolkit.score.rubric_sheets import write_rubric_template
from toolkit.score.scoring import CallsResult, ScoreResult
from toolkit.score.sheets import merge_edits, open_score_sheet, result_from_sheet, write_sheet

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ScoreSheet", "compare_scores", "compute_score", "load_rubric", "merge_scores",
           "new_score_sheet", "rubric_template", "rubrics"]

RubricLike = str | Path | Rubric
#: Built-in rubrics scored call by call (one column per test call).
CALL_RUBRICS = ("phone-courtesy",)


def rubrics() -> list[Rubric]:
    """The built-in rubrics (penghu-107 政府服務獎構面, phone-courtesy 電話禮貌測試)."""
    return builtin_rubrics()


def rubric_template(output: str | Path) -> Path:
    """Write a blank 評分標準 table (構面 | 項目 | 指標 | 配分 | 具體作法, a 等第 sheet and
    instructions) for an office to type its county's rubric into; ``--rubric`` then takes it."""
    check_output_path([], output)
    return write_rubric_template(output, deterministic=False)


@dataclass(frozen=True)
class ScoreSheet:
    """A blank self-score sheet: the rubric it lists and where it was written."""

    path: Path
    rubric: Rubric
    calls: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"output": str(self.path), "calls": self.calls, "rubric": self.rubric.to_dict()}

    def to_pandas(self) -> pd.DataFrame:
        return self.rubric.to_pandas()


def new_score_sheet(output: str | Path, rubric: RubricLike = DEFAULT_RUBRIC, *, calls: int | None = None,
                    office: str = "", year: str = "") -> ScoreSheet:
    """Write a blank self-score sheet for ``rubric``: 配分, subtotal and total formulas, input
    checks, A4. The built-in tests (phone-courtesy) get one score column per call
    (``calls``, default 5); any other rubric one 自評分數 column unless ``calls`` is given — a
    county's rubric with 等第 is still a self-score."""
    check_output_path([], output)  # refuses a file someone has open in Excel
    rub = load_rubric(rubric)
    if calls is None and rub.bands and rub.name in CALL_RUBRICS:
        calls = 5
    write_sheet(output, rub, calls=calls, office=office, year=year)
    return ScoreSheet(Path(output), rub, calls)


def compute_score(path: str | Path, rubric: RubricLike | None = None, *, blank_as_zero: bool = False,
                  sheet: str | None = None, label: str | None = None,
                  output: str | Path | None = None) -> ScoreResult | CallsResult:
    """Score a filled sheet: a ScoreResult for a self-score (one 自評分數 column), a CallsResult
    for a sheet with one column per call. Problems are in ``.problems`` (the CLI lists them
    and exits 1); ``output`` gets the scored workbook (totals, 差距分析, 構面 chart) only when
    there are none — with problems nothing is written."""
    if output is not None:
        check_output_path([path], output)
    rubric_obj, sheet_scores = open_score_sheet(path, rubric, sheet)
    result = result_from_sheet(rubric_obj, sheet_scores, blank_as_zero=blank_as_zero, label=label)
    if output is not None and not result.problems:
        write_scored(output, result)
    return result


def merge_scores(base: str | Path, parts: Sequence[str | Path], output: str | Path | None = None, *,
                 in_place: bool = False, prefer: Prefer = "error",
                 rubric: RubricLike | None = None) -> MergeResult:
    """Merge the leaves each 課室 filled (``parts``) into ``base``. Only scores, 佐證資料 and the
    小計/總分/等第 formula cells change (cached values recomputed); everything else in
    ``base`` keeps its bytes. ProblemsFound (nothing written) for bad values, and for
    disagreeing scores when ``prefer="error"``. Without ``output`` or ``in_place`` nothing is
    written."""
    from toolkit.io.patch import patch_cells

    writes = in_place or output is not None
    if output is not None:
        check_output_path([base, *parts], output, in_place=in_place, can_in_place=True)
    digest = file_digest(base)  # the base as read: a save by someone else before the write is refused
    rubric_obj, base_sheet = open_score_sheet(base, rubric)
    part_sheets = [open_score_sheet(p, rubric_obj)[1] for p in parts]
    result = merge(rubric_obj, base_sheet, part_sheets, prefer=prefer)
    if result.problems:
        raise ProblemsFound(result.problems)
    if writes:
        patch_cells(base, merge_edits(rubric_obj, base_sheet, result), None if in_place else output,
                    in_place=in_place, expect_digest=digest)
    return result


def compare_scores(a: str | Path, b: str | Path, labels: tuple[str, str] | None = None, *,
                   rubric: RubricLike | None = None, blank_as_zero: bool = True,
                   output: str | Path | None = None) -> Comparison:
    """Compare two scorings of the same rubric (b − a): two years, or self and evaluator. A
    sheet with several calls is compared by its per-leaf averages. Unscored leaves count 0
    unless ``blank_as_zero`` is False, in which case any problem raises ProblemsFound."""
    if Path(a).exists() and Path(b).exists() and Path(a).resolve() == Path(b).resolve():
        raise SvcqError("兩個檔案相同，請指定兩份不同的評分", file=a, code="same-file")
    if output is not None:
        check_output_path([a, b], output)
    results: list[ScoreResult] = []
    problems = []
    for path in (a, b):
        res = compute_score(path, rubric, blank_as_zero=blank_as_zero)
        problems += res.problems
        results.append(res.average_result() if isinstance(res, CallsResult) else res)
    if problems:
        raise ProblemsFound(problems)
    if labels is None:
        labels = (results[0].label or Path(a).stem, results[1].label or Path(b).stem)
        if labels[0] == labels[1]:
            labels = (Path(a).stem, Path(b).stem)
    comparison = compare(results[0], results[1], labels)
    if output is not None:
        write_comparison(output, comparison)
    return comparison
