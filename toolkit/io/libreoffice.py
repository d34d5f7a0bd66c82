"""LibreOffice headless: ODS conversion and the independent oracle for what svcq writes.

Each run gets a private profile (so it neither collides with a user's open LibreOffice nor
with a parallel run) configured to recalculate every formula on load: the values in its
output are LibreOffice's own, not the cached values svcq wrote.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

from toolkit.io.workdir import work_dir
from toolkit.problems import SvcqError


def _prop(path: str, name: str, value: str) -> str:
    return f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'


# Recalculation on load: 0 = always (1 never, 2 ask). FirstRun off skips the start-up wizard.
_RECALC_ALWAYS = "\n".join([
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    _prop("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "0"),
    _prop("/org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", "0"),
    _prop("/org.openoffice.Office.Common/Misc", "FirstRun", "false"),
    "</oor:items>",
])

#: CSV filter: UTF-8 (76), comma, quote, formulas exported as values; -1 = every sheet to
#: its own file ``<stem>-<sheet>.csv`` (LibreOffice ≥ 7.2).
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


#: Where the installers put soffice when it is not on PATH (Windows never adds it).
KNOWN_LOCATIONS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/opt/libreoffice/program/soffice",
)


def soffice() -> str | None:
    """LibreOffice's program: $SVCQ_SOFFICE if set, else PATH, else the usual install folders."""
    chosen = os.environ.get("SVCQ_SOFFICE")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((p for p in KNOWN_LOCATIONS if Path(p).is_file()), None)


def require_soffice() -> str:
    path = soffice()
    if path is None:
        where = (f"SVCQ_SOFFICE 指向的 {os.environ['SVCQ_SOFFICE']} 不存在"
                 if os.environ.get("SVCQ_SOFFICE") else "此電腦未安裝")
        raise SvcqError(f"需要 LibreOffice 才能輸出 .ods，但{where}（Windows：安裝 LibreOffice，"
                        "或以環境變數 SVCQ_SOFFICE 指定 soffice.exe；Debian/Ubuntu："
                        "sudo apt-get install libreoffice-calc-nogui）", code="no-libreoffice")
    return path


def convert(files: Sequence[str | Path], target: str, outdir: str | Path, *,
            timeout: float = 180) -> list[Path]:
    """Convert ``files`` with LibreOffice to ``target`` (``ods``, ``xlsx``, ``csv`` or a full
    filter string) into ``outdir``; return the paths LibreOffice wrote for each input.

    LibreOffice runs in its own process group with its profile and temporary files in a
    private work folder: when the conversion ends — done, timed out, or interrupted by
    Ctrl-C — every process it started is ended and the folder removed."""
    exe = require_soffice()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with work_dir("lo") as profile:
        user = Path(profile, "user")
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
        scratch = Path(profile, "tmp")
        scratch.mkdir()
        env = {**os.environ, "TMPDIR": str(scratch), "TMP": str(scratch), "TEMP": str(scratch)}
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--nologo", "--convert-to", target, "--outdir", str(outdir), *map(str, files)]
        # A session of its own: Ctrl-C reaches svcq alone, which then ends the whole group
        # (soffice, oosplash, the gpg helpers it spawns) before removing the folder.
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                stdin=subprocess.DEVNULL, env=env,
                                start_new_session=hasattr(os, "killpg"))
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise SvcqError(f"LibreOffice 轉檔逾時（{timeout:.0f} 秒）", code="libreoffice-timeout") from None
        finally:
            _end_group(proc)
    ext = target.split(":", 1)[0]
    written: list[Path] = []
    for f in files:
        stem = Path(f).stem
        found = sorted(outdir.glob(f"{stem}.{ext}")) + sorted(outdir.glob(f"{stem}-*.{ext}"))
        if not found:
            raise SvcqError(f"LibreOffice 無法轉換此檔：{stderr.strip() or stdout.strip()}",
                            file=f, code="libreoffice-failed")
        written.extend(found)
    return written


def _end_group(proc: subprocess.Popen[str]) -> None:
    """Kill what is left of LibreOffice's process group and reap it."""
    if hasattr(os, "killpg"):
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    elif proc.poll() is None:
        proc.kill()
    with suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    if hasattr(os, "killpg"):
        for _ in range(50):  # until every member of the group is gone
            try:
                os.killpg(proc.pid, 0)
            except (ProcessLookupError, PermissionError):
                break
            time.sleep(0.02)


def sheets_as_csv(file: str | Path, outdir: str | Path) -> dict[str, Path]:
    """Recalculate ``file`` in LibreOffice and export each sheet as UTF-8 CSV: {sheet: path}.

    With a single sheet LibreOffice names the file ``<stem>.csv``; that entry is keyed ''.
    """
    stem = Path(file).stem
    out: dict[str, Path] = {}
    for path in convert([file], CSV_ALL_SHEETS, outdir):
        name = path.stem
        out[name[len(stem) + 1:] if name != stem else ""] = path
    return out
