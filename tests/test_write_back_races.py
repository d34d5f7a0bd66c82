"""Issue 16, item 1: a master (or self-score base) saved by someone else after svcq read it
is not overwritten. The digest is taken when the file is first read — before the edits are
computed from it — and checked when the new file is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from test_schedule_collect import HR_PROGRESS, PLAN, edit
from test_score_data import fill

import toolkit
from toolkit.problems import SvcqError
from toolkit.schedule.sheets import SHEET, load_plan, write_control_sheet
from toolkit.score.sheets import write_template


def colleague_saves(path: Path, cell: str, value: str) -> None:
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0][cell] = value
    wb.save(path)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".bak-" in p.name or ".tmp" in p.name)


@pytest.fixture
def schedule_pair(tmp_path: Path) -> tuple[Path, Path]:
    master = write_control_sheet(load_plan(PLAN), tmp_path / "總表.xlsx", 107, "臺北市中正區戶政事務所")
    toolkit.split_schedule(master, tmp_path / "split")
    hr = tmp_path / "人事室.xlsx"
    shutil.copy(tmp_path / "split" / "人事室.xlsx", hr)
    edit(hr, HR_PROGRESS)
    return master, hr


@pytest.mark.parametrize("in_place", [True, False])
def test_collect_refuses_a_master_saved_meanwhile(schedule_pair, tmp_path, monkeypatch, in_place):
    import toolkit.schedule.api as api

    master, hr = schedule_pair
    real = api.reconcile

    def reconcile_while_a_colleague_saves(*args, **kwargs):
        result = real(*args, **kwargs)  # svcq has read the master and the copies …
        colleague_saves(master, "A1", "同事剛存檔的標題")  # … and the master changes
        return result

    monkeypatch.setattr(api, "reconcile", reconcile_while_a_colleague_saves)
    out = None if in_place else tmp_path / "彙整.xlsx"
    with pytest.raises(SvcqError) as info:
        toolkit.collect_schedule(master, [hr], out, in_place=in_place)
    assert info.value.problem.code == "changed-on-disk" and "總表.xlsx" in str(info.value)
    assert openpyxl.load_workbook(master)[SHEET]["A1"].value == "同事剛存檔的標題"
    assert leftovers(tmp_path) == [] and (out is None or not out.exists())


@pytest.mark.parametrize("in_place", [True, False])
def test_merge_refuses_a_base_saved_meanwhile(tmp_path, monkeypatch, in_place):
    import toolkit.score.api as api

    base = tmp_path / "自評表.xlsx"
    write_template(base)
    part = fill(base, tmp_path / "戶籍課.xlsx", {"服務友善": 4})
    real = api.merge

    def merge_while_a_colleague_saves(*args, **kwargs):
        result = real(*args, **kwargs)
        colleague_saves(base, "H2", "同事的備註")
        return result

    monkeypatch.setattr(api, "merge", merge_while_a_colleague_saves)
    out = None if in_place else tmp_path / "合併.xlsx"
    with pytest.raises(SvcqError) as info:
        toolkit.merge_scores(base, [part], out, in_place=in_place)
    assert info.value.problem.code == "changed-on-disk"
    assert openpyxl.load_workbook(base).worksheets[0]["H2"].value == "同事的備註"
    assert leftovers(tmp_path) == [] and (out is None or not out.exists())


def test_a_master_not_touched_meanwhile_is_collected(schedule_pair):
    master, hr = schedule_pair
    result = toolkit.collect_schedule(master, [hr], in_place=True)
    assert result.backup is not None and result.backup.exists()
    assert len(result.taken) > 0
