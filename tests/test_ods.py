"""ODS output: what LibreOffice's conversion must keep, and what finish_ods restores."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from helpers import files_in
from oracle import write_sample

from toolkit.io import libreoffice
from toolkit.io.ods import chars_to_px, read_ods, xlsx_layout
from toolkit.io.read import read_table
from toolkit.io.xlsx import new_workbook
from toolkit.problems import SvcqError


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("ods")
    return {"xlsx": write_sample(d / "管制表.xlsx"), "ods": write_sample(d / "管制表.ods")}


def test_excel_column_width_in_pixels() -> None:
    # xlsxwriter stores set_column(30) as 30.7109375 and Excel shows 215 px; the default 64 px.
    assert chars_to_px(30.7109375) == 215
    assert chars_to_px(6.7109375) == 47
    assert chars_to_px(9.140625) == 64  # Excel's default column


def test_xlsx_layout_reads_widths_and_frozen_panes(sample) -> None:
    layouts, active = xlsx_layout(sample["xlsx"])
    assert [s.name for s in layouts] == ["作業時程管制表", "統計 表"]
    assert active == "作業時程管制表"
    assert layouts[0].freeze == (2, 1)
    assert [layouts[0].width_px(c) for c in range(8)] == [215, 47, 47, 47, 47, 64, 33, 64]
    assert layouts[1].freeze is None


@pytest.mark.libreoffice
def test_ods_is_a_real_ods(sample) -> None:
    from toolkit.io.sniff import FileKind, sniff

    assert sniff(sample["ods"]) is FileKind.ODS
    import zipfile

    with zipfile.ZipFile(sample["ods"]) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"


@pytest.mark.libreoffice
def test_ods_keeps_values_formulas_and_text(sample) -> None:
    ws = read_ods(sample["ods"]).sheet("作業時程管制表")
    assert ws.cell("D4").formula == "of:=[.B4]+[.C4]" and ws.cell("D4").value == 7
    assert ws.cell("F4").value == "達成" and ws.cell("F4").formula.startswith("of:=IF(")
    assert ws.cell("A3").formula is None  # user text starting with '=' stays text
    assert ws.cell("A3").value == '=HYPERLINK("http://example.invalid")'
    assert ws.cell("A5").value == "１２３" and ws.cell("A4").value == "+886 2 2345 6789"
    assert ws.cell("A6").value_type == "date"


@pytest.mark.libreoffice
def test_ods_keeps_shading_merges_and_number_formats(sample) -> None:
    doc = read_ods(sample["ods"])
    ws = doc.sheet("作業時程管制表")
    assert ws.merges == [(0, 0, 0, 5)]
    for a1 in ("B3", "D3"):  # the planned months
        assert doc.style_properties(ws.style_of(a1))["fo:background-color"].lower() == "#bdd7ee"
    assert "fo:background-color" not in doc.style_properties(ws.style_of("C3"))
    assert doc.style_properties(ws.cell("F5").style)["data-style"] == "percentage 0.0%"
    assert doc.style_properties(ws.cell("A6").style)["data-style"] == "date Y/M/D"
    assert doc.style_properties(ws.cell("A1").style)["fo:font-weight"] == "bold"


@pytest.mark.libreoffice
def test_ods_has_excel_column_widths_whatever_fonts_are_installed(sample) -> None:
    ws = read_ods(sample["ods"]).sheet("作業時程管制表")
    px = [round(w * 96) for w in ws.column_widths[:8]]
    assert px == [215, 47, 47, 47, 47, 64, 33, 64]
    assert ws.hidden_columns == {6}
    other = read_ods(sample["ods"]).sheet("統計 表")
    assert all(math.isclose(w * 96, 64, abs_tol=0.5) for w in other.column_widths[:10])


@pytest.mark.libreoffice
def test_ods_has_frozen_header_and_active_sheet(sample) -> None:
    settings = read_ods(sample["ods"]).settings
    entry = settings[settings.index('config:name="作業時程管制表"'):]
    entry = entry[: entry.index("</config:config-item-map-entry>")]
    for item, value in [("VerticalSplitMode", 2), ("VerticalSplitPosition", 2),
                        ("HorizontalSplitMode", 2), ("HorizontalSplitPosition", 1),
                        ("ActiveSplitRange", 3), ("PositionBottom", 2), ("PositionRight", 1)]:
        assert f'config:name="{item}" config:type="' in entry
        assert f'"{item}" config:type="{"short" if "Mode" in item or "Range" in item else "int"}">{value}<' in entry
    assert 'config:name="ActiveTable" config:type="string">作業時程管制表<' in settings


@pytest.mark.libreoffice
def test_ods_keeps_a4_landscape_fit_to_width_print_titles_and_validation(sample) -> None:
    import zipfile

    with zipfile.ZipFile(sample["ods"]) as zf:
        styles = zf.read("styles.xml").decode()
        content = zf.read("content.xml").decode()
    assert 'fo:page-width="11.6929in"' in styles and 'fo:page-height="8.2681in"' in styles
    assert 'style:print-orientation="landscape"' in styles
    assert 'style:scale-to-X="1"' in styles
    assert "table:table-header-rows" in content or "Print_Titles" in content
    assert "of:cell-content-is-in-list" in content


@pytest.mark.libreoffice
def test_ods_reads_back_through_calamine_like_the_xlsx(sample) -> None:
    a = read_table(sample["xlsx"], "作業時程管制表").rows
    b = read_table(sample["ods"], "作業時程管制表").rows
    assert a[1:6] == b[1:6]


def test_without_libreoffice_ods_is_refused_and_nothing_written(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(libreoffice, "soffice", lambda: None)
    with pytest.raises(SvcqError, match="需要 LibreOffice") as exc, new_workbook(tmp_path / "x.ods") as wb:
        wb.add_worksheet("a").write("A1", "x")
    assert exc.value.problem.code == "no-libreoffice"
    assert files_in(tmp_path) == []


def test_without_libreoffice_the_cli_exits_2_with_one_message(tmp_path, monkeypatch) -> None:
    from helpers import svcq

    monkeypatch.setattr(libreoffice, "soffice", lambda: None)
    result = svcq("template", "schedule", "-o", tmp_path / "out", "--format", "ods")
    assert result.code == 2, result
    assert "需要 LibreOffice" in result.err and "Traceback" not in result.err
    assert files_in(tmp_path) == []


@pytest.mark.libreoffice
def test_ods_batch_converts_many_files_in_one_libreoffice_run(tmp_path, monkeypatch) -> None:
    from toolkit.io.xlsx import ods_batch

    runs: list[int] = []
    real = libreoffice.convert

    def counting(files, *args, **kwargs):
        runs.append(len(files))
        return real(files, *args, **kwargs)

    monkeypatch.setattr(libreoffice, "convert", counting)
    with ods_batch():
        for n in range(3):
            with new_workbook(tmp_path / f"課室{n}.ods") as wb:
                wb.add_worksheet("表").write_formula("A1", f"={n}+1", None, n + 1)
        assert files_in(tmp_path) == []  # nothing lands before the batch ends
    assert runs == [3]
    assert files_in(tmp_path) == ["課室0.ods", "課室1.ods", "課室2.ods"]
    assert read_ods(tmp_path / "課室2.ods").sheet("表").cell("A1").value == 3


def test_ods_batch_writes_nothing_when_the_block_fails(tmp_path, monkeypatch) -> None:
    from toolkit.io.xlsx import ods_batch

    monkeypatch.setattr(libreoffice, "soffice", lambda: "/bin/false")  # never reached
    with pytest.raises(RuntimeError), ods_batch():
        with new_workbook(tmp_path / "a.ods") as wb:
            wb.add_worksheet("表")
        raise RuntimeError("中途失敗")
    assert files_in(tmp_path) == []


@pytest.mark.libreoffice
def test_a_failed_conversion_names_the_users_file(tmp_path, monkeypatch) -> None:
    def broken(files, target, outdir, **kwargs):
        raise SvcqError("LibreOffice 無法轉換此檔：壞了", file=files[0], code="libreoffice-failed")

    monkeypatch.setattr(libreoffice, "convert", broken)
    with pytest.raises(SvcqError) as exc, new_workbook(tmp_path / "統計.ods") as wb:
        wb.add_worksheet("表")
    assert exc.value.problem.file == str(tmp_path / "統計.ods")
    assert files_in(tmp_path) == []


def test_soffice_is_found_through_svcq_soffice(tmp_path, monkeypatch) -> None:
    exe = tmp_path / "soffice.exe"
    exe.write_bytes(b"")
    monkeypatch.setenv("SVCQ_SOFFICE", str(exe))
    assert libreoffice.soffice() == str(exe)
    monkeypatch.setenv("SVCQ_SOFFICE", str(tmp_path / "沒有這個.exe"))
    assert libreoffice.soffice() is None
    with pytest.raises(SvcqError, match=r"SVCQ_SOFFICE 指向的 .*沒有這個\.exe 不存在"):
        libreoffice.require_soffice()


@pytest.mark.libreoffice
def test_compare_layout_finds_lost_widths_shading_and_orientation(sample, tmp_path) -> None:
    import zipfile

    from oracle import compare_layout

    assert compare_layout(sample["xlsx"], sample["ods"]) == []
    lost = tmp_path / "lost.ods"
    edits = {"content.xml": [(b'style:column-width="2.2396in"', b'style:column-width="3.0000in"'),
                             (b'fo:background-color="#bdd7ee"', b'fo:background-color="transparent"')],
             "styles.xml": [(b'style:print-orientation="landscape"', b'style:print-orientation="portrait"')]}
    with zipfile.ZipFile(sample["ods"]) as src, zipfile.ZipFile(lost, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            for old, new in edits.get(info.filename, []):
                assert old in data, old
                data = data.replace(old, new)
            dst.writestr(info, data, compress_type=info.compress_type)
    found = compare_layout(sample["xlsx"], lost)
    assert "作業時程管制表: 欄 1 寬 215px ≠ 288px" in found
    assert "作業時程管制表!B3: 底色 #bdd7ee ≠ transparent" in found
    assert "作業時程管制表!D3: 底色 #bdd7ee ≠ transparent" in found
    assert "作業時程管制表: 列印方向 landscape ≠ portrait" in found
