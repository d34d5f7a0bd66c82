"""Which cells of a sheet are shaded: the adoption path reads planned months from fill colours.

Offices mark planned months by shading cells, and Excel writes that shading in three ways:
an RGB colour, a legacy palette index, or — most often — a theme colour with a tint
(「白色, 背景 1, 較深 25%」 is ``theme="0" tint="-0.25"``: theme 0 is *white*, the tint makes it
grey). A check such as "rgb is not FFFFFF" misses every theme colour, so each fill is resolved
to the RGB Excel shows: the scheme colour from the workbook's own theme part, then the tint by
the HSL luminance rule (ECMA-376 Part 1, §18.8.19). Any pattern other than ``none`` whose
visible colour is not white counts as shading.

Styles are read with openpyxl (read-only) on this path only; values still come from calamine
through ``toolkit.io.read``. ``.xls`` and ``.ods`` are converted to .xlsx by LibreOffice first
(it keeps shading and positions); without LibreOffice the report says shading cannot be read.
"""

from __future__ import annotations

import colorsys
import tempfile
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import openpyxl
from openpyxl.styles.colors import COLOR_INDEX

from toolkit.io.libreoffice import convert, soffice
from toolkit.io.read import Workbook
from toolkit.io.sniff import FileKind
from toolkit.problems import SvcqError

Cell = tuple[int, int]  # 0-based (row, col) in the sheet

_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
#: The scheme slots in the order Excel numbers theme colours (0 is lt1, not dk1).
_THEME_SLOTS = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5",
                "accent6", "hlink", "folHlink")
#: Excel's names for the theme colours, as its colour picker shows them.
_THEME_NAMES = ("白色, 背景 1", "黑色, 文字 1", "背景 2", "文字 2", "輔色 1", "輔色 2", "輔色 3",
                "輔色 4", "輔色 5", "輔色 6", "超連結", "已瀏覽的超連結")
#: The Office theme, for a workbook without a theme part (some writers omit it).
_OFFICE_THEME = ("FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5", "FFC000",
                 "5B9BD5", "70AD47", "0563C1", "954F72")
_SYSTEM_FOREGROUND, _SYSTEM_BACKGROUND = 64, 65
_NEAR_WHITE = 250  # every channel at least this: reads as white on screen and paper


@dataclass(frozen=True)
class Shade:
    """One shaded cell's visible colour and how the file wrote it."""

    rgb: str  # "BFBFBF", as Excel shows it
    written: str  # 「主題色 白色, 背景 1, 較深 25%」, 「調色盤 22」, 「RGB D9D9D9」
    pattern: str = "solid"

    @property
    def label(self) -> str:
        pattern = "" if self.pattern == "solid" else f"，圖樣 {self.pattern}"
        return f"#{self.rgb}（{self.written}{pattern}）"


@dataclass
class FillReport:
    """The shaded cells of one sheet, or why they could not be read."""

    file: str
    sheet: str
    readable: bool
    reason: str = ""  # why shading could not be read, in Chinese; '' when readable
    cells: dict[Cell, Shade] = field(default_factory=dict)
    #: merged ranges as ((r0, c0), (r1, c1)), from the converted copy when calamine gives none
    merged: list[tuple[Cell, Cell]] = field(default_factory=list)
    via: str = "已由儲存格格式讀取"  # or how it was read after a LibreOffice conversion

    @property
    def colours(self) -> Counter[str]:
        """How many cells carry each colour (by ``Shade.label``)."""
        return Counter(s.label for s in self.cells.values())

    @property
    def shaded(self) -> dict[Cell, str]:
        """cell → colour label: the plain data the domain reads."""
        return {cell: s.label for cell, s in self.cells.items()}


def read_fills(book: Workbook, sheet: str) -> FillReport:
    """The shading of ``sheet`` of a workbook already opened (and checked) by the input gate."""
    path = Path(book.path)
    if book.kind is FileKind.CSV:
        return FillReport(str(path), sheet, False, "CSV 檔沒有儲存格格式，無法讀取網底；"
                          "預定月份請以記號（如 ●）標示")
    if book.kind in (FileKind.XLSX, FileKind.XLSM):
        return _read_xlsx(path, path, sheet, read_only=True)
    if soffice() is None:
        return FillReport(str(path), sheet, False,
                          f"讀取 .{book.kind.value} 檔的網底需要 LibreOffice，但此電腦未安裝；"
                          "預定月份若以網底標示將無法判讀，請改以記號（如 ●）標示，"
                          "或以 Excel 另存為 .xlsx 後再試")
    with tempfile.TemporaryDirectory(prefix="svcq-fills-") as tmp:
        try:
            [converted] = convert([path], "xlsx", tmp)[:1]
        except SvcqError as exc:
            return FillReport(str(path), sheet, False,
                              f"LibreOffice 無法轉換此檔，網底無法判讀（{exc.problem.message}）")
        report = _read_xlsx(path, converted, sheet, read_only=False)
    report.via = "已由 LibreOffice 轉為 .xlsx 後讀取"
    return report


def _read_xlsx(original: Path, xlsx: Path, sheet: str, *, read_only: bool) -> FillReport:
    # A file object, not a path: openpyxl refuses names without .xlsx, and svcq sniffs content.
    with xlsx.open("rb") as fh:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops
                wb = openpyxl.load_workbook(fh, read_only=read_only, data_only=True)
        except Exception as exc:  # openpyxl's parse errors are untyped
            return FillReport(str(original), sheet, False,
                              f"無法讀取儲存格格式，網底無法判讀（技術細節：{str(exc)[:200]}）")
        try:
            if sheet not in wb.sheetnames:
                return FillReport(str(original), sheet, False, f"讀取格式時找不到工作表「{sheet}」")
            return FillReport(str(original), sheet, True, cells=_shaded_cells(wb, wb[sheet], read_only),
                              merged=[] if read_only else _merged(wb[sheet]))
        except Exception as exc:
            return FillReport(str(original), sheet, False,
                              f"無法讀取儲存格格式，網底無法判讀（技術細節：{str(exc)[:200]}）")
        finally:
            if read_only:
                wb.close()


