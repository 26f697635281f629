"""The public SPARQL endpoint (``/sparql``), its query page, VoID and the dataset dumps.

Speaks the SPARQL 1.1 Protocol to programs and shows a query page to people. Everything
that decides what a query may do and see lives in :mod:`cop_graph.sparql`; this module only
reads requests and writes responses.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    send_file,
    url_for,
)

from cop_graph import queries
from cop_graph.errors import QueryError
from cop_graph.namespaces import PREFIXES, sparql_prologue
from cop_graph.sparql.dataset import choose, public_graphs
from cop_graph.sparql.dumps import DUMPS, DumpCache
from cop_graph.sparql.engine import Job
from cop_graph.sparql.guard import inspect
from cop_graph.sparql.protocol import HTML, ProtocolError, formats_for, negotiate, read_request
from cop_graph.sparql.results import GRAPH_FORMATS
from cop_graph.sparql.runner import QueryTimeout, Runner, discard, make_runner, stream
from cop_graph.sparql.service_description import service_description
from cop_graph.sparql.table import graph_table, solutions_table
from cop_graph.sparql.void import public_graph_records, void_description
from cop_graph.web.errors import error_response
from cop_graph.web.negotiation import accepted, best_type, json_response, wants_json
from cop_graph.web.state import app_state

blueprint = Blueprint("sparql", __name__)

#: longest query accepted, in bytes (``SPARQL_MAX_QUERY_BYTES`` in the app config overrides)
MAX_QUERY_BYTES = 256 * 1024
#: most rows the query page shows (downloads give up to the result limit)
PAGE_ROWS = 1000
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Result-Truncated, X-Result-Limit",
}
_RDF_PAGES = [GRAPH_FORMATS[name] for name in ("turtle", "jsonld", "rdfxml", "ntriples")]
_STARTER = "SELECT ?community ?name WHERE {\n  ?community a cop:CommunityOfPurpose ;\n" + (
    "    rdfs:label ?name .\n}\nORDER BY ?name\nLIMIT 20\n"
)


@dataclass
class _Endpoint:
    runner: Runner
    dumps: DumpCache


def _endpoint() -> _Endpoint:
    """The runner and dump cache of this app, made on first use (workers start lazily)."""
    state = app_state()
    return state.lazily(
        "endpoint",
        lambda: _Endpoint(make_runner(state.store, state.settings.query_timeout), DumpCache()),
    )


def _settings():
    return app_state().settings


def _error(status: int, message: str) -> Response:
    """The one error shape, readable from other sites' pages like every answer here."""
    return error_response(status, message, headers=_CORS)


def _failure(status: int, message: str, query: str | None = None) -> Response:
    """A refused request: the query page with the message for people (who asked by GET),
    the one error shape for programs."""
    if request.method == "GET" and not wants_json():
        return _page(query or "", error=message, status=status)
    return _error(status, message)


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS"])
@blueprint.route("/sparql/", methods=["GET", "POST", "OPTIONS"], endpoint="endpoint_slash")
def endpoint():
    if request.method == "OPTIONS":
        headers = {**_CORS, "Access-Control-Allow-Methods": "GET, POST, OPTIONS"}
        headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        return Response(status=204, headers=headers)
    limit = current_app.config.get("SPARQL_MAX_QUERY_BYTES", MAX_QUERY_BYTES)
    if (request.content_length or 0) > limit + 4096:
        return _failure(413, f"The request is longer than the limit of {limit:,} bytes.")
    try:
        asked = read_request(
            request.method,
            request.mimetype,
            request.mimetype_params.get("charset"),
            request.args.to_dict(flat=False),
            request.form.to_dict(flat=False)
            if request.mimetype == "application/x-www-form-urlencoded"
            else {},
            request.get_data() if request.mimetype == "application/sparql-query" else b"",
            limit,
        )
    except ProtocolError as error:
        return _failure(error.status, str(error))
    if asked.query is None:
        return _without_query()
    return _answer(asked)


def _without_query() -> Response:
    """The query page for browsers, the service description for programs."""
    offered = [HTML.media_type] + [f.media_type for f in _RDF_PAGES]
    best = best_type(offered)
    if best == HTML.media_type:
        example = request.args.get("example")
        text = queries.get(f"examples/{example}").text if example in _example_names() else None
        return _page(text or _STARTER, example=example)
    if accepted() and best is None:
        return _error(406, "The service description is available as " + ", ".join(offered[1:]))
    fmt = next((f for f in _RDF_PAGES if f.media_type == best), _RDF_PAGES[0])
    settings = _settings()
    graphs = {g.iri: g.triples for g in public_graph_records(app_state().store)}
    description = service_description(
        url_for("sparql.endpoint", _external=True),
        graphs,
        settings.query_timeout,
        settings.result_limit,
    )
    body = description.serialize(format=_RDFLIB_FORMATS[fmt.name])
    return Response(body, mimetype=fmt.media_type, headers={**_CORS, "Vary": "Accept"})


_RDFLIB_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}


