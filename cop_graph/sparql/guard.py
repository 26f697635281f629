"""Read a query before it runs and refuse what a public endpoint must never do.

Both engines would happily follow ``SERVICE <http://…>`` (an outbound request made on the
say-so of an anonymous visitor), and ``LOAD`` or ``FROM <file:…>`` can read local files.
The check is made on the *parsed* query, never by matching text: the parser expands
escapes such as ``SERV\\u0049CE`` exactly as the engine does, so spelling cannot sneak a
keyword past it.

rdflib's query parser is not thread-safe (rdflib #1282: concurrent first parses fail and
can break the grammar until restart), so parsing is serialised by a lock. Answers are
cached by query text, so a popular query is parsed once.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

from cop_graph.errors import QueryError
from cop_graph.sparql.prefixes import known_namespaces, undeclared_prefix_message, used_prefixes

__all__ = ["Inspection", "MalformedQuery", "RefusedQuery", "inspect"]

_PARSE_LOCK = threading.Lock()
_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
_WHERE = re.compile(r"\s*\(at char \d+\),\s*\(line:(\d+), col:(\d+)\)\s*$")


class MalformedQuery(QueryError):
    """The text is not a SPARQL query; the message is the parser's, with line and column."""

    status = 400


class RefusedQuery(QueryError):
    """A valid request that a public, read-only endpoint will not carry out."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Inspection:
    """What the query is (``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``) and the graphs
    its own ``FROM`` and ``FROM NAMED`` clauses ask for, as absolute IRIs where resolvable."""

    form: str
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()

    @property
    def returns_graph(self) -> bool:
        """Whether the answer is RDF triples rather than a table or a yes/no."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


def inspect(text: str, prefixes: dict[str, str] | None = None) -> Inspection:
    """Parse ``text`` and return what it is, or raise if it is malformed or not allowed.

    ``prefixes`` are the predeclared prefixes, used to read ``FROM cop:…``-style names.

    >>> inspect("SELECT * FROM <https://example.org/g> WHERE { ?s ?p ?o }").from_graphs
    ('https://example.org/g',)
    >>> inspect("ASK { SERV\\\\u0049CE <http://127.0.0.1/> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cop_graph.sparql.guard.RefusedQuery: SERVICE is not allowed here: ...
    """
    return _inspect(text, tuple(sorted((prefixes or {}).items())))


@lru_cache(maxsize=1024)
def _inspect(text: str, prefixes: tuple[tuple[str, str], ...]) -> Inspection:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _PARSE_LOCK:
        try:
            prologue, query = parseQuery(text)
        except ParseException as error:
            try:
                update = parseUpdate(text)
            except ParseException:
                raise MalformedQuery(_explain(error)) from None
            if not _field(update, "request"):  # nothing but blanks, comments or prefixes
                raise MalformedQuery(
                    "The query is empty: write a question (SELECT, ASK, CONSTRUCT or DESCRIBE)."
                ) from None
            raise RefusedQuery(
                "This endpoint only answers questions: it cannot change data "
                "(INSERT, DELETE, LOAD, CLEAR and other updates are not accepted here).",
                status=403,
            ) from None
        except Exception as error:  # the grammar raises a few other kinds on odd input
            raise MalformedQuery(f"The query is not valid SPARQL: {error}.") from None
    if _contains(query, "ServiceGraphPattern"):
        raise RefusedQuery(
            "SERVICE is not allowed here: this endpoint never sends requests to other servers."
        )
    names = dict(prefixes)
    base = None
    for declaration in prologue:
        if declaration.name == "PrefixDecl":
            names[_field(declaration, "prefix") or ""] = str(_field(declaration, "iri"))
        elif declaration.name == "Base":
            base = str(_field(declaration, "iri"))
    for prefix in used_prefixes(query):
        if prefix not in names:
            raise MalformedQuery(undeclared_prefix_message(text, prefix, known_namespaces()))
    default, named = [], []
    for clause in _field(query, "datasetClause") or []:
        kind = "default" if "default" in clause else "named"
        iri = _resolve(clause[kind], names, base)
        (default if kind == "default" else named).append(iri)
    return Inspection(_FORMS[query.name], tuple(default), tuple(named))


def _resolve(term, prefixes: dict[str, str], base: str | None) -> str:
    if getattr(term, "name", None) == "pname":
        prefix = _field(term, "prefix") or ""
        return prefixes[prefix] + (_field(term, "localname") or "")
    return urljoin(base, str(term)) if base else str(term)


def _field(value, key: str):
    """A part of a parsed clause, or None (rdflib's ``CompValue.get`` returns the key itself)."""
    return dict.get(value, key)


def _contains(node, name: str) -> bool:
    """Whether the parse tree under ``node`` holds a part called ``name`` (at any depth)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if getattr(item, "name", None) == name:
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(item)
    return False


def _explain(error) -> str:
    message = str(error)
    where = _WHERE.search(message)
    if where:
        message = message[: where.start()]
        return (
            f"The query is not valid SPARQL (line {where.group(1)}, column {where.group(2)}): "
            f"{message}."
        )
    return f"The query is not valid SPARQL: {message}."
