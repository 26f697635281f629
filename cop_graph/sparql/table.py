"""Turn an answer into what the query page shows: columns, and cells that link where they should.

Things in this graph link to their own pages (``/id/…``, ``/ontology#…``); other web
addresses link out; anything else (``javascript:``, ``file:``, blank nodes) is shown as text
only, never as a link.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from cop_graph.namespaces import BASE, PREFIXES

__all__ = ["Cell", "Table", "graph_table", "solutions_table"]

_LOCAL = ((BASE + "id/", "/id/"), (BASE + "ontology#", "/ontology#"))
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
_XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Cell:
    """One value: its text, a link if it should have one, and a note (language, datatype)."""

    text: str
    href: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Table:
    """Column names and rows of cells (None where a variable has no value)."""

    columns: list[str]
    rows: list[list[Cell | None]]


def _short(iri: str) -> str:
    if iri.startswith(BASE + "id/"):
        return "id:" + iri[len(BASE) + 3 :]  # readable even though the slash is not Turtle
    for prefix, namespace in _BY_LENGTH:
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and "/" not in local and "#" not in local:
            return f"{prefix}:{local}"
    return iri


def link_for(iri: str) -> str | None:
    """Where an IRI links on the page, or None if it must not be a link.

    >>> link_for("https://w3id.org/cop-graph/id/place/bolton")
    '/id/place/bolton'
    >>> link_for("javascript:alert(1)") is None
    True
    """
    for namespace, path in _LOCAL:
        if iri.startswith(namespace):
            return path + iri[len(namespace) :]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def iri_cell(iri: str) -> Cell:
    return Cell(_short(iri), link_for(iri))


def _json_cell(value: dict | None) -> Cell | None:
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return iri_cell(value["value"])
    if kind == "bnode":
        return Cell(f"_:{value['value']}")
    if kind == "triple":
        parts = [_json_cell(value["value"][k]).text for k in ("subject", "predicate", "object")]
        return Cell("<< " + " ".join(parts) + " >>")
    note = value.get("xml:lang") or _short(value.get("datatype", "")).replace(_XSD, "xsd:")
    return Cell(value["value"], None, note)


def solutions_table(answer: bytes) -> Table:
    """The table of a SPARQL JSON answer (a SELECT's)."""
    parsed = json.loads(answer)
    columns = parsed["head"]["vars"]
    rows = [
        [_json_cell(binding.get(column)) for column in columns]
        for binding in parsed["results"]["bindings"]
    ]
    return Table(columns, rows)


def _term_cell(term) -> Cell:
    if isinstance(term, ox.NamedNode):
        return iri_cell(term.value)
    if isinstance(term, ox.BlankNode):
        return Cell(f"_:{term.value}")
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        note = term.language or ("" if datatype == _XSD + "string" else _short(datatype))
        return Cell(term.value, None, note)
    return Cell(str(term))


def graph_table(answer: bytes) -> Table:
    """The subject / property / value table of an N-Triples answer (a CONSTRUCT's)."""
    triples = ox.parse(answer, ox.RdfFormat.N_TRIPLES)
    rows = [[_term_cell(t.subject), _term_cell(t.predicate), _term_cell(t.object)] for t in triples]
    return Table(["subject", "property", "value"], rows)