def _answer(asked) -> Response:
    try:
        inspection = inspect(asked.query, PREFIXES)
        fmt = negotiate(
            inspection.form,
            request.values.get("format") or request.values.get("output"),
            accepted(),
            offer_html=request.method == "GET",
        )
        graphs = public_graphs(app_state().store)
        dataset = choose(inspection, graphs, asked.default_graph_uris, asked.named_graph_uris)
    except QueryError as error:
        return _failure(getattr(error, "status", 400), str(error), asked.query)
    if fmt is HTML:
        return _page(asked.query, form=inspection.form, dataset=dataset)
    limit = _settings().result_limit
    job = _job(asked.query, dataset, fmt.name, limit)
    try:
        outcome = _endpoint().runner.run(job)
    except QueryError as error:
        return _error(getattr(error, "status", 503), str(error))
    if not outcome.ok:
        return _error(outcome.status, outcome.error)
    headers = {**_CORS, "Vary": "Accept", "X-Result-Limit": str(limit)}
    if outcome.truncated:
        headers["X-Result-Truncated"] = "true"
    if request.values.get("download"):
        headers["Content-Disposition"] = f'attachment; filename="answer.{fmt.extension}"'
    mimetype = fmt.media_type
    if mimetype.startswith("text/"):
        mimetype += "; charset=utf-8"
    response = Response(stream(outcome), headers=headers, content_type=mimetype)
    response.call_on_close(lambda: discard(outcome))
    return response


def _job(query: str, dataset, fmt: str, limit: int) -> Job:
    return Job(
        query,
        dataset.default_graph,
        dataset.named_graphs,
        fmt,
        limit,
        prefixes=PREFIXES,
        base_iri=url_for("sparql.endpoint", _external=True),
    )


def _example_names() -> list[str]:
    return [name.split("/", 1)[1] for name in queries.names("examples")]


def _examples() -> list:
    return [queries.get(f"examples/{name}") for name in _example_names()]


def _run_for_page(query: str, form: str, dataset) -> dict:
    """Run ``query`` for the page: the table (at most :data:`PAGE_ROWS` rows) and notices."""
    fmt = "ntriples" if form in ("CONSTRUCT", "DESCRIBE") else "json"
    rows = min(PAGE_ROWS, _settings().result_limit)
    job = _job(query, dataset, fmt, rows)
    try:
        outcome = _endpoint().runner.run(job)
    except QueryTimeout as error:
        return {"error": str(error), "status": 503}
    except QueryError as error:
        return {"error": str(error), "status": getattr(error, "status", 503)}
    if not outcome.ok:
        return {"error": outcome.error, "status": outcome.status}
    answer = b"".join(stream(outcome))
    if form == "ASK":
        return {"boolean": b'"boolean":true' in answer}
    table = graph_table(answer) if fmt == "ntriples" else solutions_table(answer)
    return {"table": table, "truncated": outcome.truncated, "shown": rows}


def _page(query: str, *, form=None, dataset=None, error=None, status=200, example=None):
    result = _run_for_page(query, form, dataset) if form and dataset is not None else {}
    status = result.pop("status", status)
    downloads = []
    if form:
        for fmt in formats_for(form).values():
            href = url_for("sparql.endpoint", query=query, format=fmt.name, download=1)
            downloads.append({"label": fmt.label, "href": href})
    body = render_template(
        "sparql.html",
        query=query,
        error=error or result.pop("error", None),
        result=result,
        downloads=downloads,
        share=url_for("sparql.endpoint", query=query, _external=True) if form else None,
        examples=_examples(),
        example=example,
        prologue=sparql_prologue(),
        limit=_settings().result_limit,
        timeout=_settings().query_timeout,
        dumps=DUMPS.values(),
    )
    return Response(body, status=status, mimetype="text/html")


@blueprint.get("/sparql/examples")
def examples_json():
    """The example queries with their metadata, for the page's picker and for programs."""
    listed = [
        {
            "name": q.name.split("/", 1)[1],
            "title": q.title,
            "description": q.description,
            "audience": q.audience,
            "params": q.params,
            "query": q.text,
        }
        for q in _examples()
    ]
    return json_response({"ok": True, "examples": listed}, headers=_CORS)


@blueprint.get("/.well-known/void")
def void():
    best = best_type([f.media_type for f in _RDF_PAGES])
    fmt = next((f for f in _RDF_PAGES if f.media_type == best), _RDF_PAGES[0])
    dumps = [url_for("sparql.download", filename=name, _external=True) for name in DUMPS]
    description = void_description(
        url_for("sparql.void", _external=True) + "#dataset",
        url_for("sparql.endpoint", _external=True),
        dumps,
        public_graph_records(app_state().store),
    )
    body = description.serialize(format=_RDFLIB_FORMATS[fmt.name])
    return Response(body, mimetype=fmt.media_type, headers={**_CORS, "Vary": "Accept"})


@blueprint.get("/downloads/<filename>")
def download(filename: str):
    if filename not in DUMPS:
        return _error(404, f'There is no download called "{filename}".')
    path = _endpoint().dumps.file(app_state().store, filename)
    response = send_file(
        path, mimetype="application/gzip", as_attachment=True, download_name=filename
    )
    response.headers.update(_CORS)
    return response
