"""Keep people's personal data out of public view unless they agreed to show it.

A person's name and anything else about them is public only when their record says
``cop:publicProfile true``; contact details are never public. The split happens when data
enters the store, so every way in (a loaded RDF file, a workbook import, a form) ends up
with private facts in a private graph that anonymous queries and pages never read.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal
from rdflib.term import Node

from cop_graph.namespaces import COP, FOAF, RDF, SDO

__all__ = ["CONTACT_PROPERTIES", "consenting_people", "partition", "split_private"]

Triple = tuple[Node, Node, Node]
_TRUE = Literal(True)

#: facts that stay private even for a person with a public profile
CONTACT_PROPERTIES = frozenset(
    {
        FOAF.mbox,
        FOAF.mbox_sha1sum,
        FOAF.phone,
        SDO.email,
        SDO.telephone,
        SDO.address,
        SDO.birthDate,
    }
)
#: facts about a person that are public whatever their consent: that they are a person
#: (so members can be counted by role) and their consent itself
_ALWAYS_PUBLIC = frozenset({RDF.type, COP.publicProfile})


def consenting_people(*graphs: Iterable[Triple]) -> set[Node]:
    """People whose record says ``cop:publicProfile true`` in any of ``graphs``."""
    people: set[Node] = set()
    consenting: set[Node] = set()
    for graph in graphs:
        for subject, predicate, value in graph:
            if predicate == RDF.type and value == FOAF.Person:
                people.add(subject)
            elif predicate == COP.publicProfile and value == _TRUE:
                consenting.add(subject)
    return people & consenting


def partition(
    data: Iterable[Triple], context: Iterable[Triple] = ()
) -> tuple[list[Triple], list[Triple]]:
    """Split ``data`` into (public, private) lists of triples.

    ``context`` is what the store already knows about the people in ``data`` (their type
    and consent), so that facts added about an existing person are split correctly. Works
    on plain triples, so a million-fact load never needs an rdflib Graph.
    """
    data = list(data)
    context = list(context)
    people = {s for s, p, o in (*data, *context) if p == RDF.type and o == FOAF.Person}
    # consent stated in ``data`` wins over what the store said before (it may be withdrawn)
    stated_in_data = {s for s, p, _ in data if p == COP.publicProfile}
    public_people = consenting_people(data) | (consenting_people(context, data) - stated_in_data)
    public, private = [], []
    for triple in data:
        subject, predicate, _ = triple
        if subject in people and (
            predicate in CONTACT_PROPERTIES
            or (subject not in public_people and predicate not in _ALWAYS_PUBLIC)
        ):
            private.append(triple)
        else:
            public.append(triple)
    return public, private


def split_private(data: Graph, context: Graph | None = None) -> tuple[Graph, Graph]:
    """Split ``data`` into (public, private) Graphs; see :func:`partition`.

    >>> from rdflib import URIRef
    >>> g = Graph()
    >>> ann, bob = URIRef("http://example.org/ann"), URIRef("http://example.org/bob")
    >>> for person, consent in ((ann, True), (bob, False)):
    ...     _ = g.add((person, RDF.type, FOAF.Person))
    ...     _ = g.add((person, COP.publicProfile, Literal(consent)))
    ...     _ = g.add((person, FOAF.name, Literal(str(person)[-3:])))
    ...     _ = g.add((person, FOAF.mbox, URIRef("mailto:x@example.org")))
    >>> public, private = split_private(g)
    >>> sorted(str(o) for o in public.objects(None, FOAF.name))
    ['ann']
    >>> len(private)
    3
    """
    public, private = partition(data, context if context is not None else ())
    return _graph_of(public), _graph_of(private)


def _graph_of(triples: list[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph
