"""Injection: user text that starts like a formula (= + - @, tab, CR) is written as text in
every workbook svcq writes — never as a formula Excel would run — and survives verbatim.

Each writer is driven through its real command with the payloads where users type: plan
rows (schedule), answer and header cells (survey), the office name (score), cell values
(cells set). The check reads the package XML itself: a formula is an <f> element (xlsx) or
a table:formula attribute (ods), whatever a reader library would make of it.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest
from helpers import svcq

import toolkit.io.xlsx as xlsx_module
from toolkit.io.read import read_tables
from toolkit.text import clean_text

PAYLOADS = ["=1+1", "+1+1", "-1+1", "@SUM(1,1)", "\t=2+2", "\r=3+3",
            '=HYPERLINK("http://evil.example","點我")', '=cmd|" /C calc"!A0']
#: What must never appear inside a formula svcq wrote.
MARKERS = ["1+1", "2+2", "3+3", "SUM(1,1)", "HYPERLINK", "cmd|"]
LABELS = ["非常滿意", "滿意", "普通", "不滿意", "非常不滿意"]


def formulas(path: Path) -> list[str]:
    """Every formula in the package at ``path`` (xlsx <f> elements or ods table:formula)."""
    found: list[str] = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += re.findall(r"<f(?:\s[^>]*)?>([^<]*)</f>", zf.read(name).decode())
            elif name == "content.xml":
                found += re.findall(r'table:formula="([^"]*)"', zf.read(name).decode())
    return found


def texts(path: Path) -> set[str]:
    return {str(v) for t in read_tables(path) for row in t.rows for v in row if isinstance(v, str)}


def assert_safe(path: Path, expected: list[str]) -> None:
    bad = [f for f in formulas(path) if any(m in f for m in MARKERS)]
    assert not bad, f"user text became a formula in {path.name}: {bad}"
    values = texts(path)
    for text in expected:
        assert any(text in v for v in values), f"{text!r} not kept as text in {path.name}"


def test_new_workbook_keeps_formula_like_text(tmp_path):
    out = tmp_path / "文字.xlsx"
    with xlsx_module.new_workbook(out) as wb:
        ws = wb.add_worksheet("工作表")
        for r, text in enumerate(PAYLOADS):
            ws.write(r, 0, text)  # the generic write() is what a careless writer would call
        ws.write_formula(0, 1, "=2*3", None, 6)  # a real formula still is one
    assert formulas(out) == ["2*3"]
    assert [row[0] for row in read_tables(out)[0].rows] == PAYLOADS


@pytest.mark.libreoffice
def test_ods_output_keeps_formula_like_text(tmp_path):
    out = tmp_path / "文字.ods"
    with xlsx_module.new_workbook(out) as wb:
        ws = wb.add_worksheet("工作表")
        for r, text in enumerate(PAYLOADS):
            ws.write(r, 0, text)
    assert not [f for f in formulas(out) if any(m in f for m in MARKERS)]
    got = [clean_text(row[0]) for row in read_tables(out)[0].rows]
    assert got == [clean_text(p) for p in PAYLOADS]


@pytest.fixture
def survey_csv(tmp_path) -> Path:
    path = tmp_path / "回覆.csv"
    rows = [["編號", "性別", PAYLOADS[6], "@服務態度", "其他意見或建議"]]
    for i in range(30):
        rows.append([i + 1, PAYLOADS[i % 6], LABELS[i % 5], LABELS[(i + 1) % 5], PAYLOADS[7]])
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_survey_tally_xlsx(tmp_path, survey_csv):
    out = tmp_path / "統計.xlsx"
    result = svcq("survey", "tally", survey_csv, "--by", "性別", "-o", out)
    assert result.code == 0, result.err
    # headers, cross-tab categories (cleaned of the leading tab/CR) and comments
    assert_safe(out, [PAYLOADS[6], "@服務態度", "=1+1", "+1+1", "-1+1", "@SUM(1,1)", "=2+2",
                      PAYLOADS[7]])


@pytest.mark.libreoffice
def test_survey_tally_ods(tmp_path, survey_csv):
    out = tmp_path / "統計.ods"
    result = svcq("survey", "tally", survey_csv, "--by", "性別", "-o", out)
    assert result.code == 0, result.err
    assert_safe(out, [PAYLOADS[6], "@服務態度", "=1+1", "@SUM(1,1)", PAYLOADS[7]])


def test_schedule_new_from_plan(tmp_path):
    plan = tmp_path / "計畫.csv"
    with plan.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["編號", "計畫項目", "承辦單位", "工作內容", "預定月份"])
        for i, text in enumerate(PAYLOADS):
            w.writerow([i + 1, f"{text}計畫", "戶籍登記課", text, "3"])
    out = tmp_path / "管制表.xlsx"
    result = svcq("schedule", "new", plan, "--year", "113", "--office", "=1+1所", "-o", out)
    assert result.code == 0, result.err
    assert_safe(out, ["=1+1所", "@SUM(1,1)", "-1+1", "+1+1", PAYLOADS[6], PAYLOADS[7]])


def test_score_new_and_compute(tmp_path):
    sheet = tmp_path / "自評.xlsx"
    result = svcq("score", "new", "--office", "=HYPERLINK(\"http://evil.example\",\"點我\")",
                  "--year", "113", "-o", sheet)
    assert result.code == 0, result.err
    assert_safe(sheet, [PAYLOADS[6]])
    out = tmp_path / "計分.xlsx"
    result = svcq("score", "compute", sheet, "--blank-as-zero", "-o", out)
    assert result.code == 0, result.err
    assert not [f for f in formulas(out) if any(m in f for m in MARKERS)]


def test_cells_set_text(tmp_path):
    base = tmp_path / "原檔.xlsx"
    with xlsx_module.new_workbook(base) as wb:
        wb.add_worksheet("工作表").write(0, 0, "標題")
    out = tmp_path / "改.xlsx"
    # without --text, a value starting with = is refused unless --formula says so
    refused = svcq("cells", "set", base, "工作表!A2==1+1", "-o", out)
    assert refused.code != 0 and not out.exists()
    assigns = [f"工作表!A{r + 2}={text}" for r, text in enumerate(PAYLOADS)]
    result = svcq("cells", "set", base, *assigns, "--text", "-o", out)
    assert result.code == 0, result.err
    assert formulas(out) == []
    got = [row[0] for row in read_tables(out)[0].rows[1:]]
    assert [clean_text(v) for v in got] == [clean_text(p) for p in PAYLOADS]
    out2 = tmp_path / "改2.xlsx"
    result = svcq("cells", "set", base, "工作表!B1=@某人", "工作表!B2=-5", "-o", out2)
    assert result.code == 0, result.err
    assert formulas(out2) == []
    assert read_tables(out2)[0].rows[0][1] == "@某人"
    assert read_tables(out2)[0].rows[1][1] == -5.0  # a number typed as one stays a number


def test_cells_set_phone_number_stays_text(tmp_path):
    base = tmp_path / "原檔.xlsx"
    with xlsx_module.new_workbook(base) as wb:
        wb.add_worksheet("工作表").write(0, 0, "電話")
    out = tmp_path / "改.xlsx"
    result = svcq("cells", "set", base, "工作表!B1=+886 2 1234 5678", "-o", out)
    assert result.code == 0, result.err
    assert read_tables(out)[0].rows[0][1] == "+886 2 1234 5678"
