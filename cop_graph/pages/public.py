"""What anonymous visitors may read: every named graph except the private ones.

People's names (without their consent) and contact details live in graphs whose name ends
``/private``. Every page, search answer, picture and download of the browser reads the store
through :class:`PublicData`, which hands the engine the list of public graphs (the same list
the SPARQL endpoint uses), so none of them can reach a private graph by accident.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rdflib import URIRef
from rdflib.term import Node

from cop_graph import queries
from cop_graph.errors import UsageError
from cop_graph.namespaces import GRAPH
from cop_graph.sparql.dataset import public_graphs
from cop_graph.store.sparql_text import sparql_term

__all__ = ["PublicData"]

#: a graph name that never holds anything, to query "no graphs at all"
_NOTHING = GRAPH["none"]
#: public graphs that hold no facts about things: the catalogue and the data rules
_NOT_PAGES = frozenset({GRAPH["catalogue"], GRAPH["shapes"]})


class PublicData:
    """Named queries run over the public graphs only, plus a stamp that changes with the data.

    ``stamp`` is read from the catalogue (which graphs exist, when each was written, how big):
    anything cached under it is rebuilt after an import, a reload or a removal.

    Bound values are written into the query text as constants by :func:`with_constants`
    rather than passed as pyoxigraph substitutions or a ``VALUES`` block: the engine plans a
    query without knowing substituted values, and joins a ``VALUES`` block late, so with
    either a page query about one community can read every membership or assessment in the
    store (12 to 60 s instead of 15 ms at a million facts).
    """

    def __init__(self, store):
        self.store = store
        public = [URIRef(name) for name in public_graphs(store)]
        #: the graphs pages read: public ones holding data about things (not the catalogue
        #: of graphs, nor the rules for checking data; fewer graphs also make queries faster)
        self.graphs = [g for g in public if g not in _NOT_PAGES] or [_NOTHING]
        self._stamp: str | None = None

    @property
    def stamp(self) -> str:
        if self._stamp is None:
            self._stamp = str(queries.run(self.store, "page_catalogue_stamp").scalar() or "")
        return self._stamp

    def _run(self, name: str, bindings: Mapping[str, Node]):
        query = queries.get(name)
        unknown = set(bindings) - set(query.params)
        if unknown:
            raise UsageError(f'the query "{name}" has no parameter {", ".join(sorted(unknown))}')
        return self.store.query(with_constants(query.text, bindings), default_graph=self.graphs)

    def rows(self, name: str, **bindings: Node) -> list[dict[str, Node]]:
        """The answer of the SELECT query ``name`` as dicts (unbound values left out)."""
        return self._run(name, bindings).dicts()

    def labels(self, things: Iterable[URIRef]) -> dict[str, str]:
        """The names of ``things`` (one small query each: a handful of things is asked for).

        People's names are never looked up here: pages name people only through queries
        that check their consent.
        """
        names = {}
        for thing in things:
            if "/person/" not in str(thing):
                for row in self.rows("page_thing_label", thing=thing):
                    names[str(thing)] = str(row["label"])
        return names


def with_constants(text: str, bindings: Mapping[str, Node]) -> str:
    """The trusted query ``text`` with each bound variable replaced by its value's SPARQL form.

    Only for the project's own page queries, whose text never mentions a bound variable in a
    string, comment or projection. Values are written by
    :func:`cop_graph.store.sparql_text.sparql_term` from rdflib terms (strings escaped, IRIs
    SPARQL cannot hold refused), so what a visitor typed never becomes query syntax.

    >>> print(with_constants("ASK { ?thing ?p ?thingy }", {"thing": URIRef("http://x.org/a")}))
    ASK { <http://x.org/a> ?p ?thingy }
    """
    for name, value in bindings.items():
        term = sparql_term(value)
        text = re.sub(rf"[?$]{re.escape(name)}(?!\w)", lambda _m, term=term: term, text)
    return text
