"""JupyterLab comfort: file parameters as text or lists with wildcards, the CJK font found with
a stale matplotlib cache, and one Chinese sentence instead of a traceback in an interactive
kernel (but real errors under `svcq report`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.problems import SvcqError
from toolkit.reports import charts
from toolkit.reports.lab import files


def test_file_parameters_as_users_write_them(tmp_path: Path) -> None:
    for name in ("b.xlsx", "a.xlsx", "c.csv"):
        (tmp_path / name).write_bytes(b"x")
    assert files("x.xlsx") == ["x.xlsx"]
    assert files(["a.xlsx", "113=b.xlsx"]) == ["a.xlsx", "113=b.xlsx"]
    assert files("*.xlsx", base=tmp_path) == [str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx")]
    assert files(["112=*.csv"], base=tmp_path) == [f"112={tmp_path / 'c.csv'}"]
    assert files("") == [] and files(None) == []
    with pytest.raises(SvcqError, match="沒有符合的檔案"):
        files("回收/*.xlsx", base=tmp_path)


def test_cjk_font_found_with_a_stale_font_cache() -> None:
    from matplotlib import font_manager

    if not any(charts._CJK_FILES.search(Path(p).name) for p in font_manager.findSystemFonts()):
        pytest.skip("no CJK font installed on this machine (CI installs fonts-noto-cjk)")
    manager = font_manager.fontManager
    saved = list(manager.ttflist)
    manager.ttflist = [f for f in saved if f.name not in charts.CJK_FONTS]  # a cache built before the font
    charts.cjk_fonts.cache_clear()
    try:
        found = charts.cjk_fonts()
        assert found and found[0] in {f.name for f in manager.ttflist}
    finally:
        manager.ttflist = saved
        charts.cjk_fonts.cache_clear()


class _Shell:
    def __init__(self) -> None:
        self.handlers: dict = {}
        self.showsyntaxerror = None

    def set_custom_exc(self, types: tuple, handler: object) -> None:
        self.handlers = {t: handler for t in types}


def test_setup_turns_errors_into_one_sentence(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from toolkit.reports import lab

    shell = _Shell()
    monkeypatch.setattr(lab, "_shell", lambda: shell)
    monkeypatch.delenv(lab.RENDERING, raising=False)
    lab.setup()
    error = SvcqError("找不到此檔案", file="x.xlsx")
    shell.handlers[SvcqError](shell, SvcqError, error, None)
    shell.showsyntaxerror()
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "錯誤：x.xlsx：找不到此檔案"
    assert "文字與檔名請加引號" in out.splitlines()[1]


def test_setup_leaves_errors_alone_under_svcq_report(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.reports import lab

    shell = _Shell()
    monkeypatch.setattr(lab, "_shell", lambda: shell)
    monkeypatch.setenv(lab.RENDERING, "1")
    lab.setup()
    assert shell.handlers == {} and shell.showsyntaxerror is None
