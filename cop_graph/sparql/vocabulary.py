"""The terms the query page's editor offers after ``cop:`` (and the other known prefixes).

Completion needs the vocabulary a question can use, with a label to choose by: every class
and property of the ontology (and the concept schemes' individuals, such as the framework's
steps), plus every other vocabulary's term the ontology itself uses (``rdfs:label``,
``schema:foundingDate``…). They come from the packaged ontology, read once per process, so
the list costs nothing per request and holds nothing private.
"""

from __future__ import annotations

from functools import cache

from rdflib import OWL, RDF, RDFS, SKOS, URIRef

from cop_graph.files.ontology import ontology_graph
from cop_graph.namespaces import PREFIXES

__all__ = ["completion_terms"]

_CLASSES = {OWL.Class, RDFS.Class}
_PROPERTIES = {
    RDF.Property,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
}


@cache
def completion_terms() -> tuple[dict[str, str], ...]:
    """Each term as ``{prefix, local, kind, label}``: kind ``class``, ``property`` or
    ``individual``, sorted by prefix then name.

    >>> terms = completion_terms()
    >>> next(t for t in terms if t["local"] == "CommunityOfPurpose")["kind"]
    'class'
    >>> any(t["prefix"] == "rdfs" and t["local"] == "label" for t in terms)
    True
    """
    graph = ontology_graph()
    kinds: dict[URIRef, str] = {}
    for subject, kind in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef):
            if kind in _CLASSES:
                kinds[subject] = "class"
            elif kind in _PROPERTIES:
                kinds.setdefault(subject, "property")
            else:
                kinds.setdefault(subject, "individual")
    for predicate in set(graph.predicates()):
        kinds.setdefault(predicate, "property")
    for kind in set(graph.objects(None, RDF.type)):
        kinds.setdefault(kind, "class")
    listed = []
    for iri, kind in kinds.items():
        compact = _compact(str(iri))
        if compact is None:
            continue
        label = graph.value(iri, RDFS.label) or graph.value(iri, SKOS.prefLabel)
        listed.append({**compact, "kind": kind, "label": str(label or "")})
    return tuple(sorted(listed, key=lambda t: (t["prefix"], t["local"].lower())))


def _compact(iri: str) -> dict[str, str] | None:
    """The prefix and local name of ``iri`` under the longest predeclared namespace, if the
    local name can be written after a colon as it is."""
    best = max(
        (p for p, ns in PREFIXES.items() if iri.startswith(ns)),
        key=lambda p: len(PREFIXES[p]),
        default=None,
    )
    if best is None:
        return None
    local = iri[len(PREFIXES[best]) :]
    if not local or not all(c.isalnum() or c in "_-" for c in local):
        return None
    return {"prefix": best, "local": local}
