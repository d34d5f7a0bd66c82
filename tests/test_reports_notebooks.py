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


def _run_with(kind: str, replace: dict[str, str]) -> list:
    """Run the notebook as in JupyterLab with its parameters cell edited (``replace``: old
    line start → new line); the outputs of the code cells up to the first that fails, as Run
    All stops there."""
    path = notebook_path(kind)
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    lines = cell.source.splitlines()
    for old, new in replace.items():
        lines = [new if line.startswith(old) else line for line in lines]
    cell.source = "\n".join(lines)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = []
    for c in (c for c in nb.cells if c.cell_type == "code"):
        outputs += c.outputs
        if any(o.output_type == "error" or "錯誤" in o.get("text", "") or "參數格式" in o.get("text", "")
               for o in c.outputs):
            break
    return outputs


def _texts(outputs: list) -> str:
    return "".join(o.get("text", "") for o in outputs if o.output_type == "stream")


def test_schedule_defaults_sit_inside_the_sample_year() -> None:
    outputs = _run_with("schedule", {})
    html = "".join(o.data["text/html"] for o in outputs if "text/html" in o.get("data", {}))
    assert "不在管制表的" not in html, "the first Run All shows the sample's own year"
    assert "107年6月" in html


@pytest.mark.parametrize("line, expected", [
    ('as_of = ', "文字與檔名請加引號"),  # as_of = 107-06: a SyntaxError in Python
    ('inputs = ', "找不到"),  # a bare file name that is not there
])
def test_a_mistaken_parameter_is_one_chinese_sentence(line: str, expected: str) -> None:
    wrong = {"as_of = ": "as_of = 107-06", "inputs = ": 'inputs = "不存在的管制表.xlsx"'}[line]
    outputs = _run_with("schedule", {line: wrong})
    said = _texts(outputs)
    assert expected in said, said
    tracebacks = [o for o in outputs if o.output_type == "error" and len(o.get("traceback", [])) > 1]
    assert tracebacks == [], "no traceback in the notebook"


def test_parameters_as_plain_strings_and_wildcards() -> None:
    outputs = _run_with("schedule", {"inputs = ": 'inputs = "../samples/schedule/returned/*.xlsx"',
                                     "as_of = ": 'as_of = "107年6月"'})
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.data["text/html"] for o in outputs if "text/html" in o.get("data", {}))
    assert "86 項" in html, "the five returned copies read together: 86 tasks"


def test_the_self_score_notebook_fills_a_county_form(tmp_path) -> None:
    """The notebook's fill_form example (a cell hidden from the report): the year's total and a
    構面's score land in the office's own form."""
    import openpyxl

    import toolkit

    form = tmp_path / "考核填報表.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "填報表"
    ws["A1"], ws["B1"] = "自評總分", "{{ score.total }}"
    ws["A2"], ws["B2"] = "基礎服務", "{{ score.dimensions.基礎服務.score }}"
    wb.save(form)
    filled = tmp_path / "已填寫.xlsx"
    outputs = _run_with("score", {"form = ": f'form = r"{form}"', "form_output = ": f'form_output = r"{filled}"'})
    assert not [o for o in outputs if o.output_type == "error"]
    expected = toolkit.compute_score(notebook_path("score").parent / "../samples/score/自評表-113.xlsx",
                                     blank_as_zero=True)
    cells = toolkit.read_cells(filled, ["填報表!B1", "填報表!B2"])
    assert cells["填報表!B1"] == pytest.approx(expected.total)
    assert cells["填報表!B2"] == pytest.approx(expected.dimensions[0].score)
