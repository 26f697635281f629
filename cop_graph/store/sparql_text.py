"""Write bound values into SPARQL text, for servers that cannot take them beside the query.

The SPARQL 1.1 Protocol sends a query as text only, so the remote backend turns a query's
bindings into a ``VALUES`` block placed right after the opening ``{`` of the outermost WHERE
group. Joined first, it is seen by every pattern, FILTER and OPTIONAL of the query, which
gives the same answers as pyoxigraph's substitutions for the project's queries.

Finding that ``{`` needs a small lexer rather than a search, because braces also occur in
comments, strings and IRIs. The values themselves are written here from rdflib terms only:
strings are escaped and IRIs that SPARQL cannot hold are refused, so input from users never
becomes query syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from rdflib import Literal, URIRef
from rdflib.term import Node

from cop_graph.errors import QueryError

__all__ = [
    "sparql_term",
    "tokenize",
    "trailing_values_inside",
    "values_block",
    "with_bindings",
    "with_values",
]

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}
                |'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
                |"(?:[^"\\\n\r]|\\.)*"
                |'(?:[^'\\\n\r]|\\.)*')
    | (?P<variable>[?$]\w+)
    | (?P<name>(?:[^\W\d][\w.\-]*)?:(?:[\w.\-:]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])*)
    | (?P<word>[^\W\d]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_ILLEGAL_IN_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANGUAGE_TAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_VARIABLE_NAME = re.compile(r"\w+")
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class _Token(NamedTuple):
    kind: str
    text: str
    start: int
    end: int


def with_bindings(query: str, bindings: Mapping[str, Node] | None) -> str:
    """``query`` with each variable of ``bindings`` fixed to its value.

    >>> print(with_bindings("SELECT ?name WHERE { ?place rdfs:label ?name }",
    ...                     {"place": URIRef("https://example.org/wigan")}))
    SELECT ?name WHERE { VALUES (?place) { (<https://example.org/wigan>) } ?place rdfs:label ?name }
    """
    if not bindings:
        return query
    return with_values(query, list(bindings), [tuple(bindings.values())])


def with_values(query: str, variables: Sequence[str], rows: Sequence[Sequence[Node]]) -> str:
    """``query`` joined with a table of values (one solution per row) before anything else."""
    block = values_block(variables, rows)
    placed = _inside_where(query, block)
    # CONSTRUCT WHERE { … } (its pattern is also its template) and DESCRIBE without WHERE
    # take the values as a trailing VALUES clause instead.
    return f"{query}\n{block}" if placed is None else placed


def trailing_values_inside(query: str) -> str:
    """``query`` with its trailing ``VALUES`` clause moved to the start of its WHERE group,
    where it means the same for the project's queries (their bound variables are constants
    in the patterns too); as it is without one, or without a WHERE group to hold it.

    Why: Virtuoso 7.2 answers nothing at all when a trailing ``VALUES`` names a variable that
    the WHERE group does not use (:mod:`cop_graph.queries.binding` writes such clauses).

    >>> print(trailing_values_inside('SELECT ?a ?b WHERE { ?a ?p "x" } VALUES (?b) { ("x") }'))
    SELECT ?a ?b WHERE { VALUES (?b) { ("x") } ?a ?p "x" }
    """
    tokens = [t for t in _tokenize(query) if t.kind not in ("space", "comment")]
    form = _form(tokens)
    opening = None if form is None else _where_group(tokens, form)
    closing = None if opening is None else _matching_brace(tokens, opening)
    if closing is None:
        return query
    depth = 0
    for token in tokens[closing + 1 :]:
        if token.kind == "other" and token.text in "{(":
            depth += 1
        elif token.kind == "other" and token.text in "})":
            depth -= 1
        elif depth == 0 and _is_word(token, "VALUES"):
            head, block = query[: token.start].rstrip(), query[token.start :].strip()
            placed = _inside_where(head, block)
            return query if placed is None else placed.rstrip()
    return query


def _form(tokens: list[_Token]) -> int | None:
    """Index of the query form keyword (SELECT, ASK, CONSTRUCT or DESCRIBE)."""
    return next(
        (i for i, t in enumerate(tokens) if t.kind == "word" and t.text.upper() in _QUERY_FORMS),
        None,
    )


def _inside_where(query: str, block: str) -> str | None:
    """``query`` with ``block`` first in its WHERE group; None when it has no WHERE group."""
    tokens = [t for t in _tokenize(query) if t.kind not in ("space", "comment")]
    form = _form(tokens)
    if form is None:
        raise QueryError("the query has no SELECT, ASK, CONSTRUCT or DESCRIBE to put values in")
    opening = _where_group(tokens, form)
    if opening is None:
        return None
    start = tokens[opening].end
    closing = _matching_brace(tokens, opening)
    if closing is not None and _is_word(tokens[opening + 1], "SELECT"):
        # a group holding a sub-query cannot hold anything else: nest it beside the values
        end = tokens[closing].start
        return f"{query[:start]} {block} {{{query[start:end]}}} {query[end:]}"
    gap = "" if query[start : start + 1].isspace() else " "
    return f"{query[:start]} {block}{gap}{query[start:]}"


def values_block(variables: Sequence[str], rows: Sequence[Sequence[Node]]) -> str:
    """A ``VALUES`` block on one line (so error positions in the rest of the query hold).

    >>> values_block(["label"], [(Literal("Wigan", lang="en"),), (Literal("Bury"),)])
    'VALUES (?label) { ("Wigan"@en) ("Bury") }'
    """
    for name in variables:
        if not _VARIABLE_NAME.fullmatch(name):
            raise QueryError(f"{name!r} cannot be the name of a query variable")
    header = " ".join(f"?{name}" for name in variables)
    data = " ".join("(" + " ".join(sparql_term(value) for value in row) + ")" for row in rows)
    return f"VALUES ({header}) {{ {data} }}"


def sparql_term(term: Node) -> str:
    r"""The SPARQL text of an IRI or a literal.

    >>> print(sparql_term(Literal('say "hi"\n')))
    "say \"hi\"\n"
    >>> sparql_term(URIRef("https://example.org/a b"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cop_graph.errors.QueryError: 'https://example.org/a b' cannot be used in a query: ...
    """
    if isinstance(term, URIRef):
        return _iri(str(term))
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_STRING_ESCAPES) + '"'
        if term.language:
            if not _LANGUAGE_TAG.fullmatch(term.language):
                raise QueryError(f"{term.language!r} is not a language tag")
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^{_iri(str(term.datatype))}"
        return text
    raise QueryError(
        f"{term!r} cannot be sent to a SPARQL server as a value (only IRIs and literals can)"
    )


def _iri(value: str) -> str:
    if _ILLEGAL_IN_IRI.search(value):
        raise QueryError(
            f"{value!r} cannot be used in a query: an IRI cannot contain spaces or any of "
            '<>"{}|^`\\'
        )
    return f"<{value}>"


def _tokenize(text: str) -> Iterator[_Token]:
    for match in _TOKEN.finditer(text):
        yield _Token(match.lastgroup, match.group(), match.start(), match.end())


#: the tokens of SPARQL text, each with its ``kind`` (``space``, ``comment``, ``iri``,
#: ``string``, ``variable``, ``name``, ``word`` or ``other``), ``text``, ``start`` and ``end``
tokenize = _tokenize


def _is_word(token: _Token, word: str) -> bool:
    return token.kind == "word" and token.text.upper() == word


def _where_group(tokens: list[_Token], form: int) -> int | None:
    """Index of the ``{`` opening the WHERE group of the query whose form keyword is at ``form``."""
    position = form + 1
    if _is_word(tokens[form], "CONSTRUCT"):
        if position >= len(tokens) or tokens[position].text != "{":
            return None
        template_end = _matching_brace(tokens, position)
        if template_end is None:
            return None
        position = template_end + 1
    parentheses = 0  # braces inside ( … ) belong to expressions such as EXISTS { … }
    for index in range(position, len(tokens)):
        token = tokens[index]
        if token.kind != "other" and not _is_word(token, "VALUES"):
            continue
        if token.text == "(":
            parentheses += 1
        elif token.text == ")":
            parentheses -= 1
        elif parentheses == 0 and token.text == "{":
            return index
        elif parentheses == 0 and _is_word(token, "VALUES"):
            return None  # a trailing VALUES clause: the query has no WHERE group
    return None


def _matching_brace(tokens: list[_Token], opening: int) -> int | None:
    depth = 0
    for index in range(opening, len(tokens)):
        if tokens[index].kind != "other":
            continue
        if tokens[index].text == "{":
            depth += 1
        elif tokens[index].text == "}":
            depth -= 1
            if depth == 0:
                return index
    return None
