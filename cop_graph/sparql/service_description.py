"""The SPARQL Service Description of the endpoint: what it speaks and which graphs it holds.

Sent for ``GET /sparql`` without a query when the client asks for RDF, so tools that read
service descriptions (and people curious about the endpoint) learn the formats, that the
default graph is the union of the public graphs, and that federation is switched off.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import VOID

from cop_graph.namespaces import DCTERMS, RDF, XSD
from cop_graph.sparql.results import BOOLEAN_FORMATS, GRAPH_FORMATS, TABLE_FORMATS

__all__ = ["SD", "service_description"]

#: the SPARQL 1.1 Service Description vocabulary (not among rdflib's namespaces)
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}


def service_description(
    endpoint: str, graphs: dict[str, int | None], timeout: float, result_limit: int
) -> Graph:
    """The description of ``endpoint``; ``graphs`` maps each public graph to its size if known.

    >>> g = service_description("http://localhost/sparql", {"https://example.org/g": 3}, 15, 10)
    >>> (URIRef("http://localhost/sparql"), SD.feature, SD.UnionDefaultGraph) in g
    True
    """
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in {**TABLE_FORMATS, **BOOLEAN_FORMATS, **GRAPH_FORMATS}:
        iri = URIRef(f"http://www.w3.org/ns/formats/{_FORMAT_IRIS[name]}")
        graph.add((service, SD.resultFormat, iri))
    graph.add(
        (
            service,
            DCTERMS.description,
            Literal(
                "Read-only endpoint for the public Communities of Purpose graph. Queries are "
                f"stopped after {timeout:g} seconds and answers hold at most {result_limit:,} "
                "rows; SERVICE, LOAD and updates are refused; people's private details are "
                "not in this dataset.",
                lang="en",
            ),
        )
    )
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    if all(size is not None for size in graphs.values()):
        total = sum(graphs.values())
        graph.add((default, VOID.triples, Literal(total, datatype=XSD.integer)))
    for name, size in graphs.items():
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        description = BNode()
        graph.add((named, SD.graph, description))
        graph.add((description, RDF.type, SD.Graph))
        if size is not None:
            graph.add((description, VOID.triples, Literal(size, datatype=XSD.integer)))
    return graph
