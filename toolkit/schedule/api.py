"""作業時程管制表 verbs of the front door: a path in, a result out; files written only when asked.

``new_schedule`` → ``split_schedule`` → (each 課室 fills its copy) → ``collect_schedule`` →
``schedule_status``. Each input is opened once through the input gate and passed down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import progress
from toolkit.frames import frame
from toolkit.io.atomic import check_output_path, file_digest
from toolkit.io.read import Table, Workbook, open_workbook
from toolkit.io.sniff import FileKind
from toolkit.problems import Problem, ProblemsFound, SvcqError
from toolkit.roc import ROC_OFFSET, YearMonth, parse_year_month
from toolkit.schedule.adopt import Adoption, AdoptOptions
from toolkit.schedule.adopt_files import read_adoption
from toolkit.schedule.collect import (
    Conflict,
    Recorded,
    Returned,
    SharedState,
    Taken,
    reconcile,
    show,
    unit_file_name,
)
from toolkit.schedule.collect import progress as task_progress
from toolkit.schedule.model import ControlSheet, Plan, Task, TaskKey
from toolkit.schedule.plan import PLAN_HEADERS, find_header, parse_plan
from toolkit.schedule.record_sheets import (
    LAYOUTS,
    LOG_SHEET,
    SHARED_SHEET,
    log_edits,
    now,
    open_conflicts,
    read_shared_state,
    row_heights,
    shared_edits,
)
from toolkit.schedule.rollover import Renamed, rollover
from toolkit.schedule.shared import seed
from toolkit.schedule.sheets import (
    SHEET,
    TITLE_SUFFIX,
    ReadSheet,
    edits_for,
    grown_rows,
    read_control_sheet,
    read_sheet,
    write_control_sheet,
)
from toolkit.schedule.status import OpenConflict, StatusReport, status

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CollectResult", "RolloverResult", "SplitResult", "adopt_schedule", "collect_schedule",
           "new_schedule", "read_schedule", "rollover_schedule", "schedule_status", "split_schedule"]


def new_schedule(plan: str | Path | Plan | ControlSheet, *, year: int, office: str | None = None,
                 output: str | Path | None = None) -> ControlSheet:
    """The year's control sheet from a plan list (CSV/xlsx/xls/ods: 編號, 計畫項目, 承辦單位,
    工作內容, 預定月份), from last year's control sheet (svcq's or the office's own: its tasks
    and planned months, progress cleared, as ``rollover_schedule``), or from tasks already
    read; written to ``output`` (.xlsx/.ods) if given. ``office`` defaults to last year's."""
    notes: list[str] = []
    if isinstance(plan, str | Path):
        if output is not None:
            check_output_path([plan], output)
        book = open_workbook(plan)
        table = book.table()
        if find_header(table, PLAN_HEADERS) is not None or book.kind is FileKind.CSV:
            plan_list, problems = parse_plan(table)
            if problems:
                raise ProblemsFound(problems)
            plan = plan_list
        else:
            last = _readable(_last_years(book, table))
            plan, renamed = rollover(last, year)
            office = office or last.office
            notes.append(f"由 {last.year or '上'}年度的管制表（{Path(book.path).name}）建立："
                         "工作與預定月份相同，實際、完成度、落後原因、備註已清空")
            notes += [f"文字中的年度已順延：{r}" for r in renamed]
    if not office:
        raise SvcqError("請以 --office 指定機關名稱（計畫清單上沒有）", code="usage")
    tasks = plan.tasks if isinstance(plan, ControlSheet | Plan) else list(plan)
    sheet = ControlSheet(office, year, list(tasks), file=str(output) if output else "", notes=notes)
    if output is not None:
        write_control_sheet(sheet.plan, output, year, office)
    return sheet


def _last_years(book: Workbook, table: Table) -> ReadSheet:
    """Last year's control sheet offered as the plan; if it is not one either, the plan list's
    own problems say what is missing."""
    try:
        return read_sheet(book)
    except SvcqError as exc:
        if exc.problem.code != "not-a-control-sheet":
            raise
        problems = parse_plan(table)[1]
        raise ProblemsFound([*problems, exc.problem]) from None


