"""Fill an office's own workbook: find its ``{{ 路徑 }}`` cells and defined names, write the
values through the lossless patch writer.

Cells are read through the input gate (``open_workbook``: sniffed, guarded, calamine), the
package facts calamine lacks (defined names, formulas, number formats) by
``toolkit.io.book_facts``, and every change is written by ``patch_cells``: all other parts of
the form stay byte for byte as they were. An .ods or .xls form goes through LibreOffice
(converted to xlsx, filled, and written as .ods or .xlsx).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.forms.placeholders import (
    Filled,
    PathError,
    Resolved,
    cell_value,
    fill_text,
    has_braces,
    is_rate,
    parse_path,
    resolve,
    shown,
)
from toolkit.frames import frame
from toolkit.io.atomic import check_output_path, make_backup
from toolkit.io.book_facts import BookFacts, CellFacts, read_book_facts
from toolkit.io.limits import DEFAULT, Limits
from toolkit.io.patch import canonical, parse_address, patch_cells, resolve_sheet
from toolkit.io.read import open_workbook
from toolkit.io.sniff import FileKind, sniff
from toolkit.problems import Problem, ProblemsFound, SvcqError
from toolkit.text import squash

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FillResult", "Spot", "plan_form", "write_form"]

_GENERAL = {"general", "通用格式", "g/通用格式"}


@dataclass(frozen=True)
class Spot:
    """One cell to fill: where, what the form says there, and what it becomes."""

    sheet: str
    row: int  # 1-based
    col: int
    source: str  # "cell" ({{…}} typed in the cell) or "name" (an Excel defined name)
    text: str  # the cell's text, or the defined name
    paths: tuple[str, ...]
    whole: bool  # the cell receives the value itself (a number stays a number)
    value: Any = None
    shown: str = ""
    number_format: str = "General"
    problems: tuple[Problem, ...] = ()

    @property
    def address(self) -> str:
        return canonical(self.sheet, self.row, self.col)

    @property
    def cell(self) -> str:
        return self.address.rsplit("!", 1)[1]

    def to_dict(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        return {"address": self.address, "source": self.source, "text": self.text,
                "paths": list(self.paths), "whole": self.whole, "value": value, "shown": self.shown,
                "number_format": self.number_format, "problems": [p.to_dict() for p in self.problems]}


@dataclass
class FillResult:
    """What filling ``form`` does: every spot with what it becomes, the problems that stop
    it, notes worth knowing, and — once written — where. ``output`` None: nothing written
    (a dry run)."""

    form: Path
    spots: list[Spot]
    problems: list[Problem] = field(default_factory=list)  # each spot's and the form's own
    notes: list[Problem] = field(default_factory=list)  # worth knowing, not blocking
    output: Path | None = None
    backup: Path | None = None  # the copy made before an in-place fill
    recalc: bool = False  # the form has formulas: Excel recalculates them on open

    @property
    def changed(self) -> list[str]:
        return [s.address for s in self.spots]

    @property
    def edits(self) -> dict[str, Any]:
        return {s.address: s.value for s in self.spots}

    def to_dict(self) -> dict[str, Any]:
        return {"form": str(self.form), "output": str(self.output) if self.output else None,
                "backup": str(self.backup) if self.backup else None, "recalc": self.recalc,
                "spots": [s.to_dict() for s in self.spots],
                "problems": [p.to_dict() for p in self.problems],
                "notes": [p.to_dict() for p in self.notes]}

    def to_pandas(self) -> pd.DataFrame:
        """One row per spot: where, what the form says, the value, how it reads, its problems."""
        rows = [{**{k: v for k, v in s.to_dict().items() if k != "problems"},
                 "paths": "、".join(s.paths), "problems": "；".join(p.message for p in s.problems)}
                for s in self.spots]
        return frame(rows, ["address", "source", "text", "paths", "whole", "value", "shown",
                            "number_format", "problems"])


# -- planning -----------------------------------------------------------------------------

def plan_form(form: str | Path, data: Mapping[str, Any], *, names: Mapping[str, str] | None = None,
              limits: Limits = DEFAULT) -> FillResult:
    """Every placeholder of ``form`` with what it would become, and every problem; nothing
    is written.

    ``data``: {data name: result as the commands print it with --json (dicts and lists)}.
    ``names``: {Excel defined name: path} for names that are not themselves a path
    (``總分`` → ``score.total``).
    """
    form = Path(form)
    with _as_xlsx(form) as xlsx:
        return _plan(form, xlsx, data, names or {}, limits)


def _plan(form: Path, xlsx: Path, data: Mapping[str, Any], names: Mapping[str, str],
          limits: Limits) -> FillResult:
    wb = open_workbook(xlsx, limits)
    texts: dict[tuple[str, int, int], str] = {}
    for sheet in wb.sheet_names:
        table = wb.table(sheet, uncached_formulas=True)
        top, left = table.origin
        for r, row in enumerate(table.rows):
            for c, value in enumerate(row):
                if isinstance(value, str) and has_braces(value):
                    texts[(sheet, top + r + 1, left + c + 1)] = value
    facts = read_book_facts(xlsx, list(texts), limits)
    problems: list[Problem] = []
    name_notes: list[Problem] = []
    targets = _name_targets(form, facts, wb.sheet_names, data, names, problems, name_notes)
    if any(t not in facts.cells for t in targets):
        facts = read_book_facts(xlsx, [*texts, *targets], limits)
    spots = [_cell_spot(form, key, text, data, facts.cells[key]) for key, text in texts.items()]
    taken = {(s.sheet, s.row, s.col): s for s in spots}
    for key, (name, path) in targets.items():
        spot = _name_spot(form, key, name, path, data, facts.cells[key])
        if key in taken:
            spot = replace(spot, problems=(*spot.problems, _at(form, key, Problem(
                "fill-duplicate-cell", f"此格同時由「{taken[key].text}」與名稱「{name}」指定，只能擇一"))))
        taken[key] = spot
        spots.append(spot)
    spots.sort(key=lambda s: (wb.sheet_names.index(s.sheet), s.row, s.col))
    for spot in spots:
        problems += spot.problems
    if not spots and not problems:
        problems.append(Problem("fill-no-placeholders", "表單中找不到 {{ 路徑 }} 欄位，也沒有與資料同名的"
                                "Excel 名稱；請在要填入的儲存格輸入例如 {{ score.total }}", str(form)))
    notes = name_notes + _notes(form, spots, facts, data)
    return FillResult(form, spots, problems, notes, recalc=facts.has_formulas)


def _at(form: Path, key: tuple[str, int, int], problem: Problem) -> Problem:
    sheet, row, col = key
    return replace(problem, file=str(form), sheet=sheet, cell=canonical(sheet, row, col).rsplit("!", 1)[1])


def _cell_spot(form: Path, key: tuple[str, int, int], text: str, data: Mapping[str, Any],
               facts: CellFacts) -> Spot:
    sheet, row, col = key
    filled: Filled = fill_text(text, data, cell_shows_date=facts.shows_date)
    problems = [_at(form, key, p) for p in filled.problems]
    if facts.formula:
        problems.append(_at(form, key, Problem(
            "fill-formula-cell", f"此格是公式，顯示的「{_short(text)}」是公式的結果；svcq 不以數值覆寫公式，"
            "請把 {{ 路徑 }} 直接打在要填入的儲存格")))
    if problems:
        return Spot(sheet, row, col, "cell", text, tuple(filled.paths), filled.whole,
                    number_format=facts.number_format, problems=tuple(problems))
    return Spot(sheet, row, col, "cell", text, tuple(filled.paths), filled.whole, filled.value,
                filled.shown, facts.number_format)


def _name_spot(form: Path, key: tuple[str, int, int], name: str, path: str, data: Mapping[str, Any],
               facts: CellFacts) -> Spot:
    sheet, row, col = key
    problems: list[Problem] = []
    value, text = None, ""
    try:
        resolved: Resolved = resolve(parse_path(path), data)
        value, text = cell_value(resolved, cell_shows_date=facts.shows_date), shown(resolved)
    except PathError as exc:
        label = f"名稱「{name}」" if name == path else f"名稱「{name}」（{path}）"
        problems.append(_at(form, key, Problem(exc.code, f"{label}：{exc}")))
    if facts.formula:
        problems.append(_at(form, key, Problem(
            "fill-formula-cell", f"名稱「{name}」指向的儲存格是公式；svcq 不以數值覆寫公式，"
            "請讓名稱指向要填入的空白儲存格")))
    return Spot(sheet, row, col, "name", name, (path,), True, value, text, facts.number_format,
                tuple(problems))


def _name_targets(form: Path, facts: BookFacts, sheets: list[str], data: Mapping[str, Any],
                  names: Mapping[str, str], problems: list[Problem],
                  notes: list[Problem]) -> dict[tuple[str, int, int], tuple[str, str]]:
    """{cell: (defined name, path)} for names mapped by ``names`` or whose first part is a
    data name (``score.total``); a mapped name the form lacks is a problem."""
    wanted = {_fold(k): (k, v) for k, v in names.items()}
    data_names = {_fold(k) for k in data}
    seen: set[str] = set()
    out: dict[tuple[str, int, int], tuple[str, str]] = {}
    for dn in facts.names:
        if dn.name.casefold().startswith("_xlnm."):
            continue
        folded = _fold(dn.name)
        if folded in wanted:
            path = wanted[folded][1]
            seen.add(folded)
        elif "." in dn.name and _fold(dn.name.split(".", 1)[0]) in data_names:
            path = dn.name
        else:
            if "_" in dn.name and _fold(dn.name.split("_", 1)[0]) in data_names:
                notes.append(Problem("fill-name-not-a-path", f"名稱「{dn.name}」看起來是欄位，但路徑要以「.」分隔"
                                     f"（LibreOffice 存成 .xls 時會把「.」改成「_」）；未填入。請改名稱，或以 "
                                     f"--name {dn.name}=路徑 對應", str(form), dn.sheet))
            continue
        where = f"名稱「{dn.name}」（{dn.refers_to}）"
        try:
            address = parse_address(dn.refers_to.lstrip("="), allow_range=True)
        except ValueError:
            address = None
        if address is None or not address.is_cell:
            problems.append(Problem("fill-name-target", f"{where}須指向單一儲存格才能填入", str(form),
                                    dn.sheet))
            continue
        sheet = resolve_sheet(address.sheet, sheets) if address.sheet else dn.sheet
        if sheet is None:
            problems.append(Problem("fill-name-target", f"{where}指向的工作表不存在或不是一般工作表",
                                    str(form)))
            continue
        out[(sheet, address.row1, address.col1)] = (dn.name, path)
    for folded, (name, _) in wanted.items():
        if folded not in seen:
            have = "、".join(n.name for n in facts.names if not n.name.startswith("_xlnm.")) or "（無）"
            problems.append(Problem("fill-unknown-name", f"活頁簿中沒有名為「{name}」的名稱（此檔的名稱："
                                    f"{have}）", str(form)))
    return out


def _fold(text: str) -> str:
    return squash(text).casefold()


def _short(text: str, width: int = 30) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _notes(form: Path, spots: list[Spot], facts: BookFacts, data: Mapping[str, Any]) -> list[Problem]:
    notes = []
    for spot in spots:
        if spot.problems or not spot.whole or not isinstance(spot.value, int | float):
            continue
        field_name = _field_of(spot, data)
        if is_rate(field_name) and spot.number_format.casefold() in _GENERAL:
            notes.append(Problem("fill-rate-in-general-cell",
                                 f"「{spot.text}」是比率（{spot.shown}），此格為通用格式，會顯示成 "
                                 f"{spot.value:.4g}；若要顯示百分比，請把儲存格格式設為「百分比」",
                                 str(form), spot.sheet, spot.cell))
    for where, what in facts.elsewhere:
        notes.append(Problem("fill-not-in-cell", f"{what}中有 {{{{…}}}}（{where}）：svcq 只填儲存格與名稱，"
                             "這些文字不會改變", str(form)))
    used = {_fold(p.split(".", 1)[0]) for s in spots for p in s.paths if p}
    for name in data:
        if _fold(str(name)) not in used:
            notes.append(Problem("fill-unused-data", f"資料「{name}」沒有被表單中任何欄位使用", str(form)))
    return notes


def _field_of(spot: Spot, data: Mapping[str, Any]) -> str | None:
    try:
        return resolve(spot.paths[0], data).field
    except PathError:
        return None


# -- writing ------------------------------------------------------------------------------

def write_form(form: str | Path, data: Mapping[str, Any], output: str | Path | None = None, *,
              in_place: bool = False, names: Mapping[str, str] | None = None,
              limits: Limits = DEFAULT) -> FillResult:
    """Fill ``form``'s placeholders from ``data`` into ``output`` (or ``form`` itself with
    ``in_place``, after a backup). Raises ProblemsFound listing every problem — and then
    writes nothing — or SvcqError for an unusable form or output."""
    form = Path(form)
    kind = sniff(form)
    target = _target(form, output, in_place, kind)
    with _as_xlsx(form, kind) as xlsx:
        plan = _plan(form, xlsx, data, names or {}, limits)
        if plan.problems:
            raise ProblemsFound(plan.problems)
        backup = make_backup(form) if xlsx != form and target.resolve() == form.resolve() else None
        try:
            result = patch_cells(xlsx, plan.edits, target, in_place=xlsx == form and in_place,
                                 recalc=True if plan.recalc else None, limits=limits)
        except ProblemsFound as exc:  # name the user's form, not a converted copy
            raise ProblemsFound([replace(p, file=str(form)) for p in exc.problems]) from None
    return replace(plan, output=result.output, backup=backup or result.backup, recalc=result.recalc)


def _target(form: Path, output: str | Path | None, in_place: bool, kind: FileKind) -> Path:
    if output is None and not in_place:
        raise SvcqError("請指定輸出檔（-o），或加上 --in-place 直接修改原檔（會先留備份）", file=form,
                        code="no-output")
    target = Path(output) if output is not None else form
    if kind is FileKind.XLS and target.suffix.lower() not in (".xlsx", ".ods"):
        raise SvcqError("svcq 無法寫出 .xls（Excel 97-2003）格式；請以 -o 指定 .xlsx 或 .ods 輸出檔",
                        file=target, code="bad-extension")
    if kind is FileKind.ODS and target.suffix.lower() not in (".ods", ".xlsx"):
        raise SvcqError("輸出檔的副檔名須為 .ods 或 .xlsx", file=target, code="bad-extension")
    check_output_path([form], target, in_place=in_place, can_in_place=True)
    return target


@contextmanager
def _as_xlsx(form: Path, kind: FileKind | None = None) -> Iterator[Path]:
    """``form`` itself when it is .xlsx/.xlsm; an .ods or .xls converted by LibreOffice."""
    kind = kind or sniff(form)
    if kind in (FileKind.XLSX, FileKind.XLSM):
        yield form
        return
    if kind is FileKind.CSV:
        raise SvcqError("CSV 檔沒有儲存格格式，不能當作表單；請用 Excel 另存為 .xlsx", file=form,
                        code="unsupported-format")
    from toolkit.io.libreoffice import convert

    with tempfile.TemporaryDirectory(prefix="svcq-fill-") as work:
        source = Path(work, "in", f"form.{kind.value}")
        source.parent.mkdir()
        source.write_bytes(form.read_bytes())
        try:
            (xlsx,) = convert([source], "xlsx", Path(work, "xlsx"))
        except SvcqError as exc:
            raise _renamed(exc, form) from None
        try:
            yield xlsx
        except SvcqError as exc:  # name the user's form, not the converted copy
            if exc.problem.file != str(xlsx):
                raise
            raise _renamed(exc, form) from None


def _renamed(exc: SvcqError, form: Path) -> SvcqError:
    p = exc.problem
    return SvcqError(p.message, file=form, sheet=p.sheet, cell=p.cell, code=p.code)
