"""The blank standard sheets (``svcq template``), also committed under templates/xlsx/."""

from __future__ import annotations

from pathlib import Path

from toolkit.families import FAMILIES, family

#: kind → file name of its blank sheet, for every family that has one.
TEMPLATES: dict[str, str] = {f.name: f.template for f in FAMILIES if f.template}


def write_template(kind: str, outdir: str | Path, *, suffix: str = ".xlsx") -> Path:
    """Write the blank sheet of ``kind`` into ``outdir`` and return its path."""
    dst = Path(outdir) / (Path(TEMPLATES[kind]).stem + suffix)
    family(kind).module("sheets").write_template(dst)
    return dst
