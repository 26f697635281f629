"""What anonymous visitors may read: the public scope, through named queries only.

Every page, search answer, picture and download of the browser reads the store through
:class:`PublicData`, which runs named queries in :meth:`Scope.public
<cop_graph.scope.Scope.public>` (the same graphs the SPARQL endpoint serves), so none of them
can reach a private graph by accident, and none needs to test a person's consent itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef
from rdflib.term import Node

from cop_graph import queries
from cop_graph.scope import Scope

__all__ = ["PublicData"]


class PublicData:
    """Named queries run over the public graphs only, plus a stamp that changes with the data.

    ``stamp`` is read from the catalogue (which graphs exist, when each was written, how big):
    anything cached under it is rebuilt after an import, a reload or a removal.
    """

    def __init__(self, store):
        self.store = store
        #: everything visitors may read, the catalogue of graphs included
        self.scope = Scope.public(store)
        #: what pages read: facts about things and the vocabulary naming them (not the
        #: catalogue, nor the rules for checking data; fewer graphs also make queries faster)
        self.pages = self.scope.about_things()
        self._stamp: str | None = None

    @property
    def stamp(self) -> str:
        if self._stamp is None:
            answer = queries.run(self.store, "page_catalogue_stamp", scope=self.scope)
            self._stamp = str(answer.scalar() or "")
        return self._stamp

    def rows(self, name: str, **bindings: Node) -> list[dict[str, Node]]:
        """The answer of the SELECT query ``name`` as dicts (unbound values left out)."""
        return queries.run(self.store, name, scope=self.pages, **bindings).dicts()

    def labels(self, things: Iterable[URIRef]) -> dict[str, str]:
        """The names of ``things`` (one small query each: a handful of things is asked for)."""
        names = {}
        for thing in things:
            for row in self.rows("page_thing_label", thing=thing):
                names[str(thing)] = str(row["label"])
        return names
