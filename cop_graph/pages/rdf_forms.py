"""Writing a page's facts as Turtle, JSON-LD or N-Triples.

pyoxigraph's serialisers write a page's few dozen facts in a fraction of a millisecond, where
rdflib's spend ten milliseconds setting up namespace managers; with thousands of pages
behind one browser, that is the difference that matters.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib.term import Node

from cop_graph.files.terms import to_oxigraph
from cop_graph.namespaces import PREFIXES

__all__ = ["FORMATS", "rdf_text"]

#: suffix → (pyoxigraph format, media type)
FORMATS = {
    "ttl": (ox.RdfFormat.TURTLE, "text/turtle"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
}


def rdf_text(graph: Iterable[tuple[Node, Node, Node]], suffix: str) -> bytes:
    """The triples of ``graph`` in the format named by ``suffix`` (a key of :data:`FORMATS`).

    >>> from rdflib import Literal, URIRef
    >>> facts = [(URIRef("https://example.org/wigan"), URIRef("https://example.org/name"),
    ...           Literal("Wigan"))]
    >>> print(rdf_text(facts, "nt").decode().strip())
    <https://example.org/wigan> <https://example.org/name> "Wigan" .
    """
    fmt = FORMATS[suffix][0]
    triples = [ox.Triple(*(to_oxigraph(term) for term in triple)) for triple in sorted(graph)]
    # N-Triples has no prefixes; the others read better with the project's
    prefixes = None if fmt == ox.RdfFormat.N_TRIPLES else PREFIXES
    return ox.serialize(triples, format=fmt, prefixes=prefixes)
