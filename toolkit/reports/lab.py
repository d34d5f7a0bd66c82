"""JupyterLab comfort for the report notebooks, for people who edit a parameters cell and
press Run All: a mistake is one sentence in Chinese, not a traceback; the CJK font is found
even when matplotlib's font cache predates it; file parameters may be a text or a list, with
wildcards.

``setup()`` is the first code cell of every report notebook. Under ``svcq report`` (which sets
SVCQ_RENDERING in the kernel) it only registers the font: errors there must stay errors so the
report fails with the cell named.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.inputs import split_label
from toolkit.problems import ProblemsFound, SvcqError
from toolkit.roc import RocDateError

RENDERING = "SVCQ_RENDERING"
_HINT = ("參數格式有誤：文字與檔名請加引號，例如 as_of = \"107-06\"、inputs = \"回收/*.xlsx\"；"
         "多個檔案寫成 [\"a.xlsx\", \"b.xlsx\"]。")


def setup() -> None:
    from toolkit.reports.charts import cjk_fonts

    cjk_fonts()  # registers the font files matplotlib's cache may lack (no glyph warnings)
    shell = _shell()
    if shell is None or os.environ.get(RENDERING):
        return
    shell.set_custom_exc((SvcqError, ProblemsFound, RocDateError), _one_sentence)
    shell.showsyntaxerror = lambda *args, **kwargs: print(_HINT)


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _one_sentence(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None) -> None:
    message = str(value)
    print(message if message.startswith(("錯誤", "發現")) else f"錯誤：{message}")


def files(value: str | Path | Sequence[str | Path] | None, *, base: str | Path = ".") -> list[str]:
    """A file parameter as users write it — one path, a list, ``回收/*.xlsx`` — as a list of
    paths (``年度=檔案`` labels kept); wildcards are expanded in name order, relative to
    ``base`` (the notebook's folder)."""
    if value is None or value == "":
        return []
    items = [value] if isinstance(value, str | Path) else list(value)
    out: list[str] = []
    for item in items:
        label, path = split_label(item)
        if glob.has_magic(str(path)):
            found = sorted(glob.glob(str(Path(base) / path)))
            if not found:
                raise SvcqError(f"「{path}」沒有符合的檔案", code="not-found")
            out += [f"{label}={f}" if label else f for f in found]
        else:
            out.append(str(item))
    return out
