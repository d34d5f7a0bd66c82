"""New workbooks: xlsxwriter with user text kept as text, written atomically.

``strings_to_formulas`` is off, so a survey comment such as ``=HYPERLINK(...)`` or
``+886 2 1234`` is stored as a string. Formulas are only ever written through
``write_formula`` with their computed value, so Excel, LibreOffice and every reader
that trusts cached values see the right number without recalculating.

.ods (the ODF format the government asks for in documents offered to the public) is the
same xlsx converted by LibreOffice headless and finished by ``toolkit.io.ods.finish_ods``.
Each LibreOffice run costs seconds, so ``ods_batch()`` lets a command that writes many
files (split copies, templates) convert them all in one run.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import xlsxwriter

from toolkit.io.atomic import atomic_output
from toolkit.io.workdir import work_dir
from toolkit.problems import SvcqError

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}
#: Fixed document dates keep generated templates byte-comparable run to run.
FIXED_CREATED = dt.datetime(2018, 1, 1)

#: (work folder, [(xlsx written, .ods destination)]) while an ``ods_batch`` is open.
_BATCH: ContextVar[tuple[Path, list[tuple[Path, Path]]] | None] = ContextVar("svcq_ods_batch",
                                                                             default=None)


def is_ods(dst: str | Path) -> bool:
    return Path(dst).suffix.lower() == ".ods"


@contextmanager
def new_workbook(dst: str | Path, *, deterministic: bool = False) -> Iterator[xlsxwriter.Workbook]:
    """Yield an xlsxwriter Workbook that lands at ``dst`` only if the block succeeds.

    ``dst`` ending in ``.ods`` is written as xlsx and converted by LibreOffice headless (at
    the end of the enclosing ``ods_batch`` if there is one); without LibreOffice that raises
    SvcqError before anything is written.
    """
    dst = Path(dst)
    if is_ods(dst):
        from toolkit.io.libreoffice import require_soffice

        require_soffice()
        batch = _BATCH.get()
        if batch is not None:
            work, pending = batch
            xlsx = work / f"{len(pending):04d}.xlsx"
            wb = _open(xlsx, deterministic)
            yield wb
            wb.close()
            pending.append((xlsx, dst))
            return
        with work_dir("ods") as work:
            xlsx = Path(work, "0000.xlsx")
            wb = _open(xlsx, deterministic)
            yield wb
            wb.close()
            _convert_all([(xlsx, dst)], Path(work))
        return
    with atomic_output(dst) as tmp:
        wb = _open(tmp, deterministic)
        yield wb
        wb.close()


@contextmanager
def ods_batch() -> Iterator[None]:
    """Defer every .ods written inside the block to one LibreOffice run when it ends.

    Nothing lands if the block raises. Nested batches join the outermost one."""
    if _BATCH.get() is not None:
        yield
        return
    with work_dir("ods") as work:
        pending: list[tuple[Path, Path]] = []
        token = _BATCH.set((Path(work), pending))
        try:
            yield
        finally:
            _BATCH.reset(token)
        if pending:
            _convert_all(pending, Path(work))


def save_as_ods(xlsx: str | Path, dst: str | Path) -> Path:
    """Convert an xlsx svcq already wrote (e.g. by the patch writer) to ``dst`` (.ods)."""
    from toolkit.io.libreoffice import require_soffice

    require_soffice()
    batch = _BATCH.get()
    if batch is not None:
        work, pending = batch
        copy = work / f"{len(pending):04d}.xlsx"
        copy.write_bytes(Path(xlsx).read_bytes())
        pending.append((copy, Path(dst)))
        return Path(dst)
    with work_dir("ods") as work:
        copy = Path(work, "0000.xlsx")
        copy.write_bytes(Path(xlsx).read_bytes())
        _convert_all([(copy, Path(dst))], Path(work))
    return Path(dst)


def _convert_all(pending: Sequence[tuple[Path, Path]], work: Path) -> None:
    from toolkit.io.libreoffice import convert
    from toolkit.io.ods import finish_ods

    try:
        converted = convert([x for x, _ in pending], "ods", work / "ods")
    except SvcqError as exc:  # name the file the user asked for, not our temporary xlsx
        failed = next((d for x, d in pending if exc.problem.file == str(x)), pending[0][1])
        raise SvcqError(exc.problem.message, file=failed, code=exc.problem.code) from None
    for (xlsx, dst), ods in zip(pending, converted, strict=True):
        finish_ods(xlsx, ods)  # widths and frozen panes LibreOffice loses headless
        with atomic_output(dst) as tmp:
            # a copy, not a rename: the work folder may sit on another file system than
            # the destination (a USB stick, a network share)
            shutil.copyfile(ods, tmp)


def _open(path: Path, deterministic: bool) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    props: dict[str, Any] = {"author": "svcq", "comments": "由 svcq 產生"}
    if deterministic:
        props["created"] = FIXED_CREATED
    wb.set_properties(props)
    return wb
