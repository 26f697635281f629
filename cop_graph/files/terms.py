"""Conversion between rdflib terms (the toolkit's currency) and pyoxigraph terms (the engine's).

The rest of the package speaks rdflib; only the file readers and the store backends see
pyoxigraph objects.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["Triple", "to_oxigraph", "to_rdflib"]

#: one fact, as rdflib terms
Triple = tuple[Node, Node, Node]


def to_oxigraph(term: Node):
    """The pyoxigraph term equal to an rdflib term.

    >>> to_oxigraph(Literal("Wigan", lang="en"))
    <Literal value=Wigan language=en>
    """
    if isinstance(term, URIRef):
        return _named_node(str(term))
    if isinstance(term, Literal):
        language, datatype = term.language, term.datatype
        if language:
            return ox.Literal(str(term), language=language)
        if datatype:
            return ox.Literal(str(term), datatype=_named_node(str(datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot store {term!r} in the graph")


@lru_cache(maxsize=1 << 17)
def _named_node(iri: str) -> ox.NamedNode:
    """pyoxigraph checks an IRI each time it makes a node (4× the cost of a look-up here), and
    the same predicates, classes and things come back on every fact."""
    return ox.NamedNode(iri)


@lru_cache(maxsize=1 << 17)
def _uri_ref(iri: str) -> URIRef:
    """rdflib checks an IRI each time it makes a URIRef; the same ones come back all the time."""
    return URIRef(iri)


def to_rdflib(term) -> Node | None:
    """The rdflib term equal to a pyoxigraph term (``None`` stays ``None``, for unbound values).

    Plain strings come back without the ``xsd:string`` datatype, as rdflib expects, so that
    comparisons such as pyshacl's ``sh:in`` behave the same whichever store produced them.

    >>> to_rdflib(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    rdflib.term.Literal('3', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return _uri_ref(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected term from the store: {term!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
