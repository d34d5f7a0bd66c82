"""Rubrics as data: the two built-ins, validation of a user's YAML, grade bands."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import svcq

from toolkit.problems import ProblemsFound, SvcqError
from toolkit.score import rubric_from_dict
from toolkit.score.rubric_files import builtin_names, load_rubric


def test_builtins_are_listed() -> None:
    assert builtin_names() == ["penghu-107", "phone-courtesy"]
    result = svcq("score", "rubrics", "--json")
    assert result.code == 0
    assert [r["name"] for r in result.json()] == ["penghu-107", "phone-courtesy"]
    assert "滿分 102" in svcq("score", "rubrics").out


def test_penghu_107_matches_the_plan() -> None:
    r = load_rubric("penghu-107")
    assert r.max == 102
    assert [(d.name, d.points) for d in r.dimensions] == [
        ("基礎服務", 20), ("服務遞送", 30), ("服務量能", 20), ("服務評價", 20), ("開放創新", 10),
        ("執行計畫訂定核備情形", 2)]
    items = {i.name: i.points for d in r.dimensions for i in d.children}
    assert items == {"服務一致及正確": 5, "服務友善": 5, "服務禮貌": 10, "服務便捷": 10,
                     "服務可近性": 10, "服務成長及優化": 10, "內部作業簡化": 10, "服務精進機制": 10,
                     "服務滿意情形": 10, "意見回應處理情形": 10, "開放參與": 5, "創新性": 5,
                     "執行計畫擬訂之具體完整性": 1, "執行計畫依限報送備查情形": 1}
    assert len(r.leaves) == 15
    nested = [leaf for leaf in r.leaves if len(leaf.path) == 3]
    assert [(leaf.path, leaf.points) for leaf in nested] == [
        (("服務量能", "服務精進機制", "深化服務量能"), 5),
        (("服務量能", "服務精進機制", "上年度評審建議事項提出具體改善措施"), 5)]
    guide = {leaf.name: leaf.guidance for leaf in r.leaves}
    # the seed's 次指標 and 具體作法 as guidance
    assert "【服務及時性】" in guide["服務一致及正確"]
    assert "公文處理時效零逾期" in guide["服務一致及正確"]
    assert "【電話禮貌測試】" in guide["服務禮貌"]
    assert "（13）國民身分證初補換資料查詢功能。" in guide["服務便捷"]
    assert all(leaf.guidance for leaf in r.leaves)
    assert r.bands == ()


def test_phone_courtesy_bands() -> None:
    r = load_rubric("phone-courtesy")
    assert r.max == 100
    assert [d.name for d in r.dimensions] == ["接聽速度", "電話禮貌", "答話內容"]
    assert [(b.label, b.min) for b in r.bands] == [("優良", 90), ("良好", 80), ("普通", 70),
                                                   ("待改善", 0)]
    assert [r.band(x) for x in (100, 90, 89.5, 80, 79, 70, 69.9, 0)] == [
        "優良", "優良", "良好", "良好", "普通", "普通", "待改善", "待改善"]
    assert "4 聲" in r.leaves[0].guidance


def _tree(**over: object) -> dict:
    data = {"name": "t", "dimensions": [
        {"name": "甲", "points": 10, "children": [{"name": "一", "points": 4},
                                                 {"name": "二", "points": 6}]},
        {"name": "乙", "children": [{"name": "三", "children": [{"name": "x", "points": 1},
                                                             {"name": "y", "points": 2}]}]}]}
    data.update(over)
    return data


def test_parent_without_points_is_the_sum() -> None:
    r = rubric_from_dict(_tree())
    assert r.max == 13
    assert [leaf.path for leaf in r.leaves][-1] == ("乙", "三", "y")


def test_every_mistake_is_listed() -> None:
    data = _tree()
    data["dimensions"][0]["points"] = 11  # 4 + 6 ≠ 11
    data["dimensions"][1]["children"][0]["children"][1]["points"] = "很多"
    data["dimensions"][1]["children"].append({"name": "三", "points": 1})  # duplicate
    data["dimensions"].append({"name": "丙", "points": 3})  # a 構面 with no 項目
    with pytest.raises(ProblemsFound) as err:
        rubric_from_dict(data, source="my.yaml")
    text = [p.message for p in err.value.problems]
    assert any("「甲」配分 11，但其下各項配分合計 10" in m for m in text)
    assert any("「很多」" in m for m in text)
    assert any("「三」重複" in m for m in text)
    assert any("構面「丙」" in m for m in text)
    assert len(text) == 4
    assert all(p.file == "my.yaml" for p in err.value.problems)


def test_chinese_keys_and_bands_in_user_yaml(tmp_path: Path) -> None:
    path = tmp_path / "本所.yaml"
    path.write_text("代號: 本所\n等第:\n  - {最低分: 5, 等第名稱: 好}\n  - {最低分: 0, 等第名稱: 差}\n"
                    "構面:\n  - 名稱: 甲\n    細項:\n      - {名稱: 一, 配分: 4分}\n"
                    "      - {名稱: 二, 配分: ６}\n", encoding="utf-8")
    r = load_rubric(path)
    assert (r.name, r.max, r.band(5), r.band(4.9)) == ("本所", 10, "好", "差")


def test_bad_user_yaml(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ndimensions: [\n", encoding="utf-8")
    with pytest.raises(SvcqError, match="YAML 格式錯誤"):
        load_rubric(bad)
    with pytest.raises(SvcqError, match="找不到評分基準"):
        load_rubric("no-such-rubric")
    result = svcq("score", "new", "--rubric", bad, "-o", tmp_path / "x.xlsx")
    assert result.code == 2 and "YAML" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "x.xlsx").exists()
    mismatch = tmp_path / "sum.yaml"
    mismatch.write_text("name: x\ndimensions:\n  - {name: 甲, points: 3, children: [{name: 一, points: 2}]}\n",
                        encoding="utf-8")
    result = svcq("score", "new", "--rubric", mismatch, "-o", tmp_path / "x.xlsx")
    assert result.code == 1 and "配分 3，但其下各項配分合計 2" in result.err
    assert not (tmp_path / "x.xlsx").exists()
