"""What was sent to a graph and what the server holds in it, in a form both sides can count.

A server can answer "stored" and keep less (Virtuoso with a chunked upload), or keep every
fact but change some values on the way in: Virtuoso turns ``geo:wktLiteral`` into its own
geometry type (the project's 230 reference places would lose their shapes) and writes
``"P1D"^^xsd:duration`` as ``"86400.0"``. A count of triples catches the first; a tally of
literals by datatype, with the total length of their text, catches the second, with one
query per graph and no second copy of the data.

Language tags are left out of the tally (Virtuoso lower-cases them, which RDF allows, and
gives such a literal no datatype), and so is the length of numbers, booleans, dates and
times, which servers may write in their canonical form (``+00:00`` as ``Z``, ``1.50`` as
``1.5``: the same value); their count by datatype still counts. A value rewritten into text
of the same length and datatype goes unseen: the price of not reading every graph back.

Place shapes are the exception, on a server that stores them as geometries of its own
(Virtuoso): their text comes back spelled another way, so a tally counts them as place
shapes whatever the server calls them, and keeps each one sent (there are few) for the
store to compare with the server's, coordinate by coordinate
(:mod:`cop_graph.store.geometries`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef

from cop_graph.store.geometries import WKT, as_loaded, shape_of
from cop_graph.store.sparql_text import sparql_term

__all__ = ["Tally", "held_tally", "moved_shapes", "shapes_query", "tally_query"]

#: the tally's key for a triple whose object is an IRI or a blank node
RESOURCE = "resource"
#: the tally's key for a literal with a language tag
TAGGED = "tagged"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_XSD = "http://www.w3.org/2001/XMLSchema#"
#: datatypes whose values a server may write in another (canonical) form of the same value
_CANONICAL = {
    _XSD + name
    for name in [
        "boolean",
        "dateTime",
        "dateTimeStamp",
        "time",
        "date",
        "decimal",
        "double",
        "float",
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
}
_NOT_A_LITERAL = "urn:x-cop-graph:not-a-literal"


class Tally:
    """Distinct triples sent to one graph: how many, and per kind of object how many and how
    long their text. Triples are remembered by hash only, to count repeats once."""

    def __init__(self):
        self.seen: set[int] = set()
        self.kinds: Counter[str] = Counter()
        self.lengths: Counter[str] = Counter()
        #: (subject, predicate, text) of each place shape (geo:wktLiteral) sent
        self.shapes: list[tuple[str, str, str]] = []

    def add(self, triples: Iterable[ox.Triple]) -> None:
        for triple in triples:
            key = hash(triple)
            if key in self.seen:
                continue
            self.seen.add(key)
            kind, length = _kind(triple.object)
            if kind == WKT:
                self.shapes.append((_subject(triple), triple.predicate.value, triple.object.value))
            self.kinds[kind] += 1
            self.lengths[kind] += length

    def __len__(self) -> int:
        return len(self.seen)

    def differences(self, held: Tally, geometries: str | None = None) -> str | None:
        """What ``held`` (the server's tally of the graph) lacks or changed, in words; None
        when it holds exactly what was sent.

        ``geometries`` names the datatype the server stores place shapes as, if it changes
        them: those count as place shapes, and their text is left to :func:`moved_shapes`.
        """
        if held.count() != len(self):
            return f"kept {held.count():,} of the {len(self):,} facts"
        if geometries is not None:
            held = held._geometries_as_shapes(geometries)
        changed = [
            kind
            for kind in sorted(set(self.kinds) | set(held.kinds))
            if self.kinds[kind] != held.kinds[kind]
            or (self.lengths[kind] != held.lengths[kind] and not (geometries and kind == WKT))
        ]
        if not changed:
            return None
        said = "; ".join(
            f"{_short(kind)}: sent {self.kinds[kind]:,} ({self.lengths[kind]:,} characters), "
            f"holds {held.kinds[kind]:,} ({held.lengths[kind]:,} characters)"
            for kind in changed
        )
        return f"changed values as it stored them ({said})"

    def count(self) -> int:
        return sum(self.kinds.values())

    def _geometries_as_shapes(self, geometries: str) -> Tally:
        """This tally with the server's geometries counted as place shapes."""
        moved = Tally()
        moved.kinds, moved.lengths = Counter(self.kinds), Counter(self.lengths)
        moved.kinds[WKT] += moved.kinds.pop(geometries, 0)
        moved.lengths[WKT] += moved.lengths.pop(geometries, 0)
        return moved


def shapes_query(graph: URIRef, predicates: Iterable[str]) -> str:
    """The SPARQL query giving the place shapes the server holds in ``graph``, under the
    predicates they were sent with."""
    values = " ".join(f"<{predicate}>" for predicate in sorted(set(predicates)))
    return (
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} "
        f"GRAPH {sparql_term(graph)} {{ ?s ?p ?o }} FILTER(isLiteral(?o)) }}"
    )