def _readable(read: ReadSheet) -> ControlSheet:
    if read.problems:
        raise ProblemsFound(read.problems)
    return read.sheet


def adopt_schedule(source: str | Path | Adoption, *, year: int | None = None, office: str | None = None,
                   unit: str | None = None, marks: str | None = None, sheet: str | None = None,
                   output: str | Path | None = None) -> Adoption:
    """Read an office's own control sheet (any reasonable hand-made 作業時程管制表: title rows,
    one to three header rows, units in parentheses, one row per task or 預定/實際 pairs, planned
    months shaded or marked, or the month-by-month plan) and, given ``output``, write svcq's
    standard sheet with every task, planned month and progress already filled in.

    The Adoption says what was understood (``lines()``, ``to_dict()``) and lists every doubt
    in ``problems`` with sheet!cell; with ``output`` any problem raises ProblemsFound and
    nothing is written. ``unit`` is the 承辦單位 of tasks that name none; ``marks`` (預定 or
    實際) what the marks of a one-row sheet mean when no legend on the sheet says. ``source``
    may be an Adoption already read (to write it after showing the reading).
    """
    if isinstance(source, Adoption):
        adoption = source
    else:
        if output is not None:
            check_output_path([source], output)
        adoption = read_adoption(source, AdoptOptions(year, office, unit, marks), sheet)
    if output is None:
        return adoption
    check_output_path([adoption.file], output)
    if adoption.problems:
        raise ProblemsFound(adoption.problems)
    assert adoption.sheet.year is not None  # need_year: a sheet without one is a problem
    write_control_sheet(adoption.sheet, output, adoption.sheet.year, adoption.sheet.office)
    adoption.written = str(output)
    return adoption


def read_schedule(path: str | Path) -> ControlSheet:
    """The control sheet (or a 課室's returned copy) at ``path`` — svcq's or an office's own, read
    as ``adopt_schedule`` reads it; ProblemsFound lists every bad cell."""
    return read_control_sheet(path)


def schedule_status(source: str | Path | ControlSheet | Sequence[str | Path], as_of: Any = None) -> StatusReport:
    """Where each task stands as of a month (``107-06``, ``107年6月``, a date; None = this
    month): 落後, 進行中, 未到期, 已完成 — and the conflicts the latest collect left unresolved.
    An office's own sheet is read as ``adopt_schedule`` reads it. Several files (each 課室's
    copy, say) give one report of all their tasks."""
    if isinstance(source, ControlSheet):
        sheet, conflicts = source, []
    elif isinstance(source, str | Path):
        book = open_workbook(source)
        sheet, conflicts = _readable(read_sheet(book)), open_conflicts(book)
    else:
        sheet, conflicts = _combined([Path(p) for p in source])
    if as_of is None or as_of == "":
        today = dt.date.today()
        when = YearMonth(today.year - ROC_OFFSET, today.month)
    else:
        when = as_of if isinstance(as_of, YearMonth) else parse_year_month(as_of)
    return status(sheet, when, conflicts)


def _combined(paths: list[Path]) -> tuple[ControlSheet, list[OpenConflict]]:
    """One sheet of several files' tasks; the same task in two files, or two plan years, is a
    problem rather than a choice."""
    sheets: list[ControlSheet] = []
    conflicts: list[OpenConflict] = []
    for path in paths:
        book = open_workbook(path)
        sheets.append(_readable(read_sheet(book)))
        conflicts += open_conflicts(book)
    problems: list[Problem] = []
    years = {s.year for s in sheets if s.year is not None}
    if len(years) > 1:
        problems.append(Problem("year-conflict", "這些管制表的年度不同（" + "、".join(
            f"{Path(s.file).name} {s.year} 年" for s in sheets if s.year) + "），請分開統計", str(paths[0])))
    seen: dict[TaskKey, str] = {}
    tasks = []
    for s in sheets:
        for t in s.tasks:
            if t.key in seen:
                problems.append(Problem("duplicate-task", f"編號 {t.id}「{t.task}」同時出現在 {seen[t.key]} 與 "
                                        f"{Path(s.file).name}，無法判斷採用哪一份", s.file))
                continue
            seen[t.key] = Path(s.file).name
            tasks.append(t)
    if problems:
        raise ProblemsFound(problems)
    office = next((s.office for s in sheets if s.office), "")
    return ControlSheet(office, next(iter(years), None), tasks, file=str(paths[0])), conflicts


