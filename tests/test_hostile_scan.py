"""The worksheet scan in toolkit.io.guards: it must find the true extent of a sheet from its
cell references however the XML is split into chunks, so calamine never meets a sheet too
large to allocate."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hostile.make_corpus import raw_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.io import guards
from toolkit.io.guards import check_zip
from toolkit.sheetkit.cells import column_letter

REFS = st.lists(st.tuples(st.integers(0, 1_048_575), st.integers(0, 16_383)), min_size=1, max_size=30)


def _sheet_xml(refs: list[tuple[int, int]], *, s_first: bool) -> str:
    cells = []
    for n, (r, c) in enumerate(refs):
        ref = f"{column_letter(c)}{r + 1}"
        attrs = f's="1" r="{ref}"' if s_first and n % 2 else f'r="{ref}" s="1"'
        cells.append(f'<row r="{r + 1}" spans="1:3"><c {attrs}><v>{n}</v></c></row>')
    return ("<sheetData>" + "".join(cells) + "</sheetData>"
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(REFS, st.integers(40, 300), st.booleans())
def test_extent_is_exact_across_chunk_seams(tmp_path, monkeypatch, refs, chunk, s_first):
    monkeypatch.setattr(guards, "_CHUNK", chunk)  # tiny chunks: a seam inside most references
    path = raw_xlsx(tmp_path / f"s{chunk}.xlsx", [("S", _sheet_xml(refs, s_first=s_first))])
    [scan] = check_zip(path).sheets.values()
    assert scan.max_row == max(r for r, _ in refs) + 1
    assert scan.max_col == max(c for _, c in refs) + 1
    assert not scan.bad_ref
    assert scan.refless_cells == 0 and scan.refless_rows == 0


def test_matches_a_regex_count_on_a_real_xlsxwriter_file(tmp_path, monkeypatch):
    import xlsxwriter

    path = tmp_path / "real.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("回覆")
    for r in range(0, 3000, 7):
        ws.write_row(r, 0, ["非常滿意", r, "=x"])
    ws.write(2999, 40, "最後")
    wb.close()
    monkeypatch.setattr(guards, "_CHUNK", 4096)
    [scan] = check_zip(path).sheets.values()
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    refs = re.findall(r'<c r="([A-Z]+)(\d+)"', xml)
    assert scan.max_row == max(int(r) for _, r in refs) == 3000
    assert scan.max_col == 41  # AO
    assert scan.uncached == []


@pytest.mark.parametrize(("cells", "uncached"), [
    ('<c r="B1"><f>A1*2</f></c>', ["B1"]),
    ('<c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2</f></c><c r="B2"><f t="shared" si="0"/></c>',
     ["B1", "B2"]),
    ('<c r="B1"><f>A1*2</f><v>2</v></c>', []),
    ('<c r="B1" t="str"><f>IF(A1="","",A1)</f><v></v></c>', []),
    ('<c r="B1">\n  <f>A1*2</f>\n</c>', ["B1"]),
])
def test_formulas_without_a_stored_value(tmp_path, cells, uncached):
    path = raw_xlsx(tmp_path / "f.xlsx", [("S", f'<sheetData><row r="1"><c r="A1"><v>1</v></c>{cells}'
                                               "</row></sheetData>")])
    [scan] = check_zip(path).sheets.values()
    assert scan.uncached == uncached
    assert scan.uncached_count == len(uncached)


def test_cells_without_references_count_towards_the_extent(tmp_path):
    # Some generators omit r=: calamine then places cells by position.
    body = "<sheetData>" + "<row>" + "<c><v>1</v></c>" * 300 + "</row>" * 1 + "</sheetData>"
    path = raw_xlsx(tmp_path / "n.xlsx", [("S", body)])
    [scan] = check_zip(path).sheets.values()
    assert scan.width_bound >= 300 and scan.height_bound >= 1


@pytest.mark.parametrize("ref", ["XFE1", "A1048577", "AAAA1", "A0"])
def test_references_beyond_the_grid_are_refused(tmp_path, ref):
    path = raw_xlsx(tmp_path / "bad.xlsx", [("S", f'<sheetData><row r="1"><c r="{ref}"><v>1</v></c>'
                                                   "</row></sheetData>")])
    [scan] = check_zip(path).sheets.values()
    assert scan.bad_ref


def test_scan_memory_is_bounded_by_the_chunk(tmp_path):
    """The scan works on 4 MiB chunks with numpy arrays, never one Python object per cell:
    its traced peak stays far below what 60,000 per-cell objects plus the XML would take."""
    import tracemalloc

    import xlsxwriter

    path = tmp_path / "m.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("S")
    for r in range(6000):
        ws.write_row(r, 0, list(range(10)))
    wb.close()
    tracemalloc.start()
    [scan] = check_zip(Path(path)).sheets.values()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert (scan.max_row, scan.max_col) == (6000, 10)
    assert peak < 40 * 1024**2  # chunks of 4 MiB and their arrays, not 60,000 objects


def test_malformed_reference_after_another_attribute_is_refused(tmp_path):
    path = raw_xlsx(tmp_path / "bad.xlsx", [("S", '<sheetData><row r="1"><c s="1" r="A99999999">'
                                                   "<v>1</v></c></row></sheetData>")])
    [scan] = check_zip(path).sheets.values()
    assert scan.bad_ref


def test_reference_like_text_in_an_inline_string_is_not_a_reference(tmp_path):
    path = raw_xlsx(tmp_path / "t.xlsx", [("S", '<sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
                                                 '<t>見 r="XFD1048576" 說明</t></is></c></row></sheetData>')])
    [scan] = check_zip(path).sheets.values()
    assert (scan.max_row, scan.max_col) == (1, 1)
    assert not scan.bad_ref


def test_shared_strings_are_capped(tmp_path):
    from toolkit.io.limits import Limits
    from toolkit.problems import SvcqError

    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
           'spreadsheetml/2006/main">' + "<si><t>a</t></si>" * 5000 + "</sst>")
    path = raw_xlsx(tmp_path / "sst.xlsx", [("S", '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
                                                   "</row></sheetData>")],
                    extra={"xl/sharedStrings.xml": sst.encode()})
    check_zip(path)  # 5,000 strings are fine by default
    with pytest.raises(SvcqError) as info:
        check_zip(path, Limits(max_strings=4000))
    assert info.value.problem.code == "too-many-strings"
    with pytest.raises(SvcqError):
        check_zip(path, Limits(max_strings_bytes=50_000))


def test_unusual_reference_check_finds_exactly_the_listed_spellings() -> None:
    """The vectorised check agrees with a plain search for every token of _UNUSUAL_REF on random
    text made of the characters those spellings use."""
    import random

    import numpy as np

    from toolkit.io.guards import _UNUSUAL_REF, _unusual_ref

    rng = random.Random(11)
    alphabet = [b"r", b"=", b"'", b'"', b" ", b"\t", b"\n", b"\r", b"<", b"c", b"x"]
    for _ in range(3000):
        body = b"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        buf = b"\0\0" + body + b"\0" * 4
        expected = any(buf.find(t, 2, 2 + len(body)) >= 0 for t in _UNUSUAL_REF)
        # a token may start just before the r the check looks from: judge the r's in the body
        found = _unusual_ref(np.frombuffer(buf, dtype=np.uint8), 2, 2 + len(body))
        assert found >= expected, body  # never misses a listed spelling
        if found and not expected:  # only ever a spelling that straddles the body's end
            assert any(buf.find(t, 0) >= 0 for t in _UNUSUAL_REF), body
