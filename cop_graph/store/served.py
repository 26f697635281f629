"""The store owner's side of the SPARQL 1.1 protocols: what a running server answers to the
programs that work through it (see :mod:`cop_graph.store.owner`).

``web/store_api.py`` adapts these functions to HTTP; the client is the ordinary
:class:`~cop_graph.store.remote.RemoteStore`, so everything a command does through a server is
exactly what it would do with a remote SPARQL server, and both are tested alike. Only what that
client sends is answered:

- a query (``query``, ``default-graph-uri``, ``named-graph-uri``): SELECT and ASK answers as
  SPARQL JSON results, CONSTRUCT and DESCRIBE as N-Triples. With no default graph named, the
  default graph is the union of all graphs (as the oxigraph server's
  ``--union-default-graph``);
- an update: one SPARQL Update, atomic;
- the graph store: read one graph as N-Triples, or add N-Triples to one graph (all or nothing).

Answers are read from the app's store as it reads for its pages (the copy in memory when it
keeps one), and writes go through the store's own write path, so the disk and the copy stay
alike and the app's caches, keyed on the catalogue, see a change at once. Taking turns with
the app's own writes is the caller's job (the web app holds its write lock).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import pyoxigraph as ox

from cop_graph.errors import QueryError, StoreError
from cop_graph.store.base import Store
from cop_graph.store.oxigraph import OxigraphStore

__all__ = [
    "GRAPH_MEDIA_TYPE",
    "InvalidRequest",
    "RESULTS_MEDIA_TYPE",
    "add_ntriples",
    "answer_query",
    "graph_exists",
    "graph_ntriples",
    "run_update",
]

RESULTS_MEDIA_TYPE = "application/sparql-results+json"
GRAPH_MEDIA_TYPE = "application/n-triples"
_BATCH = 5_000


class InvalidRequest(QueryError):
    """The request itself is wrong (a query or update that does not parse, unreadable data)."""


def answer_query(
    store: Store,
    query: str,
    default_graphs: Iterable[str] = (),
    named_graphs: Iterable[str] = (),
) -> tuple[bytes, str]:
    """The answer to ``query`` as bytes, and their media type."""
    options: dict = {}
    defaults = [_graph(name) for name in default_graphs]
    if defaults:
        options["default_graph"] = defaults
    else:
        options["use_default_graph_as_union"] = True
    named = [_graph(name) for name in named_graphs]
    if named:
        options["named_graphs"] = named
    try:
        result = _native(store).query(query, **options)
        if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
            return result.serialize(format=ox.QueryResultsFormat.JSON), RESULTS_MEDIA_TYPE
        return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES), GRAPH_MEDIA_TYPE
    except SyntaxError as error:
        raise InvalidRequest(str(error)) from error
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryError(f"the query cannot be run: {error}") from error


def run_update(store: Store, update: str) -> None:
    """Apply one SPARQL Update, atomically, to the disk and the copy in memory alike."""
    try:
        _embedded(store)._update(update)
    except SyntaxError as error:
        raise InvalidRequest(str(error)) from error
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryError(f"the update cannot be applied: {error}") from error


def graph_exists(store: Store, name: str) -> bool:
    return _native(store).contains_named_graph(_graph(name))


def graph_ntriples(store: Store, name: str) -> Iterator[bytes]:
    """The triples of graph ``name`` as N-Triples, a batch at a time, for a streamed answer."""
    quads = _native(store).quads_for_pattern(None, None, None, _graph(name))
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    while batch := list(itertools.islice(triples, _BATCH)):
        yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)


def add_ntriples(store: Store, name: str, source: BinaryIO) -> int:
    """Add the N-Triples read from ``source`` to graph ``name``; how many were read.

    The upload is read in full before anything is written, so an upload that breaks off or
    does not parse adds nothing.
    """
    graph = _graph(name)
    try:
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(source, ox.RdfFormat.N_TRIPLES)
        ]
    except SyntaxError as error:
        raise InvalidRequest(f"the data sent for {name} is not valid N-Triples: {error}") from error
    _embedded(store)._insert_native(quads)
    return len(quads)


def _graph(name: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(name)
    except ValueError as error:
        raise InvalidRequest(f"{name!r} is not a graph name (an IRI): {error}") from error


def _embedded(store: Store) -> OxigraphStore:
    if not isinstance(store, OxigraphStore):
        raise StoreError(
            "only an embedded store can be worked on through the app; this app's store is "
            f"at {store.location}"
        )
    return store


def _native(store: Store) -> ox.Store:
    return _embedded(store).reader
