"""Reports: notebooks as stored, HTML helpers, views on contract dicts, render and its errors."""

from __future__ import annotations

import copy
import itertools
import re
import types
from pathlib import Path

import nbformat
import pytest
from helpers import files_in, svcq

from toolkit.inputs import split_label, years_of
from toolkit.problems import ProblemsFound, SvcqError
from toolkit.reports import REPORTS, notebook_path, parse_param, render
from toolkit.reports.html import figure, table
from toolkit.reports.index import index_html
from toolkit.reports.notebook import _cell_error, export, notebook_parameters
from toolkit.schedule import view as sched
from toolkit.score import view as score
from toolkit.survey import view as survey

REPO = Path(__file__).resolve().parents[1]

# ----------------------------------------------------------------- contract-shaped fixtures

STATUS = {
    "office": "臺北市中正區戶政事務所", "year": 107, "as_of": "107-06",
    "tasks": [
        {"id": "1", "project": "為民服務", "unit": "戶籍課", "task": "辦理滿意度調查",
         "planned_months": [3, 4, 5], "actual_months": [3], "completion": 0.3,
         "status": "late", "reason": ""},
        {"id": "2", "project": "為民服務", "unit": "戶籍課", "task": "志工訓練",
         "planned_months": [8], "actual_months": [], "completion": None, "status": "not_due",
         "reason": ""},
        {"id": "3", "project": "資訊", "unit": "資訊課", "task": "網站更新",
         "planned_months": list(range(1, 13)), "actual_months": [1, 2, 3, 4], "completion": 0.4,
         "status": "late", "reason": "人力不足，7月補辦"},
        {"id": "4", "project": "資訊", "unit": "資訊課", "task": "系統演練",
         "planned_months": [2], "actual_months": [2], "completion": 1.0, "status": "done",
         "reason": ""},
    ],
    "summary": {
        "overall": {"done": 1, "late": 2, "on_track": 0, "not_due": 1, "total": 4,
                    "late_without_reason": 1},
        "by_unit": {
            "戶籍課": {"done": 0, "late": 1, "on_track": 0, "not_due": 1, "total": 2,
                    "late_without_reason": 1},
            "資訊課": {"done": 1, "late": 1, "on_track": 0, "not_due": 0, "total": 2,
                    "late_without_reason": 0}}},
}


def _q(name: str, counts: list[int], std: float | None = 0.85) -> dict:
    keys = ["非常滿意", "滿意", "普通", "不滿意", "非常不滿意", "無意見"]
    n = sum(counts)
    sat = (counts[0] + counts[1]) / n
    return {"question": name, "counts": dict(zip(keys, counts, strict=True)), "missing": 1,
            "n_answered": n, "satisfaction_rate": sat, "dissatisfaction_rate":
            (counts[3] + counts[4]) / n, "mean": 4.1, "ci95": [sat - 0.05, sat + 0.04],
            "min_standard": std, "below_standard": None if std is None else sat < std}


TALLY = {"n_respondents": 201, "margin_of_error_95": 0.0691, "population": None,
         "exclude_no_opinion": False, "min_standard": 0.85,
         "questions": [_q("洽公環境", [100, 80, 10, 5, 3, 2]), _q("等候時間", [50, 90, 40, 10, 8, 2])],
         "crosstabs": [{"question": "洽公環境", "by": "性別",
                        "groups": {"男": _q("洽公環境", [50, 40, 5, 2, 2, 1]),
                                   "女": _q("洽公環境", [50, 40, 5, 3, 1, 1])},
                        "chi_square": {"chi2": 0.5, "dof": 4, "p_value": 0.97,
                                       "significant": False, "low_expected_share": 0.4,
                                       "reliable": False}}]}

TREND = {"years": [111, 112, 113], "n_respondents": {"111": 300, "112": 320, "113": 201},
         "questions": [
             {"question": "洽公環境", "rates": {"111": 0.8, "112": 0.85, "113": 0.9},
              "changes": [{"from": 111, "to": 112, "difference": 0.05, "z": 1.6, "p_value": 0.11,
                           "significant": False, "mark": "─"},
                          {"from": 112, "to": 113, "difference": 0.05, "z": 2.0, "p_value": 0.045,
                           "significant": True, "mark": "▲"}]},
             {"question": "等候時間", "rates": {"112": 0.8, "113": 0.7},
              "changes": [{"from": 112, "to": 113, "difference": -0.1, "z": -2.5,
                           "p_value": 0.012, "significant": True, "mark": "▼"}]}]}

