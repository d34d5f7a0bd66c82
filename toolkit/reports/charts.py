"""The report charts, drawn with matplotlib and kept as SVG with text as text.

Each function takes plain data (already computed by the domain packages) and returns a
matplotlib ``Figure``; ``toolkit.reports.html.figure`` turns it into accessible inline SVG.
No statistics here: the figures only draw numbers they are given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from toolkit.sheetkit import palette

#: CJK fonts a user may have (Debian/Linux, Windows, macOS); only installed ones are given to
#: matplotlib (naming absent fonts floods the log), the whole list goes into the SVG.
CJK_FONTS = ("Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC", "Microsoft JhengHei",
             "PingFang TC", "Heiti TC", "AR PL UMing TW")
#: The browser's font-family list written into every SVG: Chinese renders with whatever the
#: reader's system has, nothing is downloaded.
CSS_FONT_FAMILY = ", ".join(["'DejaVu Sans'", *(f"'{f}'" for f in CJK_FONTS),
                             "'Microsoft YaHei'", "sans-serif"])

#: The house palette (toolkit.sheetkit.palette), shared with the workbooks' charts.
LIKERT_COLOURS = palette.LIKERT_WORST_FIRST  # 非常不滿意 → 非常滿意
PLANNED = palette.PLANNED
ACTUAL = palette.ACTUAL
LATE = palette.LATE
SCORE = palette.SERIES
MAX_SHADE = palette.REFERENCE
PAST_SHADE = palette.PAST


#: File names of the CJK fonts above (Noto/Source Han, 微軟正黑體 msjh, 蘋方 PingFang…).
_CJK_FILES = re.compile(r"(?i)(NotoSans(CJK|TC)|SourceHanSans|msjh|PingFang|STHeiti|uming)")


@cache
def cjk_fonts() -> list[str]:
    """The CJK fonts of CJK_FONTS this machine has. A matplotlib font cache built before the
    font was installed does not list it: then the font files are found and registered
    directly, so charts never fall back to tofu and a flood of glyph warnings."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    if not names & set(CJK_FONTS):
        for path in font_manager.findSystemFonts():
            if _CJK_FILES.search(Path(path).name):
                with suppress(Exception):  # a broken font file is skipped, not fatal
                    font_manager.fontManager.addfont(path)
        names = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in CJK_FONTS if f in names]


def new_figure(width: float, height: float) -> Figure:
    """A figure sized in inches for an A4 page (≤ 6.7 in wide), CJK-capable, text as text."""
    # Figure() directly (not pyplot): no global state, no figure manager to leak in a kernel.
    fig = Figure(figsize=(width, height), layout="constrained")
    fig.set_dpi(96)
    return fig


def rc() -> dict[Any, Any]:  # matplotlib types its keys as literals
    """rcParams every chart is drawn and saved with."""
    return {
        # user text (「NT$100元」, 「單價$\frac$元」) is text: never matplotlib's $…$ mathtext
        "text.parse_math": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "svcq",
        "font.family": ["DejaVu Sans", *cjk_fonts()],
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
    }


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def gantt(rows: Sequence[Mapping[str, object]], as_of_month: int | None, *, title: str) -> Figure:
    """預定 (light bar) vs 實際 (dark bar) months per task; late tasks' labels in red.

    ``rows``: dicts with ``label``, ``planned_months``, ``actual_months``, ``late``.
    """
    with matplotlib.rc_context(rc()):
        fig = new_figure(6.7, 1.3 + 0.3 * max(len(rows), 1))
        ax = fig.add_subplot()
        for y, row in enumerate(rows):
            for m in row["planned_months"]:  # type: ignore[attr-defined]
                ax.barh(y - 0.17, 0.9, left=m - 0.45, height=0.32, color=PLANNED,
                        edgecolor="#6baed6", linewidth=0.5)
            for m in row["actual_months"]:  # type: ignore[attr-defined]
                ax.barh(y + 0.17, 0.9, left=m - 0.45, height=0.32, color=ACTUAL)
        ax.set_yticks(range(len(rows)), [_short(str(r["label"])) for r in rows])
        for tick, row in zip(ax.get_yticklabels(), rows, strict=True):
            if row.get("late"):
                tick.set_color(LATE)
                tick.set_fontweight("bold")
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim(0.5, 12.5)
        ax.set_xticks(range(1, 13), [f"{m}月" for m in range(1, 13)])
        ax.xaxis.tick_top()
        ax.tick_params(axis="both", length=0)
        ax.spines[["left", "bottom"]].set_visible(False)
        for m in range(1, 13):
            ax.axvline(m + 0.5, color="#eeeeee", linewidth=0.6, zorder=0)
        if as_of_month:
            ax.axvline(as_of_month + 0.5, color=LATE, linewidth=1.2, linestyle="--")
        handles: list[Artist] = [Patch(color=PLANNED, label="預定"),
                   Patch(color=ACTUAL, label="實際")]
        if as_of_month:
            handles.append(Line2D([], [], color=LATE, linestyle="--",
                                                   label=f"截至 {as_of_month} 月"))
        fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
        ax.set_title(title, loc="left")
    return fig


