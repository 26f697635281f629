"""Open the store a setting names: a folder (embedded, on disk), ``memory:``, or a SPARQL URL."""

from __future__ import annotations

from cop_graph.store.base import (
    CATALOGUE,
    Change,
    QueryResult,
    RawAnswer,
    RawSolutions,
    RawTriples,
    SelectResult,
    Store,
)

__all__ = [
    "CATALOGUE",
    "Change",
    "QueryResult",
    "RawAnswer",
    "RawSolutions",
    "RawTriples",
    "SelectResult",
    "Store",
    "open_store",
]


def open_store(
    location: str, *, query_timeout: float | None = None, memory_reads: bool = False
) -> Store:
    """The store at ``location``.

    ``memory:`` gives an empty in-memory store; an ``http(s)://`` URL a remote SPARQL 1.1
    server (its query endpoint; engine, other addresses and credentials from the
    ``COP_GRAPH_STORE_*`` settings; see :mod:`cop_graph.store.remote`); anything else is the
    folder of an embedded on-disk store, created when missing. ``query_timeout`` (seconds)
    is how long a remote server may take over one query; the embedded stores have none of
    their own (the SPARQL endpoint stops their queries itself). ``memory_reads`` makes an
    on-disk store answer queries from a copy in memory (see :mod:`cop_graph.store.oxigraph`).
    """
    if location == "memory:":
        from cop_graph.store.oxigraph import OxigraphStore

        return OxigraphStore(None)
    if location.startswith(("http://", "https://")):
        from cop_graph.store.remote import open_remote

        return open_remote(location, query_timeout=query_timeout)
    from cop_graph.store.oxigraph import OxigraphStore

    return OxigraphStore(location, memory_reads=memory_reads)
