"""The trusted ontology and shapes, read once from the package's own Turtle files.

Validation, the workbook's drop-down lists and the importer's look-ups all need the class
hierarchy and the fixed individuals; reading them here, below every layer that uses them,
keeps one copy per process and keeps the shapes away from uploaded data.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox
from rdflib import Graph

from cop_graph import resources
from cop_graph.files.terms import to_rdflib

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
    """The files as one rdflib graph, with their prefixes, parsed by pyoxigraph.

    Every command reads the ontology and the shapes once (the checks need them): rdflib's
    own Turtle parser took 0.28 s of the 0.5 s a command spends before its work, pyoxigraph's
    takes a hundredth of that.
    """
    graph = Graph()
    for path in paths:
        parsed = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
        graph.addN((*(to_rdflib(term) for term in quad.triple), graph) for quad in parsed)
        for prefix, namespace in parsed.prefixes.items():
            graph.bind(prefix, namespace)
    return graph
