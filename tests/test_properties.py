"""Property tests (hypothesis): the invariants users rely on, over inputs nobody would think
to write down by hand."""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import toolkit.io.xlsx as xlsx_module
from toolkit.io.read import Table, read_table
from toolkit.roc import RocDateError, YearMonth, format_date, parse_date, parse_year_month
from toolkit.score import Cell, rubric_from_dict, score
from toolkit.score.rubric_files import builtin_rubrics
from toolkit.survey import LABELS, NO_OPINION_WORDS, STANDARD, Options, tally_table
from toolkit.survey.likert import INVALID
from toolkit.text import clean_text, is_blank, squash

# ------------------------------------------------------------------------------ ROC dates

ROC_DATES = st.dates(min_value=dt.date(1912, 1, 1), max_value=dt.date(2111, 12, 31))
#: ROC 80–150: where a year without 民國 is taken as ROC (toolkit.roc.PLAUSIBLE_ROC_YEARS)
PLAN_DATES = st.dates(min_value=dt.date(1991, 1, 1), max_value=dt.date(2061, 12, 31))
STYLES = st.sampled_from(["cjk", "full", "dotted", "slashed", "compact"])


@given(PLAN_DATES, STYLES)
def test_roc_date_format_parse_round_trip(date, style):
    assert parse_date(format_date(date, style)) == date


@given(PLAN_DATES, STYLES)
def test_roc_date_round_trip_survives_full_width_digits(date, style):
    wide = format_date(date, style).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert parse_date(wide) == date


@given(ROC_DATES, STYLES)
def test_a_roc_date_is_never_read_wrong(date, style):
    """Outside the plan years a short year is asked about, never read as another date;
    with 民國 written out every ROC date reads back."""
    try:
        assert parse_date(format_date(date, style)) == date
    except RocDateError:
        assert style != "full" and not 80 <= date.year - 1911 <= 150


@given(st.integers(1, 200), st.integers(1, 12))
def test_year_month_round_trip(year, month):
    ym = YearMonth(year, month)
    assert parse_year_month(f"民國{ym}") == ym
    if 80 <= year <= 150:
        assert parse_year_month(str(ym)) == ym
        assert parse_year_month(ym.iso) == ym
    else:
        with pytest.raises(RocDateError, match="不確定"):
            parse_year_month(ym.iso)


# ------------------------------------------------------------------ label normalisation

ANSWER_TEXT = st.one_of(
    st.sampled_from([*LABELS, *NO_OPINION_WORDS]).flatmap(
        lambda label: st.lists(st.sampled_from(["", " ", "　", "\u00a0"]), min_size=len(label) + 1,
                               max_size=len(label) + 1).map(
            lambda pads: "".join(p + ch for p, ch in zip(pads, label + "", strict=False)) + pads[-1])),
    st.integers(0, 9).map(str),
    st.integers(1, 5).map(lambda n: chr(0xFF10 + n)),
    st.text(max_size=8),
)


@given(ANSWER_TEXT)
def test_text_normalisation_is_idempotent(value):
    assert clean_text(clean_text(value)) == clean_text(value)
    assert squash(squash(value)) == squash(value)


@given(ANSWER_TEXT)
def test_likert_normalisation_is_idempotent(value):
    code = STANDARD.normalise(value)
    if code is None or code == INVALID:
        return
    label = STANDARD.label_of(code)
    assert STANDARD.normalise(label) == code
    assert STANDARD.normalise(STANDARD.label_of(STANDARD.normalise(label))) == code


# -------------------------------------------------------------------------------- tally

CELL = st.one_of(st.sampled_from([*LABELS, "無意見", "", "  "]), st.integers(1, 5).map(float),
                 st.sampled_from(["５", "非 常 滿 意", "滿意　"]))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 4).flatmap(
    lambda k: st.lists(st.lists(CELL, min_size=k, max_size=k), min_size=1, max_size=40)))
def test_tally_counts_sum_to_respondents(body):
    k = len(body[0])
    questions = [f"{i + 1}.題目{i + 1}" for i in range(k)]
    body = [["滿意"] * k, *body]  # so every column is recognisably a question
    rows = [["編號", *questions], *[[float(n + 1), *row] for n, row in enumerate(body)]]
    tally = tally_table(Table("回覆.xlsx", "回覆", rows), options=Options(lenient=True))
    # a row with an id but no answer at all is an unused form line, not a respondent
    answered = [row for row in body if not all(is_blank(v) for v in row)]
    assert tally.n_respondents == len(answered)
    assert [q.question for q in tally.questions] == questions
    # every question accounts for every respondent exactly once
    for q in tally.questions:
        assert sum(q.counts.values()) + q.missing == tally.n_respondents, q.question
        assert all(v >= 0 for v in q.counts.values())


