"""Which graphs a query may see: the public dataset, narrowed by what the request asks for.

The endpoint always hands the engine an explicit list of graphs. Whatever the query text
says (``GRAPH ?g``, ``FROM``, ``FROM NAMED``, property paths, ``DESCRIBE``), the engine
can only read graphs from that list, so a private graph (people's names without consent,
contact details) is out of reach by construction, not by inspecting the query's patterns.
Which graphs are public is decided by :meth:`cop_graph.scope.Scope.public`, the same list
pages, dumps and analyses read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cop_graph.sparql.guard import Inspection, RefusedQuery

__all__ = ["Dataset", "choose"]


@dataclass(frozen=True)
class Dataset:
    """The graphs merged into the default graph, and those ``GRAPH`` can name."""

    default_graph: tuple[str, ...]
    named_graphs: tuple[str, ...]


def choose(
    inspection: Inspection,
    public: Iterable[str],
    default_graph_uris: Iterable[str] = (),
    named_graph_uris: Iterable[str] = (),
) -> Dataset:
    """The dataset a query runs on.

    Without any dataset in the request, the default graph is the union of the public graphs
    and every public graph can be named. A ``FROM`` or ``FROM NAMED`` in the query must name
    a public graph, or the query is refused (so ``FROM <file:…>`` or ``FROM <http://…>``
    never makes the server read anything). The protocol's ``default-graph-uri`` and
    ``named-graph-uri`` take precedence over the query's own clauses, as the SPARQL 1.1
    Protocol says: the query's clauses are then not read at all, so they are not checked
    either, and a graph named in the parameters that the store does not publish is simply
    empty (the engine is given the dataset explicitly: nothing else is ever read).

    >>> from cop_graph.sparql.guard import inspect
    >>> public = ["https://example.org/a", "https://example.org/b"]
    >>> choose(inspect("ASK {}"), public).default_graph
    ('https://example.org/a', 'https://example.org/b')
    >>> choose(inspect("ASK {}"), public, ["https://example.org/b/private"])
    Dataset(default_graph=(), named_graphs=())
    >>> unknown = inspect("ASK FROM <https://example.org/elsewhere> {}")
    >>> choose(unknown, public, (), ["https://example.org/a", "https://example.org/c"])
    Dataset(default_graph=(), named_graphs=('https://example.org/a',))
    """
    public = list(public)
    allowed = set(public)
    default_graph_uris, named_graph_uris = list(default_graph_uris), list(named_graph_uris)
    if default_graph_uris or named_graph_uris:
        return Dataset(
            tuple(iri for iri in default_graph_uris if iri in allowed),
            tuple(iri for iri in named_graph_uris if iri in allowed),
        )
    for iri in (*inspection.from_graphs, *inspection.from_named):
        if iri not in allowed:
            raise RefusedQuery(
                f"The query asks for the graph <{iri}>, which is not one of this endpoint's "
                "public graphs; it only reads its own data (the graphs are listed in the "
                "dataset description at /.well-known/void)."
            )
    if inspection.from_graphs or inspection.from_named:
        return Dataset(inspection.from_graphs, inspection.from_named)
    return Dataset(tuple(public), tuple(public))
