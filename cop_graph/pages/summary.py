"""Page data shared by the web app and the CLI: plain dicts built from named queries.

A page and its JSON twin, and ``cop-graph stats``, all show the same numbers because they
are built here once.
"""

from __future__ import annotations

from dataclasses import asdict

from cop_graph import queries
from cop_graph.queries.catalogue import list_graphs

__all__ = ["summary"]

_COUNTS = ("communities", "people", "organisations", "places", "practices")


def summary(store) -> dict:
    """Counts of things, the size of the store, its named graphs and whether demo data is in.

    >>> from cop_graph.store import open_store
    >>> summary(open_store("memory:"))["counts"]["communities"]
    0
    """
    row = queries.run(store, "count_things").dicts()[0]
    graphs = [asdict(record) for record in list_graphs(store)]
    return {
        "counts": {name: int(row[name]) for name in _COUNTS},
        "triples": store.count(),
        "graphs": graphs,
        "illustrative": any(graph["illustrative"] for graph in graphs),
    }
