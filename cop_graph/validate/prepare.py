"""What every check is given: the data without any SHACL, and the ontology terms it needs.

Shared by both engines, so the safety rule (an upload can never bring its own shapes or
SPARQL) and the choice of ontology statements are made once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache

from rdflib import Graph, URIRef
from rdflib.term import Node

from cop_graph.files.ontology import ontology_graph, shapes_graph
from cop_graph.files.terms import Triple
from cop_graph.namespaces import RDF, RDFS, SH

__all__ = [
    "mentions_shacl",
    "ontology_about",
    "index_statements",
    "ontology_index",
    "owning_node_shape",
    "without_shacl",
]

_SH = str(SH)


def mentions_shacl(triple: Triple) -> bool:
    """Whether a fact names anything in the SHACL namespace (it is never checked nor kept)."""
    return any(isinstance(term, URIRef) and str(term).startswith(_SH) for term in triple)


def without_shacl(graph: Iterable[Triple]) -> Graph:
    """``graph`` as a new graph, without the facts that mention SHACL."""
    clean = Graph()
    for triple in graph:
        if not mentions_shacl(triple):
            clean.add(triple)
    return clean


@cache
def ontology_index() -> tuple[list[Triple], dict[Node, list[Triple]]]:
    """The class hierarchy, and for each term the ontology's statements that mention it."""
    return index_statements(
        ontology_graph(),
        sub_class_of=RDFS.subClassOf,
        rdf_type=RDF.type,
        is_iri=lambda term: isinstance(term, URIRef),
    )


def index_statements(triples: Iterable, *, sub_class_of, rdf_type, is_iri) -> tuple[list, dict]:
    """:func:`ontology_index` of ``triples`` in either toolkit's terms (``sub_class_of`` and
    ``rdf_type`` in the same terms; ``is_iri`` tells an IRI among them)."""
    hierarchy, about = [], defaultdict(list)
    for triple in triples:
        subject, predicate, obj = triple
        if predicate == sub_class_of:
            hierarchy.append(triple)
        about[subject].append(triple)
        # not "everything typed X" for a class X the data mentions: only what X is itself
        if is_iri(obj) and predicate != rdf_type:
            about[obj].append(triple)
    return hierarchy, dict(about)


def ontology_about(terms: Iterable[Node]) -> Iterator[Triple]:
    """The ontology the checks need: the class hierarchy and what it says of ``terms``.

    Adding the whole ontology would have every role, step and principle checked on each
    call; the terms the data names (a role, a step, a status) are enough. A fact may come
    twice; callers add them to a set or a graph.
    """
    hierarchy, about = ontology_index()
    yield from hierarchy
    for term in terms:
        yield from about.get(term, ())


def owning_node_shape(shape: Node | None, kinds: set[Node]) -> Node | None:
    """The node shape a result belongs to, for property shapes shared by several of them.

    ``kinds`` are the classes of the thing at fault, with every class they are a kind of.
    """
    shapes = shapes_graph()
    if shape is None or (shape, SH.path, None) not in shapes:
        return shape
    owners = sorted(shapes.subjects(SH.property, shape))
    if len(owners) <= 1:
        return owners[0] if owners else None
    for owner in owners:
        if any(target in kinds for target in shapes.objects(owner, SH.targetClass)):
            return owner
    return owners[0]
