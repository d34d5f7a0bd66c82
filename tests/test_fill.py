"""svcq fill: {{ 路徑 }} placeholders in an office's own form.

Forms are made with openpyxl (and, in test_fill_libreoffice.py, saved by LibreOffice); the
data is the JSON the commands themselves print with --json, and the filled values are read
back and compared with that JSON and with figures worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import files_in, svcq
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.workbook.defined_name import DefinedName
from test_patch import assert_only_cells_changed, members, png_bytes

from toolkit import fill_form
from toolkit.forms.placeholders import PathError, Resolved, fill_text, find, parse_path, resolve, shown
from toolkit.io.patch import read_cells
from toolkit.problems import ProblemsFound, SvcqError

SHEET1 = "xl/worksheets/sheet1.xml"
REPO = Path(__file__).resolve().parents[1]


# -- the commands' own JSON -----------------------------------------------------------------

@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """--json of score compute, survey tally/trend/votes and schedule status on samples/."""
    folder = tmp_path_factory.mktemp("json")
    s = REPO / "samples"
    runs = {
        "score": ["score", "compute", s / "score" / "自評表-113.xlsx"],
        "survey": ["survey", "tally", s / "survey" / "滿意度調查-113.xlsx"],
        "trend": ["survey", "trend", f"112={s / 'survey' / '滿意度調查-112.xlsx'}",
                  f"113={s / 'survey' / '滿意度調查-113.xlsx'}"],
        "votes": ["survey", "votes", s / "survey" / "最佳禮儀服務人員票選-113.xlsx"],
    }
    out = {}
    for name, args in runs.items():
        result = svcq(*args, "--json")
        assert result.code == 0, result.err
        out[name] = folder / f"{name}.json"
        out[name].write_text(result.out, encoding="utf-8")
    master, merged = folder / "管制表.xlsx", folder / "彙整.xlsx"
    assert svcq("schedule", "new", s / "schedule" / "zhongzheng-107-plan.csv", "--year", "107",
                "--office", "中正", "-o", master).code == 0
    assert svcq("schedule", "collect", master, *sorted((s / "schedule" / "returned").glob("*.xlsx")),
                "-o", merged).code == 0
    status = svcq("schedule", "status", merged, "--as-of", "107年6月", "--json")
    assert status.code == 0, status.err
    out["status"] = folder / "status.json"
    out["status"].write_text(status.out, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def data(results: dict[str, Path]) -> dict[str, object]:
    return {name: json.loads(path.read_text(encoding="utf-8")) for name, path in results.items()}


# -- paths and formatting (pure) ------------------------------------------------------------

def test_paths_parse_dots_spaces_brackets_and_full_width() -> None:
    texts = [(s.text, s.position, s.quoted) for s in parse_path("survey.questions.Q5 整體滿意度.satisfaction_rate")]
    assert texts == [("survey", None, False), ("questions", None, False), ("Q5 整體滿意度", None, False),
                     ("satisfaction_rate", None, False)]
    assert [(s.text, s.position, s.quoted) for s in parse_path('votes.ranking[1].name')] == [
        ("votes", None, False), ("ranking", None, False), ("1", 1, False), ("name", None, False)]
    assert [s.text for s in parse_path('survey.questions["Q5. 整體"].mean')] == [
        "survey", "questions", "Q5. 整體", "mean"]
    assert [s.text for s in parse_path("survey.questions[「Q5. 整體」]")][-1] == "Q5. 整體"
    assert [s.text for s in parse_path("ｓｃｏｒｅ．ｔｏｔａｌ")] == ["score", "total"]
    for bad in ("score..total", ".score", "score.", "score[1", "score]x", "score[1]x", "", "score[]"):
        with pytest.raises(PathError) as exc:
            parse_path(bad)
        assert exc.value.code == "fill-bad-placeholder"


def test_find_whole_inline_full_width_and_unpaired_braces() -> None:
    found, problems = find("本所{{ score.total }}分，滿意度｛｛survey.n_respondents｝｝")
    assert [f.path for f in found] == ["score.total", "survey.n_respondents"] and problems == []
    assert [p.code for p in find("{{ score.total")[1]] == ["fill-bad-placeholder"]
    assert [p.code for p in find("{{ }}")[1]] == ["fill-bad-placeholder"]
    assert find("一般文字 {單一大括號}") == ([], [])


@pytest.mark.parametrize(("value", "field", "expected"), [
    (0.9175257731958762, "satisfaction_rate", "91.8%"),
    (0.049, "margin_of_error_95", "4.9%"),
    (0.875, "share", "87.5%"),
    (0.6, "completion", "60.0%"),
    (0.9015544041450777, "rates", "90.2%"),
    (0.06302749196377455, "difference", "+6.3 個百分點"),
    (-0.0037707390648566985, "difference", "−0.4 個百分點"),
    (0.010558317473775511, "p_value", "0.011"),
    (0.0009889, "p_value", "<0.001"),
    (85.5, "total", "85.5"),
    (102.0, "max", "102"),
    (400, "n_respondents", "400"),
    (4.31701030927835, "mean", "4.32"),
    (True, "significant", "是"),
    (False, "below_standard", "否"),
    (None, "completion", ""),
    ("107-06", "as_of", "107年6月"),
    ("2024-02-26", "date", "113年2月26日"),
    (dt.date(2025, 1, 31), "deadline", "114年1月31日"),
    ("1-3", "id", "1-3"),  # only as_of is a year-month; other text stays as written
])
def test_values_read_as_people_write_them(value: object, field: str, expected: str) -> None:
    assert shown(Resolved(value, field)) == expected


def test_rate_field_is_the_last_key_that_is_not_a_number(data: dict[str, object]) -> None:
    rate = resolve("trend.questions.洽公環境.rates.113", data)
    assert rate.field == "rates" and shown(rate) == f"{rate.value * 100:.1f}%"
    changes = resolve("trend.questions.洽公環境.changes.1.difference", data)
    assert changes.field == "difference"


def test_list_items_by_name_field_or_position(data: dict[str, object]) -> None:
    score, survey, votes, status = data["score"], data["survey"], data["votes"], data["status"]
    assert resolve("score.dimensions.基礎服務.score", data).value == 17.5  # samples/score/README
    assert resolve("score.total", data).value == 85.5 == score["total"]
    # 整體滿意度 of 113: (159 非常滿意 + 197 滿意) / 388 answered
    assert resolve("survey.questions.整體滿意度.satisfaction_rate", data).value == pytest.approx(356 / 388)
    assert resolve("survey.questions[9].question", data).value == "整體滿意度"
    assert resolve("survey.n_respondents", data).value == survey["n_respondents"] == 400
    assert resolve("votes.ranking.1.name", data).value == "林美玲" == votes["ranking"][0]["name"]
    assert resolve("votes.ranking.黃淑芬.rank", data).value == 2  # tied second
    leaf = resolve("score.leaves.服務量能/服務精進機制/深化服務量能.score", data)  # a path field
    assert leaf.value == 4.0 == resolve("score.leaves.深化服務量能.score", data).value
    task = next(t for t in status["tasks"] if t["task"] == "清查90歲以上設有戶籍者")
    assert resolve("status.tasks.清查90歲以上設有戶籍者.completion", data).value == task["completion"] == 0.6
    assert resolve("status.summary.by_unit.人事室.late", data).value == status["summary"]["by_unit"]["人事室"]["late"]
    # keys match ignoring case, spaces and width
    assert resolve("SCORE.Dimensions.基礎 服務.Score", data).value == 17.5


@pytest.mark.parametrize(("path", "code", "words"), [
    ("scor.total", "fill-no-data", ["沒有名為「scor」的資料", "--data scor="]),
    ("score.totl", "fill-unknown-path", ["score 中沒有「totl」", "total"]),
    ("score.dimensions.基礎服物.score", "fill-no-item", ["沒有名為「基礎服物」", "基礎服務"]),
    ("score.dimensions.7.score", "fill-no-item", ["只有 6 項", "第 7 項"]),
    ("votes.ranking.0.name", "fill-no-item", ["項次從 1 起算"]),
    ("score.dimensions", "fill-not-a-value", ["6 項的清單", "score.dimensions.基礎服務"]),
    ("score.dimensions.基礎服務", "fill-not-a-value", ["一組資料", "score"]),
    ("survey.questions.整體滿意度.ci95", "fill-not-a-value", ["2 項的清單", "ci95[1]"]),
    ("score.total.x", "fill-unknown-path", ["已是單一值（85.5）"]),
])
def test_problems_name_what_is_wrong(data: dict[str, object], path: str, code: str, words: list[str]) -> None:
    with pytest.raises(PathError) as exc:
        resolve(path, data)
    assert exc.value.code == code
    for word in words:
        assert word in str(exc.value)


def test_same_name_twice_is_ambiguous_not_a_guess() -> None:
    data = {"status": {"tasks": [{"task": "彙整陳報", "completion": 1.0},
                                 {"task": "彙整陳報", "completion": 0.5}]}}
    with pytest.raises(PathError) as exc:
        resolve("status.tasks.彙整陳報.completion", data)
    assert exc.value.code == "fill-ambiguous-item" and "第 1 項、第 2 項" in str(exc.value)
    assert resolve("status.tasks[2].completion", data).value == 0.5
    named_digit = {"x": {"items": [{"name": "2", "v": "a"}, {"name": "1", "v": "b"}]}}
    with pytest.raises(PathError) as exc:
        resolve("x.items.1.v", named_digit)
    assert exc.value.code == "fill-ambiguous-item"
    assert resolve('x.items["1"].v', named_digit).value == "b"
    assert resolve("x.items[1].v", named_digit).value == "a"


def test_fill_text_whole_and_inline(data: dict[str, object]) -> None:
    whole = fill_text("  {{ score.total }} ", data)
    assert whole.whole and whole.value == 85.5 and not whole.problems
    inline = fill_text("自評{{score.total}}分，整體滿意度{{survey.questions.整體滿意度.satisfaction_rate}}", data)
    assert not inline.whole and inline.value == "自評85.5分，整體滿意度91.8%"
    both = fill_text("{{ score.totl }} 與 {{ scor.x }}", data)
    assert [p.code for p in both.problems] == ["fill-unknown-path", "fill-no-data"]  # all, not the first
    date = fill_text("{{ d }}", {"d": "2024-02-26"})
    assert date.value == "113年2月26日"  # a date only where the cell shows dates
    assert fill_text("{{ d }}", {"d": "2024-02-26"}, cell_shows_date=True).value == dt.date(2024, 2, 26)
    assert fill_text("{{ b }}", {"b": True}).value == "是"


# -- forms ----------------------------------------------------------------------------------

def build_form(path: Path, *, extra: dict[str, str] | None = None) -> Path:
    """A county form as openpyxl writes one: whole and inline placeholders, number formats,
    two defined names, a formula, a chart, an image, a comment and a second sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "填報表"
    ws["A1"] = "為民服務考核填報表"
    ws["A3"], ws["B3"] = "自評總分", "{{ score.total }}"
    ws["B3"].number_format = "0.0"
    ws["A4"], ws["B4"] = "整體滿意度", "{{survey.questions.整體滿意度.satisfaction_rate}}"
    ws["B4"].number_format = "0.0%"
    ws["A5"], ws["B5"] = "受訪人數", "{{ survey.n_respondents }}"
    ws["A6"] = "本所整體滿意度為{{survey.questions.整體滿意度.satisfaction_rate}}，共訪問{{ survey.n_respondents }}人。"
    ws["A7"], ws["B7"] = "基礎服務", None  # filled through the name score.dimensions.基礎服務.score
    ws["B7"].number_format = "0.0"
    ws["A8"], ws["B8"] = "服務態度滿意度", None  # filled through the mapped name 態度
    ws["B8"].number_format = "0.0%"
    ws["A9"], ws["B9"] = "兩倍總分", "=B3*2"
    ws["A10"], ws["B10"] = "落後件數", "{{ status.summary.overall.late }}"
    for ref, text in (extra or {}).items():
        ws[ref] = text
    ws["B3"].comment = Comment("由 svcq 填入", "民政局")
    wb.defined_names["score.dimensions.基礎服務.score"] = DefinedName(
        "score.dimensions.基礎服務.score", attr_text="填報表!$B$7")
    wb.defined_names["態度"] = DefinedName("態度", attr_text="填報表!$B$8")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=3, max_row=5))
    ws.add_chart(chart, "E2")
    ws.add_image(Image(io.BytesIO(png_bytes())), "E20")
    other = wb.create_sheet("說明")
    other["A1"] = "本表請於 1 月底前回傳"
    wb.save(path)
    return path


