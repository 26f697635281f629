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

__all__ = ["ontology_graph", "ontology_native", "shapes_graph"]


@cache
def shapes_graph() -> Graph:
    """The trusted shapes, read once from ``shapes/*.ttl`` (never from data)."""
    return _as_graph(*_parsed(tuple(resources.shapes_files())))


@cache
def ontology_graph() -> Graph:
    """The ontology and concept schemes, read once: class hierarchy and fixed individuals."""
    return _as_graph(*_parsed(tuple(resources.ontology_files())))


def ontology_native() -> tuple[ox.Triple, ...]:
    """:func:`ontology_graph`'s statements in pyoxigraph's terms, for the checks' staging
    store: a command that loads or checks data needs no rdflib graph of the ontology."""
    return _parsed(tuple(resources.ontology_files()))[0]


@cache
def _parsed(paths: tuple) -> tuple[tuple[ox.Triple, ...], dict[str, str]]:
    """The files' statements and prefixes, parsed by pyoxigraph.

    Every command reads the ontology and the shapes once (the checks need them): rdflib's
    own Turtle parser took 0.28 s of the 0.5 s a command spent before its work, pyoxigraph's
    takes a hundredth of that.
    """
    triples: list[ox.Triple] = []
    prefixes: dict[str, str] = {}
    for path in paths:
        parsed = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
        triples += (quad.triple for quad in parsed)
        prefixes.update(parsed.prefixes)
    return tuple(triples), prefixes


def _as_graph(triples: tuple[ox.Triple, ...], prefixes: dict[str, str]) -> Graph:
    graph = Graph()
    graph.addN((*(to_rdflib(term) for term in triple), graph) for triple in triples)
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace)
    return graph
