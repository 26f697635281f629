"""Reading a SPARQL server's answers without being misled by them.

A server can answer ``200 OK`` with less than was asked for, or in a shape another server
would not use; these helpers make such answers errors or put them in the standard shape. See
:mod:`cop_graph.store.engines` for which server does what.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import requests

from cop_graph.errors import QueryError, StoreError
from cop_graph.store.sparql_text import tokenize

__all__ = [
    "accept_for",
    "ask_table_as_boolean",
    "check_whole",
    "explanation",
    "plain_blank_nodes",
]

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
#: for CONSTRUCT and DESCRIBE (Virtuoso would send their triples as a table if it could)
_ACCEPT_TRIPLES = "application/n-triples, text/turtle;q=0.8"
#: the variable of Virtuoso's one-row table answering an ASK
_ASK_COLUMN = "__ASK_RETVAL"


def accept_for(sparql: str) -> str:
    """The answer formats to ask for: triples for a CONSTRUCT or DESCRIBE, else results."""
    for token in tokenize(sparql):
        if token.kind == "word" and token.text.upper() in ("SELECT", "ASK"):
            return _ACCEPT
        if token.kind == "word" and token.text.upper() in ("CONSTRUCT", "DESCRIBE"):
            return _ACCEPT_TRIPLES
    return _ACCEPT


def check_whole(response: requests.Response, url: str) -> None:
    """Refuse an answer the server marks as incomplete, though it says ``200 OK``."""
    cap = response.headers.get("X-SPARQL-MaxRows")
    if cap is not None:
        raise StoreError(
            f"the SPARQL server at {url} cut its answer short at its limit of {cap} rows; "
            "raise that limit (Virtuoso: ResultSetMaxRows in virtuoso.ini) or ask for less"
        )
    state = response.headers.get("X-SQL-State")
    if state is not None:
        said = response.headers.get("X-SQL-Message", "")
        raise QueryError(
            f"the SPARQL server stopped the query before the end ({state} {said}".strip()
            + "); ask a narrower question"
        )


def ask_table_as_boolean(answer):
    """An ASK answered as a one-row table (Virtuoso's ``__ASK_RETVAL``) as a plain boolean."""
    if isinstance(answer, ox.QuerySolutions) and [v.value for v in answer.variables] == [
        _ASK_COLUMN
    ]:
        rows = list(answer)
        return bool(rows) and rows[0][0] is not None and rows[0][0].value not in ("0", "false")
    return answer


def explanation(response: requests.Response) -> str:
    """What a server said when it refused, in one line: the sentence of an error in this app's
    own JSON shape (``{"ok": false, "error": …}``, from a server's store API), else its text."""
    text = response.text
    if response.headers.get("Content-Type", "").startswith("application/json"):
        try:
            said = response.json().get("error")
        except (ValueError, AttributeError):
            said = None
        text = said if isinstance(said, str) else text
    # Virtuoso repeats the whole query after its message, project prologue and all
    text = text.split("\nSPARQL query:\n", 1)[0]
    return " ".join(text.split())[:500] or response.reason or "no explanation"


def plain_blank_nodes(content: bytes, prefix: bytes) -> bytes:
    """SPARQL JSON results with ``prefix`` taken off blank node names (Virtuoso's
    ``nodeID://b10001``, which pyoxigraph refuses as a name). Literals are left alone: only
    a value following ``"type": "bnode"`` changes."""
    if not prefix:
        return content
    return re.sub(rb'("type": "bnode", "value": ")' + re.escape(prefix), rb"\1", content)
