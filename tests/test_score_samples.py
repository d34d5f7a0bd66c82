"""samples/score compute to their documented hand values, and the demo step runs on them."""

from __future__ import annotations

from pathlib import Path

from helpers import svcq

import toolkit
from toolkit.demo import DemoContext
from toolkit.score import CallsResult
from toolkit.score import demo as score_step


def test_samples(samples: Path) -> None:
    src = samples / "score"
    r112, r113 = toolkit.compute_score(src / "自評表-112.xlsx"), toolkit.compute_score(src / "自評表-113.xlsx")
    assert (r112.label, r112.total, r112.problems) == ("112", 79, [])
    assert (r113.label, r113.total, r113.problems) == ("113", 85.5, [])
    phone = toolkit.compute_score(src / "電話禮貌測試-113.xlsx")
    assert isinstance(phone, CallsResult) and phone.problems == []
    assert [(c.label, c.total, c.band) for c in phone.calls] == [
        ("3/12 戶籍課", 98, "優良"), ("4/18 戶籍課", 91, "優良"), ("6/05 行政課", 82, "良好"),
        ("8/21 戶籍課", 78, "普通"), ("10/09 行政課", 57, "待改善"), ("11/27 戶籍課", 100, "優良")]
    assert round(phone.average, 2) == 84.33 and phone.band == "良好"
    county = toolkit.compute_score(src / "自評表-114-縣市評分標準.xlsx")  # the rubric is in the sheet
    assert (county.rubric.name, county.total, county.max, county.band) == ("評分標準-114", 87, 100, "甲等")
    assert toolkit.load_rubric(src / "評分標準-114.xlsx").leaves == county.rubric.leaves
    res = svcq("score", "compare", src / "自評表-112.xlsx", src / "自評表-113.xlsx", "--json")
    assert res.json()["labels"] == ["112", "113"] and res.json()["total"]["diff"] == 6.5


def test_demo_step(samples: Path, tmp_path: Path) -> None:
    said: list[str] = []
    ctx = DemoContext(samples, tmp_path, said.append)
    score_step.run(ctx)
    assert ctx.results["score"]["total"] == 85.5  # the two 課室 parts merge to the 113 sheet
    assert ctx.results["score_compare"]["total"] == {"scores": [79, 85.5], "diff": 6.5}
    assert ctx.results["score_phone"]["band"] == "良好"
    assert ctx.results["score_county"]["total"] == 87 and ctx.results["score_county"]["band"] == "甲等"
    assert all(path.is_file() for _, path in ctx.artifacts) and len(ctx.artifacts) == 7
    assert any("較 112 年 +6.5 分" in line for line in said)
