"""Where the files svcq ships live: samples/ and notebooks/ at the top of a source checkout (an
editable install), toolkit/samples and toolkit/notebooks inside an installed wheel."""

from __future__ import annotations

from pathlib import Path

from toolkit.problems import SvcqError

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """The folder ``name`` ("samples", "notebooks") of this installation."""
    for folder in (_PACKAGE / name, _PACKAGE.parent / name):
        if folder.is_dir():
            return folder
    raise SvcqError(f"找不到 svcq 附帶的 {name} 資料夾，安裝可能不完整；請重新安裝 svcq", code="not-found")
