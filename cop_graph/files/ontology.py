"""The trusted ontology and shapes, read once from the package's own Turtle files.

Validation, the workbook's drop-down lists and the importer's look-ups all need the class
hierarchy and the fixed individuals; reading them here, below every layer that uses them,
keeps one copy per process and keeps the shapes away from uploaded data.
"""

from __future__ import annotations

from functools import cache

from rdflib import Graph

from cop_graph import resources

__all__ = ["ontology_graph", "shapes_graph"]


@cache
def shapes_graph() -> Graph:
    """The trusted shapes, read once from ``shapes/*.ttl`` (never from data)."""
    return _read_turtle(resources.shapes_files())


@cache
def ontology_graph() -> Graph:
    """The ontology and concept schemes, read once: class hierarchy and fixed individuals."""
    return _read_turtle(resources.ontology_files())


def _read_turtle(paths) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph
