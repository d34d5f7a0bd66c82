"""The 填寫表單 verb of the front door: an office's own form in, filled (or only planned) out.

    import toolkit as svcq

    svcq.fill_form("考核填報表.xlsx", {"score": svcq.compute_score("自評表.xlsx"),
                                      "survey": "滿意度.json", "status": "管制表.xlsx@114-06"},
                   output="填報.xlsx")
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from toolkit.forms.data_files import as_data
from toolkit.forms.sheets import FillResult, plan_form, write_form

__all__ = ["FillResult", "fill_form"]


def fill_form(form: str | Path, data: Mapping[str, Any], output: str | Path | None = None, *,
              in_place: bool = False, names: Mapping[str, str] | None = None) -> FillResult:
    """Fill the ``{{ 路徑 }}`` placeholders (and matching Excel defined names) of ``form``.

    ``data``: {name: source}; a source is a result object (anything with ``to_dict()``), the
    dict a command prints with --json, a JSON file, or an input workbook computed according
    to the name (``score`` → compute_score, ``survey`` → tally, ``status`` → schedule_status
    with ``管制表.xlsx@114-06``, ``votes``, ``trend``, ``compare``); see docs/fill.md.
    ``names``: {Excel defined name: path} for names that are not themselves a path.

    Without ``output`` (and without ``in_place``) nothing is written: the result lists every
    spot with what it would become and its ``problems``. With ``output`` (or ``in_place``,
    after a backup) the form is written through the lossless patch writer; any problem raises
    ProblemsFound and nothing is written.
    """
    values = as_data(data)
    if output is None and not in_place:
        return plan_form(form, values, names=names)
    return write_form(form, values, output, in_place=in_place, names=names)
