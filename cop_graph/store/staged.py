"""Facts waiting in a pyoxigraph store in memory, to be written without becoming rdflib terms.

A checked load parses its files into a staging store (:mod:`cop_graph.ingest.staged_load`),
checks them there and splits off people's private facts there. Handing the result to
:meth:`Store.commit <cop_graph.store.base.Store.commit>` as rdflib triples would convert a
million facts twice (to rdflib and back), which costs more than the engine's own write. A
:class:`StagedTriples` is what a :class:`~cop_graph.store.base.Change` puts instead: the embedded
store copies its quads across in pyoxigraph's terms; any other backend iterates it as
rdflib triples, as it would any other graph.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from cop_graph.files.terms import Triple, to_rdflib

__all__ = ["StagedTriples"]


class StagedTriples:
    """The triples of ``graph`` in the pyoxigraph ``store`` (read when written, not before)."""

    def __init__(self, store: ox.Store, graph: ox.NamedNode):
        self.store = store
        self.graph = graph

    def native(self) -> Iterator[ox.Triple]:
        """The triples in pyoxigraph's terms."""
        for quad in self.store.quads_for_pattern(None, None, None, self.graph):
            yield quad.triple

    def __iter__(self) -> Iterator[Triple]:
        for triple in self.native():
            yield to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)

    def __len__(self) -> int:
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, self.graph))

    def __bool__(self) -> bool:
        quads = self.store.quads_for_pattern(None, None, None, self.graph)
        return next(iter(quads), None) is not None