NAMES = {"態度": "survey.questions.服務態度.satisfaction_rate"}
FILLED = {"B3", "B4", "B5", "A6", "B7", "B8", "B10"}


def _data_args(results: dict[str, Path], *names: str) -> list[str]:
    return [arg for name in names for arg in ("--data", f"{name}={results[name]}")]


def test_fill_writes_typed_values_and_keeps_everything_else(tmp_path: Path, results: dict[str, Path],
                                                             data: dict[str, object]) -> None:
    form = build_form(tmp_path / "form.xlsx")
    out = tmp_path / "填報.xlsx"
    run = svcq("fill", form, *_data_args(results, "score", "survey", "status"), "--name", "態度=" + NAMES["態度"],
               "-o", out)
    assert run.code == 0, run.err
    assert "填入 7 格" in run.out
    # every other part byte-identical; workbook.xml gains only the recalculate-on-open flag (B9)
    assert_only_cells_changed(form, out, {SHEET1: FILLED}, allowed_parts={"xl/workbook.xml"})
    old_wb, new_wb = members(form)["xl/workbook.xml"], members(out)["xl/workbook.xml"]
    assert re.sub(rb"<calcPr[^>]*/>", b"", new_wb) == re.sub(rb"<calcPr[^>]*/>", b"", old_wb)
    survey = data["survey"]
    overall = next(q for q in survey["questions"] if q["question"] == "整體滿意度")
    attitude = next(q for q in survey["questions"] if q["question"] == "服務態度")
    got = read_cells(out, [f"填報表!{ref}" for ref in sorted(FILLED)])
    assert got == {
        "填報表!A6": f"本所整體滿意度為{overall['satisfaction_rate'] * 100:.1f}%，共訪問400人。",
        "填報表!B10": data["status"]["summary"]["overall"]["late"],
        "填報表!B3": data["score"]["total"],
        "填報表!B4": overall["satisfaction_rate"],
        "填報表!B5": 400,
        "填報表!B7": 17.5,
        "填報表!B8": attitude["satisfaction_rate"],
    }
    assert got["填報表!A6"] == "本所整體滿意度為91.8%，共訪問400人。"  # 356/388, by hand
    wb = openpyxl.load_workbook(out)
    ws = wb["填報表"]
    assert (ws["B3"].number_format, ws["B4"].number_format, ws["B7"].number_format) == ("0.0", "0.0%", "0.0")
    assert ws["B9"].value == "=B3*2"  # the formula is still there
    assert ws["B3"].comment.text == "由 svcq 填入"
    cells = members(out)[SHEET1].decode()
    b3 = re.search(r'<c r="B3"[^>]*>.*?</c>', cells).group(0)
    assert 't="' not in b3 and "<v>85.5</v>" in b3  # a number cell, not text
    assert 't="inlineStr"' in re.search(r'<c r="A6"[^>]*>.*?</c>', cells).group(0)


