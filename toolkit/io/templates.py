"""The blank standard sheets (``svcq template``), also committed under templates/xlsx/."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

#: kind → (file name, "module:function" that writes the blank sheet to a path)
TEMPLATES: dict[str, tuple[str, str]] = {
    "schedule": ("作業時程管制表-範本.xlsx", "toolkit.io.schedule_xlsx:write_template"),
    "survey": ("滿意度調查-範本.xlsx", "toolkit.io.survey_xlsx:write_template"),
    "score": ("自評表-範本.xlsx", "toolkit.io.score_xlsx:write_template"),
}


def _writer(kind: str) -> Callable[[Path], None]:
    module, func = TEMPLATES[kind][1].split(":")
    return getattr(importlib.import_module(module), func)


def write_template(kind: str, outdir: str | Path, *, suffix: str = ".xlsx") -> Path:
    """Write the blank sheet of ``kind`` into ``outdir`` and return its path."""
    name = TEMPLATES[kind][0]
    dst = Path(outdir) / (Path(name).stem + suffix)
    _writer(kind)(dst)
    return dst