SCORE = {"rubric": "penghu-107", "total": 84.5, "max": 102,
         "dimensions": [{"name": "基礎服務", "max": 20, "score": 18},
                        {"name": "服務遞送", "max": 30, "score": 25},
                        {"name": "執行計畫訂定核備情形", "max": 2, "score": 2}],
         "leaves": [{"path": ["基礎服務", "服務禮貌"], "max": 10, "score": 8, "lost": 2},
                    {"path": ["服務遞送", "服務便捷"], "max": 10, "score": 6.5, "lost": 3.5}],
         "gaps": [{"path": ["服務遞送", "服務便捷"], "max": 10, "score": 6.5, "lost": 3.5},
                  {"path": ["基礎服務", "服務禮貌"], "max": 10, "score": 8, "lost": 2}],
         "problems": []}

COMPARE = {"rubric": "penghu-107", "labels": ["112", "113"], "max": 102,
           "total": {"scores": [80, 84.5], "diff": 4.5},
           "dimensions": [{"name": "基礎服務", "max": 20, "scores": [17, 18], "diff": 1},
                          {"name": "服務遞送", "max": 30, "scores": [26, 25], "diff": -1}],
           "leaves": [{"path": ["服務遞送", "服務便捷"], "max": 10, "scores": [7.5, 6.5],
                       "diff": -1},
                      {"path": ["基礎服務", "服務禮貌"], "max": 10, "scores": [8, 8], "diff": 0}]}


def rows_of(html: str, caption_part: str) -> list[list[str]]:
    """Cell texts of the table whose caption contains ``caption_part``."""
    for tab in re.findall(r"<table.*?</table>", html, flags=re.S):
        cap = re.search(r"<caption>(.*?)</caption>", tab, flags=re.S)
        if cap and caption_part in cap.group(1):
            body = tab.split("<tbody>")[1]
            return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr)
                    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)]
    raise AssertionError(f"no table captioned {caption_part!r}")


# ------------------------------------------------------------------------------- notebooks

@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_notebook_stored_clean_with_one_parameters_cell(kind: str) -> None:
    nb = nbformat.read(notebook_path(kind), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code), "outputs stored"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code"
    # papermill must see every parameter (it skips lines it cannot parse, e.g. two "=")
    names = set(notebook_parameters(notebook_path(kind)))
    assert "inputs" in names and len(names) == len(re.findall(r"^\w+ = ", tagged[0].source, re.M))
    for cell in code:
        # the notebook only arranges toolkit calls: no statistics, no Excel, no pandas
        imports = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", cell.source, flags=re.M)
        assert all(m.split(".")[0] == "toolkit" for m in imports), imports
        assert not re.search(r"openpyxl|xlsxwriter|calamine|scipy|pandas|\.mean\(|sum\(",
                             cell.source)


# ---------------------------------------------------------------------------- html helpers

def test_table_has_caption_and_scoped_headers_and_escapes() -> None:
    html = table(["題目", "n"], [["<b>=SUM(A1)</b>", 3]], caption="摘要", numeric=[1])
    assert "<caption>摘要</caption>" in html
    assert '<th scope="col">題目</th>' in html and '<th scope="row">&lt;b&gt;' in html
    assert "<b>" not in html and '<td class="num">3</td>' in html


def test_figure_is_accessible_svg_with_text_kept_as_text() -> None:
    from toolkit.reports import charts

    fig1 = charts.score_bars(["基礎服務"], [18], [20], title="各構面得分")
    fig2 = charts.score_bars(["基礎服務"], [18], [20], title="各構面得分")
    a, b = figure(fig1, "基礎服務 18/20"), figure(fig2, "第二張")
    assert '<svg role="img" aria-label="基礎服務 18/20"' in a
    assert "<title>基礎服務 18/20</title>" in a and "<?xml" not in a and "<metadata" not in a
    assert re.search(r"<text[^>]*>各構面得分</text>", a), "text must stay text (fonttype none)"
    assert "Microsoft JhengHei" in a and "Noto Sans CJK TC" in a
    ids_a = set(re.findall(r'id="([^"]+)"', a))
    assert ids_a and not ids_a & set(re.findall(r'id="([^"]+)"', b)), "ids must be unique"
    for ref in re.findall(r"url\(#([^)]+)\)", a):
        assert ref in ids_a