def test_text_never_becomes_a_formula(tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    wb = openpyxl.Workbook()
    wb.active["C1"], wb.active["C2"] = "{{ x.text }}", "備註：{{ x.text }}"
    wb.save(form)
    out = tmp_path / "out.xlsx"
    fill_form(form, {"x": {"text": '=HYPERLINK("http://evil")'}}, out)
    sheet = members(out)[SHEET1].decode()
    for ref in ("C1", "C2"):
        cell = re.search(rf'<c r="{ref}"[^>]*>.*?</c>', sheet).group(0)
        assert "<f>" not in cell and 't="inlineStr"' in cell
    assert read_cells(out, ["C1", "C2"]) == {"Sheet!C1": '=HYPERLINK("http://evil")',
                                             "Sheet!C2": '備註：=HYPERLINK("http://evil")'}


def test_problems_are_all_listed_with_sheet_and_cell_and_nothing_is_written(
        tmp_path: Path, results: dict[str, Path]) -> None:
    form = build_form(tmp_path / "form.xlsx", extra={
        "C3": "{{ score.totl }}", "C4": "{{ score.dimensions.基礎服物.score }}", "C5": "{{ score.dimensions }}",
        "C6": "說明 {{ votes.ranking.1.name }}", "C7": "{{ score.total", "C8": "{{ score.dimensions.9.max }}"})
    out = tmp_path / "out"
    out.mkdir()
    before = files_in(tmp_path)
    run = svcq("fill", form, *_data_args(results, "score", "survey", "status"), "--name", "態度=" + NAMES["態度"],
               "-o", out / "填報.xlsx")
    assert run.code == 1
    lines = [line for line in run.err.splitlines() if line.startswith("  - ")]
    assert [line.split("：", 1)[0] for line in lines] == [
        "  - form.xlsx 填報表!C3", "  - form.xlsx 填報表!C4", "  - form.xlsx 填報表!C5",
        "  - form.xlsx 填報表!C6", "  - form.xlsx 填報表!C7", "  - form.xlsx 填報表!C8"]
    assert "score 中沒有「totl」" in lines[0] and "沒有名為「基礎服物」的項目" in lines[1]
    assert "6 項的清單" in lines[2] and "沒有名為「votes」的資料" in lines[3]
    assert "大括號不成對" in lines[4] and "只有 6 項" in lines[5]
    assert "未寫出任何檔案" in run.err
    assert files_in(tmp_path) == before


def test_missing_data_name_and_unknown_mapped_name(tmp_path: Path, results: dict[str, Path]) -> None:
    form = build_form(tmp_path / "form.xlsx")
    run = svcq("fill", form, *_data_args(results, "score"), "--name", "總分=score.total", "-o", tmp_path / "o.xlsx")
    assert run.code == 1
    assert "填報表!B4：「survey.questions.整體滿意度.satisfaction_rate」：沒有名為「survey」的資料" in run.err
    assert "活頁簿中沒有名為「總分」的名稱" in run.err
    assert not (tmp_path / "o.xlsx").exists()


def test_formula_cells_and_range_names_are_refused(tmp_path: Path, data: dict[str, object]) -> None:
    path = tmp_path / "form.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws["A1"] = "{{ score.total }}"
    ws["A2"] = "=A1"  # its cached text would read "{{ score.total }}" once Excel saved it
    wb.defined_names["score.max"] = DefinedName("score.max", attr_text="表!$C$1:$C$3")
    wb.save(path)
    # give A2 the cached value Excel would have stored
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts[SHEET1] = parts[SHEET1].replace(b"<f>A1</f><v /></c>", b"<f>A1</f><v>{{ score.total }}</v></c>").replace(
        b'<c r="A2"', b'<c r="A2" t="str"')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in parts.items():
            zf.writestr(name, blob)
    with pytest.raises(ProblemsFound) as exc:
        fill_form(path, data, tmp_path / "out.xlsx")
    codes = {(p.code, p.cell) for p in exc.value.problems}
    assert ("fill-formula-cell", "A2") in codes
    assert any(p.code == "fill-name-target" and "score.max" in p.message for p in exc.value.problems)
    assert not (tmp_path / "out.xlsx").exists()


def test_list_is_a_dry_run(tmp_path: Path, results: dict[str, Path], data: dict[str, object]) -> None:
    form = build_form(tmp_path / "form.xlsx")
    before = files_in(tmp_path)
    run = svcq("fill", form, *_data_args(results, "score", "survey", "status"), "--name", "態度=" + NAMES["態度"],
               "--list")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0] == "填報表!B3\t{{ score.total }}\t→ 數字 85.5（讀作 85.5，格式 0.0）"
    assert "填報表!B7\t名稱 score.dimensions.基礎服務.score\t→ 數字 17.5（讀作 17.5，格式 0.0）" in lines
    a6 = next(line for line in lines if line.startswith("填報表!A6\t"))
    assert a6.endswith("→ 文字「本所整體滿意度為91.8%，共訪問400人。」")
    assert "通用格式" not in run.err  # B5 is General, but a count is not a rate
    assert files_in(tmp_path) == before
    as_json = svcq("fill", form, *_data_args(results, "score", "survey", "status"), "--name",
                   "態度=" + NAMES["態度"], "--list", "--json").json()
    assert {s["address"]: s["value"] for s in as_json["spots"]}["填報表!B4"] == pytest.approx(356 / 388)
    assert files_in(tmp_path) == before


