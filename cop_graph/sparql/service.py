"""The SPARQL endpoint as one function: a protocol request in, what to answer out.

:func:`answer` does what ``/sparql`` does, in the order the SPARQL 1.1 Protocol reads: read
the request, check the query, choose the answer's format and the graphs it may see, run it,
and say what to send. It knows nothing of Flask or any web framework: ``web/sparql.py`` turns
a Flask request into a :class:`ProtocolRequest` and each kind of reply into a response, so the
whole endpoint can be tested, and reused, without a web server.

A reply is one of three things: :class:`Data` (bytes or a stream, sent as they are),
:class:`Refusal` (a status and one plain-English sentence, which the web layer writes in the
site's one error shape), or :class:`QueryPage` (show the query page with this query, its
answer or its error: what a browser gets).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from cop_graph import queries
from cop_graph.errors import QueryError
from cop_graph.namespaces import PREFIXES
from cop_graph.scope import Scope
from cop_graph.sparql.dataset import Dataset, choose
from cop_graph.sparql.engine import Job, discard, stream
from cop_graph.sparql.examples import bind_example
from cop_graph.sparql.guard import inspect
from cop_graph.sparql.protocol import HTML, ProtocolError, formats_for, negotiate, read_request
from cop_graph.sparql.results import GRAPH_FORMATS, Format
from cop_graph.sparql.runner import Runner
from cop_graph.sparql.service_description import service_description
from cop_graph.sparql.table import graph_table, solutions_table
from cop_graph.sparql.void import public_graph_records, void_description

__all__ = [
    "CORS",
    "Data",
    "Endpoint",
    "Limits",
    "ProtocolRequest",
    "QueryPage",
    "Refusal",
    "answer",
    "describe_dataset",
    "example_queries",
]

#: what every answer carries, so that query tools running in other sites' pages work
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Result-Truncated, X-Result-Limit",
}
#: the RDF formats of the descriptions (service description, VoID), the first the default
DESCRIPTION_FORMATS = [GRAPH_FORMATS[name] for name in ("turtle", "jsonld", "rdfxml", "ntriples")]
_DESCRIPTION_TYPES = [f.media_type for f in DESCRIPTION_FORMATS]
_RDFLIB_NAMES = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}
#: what the query page shows when it opens without a query
STARTER = (
    "SELECT ?community ?name WHERE {\n  ?community a cop:CommunityOfPurpose ;\n"
    "    rdfs:label ?name .\n}\nORDER BY ?name\nLIMIT 20\n"
)


@dataclass(frozen=True)
class Limits:
    """How much the endpoint takes and gives."""

    #: seconds a query may run
    query_timeout: float
    #: most rows or triples in an answer
    result_limit: int
    #: longest query, in bytes
    max_query_bytes: int = 256 * 1024
    #: most rows the query page shows (its downloads give up to ``result_limit``)
    page_rows: int = 1000


@dataclass(frozen=True)
class Endpoint:
    """What the endpoint works with: the store (for its public graphs), the runner, the limits."""

    store: object
    runner: Runner
    limits: Limits


@dataclass(frozen=True)
class ProtocolRequest:
    """An HTTP request to the endpoint, as plain values.

    ``args`` and ``form`` map each name to its list of values; ``accept`` is the ``Accept``
    header as sent (None when there was none); ``wants_json`` is the site's one rule for
    whether the client is a program (answered in JSON) or a person (shown a page).
    """

    method: str
    endpoint_url: str
    media_type: str = ""
    charset: str | None = None
    args: Mapping[str, Sequence[str]] = field(default_factory=dict)
    form: Mapping[str, Sequence[str]] = field(default_factory=dict)
    body: bytes = b""
    content_length: int | None = None
    accept: str | None = None
    wants_json: bool = True

    def value(self, name: str) -> str | None:
        """The first value of ``name`` in the address or the form."""
        values = [*self.args.get(name, ()), *self.form.get(name, ())]
        return values[0] if values else None

    def accepted(self) -> MIMEAccept | None:
        return parse_accept_header(self.accept, MIMEAccept) if self.accept else None


@dataclass(frozen=True)
class Data:
    """An answer to send as it is; ``on_close`` runs once it has been sent (or abandoned)."""

    media_type: str
    body: bytes | Iterator[bytes]
    headers: dict[str, str]
    status: int = 200
    on_close: Callable[[], None] | None = None


@dataclass(frozen=True)
class Refusal:
    """A request the endpoint did not answer: the HTTP status and why, in one sentence."""

    status: int
    message: str
    headers: dict[str, str] = field(default_factory=lambda: dict(CORS))


@dataclass(frozen=True)
class QueryPage:
    """Show the query page: ``query`` in the editor, with its answer or its error.

    ``result`` holds ``table`` (a :class:`~cop_graph.sparql.table.Table`), ``truncated``,
    ``shown`` and ``graph`` (whether the table lists triples), or ``boolean`` for a yes/no
    question; ``formats`` are the downloads the answer can take (empty when nothing ran).
    """

    query: str
    status: int = 200
    error: str | None = None
    result: dict = field(default_factory=dict)
    formats: tuple[Format, ...] = ()
    example: str | None = None
    #: the example's parameters as given, kept in the form and in the page's links
    values: dict[str, str] = field(default_factory=dict)


Reply = Data | Refusal | QueryPage


def answer(request: ProtocolRequest, endpoint: Endpoint) -> Reply:
    """What to answer to one request to the endpoint (see the module docstring)."""
    if request.method == "OPTIONS":
        headers = {**CORS, "Access-Control-Allow-Methods": "GET, POST, OPTIONS"}
        headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        return Data("", b"", headers, status=204)
    if request.method not in ("GET", "POST"):
        message = "The endpoint answers GET and POST requests only."
        return Refusal(405, message, {**CORS, "Allow": "GET, POST, OPTIONS"})
    limit = endpoint.limits.max_query_bytes
    if (request.content_length or 0) > limit + 4096:
        return _refuse(request, 413, f"The request is longer than the limit of {limit:,} bytes.")
    try:
        asked = read_request(
            request.method,
            request.media_type,
            request.charset,
            request.args,
            request.form,
            request.body,
            limit,
        )
    except ProtocolError as error:
        return _refuse(request, error.status, str(error))
    if asked.query is None:
        return _without_query(request, endpoint)
    named = request.value("example")  # an example question and its parameters, if any
    try:
        bound = bind_example(asked.query, named, request.value)
        inspection = inspect(bound.text, PREFIXES)
        fmt = negotiate(
            inspection.form,
            request.value("format") or request.value("output"),
            request.accepted(),
            offer_html=request.method == "GET",
        )
        public = Scope.public(endpoint.store).iris
        dataset = choose(inspection, public, asked.default_graph_uris, asked.named_graph_uris)
    except QueryError as error:
        example = getattr(error, "example", None) or named
        return _refuse(request, getattr(error, "status", 400), str(error), asked.query, example)
    all_public = dataset == Dataset(public, public)
    if fmt is HTML:
        page = _page(bound.text, inspection.form, dataset, all_public, request, endpoint)
        return replace(page, query=asked.query, example=bound.example, values=bound.values)
    return _data(bound.text, fmt, dataset, all_public, request, endpoint)


def _refuse(
    request: ProtocolRequest, status: int, message: str, query: str = "", example=None
) -> Reply:
    """A refusal: on the query page for a person who asked by GET, else in the error shape.
    The page keeps the example's parameters as they were given, to correct them there."""
    if request.method == "GET" and not request.wants_json:
        known = {q.name.split("/", 1)[1]: q for q in example_queries()}
        params = known[example].params if example in known else {}
        values = {name: request.value(name) or "" for name in params}
        example = example if example in known else None
        return QueryPage(query, status=status, error=message, example=example, values=values)
    return Refusal(status, message)