# ------------------------------------------------------------------------------------ views

def test_schedule_views_put_late_first_and_flag_missing_reasons() -> None:
    late = rows_of(sched.late_table(STATUS), "落後工作項目")
    assert [r[0] for r in late] == ["1", "3"]
    assert late[0][-1] == "（未填寫）" and late[1][-1] == "人力不足，7月補辦"
    assert late[0][4] == "3-5" and late[1][6] == "40%"
    units = rows_of(sched.unit_table(STATUS), "各課室")
    assert units[-1] == ["全所合計", "2", "0", "1", "1", "4", "1"]
    overview = sched.overview(STATUS)
    assert "落後 2 項" in overview and "1 項落後工作尚未填寫" in overview
    gantt = sched.gantt(STATUS)
    assert gantt.count('role="img"') == 2
    assert "資訊課預定與實際作業月份甘特圖，共 2 項工作" in gantt and "落後項目：3 網站更新" in gantt
    everything = rows_of(sched.all_tasks(STATUS), "全部工作項目")
    assert [r[-1] for r in everything] == ["落後", "落後", "未到期", "已完成"]


def test_survey_views_show_rates_flags_trend_and_comments() -> None:
    summary = rows_of(survey.summary_table(TALLY), "各題滿意度摘要")
    assert summary[0][:3] == ["洽公環境", "200", "90.0%"]
    assert summary[1][2] == "70.0%" and summary[1][-1] == "85%（未達）"
    likert = survey.likert_chart(TALLY)
    assert "洽公環境 90.0%、等候時間 70.0%" in likert
    assert rows_of(likert, "填答次數")[0] == ["洽公環境", "100", "80", "10", "5", "3", "2", "1"]
    flags = survey.standard_flags(TALLY)
    assert "1 題未達最低標準" in flags and "等候時間：70.0%，最低標準 85%（差 15.0 個百分點）" in flags
    cross = survey.crosstabs(TALLY)
    assert "差異不顯著" in cross and "僅供參考" in cross
    trend = survey.trend_section(TREND, 0.85)
    rows = rows_of(trend, "歷年滿意度")
    assert rows[0] == ["洽公環境", "80.0%", "85.0%", "90.0%",
                       "112→113年 +5.0 個百分點（p = 0.045）"]
    assert rows[1][1] == "—" and "−10.0 個百分點" in rows[1][-1]
    assert "洽公環境 80.0%→85.0%→90.0%（113年變化顯著）" in trend
    comments = survey.comments([
        {"column": "建議", "cell": "回覆!K5", "row": 5, "text": "=HYPERLINK(\"x\") <script>"},
        {"column": "建議", "cell": "回覆!K6", "row": 6, "text": "停車位 不足"},
        {"column": "建議", "cell": "回覆!K9", "row": 9, "text": "停車位\u3000不足"}])
    assert "&lt;script&gt;" in comments and "<script>" not in comments
    assert rows_of(comments, "建議（3 則，2 種意見）") == [["停車位 不足", "2", "K6、K9"],
                                                  ['=HYPERLINK(&quot;x&quot;) &lt;script&gt;', "1", "K5"]]


def test_survey_flags_nothing_when_no_standard() -> None:
    tally = copy.deepcopy(TALLY)
    for q in tally["questions"]:
        q["min_standard"], q["below_standard"] = None, None
    assert "未設定最低標準" in survey.standard_flags(tally)
    assert "最低標準" not in rows_of(survey.summary_table(tally), "摘要")[0][-1]


