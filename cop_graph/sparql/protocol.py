"""The SPARQL 1.1 Protocol's rules for reading a request and choosing an answer format.

Kept apart from Flask so the rules read as the specification does: a query comes by GET
(``?query=``), by POST of a form, or by POST of the query itself (``application/sparql-query``,
UTF-8); the dataset by ``default-graph-uri`` / ``named-graph-uri``; the format by ``Accept``
or by a ``format`` parameter (what SPARQLWrapper and browsers' download links send).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cop_graph.errors import QueryError
from cop_graph.sparql.results import BOOLEAN_FORMATS, GRAPH_FORMATS, TABLE_FORMATS, Format

__all__ = [
    "HTML",
    "ProtocolError",
    "QueryRequest",
    "formats_for",
    "negotiate",
    "read_request",
]

#: the query page, offered to browsers alongside the data formats
HTML = Format("html", "text/html", "html", "Web page")

#: other names clients use for the same formats, per kind of answer
_TABLE_ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "srj": "json",
    "srx": "xml",
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_ALIASES = {
    "ttl": "turtle",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "json-ld": "jsonld",
    "json": "jsonld",
    "rdf": "rdfxml",
    "xml": "rdfxml",
    "rdf+xml": "rdfxml",
    "application/x-turtle": "turtle",
    "application/json": "jsonld",
    "application/xml": "rdfxml",
    "text/plain": "ntriples",
    **{f.media_type: f.name for f in GRAPH_FORMATS.values()},
}


class ProtocolError(QueryError):
    """A request the protocol does not allow; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueryRequest:
    """What a protocol request asks: the query text (None: no query) and its dataset."""

    query: str | None
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()


def _one(values: Sequence[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(f'Send one "{name}" parameter, not {len(values)}.')
    return values[0] if values else None


def read_request(
    method: str,
    mimetype: str,
    charset: str | None,
    args: Mapping[str, Sequence[str]],
    form: Mapping[str, Sequence[str]],
    body: bytes,
    max_bytes: int,
) -> QueryRequest:
    """Read a protocol request (``args`` and ``form`` map names to lists of values).

    >>> read_request("GET", "", None, {"query": ["ASK {}"]}, {}, b"", 1000).query
    'ASK {}'
    >>> read_request("POST", "text/plain", None, {}, {}, b"ASK {}", 1000)
    Traceback (most recent call last):
    ...
    cop_graph.sparql.protocol.ProtocolError: Send the query as application/sparql-query or as a form (application/x-www-form-urlencoded), not text/plain.
    """  # noqa: E501
    if "update" in args or "update" in form or mimetype == "application/sparql-update":
        raise ProtocolError(
            "This endpoint is read-only: it answers queries and never changes data.", 403
        )
    default_graphs = tuple(args.get("default-graph-uri", ()))
    named_graphs = tuple(args.get("named-graph-uri", ()))
    if method == "GET":
        query = _one(args.get("query", ()), "query")
    elif mimetype == "application/x-www-form-urlencoded":
        query = _one([*args.get("query", ()), *form.get("query", ())], "query")
        default_graphs += tuple(form.get("default-graph-uri", ()))
        named_graphs += tuple(form.get("named-graph-uri", ()))
    elif mimetype == "application/sparql-query":
        if charset and charset.lower().replace("-", "") != "utf8":
            raise ProtocolError(f"Send the query in UTF-8, not {charset}.", 415)
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError("The query is not valid UTF-8 text.", 415) from None
        if "query" in args:
            raise ProtocolError('Send the query either in the body or as "query", not both.')
    else:
        raise ProtocolError(
            "Send the query as application/sparql-query or as a form "
            f"(application/x-www-form-urlencoded), not {mimetype or 'without a content type'}.",
            415,
        )
    if query is not None and not query.strip():
        raise ProtocolError("The query is empty: send a SELECT, ASK, CONSTRUCT or DESCRIBE query.")
    if query is not None and len(query.encode("utf-8")) > max_bytes:
        raise ProtocolError(f"The query is longer than the limit of {max_bytes:,} bytes.", 413)
    return QueryRequest(query, default_graphs, named_graphs)


def formats_for(form: str) -> dict[str, Format]:
    """The formats an answer to a query of this form (``SELECT``, ``ASK``…) can take."""
    if form == "ASK":
        return BOOLEAN_FORMATS
    if form == "SELECT":
        return TABLE_FORMATS
    return GRAPH_FORMATS


def negotiate(form: str, format_param: str | None, accept, offer_html: bool) -> Format:
    """The answer format: the ``format`` parameter if given, else the best ``Accept`` match.

    ``accept`` is a werkzeug ``MIMEAccept``; the first format listed for the form is the
    default for ``*/*`` and for a request without ``Accept``.
    """
    formats = formats_for(form)
    aliases = _GRAPH_ALIASES if form in ("CONSTRUCT", "DESCRIBE") else _TABLE_ALIASES
    if format_param:
        key = format_param.strip().lower()
        if key == "html" and offer_html:
            return HTML
        name = key if key in formats else aliases.get(key.split(";")[0])
        if name in formats:
            return formats[name]
        raise ProtocolError(
            f'"{format_param}" is not a format this answer can take; use one of: '
            + ", ".join(formats)
            + ".",
            406,
        )
    if not accept:
        return next(iter(formats.values()))
    offered = [f.media_type for f in formats.values()]
    offered += [alias for alias in aliases if "/" in alias and aliases[alias] in formats]
    if offer_html:
        offered.append(HTML.media_type)
    # a browser's "text/html, …, */*;q=0.8" must pick the page, not the first data format
    best = accept.best_match(offered)
    if best is None:
        raise ProtocolError(
            "None of the formats in the Accept header can carry this answer; this one can be "
            "sent as " + ", ".join(f.media_type for f in formats.values()) + ".",
            406,
        )
    if best == HTML.media_type:
        return HTML
    for fmt in formats.values():
        if fmt.media_type == best:
            return fmt
    return formats[aliases[best]]