@dataclass
class RolloverResult:
    """Next year's sheet: last year's tasks and planned months, the year moved on, progress
    cleared; ``renamed`` lists the texts whose years moved on (「107年度…」→「108年度…」)."""

    source: str
    sheet: ControlSheet
    renamed: list[Renamed]
    output: Path | None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "output": str(self.output) if self.output else None,
                "office": self.sheet.office, "year": self.sheet.year, "tasks": len(self.sheet.tasks),
                "units": self.sheet.plan.units, "renamed": [r.to_dict() for r in self.renamed]}

    def to_pandas(self) -> pd.DataFrame:
        return self.sheet.to_pandas()


def rollover_schedule(source: str | Path, *, year: int, office: str | None = None,
                      output: str | Path | None = None, move_texts: bool = True) -> RolloverResult:
    """Next year's control sheet from this year's (svcq's or an office's own): the same tasks
    and planned months, titles and year moved on, 實際 marks, 完成度, 落後原因 and 備註 cleared.
    Years inside the texts next to the sheet's year move on too unless ``move_texts=False``."""
    if output is not None:
        check_output_path([source], output)
    last = read_control_sheet(source)
    sheet, renamed = rollover(last, year, move_texts=move_texts)
    if office:
        sheet.office = office
    if output is not None:
        write_control_sheet(sheet, output, year, sheet.office)
    sheet.file = str(output or "")
    return RolloverResult(str(source), sheet, renamed, Path(output) if output else None)


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
    tasks in the same layout, with the progress the master already has. A shared task (各課)
    goes into every unit it names, showing that unit's own latest return. ``format="ods"``
    writes ODF copies (one LibreOffice run for all of them). An office's own sheet is read as
    ``adopt_schedule`` reads it."""
    from toolkit.io.xlsx import ods_batch

    master = Path(master)
    book = open_workbook(master)
    sheet = _readable(read_sheet(book))
    if sheet.year is None:
        raise SvcqError(f"總表標題看不出年度（應為「…{TITLE_SUFFIX}」前加民國年；事務所自己的表可先以"
                        " svcq schedule adopt --year 轉成標準管制表）", file=master,
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
    state = read_shared_state(book)[0]
    copies = {unit: [_own_view(t, unit, state) for t in sheet.plan.for_unit(unit).tasks] for unit in targets}
    problems = [p for unit, dst in targets.items() if dst.exists() for p in _filled_copy(dst, unit, copies[unit])]
    if problems:
        raise ProblemsFound(problems)
    with ods_batch(), progress.counting("分送各課室", len(targets)):
        for unit, dst in targets.items():
            write_control_sheet(copies[unit], dst, sheet.year, sheet.office, unit=unit)
            progress.advance()
    return SplitResult(sheet, dict(targets))


def _filled_copy(dst: Path, unit: str, tasks: Sequence[Task]) -> list[Problem]:
    """Why an existing ``dst`` must not be overwritten by a new split: a 課室 filled it in
    (progress the copy svcq would write does not have), or it is some other file. Splitting
    again over a copy that still equals what svcq writes is harmless."""
    try:
        read = read_sheet(dst, copy=True)
    except SvcqError:
        return [Problem("split-overwrite", "資料夾中已有同名檔案，但不是這份管制表的分送檔；為免覆蓋，"
                        "未寫出任何檔案。請移走或改名該檔後再試", str(dst))]
    mine = {t.key: t for t in tasks}
    changed = [t for t in read.sheet.tasks if t.key not in mine or task_progress(t) != task_progress(mine[t.key])]
    if not changed and not read.problems:
        return []
    example = f"（例：編號 {changed[0].key[0]}「{changed[0].key[1]}」）" if changed else ""
    return [Problem("split-overwrite", f"「{unit}」的分送檔已填寫了總表還沒有的進度{example}；重新分送會覆蓋，"
                    "未寫出任何檔案。請先彙整（svcq schedule collect），或移走該檔後再試", str(dst))]


def _own_view(task: Task, unit: str, state: SharedState) -> Task:
    """A shared task as one unit's copy shows it: that unit's own latest return, not the
    combination of every unit's (which it would otherwise hand back as its own)."""
    if not task.shared:
        return task
    mine = state.get((task.key, unit)) or seed(task, unit)
    return task.with_progress(actual=mine.actual, completion=mine.completion, reason=mine.reason,
                              note=mine.note)


