"""The public SPARQL endpoint (``/sparql``), its query page, VoID and the dataset dumps.

Only adapts Flask to :func:`cop_graph.sparql.service.answer`, which does everything the
endpoint does: a Flask request becomes a :class:`ProtocolRequest`, and the reply becomes a
response (data as it is, a refusal in the site's one error shape, or the query page).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template, request, send_file, url_for
from markupsafe import Markup

from cop_graph.namespaces import PREFIXES, sparql_prologue
from cop_graph.pages.home import map_counts
from cop_graph.pages.maps import map_svg, ward_areas
from cop_graph.sparql.dumps import DUMPS, DumpCache
from cop_graph.sparql.examples import required_parameters
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
from cop_graph.sparql.table import link_for
from cop_graph.sparql.vocabulary import completion_terms
from cop_graph.web.browsing import cached, href, public_data
from cop_graph.web.errors import error_response
from cop_graph.web.headers import content_security_policy
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
    asked = {"query": page.query}
    if page.example:
        asked.update({"example": page.example, **{k: v for k, v in page.values.items() if v}})
    downloads = [
        {
            "label": fmt.label,
            "href": url_for("sparql.endpoint", **asked, format=fmt.name, download=1),
        }
        for fmt in page.formats
    ]
    share = url_for("sparql.endpoint", **asked, _external=True) if page.formats else None
    chosen = next((q for q in example_queries() if q.name == f"examples/{page.example}"), None)
    nonce = secrets.token_urlsafe(16)
    body = render_template(
        "sparql.html",
        query=page.query,
        error=page.error,
        result=page.result,
        downloads=downloads,
        share=share,
        examples=example_queries(),
        example=page.example,
        parameters=_parameters(chosen, page.values),
        result_map=_result_map(page.result.get("table")),
        nonce=nonce,
        prologue=sparql_prologue(),
        limit=settings.result_limit,
        timeout=settings.query_timeout,
        dumps=DUMPS.values(),
    )
    response = Response(body, status=page.status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = content_security_policy(style_nonce=nonce)
    return response


def _parameters(example, values: dict[str, str]) -> list[dict]:
    """The chosen example's parameters as form fields: name, meaning, whether required, and
    the value given."""
    if example is None:
        return []
    required = required_parameters(example)
    return [
        {
            "name": name,
            "meaning": meaning,
            "required": name in required,
            "value": values.get(name, ""),
        }
        for name, meaning in example.params.items()
    ]


def _result_map(table) -> Markup | None:
    """The app's map with the localities or wards an answer names outlined (None when it
    names none): the "map" view of the answer. The shading is the map's usual one (communities
    per place), so its labels stay true whatever the answer counts."""
    if table is None or not table.rows:
        return None
    counts = cached("map-counts", lambda: map_counts(public_data()))
    by_link = {link_for(place["iri"]): code for code, place in counts.items()}
    named = {by_link.get(cell.href) for row in table.rows for cell in row if cell and cell.href}
    wards = {area.code: area.locality for area in ward_areas()}
    localities = set(wards.values())
    shown = {c for c in named if c in wards or c in localities}
    if not shown:
        return None
    by = "ward" if any(c in wards for c in shown) else "locality"
    kept = frozenset(c for c in shown if (c in wards) == (by == "ward"))
    places = {c: p for c, p in counts.items() if (c in wards) == (by == "ward")}
    links = {c: (href(p["iri"]) or "", p["label"]) for c, p in places.items()}
    numbers = {c: p["communities"] for c, p in places.items()}
    kind = "wards" if by == "ward" else "localities"
    title = (
        f"Map of Greater Manchester: the {len(kept)} {kind} in this answer outlined, "
        "every place shaded by its number of communities"
    )
    # every text in the map is escaped where the SVG is written
    return Markup(map_svg(numbers, links, by=by, highlight=kept, title=title))


@blueprint.get("/sparql/terms")
def terms_json():
    """The prefixes and vocabulary terms the editor completes, with their labels."""
    body = {"ok": True, "prefixes": PREFIXES, "terms": list(completion_terms())}
    headers = {**CORS, "Cache-Control": "public, max-age=3600"}
    return json_response(body, headers=headers)


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
            "required": required_parameters(q),
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
