"""The layers of the package, enforced: who may import whom, and no import circles.

The layers, from the top (a module may import its own layer and the layers below it):

    cli                      edition.cli, edition.cli_support, edition.__main__
    build / serve            edition.build, edition.serve, edition.scaffold, edition.review
    wings                    edition.ingest, edition.collate, edition.validate, edition.render,
                             edition.citation (below render: render may use it, not the reverse)
    tei                      edition.tei (everything that knows TEI and is shared)
    base                     edition.project, edition.tomlcheck, edition.failures, edition.diagnostics, edition.codes, edition.fsutil,
                             edition.ledger, edition.httppool,
                             edition.resources, edition (the version)

Wings do not import each other (but render → citation). The imports are read with ``ast``,
as click's own import test does, so a module that is never imported by the suite is checked too;
an import inside a function counts like one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "edition"

LAYERS = {
    "cli": 5, "cli_support": 5, "__main__": 5,
    "build": 4, "serve": 4, "scaffold": 4, "review": 4,
    "ingest": 3, "collate": 3, "validate": 3, "render": 3, "citation": 3,
    "tei": 2,
    "project": 1, "tomlcheck": 1, "failures": 1, "diagnostics": 1, "codes": 1, "fsutil": 1, "resources": 1, "ledger": 1, "httppool": 1, "signals": 1, "": 1,
}
WINGS = {"ingest", "collate", "validate", "render", "citation"}
# The one import between wings that the layering allows: render formats citations.
WING_IMPORTS = {("render", "citation")}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """The ``edition`` modules a file imports (``from a import b`` counts as ``a.b`` when that is a module)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {m for m in found if m == "edition" or m.startswith("edition.")}


def all_modules() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py") if "data" not in p.relative_to(PACKAGE).parts}
    graph = {}
    for name, path in modules.items():
        graph[name] = {m for m in imports_of(path) if m in modules and m != name}
    return graph


def area(module: str) -> str:
    """The top-level area of a module: ``edition.render.pdf.layout`` → ``render``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


GRAPH = all_modules()


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in GRAPH if area(m) not in LAYERS)
    assert not unplaced, f"modules in no layer (add them to LAYERS here and in the README): {unplaced}"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_go_down_the_layers(module):
    here = area(module)
    wrong = []
    for imported in sorted(GRAPH[module]):
        there = area(imported)
        if there == here:
            continue
        if LAYERS[there] > LAYERS[here]:
            wrong.append(f"{imported} (layer {there} is above {here})")
        elif here in WINGS and there in WINGS and (here, there) not in WING_IMPORTS:
            wrong.append(f"{imported} (wing {here} may not import wing {there})")
    assert not wrong, f"{module} imports " + "; ".join(wrong)


def test_no_import_circles():
    """Tarjan's strongly connected components over the module graph: every one is a single module."""
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not circles, f"import circles: {circles}"


def test_a_package_importing_its_own_submodule_is_no_circle_only_when_the_submodule_does_not_import_back():
    # A package's __init__ importing its submodules is how packages are built; the circle test
    # above must still see a submodule that imports its package back (the pdf/__init__ ↔ volume
    # circle was of that kind). Prove the graph keeps such edges.
    assert "edition.render.pdf.volume" in GRAPH["edition.render.pdf"]
    assert "edition.render.pdf" not in GRAPH["edition.render.pdf.volume"]


def test_the_layer_reader_sees_relative_and_nested_imports(tmp_path):
    sample = PACKAGE / "render" / "pdf" / "__init__.py"
    assert "edition.render.pdf.layout" in imports_of(sample)


def test_every_registered_renderer_imports_and_is_callable():
    """A renamed or moved renderer fails here, instead of making the suite skip its checks."""
    import importlib

    from edition.build import RENDERERS

    for name, target in RENDERERS:
        module, _, function = target.partition(":")
        assert callable(getattr(importlib.import_module(module), function)), f"{name}: {target}"
