"""New workbooks: xlsxwriter with user text kept as text, written atomically.

``strings_to_formulas`` is off, so a survey comment such as ``=HYPERLINK(...)`` or
``+886 2 1234`` is stored as a string. Formulas are only ever written through
``write_formula`` with their computed value, so Excel, LibreOffice and every reader
that trusts cached values see the right number without recalculating.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import xlsxwriter

from toolkit.io.atomic import atomic_output

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}
#: Fixed document dates keep generated templates byte-comparable run to run.
FIXED_CREATED = dt.datetime(2018, 1, 1)


@contextmanager
def new_workbook(dst: str | Path, *, deterministic: bool = False) -> Iterator[xlsxwriter.Workbook]:
    """Yield an xlsxwriter Workbook that lands at ``dst`` only if the block succeeds.

    ``dst`` ending in ``.ods`` is written as xlsx and converted by LibreOffice headless.
    """
    dst = Path(dst)
    with atomic_output(dst) as tmp:
        if dst.suffix.lower() == ".ods":
            with tempfile.TemporaryDirectory(prefix="svcq-ods-") as work:
                xlsx = Path(work, dst.stem + ".xlsx")
                wb = _open(xlsx, deterministic)
                yield wb
                wb.close()
                from toolkit.io.libreoffice import convert

                [ods] = convert([xlsx], "ods", Path(work, "ods"))
                ods.replace(tmp)
        else:
            wb = _open(tmp, deterministic)
            yield wb
            wb.close()


def _open(path: Path, deterministic: bool) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    props: dict[str, Any] = {"author": "svcq", "comments": "由 svcq 產生"}
    if deterministic:
        props["created"] = FIXED_CREATED
    wb.set_properties(props)
    return wb