def _job(query: str, dataset: Dataset, all_public: bool, fmt: str, rows: int, url: str) -> Job:
    return Job(
        query,
        dataset.default_graph,
        dataset.named_graphs,
        fmt,
        rows,
        all_public=all_public,
        prefixes=PREFIXES,
        base_iri=url,
    )


def _data(query, fmt, dataset, all_public, request, endpoint) -> Reply:
    """Run the query and send its answer in ``fmt``, streamed from where the runner left it."""
    limit = endpoint.limits.result_limit
    job = _job(query, dataset, all_public, fmt.name, limit, request.endpoint_url)
    try:
        outcome = endpoint.runner.run(job)
    except QueryError as error:
        return Refusal(getattr(error, "status", 503), str(error))
    if not outcome.ok:
        return Refusal(outcome.status, outcome.error)
    headers = {**CORS, "Vary": "Accept", "X-Result-Limit": str(limit)}
    if outcome.truncated:
        headers["X-Result-Truncated"] = "true"
    if request.value("download"):
        headers["Content-Disposition"] = f'attachment; filename="answer.{fmt.extension}"'
    media_type = fmt.media_type
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    return Data(media_type, stream(outcome), headers, on_close=lambda: discard(outcome))


def _page(query, form, dataset, all_public, request, endpoint) -> QueryPage:
    """The query page with the answer as a table (at most ``page_rows`` rows)."""
    fmt = "ntriples" if form in ("CONSTRUCT", "DESCRIBE") else "json"
    rows = min(endpoint.limits.page_rows, endpoint.limits.result_limit)
    formats = tuple(formats_for(form).values())
    job = _job(query, dataset, all_public, fmt, rows, request.endpoint_url)
    try:
        outcome = endpoint.runner.run(job)
    except QueryError as error:
        return QueryPage(query, getattr(error, "status", 503), str(error), formats=formats)
    if not outcome.ok:
        return QueryPage(query, outcome.status, outcome.error, formats=formats)
    text = b"".join(stream(outcome))
    if form == "ASK":
        return QueryPage(query, result={"boolean": b'"boolean":true' in text}, formats=formats)
    table = graph_table(text) if fmt == "ntriples" else solutions_table(text)
    result = {"table": table, "truncated": outcome.truncated, "shown": rows, "graph": fmt != "json"}
    return QueryPage(query, result=result, formats=formats)


