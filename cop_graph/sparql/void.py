"""The VoID description of the public dataset, served at ``/.well-known/void``.

Tells a researcher's tools where the endpoint and the dumps are, how big the dataset is,
which vocabularies it uses and what each public graph holds — from the catalogue, so the
numbers are the ones recorded when the data was loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import VOID

from cop_graph.namespaces import (
    COP,
    DCTERMS,
    FOAF,
    ID,
    ORG,
    PROV,
    RDF,
    SDO,
    SKOS,
    XSD,
)
from cop_graph.queries.catalogue import list_graphs
from cop_graph.scope import Scope

__all__ = ["PublicGraph", "public_graph_records", "void_description"]

_LICENCE = URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
_VOCABULARIES = (COP._NS, ORG, FOAF, SKOS, DCTERMS, PROV, SDO)


@dataclass(frozen=True)
class PublicGraph:
    """A public graph, with its catalogue title and size when the catalogue has them."""

    iri: str
    title: str | None = None
    triples: int | None = None


def public_graph_records(store) -> list[PublicGraph]:
    """Every public graph of ``store``, described from the catalogue where it can be."""
    records = {record.graph: record for record in list_graphs(store)}
    described = []
    for iri in map(str, Scope.public(store).graphs):
        record = records.get(iri)
        if record is None:
            described.append(PublicGraph(iri))
        else:
            described.append(PublicGraph(iri, record.title, record.triples))
    return described


def void_description(
    dataset: str, endpoint: str, dumps: list[str], graphs: list[PublicGraph]
) -> Graph:
    """VoID triples about the public dataset (IRI ``dataset``) and each of its ``graphs``.

    >>> g = void_description("http://h/.well-known/void#dataset", "http://h/sparql", [],
    ...                      [PublicGraph("https://example.org/g", "G", 4)])
    >>> int(g.value(URIRef("http://h/.well-known/void#dataset"), VOID.triples))
    4
    """
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    subject = URIRef(dataset)
    graph.add((subject, RDF.type, VOID.Dataset))
    graph.add(
        (
            subject,
            DCTERMS.title,
            Literal("Communities of Purpose in Greater Manchester: public dataset", lang="en"),
        )
    )
    graph.add(
        (
            subject,
            DCTERMS.description,
            Literal(
                "Communities of Purpose across Greater Manchester: the communities, the "
                "organisations and consenting people in them, their practices, principles, "
                "places and outcomes. People's private details are not included.",
                lang="en",
            ),
        )
    )
    graph.add((subject, DCTERMS.license, _LICENCE))
    graph.add((subject, VOID.sparqlEndpoint, URIRef(endpoint)))
    graph.add((subject, VOID.uriSpace, Literal(str(ID))))
    for vocabulary in _VOCABULARIES:
        graph.add((subject, VOID.vocabulary, URIRef(str(vocabulary))))
    for dump in dumps:
        graph.add((subject, VOID.dataDump, URIRef(dump)))
    if graphs and all(g.triples is not None for g in graphs):
        total = sum(g.triples for g in graphs)
        graph.add((subject, VOID.triples, Literal(total, datatype=XSD.integer)))
    for public in graphs:
        part = URIRef(public.iri)
        graph.add((subject, VOID.subset, part))
        graph.add((part, RDF.type, VOID.Dataset))
        if public.title:
            graph.add((part, DCTERMS.title, Literal(public.title)))
        if public.triples is not None:
            graph.add((part, VOID.triples, Literal(public.triples, datatype=XSD.integer)))
    return graph
