"""LibreOffice's print of workbooks, read back page by page and sheet by sheet.

``print_books`` converts many workbooks to PDF in one LibreOffice run (one start-up for all)
and splits each PDF at the sheet bookmarks LibreOffice writes, so every sheet's printed pages
can be checked: how many, how full, what text they carry and where, and how small it got.
Text is NFKC-normalised (the PDF names some CJK characters by their compatibility forms).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.io.libreoffice import convert

#: Runs below this height (points from the bottom edge) are the footer 「第 N 頁，共 M 頁」.
FOOTER_ZONE = 36.0


def norm(text: str) -> str:
    """NFKC without any whitespace: how a cell's text is looked for in a page's text."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Run:
    """A piece of text as drawn: its baseline position and its size on paper, in points."""

    text: str
    x: float
    y: float  # from the bottom edge
    size: float


@dataclass
class Page:
    number: int  # 1-based in the PDF
    width: float
    height: float
    runs: list[Run] = field(default_factory=list)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def body(self) -> list[Run]:
        """The runs above the footer and on the paper (a merged cell's text centred in rows on
        another page is drawn outside it, clipped away)."""
        return [r for r in self.runs if FOOTER_ZONE < r.y < self.height and 0 <= r.x < self.width]

    @property
    def text(self) -> str:
        return norm("".join(r.text for r in self.body))

    def top_text(self, depth: float) -> str:
        """The text of the body's top ``depth`` points (what a reader sees first on the page)."""
        body = self.body
        if not body:
            return ""
        top = max(r.y for r in body)
        return norm("".join(r.text for r in body if r.y >= top - depth))

    @property
    def filled(self) -> float:
        """How far down the page the body reaches, 0–1 of the paper's height."""
        body = self.body
        return (self.height - min(r.y for r in body)) / self.height if body else 0.0

    @property
    def smallest(self) -> float:
        """The smallest text on the page (a blank page has none: infinite)."""
        return min((r.size for r in self.body), default=float("inf"))


@dataclass
class PrintedSheet:
    book: str
    name: str
    pages: list[Page]

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pages)


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def _clipped(clip: Box | None, rect: Box) -> Box:
    return rect if clip is None else (max(clip[0], rect[0]), max(clip[1], rect[1]),
                                      min(clip[2], rect[2]), min(clip[3], rect[3]))


def _pages(pdf: Path) -> tuple[list[Page], list[tuple[str, int]]]:
    """Each page's visible text runs, and the sheet bookmarks (title, first page index).

    LibreOffice draws a chart or a merged cell that crosses a page break on both pages and
    clips each to the page's part: the clipping rectangles (``re W n`` inside ``q``/``Q``)
    are followed, and a run outside them is not on the paper, so not kept."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    pages = []
    for n, raw in enumerate(reader.pages, 1):
        box = raw.mediabox
        page = Page(n, float(box.width), float(box.height))
        state: dict[str, Any] = {"clip": None, "stack": [], "rect": None}

        def before(op: bytes, args: list[Any], cm: list[float], _tm: list[float],
                   state: dict[str, Any] = state) -> None:
            if op == b"q":
                state["stack"].append(state["clip"])
            elif op == b"Q":
                state["clip"] = state["stack"].pop() if state["stack"] else None
            elif op == b"re":
                x0, y0, w, h = (float(a) for a in args)
                corners = [(cx, cy) for cx in (x0, x0 + w) for cy in (y0, y0 + h)]
                xs = [cx * cm[0] + cy * cm[2] + cm[4] for cx, cy in corners]
                ys = [cx * cm[1] + cy * cm[3] + cm[5] for cx, cy in corners]
                state["rect"] = (min(xs), min(ys), max(xs), max(ys))
            elif op in (b"W", b"W*") and state["rect"] is not None:
                state["clip"] = _clipped(state["clip"], state["rect"])

        def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float,
                  page: Page = page, state: dict[str, Any] = state) -> None:
            if not text.strip():
                return
            # the text matrix within the current transformation: position and vertical scale
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[2] * cm[1] + tm[3] * cm[3])
            clip = state["clip"]
            if clip is not None and not (clip[0] - 2 <= x <= clip[2] and clip[1] - 2 <= y <= clip[3]):
                return  # drawn, but clipped away
            page.runs.append(Run(unicodedata.normalize("NFKC", text), x, y, size * scale))

        raw.extract_text(visitor_operand_before=before, visitor_text=visit)
        pages.append(page)
    marks = [(str(o["/Title"]), reader.get_destination_page_number(o))
             for o in reader.outline if not isinstance(o, list)]
    return pages, marks


def print_books(books: Iterable[Path], outdir: Path) -> dict[Path, dict[str, PrintedSheet]]:
    """{workbook: {sheet: its printed pages}} for every printed (visible, non-empty) sheet,
    all converted by one LibreOffice run. Stems must differ (LibreOffice names PDFs by stem)."""
    books = list(books)
    stems = [b.stem for b in books]
    assert len(set(stems)) == len(stems), "workbook names must differ for one conversion"
    convert(books, "pdf", outdir)
    out: dict[Path, dict[str, PrintedSheet]] = {}
    for book in books:
        pages, marks = _pages(outdir / f"{book.stem}.pdf")
        sheets: dict[str, PrintedSheet] = {}
        for i, (name, first) in enumerate(marks):
            end = marks[i + 1][1] if i + 1 < len(marks) else len(pages)
            sheets[name] = PrintedSheet(book.name, name, pages[first:end])
        out[book] = sheets
    return out
