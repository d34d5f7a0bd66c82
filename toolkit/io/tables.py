"""Results as text files: CSV for Excel (UTF-8 with BOM) and JSON, written atomically, or to
standard output for ``-o -``.

CSV cells that start with = + - @, a tab or a line break get a leading ' (OWASP's rule for CSV
injection): Excel would otherwise run them as formulas. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from toolkit.io.atomic import atomic_output

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
STDOUT = "-"


def safe_cell(value: Any) -> Any:
    """A value as a CSV cell that no spreadsheet will run as a formula."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):  # months, paths: one cell, as a person writes them
        return safe_cell(",".join(map(str, value)))
    if isinstance(value, float) and value != value:  # NaN from pandas: an empty cell
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def write_text(text: str, dst: str | Path, *, bom: bool = False) -> None:
    """``text`` to ``dst`` atomically (UTF-8), or to standard output when ``dst`` is ``-``."""
    if str(dst) == STDOUT:
        # a data stream asked for with -o -: written exactly (CRLF, every character), past the
        # filter toolkit.cli.main puts on human-readable output
        stream = getattr(sys.stdout, "raw_stream", sys.stdout)
        stream.write(text)
        stream.flush()
        return
    with atomic_output(dst) as tmp:
        tmp.write_text(text, encoding="utf-8-sig" if bom else "utf-8", newline="")


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], dst: str | Path) -> None:
    """A CSV Excel opens with the right encoding (a file gets a BOM; standard output does not)."""
    write_text(csv_text(header, rows), dst, bom=str(dst) != STDOUT)


def write_json(data: Any, dst: str | Path) -> None:
    write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", dst)