@dataclass
class CollectResult:
    master: Path
    dst: Path | None  # None: nothing written (no output asked for)
    backup: Path | None  # the copy made before an in-place write
    units: dict[str, str]  # returned file → the 承辦單位 it was read as ('' when unknown)
    taken: list[Taken]
    conflicts: list[Conflict]
    recorded: list[Recorded] = field(default_factory=list)  # each unit's return of shared tasks
    notes: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        lines = list(self.notes)
        for file, unit in self.units.items():
            n_taken = sum(t.file == file for t in self.taken)
            n_shared = len({(r.id, r.task) for r in self.recorded if r.file == file})
            n_conf = sum(file in c.files for c in self.conflicts)
            lines.append(f"{Path(file).name}（{unit or '單位不明'}）：採用 {n_taken} 項"
                         + (f"，共同辦理工作 {n_shared} 項已記錄" if n_shared else "")
                         + (f"，衝突 {n_conf} 項未套用" if n_conf else ""))
        merged = len({(t.id, t.task) for t in self.taken if not t.file})
        if merged:
            lines.append(f"共同辦理的工作 {merged} 項：總表依各單位回報合併（實際月份取聯集、完成度取最低）")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {"master": str(self.master), "output": str(self.dst) if self.dst else None,
                "backup": str(self.backup) if self.backup else None,
                "units": dict(self.units), "taken": [t.to_dict() for t in self.taken],
                "recorded": [r.to_dict() for r in self.recorded],
                "conflicts": [{**c.to_dict(), "title": c.title} for c in self.conflicts],
                "notes": list(self.notes)}

    def to_pandas(self) -> pd.DataFrame:
        """The 彙整紀錄 as a table: one row per value taken, recorded or not applied."""
        rows = [{"file": Path(t.file).name, "unit": t.unit, "id": t.id, "task": t.task,
                 "field": t.field, "old": t.old, "new": t.new, "applied": True, "message": ""}
                for t in self.taken]
        rows += [{"file": Path(r.file).name, "unit": r.unit, "id": r.id, "task": r.task,
                  "field": r.field, "old": r.old, "new": r.new, "applied": True, "message": "共同辦理，已記錄"}
                 for r in self.recorded]
        rows += [{"file": "、".join(Path(f).name for f in c.files), "unit": "", "id": c.id,
                  "task": c.task, "field": c.title, "old": "", "new": "", "applied": False,
                  "message": c.message} for c in self.conflicts]
        return frame(rows, ["file", "unit", "id", "task", "field", "old", "new", "applied", "message"])


