"""Notebook → self-contained HTML: papermill executes, nbconvert exports, one process.

The notebooks in ``notebooks/`` take their inputs from a cell tagged ``parameters``;
``render`` injects the user's inputs and ``--param`` values, runs the notebook headless, and
exports the outputs only (no code) through the ``svcq`` template (lang="zh-Hant", our print
stylesheet, no script, nothing fetched). The page is written atomically: a failing cell
leaves no HTML behind.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import importlib
import logging
import os
import re
import sys
import threading
from collections.abc import Awaitable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from toolkit import __version__, progress
from toolkit.families import REPORTS
from toolkit.inputs import split_label
from toolkit.io.atomic import atomic_output, check_output_path
from toolkit.problems import Problem, ProblemsFound, SvcqError
from toolkit.reports.lab import RENDERING
from toolkit.shipped import shipped

if TYPE_CHECKING:  # nbformat, papermill and nbconvert load only when a report is rendered
    import nbformat

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"


def notebook_path(kind: str) -> Path:
    if kind not in REPORTS:
        raise SvcqError(f"沒有「{kind}」這種報告；可用：{'、'.join(REPORTS)}", code="report-kind")
    path = shipped("notebooks") / REPORTS[kind].notebook
    if not path.is_file():
        raise SvcqError(f"找不到報告 notebook {path}；svcq 的安裝可能不完整，請重新安裝",
                        code="report-notebook")
    return path


def parse_param(text: str) -> tuple[str, Any]:
    """``k=v`` from the command line; the value is read as YAML (``113`` → int, ``0.85`` →
    float, ``[a, b]`` → list) so notebooks get typed parameters, as papermill's ``-p`` does."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key.isidentifier():
        raise SvcqError(f"參數「{text}」格式不對，請寫成 名稱=值（例如 as_of=113-06）",
                        code="report-param")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    if isinstance(value, dt.date):  # YAML reads 2024-06-01 as a date; notebooks want text
        value = raw.strip()
    return key, value


def notebook_parameters(path: Path) -> dict[str, Any]:
    """Names and defaults of the notebook's ``parameters`` cell."""
    _skip_iri_grammar()
    from papermill.inspection import inspect_notebook

    return dict(inspect_notebook(str(path)))


def resolve_inputs(kind: str, inputs: Sequence[str | Path]) -> list[str]:
    """Check the inputs exist (one message per missing file) and make them absolute; a
    ``label=path`` input (year labels for trends and comparisons) keeps its label."""
    lo, hi = REPORTS[kind].inputs
    if not lo <= len(inputs) <= (hi if hi is not None else len(inputs)):
        raise SvcqError(f"{REPORTS[kind].title}需要{REPORTS[kind].usage}，收到 {len(inputs)} 個檔案",
                        code="report-inputs")
    resolved, problems = [], []
    for item in map(str, inputs):
        label, path = split_label(item)
        p = path.expanduser()
        if not p.is_file():
            problems.append(Problem("missing-input", "找不到此檔案", str(p)))
            continue
        resolved.append(f"{label}={p.resolve()}" if label else str(p.resolve()))
    if problems:
        raise ProblemsFound(problems)
    return resolved


def render(kind: str, inputs: Sequence[str | Path], params: Mapping[str, Any] | None = None,
           dst: str | Path = "report.html", *, timeout: int = 300) -> Path:
    """Execute the ``kind`` notebook on ``inputs`` with ``params`` and write ``dst``."""
    nb_path = notebook_path(kind)
    files = resolve_inputs(kind, inputs)  # cheap checks first: no kernel for a typo
    check_output_path([f.rpartition("=")[2] for f in files], dst)
    with kernel(nb_path.parent) as km:
        return _render(kind, nb_path, files, dict(params or {}), dst, timeout, km)


def _render(kind: str, nb_path: Path, files: list[str], params: dict[str, Any],
            dst: str | Path, timeout: int, km: Any) -> Path:
    allowed = notebook_parameters(nb_path)
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        names = "、".join(k for k in allowed if k != "inputs")
        raise SvcqError(f"報告「{kind}」沒有參數 {'、'.join(unknown)}；可用的參數：{names}",
                        code="report-param")
    params = {k: _absolute_if_file(v) for k, v in params.items()}
    return render_notebook(nb_path, {"inputs": files, **params}, dst,
                           title=REPORTS[kind].title, timeout=timeout, km=km)


def _absolute_if_file(value: Any) -> Any:
    """A parameter naming a file the user can see (relative to where they run svcq) is made
    absolute, since the notebook runs in its own folder."""
    if isinstance(value, str) and value and Path(value).expanduser().is_file():
        return str(Path(value).expanduser().resolve())
    return value


def render_notebook(nb_path: Path, parameters: Mapping[str, Any], dst: str | Path, *,
                    title: str, timeout: int = 300, km: Any = None) -> Path:
    """Execute ``nb_path`` with ``parameters`` and write its HTML to ``dst`` atomically."""
    dst = Path(dst)
    progress.step(f"執行報告 notebook {nb_path.name}…")
    nb = execute(nb_path, parameters, timeout=timeout, km=km)
    progress.step(f"匯出 HTML {dst.name}…")
    page = export(nb, title=title)
    with atomic_output(dst) as tmp:
        tmp.write_text(page, encoding="utf-8")
        tmp.chmod(0o644)  # a report is shared: not the 0600 of a temporary file
    return dst


