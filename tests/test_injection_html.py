"""HTML reports escape user text: a survey comment `<script>` or a header that tries to
close an attribute shows as text and adds no element or attribute to the page."""

from __future__ import annotations

import csv
from html.parser import HTMLParser

from helpers import svcq

LABELS = ["非常滿意", "滿意", "普通", "不滿意", "非常不滿意"]
SCRIPT = "<script>alert('意見')</script>"
BREAKOUT = '"><img src=x onerror=alert(2)>服務態度'


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def test_survey_report_escapes_comments_and_headers(tmp_path):
    data = tmp_path / "回覆.csv"
    rows = [["編號", "性別", BREAKOUT, "等候時間", "其他意見或建議"]]
    for i in range(24):
        rows.append([i + 1, "男" if i % 2 else "女", LABELS[i % 5], LABELS[(i + 2) % 5],
                     SCRIPT if i % 2 else "=1+1"])
    with data.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / "報告.html"
    result = svcq("report", "survey", f"113={data}", "-o", out)
    assert result.code == 0, result.err
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    text = "".join(page.text)
    assert SCRIPT in text, "the comment is not shown as text"
    assert BREAKOUT in text, "the header is not shown as text"
    assert not any("alert(" in s for s in page.scripts), "user text ran as a script"
    assert not any(tag == "img" and attrs.get("src") == "x" for tag, attrs in page.tags)
    assert not any("onerror" in attrs for _, attrs in page.tags), "user text added an attribute"
