"""Issue 16, item 2: every string svcq puts into a formula is a string literal. Rubric band
labels (from the office's own YAML) went into IF(…,"label",…) unescaped: 「優"&(1+1)&"等」
computed in LibreOffice (優2等), WEBSERVICE(...) fitted the same way, and 「丙"等"」 broke
every 等第 cell. LibreOffice recalculates what svcq wrote and must show the labels as typed."""

from __future__ import annotations

import zipfile

import pytest
from oracle import recalc_and_compare

import toolkit
from toolkit.score.rubric import rubric_from_dict
from toolkit.score.sheets import write_sheet
from toolkit.sheetkit.cells import formula_string

HOSTILE = ['優"&(1+1)&"等', '良"&WEBSERVICE("http://example.invalid/x")&"', '丙"等"', "=1+1", "待\n改善",
           "長" * 300]


@pytest.mark.parametrize(("text", "literal"), [
    ("優良", '"優良"'),
    ('優"&(1+1)&"等', '"優""&(1+1)&""等"'),
    ('丙"等"', '"丙""等"""'),
    ("", '""'),
    ("甲\n乙", '"甲"&CHAR(10)&"乙"'),
    ("長" * 300, '"' + "長" * 255 + '"&"' + "長" * 45 + '"'),
])
def test_formula_string(text, literal):
    assert formula_string(text) == literal


def test_a_doubled_quote_is_never_split():
    text = "x" * 254 + '"' + "y"
    literal = formula_string(text)
    assert literal == '"' + "x" * 254 + '"&"""y"'
    assert all(len(p.strip('"').replace('""', '"')) <= 255 for p in literal.split("&"))


def _rubric():
    bands = [{"min": 9 - i, "label": label} for i, label in enumerate(HOSTILE)]
    return rubric_from_dict({"name": "hostile", "dimensions": [
        {"name": "甲", "points": 10, "children": [{"name": "一", "points": 4}, {"name": "二", "points": 6}]}],
        "bands": bands})


def test_band_formula_keeps_labels_as_text(tmp_path):
    rubric = _rubric()
    path = write_sheet(tmp_path / "評分.xlsx", rubric, scores={"自評分數": {"一": 4, "二": 4}})
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert '"優""&amp;(1+1)&amp;""等"' in xml  # the quote doubled inside the literal


@pytest.mark.libreoffice
def test_libreoffice_shows_each_band_label_as_typed(tmp_path):
    rubric = _rubric()
    files = []
    for total, (one, two) in enumerate([(4, 5), (4, 4), (3, 4), (2, 4), (1, 4), (0, 4)]):
        files.append(write_sheet(tmp_path / f"評分{total}.xlsx", rubric,
                                 scores={"自評分數": {"一": one, "二": two}}))
    for path in files:
        mismatches = recalc_and_compare(path)  # LibreOffice's value = the label svcq cached
        assert not mismatches, "\n".join(map(str, mismatches))
    # merge writes the same formula through the patch writer
    base = write_sheet(tmp_path / "底稿.xlsx", rubric)
    part = write_sheet(tmp_path / "課室.xlsx", rubric, scores={"自評分數": {"一": 4, "二": 5}})
    out = tmp_path / "合併.xlsx"
    toolkit.merge_scores(base, [part], out, rubric=rubric)
    assert not recalc_and_compare(out)
    assert toolkit.compute_score(out, rubric).band == '優"&(1+1)&"等'


def test_computed_band_is_the_label():
    assert _rubric().band(9) == '優"&(1+1)&"等'
    assert _rubric().band(8) == HOSTILE[1]
