"""Issue 16, item 4: re-running ``schedule split`` into a folder does not overwrite a 課室
copy that was already filled in; an untouched copy is simply written again."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import files_in, svcq
from test_schedule_collect import HR_PROGRESS, PLAN, edit

import toolkit
from toolkit.problems import ProblemsFound
from toolkit.schedule.sheets import load_plan, write_control_sheet


@pytest.fixture
def split(tmp_path: Path) -> tuple[Path, Path]:
    master = write_control_sheet(load_plan(PLAN), tmp_path / "總表.xlsx", 107, "臺北市中正區戶政事務所")
    out = tmp_path / "分送"
    toolkit.split_schedule(master, out)
    return master, out


def test_splitting_again_over_untouched_copies_is_fine(split):
    master, out = split
    before = files_in(out)
    toolkit.split_schedule(master, out)
    assert files_in(out) == before


def test_a_filled_copy_is_not_overwritten(split):
    master, out = split
    hr = out / "人事室.xlsx"
    edit(hr, HR_PROGRESS)  # 人事室 filled in its progress
    filled = hr.read_bytes()
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    with pytest.raises(ProblemsFound) as info:
        toolkit.split_schedule(master, out)
    [problem] = info.value.problems
    assert problem.code == "split-overwrite" and problem.file == str(hr)
    assert "人事室" in problem.message and "schedule collect" in problem.message
    assert hr.read_bytes() == filled
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps  # nothing written at all
    # after collecting, the master has the progress: splitting again is harmless
    toolkit.collect_schedule(master, [hr], in_place=True)
    toolkit.split_schedule(master, out)
    assert toolkit.schedule_status(hr, as_of="107年6月").to_dict()["tasks"]


def test_another_file_with_a_copy_name_is_not_overwritten(split):
    master, out = split
    (out / "會計室.xlsx").write_text("會計室自己的筆記", encoding="utf-8")
    result = svcq("schedule", "split", master, "-o", out)
    assert result.code == 1, result.err
    assert "會計室.xlsx" in result.err and "不是這份管制表的分送檔" in result.err
    assert (out / "會計室.xlsx").read_text(encoding="utf-8") == "會計室自己的筆記"
