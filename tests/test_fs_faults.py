"""File-system faults (issue 16, items 4 and 9): a backup is complete and verified or does
not exist; a full disk, a read-only folder, a name too long, another file system, a symbolic
link, Ctrl-C and kill during a LibreOffice run — each ends in one message naming the file,
the original untouched, and nothing left behind.

Real faults where the machine allows them: a tiny tmpfs (needs root; skipped otherwise, the
RLIMIT_FSIZE variant runs everywhere), /dev/shm as a second file system."""

from __future__ import annotations

import contextlib
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import xlsxwriter
from helpers import svcq

from toolkit.io.atomic import make_backup
from toolkit.io.read import read_table
from toolkit.problems import SvcqError

REPO = Path(__file__).resolve().parents[1]


def filled_xlsx(path: Path, rows: int) -> Path:
    """A workbook of incompressible text: ~100 bytes on disk per row."""
    rng = random.Random(16)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("工作表")
    for r in range(rows):
        ws.write_string(r, 0, "".join(chr(0x4E00 + rng.randrange(20000)) for _ in range(40)))
    wb.close()
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".bak-" in p.name or ".tmp" in p.name)


@contextlib.contextmanager
def tmpfs(path: Path, options: str):
    """A real small or read-only file system (root only)."""
    path.mkdir(exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


# -- a full disk ---------------------------------------------------------------------------

def test_backup_on_a_full_disk_is_not_left_half_written(tmp_path):
    with tmpfs(tmp_path / "disk", "size=256k") as disk:
        src = filled_xlsx(disk / "總表.xlsx", 1300)  # ~130 KB of 256 KB: the backup cannot fit
        before = src.read_bytes()
        result = svcq("cells", "set", src, "工作表!B1=5", "--in-place")
        assert result.code == 2, result.err
        assert "磁碟空間不足" in result.err and "總表.xlsx" in result.err
        assert "Traceback" not in result.err
        assert src.read_bytes() == before
        assert leftovers(disk) == []  # no 4 KB "backup" that looks real, no temporary file


def test_output_on_a_full_disk(tmp_path):
    src = filled_xlsx(tmp_path / "總表.xlsx", 1300)
    with tmpfs(tmp_path / "disk", "size=64k") as disk:
        result = svcq("cells", "set", src, "工作表!B1=5", "-o", disk / "新.xlsx")
        assert result.code == 2 and "磁碟空間不足" in result.err and "新.xlsx" in result.err, result.err
        assert list(disk.iterdir()) == []


FSIZE_CHILD = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))
from toolkit.cli import main
main(sys.argv[1:])
"""


def test_backup_cut_short_by_the_file_size_limit_does_not_exist(tmp_path):
    """The same without root: every file stops at 8 KB (EFBIG) — the new file or the backup,
    whichever comes first, and neither may be left behind."""
    src = filled_xlsx(tmp_path / "總表.xlsx", 300)
    before = src.read_bytes()
    assert len(before) > 20_000
    done = subprocess.run([sys.executable, "-c", FSIZE_CHILD, "cells", "set", str(src), "工作表!B1=5",
                           "--in-place"], capture_output=True, text=True, cwd=REPO, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 2, done.stderr
    assert "檔案超過此磁碟允許的大小" in done.stderr and "總表.xlsx" in done.stderr
    assert "Traceback" not in done.stderr
    assert src.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_a_backup_that_does_not_read_back_is_removed(tmp_path, monkeypatch):
    import shutil

    src = tmp_path / "a.xlsx"
    src.write_bytes(b"x" * 10_000)
    real_copy = shutil.copyfile

    def truncating_copy(a, b, **kw):  # a device that loses the end of what it was given
        real_copy(a, b, **kw)
        with open(b, "r+b") as fh:
            fh.truncate(4096)
        return b

    monkeypatch.setattr(shutil, "copyfile", truncating_copy)
    with pytest.raises(SvcqError) as info:
        make_backup(src)
    assert info.value.problem.code == "backup-failed"
    assert leftovers(tmp_path) == []


def test_a_backup_of_a_file_changed_since_it_was_read_is_refused(tmp_path):
    src = tmp_path / "a.xlsx"
    src.write_bytes(b"what svcq read")
    from toolkit.io.atomic import file_digest

    digest = file_digest(src)
    src.write_bytes(b"a colleague saved this meanwhile")
    with pytest.raises(SvcqError) as info:
        make_backup(src, expect_digest=digest)
    assert info.value.problem.code == "changed-on-disk"
    assert leftovers(tmp_path) == []


# -- read-only, names, links ------------------------------------------------------------

def test_read_only_output_folder(tmp_path):
    src = filled_xlsx(tmp_path / "總表.xlsx", 5)
    if os.geteuid() == 0:
        ctx = tmpfs(tmp_path / "ro", "ro,size=64k")
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        ctx = contextlib.nullcontext(folder)
    with ctx as folder:
        for dst in (folder / "新.xlsx", folder / "子資料夾" / "新.xlsx"):
            result = svcq("cells", "set", src, "工作表!B1=5", "-o", dst)
            assert result.code == 2, result.err
            assert "新.xlsx" in result.err and ("唯讀" in result.err or "權限" in result.err), result.err
            assert "Traceback" not in result.err and "內部錯誤" not in result.err


def test_long_cjk_output_name_within_the_file_system_limit(tmp_path):
    src = filled_xlsx(tmp_path / "總表.xlsx", 5)
    name = "臺北市中正區戶政事務所" * 7 + ".xlsx"  # 77 CJK characters: 236 bytes, legal
    result = svcq("cells", "set", src, "工作表!B1=5", "-o", tmp_path / name)
    assert result.code == 0, result.err  # the temporary name beside it must fit too
    assert read_table(tmp_path / name).rows[0][1] == 5
    assert leftovers(tmp_path) == []


def test_output_name_beyond_the_file_system_limit(tmp_path):
    src = filled_xlsx(tmp_path / "總表.xlsx", 5)
    result = svcq("cells", "set", src, "工作表!B1=5", "-o", tmp_path / ("戶" * 90 + ".xlsx"))
    assert result.code == 2 and "太長" in result.err and "Traceback" not in result.err, result.err


def test_in_place_through_a_symbolic_link_replaces_the_file_not_the_link(tmp_path):
    shared = tmp_path / "共用"
    shared.mkdir()
    real = filled_xlsx(shared / "總表.xlsx", 5)
    link = tmp_path / "捷徑.xlsx"
    link.symlink_to(real)
    result = svcq("cells", "set", link, "工作表!B1=改", "--in-place")
    assert result.code == 0, result.err
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert read_table(real).rows[0][1] == "改"
    [backup] = [p for p in shared.iterdir() if ".bak-" in p.name]  # beside the real file
    assert backup.name.startswith("總表.bak-") and not backup.is_symlink()
    assert leftovers(tmp_path) == []


# -- LibreOffice: another file system, Ctrl-C, kill ------------------------------------

def _other_file_system(tmp_path: Path) -> Path:
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev or not os.access(shm, os.W_OK):
        pytest.skip("no second file system (/dev/shm) here")
    return shm


@pytest.mark.libreoffice
def test_ods_output_onto_another_file_system(tmp_path):
    import tempfile

    shm = _other_file_system(tmp_path)
    out = Path(tempfile.mkdtemp(dir=shm, prefix="svcq-test-"))
    try:
        result = svcq("template", "survey", "--format", "ods", "-o", out)
        assert result.code == 0, result.err
        assert [p.suffix for p in out.iterdir()] == [".ods"]
    finally:
        import shutil

        shutil.rmtree(out, ignore_errors=True)


def _ods_run(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    """svcq writing an .ods, with its own TMPDIR so what it leaves there can be seen."""
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(scratch)}
    env.pop("SVCQ_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", "template", "--format", "ods", "-o",
                             str(tmp_path / "out")], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    return proc, scratch


def _wait_for_libreoffice(scratch: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(p.name.startswith("svcq-lo-") for p in scratch.iterdir()):
            time.sleep(0.5)  # LibreOffice is starting inside it
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    pytest.fail("LibreOffice never started")


def _soffice_in(scratch: Path) -> list[str]:
    """Processes whose command line names the run's scratch folder (its LibreOffice)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if str(scratch).encode() in (entry / "cmdline").read_bytes():
                    found.append(entry.name)
    return found


