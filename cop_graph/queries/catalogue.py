"""Provenance records of named graphs: who loaded what, when, from which files.

Every named graph has one record in the catalogue graph (PROV-O and Dublin Core terms), so
an import can be listed, inspected and removed as a whole.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import Graph, Literal, URIRef

from cop_graph import queries
from cop_graph.namespaces import COP, DCTERMS, GRAPH, PROV, RDF, XSD

__all__ = [
    "DATA_KINDS",
    "GraphRecord",
    "graph_iri",
    "list_graphs",
    "record",
    "resolve_graph",
]


#: kinds of graph (``cop:graphKind``) holding communities' records, as opposed to the
#: ontology, the rules and the reference data: what a workbook or the edit form may change
DATA_KINDS = frozenset({"import", "edit", "assessment", "load", "demo"})


def graph_iri(name: str) -> URIRef:
    """The IRI of the named graph ``name`` (``demo``, ``load/my-file``…).

    >>> str(graph_iri("demo"))
    'https://w3id.org/cop-graph/id/graph/demo'
    """
    return URIRef(f"{GRAPH}{name}")


def resolve_graph(name_or_iri: str) -> URIRef:
    """Accept a full graph IRI or the short name shown by ``cop-graph graphs``."""
    if name_or_iri.startswith(("http://", "https://")):
        return URIRef(name_or_iri)
    return graph_iri(name_or_iri.strip("/"))


@dataclass(frozen=True)
class GraphRecord:
    """One row of the catalogue, for listing."""

    graph: str
    title: str
    kind: str
    who: str
    when: str
    triples: int
    checksum: str
    illustrative: bool
    sources: str


def record(
    graph: URIRef,
    *,
    title: str,
    kind: str,
    triples: int,
    sources: list[str] = (),
    checksum: str | None = None,
    who: str | None = None,
    illustrative: bool = False,
) -> Graph:
    """The catalogue record of ``graph`` as triples to commit with it."""
    entry = Graph()
    entry.add((graph, RDF.type, PROV.Entity))
    entry.add((graph, DCTERMS.title, Literal(title)))
    entry.add((graph, COP.graphKind, Literal(kind)))
    entry.add((graph, COP.tripleCount, Literal(triples, datatype=XSD.integer)))
    now = datetime.now(UTC).replace(microsecond=0)
    entry.add((graph, PROV.generatedAtTime, Literal(now, datatype=XSD.dateTime)))
    entry.add((graph, DCTERMS.creator, Literal(who or _current_user())))
    for source in sources:
        entry.add((graph, DCTERMS.source, Literal(source)))
    if checksum:
        entry.add((graph, COP.checksum, Literal(checksum)))
    if illustrative:
        entry.add((graph, COP.illustrative, Literal(True)))
    return entry


def list_graphs(store) -> list[GraphRecord]:
    """Every catalogued graph, oldest first."""
    rows = queries.run(store, "list_graphs")
    return [
        GraphRecord(
            graph=str(row["graph"]),
            title=str(row["title"]),
            kind=str(row["kind"]),
            who=str(row.get("who", "")),
            when=str(row["when"]),
            triples=int(row["triples"]),
            checksum=str(row.get("checksum", "")),
            illustrative=bool(row.get("illustrative", Literal(False)).toPython()),
            sources=str(row.get("sources", "")),
        )
        for row in rows.dicts()
    ]


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
