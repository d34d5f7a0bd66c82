"""The three HTML reports in a real browser (Debian chromium via playwright, no download):
no console errors, no network request, axe-core finds nothing serious, and the figures on
the page equal the JSON of the matching ``svcq … --json`` command."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import AXE, CHROMIUM, REPO
from helpers import svcq

pytestmark = pytest.mark.browser

SCHEDULE = REPO / "samples" / "schedule" / "returned" / "戶籍登記課.xlsx"
SURVEY = REPO / "samples" / "survey"
SCORE = REPO / "samples" / "score"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _run(*args: Any) -> Any:
    r = svcq(*args)
    assert r.code == 0, r.err
    return r.json() if "--json" in args else r


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict]]:
    """Each report rendered once, with the JSON of the command a user would cross-check."""
    out = tmp_path_factory.mktemp("html")
    q = SURVEY / "questionnaire.yaml"
    y112, y113 = SURVEY / "滿意度調查-112.xlsx", SURVEY / "滿意度調查-113.xlsx"
    s112, s113 = SCORE / "自評表-112.xlsx", SCORE / "自評表-113.xlsx"
    _run("report", "schedule", SCHEDULE, "--param", "as_of=107-06", "-o", out / "schedule.html")
    _run("report", "survey", y112, y113, "--param", f"questionnaire={q}", "--param", "by=[性別]",
         "-o", out / "survey.html")
    _run("report", "score", s112, s113, "-o", out / "score.html")
    return {
        "schedule": (out / "schedule.html",
                     _run("schedule", "status", SCHEDULE, "--as-of", "107-06", "--json")),
        "survey": (out / "survey.html",
                   {"tally": _run("survey", "tally", y113, "-q", q, "--json"),
                    "trend": _run("survey", "trend", f"112={y112}", f"113={y113}", "-q", q,
                                  "--json")}),
        "score": (out / "score.html",
                  {"compute": _run("score", "compute", s113, "--json"),
                   "compare": _run("score", "compare", s112, s113, "--json")}),
    }


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def pages(reports: dict, browser: Any, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Each report loaded once: console errors, outside requests, axe result, screenshot,
    and every table as {caption: rows of cell texts}."""
    shots = tmp_path_factory.mktemp("screenshots")
    seen: dict[str, dict] = {}
    for kind, (path, _) in reports.items():
        page = browser.new_page(viewport={"width": 1024, "height": 900})
        errors: list[str] = []
        outside: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))

        def guard(route: Any, o: list[str] = outside) -> None:
            url = route.request.url
            if url.startswith(("file:", "data:")):
                route.continue_()
            else:
                o.append(url)
                route.abort()

        page.route("**/*", guard)
        page.goto(path.as_uri(), wait_until="load")
        shot = shots / f"{kind}.png"
        page.screenshot(path=str(shot), full_page=True)
        axe = None
        if AXE.is_file():  # without it only the axe test skips (conftest), not the others
            page.add_script_tag(path=str(AXE))
            axe = page.evaluate("""() => axe.run(document, {resultTypes: ['violations']})""")
        tables = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('table')]
            .map(t => [t.caption.textContent, [...t.tBodies[0].rows]
                .map(r => [...r.cells].map(c => c.textContent.trim()))]))""")
        alts = page.evaluate("""() => [...document.querySelectorAll('svg[role=img]')]
            .map(s => s.getAttribute('aria-label'))""")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        structure = page.evaluate("""() => ({
            headings: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1]),
            bare: [...document.querySelectorAll('table')].filter(t => !t.caption
                   || !t.querySelector('thead th[scope=col]')).length})""")
        seen[kind] = {"structure": structure, "pdf": pdf, "errors": errors, "outside": outside,
                      "axe": axe, "shot": shot,
                      "tables": tables, "alts": alts, "title": page.title(),
                      "lang": page.evaluate("document.documentElement.lang"),
                      "text": page.inner_text("body")}
        page.close()
    return seen


def table(tables: dict[str, list[list[str]]], caption_part: str) -> list[list[str]]:
    found = [rows for cap, rows in tables.items() if caption_part in cap]
    assert found, f"no table captioned {caption_part!r} in {list(tables)}"
    return found[0]


def pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


@pytest.mark.axe
@pytest.mark.parametrize("kind", ["schedule", "survey", "score"])
def test_report_passes_axe(pages: dict, kind: str) -> None:
    serious = [(v["id"], v["impact"], v["help"]) for v in pages[kind]["axe"]["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("kind", ["schedule", "survey", "score"])
def test_report_loads_clean_offline_and_structured(pages: dict, kind: str) -> None:
    seen = pages[kind]
    assert seen["errors"] == []
    assert seen["outside"] == []
    assert seen["lang"] == "zh-Hant" and len(seen["title"]) > 6
    assert seen["shot"].stat().st_size > 20_000
    assert seen["alts"] and all(re.search(r"\d", a) for a in seen["alts"]), "alt states figures"
    assert "report." not in seen["text"] and "import" not in seen["text"], "no code on the page"
    levels = seen["structure"]["headings"]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert seen["structure"]["bare"] == 0, "every table has a caption and column headers"


def test_schedule_figures_equal_status_json(reports: dict, pages: dict) -> None:
    data = reports["schedule"][1]
    tables = pages["schedule"]["tables"]
    late = [t for t in data["tasks"] if t["status"] == "late"]
    rows = table(tables, "落後工作項目")
    assert [(r[0], r[3]) for r in rows] == [(t["id"], t["task"]) for t in late]
    assert [r[6] for r in rows] == [f"{round(t['completion'] * 100)}%" if t["completion"] is not None
                                    else "—" for t in late]
    units = table(tables, "各課室工作項目狀態")
    overall = data["summary"]["overall"]
    assert units[-1][1:] == [str(overall[k]) for k in ("late", "on_track", "not_due", "done",
                                                       "total", "late_without_reason")]
    assert len(table(tables, "全部工作項目")) == overall["total"]


def test_survey_figures_equal_tally_and_trend_json(reports: dict, pages: dict) -> None:
    data = reports["survey"][1]
    tables = pages["survey"]["tables"]
    rows = {r[0]: r for r in table(tables, "各題滿意度摘要")}
    assert len(rows) == len(data["tally"]["questions"])
    for q in data["tally"]["questions"]:
        row = rows[q["question"]]
        assert row[1] == str(q["n_answered"])
        assert row[2] == pct(q["satisfaction_rate"])
        assert row[3] == f"{pct(q['ci95'][0])}–{pct(q['ci95'][1])}"
        assert row[5] == num(q["mean"])
        assert row[-1].endswith("（未達）") == bool(q["below_standard"])
    counts = {r[0]: r for r in table(tables, "填答次數")}
    for q in data["tally"]["questions"]:
        assert counts[q["question"]][1:-1] == [str(v) for v in q["counts"].values()]
    trend = {r[0]: r for r in table(tables, "歷年滿意度")}
    for q in data["trend"]["questions"]:
        assert trend[q["question"]][1:3] == [pct(q["rates"]["112"]), pct(q["rates"]["113"])]
        significant = any(c["significant"] for c in q["changes"])
        assert (trend[q["question"]][-1] != "無") == significant
    likert_alt = next(a for a in pages["survey"]["alts"] if a.startswith("各題滿意程度分布"))
    first = data["tally"]["questions"][0]
    assert f"{first['question']} {pct(first['satisfaction_rate'])}" in likert_alt


def test_score_figures_equal_compute_and_compare_json(reports: dict, pages: dict) -> None:
    compute, compare = reports["score"][1]["compute"], reports["score"][1]["compare"]
    tables = pages["score"]["tables"]
    dims = table(tables, "各構面自評分數")
    assert [(r[0], r[2]) for r in dims[:-1]] == [(d["name"], num(d["score"]))
                                                 for d in compute["dimensions"]]
    assert dims[-1][:3] == ["總分", num(compute["max"]), num(compute["total"])]
    gaps = table(tables, "失分排序")
    assert [r[4] for r in gaps] == [num(g["lost"]) for g in compute["gaps"][:10]]
    versus = table(tables, "各構面得分：")
    assert versus[-1][2:4] == [num(s) for s in compare["total"]["scores"]]
    assert [r[3] for r in versus[:-1]] == [num(d["scores"][1]) for d in compare["dimensions"]]


@pytest.mark.parametrize("kind", ["schedule", "survey", "score"])
def test_report_prints_on_a4(pages: dict, kind: str) -> None:
    pdf = pages[kind]["pdf"]
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the printed PDF"
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}  # A4 in pt


def _pdf_pages(pdf: bytes) -> list[str]:
    """The text of each printed page (NFKC: the PDF names some CJK characters by their
    Kangxi-radical code points)."""
    import io
    import unicodedata

    from pypdf import PdfReader

    return [unicodedata.normalize("NFKC", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("kind", ["schedule", "survey", "score"])
def test_printed_pages_are_never_near_empty(pages: dict, kind: str) -> None:
    texts = _pdf_pages(pages[kind]["pdf"])
    thin = [(n, t) for n, t in enumerate(texts[:-1], 1) if len(t.strip()) < 60]  # the last may be short
    assert thin == [], f"a page holding a heading alone: {thin}"


def test_printed_gantt_keeps_its_month_axis_and_status_words(reports: dict, browser: Any,
                                                             tmp_path: Path) -> None:
    """A unit with 41 tasks (行政庶務課): every printed page of its Gantt shows the month axis,
    and the 狀態 column prints 進行中 on one line, not one character per line."""
    html = tmp_path / "41.html"
    _run("report", "schedule", SCHEDULE.with_name("行政庶務課.xlsx"), "--param", "as_of=107-06", "-o", html)
    page = browser.new_page()
    page.goto(html.as_uri(), wait_until="load")
    texts = _pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))
    page.close()
    gantt_pages = [t for t in texts if "預定vs實際" in re.sub(r"\s", "", t)]  # each chart's title
    assert gantt_pages and all("12月" in t.replace(" ", "") for t in gantt_pages)
    compact = re.sub(r"\s", "", "".join(texts))  # NFKC made （ into (, the PDF spaces it out
    assert "預定vs實際(1/2)" in compact and "預定vs實際(2/2)" in compact
    joined = "".join(texts)
    for word in ("進行中", "已完成", "未到期", "行政庶務課"):
        assert "\n".join(word) not in joined, f"{word} printed one character per line"
