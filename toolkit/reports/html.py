"""Accessible HTML pieces the report notebooks display: headings, tables, figures, notes.

Each helper returns ``Html``, a ``str`` that Jupyter displays as HTML (``_repr_html_``), so a
notebook cell only says ``display(table(...))`` and nbconvert copies the markup verbatim.
Tables always carry a caption and ``<th scope>``; figures are inline SVG with ``role="img"``
and an alt text that states their main figures.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from matplotlib.figure import Figure

from toolkit.reports import charts


class Html(str):
    """Markup that Jupyter (and nbconvert) shows as HTML."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


def join(parts: Iterable[str]) -> Html:
    """Parts one after another; headings right before a figure are kept on its page (printed,
    a heading must never end a page while its chart starts the next)."""
    out: list[str] = []
    pending: list[str] = []  # headings waiting for what follows them
    for part in parts:
        if part.startswith("<h"):
            pending.append(part)
        elif part.startswith("<figure") and pending:
            out.append(f'<div class="svcq-keep">{"".join(pending)}{part}</div>')
            pending = []
        else:
            out += [*pending, part]
            pending = []
    return Html("\n".join(out + pending))


def heading(text: str, level: int = 2) -> Html:
    return Html(f"<h{level}>{escape(text)}</h{level}>")


def paragraph(text: str, cls: str | None = None) -> Html:
    attr = f' class="{cls}"' if cls else ""
    return Html(f"<p{attr}>{escape(text)}</p>")


def note(text: str, kind: str = "info") -> Html:
    """A highlighted remark (kind: info, warning, ok); the word before it is for print/screen
    readers too, since colour alone says nothing on a grey printer."""
    word = {"warning": "注意", "ok": "良好", "info": "說明"}[kind]
    return Html(f'<p class="svcq-note svcq-{kind}"><strong>{word}：</strong>{escape(text)}</p>')


def bullet_list(items: Iterable[str], *, label: str | None = None) -> Html:
    lis = "".join(f"<li>{escape(i)}</li>" for i in items)
    aria = f' aria-label="{escape(label)}"' if label else ""
    return Html(f"<ul{aria}>{lis}</ul>")


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, caption: str,
          row_header: bool = True, numeric: Sequence[int] = (),
          row_classes: Sequence[str | None] | None = None, cls: str = "",
          nowrap: Sequence[int] = ()) -> Html:
    """A data table: caption, ``<th scope="col">`` headers and (by default) the first cell of
    each row as ``<th scope="row">``. ``numeric``: column indexes aligned right (and kept on
    one line); ``nowrap``: short text columns kept on one line (狀態, 承辦單位…), so a printed
    A4 column is never one character wide."""
    num = set(numeric)
    keep = set(nowrap)
    head = "".join(f'<th scope="col"{_align(i, num, keep)}>{escape(str(c))}</th>'
                   for i, c in enumerate(columns))
    body = []
    for n, row in enumerate(rows):
        cells = []
        for i, value in enumerate(row):
            text = escape("" if value is None else str(value))
            if i == 0 and row_header:
                cells.append(f'<th scope="row"{_align(i, num, keep)}>{text}</th>')
            else:
                cells.append(f"<td{_align(i, num, keep)}>{text}</td>")
        rc = row_classes[n] if row_classes is not None and n < len(row_classes) else None
        attr = f' class="{rc}"' if rc else ""
        body.append(f"<tr{attr}>{''.join(cells)}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(columns)}">（無資料）</td></tr>')
    classes = " ".join(filter(None, ["svcq-table", cls]))
    return Html(f'<table class="{classes}"><caption>{escape(caption)}</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _align(i: int, numeric: set[int], nowrap: set[int]) -> str:
    return ' class="num"' if i in numeric else ' class="nowrap"' if i in nowrap else ""


_ids = itertools.count(1)
_ID = re.compile(r'\bid="([^"]+)"')


def svg(fig: Figure) -> str:
    """The figure as an inline ``<svg>``: text kept as text with the CJK font list, no XML
    prolog or metadata, and ids made unique so several charts can share one page."""
    buf = io.StringIO()
    with _rc():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    prefix = f"svcq{next(_ids)}"
    for old in set(_ID.findall(text)):
        new = f"{prefix}-{old}"
        text = (text.replace(f'id="{old}"', f'id="{new}"').replace(f"#{old})", f"#{new})")
                .replace(f'href="#{old}"', f'href="#{new}"'))
    text = re.sub(r"font-family: [^;\"]+", f"font-family: {charts.CSS_FONT_FAMILY}", text)
    return text


def _rc() -> Any:
    import matplotlib

    return matplotlib.rc_context(charts.rc())


def figure(fig: Figure, alt: str, caption: str | None = None) -> Html:
    """Inline SVG with ``role="img"``, an accessible name and a ``<title>`` = ``alt``.

    ``alt`` must state the chart's main figures (a reader who cannot see it learns the same);
    ``caption`` is shown under the chart.
    """
    body = svg(fig)
    body = body.replace("<svg ", f'<svg role="img" aria-label="{escape(alt)}" ', 1)
    end = body.index(">", body.index("<svg")) + 1
    body = f"{body[:end]}\n <title>{escape(alt)}</title>{body[end:]}"
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return Html(f'<figure class="svcq-figure">{body}{cap}</figure>')


def meta(items: Sequence[tuple[str, str]]) -> Html:
    """The report's key facts (機關, 年度, 資料截至…) as a description list."""
    rows = "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(v)}</dd></div>" for k, v in items)
    return Html(f'<dl class="svcq-meta">{rows}</dl>')