def moved_shapes(sent: Tally, rows: Iterable, geometries: str) -> list[tuple[str, str]]:
    """The place shapes sent that the server does not hold with the same coordinates, as
    (sent, held) texts (held "" when none is left to pair), from the rows of
    :func:`shapes_query`; empty when every one is there."""
    held: dict[tuple, list[str]] = {}
    for s, p, o in rows:
        if isinstance(o, ox.Literal) and o.datatype.value in (geometries, WKT):
            text = as_loaded(o.value) if o.datatype.value == geometries else o.value
            key = (_name(s), p.value, shape_of(text))
            held.setdefault(key, []).append(o.value)
    kept_by_place: dict[tuple, list[str]] = {}
    for (s, p, _), texts in held.items():
        kept_by_place.setdefault((s, p), []).extend(texts)
    moved = []
    for s, p, text in sent.shapes:
        same = held.get((s, p, shape_of(text)))
        if same:
            same.pop()
        else:
            others = kept_by_place.get((s, p)) or [""]
            moved.append((text, others[0]))
    return moved


def tally_query(graph: URIRef) -> str:
    """The SPARQL query giving the server's tally of ``graph``, one row per kind of object."""
    return (
        "SELECT ?kind (COUNT(*) AS ?n) (SUM(?length) AS ?characters) WHERE { "
        f"GRAPH {sparql_term(graph)} {{ ?s ?p ?o }} "
        f"BIND(IF(isLiteral(?o), DATATYPE(?o), <{_NOT_A_LITERAL}>) AS ?kind) "
        "BIND(IF(isLiteral(?o), STRLEN(STR(?o)), 0) AS ?length) } GROUP BY ?kind"
    )


def held_tally(rows: Iterable) -> Tally:
    """A :class:`Tally` from the rows of :func:`tally_query` (pyoxigraph solutions)."""
    held = Tally()
    for kind, n, characters in rows:
        if kind is None or kind.value == _LANG_STRING:
            name = TAGGED  # Virtuoso gives a tagged literal no datatype
        elif kind.value == _NOT_A_LITERAL:
            name = RESOURCE
        else:
            name = kind.value
        held.kinds[name] += int(n.value)
        if characters is not None and name not in _CANONICAL:
            held.lengths[name] += int(characters.value)
    return held


def _subject(triple: ox.Triple) -> str:
    return _name(triple.subject)


def _name(term) -> str:
    """A subject as the tally pairs it: blank nodes are named afresh by the server, so all
    of them pair alike."""
    return term.value if isinstance(term, ox.NamedNode) else "_:"


def _kind(term) -> tuple[str, int]:
    if not isinstance(term, ox.Literal):
        return RESOURCE, 0
    if term.language:
        return TAGGED, len(term.value)
    datatype = term.datatype.value
    return datatype, 0 if datatype in _CANONICAL else len(term.value)


def _short(kind: str) -> str:
    """A datatype as people read it: its local name."""
    if kind in (RESOURCE, TAGGED):
        return {"resource": "links", "tagged": "texts with a language"}[kind]
    return kind.rsplit("#", 1)[-1].rsplit("/", 1)[-1] + " values"