def _without_query(request: ProtocolRequest, endpoint: Endpoint) -> Reply:
    """The query page for browsers, the service description for programs."""
    accept = request.accepted()
    if accept and accept.best_match([HTML.media_type, *_DESCRIPTION_TYPES]) == HTML.media_type:
        example = request.value("example")
        known = {q.name.split("/", 1)[1]: q for q in example_queries()}
        chosen = known.get(example or "")
        return QueryPage(chosen.text if chosen else STARTER, example=example)
    fmt = _description_format(accept)
    if fmt is None:
        return Refusal(
            406, "The service description is available as " + ", ".join(_DESCRIPTION_TYPES)
        )
    graphs = {g.iri: g.triples for g in public_graph_records(endpoint.store)}
    limits = endpoint.limits
    description = service_description(
        request.endpoint_url, graphs, limits.query_timeout, limits.result_limit
    )
    return _rdf(description, fmt)


def describe_dataset(
    accept: str | None, store, void_url: str, endpoint_url: str, dumps: list[str]
) -> Data:
    """The VoID description of the public dataset, in the RDF format ``accept`` prefers."""
    accepted = parse_accept_header(accept, MIMEAccept) if accept else None
    fmt = _description_format(accepted) or DESCRIPTION_FORMATS[0]
    records = public_graph_records(store)
    return _rdf(void_description(void_url + "#dataset", endpoint_url, dumps, records), fmt)


def _description_format(accept: MIMEAccept | None) -> Format | None:
    """The RDF format ``accept`` ranks highest for a description: Turtle without a header,
    None when the header accepts none of them."""
    if not accept:
        return DESCRIPTION_FORMATS[0]
    best = accept.best_match(_DESCRIPTION_TYPES)
    return next((f for f in DESCRIPTION_FORMATS if f.media_type == best), None)


def _rdf(graph, fmt: Format) -> Data:
    body = graph.serialize(format=_RDFLIB_NAMES[fmt.name], encoding="utf-8")
    return Data(fmt.media_type, body, {**CORS, "Vary": "Accept"})


def example_queries() -> list:
    """The example questions researchers and coordinators start from, as named queries."""
    return [queries.get(name) for name in queries.names("examples")]
