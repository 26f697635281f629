"""Query text rewritten, with the same meaning, for an engine that reads less of SPARQL.

Virtuoso 7.2 refuses a ``VALUES`` clause after a query's WHERE group unless the query is a
SELECT ("BINDINGS is not supported at top level for queries other than SELECT"); does not
read backslash escapes in prefixed names (``id:place\\/wigan``); and keeps language tags in
lower case, yet answers with a tag written in the query as it was written. Bound values reach
a ``CONSTRUCT WHERE`` (whose pattern is also its template) and a ``DESCRIBE`` without a WHERE
group only as such a clause (:mod:`cop_graph.store.sparql_text`), so those forms are given a
WHERE group first (:func:`with_where_group`); escaped names are written out as full IRIs
(:func:`with_full_names`); and tags are sent in lower case (:func:`with_lower_case_languages`).
All work on the tokens of :func:`cop_graph.store.sparql_text.tokenize`, so that strings, IRIs
and comments are never mistaken for syntax.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from cop_graph.store.sparql_text import tokenize

__all__ = ["query_form", "with_full_names", "with_lower_case_languages", "with_where_group"]

_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
#: what may stand between DESCRIBE and its WHERE group: what it describes, and datasets
_DESCRIBED = {"variable", "iri", "name"}
_DATASET_WORDS = {"FROM", "NAMED"}
_ESCAPE = re.compile(r"\\(.)")
_LANGUAGE_TAG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")


def query_form(query: str) -> str | None:
    """The form of ``query`` (``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``), or None.

    >>> query_form("PREFIX select: <https://example.org/> DESCRIBE select:x")
    'DESCRIBE'
    """
    for token in tokenize(query):
        if token.kind == "word" and token.text.upper() in _FORMS:
            return token.text.upper()
    return None


def with_where_group(query: str) -> str:
    """``query`` with a WHERE group where its form allows none to be written, so that a
    ``VALUES`` clause can go inside one: ``CONSTRUCT WHERE { P }`` as
    ``CONSTRUCT { P } WHERE { P }`` (the short form's pattern holds triple patterns only, so
    it is a template as it is), and ``DESCRIBE ?x`` as ``DESCRIBE ?x WHERE { }``. Any other
    query is given back as it is.

    >>> with_where_group("CONSTRUCT WHERE { ?c cop:operatesIn ?place }")
    'CONSTRUCT { ?c cop:operatesIn ?place } WHERE { ?c cop:operatesIn ?place }'
    >>> with_where_group("DESCRIBE ?c\\nVALUES (?c) { (<https://example.org/c>) }")
    'DESCRIBE ?c WHERE { }\\nVALUES (?c) { (<https://example.org/c>) }'
    """
    tokens = [t for t in tokenize(query) if t.kind not in ("space", "comment")]
    form = next(
        (i for i, t in enumerate(tokens) if t.kind == "word" and t.text.upper() in _FORMS), None
    )
    if form is None or tokens[form].text.upper() not in ("CONSTRUCT", "DESCRIBE"):
        return query
    if tokens[form].text.upper() == "CONSTRUCT":
        return _constructed_from_pattern(query, tokens, form)
    for token in tokens[form + 1 :]:
        if token.text == "*" or token.kind in _DESCRIBED or token.text.upper() in _DATASET_WORDS:
            continue
        if token.text == "{" or token.text.upper() == "WHERE":
            return query  # it has a WHERE group
        return f"{query[: token.start].rstrip()} WHERE {{ }}\n{query[token.start :]}"
    return f"{query.rstrip()} WHERE {{ }}"


def _constructed_from_pattern(query: str, tokens: list, form: int) -> str:
    """A ``CONSTRUCT WHERE { P }`` query (the form keyword at ``form``) with ``P`` written
    as its template too; a CONSTRUCT with a template as it is."""
    after = tokens[form + 1] if form + 1 < len(tokens) else None
    if after is None or after.text == "{":
        return query
    opening = next((i for i in range(form + 1, len(tokens)) if tokens[i].text == "{"), None)
    if opening is None:
        return query
    depth = 0
    for closing in range(opening, len(tokens)):
        if tokens[closing].kind != "other":
            continue
        depth += {"{": 1, "}": -1}.get(tokens[closing].text, 0)
        if depth == 0:
            pattern = query[tokens[opening].start : tokens[closing].end]
            end = tokens[form].end
            return f"{query[:end]} {pattern}{query[end:]}"
    return query


def with_full_names(query: str, prefixes: Mapping[str, str]) -> str:
    """``query`` with each prefixed name holding a backslash escape (``id:place\\/wigan``)
    written as the full IRI it stands for, from the query's own ``PREFIX`` declarations or
    else ``prefixes``; names of undeclared prefixes are left for the server to report.

    >>> with_full_names("ASK { ?c cop:operatesIn id:place\\\\/wigan }", {"id": "https://x.org/"})
    'ASK { ?c cop:operatesIn <https://x.org/place/wigan> }'
    """
    if "\\" not in query:
        return query
    tokens = [t for t in tokenize(query) if t.kind not in ("space", "comment")]
    declared = dict(prefixes)
    pieces, last = [], 0
    for index, token in enumerate(tokens):
        if token.kind != "name":
            continue
        prefix, _, local = token.text.partition(":")
        if index and tokens[index - 1].text.upper() == "PREFIX":
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is not None and following.kind == "iri":
                declared[prefix] = following.text[1:-1]
            continue
        if "\\" in local and prefix in declared:
            full = declared[prefix] + _ESCAPE.sub(r"\1", local)
            pieces += [query[last : token.start], f"<{full}>"]
            last = token.end
    pieces.append(query[last:])
    return "".join(pieces)


def with_lower_case_languages(query: str) -> str:
    """``query`` with the language tags of its literals in lower case.

    Why: RDF compares language tags without regard to case, and both the embedded store and
    Virtuoso keep them in lower case (``en-GB`` is read back as ``en-gb``); but Virtuoso
    answers a value it matched against a literal of the query with the tag as the query wrote
    it (``LANG(?name)`` after ``FILTER(?name = "Garden"@EN)`` is ``EN``). Lower case in
    the query gives the embedded store's answer.

    >>> with_lower_case_languages('SELECT * WHERE { ?s ?p "Wigan"@en-GB } # "x"@EN')
    'SELECT * WHERE { ?s ?p "Wigan"@en-gb } # "x"@EN'
    """
    if "@" not in query:
        return query
    pieces, last = [], 0
    for token in tokenize(query):
        if token.kind != "string":
            continue
        tag = _LANGUAGE_TAG.match(query, token.end)
        if tag is not None and tag[0] != tag[0].lower():
            pieces += [query[last : tag.start()], tag[0].lower()]
            last = tag.end()
    pieces.append(query[last:])
    return "".join(pieces)