@pytest.mark.libreoffice
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_terminate_during_libreoffice(tmp_path, sig, code):
    proc, scratch = _ods_run(tmp_path)
    _wait_for_libreoffice(scratch, proc)
    os.kill(proc.pid, sig)  # what Ctrl-C (SIGINT) or a closed window (SIGTERM) does to svcq
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "Traceback" not in err and "Directory not empty" not in err and "內部錯誤" not in err
    assert "已中止" in err
    assert list(scratch.iterdir()) == []  # no work folder, no LibreOffice profile
    assert _soffice_in(scratch) == []
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


@pytest.mark.libreoffice
def test_a_killed_ods_run_is_cleaned_up_by_the_next(tmp_path):
    proc, scratch = _ods_run(tmp_path)
    _wait_for_libreoffice(scratch, proc)
    os.kill(proc.pid, signal.SIGKILL)  # nothing of svcq runs after this
    proc.communicate(timeout=30)
    left = sorted(p.name for p in scratch.iterdir())
    assert left and all(name.startswith("svcq-") and f"-{proc.pid}-" in name for name in left)
    again, _ = _ods_run(tmp_path)  # its sweep also ends the LibreOffice the killed run left
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert list(scratch.iterdir()) == []
    assert _soffice_in(scratch) == []


def test_memory_limit_is_honoured_on_this_platform():
    """The guards' tests rely on RLIMIT_AS; make their skip visible if it is unavailable."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    assert soft == resource.RLIM_INFINITY or soft > 0