def test_in_place_keeps_a_backup(tmp_path: Path, data: dict[str, object]) -> None:
    form = build_form(tmp_path / "form.xlsx")
    original = form.read_bytes()
    result = fill_form(form, data, in_place=True, names=NAMES)
    assert result.backup is not None and result.backup.read_bytes() == original
    assert read_cells(form, ["填報表!B3"]) == {"填報表!B3": 85.5}
    with pytest.raises(SvcqError) as exc:
        fill_form(result.backup, data, result.backup, names=NAMES)
    assert exc.value.problem.code == "output-is-input"


def test_sample_county_form_from_the_commands_json(tmp_path: Path, repo: Path, results: dict[str, Path],
                                                   data: dict[str, object]) -> None:
    form = repo / "samples" / "forms" / "民政局考核填報表.xlsx"
    out = tmp_path / "填報.xlsx"
    run = svcq("fill", form, *_data_args(results, "score", "survey", "status", "votes"),
               "--name", "最佳禮儀人員=votes.ranking.1.name", "-o", out, "--json")
    assert run.code == 0, run.err
    filled = {s["address"]: s for s in run.json()["spots"]}
    dims = {d["name"]: d for d in data["score"]["dimensions"]}
    got = read_cells(out, list(filled))
    for i, name in enumerate(dims):
        row = 6 + i
        assert got[f"填報表!C{row}"] == dims[name]["score"] and got[f"填報表!D{row}"] == dims[name]["share"]
    assert got["填報表!C12"] == 85.5 and got["填報表!E2"] == "107年6月"
    assert got["填報表!B17"] == next(q["satisfaction_rate"] for q in data["survey"]["questions"]
                                   if q["question"] == "服務態度")  # through a defined name
    assert got["填報表!B31"] == "林美玲" and got["填報表!A32"] == "得票：52 票（26.0%）"
    assert got["填報表!A20"] == "本年度共訪問 400 人，95% 信賴水準下抽樣誤差為 ±4.9%；整體滿意度 91.8%。"
    late = data["status"]["summary"]["overall"]
    assert [got[f"填報表!B{r}"] for r in range(24, 29)] == [
        late["done"], late["on_track"], late["late"], late["late_without_reason"], late["total"]]
    sheet_refs = {a.split("!")[1] for a in filled}
    assert_only_cells_changed(form, out, {SHEET1: sheet_refs}, allowed_parts={"xl/workbook.xml"})
    for part in ("xl/charts/chart1.xml", "xl/media/image1.png", "xl/comments/comment1.xml",
                 "xl/worksheets/sheet2.xml", "xl/styles.xml"):
        assert members(out)[part] == members(form)[part]