def _shaded_cells(wb: Any, ws: Any, read_only: bool) -> dict[Cell, Shade]:
    resolver = ColourResolver(theme_colours(wb.loaded_theme), _palette(wb))
    if read_only:
        ws.reset_dimensions()  # some writers store a wrong <dimension>; read every row
    cells: dict[Cell, Shade] = {}
    for row in ws.iter_rows():
        for cell in row:
            fill = getattr(cell, "fill", None)  # EmptyCell (no XML element) has no style
            if fill is None:
                continue
            shade = resolver.shade(fill)
            if shade is not None:
                cells[(cell.row - 1, cell.column - 1)] = shade
    return cells


def _merged(ws: Any) -> list[tuple[Cell, Cell]]:
    return [((m.min_row - 1, m.min_col - 1), (m.max_row - 1, m.max_col - 1))
            for m in ws.merged_cells.ranges]


def _palette(wb: Any) -> tuple[str, ...]:
    # A workbook may redefine the legacy palette (<colors><indexedColors>); openpyxl keeps it
    # on the workbook. Without one, Excel's default palette applies.
    custom = getattr(wb, "_colors", None)
    return tuple(custom) if custom else COLOR_INDEX


# ── colours ──────────────────────────────────────────────────────────────────────────────

def theme_colours(theme_xml: bytes | None) -> tuple[str, ...]:
    """The twelve theme colours in Excel's numbering (0 = lt1 … 11 = folHlink), as RGB hex."""
    if not theme_xml:
        return _OFFICE_THEME
    try:
        root = SafeET.fromstring(theme_xml)
    except Exception:  # a damaged theme part: Excel falls back to the Office theme too
        return _OFFICE_THEME
    scheme = root.find(f"{_DRAWING}themeElements/{_DRAWING}clrScheme")
    if scheme is None:
        return _OFFICE_THEME
    out = []
    for slot, default in zip(_THEME_SLOTS, _OFFICE_THEME, strict=True):
        el = scheme.find(_DRAWING + slot)
        rgb = None
        if el is not None:
            srgb, sys_clr = el.find(_DRAWING + "srgbClr"), el.find(_DRAWING + "sysClr")
            if srgb is not None:
                rgb = srgb.get("val")
            elif sys_clr is not None:
                rgb = sys_clr.get("lastClr")
        out.append(rgb.upper() if rgb and len(rgb) == 6 else default)
    return tuple(out)


def apply_tint(rgb: str, tint: float) -> str:
    """Excel's tint: darken (tint < 0) or lighten (tint > 0) the HSL luminance."""
    if not tint:
        return rgb
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(h, min(max(lum, 0.0), 1.0), s)
    return "".join(f"{round(v * 255):02X}" for v in (r, g, b))


def _tint_words(tint: float) -> str:
    if not tint:
        return ""
    return f", {'較深' if tint < 0 else '較淺'} {round(abs(tint) * 100)}%"


def is_white(rgb: str) -> bool:
    return all(int(rgb[i:i + 2], 16) >= _NEAR_WHITE for i in (0, 2, 4))


@dataclass(frozen=True)
class ColourResolver:
    theme: tuple[str, ...]
    palette: tuple[str, ...]

    def resolve(self, colour: Any) -> tuple[str, str] | None:
        """(RGB, how it was written) of an openpyxl Color; None when it names nothing."""
        if colour is None:
            return None
        kind = getattr(colour, "type", None)
        tint = float(getattr(colour, "tint", 0) or 0)
        if kind == "theme":
            index = int(colour.theme)
            if not 0 <= index < len(self.theme):
                return None
            return apply_tint(self.theme[index], tint), f"主題色 {_THEME_NAMES[index]}{_tint_words(tint)}"
        if kind == "indexed":
            index = int(colour.indexed)
            if index == _SYSTEM_FOREGROUND:
                return apply_tint("000000", tint), "系統前景色"
            if index == _SYSTEM_BACKGROUND:
                return apply_tint("FFFFFF", tint), "系統背景色"
            if not 0 <= index < len(self.palette):
                return None
            return apply_tint(str(self.palette[index])[-6:].upper(), tint), f"調色盤 {index}"
        if kind == "auto":
            return "000000", "自動"
        rgb = getattr(colour, "rgb", None)
        if isinstance(rgb, str) and len(rgb) >= 6:
            value = apply_tint(rgb[-6:].upper(), tint)
            return value, f"RGB {rgb[-6:].upper()}{_tint_words(tint)}"
        return None

    def shade(self, fill: Any) -> Shade | None:
        """The visible colour of a cell's fill, or None when the cell looks unshaded."""
        if getattr(fill, "tagname", "") == "gradientFill":
            for stop in getattr(fill, "stop", ()) or ():
                found = self.resolve(stop.color)
                if found and not is_white(found[0]):
                    return Shade(found[0], found[1], "漸層")
            return None
        pattern = getattr(fill, "patternType", None)
        if not pattern or pattern == "none":
            return None
        candidates = [fill.fgColor] if pattern == "solid" else [fill.fgColor, fill.bgColor]
        for colour in candidates:
            found = self.resolve(colour)
            if found and not is_white(found[0]):
                return Shade(found[0], found[1], pattern)
        return None
