"""How a named query gets its parameters: values written into its patterns as constants.

Why not the engine's own bindings: pyoxigraph plans a query before it applies
``substitutions`` and joins a ``VALUES`` block late, so neither guides the plan; a page query
about one community then reads every membership or assessment in the store (12 to 60 s
instead of 15 ms at a million facts). A constant in a pattern does guide it.

A variable must stay a variable where SPARQL wants a name rather than a value: in a
projection, after ``AS``, in ``GROUP BY`` or ``ORDER BY``, in a ``VALUES`` header, outside the
braces. There it is left alone, and a trailing ``VALUES`` clause gives it the same value
(SPARQL joins that clause after grouping, so the answer carries the value as the engine's
bindings would). Everything else is the same value, so the answer is too; the golden tests of
every parameterised query check it.

Values are written by :func:`cop_graph.store.sparql_text.sparql_term` from rdflib terms only
(strings escaped, IRIs SPARQL cannot hold refused), so what a visitor typed never becomes
query syntax; the lexer there keeps strings, IRIs and comments out of reach.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from rdflib.term import Node

from cop_graph.errors import QueryError
from cop_graph.store.sparql_text import sparql_term, tokenize, values_block

__all__ = ["names_graphs", "with_constants"]

#: words after which a variable names a column (until the next group or clause)
_NAMING = {"SELECT": "projection", "BY": "modifier", "VALUES": "header"}
#: words that end a projection or a GROUP BY or ORDER BY list
_CLAUSES = {"HAVING", "LIMIT", "OFFSET", "VALUES", "WHERE"}


def with_constants(text: str, bindings: Mapping[str, Node]) -> str:
    """``text`` with each bound variable given its value.

    >>> from rdflib import URIRef
    >>> print(with_constants("ASK { ?thing ?p ?thingy }", {"thing": URIRef("http://x.org/a")}))
    ASK { <http://x.org/a> ?p ?thingy }
    >>> print(with_constants("SELECT ?a ?b WHERE { ?a ?p ?b }", {"a": URIRef("http://x.org/a")}))
    SELECT ?a ?b WHERE { <http://x.org/a> ?p ?b }
    VALUES (?a) { (<http://x.org/a>) }
    """
    if not bindings:
        return text
    return _bound(text, tuple(sorted(bindings.items())))


@lru_cache(maxsize=1024)
def _bound(text: str, bindings: tuple[tuple[str, Node], ...]) -> str:
    """:func:`with_constants`, remembered: a page or a command asks the same question about
    the same thing again and again, and writing the values costs a quarter of a small query."""
    bindings = dict(bindings)
    inline, named = _places(text, frozenset(bindings))
    pieces, last = [], 0
    for start, end, name in inline:
        pieces += [text[last:start], sparql_term(bindings[name])]
        last = end
    pieces.append(text[last:])
    kept = sorted(named)
    if kept:
        pieces.append("\n" + values_block(kept, [tuple(bindings[name] for name in kept)]))
    return "".join(pieces)


@lru_cache(maxsize=512)
def _places(text: str, names: frozenset[str]) -> tuple[tuple[tuple[int, int, str], ...], set]:
    """Where each variable of ``names`` can take a constant, and which must stay variables."""
    inline, kept = [], set()
    depth, parentheses = 0, 0
    naming: str | None = None  # inside a projection, a modifier list or a VALUES header
    naming_level = 0  # the parentheses depth where that started
    previous = ""
    trailing_values = False
    for token in tokenize(text):
        if token.kind in ("space", "comment"):
            continue
        word = token.text.upper() if token.kind == "word" else ""
        if word in _NAMING:
            naming, naming_level = _NAMING[word], parentheses
            trailing_values = trailing_values or (word == "VALUES" and depth == 0)
        elif naming and word in _CLAUSES:
            naming = None
        elif token.text == "(":
            parentheses += 1
        elif token.text == ")":
            parentheses -= 1
        elif token.text in "{}" and token.kind == "other":
            if naming and parentheses == naming_level:
                naming = None
            depth += 1 if token.text == "{" else -1
        elif token.kind == "variable" and token.text[1:] in names:
            name = token.text[1:]
            if naming or depth == 0 or previous == "AS":
                kept.add(name)
            else:
                inline.append((token.start, token.end, name))
        previous = word
    if kept and trailing_values:
        raise QueryError("a query that ends with VALUES cannot also take a projected parameter")
    return tuple(inline), kept


@lru_cache(maxsize=512)
def names_graphs(text: str) -> bool:
    """Whether the query ``text`` reads named graphs (``GRAPH``, ``FROM``, ``FROM NAMED``).

    >>> names_graphs("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"), names_graphs("ASK { }")
    (True, False)
    """
    return any(
        token.kind == "word" and token.text.upper() in ("GRAPH", "FROM") for token in tokenize(text)
    )