def test_score_views_rank_gaps_and_compare() -> None:
    dims = rows_of(score.dimensions(SCORE), "各構面自評分數")
    assert dims[0] == ["基礎服務", "20", "18", "90.0%", "2"]
    assert dims[-1] == ["總分", "102", "84.5", "82.8%", "17.5"]
    gaps = rows_of(score.gaps(SCORE), "失分排序")
    assert [g[1] for g in gaps] == ["服務遞送 › 服務便捷", "基礎服務 › 服務禮貌"]
    cmp = score.comparison(COMPARE)
    assert rows_of(cmp, "各構面得分")[-1] == ["總分", "102", "80", "84.5", "+4.5"]
    changed = rows_of(cmp, "分數有變動")
    assert changed == [["服務遞送 › 服務便捷", "10", "7.5", "6.5", "−1"]]
    assert "總分 80 → 84.5（+4.5）" in cmp
    assert score.comparison(None) == ""


def test_phone_views_equal_compute_json_of_the_sample() -> None:
    from toolkit.score import phone_view as phone

    sample = REPO / "samples" / "score" / "電話禮貌測試-113.xlsx"
    expected = svcq("score", "compute", sample, "--json").json()
    data = phone.load(sample)
    calls = rows_of(phone.calls(data), "各通電話得分")
    assert [(r[0], r[-2], r[-1]) for r in calls] == [
        (c["label"], f"{c['total']:g}", c["band"]) for c in expected["calls"]]
    assert "平均 84.33" in phone.calls(data) and "平均分數" in phone.header(data)
    dims = rows_of(phone.dimensions(data), "各構面平均")
    assert [r[2] for r in dims] == [f"{round(d['score'], 2):g}" for d in expected["dimensions"]]
    with pytest.raises(SvcqError, match="不是逐通評分"):
        phone.load(REPO / "samples" / "score" / "自評表-113.xlsx")


# ---------------------------------------------------------------------------- inputs, params

def test_parse_param_types_values_like_papermill() -> None:
    assert parse_param("year=113") == ("year", 113)
    assert parse_param("min_standard=0.85") == ("min_standard", 0.85)
    assert parse_param("as_of=107-06") == ("as_of", "107-06")
    assert parse_param("by=[性別, 年齡]") == ("by", ["性別", "年齡"])
    assert parse_param("office=臺北市中正區戶政事務所")[1] == "臺北市中正區戶政事務所"
    with pytest.raises(SvcqError, match="名稱=值"):
        parse_param("as_of")


def test_labels_and_years(tmp_path: Path) -> None:
    assert split_label("113=a.xlsx") == ("113", Path("a.xlsx"))
    assert split_label("dir/a=b.xlsx") == (None, Path("dir/a=b.xlsx"))
    assert years_of(["111=x.csv", "調查-112.xlsx"]) == {111: Path("x.csv"), 112: Path("調查-112.xlsx")}
    with pytest.raises(SvcqError, match="年度"):
        years_of(["data.xlsx"])


def test_unknown_param_and_missing_input_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ProblemsFound, match="找不到此檔案"):
        render("schedule", [tmp_path / "x.xlsx"], {"colour": "red"}, tmp_path / "r.html")
    sheet = REPO / "samples" / "schedule" / "returned" / "戶籍登記課.xlsx"
    with pytest.raises(SvcqError, match=r"沒有參數 colour.*可用的參數：as_of、office"):
        render("schedule", [sheet], {"colour": "red"}, tmp_path / "r.html")
    r = svcq("report", "survey", tmp_path / "none.xlsx", "-o", tmp_path / "r.html")
    assert r.code == 1 and "none.xlsx：找不到此檔案" in r.err and "Traceback" not in r.err
    r = svcq("report", "score", "a.xlsx", "b.xlsx", "c.xlsx", "-o", tmp_path / "r.html")
    assert r.code == 2 and "收到 3 個檔案" in r.err
    r = svcq("report", "schedule", sheet, "-o", tmp_path / "r.pdf")
    assert r.code == 2 and ".html" in r.err
    r = svcq("report", "minutes", sheet, "-o", tmp_path / "r.html")
    assert r.code == 2 and "schedule" in r.err
    assert files_in(tmp_path) == []


