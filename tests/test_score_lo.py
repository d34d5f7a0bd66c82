"""LibreOffice as the oracle for self-scoring: sheets filled with openpyxl and saved again by
LibreOffice (xlsx and ods) compute the same; every workbook svcq writes recalculates in
LibreOffice to exactly the cached values svcq stored. Two soffice runs for the module: one
re-saves everything as xlsx (recalculating), one converts the filled sheets to ods."""

from __future__ import annotations

from pathlib import Path

import pytest
import python_calamine as calamine
from helpers import svcq
from oracle import compare_cells, read_cells, recalc
from test_score_data import (
    PENGHU_113,
    PENGHU_113_DIMS,
    PENGHU_113_TOTAL,
    PHONE_CALLS,
    fill,
    fill_calls,
)

import toolkit
from toolkit.io.libreoffice import convert
from toolkit.score import CallsResult
from toolkit.score.result_sheets import write_comparison
from toolkit.score.sheets import write_sheet, write_template

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("score-lo")
    tpl = d / "template.xlsx"
    write_template(tpl)
    phone_tpl = write_sheet(d / "phone-template.xlsx", "phone-courtesy", calls=3)
    filled = fill(tpl, d / "self-113.xlsx", PENGHU_113)
    calls = fill_calls(phone_tpl, d / "calls.xlsx", PHONE_CALLS)
    [lo_ods, lo_calls_ods] = convert([filled, calls], "ods", d / "lo-ods")
    books = {"template": tpl, "phone-template": phone_tpl, "filled": filled, "calls": calls,
             "lo-ods": lo_ods, "lo-calls-ods": lo_calls_ods}
    # svcq's own writers, for the oracle
    books["prefilled"] = write_sheet(d / "prefilled.xlsx", scores={"自評分數": PENGHU_113},
                                     year="113")
    books["phone-prefilled"] = write_sheet(
        d / "phone-prefilled.xlsx", "phone-courtesy", calls=3,
        scores={k: dict(zip(["響鈴4聲或10秒內接聽", "答復正確"], v[:2], strict=True))
                for k, v in PHONE_CALLS.items()})
    for name, src in (("scored", filled), ("phone-scored", calls)):
        books[name] = d / f"{name}.xlsx"
        assert svcq("score", "compute", src, "-o", books[name]).code == 0
    part = fill(tpl, d / "part.xlsx", {"服務友善": 4, "深化服務量能": 3.5})
    books["merged"] = d / "merged.xlsx"
    assert svcq("score", "merge", tpl, part, "-o", books["merged"]).code == 0
    books["merged-calls"] = d / "merged-calls.xlsx"
    assert svcq("score", "merge", phone_tpl, calls, "-o", books["merged-calls"]).code == 0
    books["compare"] = write_comparison(d / "compare.xlsx", toolkit.compare_scores(tpl, filled))
    resaved = recalc([books[k] for k in (*SVCQ_WRITTEN, "filled", "calls")], d / "recalc")
    books["lo-xlsx"], books["lo-calls-xlsx"] = resaved[filled], resaved[calls]
    books |= {f"lo-{k}": resaved[books[k]] for k in SVCQ_WRITTEN}
    return books


SVCQ_WRITTEN = ("template", "phone-template", "prefilled", "phone-prefilled", "scored",
                "phone-scored", "merged", "merged-calls", "compare")


@pytest.mark.parametrize("kind", ["lo-xlsx", "lo-ods"])
def test_lo_saved_sheet_computes_the_same(books: dict[str, Path], kind: str) -> None:
    result = toolkit.compute_score(books[kind])
    assert result.problems == []
    assert result.total == PENGHU_113_TOTAL
    assert {d.name: d.score for d in result.dimensions} == PENGHU_113_DIMS


@pytest.mark.parametrize("kind", ["lo-calls-xlsx", "lo-calls-ods"])
def test_lo_saved_calls_compute_the_same(books: dict[str, Path], kind: str) -> None:
    result = toolkit.compute_score(books[kind])
    assert isinstance(result, CallsResult) and result.problems == []
    assert [(c.total, c.band) for c in result.calls] == [(100, "優良"), (80, "良好"), (64, "待改善")]


def test_lo_subtotals_equal_svcq_totals(books: dict[str, Path]) -> None:
    """LibreOffice recalculated the template's SUM formulas over the openpyxl-typed scores."""
    book = calamine.CalamineWorkbook.from_path(str(books["lo-xlsx"]))
    rows = book.get_sheet_by_name("自評表").to_python()
    subtotals = {r[0]: r[4] for r in rows if r[1] == "小計"}
    assert subtotals == PENGHU_113_DIMS
    assert next(r for r in rows if r[0] == "總分")[4] == PENGHU_113_TOTAL
    calls = calamine.CalamineWorkbook.from_path(str(books["lo-calls-xlsx"]))
    rows = calls.get_sheet_by_name("電話禮貌測試").to_python()
    assert next(r for r in rows if r[0] == "總分")[4:7] == [100, 80, 64]
    assert next(r for r in rows if r[0] == "等第")[4:7] == ["優良", "良好", "待改善"]


@pytest.mark.parametrize("kind", SVCQ_WRITTEN)
def test_cached_values_equal_lo_recalculation(books: dict[str, Path], kind: str) -> None:
    written = read_cells(books[kind])
    assert sum(len(cells) for cells in written.values()) > 20
    formulas = [c for cells in written.values() for c in cells.values() if c.formula]
    assert formulas, "every svcq score workbook has SUM formulas"
    mismatches = compare_cells(written, read_cells(books[f"lo-{kind}"]), books[kind])
    assert not mismatches, "\n".join(map(str, mismatches[:20]))


def test_merged_totals(books: dict[str, Path]) -> None:
    merged = toolkit.compute_score(books["merged"], blank_as_zero=True)
    assert merged.total == 7.5
