"""The public SPARQL endpoint (``/sparql``), its query page, VoID and the dataset dumps.

Only adapts Flask to :func:`cop_graph.sparql.service.answer`, which does everything the
endpoint does: a Flask request becomes a :class:`ProtocolRequest`, and the reply becomes a
response (data as it is, a refusal in the site's one error shape, or the query page).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template, request, send_file, url_for

from cop_graph.namespaces import sparql_prologue
from cop_graph.sparql.dumps import DUMPS, DumpCache
from cop_graph.sparql.runner import Runner, make_runner
from cop_graph.sparql.service import (
    CORS,
    Data,
    Endpoint,
    Limits,
    ProtocolRequest,
    QueryPage,
    Refusal,
    answer,
    describe_dataset,
    example_queries,
)
from cop_graph.web.errors import error_response
from cop_graph.web.negotiation import json_response, wants_json
from cop_graph.web.state import app_state

blueprint = Blueprint("sparql", __name__)

#: longest query accepted, in bytes (``SPARQL_MAX_QUERY_BYTES`` in the app config overrides)
MAX_QUERY_BYTES = 256 * 1024
_FORM = "application/x-www-form-urlencoded"


@dataclass
class _Endpoint:
    """What the endpoint keeps for the app's lifetime: its query runner and the dumps."""

    runner: Runner
    dumps: DumpCache


def _kept() -> _Endpoint:
    """The runner and dump cache of this app, made on first use (the query processes start
    then, not with the app)."""
    state = app_state()
    return state.lazily(
        "endpoint",
        lambda: _Endpoint(make_runner(state.store, state.settings.query_timeout), DumpCache()),
    )


def _endpoint() -> Endpoint:
    state = app_state()
    limits = Limits(
        query_timeout=state.settings.query_timeout,
        result_limit=state.settings.result_limit,
        max_query_bytes=current_app.config.get("SPARQL_MAX_QUERY_BYTES", MAX_QUERY_BYTES),
    )
    return Endpoint(state.store, _kept().runner, limits)


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS"])
@blueprint.route("/sparql/", methods=["GET", "POST", "OPTIONS"], endpoint="endpoint_slash")
def endpoint():
    limit = current_app.config.get("SPARQL_MAX_QUERY_BYTES", MAX_QUERY_BYTES)
    small = (request.content_length or 0) <= limit + 4096  # else refused before reading it
    asked = ProtocolRequest(
        method=request.method,
        endpoint_url=url_for("sparql.endpoint", _external=True),
        media_type=request.mimetype,
        charset=request.mimetype_params.get("charset"),
        args=request.args.to_dict(flat=False),
        form=request.form.to_dict(flat=False) if small and request.mimetype == _FORM else {},
        body=request.get_data() if small and request.mimetype != _FORM else b"",
        content_length=request.content_length,
        accept=request.headers.get("Accept"),
        wants_json=wants_json(),
    )
    return _respond(answer(asked, _endpoint()))


def _respond(reply) -> Response:
    if isinstance(reply, Refusal):
        return error_response(reply.status, reply.message, headers=reply.headers)
    if isinstance(reply, QueryPage):
        return _page(reply)
    response = Response(
        reply.body,
        status=reply.status,
        headers=reply.headers,
        mimetype=reply.media_type or None,
    )
    if reply.on_close is not None:
        response.call_on_close(reply.on_close)
    return response


def _page(page: QueryPage) -> Response:
    """The query page: the editor, the examples, and the answer or the error."""
    settings = app_state().settings
    downloads = [
        {
            "label": fmt.label,
            "href": url_for("sparql.endpoint", query=page.query, format=fmt.name, download=1),
        }
        for fmt in page.formats
    ]
    share = url_for("sparql.endpoint", query=page.query, _external=True) if page.formats else None
    body = render_template(
        "sparql.html",
        query=page.query,
        error=page.error,
        result=page.result,
        downloads=downloads,
        share=share,
        examples=example_queries(),
        example=page.example,
        prologue=sparql_prologue(),
        limit=settings.result_limit,
        timeout=settings.query_timeout,
        dumps=DUMPS.values(),
    )
    return Response(body, status=page.status, mimetype="text/html")


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
        for q in example_queries()
    ]
    return json_response({"ok": True, "examples": listed}, headers=CORS)


@blueprint.get("/.well-known/void")
def void():
    dumps = [url_for("sparql.download", filename=name, _external=True) for name in DUMPS]
    reply: Data = describe_dataset(
        request.headers.get("Accept"),
        app_state().store,
        url_for("sparql.void", _external=True),
        url_for("sparql.endpoint", _external=True),
        dumps,
    )
    return _respond(reply)


@blueprint.get("/downloads/<filename>")
def download(filename: str):
    if filename not in DUMPS:
        return error_response(404, f'There is no download called "{filename}".', headers=CORS)
    path = _kept().dumps.file(app_state().store, filename)
    response = send_file(
        path, mimetype="application/gzip", as_attachment=True, download_name=filename
    )
    response.headers.update(CORS)
    return response
