"""The shape of the code: no module of the web app imports one that imports it back (imports inside
functions included: they hide a circle, they do not remove it), and the engine never imports Django."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, anywhere in it, as absolute names."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)   # `from . import jobs`
    return found


def graph(package: str) -> dict[str, set[str]]:
    files = {module_name(p): p for p in (REPO / package).rglob("*.py") if "migrations" not in p.parts}
    return {name: {m for m in imports_of(path) if m in files and m != name} for name, path in files.items()}


def cycle_in(edges: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the modules along it, or None."""
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                return trail[trail.index(nxt):] + [node, nxt] if nxt in trail else [node, nxt]
            if nxt not in state and (found := visit(nxt, trail + [node])):
                return found
        state[node] = "done"
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start, [])):
            return found
    return None


def test_the_cycle_finder_finds_a_circle():
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) is not None
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_module_of_the_web_app_imports_one_that_imports_it_back():
    circle = cycle_in(graph("melodify_web"))
    assert circle is None, "import circle: " + " -> ".join(circle)


def test_no_module_of_the_engine_imports_one_that_imports_it_back():
    circle = cycle_in(graph("melodify"))
    assert circle is None, "import circle: " + " -> ".join(circle)


def test_the_engine_never_imports_django_or_the_web_app():
    offenders = {}
    for path in (REPO / "melodify").rglob("*.py"):
        bad = {m for m in imports_of(path) if m.split(".")[0] in ("django", "rest_framework", "celery")
               or m.startswith("melodify_web") and module_name(path) != "melodify.cli"}
        if bad:
            offenders[module_name(path)] = sorted(bad)
    assert not offenders, offenders
