"""Turning query answers into text: tables for people, CSV and JSON for programs.

Shared by the CLI and (later) the web app, so the same answer reads the same everywhere.
"""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from cop_graph.files.terms import to_rdflib
from cop_graph.namespaces import PREFIXES
from cop_graph.store import RawSolutions, SelectResult

__all__ = ["FORMATS", "render_raw", "render_select", "short"]

FORMATS = ("table", "csv", "json")
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
#: datatypes whose literals are their text in JSON, whatever it says
_TEXT_TYPES = frozenset(
    {
        "http://www.w3.org/2001/XMLSchema#string",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
    }
)


def short(term: Node | None) -> str:
    """A term as people read it: ``cop:SocialReporter``, a literal's text, or the full IRI.

    >>> short(URIRef("https://w3id.org/cop-graph/ontology#SocialReporter"))
    'cop:SocialReporter'
    >>> short(Literal(10))
    '10'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in _BY_LENGTH:
            local = text[len(namespace) :]
            if text.startswith(namespace) and local and "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _json_value(term: Node | None):
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if isinstance(value, int | float | bool | str) else str(term)
    return str(term)


def render_select(result: SelectResult, fmt: str) -> str:
    """``result`` as an aligned text table, CSV (full IRIs) or a JSON list of objects."""
    if fmt == "json":
        rows = [
            {name: _json_value(value) for name, value in zip(result.variables, row, strict=True)}
            for row in result.rows
        ]
        return json.dumps(rows, indent=2, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows([["" if v is None else str(v) for v in row] for row in result.rows])
        return out.getvalue().rstrip("\n")
    cells = [[short(value) for value in row] for row in result.rows]
    widths = [
        max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(result.variables)
    ]
    lines = ["  ".join(name.ljust(w) for name, w in zip(result.variables, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines)


def render_raw(answer: RawSolutions, fmt: str) -> str:
    """A raw answer (pyoxigraph's terms) as CSV or JSON, exactly as :func:`render_select`
    writes the same answer in rdflib's terms, without making a term per value.

    Typed literals other than strings still go through rdflib, once per distinct value:
    rdflib writes some in a canonical form (``2026-12-07T05:18:10Z`` as ``…+00:00``) and
    reads numbers and booleans as such for JSON, and the output stays what it always was.
    """
    variables = answer.variables
    if fmt not in ("csv", "json"):
        raise ValueError(f"a raw answer is written as csv or json, not {fmt}")
    as_rdflib = str if fmt == "csv" else _json_value
    typed: dict[ox.Literal, object] = {}

    def value(term):
        if term is None:
            return "" if fmt == "csv" else None
        if isinstance(term, ox.Literal) and term.datatype.value not in _TEXT_TYPES:
            known = typed.get(term, typed)
            if known is typed:
                known = typed[term] = as_rdflib(to_rdflib(term))
            return known
        return term.value

    width = range(len(variables))
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(variables)
        writer.writerows([value(row[i]) for i in width] for row in answer)
        return out.getvalue().rstrip("\n")
    rows = [{variables[i]: value(row[i]) for i in width} for row in answer]
    return json.dumps(rows, indent=2, ensure_ascii=False)
