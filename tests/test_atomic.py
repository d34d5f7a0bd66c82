"""No data loss: atomic replace, a kill mid-write, --in-place backups, the hash check against
a file changed on disk, lock files of Excel and LibreOffice, permissions kept."""

from __future__ import annotations

import datetime as dt
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import svcq

import toolkit.io.xlsx as xlsx_module
from toolkit.io.atomic import atomic_output, check_output_path, clean_stale_temps, file_digest, lock_file, make_backup
from toolkit.io.read import read_table
from toolkit.problems import SvcqError

REPO = Path(__file__).resolve().parents[1]


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def small_xlsx(path: Path, text: str = "原本") -> Path:
    with xlsx_module.new_workbook(path) as wb:
        wb.add_worksheet("工作表").write(0, 0, text)
    return path


def test_success_replaces_in_one_step(tmp_path):
    dst = tmp_path / "a.txt"
    dst.write_text("old")
    with atomic_output(dst) as tmp:
        assert tmp.parent == dst.parent and tmp.name.startswith(".a.") and ".tmp" in tmp.name
        tmp.write_text("new")
        assert dst.read_text() == "old"  # nothing visible until the block ends
    assert dst.read_text() == "new"
    assert temps(tmp_path) == []


def test_failure_leaves_original_and_no_temp(tmp_path):
    dst = tmp_path / "a.txt"
    dst.write_text("old")
    with pytest.raises(RuntimeError), atomic_output(dst) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert dst.read_text() == "old"
    assert temps(tmp_path) == []


WRITER = textwrap.dedent("""
    import sys, time
    from toolkit.io.atomic import atomic_output
    with atomic_output(sys.argv[1]) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(b"x" * 1_000_000)
            fh.flush()
            print("writing", flush=True)
            time.sleep(60)
""")


def test_kill_during_write_leaves_original_intact(tmp_path):
    dst = small_xlsx(tmp_path / "總表.xlsx")
    before = dst.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(dst)], stdout=subprocess.PIPE,
                            text=True, cwd=REPO)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert dst.read_bytes() == before
    assert read_table(dst).rows == [["原本"]]
    # the killed run's temp file stays behind: hidden, named after the target and the pid
    [left] = temps(tmp_path)
    assert left.startswith(f".總表.{proc.pid}.") and left.endswith(".tmp.xlsx")
    # …and the next write to the same target removes it
    small_xlsx(dst, "新的")
    assert temps(tmp_path) == []
    assert read_table(dst).rows == [["新的"]]


def test_stale_temp_of_a_live_process_is_kept(tmp_path):
    dst = tmp_path / "a.xlsx"
    mine = tmp_path / f".a.{os.getpid()}.abc123.tmp.xlsx"
    dead = tmp_path / ".a.999999999.abc123.tmp.xlsx"  # beyond pid_max: no such process
    other = tmp_path / ".b.999999999.abc123.tmp.xlsx"  # another target's
    for p in (mine, dead, other):
        p.write_bytes(b"")
    assert clean_stale_temps(dst) == [dead]
    assert mine.exists() and other.exists() and not dead.exists()


def test_new_file_gets_ordinary_permissions_and_replaced_file_keeps_its_own(tmp_path):
    fresh = small_xlsx(tmp_path / "新.xlsx")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600
    shared = small_xlsx(tmp_path / "共用.xlsx")
    os.chmod(shared, 0o664)
    small_xlsx(shared, "改")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664


def test_changed_on_disk_is_refused(tmp_path):
    dst = tmp_path / "總表.xlsx"
    dst.write_bytes(b"version 1")
    digest = file_digest(dst)
    with pytest.raises(SvcqError) as info, atomic_output(dst, expect_digest=digest) as tmp:
        tmp.write_bytes(b"svcq's result")
        dst.write_bytes(b"a colleague saved meanwhile")
    assert info.value.problem.code == "changed-on-disk"
    assert dst.read_bytes() == b"a colleague saved meanwhile"
    assert temps(tmp_path) == []


def test_cells_set_in_place_refuses_a_file_changed_meanwhile(tmp_path, monkeypatch):
    import toolkit.io.patch as patch

    src = small_xlsx(tmp_path / "總表.xlsx")
    original = patch.rewrite_package

    def colleague_saves_first(source, dst, *args, **kwargs):
        small_xlsx(Path(source), "同事的修改")  # saved between svcq's read and its write
        return original(source, dst, *args, **kwargs)

    monkeypatch.setattr(patch, "rewrite_package", colleague_saves_first)
    result = svcq("cells", "set", src, "工作表!A1=svcq", "--in-place")
    assert result.code == 2, result.err
    assert "已被其他程式修改" in result.err and "總表.xlsx" in result.err
    assert read_table(src).rows == [["同事的修改"]]
    assert temps(tmp_path) == []


def test_in_place_keeps_a_timestamped_backup(tmp_path):
    src = small_xlsx(tmp_path / "總表.xlsx")
    before = src.read_bytes()
    result = svcq("cells", "set", src, "工作表!A1=改過", "--in-place")
    assert result.code == 0, result.err
    [backup] = [p for p in tmp_path.iterdir() if ".bak-" in p.name]
    assert backup.read_bytes() == before
    stamp = backup.name.removeprefix("總表.bak-").removesuffix(".xlsx")
    assert abs(dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S") - dt.datetime.now()) < dt.timedelta(minutes=5)
    assert read_table(src).rows == [["改過"]]


def test_backups_never_overwrite_each_other(tmp_path):
    src = tmp_path / "a.xlsx"
    src.write_bytes(b"1")
    now = dt.datetime(2024, 2, 26, 9, 30, 0)
    first = make_backup(src, now=now)
    src.write_bytes(b"2")
    second = make_backup(src, now=now)
    assert (first.name, second.name) == ("a.bak-20240226-093000.xlsx", "a.bak-20240226-093000-1.xlsx")
    assert (first.read_bytes(), second.read_bytes()) == (b"1", b"2")


@pytest.mark.parametrize("lock", ["~$總表.xlsx", ".~lock.總表.xlsx#"])
def test_open_in_excel_or_libreoffice_is_reported(tmp_path, lock):
    src = small_xlsx(tmp_path / "總表.xlsx")
    (tmp_path / lock).write_bytes(b"owner")
    assert lock_file(src) == tmp_path / lock
    before = src.read_bytes()
    result = svcq("cells", "set", src, "工作表!A1=改", "--in-place")
    assert result.code == 2
    assert lock in result.err and "開啟中" in result.err
    assert src.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if ".bak-" in p.name]


def test_output_onto_input_needs_in_place(tmp_path):
    src = small_xlsx(tmp_path / "回覆.xlsx")
    with pytest.raises(SvcqError) as info:
        check_output_path([src], tmp_path / "." / "回覆.xlsx")
    assert info.value.problem.code == "output-is-input"
    check_output_path([src], src, in_place=True)  # allowed when asked for
    before = src.read_bytes()
    result = svcq("survey", "tally", src, "-o", src)
    # survey tally has no --in-place, so the message must not suggest it
    assert result.code == 2 and "另指定輸出檔名" in result.err and "--in-place" not in result.err
    assert src.read_bytes() == before
