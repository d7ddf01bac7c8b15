"""The layering of docs/architecture.md: every import points down, and apps form no cycle.

The contract itself is in pyproject.toml ([tool.importlinter]); `lint-imports` runs it in
scripts/test. Imports inside functions count like any other (grimp finds them all).
"""

from __future__ import annotations

import sys
import textwrap
import tomllib
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def app_graph(graph: grimp.ImportGraph, package: str) -> dict[str, set[str]]:
    """Which app imports which: ``{"atlas": {"teams", ...}}`` (top-level modules included,
    by their own name)."""
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        source = module.split(".")[1] if "." in module else module
        for imported in graph.find_modules_directly_imported_by(module):
            target = imported.split(".")[1] if "." in imported else imported
            if target != source and imported.startswith(package + "."):
                edges.setdefault(source, set()).add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk, each as the apps along it."""
    found: list[list[str]] = []
    state: dict[str, str] = {}

    def walk(node: str, path: list[str]) -> None:
        state[node] = "open"
        for following in sorted(edges.get(node, ())):
            if state.get(following) == "open":
                found.append([*path[path.index(following) :], following])
            elif following not in state:
                walk(following, [*path, following])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            walk(node, [node])
    return found


def test_the_layers_contract_is_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True, no_logo=True) == 0


def declared_exceptions() -> list[tuple[str, str]]:
    """The contract's ``ignore_imports``, as (importer, imported) module names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    pairs = []
    for contract in config["contracts"]:
        for line in contract.get("ignore_imports", []):
            importer, imported = (part.strip() for part in line.split("->"))
            pairs.append((importer, imported))
    return pairs


def test_no_cycle_between_apps():
    graph = grimp.build_graph("citywatch", cache_dir=None)
    for importer, imported in declared_exceptions():
        graph.remove_import(importer=importer, imported=imported)
    edges = app_graph(graph, "citywatch")
    assert "evidence" in edges and edges["evidence"] == {"core"}
    assert cycles(edges) == []


@pytest.fixture
def two_apps(tmp_path, monkeypatch):
    """A package whose lower app imports the upper one inside a function only."""
    package = tmp_path / "layered"
    (package / "upper").mkdir(parents=True)
    (package / "lower").mkdir()
    for folder in (package, package / "upper", package / "lower"):
        (folder / "__init__.py").write_text("")
    (package / "upper" / "views.py").write_text("from layered.lower import models\n")
    (package / "lower" / "models.py").write_text(
        textwrap.dedent(
            """
            def page():
                from layered.upper import views
                return views
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "layered"
    for name in [name for name in sys.modules if name.startswith("layered")]:
        del sys.modules[name]


def test_an_import_inside_a_function_counts(two_apps):
    graph = grimp.build_graph(two_apps, cache_dir=None)
    edges = app_graph(graph, two_apps)
    assert edges == {"upper": {"lower"}, "lower": {"upper"}}
    assert cycles(edges) == [["lower", "upper", "lower"]]
