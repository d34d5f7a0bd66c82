"""The notebooks run unchanged, as a user opening them in JupyterLab would (Run All): their
default parameters point at samples/, they run in their own folder, and show HTML."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from toolkit.reports import REPORTS, notebook_path


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_notebook_runs_unchanged_like_run_all_in_jupyterlab(kind: str) -> None:
    path = notebook_path(kind)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert len(html) >= 4 and html[0].startswith("<h1>")
    assert any('role="img"' in h for h in html), "each report has at least one chart"
