"""Page data shared by the web app and the CLI: plain dicts built from named queries.

A page and its JSON twin, and ``cop-graph stats``, all show the same numbers because they
are built here once, from one scope: the public one unless a caller asks for another, so
private parts and half-made (staging) graphs are never counted or listed.
"""

from __future__ import annotations

from dataclasses import asdict

from cop_graph import queries
from cop_graph.queries.catalogue import list_graphs
from cop_graph.scope import Scope

__all__ = ["summary"]

_COUNTS = ("communities", "people", "organisations", "places", "practices")


def summary(store, scope: Scope | None = None) -> dict:
    """Counts of things, how many facts, the named graphs and whether demo data is in.

    Everything is counted in ``scope`` (default: :meth:`Scope.public`): things in its graphs
    about things, facts in all its graphs, and only its graphs are listed.

    >>> from cop_graph.store import open_store
    >>> summary(open_store("memory:"))["counts"]["communities"]
    0
    """
    scope = scope if scope is not None else Scope.public(store)
    row = queries.run(store, "count_things", scope=scope.about_things()).dicts()[0]
    records = [record for record in list_graphs(store) if record.graph in scope]
    # sizes as recorded when each graph was written (counting a large store takes seconds);
    # a graph without a record (the catalogue itself) is counted
    recorded = {record.graph: record.triples for record in records}
    graphs = [asdict(record) for record in records]
    return {
        "counts": {name: int(row[name]) for name in _COUNTS},
        "triples": sum(recorded.get(str(g)) or store.count(g) for g in scope.graphs),
        "graphs": graphs,
        "illustrative": any(graph["illustrative"] for graph in graphs),
    }