def _skip_iri_grammar() -> None:
    """jsonschema (under nbformat) imports ``rfc3987_syntax`` when installed, only to check
    the "iri" format no notebook uses; that module compiles a grammar on import, which costs
    seconds per report. Marking it absent makes jsonschema skip that one format checker."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


#: the kernel's own log (e.g. "running over TCP") is not the user's business; no history db
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]


@contextmanager
def kernel(cwd: Path) -> Iterator[Any]:
    """A kernel launched now, so that it boots while papermill and nbconvert load (about a
    second of each report); shut down on exit whatever happened. Inside a running event loop
    (render called from a notebook) papermill starts its own kernel instead."""
    from jupyter_client.kernelspec import NoSuchKernel
    from jupyter_client.manager import AsyncKernelManager

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        yield None
        return
    km = AsyncKernelManager(kernel_name="python3")
    try:
        # the notebooks' lab.setup() sees it: under svcq report an error stays an error
        env = {**os.environ, RENDERING: "1"}
        asyncio.run(_wait(km.start_kernel(cwd=str(cwd), extra_arguments=KERNEL_ARGS, env=env)))
    except NoSuchKernel:
        raise SvcqError("找不到 Jupyter 的 python3 kernel；請在專案資料夾執行 make，或執行 "
                        "python -m ipykernel install --sys-prefix", code="no-kernel") from None
    try:
        yield km
    finally:
        asyncio.run(_wait(km.shutdown_kernel(now=True)))


def execute(nb_path: Path, parameters: Mapping[str, Any], *, timeout: int = 300,
            km: Any = None) -> nbformat.NotebookNode:
    """Run the notebook headless (in ``km``'s kernel, or a fresh one); a failing cell →
    SvcqError naming it."""
    _skip_iri_grammar()
    import papermill
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.WARNING)
    # nbconvert (needed right after) loads while the kernel works: one import less to wait for
    loader = threading.Thread(target=importlib.import_module, args=("nbconvert",), daemon=True)
    loader.start()
    previous = os.environ.get(RENDERING)
    os.environ[RENDERING] = "1"  # for the kernel papermill starts itself when km is None
    try:
        done: nbformat.NotebookNode = papermill.execute_notebook(
            str(nb_path), None, parameters=dict(parameters), kernel_name="python3",
            progress_bar=False, cwd=str(nb_path.parent), execution_timeout=timeout,
            extra_arguments=KERNEL_ARGS, km=km)
    except PapermillExecutionError as exc:
        raise _cell_error(nb_path, exc) from None
    finally:
        if previous is None:
            del os.environ[RENDERING]
        else:
            os.environ[RENDERING] = previous
    return done


async def _wait(step: Awaitable[Any]) -> Any:
    """asyncio.run takes a coroutine; jupyter_client's kernel calls are typed as awaitables."""
    return await step


def _cell_error(nb_path: Path, exc: Any) -> Exception:
    """The notebook's own error, named by its cell. Input problems raised by the toolkit
    inside the notebook keep their meaning (ProblemsFound → exit 1, SvcqError → exit 2)."""
    where = f"報告 notebook {nb_path.name} 第 {exc.exec_count} 格（In [{exc.exec_count}]）"
    evalue = _strip_ansi(str(exc.evalue))
    if exc.ename == "ProblemsFound":
        lines = [ln.strip()[2:] for ln in evalue.splitlines() if ln.strip().startswith("- ")]
        short = f"（{nb_path.stem} 第 {exc.exec_count} 格）"
        return ProblemsFound([Problem("report-input", f"{ln}{short}") for ln in lines]
                             or [Problem("report-input", f"{where}：{evalue}")])
    if exc.ename == "SvcqError":
        return SvcqError(f"{where}：{evalue}", code="report-input")
    return SvcqError(f"{where}執行失敗：{exc.ename}: {evalue}", code="report-cell")


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def export(nb: nbformat.NotebookNode, *, title: str) -> str:
    """Outputs only, through the svcq template; the page title is the report's first <h1>."""
    _skip_iri_grammar()
    from nbconvert import HTMLExporter

    nb = _without_noise(nb)
    from traitlets.config import Config

    config = Config()
    # cells tagged remove-cell (how-to notes for JupyterLab users) stay out of the report
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    exporter = HTMLExporter(  # type: ignore[no-untyped-call]
        config=config, template_name="svcq", extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    resources = {
        "svcq_css": (TEMPLATES / "svcq" / "svcq.css").read_text(encoding="utf-8"),
        "svcq_footer": f"由 svcq {__version__} 於 {dt.datetime.now():%Y-%m-%d %H:%M} 產生",
        "metadata": {"name": title},
    }
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, flags=re.S)
    if h1:
        text = html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))).replace("¶", "").strip()
        page = re.sub(r"<title>.*?</title>", f"<title>{html.escape(text)}</title>", page,
                      count=1, flags=re.S)
    return page


def _without_noise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop stderr streams (warnings) and cell metadata papermill adds; the page shows only
    what the notebook displays on purpose."""
    import nbformat

    nb = nbformat.from_dict(nb)  # type: ignore[no-untyped-call]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    return nb
