"""Results as pandas DataFrames for JupyterLab users (``.to_pandas()`` of every result).

pandas is imported here, on first use only: the command line never needs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def frame(records: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A DataFrame of ``records`` (dicts), columns in ``columns`` order when given."""
    import pandas as pd

    rows = list(records)
    return pd.DataFrame.from_records(rows, columns=list(columns) if columns is not None else None)
