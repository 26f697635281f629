"""The demo repeated with its own things renamed in each copy, for benchmarks that need more
data shaped like a coordinator's (imports, validation).

Only the things the demo itself describes are renamed (``…-copyN``); the places, roles and
steps it links to stay shared, so every copy is checked against the same reference data.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from cop_graph import resources

__all__ = ["reference_graph", "renamed_copies", "replicated_demo"]


def reference_graph() -> Graph:
    """The GM reference data the demo links to."""
    graph = Graph()
    for path in resources.reference_files():
        graph.parse(path)
    return graph


def renamed_copies(copies: int) -> Graph:
    """The demo ``copies`` times, its own things renamed in each copy."""
    demo = Graph()
    for path in resources.demo_files():
        demo.parse(path)
    own = {s for s in demo.subjects(unique=True) if isinstance(s, URIRef)}
    own -= set(reference_graph().subjects(unique=True))
    out = Graph()
    for copy in range(copies):
        renamed = {s: URIRef(f"{s}-copy{copy}") for s in own}
        for s, p, o in demo:
            out.add((renamed.get(s, s), p, renamed.get(o, o)))
    return out


def replicated_demo(copies: int, destination: Path) -> int:
    """Write :func:`renamed_copies` to ``destination`` as N-Triples; the number of facts."""
    graph = renamed_copies(copies)
    graph.serialize(destination, format="nt")
    return len(graph)
