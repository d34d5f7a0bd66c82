"""docs/architecture.md stays true: every module of toolkit/ is in its module map, and every
module the map names exists."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _map() -> str:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    return text.split("## Module map", 1)[1].split("```text", 1)[1].split("```", 1)[0]


def _listed() -> set[str]:
    """Module paths in the map: a line starting with ``name/`` opens a package at its indent;
    the leading ``*.py`` words of a line are modules of the package it is indented under."""
    found: set[str] = set()
    stack: list[tuple[int, str]] = []  # (indent, package name)
    for line in _map().splitlines():
        words = line.split()
        if not words:
            continue
        indent = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        packages = [name for _, name in stack][1:]  # below toolkit/
        if words[0].endswith("/"):
            stack.append((indent, words[0].rstrip("/")))
            continue
        for word in words:
            if not word.endswith(".py"):
                break
            found.add("/".join([*packages, word]))
    return found


def test_module_map_matches_the_tree() -> None:
    actual = {str(p.relative_to(REPO / "toolkit")) for p in (REPO / "toolkit").rglob("*.py")
              if "__pycache__" not in p.parts}
    listed = _listed()
    actual -= {m for m in actual if m.endswith("/__init__.py") and m not in listed}  # a package's own
    assert sorted(actual - listed) == [], "modules missing from docs/architecture.md"
    assert sorted(listed - actual) == [], "docs/architecture.md names modules that do not exist"
