"""Keep people's personal data out of public view unless they agreed to show it.

A person's name and anything else about them is public only when their record says
``cop:publicProfile true``; contact details are never public. The split happens when data
enters the store, so every way in (a loaded RDF file, a workbook import, a form) ends up
with private facts in a private graph that anonymous queries and pages never read.
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.term import Node

from cop_graph.namespaces import COP, FOAF, RDF, SDO

__all__ = ["CONTACT_PROPERTIES", "consenting_people", "split_private"]

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


def consenting_people(*graphs: Graph) -> set[Node]:
    """People whose record says ``cop:publicProfile true`` in any of ``graphs``."""
    return {
        person
        for graph in graphs
        for person in graph.subjects(COP.publicProfile, Literal(True))
        if (person, RDF.type, FOAF.Person) in graph
    }


def split_private(data: Graph, context: Graph | None = None) -> tuple[Graph, Graph]:
    """Split ``data`` into (public, private) triples.

    ``context`` is what the store already knows about the people in ``data`` (their type
    and consent), so that facts added about an existing person are split correctly.

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
    known = data if context is None else data + context
    people = set(known.subjects(RDF.type, FOAF.Person))
    # consent stated in ``data`` wins over what the store said before (it may be withdrawn)
    stated_in_data = set(data.subjects(COP.publicProfile, None))
    public_people = consenting_people(data) | (
        consenting_people(context) - stated_in_data if context is not None else set()
    )
    public, private = Graph(), Graph()
    for triple in data:
        subject, predicate, _ = triple
        if subject in people and (
            predicate in CONTACT_PROPERTIES
            or (subject not in public_people and predicate not in _ALWAYS_PUBLIC)
        ):
            private.add(triple)
        else:
            public.add(triple)
    return public, private