def test_unusable_data_files_exit_2(tmp_path: Path) -> None:
    form = build_form(tmp_path / "form.xlsx")
    bad = tmp_path / "bad.json"
    bad.write_text("{不是 JSON", encoding="utf-8")
    run = svcq("fill", form, "--data", f"score={bad}", "-o", tmp_path / "o.xlsx")
    assert run.code == 2 and "不是有效的 JSON（第 1 行第 2 字" in run.err
    run = svcq("fill", form, "--data", "score.x=a.json", "-o", tmp_path / "o.xlsx")
    assert run.code == 2 and "不可含空白、「.」" in run.err
    run = svcq("fill", form, "--data", f"score={bad}", "--data", f"SCORE={bad}", "--list")
    assert run.code == 2 and "重複" in run.err
    run = svcq("fill", form, "--list", "-o", tmp_path / "o.xlsx")
    assert run.code == 2
    assert not (tmp_path / "o.xlsx").exists()


def test_no_placeholders_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "沒有欄位"
    wb.save(path)
    with pytest.raises(ProblemsFound) as exc:
        fill_form(path, {"score": {"total": 1}}, tmp_path / "o.xlsx")
    assert [p.code for p in exc.value.problems] == ["fill-no-placeholders"]


def test_notes_for_a_rate_in_a_general_cell_text_outside_cells_and_unused_data(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{{ survey.margin_of_error_95 }}"
    ws["A2"].comment = Comment("{{ score.total }} 寫在註解裡", "x")
    ws.oddHeader.center.text = "{{ status.as_of }}"
    wb.save(path)
    plan = fill_form(path, {"survey": {"margin_of_error_95": 0.049}, "votes": {}})
    notes = {p.code: p for p in plan.notes}
    assert notes["fill-rate-in-general-cell"].cell == "A1" and "0.049" in notes["fill-rate-in-general-cell"].message
    assert "資料「votes」" in notes["fill-unused-data"].message
    where = [p.message for p in plan.notes if p.code == "fill-not-in-cell"]
    assert any("註解" in m for m in where) and any("頁首頁尾" in m for m in where)
    assert plan.problems == []


def test_a_date_fills_a_date_cell_and_reads_in_roc_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = "{{ x.deadline }}", "{{ x.deadline }}", "期限：{{ x.deadline }}"
    ws["A1"].number_format = "yyyy/m/d"
    wb.save(path)
    out = tmp_path / "out.xlsx"
    fill_form(path, {"x": {"deadline": "2025-01-31"}}, out)
    got = read_cells(out, ["A1", "A2", "A3"])
    assert got == {"Sheet!A1": dt.date(2025, 1, 31), "Sheet!A2": "114年1月31日", "Sheet!A3": "期限：114年1月31日"}
    assert openpyxl.load_workbook(out).active["A1"].number_format == "yyyy/m/d"


# -- straight from the inputs, through the front door ---------------------------------------

def test_data_straight_from_inputs_equals_the_json_route(tmp_path: Path, results: dict[str, Path]) -> None:
    s = REPO / "samples"
    status = s / "schedule" / "returned" / "戶籍登記課.xlsx"
    status_json = tmp_path / "status.json"
    status_json.write_text(svcq("schedule", "status", status, "--as-of", "107年6月", "--json").out, encoding="utf-8")
    form = REPO / "samples" / "forms" / "民政局考核填報表.xlsx"
    common = ["--name", "最佳禮儀人員=votes.ranking.1.name", "--json"]
    from_inputs = svcq("fill", form, "--data", f"score={s / 'score' / '自評表-113.xlsx'}",
                       "--data", f"survey={s / 'survey' / '滿意度調查-113.xlsx'}",
                       "--data", f"votes={s / 'survey' / '最佳禮儀服務人員票選-113.xlsx'}",
                       "--data", f"status={status}@107-06", "-o", tmp_path / "a.xlsx", *common)
    assert from_inputs.code == 0, from_inputs.out + from_inputs.err
    from_json = svcq("fill", form, *_data_args(results, "score", "survey", "votes"),
                     "--data", f"status={status_json}", "-o", tmp_path / "b.xlsx", *common)
    assert from_json.code == 0, from_json.err
    assert [(x["address"], x["value"]) for x in from_inputs.json()["spots"]] == \
        [(x["address"], x["value"]) for x in from_json.json()["spots"]]
    got = read_cells(tmp_path / "a.xlsx", ["填報表!C12", "填報表!E2", "填報表!B31"])
    assert got == {"填報表!C12": 85.5, "填報表!E2": "107年6月", "填報表!B31": "林美玲"}


def test_trend_and_compare_from_several_files(tmp_path: Path, data: dict[str, object]) -> None:
    s = REPO / "samples"
    path = tmp_path / "form.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "{{ trend.questions.等候時間.rates.113 }}"
    ws["A2"] = "較上年 {{ trend.questions.等候時間.changes.1.difference }}"
    ws["A3"] = "{{ compare.total.diff }}"
    wb.save(path)
    trend = f"112={s / 'survey' / '滿意度調查-112.xlsx'},113={s / 'survey' / '滿意度調查-113.xlsx'}"
    compare = f"{s / 'score' / '自評表-112.xlsx'},{s / 'score' / '自評表-113.xlsx'}"
    result = fill_form(path, {"trend": trend, "compare": compare})
    assert result.problems == [] and result.output is None  # no output: a dry run
    values = {spot.address: spot.value for spot in result.spots}
    waiting = next(q for q in data["trend"]["questions"] if q["question"] == "等候時間")
    assert values["Sheet!A1"] == waiting["rates"]["113"]
    d = waiting["changes"][0]["difference"]
    assert values["Sheet!A2"] == f"較上年 {'+' if d >= 0 else '−'}{abs(d) * 100:.1f} 個百分點"
    assert values["Sheet!A3"] == 85.5 - 79  # samples/score/README: 79 → 85.5


def test_result_objects_are_data_too_and_to_pandas_lists_the_spots(tmp_path: Path) -> None:
    import toolkit as svc

    form = build_form(tmp_path / "form.xlsx")
    score = svc.compute_score(REPO / "samples" / "score" / "自評表-113.xlsx")
    survey = svc.tally(REPO / "samples" / "survey" / "滿意度調查-113.xlsx")
    status = svc.schedule_status(REPO / "samples" / "schedule" / "returned" / "戶籍登記課.xlsx", "107-06")
    result = svc.fill_form(form, {"score": score, "survey": survey, "status": status}, tmp_path / "o.xlsx",
                           names=NAMES)
    assert read_cells(result.output, ["填報表!B3", "填報表!B10"]) == {
        "填報表!B3": score.total, "填報表!B10": status.to_dict()["summary"]["overall"]["late"]}
    frame = result.to_pandas()
    assert frame["address"].tolist() == [s.address for s in result.spots]
    assert frame.set_index("address").loc["填報表!B4", "shown"] == "91.8%"


def test_an_input_needs_a_known_name_and_its_own_problems_stop_the_fill(tmp_path: Path) -> None:
    form = build_form(tmp_path / "form.xlsx")
    score = REPO / "samples" / "score" / "自評表-113.xlsx"
    run = svcq("fill", form, "--data", f"自評={score}", "--list", "--json")
    assert run.code == 2 and run.json()["problems"][0]["code"] == "fill-data-kind"
    blank = tmp_path / "自評表.xlsx"
    assert svcq("score", "new", "-o", blank).code == 0  # every item unscored
    run = svcq("fill", form, "--data", f"score={blank}", "--list")
    assert run.code == 1 and "發現 15 項問題" in run.err
    assert "自評表.xlsx 自評表!E5：「服務一致及正確」尚未評分" in run.err


def test_list_json_is_one_document_even_with_problems(tmp_path: Path, results: dict[str, Path]) -> None:
    form = build_form(tmp_path / "form.xlsx")
    run = svcq("fill", form, *_data_args(results, "score"), "--list", "--json")
    assert run.code == 1
    doc = run.json()
    assert doc["output"] is None and {p["code"] for p in doc["problems"]} == {"fill-no-data"}
    assert {s["address"] for s in doc["spots"] if not s["problems"]} >= {"填報表!B3"}


def test_demo_step_fills_the_sample_form(tmp_path: Path, data: dict[str, object]) -> None:
    from toolkit.demo import DemoContext
    from toolkit.forms import demo

    ctx = DemoContext(REPO / "samples", tmp_path, say=lambda _: None)
    ctx.results.update({"score": data["score"], "survey": data["survey"], "survey_votes": data["votes"],
                        "schedule": data["status"]})
    demo.run(ctx)
    [(title, path)] = ctx.artifacts
    assert path == tmp_path / "forms" / "民政局考核填報表-已填寫.xlsx" and "40 格" in title
    assert read_cells(path, ["填報表!C12", "填報表!B31"]) == {"填報表!C12": 85.5, "填報表!B31": "林美玲"}