def likert(questions: Sequence[str], shares: Sequence[Sequence[float]], labels: Sequence[str],
           *, title: str) -> Figure:
    """Diverging stacked bars: the neutral share is centred on 0, dissatisfied to the left.

    ``shares`` per question: the five label shares from 非常不滿意 to 非常滿意 (sum ≤ 1).
    """
    with matplotlib.rc_context(rc()):
        fig = new_figure(6.7, 1.2 + 0.42 * max(len(questions), 1))
        ax = fig.add_subplot()
        for y, row in enumerate(shares):
            neg1, neg2, mid, pos1, pos2 = (float(v) * 100 for v in row)
            starts = [-(neg1 + neg2 + mid / 2), -(neg2 + mid / 2), -mid / 2, mid / 2, mid / 2 + pos1]
            for value, left, colour in zip((neg1, neg2, mid, pos1, pos2), starts,
                                           LIKERT_COLOURS, strict=True):
                if value <= 0:
                    continue
                ax.barh(y, value, left=left, color=colour, height=0.7, edgecolor="white",
                        linewidth=0.5)
                if value >= 6:
                    dark = colour in (LIKERT_COLOURS[0], LIKERT_COLOURS[4])
                    ax.text(left + value / 2, y, f"{value:.0f}%", ha="center", va="center",
                            fontsize=7.5, color="white" if dark else "black")
        ax.set_yticks(range(len(questions)), [_short(q, 14) for q in questions])
        ax.set_ylim(len(questions) - 0.5, -0.5)
        ax.axvline(0, color="#555555", linewidth=0.8)
        # zoom to the data (rounded to 10 %): a one-sided survey would waste half the width
        left = max([(r[0] + r[1] + r[2] / 2) * 100 for r in shares] or [50])
        right = max([(r[3] + r[4] + r[2] / 2) * 100 for r in shares] or [50])
        lo, hi = -min(100, math.ceil(left / 10) * 10), min(100, math.ceil(right / 10) * 10)
        ax.set_xlim(lo, hi)
        ticks = [t for t in range(-100, 101, 20) if lo <= t <= hi]
        ax.set_xticks(ticks, [f"{abs(t)}%" for t in ticks])
        ax.tick_params(axis="y", length=0)
        handles = [Patch(color=c, label=lab)
                   for c, lab in zip(LIKERT_COLOURS, labels, strict=True)]
        fig.legend(handles=handles, loc="outside lower center", ncols=5, frameon=False)
        ax.set_title(title, loc="left")
    return fig


def trend(years: Sequence[str], series: Mapping[str, Sequence[float | None]],
          marks: Mapping[str, Sequence[bool]], *, title: str,
          standard: float | None = None) -> Figure:
    """Satisfaction rate per year, one line per question; significant changes ringed."""
    with matplotlib.rc_context(rc()):
        fig = new_figure(6.7, 3.4)
        ax = fig.add_subplot()
        x = list(range(len(years)))
        markers = "osD^v<>ph*"
        for n, (name, values) in enumerate(series.items()):
            pts = [(i, v * 100) for i, v in zip(x, values, strict=True) if v is not None]
            if not pts:
                continue
            line, = ax.plot([p[0] for p in pts], [p[1] for p in pts],
                            marker=markers[n % len(markers)], label=_short(name, 12))
            for i, flag in enumerate(marks.get(name, [])):
                if flag and values[i] is not None:
                    ax.plot(i, values[i] * 100, marker="o", markersize=13, fillstyle="none",  # type: ignore[operator]
                            color=line.get_color(), linewidth=0)
        if standard is not None:
            ax.axhline(standard * 100, color=LATE, linestyle="--", linewidth=1,
                       label=f"最低標準 {standard * 100:g}%")
        ax.set_xticks(x, [f"{y}年" for y in years])
        lo = min([v * 100 for vs in series.values() for v in vs if v is not None] or [0])
        if standard is not None:
            lo = min(lo, standard * 100)
        ax.set_ylim(max(0, math.floor(lo / 10) * 10 - 5), 100)
        ax.set_ylabel("滿意度（%）")
        ax.grid(axis="y", color="#eeeeee")
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False,
                  title="○ = 與前一年差異顯著", title_fontsize=7.5)
        ax.set_title(title, loc="left")
    return fig


def score_bars(names: Sequence[str], scores: Sequence[float], maxima: Sequence[float],
               *, title: str, previous: Sequence[float | None] | None = None,
               labels: tuple[str, str] = ("去年", "今年")) -> Figure:
    """Score per 構面 drawn over its maximum (grey), optionally beside last year's score."""
    with matplotlib.rc_context(rc()):
        fig = new_figure(6.7, 1.0 + 0.5 * max(len(names), 1))
        ax = fig.add_subplot()
        ys = list(range(len(names)))
        ax.barh(ys, maxima, color=MAX_SHADE, height=0.75, label="配分")
        if previous is not None:
            prev = [p or 0 for p in previous]
            ax.barh([y - 0.17 for y in ys], prev, color=PAST_SHADE, height=0.3, label=labels[0])
            ax.barh([y + 0.17 for y in ys], scores, color=SCORE, height=0.3, label=labels[1])
        else:
            ax.barh(ys, scores, color=SCORE, height=0.45, label="得分")
        for y, s, m in zip(ys, scores, maxima, strict=True):
            ax.text(m, y, f" {s:g} / {m:g}", va="center", fontsize=8)
        ax.set_yticks(ys, [_short(n, 14) for n in names])
        ax.set_ylim(len(names) - 0.5, -0.5)
        ax.set_xlim(0, max(maxima or [1]) * 1.25)
        ax.set_xlabel("分數")
        ax.tick_params(axis="y", length=0)
        ax.legend(loc="lower right", frameon=False, fontsize=8)
        ax.set_title(title, loc="left")
    return fig
