"""Turning query answers into text: tables for people, CSV and JSON for programs.

Shared by the CLI and (later) the web app, so the same answer reads the same everywhere.
"""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from cop_graph.namespaces import PREFIXES
from cop_graph.store import SelectResult

__all__ = ["FORMATS", "render_select", "short"]

FORMATS = ("table", "csv", "json")
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


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
