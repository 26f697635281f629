"""What anonymous visitors may read: the public scope, through named queries only.

Every page, search answer, picture and download of the browser reads the store through
:class:`PublicData`, which runs named queries in :meth:`Scope.public
<cop_graph.scope.Scope.public>` (the same graphs the SPARQL endpoint serves), so none of them
can reach a private graph by accident, and none needs to test a person's consent itself.

It is also where a deployment's choice to hide invented data is made: with
``show_illustrative`` off (``COP_GRAPH_SHOW_ILLUSTRATIVE=false``), the graphs the catalogue
records as illustrative (the demo, workbooks of made-up examples) are left out of what pages
read, so lists, search, the home page's counts and map, pictures and analyses all leave them
out together. The SPARQL endpoint and the dumps still serve them, marked.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef
from rdflib.term import Node

from cop_graph import queries
from cop_graph.queries.catalogue import list_graphs
from cop_graph.scope import Scope, is_private, private_graph_of

__all__ = ["PublicData", "illustrative_graphs"]


def illustrative_graphs(store) -> list[URIRef]:
    """The graphs the catalogue records as illustrative, each followed by its private part."""
    graphs = [URIRef(r.graph) for r in list_graphs(store) if r.illustrative]
    both = (part for g in graphs if not is_private(g) for part in (g, private_graph_of(g)))
    return list(dict.fromkeys([*both, *graphs]))


class PublicData:
    """Named queries run over the public graphs only, plus a stamp that changes with the data.

    ``stamp`` is read from the catalogue (which graphs exist, when each was written, how big):
    anything cached under it is rebuilt after an import, a reload or a removal. ``cache`` (a
    :class:`~cop_graph.pages.cache.StampedCache` shared by requests) keeps what every page
    needs, such as the set of invented things, from being read again for each one.
    """

    def __init__(self, store, *, show_illustrative: bool = True, cache=None):
        self.store = store
        #: everything visitors may read, the catalogue of graphs included
        self.scope = Scope.public(store)
        if not show_illustrative:
            self.scope = self.scope.without(illustrative_graphs(store))
        #: whether invented data is shown at all
        self.show_illustrative = show_illustrative
        #: what pages read: facts about things and the vocabulary naming them (not the
        #: catalogue, nor the rules for checking data; fewer graphs also make queries faster)
        self.pages = self.scope.about_things()
        self._stamp: str | None = None
        self._cache = cache
        self._invented: frozenset[str] | None = None

    @property
    def stamp(self) -> str:
        if self._stamp is None:
            answer = queries.run(self.store, "page_catalogue_stamp", scope=self.scope)
            self._stamp = str(answer.scalar() or "")
        return self._stamp

    def invented(self) -> frozenset[str]:
        """The things (IRIs as text) marked ``cop:illustrative true`` in what pages read."""
        if self._invented is None:
            if self._cache is None:
                self._invented = self._read_invented()
            else:
                key = ("invented", self.show_illustrative)
                self._invented = self._cache.get(self.stamp, key, self._read_invented)
        return self._invented

    def _read_invented(self) -> frozenset[str]:
        return frozenset(row["thing"] for row in self.text_rows("page_illustrative_things"))

    def shows_invented(self) -> bool:
        """Whether any graph pages read is recorded as illustrative (the banner's question)."""
        return any(
            record.illustrative and record.graph in self.scope for record in list_graphs(self.store)
        )

    def rows(self, name: str, **bindings: Node) -> list[dict[str, Node]]:
        """The answer of the SELECT query ``name`` as dicts (unbound values left out)."""
        return queries.run(self.store, name, scope=self.pages, **bindings).dicts()

    def text_rows(self, name: str, **bindings: Node) -> list[dict[str, str]]:
        """:meth:`rows` as text: each IRI, literal's text or blank node id (unbound values
        left out), for readers of large answers that need nothing else (the search index,
        the lists): making rdflib terms would cost them more than the query."""
        answer = queries.run(self.store, name, scope=self.pages, raw=True, **bindings)
        variables = answer.variables
        return [
            {
                column: term.value
                for column, term in zip(variables, row, strict=True)
                if term is not None
            }
            for row in answer
        ]

    def labels(self, things: Iterable[URIRef]) -> dict[str, str]:
        """The names of ``things`` (one small query each: a handful of things is asked for)."""
        names = {}
        for thing in things:
            for row in self.rows("page_thing_label", thing=thing):
                names[str(thing)] = str(row["label"])
        return names
