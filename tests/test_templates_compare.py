"""The committed blank sheets under templates/xlsx/ are exactly what ``svcq template`` writes,
so a change in output is always a decision: regenerate with

    .venv/bin/svcq template -o templates/xlsx

and commit the new files together with the code change that explains them."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import svcq
from oracle import xlsx_differences, xml_elements

from toolkit.io.xlsx import new_workbook
from toolkit.templates import TEMPLATES

COMMITTED = Path(__file__).resolve().parents[1] / "templates" / "xlsx"
REGENERATE = "若此變更是刻意的，請執行 `.venv/bin/svcq template -o templates/xlsx` 並一併提交"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("templates")
    result = svcq("template", "-o", out)
    assert result.code == 0, result.err
    return out


def test_every_kind_is_committed(generated: Path) -> None:
    names = sorted(TEMPLATES.values())
    assert sorted(p.name for p in COMMITTED.glob("*.xlsx")) == names
    assert sorted(p.name for p in generated.glob("*.xlsx")) == names


@pytest.mark.parametrize("name", sorted(TEMPLATES.values()))
def test_generated_template_equals_committed(generated: Path, name: str) -> None:
    diffs = xlsx_differences(generated / name, COMMITTED / name)
    assert not diffs, "\n".join([*diffs, REGENERATE])


def _book(path: Path, text: str, *, deterministic: bool) -> Path:
    with new_workbook(path, deterministic=deterministic) as wb:
        wb.add_worksheet("表").write("A1", text)
    return path


def test_comparison_ignores_document_dates_but_not_content(tmp_path: Path) -> None:
    fixed = _book(tmp_path / "a.xlsx", "項目", deterministic=True)
    now = _book(tmp_path / "b.xlsx", "項目", deterministic=False)  # created = now
    assert fixed.read_bytes() != now.read_bytes()
    assert xlsx_differences(now, fixed) == []
    changed = _book(tmp_path / "c.xlsx", "項目二", deterministic=True)
    [diff] = xlsx_differences(changed, fixed)
    assert diff.startswith("xl/sharedStrings.xml") and "項目二" in diff


def test_xml_elements_splits_at_tags() -> None:
    assert xml_elements('<a x="1"><b>t</b>\n<c/></a>') == ['<a x="1">', "<b>t</b>", "<c/>", "</a>"]
