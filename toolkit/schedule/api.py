"""作業時程管制表 verbs of the front door: a path in, a result out; files written only when asked.

``new_schedule`` → ``split_schedule`` → (each 課室 fills its copy) → ``collect_schedule`` →
``schedule_status``. Each input is opened once through the input gate and passed down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.frames import frame
from toolkit.io.atomic import check_output_path
from toolkit.io.read import open_workbook
from toolkit.io.sniff import FileKind
from toolkit.problems import ProblemsFound, SvcqError
from toolkit.roc import ROC_OFFSET, YearMonth, parse_year_month
from toolkit.schedule.collect import Conflict, Returned, Taken, reconcile, show, unit_file_name
from toolkit.schedule.model import ControlSheet, Plan
from toolkit.schedule.sheets import (
    LOG_SHEET,
    SHEET,
    TITLE_SUFFIX,
    edits_for,
    load_plan,
    log_edits,
    read_control_sheet,
    read_sheet,
    write_control_sheet,
)
from toolkit.schedule.status import StatusReport, status

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CollectResult", "SplitResult", "collect_schedule", "new_schedule", "read_schedule",
           "schedule_status", "split_schedule"]


def new_schedule(plan: str | Path | Plan | ControlSheet, *, year: int, office: str,
                 output: str | Path | None = None) -> ControlSheet:
    """The year's control sheet from a plan list (CSV/xlsx/xls/ods: 編號, 計畫項目, 承辦單位,
    工作內容, 預定月份) or from tasks already read; written to ``output`` (.xlsx/.ods) if given."""
    if isinstance(plan, str | Path):
        if output is not None:
            check_output_path([plan], output)
        plan = load_plan(plan)
    tasks = plan.tasks if isinstance(plan, ControlSheet | Plan) else list(plan)
    sheet = ControlSheet(office, year, list(tasks), file=str(output) if output else "")
    if output is not None:
        write_control_sheet(sheet.plan, output, year, office)
    return sheet


def read_schedule(path: str | Path) -> ControlSheet:
    """The control sheet (or a 課室's returned copy) at ``path``; ProblemsFound lists every bad
    cell."""
    return read_control_sheet(path)


def schedule_status(source: str | Path | ControlSheet, as_of: Any = None) -> StatusReport:
    """Where each task stands as of a month (``107-06``, ``107年6月``, a date; None = this
    month): 落後, 進行中, 未到期, 已完成."""
    sheet = source if isinstance(source, ControlSheet) else read_control_sheet(source)
    if as_of is None or as_of == "":
        today = dt.date.today()
        when = YearMonth(today.year - ROC_OFFSET, today.month)
    else:
        when = as_of if isinstance(as_of, YearMonth) else parse_year_month(as_of)
    return status(sheet, when)


@dataclass
class SplitResult:
    """One copy per 承辦單位: the unit's tasks and where its copy was written (if it was)."""

    master: ControlSheet
    copies: dict[str, Path | None]  # unit → file written (None when not written)

    def to_dict(self) -> dict[str, Any]:
        return {"master": self.master.file, "units": [
            {"unit": unit, "file": str(path) if path else None,
             "tasks": len(self.master.plan.for_unit(unit).tasks)} for unit, path in self.copies.items()]}

    def to_pandas(self) -> pd.DataFrame:
        return frame(self.to_dict()["units"], ["unit", "file", "tasks"])

    @property
    def files(self) -> list[Path]:
        return [p for p in self.copies.values() if p is not None]


def split_schedule(master: str | Path, outdir: str | Path | None = None, *,
                   format: str = "xlsx") -> SplitResult:
    """One copy per 承辦單位 in ``outdir`` (``戶籍登記課.xlsx``…), each holding only that unit's
    tasks in the same layout, with the progress the master already has. ``format="ods"``
    writes ODF copies (one LibreOffice run for all of them)."""
    from toolkit.io.xlsx import ods_batch

    master = Path(master)
    sheet = read_control_sheet(master)
    if sheet.year is None:
        raise SvcqError(f"總表標題看不出年度（應為「…{TITLE_SUFFIX}」前加民國年）", file=master,
                        sheet=SHEET, cell="A1", code="no-year")
    if not sheet.tasks:
        raise SvcqError("總表沒有任何工作項目可分送", file=master, sheet=SHEET, code="empty-sheet")
    units = sheet.plan.units
    if outdir is None:
        return SplitResult(sheet, dict.fromkeys(units))
    targets = {u: Path(outdir) / unit_file_name(u, f".{format}") for u in units}
    if len(set(targets.values())) < len(targets):
        raise SvcqError("有承辦單位名稱轉成檔名後相同，請修改單位名稱", file=master, code="unit-names")
    for dst in targets.values():
        check_output_path([master], dst)
    with ods_batch():
        for unit, dst in targets.items():
            write_control_sheet(sheet.plan.for_unit(unit), dst, sheet.year, sheet.office, unit=unit)
    return SplitResult(sheet, dict(targets))


@dataclass
class CollectResult:
    master: Path
    dst: Path | None  # None: nothing written (no output asked for)
    backup: Path | None  # the copy made before an in-place write
    units: dict[str, str]  # returned file → the 承辦單位 it was read as ('' when unknown)
    taken: list[Taken]
    conflicts: list[Conflict]

    def summary_lines(self) -> list[str]:
        lines = []
        for file, unit in self.units.items():
            n_taken = sum(t.file == file for t in self.taken)
            n_conf = sum(file in c.files for c in self.conflicts)
            lines.append(f"{Path(file).name}（{unit or '單位不明'}）：採用 {n_taken} 項"
                         + (f"，衝突 {n_conf} 項未套用" if n_conf else ""))
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {"master": str(self.master), "output": str(self.dst) if self.dst else None,
                "backup": str(self.backup) if self.backup else None,
                "units": dict(self.units), "taken": [t.to_dict() for t in self.taken],
                "conflicts": [c.to_dict() for c in self.conflicts]}

    def to_pandas(self) -> pd.DataFrame:
        """The 彙整紀錄 as a table: one row per value taken or conflict not applied."""
        rows = [{"file": Path(t.file).name, "unit": t.unit, "id": t.id, "task": t.task,
                 "field": t.field, "old": t.old, "new": t.new, "applied": True, "message": ""}
                for t in self.taken]
        rows += [{"file": "、".join(Path(f).name for f in c.files), "unit": "", "id": c.id,
                  "task": c.task, "field": c.kind, "old": "", "new": "", "applied": False,
                  "message": c.message} for c in self.conflicts]
        return frame(rows, ["file", "unit", "id", "task", "field", "old", "new", "applied", "message"])


def collect_schedule(master: str | Path, returned: Sequence[str | Path], output: str | Path | None = None,
                     *, in_place: bool = False) -> CollectResult:
    """Take each returned copy's 實際 marks, 完成度, 落後原因及因應對策 and 備註 of its own unit's
    tasks into the master, through the lossless cell writer (charts, images and notes the
    office added stay). Everything else a copy changed is a Conflict and not applied. A
    ``彙整紀錄`` sheet lists what was taken from which file. Copies may be .xlsx/.xls/.ods; the
    master must be .xlsx. Without ``output`` or ``in_place`` nothing is written."""
    from toolkit.io.patch import patch_cells

    master = Path(master)
    writes = in_place or output is not None
    out = master if in_place or output is None else Path(output)
    if writes:
        check_output_path([master, *returned], out, in_place=in_place, can_in_place=True)
    book = open_workbook(master)
    if book.kind is not FileKind.XLSX:
        raise SvcqError("總表必須是 .xlsx 活頁簿（可先以 Excel 或 LibreOffice 另存為 .xlsx）",
                        file=master, code="master-not-xlsx")
    base = read_sheet(book)
    if base.problems:
        raise ProblemsFound(base.problems)
    copies = []
    for path in returned:
        read = read_sheet(path)
        copies.append(Returned(str(path), read.sheet, read.problems, read.task_problems,
                               has_note="備註" in read.cols))
    changes, conflicts, units = reconcile(base.sheet, copies)

    edits: dict[str, Any] = {}
    taken: list[Taken] = []
    for change in changes:
        cells = edits_for(base, change, edits)
        key = change.key
        if cells is None:
            conflicts.append(Conflict("no-cell", f"總表中編號 {key[0]}「{key[1]}」沒有可寫入"
                                      f"{change.field}的儲存格（實際列可能被刪除），未套用",
                                      (change.file,), *key))
            continue
        taken.append(Taken(change.file, change.unit, *key, change.field,
                           show(change.field, change.old), show(change.field, change.new), cells))
    if not writes:
        return CollectResult(master, None, None, units, taken, conflicts)
    edits.update(log_edits(book, taken, conflicts))
    result = patch_cells(master, edits, None if in_place else out, in_place=in_place,
                         add_sheets=(LOG_SHEET,))
    return CollectResult(master, result.output, result.backup, units, taken, conflicts)
