"""Which cells are shaded: theme colours with tints resolved from the workbook's own theme,
legacy palette indexes, RGB, patterns; white never counts."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color

from toolkit.io.fills import apply_tint, read_fills, theme_colours
from toolkit.io.read import open_workbook


def channels(rgb: str) -> tuple[int, ...]:
    return tuple(int(rgb[i:i + 2], 16) for i in (0, 2, 4))


def test_tint_follows_excels_luminance_rule() -> None:
    assert apply_tint("FFFFFF", -0.249977111117893) == "BFBFBF"  # 白色, 背景 1, 較深 25%
    assert apply_tint("FFFFFF", -0.499984740745262) == "808080"  # 較深 50%
    assert apply_tint("000000", 0.499984740745262) == "7F7F7F"  # 黑色, 文字 1, 較淺 50%, as Excel shows
    assert apply_tint("D9D9D9", 0) == "D9D9D9"
    # 藍色, 輔色 1, 較淺 80% of the Office 2016 theme: Excel shows D9E1F2; its integer HLS
    # rounds a unit or two differently, which does not change whether a cell is shaded
    got = channels(apply_tint("4472C4", 0.7999816888943144))
    assert got == channels("DAE3F3")
    assert all(abs(a - b) <= 2 for a, b in zip(got, channels("D9E1F2"), strict=True))


def test_theme_colours_in_excels_numbering(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "t.xlsx")
    theme = openpyxl.load_workbook(tmp_path / "t.xlsx").loaded_theme
    colours = theme_colours(theme)
    assert colours[:2] == ("FFFFFF", "000000")  # 0 is lt1 (window), 1 is dk1 (windowText)
    assert colours[4] == "4F81BD"  # accent1 of openpyxl's (Office 2007) theme
    assert theme_colours(None)[4] == "4472C4" and theme_colours(b"<not xml") == theme_colours(None)


def shaded_sheet(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    fills = {
        "A1": PatternFill("solid", fgColor=Color(theme=0)),  # white, no tint: not shading
        "B1": PatternFill("solid", fgColor="FFFFFFFF"),  # white RGB: not shading
        "C1": PatternFill(fill_type=None, fgColor="FFFF0000"),  # colour but no pattern
        "A2": PatternFill("solid", fgColor=Color(theme=0, tint=-0.149998474074526)),
        "B2": PatternFill("solid", fgColor="00D9D9D9"),  # alpha 00, as some writers put it
        "C2": PatternFill("solid", fgColor=Color(indexed=22)),
        "D2": PatternFill("solid", fgColor=Color(indexed=64)),  # system foreground
        "E2": PatternFill("gray125"),
        "F2": PatternFill("darkGrid", fgColor="FFFFFFFF", bgColor="FFBFBFBF"),
        "G2": PatternFill("solid", fgColor=Color(theme=4, tint=0.3999755851924192)),
    }
    for ref, fill in fills.items():
        ws[ref].fill = fill
    ws["J9"] = "far"
    ws["J9"].fill = PatternFill("solid", fgColor="FFFFC000")
    wb.save(path)
    return path


def test_read_fills_resolves_every_way_of_writing_a_colour(tmp_path: Path) -> None:
    path = shaded_sheet(tmp_path / "f.xlsx")
    report = read_fills(open_workbook(path), "表")
    assert report.readable and report.reason == ""
    got = {cell: (s.rgb, s.written, s.pattern) for cell, s in report.cells.items()}
    accent1_40 = apply_tint("4F81BD", 0.3999755851924192)
    assert got == {
        (1, 0): ("D9D9D9", "主題色 白色, 背景 1, 較深 15%", "solid"),
        (1, 1): ("D9D9D9", "RGB D9D9D9", "solid"),
        (1, 2): ("C0C0C0", "調色盤 22", "solid"),
        (1, 3): ("000000", "系統前景色", "solid"),
        (1, 4): ("000000", "RGB 000000", "gray125"),
        (1, 5): ("BFBFBF", "RGB BFBFBF", "darkGrid"),
        (1, 6): (accent1_40, "主題色 輔色 1, 較淺 40%", "solid"),
        (8, 9): ("FFC000", "RGB FFC000", "solid"),
    }
    assert report.shaded[(1, 2)] == "#C0C0C0（調色盤 22）"
    assert report.colours["#D9D9D9（RGB D9D9D9）"] == 1


def test_a_custom_theme_is_read_from_the_workbook(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "t.xlsx")
    theme = openpyxl.load_workbook(tmp_path / "t.xlsx").loaded_theme
    wb = openpyxl.Workbook()
    wb.loaded_theme = re.sub(rb'(<a:accent1>\s*<a:srgbClr val=")[0-9A-Fa-f]{6}', rb"\g<1>70AD47", theme)
    wb.active["A1"].fill = PatternFill("solid", fgColor=Color(theme=4))
    wb.save(tmp_path / "green.xlsx")
    report = read_fills(open_workbook(tmp_path / "green.xlsx"), "Sheet")
    assert report.cells[(0, 0)].rgb == "70AD47"


def test_a_wrong_dimension_and_a_name_without_xlsx(tmp_path: Path) -> None:
    src = shaded_sheet(tmp_path / "f.xlsx")
    lying = tmp_path / "管制表"  # no extension: svcq goes by content, openpyxl by name
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1"', data)
            zout.writestr(item, data)
    report = read_fills(open_workbook(lying), "表")
    assert report.readable and (8, 9) in report.cells and len(report.cells) == 8


def test_csv_has_no_shading(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("編號,工作內容\n1,清查\n", encoding="utf-8")
    report = read_fills(open_workbook(path), "")
    assert not report.readable and "記號" in report.reason


def test_missing_sheet_is_said_not_raised(tmp_path: Path) -> None:
    path = shaded_sheet(tmp_path / "f.xlsx")
    shutil.copy(path, tmp_path / "g.xlsx")
    report = read_fills(open_workbook(tmp_path / "g.xlsx"), "沒有這個")
    assert not report.readable and "沒有這個" in report.reason
