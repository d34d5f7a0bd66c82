"""Text is text in every chart (issue 16, item 10): a `$` in a task, a question or a 構面
name is never matplotlib mathtext — no crash on 「單價$\\frac$元」, no 「NT100□□」."""

from __future__ import annotations

from html import escape

import pytest

from toolkit.reports import charts
from toolkit.reports.html import svg

CRASHES = "單價$\\frac$元"  # mathtext: "Expected \\frac{num}{den}" → the report failed
EATEN = "NT$100元，退費NT$50元"  # mathtext: drawn as NT100□□□□NT50□


def _svg_text(fig) -> str:
    return svg(fig)


def _has(out: str, text: str) -> bool:
    return escape(text, quote=False) in out or text in out


def test_gantt_labels_and_title():
    rows = [{"label": CRASHES, "planned_months": [1, 2], "actual_months": [1], "late": True},
            {"label": EATEN[:10], "planned_months": [3], "actual_months": [], "late": False}]
    out = _svg_text(charts.gantt(rows, 3, title=EATEN))
    assert _has(out, CRASHES) and _has(out, EATEN) and _has(out, EATEN[:10])


def test_likert_questions_and_labels():
    out = _svg_text(charts.likert([CRASHES[:6], "$1$"], [[0.1, 0.1, 0.2, 0.3, 0.3]] * 2,
                                  ["非常不滿意$", "不滿意", "普通", "滿意", "非常$滿意"], title=EATEN))
    assert _has(out, CRASHES[:6]) and _has(out, "$1$") and _has(out, "非常$滿意") and _has(out, EATEN)


def test_trend_series_names():
    out = _svg_text(charts.trend(["112", "113"], {"$x$": [0.8, 0.9]}, {"$x$": [False, True]},
                                 title=CRASHES, standard=0.85))
    assert _has(out, "$x$") and _has(out, CRASHES)


def test_score_bar_names():
    out = _svg_text(charts.score_bars([EATEN[:8], "$\\alpha$"], [3, 4], [5, 5], title=CRASHES))
    assert _has(out, EATEN[:8]) and _has(out, "$\\alpha$") and _has(out, CRASHES)


@pytest.mark.parametrize("text", ["$", "$$", "\\$", "$\\sqrt{$", "a$b$c$d"])
def test_odd_dollars_never_crash(text):
    rows = [{"label": text, "planned_months": [1], "actual_months": [], "late": False}]
    assert _has(_svg_text(charts.gantt(rows, None, title=text)), text)
