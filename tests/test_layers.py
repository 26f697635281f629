"""The package's import graph: arrows point one way (down the layers) and never go round.

The layers are listed in ``layers.txt`` beside this file. Imports made only for type
checking (under ``if TYPE_CHECKING:``) are left out: they are not run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_FOLDERS = {"cop_graph": ROOT / "cop_graph", "cop_graph.web": ROOT / "web"}


def _layers() -> list[tuple[str, list[str]]]:
    layers = []
    for line in (Path(__file__).with_name("layers.txt")).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, members = line.partition(":")
            layers.append((name.strip(), members.split()))
    return layers


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (``cop_graph.web`` lives in ``web/``)."""
    found = {}
    for package, folder in PACKAGE_FOLDERS.items():
        for path in folder.rglob("*.py"):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join([package, *parts])
            if package == "cop_graph" and name.startswith("cop_graph.web"):
                continue
            found[name] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports when it runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _is_type_checking(node)
        for inner in ast.walk(node)
    }
    is_package = path.name == "__init__.py"
    targets = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.add(full if full in modules else base)
    return {t for t in targets if t in modules and t != name}


def _layer_of(module: str, layers) -> int:
    best, rank = None, None
    for index, (_, members) in enumerate(layers):
        for member in members:
            inside = module == member or module.startswith(member + ".")
            if inside and (best is None or len(member) > len(best)):
                best, rank = member, index
    if rank is None:
        raise AssertionError(f"{module} is in no layer of layers.txt")
    return rank


@pytest.fixture(scope="module")
def import_graph() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for target in _imports(name, path, modules):
            # importing a package runs its __init__; a package importing its own modules
            # is how packages work, not an arrow back up
            if not name.startswith(target + "."):
                graph.add_edge(name, target)
    return graph


def test_every_module_is_in_a_layer(import_graph):
    layers = _layers()
    for module in import_graph:
        _layer_of(module, layers)


def test_no_module_imports_from_a_layer_above_it(import_graph):
    layers = _layers()
    wrong = [
        f"{source} ({layers[_layer_of(source, layers)][0]}) imports {target} "
        f"({layers[_layer_of(target, layers)][0]})"
        for source, target in import_graph.edges
        if _layer_of(target, layers) > _layer_of(source, layers)
    ]
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycles(import_graph):
    cycles = [" -> ".join(cycle) for cycle in nx.simple_cycles(import_graph)]
    assert not cycles, "\n".join(sorted(cycles)[:20])


def test_the_checks_see_a_wrong_arrow():
    """The layer rule is not vacuous: an arrow from the store up to the pages is caught."""
    layers = _layers()
    assert _layer_of("cop_graph.pages.display", layers) > _layer_of("cop_graph.store.base", layers)
    assert _layer_of("cop_graph.web.state", layers) == len(layers) - 1
