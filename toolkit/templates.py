"""The blank standard sheets (``svcq template``), also committed under templates/xlsx/."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from toolkit.families import FAMILIES, family

#: kind → file name of its blank sheet, for every family that has one.
TEMPLATES: dict[str, str] = {f.name: f.template for f in FAMILIES if f.template}


def write_template(kind: str, outdir: str | Path, *, format: str = "xlsx") -> Path:
    """Write the blank sheet of ``kind`` into ``outdir`` and return its path."""
    dst = Path(outdir) / f"{Path(TEMPLATES[kind]).stem}.{format}"
    family(kind).module("sheets").write_template(dst)
    return dst


def write_templates(outdir: str | Path, kinds: Sequence[str] = (), *, format: str = "xlsx") -> list[Path]:
    """The blank sheets of ``kinds`` (all when empty) in ``outdir``: schedule 作業時程管制表,
    survey 滿意度調查, score 自評表. ``format="ods"`` converts them in one LibreOffice run."""
    from toolkit.io.xlsx import ods_batch

    with ods_batch():
        return [write_template(kind, outdir, format=format) for kind in kinds or sorted(TEMPLATES)]
