"""``out/index.html``: one page linking every file the demo (or a user's batch) wrote."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from html import escape
from pathlib import Path

from toolkit import __version__
from toolkit.io.atomic import atomic_output
from toolkit.reports.notebook import TEMPLATES

KIND_NAMES = {".html": "HTML 報告", ".xlsx": "Excel 活頁簿", ".ods": "OpenDocument 試算表",
              ".csv": "CSV 文字檔", ".json": "JSON 資料", ".yaml": "YAML 設定"}


def _size(path: Path) -> str:
    n = path.stat().st_size if path.exists() else 0
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} B"


#: Sections of the index, by the sub-folder a step writes to; reports first.
FOLDERS = {"reports": "HTML 報告", "schedule": "作業時程管制表", "survey": "滿意度調查",
           "score": "自評評分", "forms": "填寫表單", "templates": "空白範本"}


def _group(out: Path, path: Path) -> str:
    rel = Path(os.path.relpath(path, out)).parts
    folder = rel[0] if len(rel) > 1 else ""
    return FOLDERS.get(folder, folder or "其他")


def index_html(out: Path, artifacts: Sequence[tuple[str, Path]], *,
               title: str = "svcq 示範成果") -> str:
    groups: dict[str, list[tuple[str, Path]]] = {name: [] for name in FOLDERS.values()}
    for name, path in artifacts:
        groups.setdefault(_group(out, Path(path)), []).append((name, Path(path)))
    groups = {k: v for k, v in groups.items() if v}
    sections = []
    for head, items in groups.items():
        lis = []
        for name, path in items:
            href = Path(os.path.relpath(path, out)).as_posix()
            kind = KIND_NAMES.get(path.suffix.lower(), path.suffix.lstrip(".").upper() or "檔案")
            lis.append(f'<li><a href="{escape(href)}">{escape(name)}</a> '
                       f'<span class="svcq-kind">（{kind}，{_size(path)}）</span></li>')
        sections.append(f"<section><h2>{escape(head)}</h2><ul>{''.join(lis)}</ul></section>")
    css = (TEMPLATES / "svcq" / "svcq.css").read_text(encoding="utf-8")
    stamp = f"由 svcq {__version__} 於 {dt.datetime.now():%Y-%m-%d %H:%M} 產生"
    return (f'<!DOCTYPE html>\n<html lang="zh-Hant">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f"<title>{escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n"
            f'<body class="svcq-index">\n<main>\n<h1>{escape(title)}</h1>\n'
            f"<p>共 {len(artifacts)} 個檔案。HTML 報告可直接以瀏覽器開啟或列印（A4）；"
            f"Excel 活頁簿可用 Excel 或 LibreOffice 開啟。</p>\n"
            + "\n".join(sections)
            + f'\n</main>\n<footer class="svcq-footer"><p>{escape(stamp)}</p></footer>\n'
              "</body>\n</html>\n")


def write_index(out: str | Path, artifacts: Sequence[tuple[str, Path]], *,
                title: str = "svcq 示範成果") -> Path:
    out = Path(out)
    dst = out / "index.html"
    with atomic_output(dst) as tmp:
        tmp.write_text(index_html(out, artifacts, title=title), encoding="utf-8")
        tmp.chmod(0o644)
    return dst