def collect_schedule(master: str | Path, returned: Sequence[str | Path], output: str | Path | None = None,
                     *, in_place: bool = False) -> CollectResult:
    """Take each returned copy's 實際 marks, 完成度, 落後原因及因應對策 and 備註 of its own unit's
    tasks into the master, through the lossless cell writer (charts, images and notes the
    office added stay). Everything else a copy changed is a Conflict and not applied; a value
    that cannot be read is refused alone (the task's other fields are still taken). A shared
    task keeps each unit's return (sheet 共同辦理進度) and the master shows them combined. A
    ``彙整紀錄`` sheet lists what was taken from which file. Copies may be .xlsx/.xls/.ods and
    svcq's or the office's own layout. A master in the office's own layout is first turned into
    svcq's standard sheet (as ``adopt_schedule`` does), so it needs ``output``. Without
    ``output`` or ``in_place`` nothing is written."""
    from toolkit.io.workdir import work_dir

    master = Path(master)
    writes = in_place or output is not None
    out = master if in_place or output is None else Path(output)
    if writes:
        check_output_path([master, *returned], out, in_place=in_place, can_in_place=True)
    # The master as it is read now: if someone saves it before svcq writes it back, the edits
    # computed from this reading are refused rather than written over their changes.
    digest = file_digest(master)
    book = open_workbook(master)
    base = read_sheet(book)
    with work_dir("collect") as tmp:
        notes: list[str] = []
        if base.adoption is not None:
            book, base = _standard_master(book, base, Path(tmp), in_place)
            notes.append("總表不是 svcq 的管制表格式：已依 svcq schedule adopt 的判讀先轉成標準管制表，"
                         "彙整結果寫入輸出檔（原檔不變）")
        elif book.kind is not FileKind.XLSX:
            raise SvcqError("總表必須是 .xlsx 活頁簿（可先以 Excel 或 LibreOffice 另存為 .xlsx）",
                            file=master, code="master-not-xlsx")
        _readable(base)
        copies = []
        with progress.counting("讀取回報", len(returned)):
            for path in returned:
                read = read_sheet(path, copy=True)
                copies.append(Returned(str(path), read.sheet, read.problems, read.task_problems,
                                       has_note="備註" in read.cols))
                progress.advance()
        rec = reconcile(base.sheet, copies, read_shared_state(book)[0])
        conflicts = rec.conflicts
        edits: dict[str, Any] = {}
        taken: list[Taken] = []
        for change in rec.changes:
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
            return CollectResult(master, None, None, rec.units, taken, conflicts, rec.recorded, notes)
        from toolkit.io.patch import patch_cells

        stamp = now()
        edits.update(log_edits(book, taken, conflicts, rec.recorded, stamp))
        if rec.returns:
            edits.update(shared_edits(book, rec.returns, stamp))
        result = patch_cells(book.path, edits, None if in_place else out, in_place=in_place,
                             add_sheets={name: LAYOUTS[name] for name in
                                         (LOG_SHEET, *((SHARED_SHEET,) if rec.returns else ()))},
                             row_heights={**row_heights(edits),
                                          base.table.sheet or SHEET: grown_rows(base, rec.changes)},
                             expect_digest=digest if book.path == master else None)
    return CollectResult(master, result.output, result.backup, rec.units, taken, conflicts,
                         rec.recorded, notes)


def _standard_master(book: Workbook, base: ReadSheet, tmp: Path, in_place: bool
                     ) -> tuple[Workbook, ReadSheet]:
    """An office's own master turned into svcq's standard sheet (in ``tmp``) to collect into."""
    if in_place:
        raise SvcqError("總表是事務所自己的格式，無法直接更新：請以 -o 指定輸出檔（svcq 會先轉成標準管制表），"
                        "或先執行 svcq schedule adopt", file=book.path, code="adopted-master-in-place")
    sheet = _readable(base)
    if sheet.year is None:
        raise SvcqError("總表看不出年度；請先以 svcq schedule adopt --year 轉成標準管制表", file=book.path,
                        code="no-year")
    std = write_control_sheet(sheet, tmp / "總表.xlsx", sheet.year, sheet.office)
    std_book = open_workbook(std)
    return std_book, read_sheet(std_book)
