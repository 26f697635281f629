"""The example questions' parameters, given on the query page or the endpoint's address.

An example such as "Is a practice shared anywhere in a locality?" is an ASK whose
``?practice`` and ``?locality`` are meant to be given: run as written it asks whether *any*
community shares *any* practice anywhere, and answers "yes" to a question nobody asked. So a
request whose query is an example's text as it stands (named with ``example=…`` or not)
must give that example's required parameters (its ``# required:`` header line); the
values are then bound as constants, exactly as ``cop-graph query --name`` binds them
(:func:`cop_graph.queries.binding.with_constants`, so what a visitor typed never becomes
query syntax). Optional parameters ("leave out for all") are bound when given. A request
that names an example whose text the visitor has since rewritten gets the values it gives
bound, but none required: it is the visitor's own question now.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from cop_graph import queries
from cop_graph.errors import QueryError
from cop_graph.namespaces import PREFIXES
from cop_graph.queries.binding import with_constants
from cop_graph.store.sparql_text import tokenize

__all__ = ["BoundExample", "ExampleParameterError", "bind_example", "required_parameters"]

_REQUIRED = re.compile(r"^#\s*required\s*:\s*(.*)$", re.MULTILINE)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ExampleParameterError(QueryError):
    """An example was run without a parameter it needs, or with a value it cannot take."""

    status = 400

    def __init__(self, message: str, example: str):
        super().__init__(message)
        self.example = example


@dataclass(frozen=True)
class BoundExample:
    """The query to run (``text``, with the given values bound), the example it is (or None)
    and the values as given, to keep in the page's form and its links."""

    text: str
    example: str | None = None
    values: dict[str, str] = field(default_factory=dict)


@cache
def _examples() -> dict[str, queries.NamedQuery]:
    return {name.split("/", 1)[1]: queries.get(name) for name in queries.names("examples")}


def required_parameters(example: queries.NamedQuery) -> list[str]:
    """The parameters an example cannot be run without (its ``# required:`` line).

    >>> required_parameters(queries.get("examples/ask_practice_in_locality"))
    ['practice', 'locality']
    """
    found = _REQUIRED.search(example.text)
    return found.group(1).replace(",", " ").split() if found else []


def bind_example(query: str, name: str | None, value_of: Callable[[str], str | None]):
    """``query`` with the parameters of the example it is bound, or refused if one is missing.

    ``name`` is the example the request names (None: recognise it by its text); ``value_of``
    gives a parameter's value from the request (None or "" when not given).
    """
    known = _examples()
    if name not in known:
        name = next((n for n, q in known.items() if _same(q.text, query)), None)
    if name is None:
        return BoundExample(query)
    example = known[name]
    used = {t.text[1:] for t in tokenize(query) if t.kind == "variable"}
    values = {p: (value_of(p) or "").strip() for p in example.params}
    values = {p: v for p, v in values.items() if v}
    # once the visitor has rewritten the example it is their question: bind what they gave
    required = required_parameters(example) if _same(example.text, query) else []
    missing = [p for p in required if p in used and p not in values]
    if missing:
        raise ExampleParameterError(_missing_message(example, missing), name)
    try:
        bindings = {p: _term(p, v, example.params[p]) for p, v in values.items() if p in used}
        text = with_constants(query, bindings)
    except QueryError as error:  # a value SPARQL cannot hold, such as an IRI with a space
        raise ExampleParameterError(str(error), name) from None
    return BoundExample(text, name, values)


def _same(text: str, other: str) -> bool:
    """Whether two query texts differ at most in spacing."""
    return text.split() == other.split()


def _missing_message(example: queries.NamedQuery, missing: list[str]) -> str:
    wanted = "; ".join(f"{p}, {example.params[p]}" for p in missing)
    noun = "parameter" if len(missing) == 1 else "parameters"
    return (
        f'The example "{example.title}" needs the {noun} {wanted}. '
        f"Give {'it' if len(missing) == 1 else 'them'} a value and run it again; without "
        f"{'it' if len(missing) == 1 else 'them'} the answer would be about everything."
    )


def _term(param: str, value: str, meaning: str) -> Node:
    """A parameter's value as an RDF term: an IRI (``<…>``, ``http…`` or a known prefixed
    name), else a number, a date, a yes/no or a string."""
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if value.startswith(("http://", "https://")):
        return URIRef(value)
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + local)
    if "an IRI" in meaning:
        raise QueryError(
            f'"{value}" is not an IRI, and the parameter {param} needs one: {meaning}. '
            "Write it as a prefixed name (prefix:name) or a full https:// address."
        )
    if _NUMBER.match(value):
        return Literal(value, datatype=XSD.decimal if "." in value else XSD.integer)
    if _DATE.match(value):
        return Literal(value, datatype=XSD.date)
    if value.lower() in ("true", "false"):
        return Literal(value.lower() == "true")
    return Literal(value)