def test_cell_errors_name_the_cell_and_keep_their_meaning() -> None:
    nb = Path("survey_report.ipynb")
    problems = types.SimpleNamespace(
        exec_count=3, ename="ProblemsFound",
        evalue="發現 2 項問題，未寫出任何檔案：\n  - a.xlsx 回覆!C4：「很好」不是選項\n  - a.xlsx 回覆!C9：空白")
    err = _cell_error(nb, problems)
    assert isinstance(err, ProblemsFound) and len(err.problems) == 2
    assert "（survey_report 第 3 格）" in str(err) and "回覆!C9：空白" in str(err)
    other = _cell_error(nb, types.SimpleNamespace(exec_count=5, ename="KeyError",
                                                  evalue="\x1b[0;31m'服務態度'\x1b[0m"))
    assert isinstance(other, SvcqError)
    assert str(other) == "報告 notebook survey_report.ipynb 第 5 格（In [5]）執行失敗：KeyError: '服務態度'"


def test_export_is_offline_zh_hant_without_code() -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("secret_code_line()")
    cell.outputs = [nbformat.v4.new_output("display_data", {"text/html": "<h1>進度報告 &amp; 摘要</h1>",
                                                            "text/plain": "x"}),
                    nbformat.v4.new_output("stream", name="stderr", text="UserWarning: noise")]
    how_to = nbformat.v4.new_markdown_cell("使用說明")
    how_to.metadata["tags"] = ["remove-cell"]
    nb.cells = [how_to, cell]
    page = export(nb, title="備用標題")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-Hant">' in page
    assert "<title>進度報告 &amp; 摘要</title>" in page
    assert "secret_code_line" not in page and "noise" not in page and "使用說明" not in page
    assert "<script" not in page and "<link" not in page
    assert not re.findall(r"(?:src|href)=[\"']?(?:https?:)?//", page)
    assert "@page" in page and "A4" in page


def test_index_links_every_artifact(tmp_path: Path) -> None:
    (tmp_path / "survey").mkdir()
    (tmp_path / "survey" / "統計.xlsx").write_bytes(b"x" * 2048)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "r.html").write_text("x")
    page = index_html(tmp_path, [("113年統計", tmp_path / "survey" / "統計.xlsx"),
                                 ("進度 <報告>", tmp_path / "reports" / "r.html")])
    assert '<html lang="zh-Hant">' in page and "<title>" in page
    assert '<a href="survey/統計.xlsx">113年統計</a>' in page and "2 KB" in page
    assert page.index("<h2>HTML 報告</h2>") < page.index("<h2>滿意度調查</h2>")
    assert "進度 &lt;報告&gt;" in page and "<h2>自評評分</h2>" not in page
    assert "<script" not in page


# ------------------------------------------------------------------- rendering, end to end

@pytest.fixture(scope="module")
def survey_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("report") / "滿意度報告.html"
    src = REPO / "samples" / "survey"
    r = svcq("report", "survey", f"112={src / '滿意度調查-112.xlsx'}", src / "滿意度調查-113.xlsx",
             "--param", f"questionnaire={src / 'questionnaire.yaml'}", "--param", "by=[性別]",
             "--param", "office=臺北市中正區戶政事務所", "-o", out)
    assert r.code == 0, r.err
    return out, out.read_text(encoding="utf-8")


def test_survey_report_renders_every_section(survey_page: tuple[Path, str]) -> None:
    path, page = survey_page
    assert "<title>臺北市中正區戶政事務所113年度滿意度調查分析報告</title>" in page
    heads = re.findall(r"<h([1-6])", page)
    assert heads[0] == "1" and heads.count("1") == 1
    assert all(int(b) - int(a) <= 1 for a, b in itertools.pairwise(heads))
    for section in ("各題滿意度摘要", "滿意程度分布", "最低標準檢核", "交叉分析", "歷年趨勢", "意見彙整"):
        assert f">{section}</h2>" in page or f">{section}<a" in page, section
    assert page.count("<caption>") == page.count("<table")
    assert page.count('role="img"') == 2 and "report.summary_table" not in page
    assert path.stat().st_mode & 0o044 == 0o044  # readable by colleagues, unlike a temp file


def test_bad_input_inside_the_notebook_names_cell_and_file(tmp_path: Path) -> None:
    bad = tmp_path / "回覆.xlsx"
    bad.write_text("這不是活頁簿", encoding="utf-8")
    r = svcq("report", "survey", bad, "-o", tmp_path / "r.html")
    assert r.code in (1, 2) and "Traceback" not in r.err
    assert "survey_report" in r.err and "第 4 格" in r.err and "回覆.xlsx" in r.err  # after the setup cell
    assert files_in(tmp_path) == ["回覆.xlsx"]