# ------------------------------------------------------------------------------- rubrics

@st.composite
def rubrics(draw):
    dims = []
    for d in range(draw(st.integers(1, 4))):
        items = []
        for i in range(draw(st.integers(1, 4))):
            if draw(st.booleans()):
                leaves = [{"name": f"指標{d}{i}{x}", "points": draw(st.integers(1, 10))}
                          for x in range(draw(st.integers(1, 3)))]
                items.append({"name": f"項目{d}{i}", "points": sum(x["points"] for x in leaves),
                              "children": leaves})
            else:
                items.append({"name": f"項目{d}{i}", "points": draw(st.sampled_from([0.5, 1, 2.5, 5, 10]))})
        dims.append({"name": f"構面{d}", "points": sum(i["points"] for i in items), "children": items})
    return rubric_from_dict({"name": "p", "title": "測試", "dimensions": dims})


SCORE_CELL = st.one_of(st.floats(-2, 12, allow_nan=False), st.integers(-1, 12),
                       st.sampled_from(["", "４.５", "3分", "abc", "1,0"]))


@settings(max_examples=80)
@given(st.one_of(rubrics(), st.sampled_from(builtin_rubrics())), st.data())
def test_rubric_totals_are_sums_of_leaves_and_within_max(rubric, data):
    cells = {leaf: Cell(data.draw(SCORE_CELL), "自評.xlsx", "自評", f"D{n + 2}")
             for n, leaf in enumerate(rubric.leaves)}
    result = score(rubric, cells, blank_as_zero=True)
    leaves = [s.points for s in result.leaves]
    assert math.isclose(result.total, math.fsum(leaves), abs_tol=1e-9)
    assert math.isclose(result.total, math.fsum(d.score for d in result.dimensions), abs_tol=1e-9)
    assert result.total <= rubric.max + 1e-9
    for s in result.leaves:
        assert 0 <= s.points <= s.leaf.points + 1e-9
    for d in result.dimensions:
        assert 0 <= d.score <= d.max + 1e-9
    # a bad cell is never silently scored: it is a problem or a number within the cap
    assert len(result.problems) == sum(1 for s in result.leaves if s.score is None
                                       and s.cell is not None and str(s.cell.value).strip() != "")


# ------------------------------------------------------------------- patch, then read

# XML 1.0 cannot hold most C0 controls; Excel cannot either, so they are not user text.
TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters=[
    chr(c) for c in range(32) if c not in (9, 10)] + ["\r"]), max_size=40)
VALUE = st.one_of(TEXT, st.integers(-10**9, 10**9),
                  st.floats(allow_nan=False, allow_infinity=False, width=64).filter(
                      lambda f: abs(f) < 1e15),
                  st.booleans(), st.dates(dt.date(1912, 1, 1), dt.date(2100, 12, 31)))


@pytest.fixture(scope="module")
def base_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("patch") / "原檔.xlsx"
    with xlsx_module.new_workbook(path) as wb:
        ws = wb.add_worksheet("工作表")
        ws.write_row(0, 0, ["項目", "值", "備註"])
        ws.write_formula(1, 3, "=1+2", None, 3)
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.tuples(st.integers(1, 30), st.integers(0, 5)), VALUE, min_size=1, max_size=6))
def test_patch_then_read_returns_the_written_values(base_book, edits):
    from toolkit.io.patch import patch_cells
    from toolkit.sheetkit.cells import cell_ref

    assume((1, 3) not in edits)  # D2 holds a formula: writing over it is a different story
    with tempfile.TemporaryDirectory() as work:
        out = Path(work, "改.xlsx")
        patch_cells(base_book, {f"工作表!{cell_ref(r, c)}": v for (r, c), v in edits.items()}, out)
        table = read_table(out, "工作表")
        for (r, c), written in edits.items():
            got = table.value(r - table.origin[0], c - table.origin[1])
            if isinstance(written, bool):
                assert got is written
            elif isinstance(written, int | float):
                assert got == float(written)
            elif isinstance(written, dt.date):
                assert (got.date() if isinstance(got, dt.datetime) else got) == written
            elif written == "":
                assert got in ("", None)
            else:
                assert got == written, (cell_ref(r, c), written, got)
        assert table.value(1 - table.origin[0], 3 - table.origin[1]) == 3.0  # untouched
