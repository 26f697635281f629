"""The store owner's API: how command-line programs read and write the store while the server
holds it.

RocksDB lets one process open the on-disk store, so while ``cop-graph serve`` runs, commands
such as ``cop-graph import`` work through it (see :mod:`cop_graph.store.owner`): they find the
address and a token in the owner record beside the store and talk to this API with the
ordinary remote-store client. It answers the SPARQL 1.1 Query, Update and Graph Store
protocols in the oxigraph server's layout (``/_store/query``, ``/_store/update``,
``/_store/store``), from the app's own store (:mod:`cop_graph.store.served` does the work).
``cop-graph analyse`` asks ``/_store/analysis/<name>`` for its answer as it would print it
(and ``…/graph.<format>`` for the file ``--export`` writes), from the graphs the site keeps
built (see :func:`cop_graph.web.analysis.command_line_answer`).

Only the holder of the token gets in: ``Authorization: Bearer <token>``, compared in constant
time; no header is a 401, a wrong token a 403, and an app that was given no token (tests,
a remote store) has no such API at all (404). The token is never logged. Writes hold the
app's write lock, so they take turns with imports and self-assessments made in the browser.
Uploads may be as large as a whole graph: the app's upload limit is for browsers, not for
the store's owner.
"""

from __future__ import annotations

import functools
import gzip
import hmac

from flask import Blueprint, Flask, Response, request

from cop_graph.errors import QueryError, StoreError, UsageError
from cop_graph.store import served
from cop_graph.web.errors import error_response
from cop_graph.web.state import app_state

__all__ = ["authorise", "blueprint", "init_store_api"]

blueprint = Blueprint("store_api", __name__, url_prefix="/_store")

_TOKEN = "store_api_token"
#: the owner may send whole graphs and long lists of graph names
_NO_LIMIT = 2**62


def init_store_api(app: Flask) -> None:
    """Register the API (the factory calls this once). It answers nothing until authorised."""
    from cop_graph.web.auth import csrf

    app.register_blueprint(blueprint)
    csrf.exempt(blueprint)  # programs with a token, not browsers with a cookie


def authorise(app: Flask, token: str) -> None:
    """Open the API to holders of ``token`` (``cop-graph serve`` puts it in the owner record)."""
    with app.app_context():
        app_state().extras[_TOKEN] = token


@blueprint.before_request
def _holder_of_the_token_only():
    expected = app_state().extras.get(_TOKEN)
    if not expected:
        return error_response(404)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return error_response(
            401,
            "The store's API needs the token from the owner record beside the store.",
            headers={"WWW-Authenticate": 'Bearer realm="cop-graph store"'},
        )
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        return error_response(403, "That token does not open this store.")
    request.max_content_length = _NO_LIMIT
    request.max_form_memory_size = _NO_LIMIT
    return None


def _answering(view):
    """Turn the store's refusals into the app's error shape: 400 for a request that does not
    parse, 500 with the reason for one the store could not carry out."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except served.InvalidRequest as error:
            return error_response(400, str(error))
        except (QueryError, StoreError) as error:
            return error_response(500, str(error))

    return wrapped


@blueprint.route("/query", methods=["GET", "POST"])
@_answering
def query():
    if request.method == "GET":
        fields, text = request.args, request.args.get("query")
    elif request.mimetype == "application/sparql-query":
        fields, text = request.args, request.get_data(as_text=True)
    else:
        fields, text = request.form, request.form.get("query")
    if not text:
        return error_response(400, "Give the query in the 'query' field.")
    body, media_type = served.answer_query(
        app_state().store,
        text,
        fields.getlist("default-graph-uri"),
        fields.getlist("named-graph-uri"),
    )
    return Response(body, mimetype=media_type)


@blueprint.post("/update")
@_answering
def update():
    if request.mimetype == "application/sparql-update":
        text = request.get_data(as_text=True)
    else:
        text = request.form.get("update")
    if not text:
        return error_response(400, "Give the update as application/sparql-update.")
    with app_state().write_lock:
        served.run_update(app_state().store, text)
    return Response(status=204)


@blueprint.route("/store", methods=["GET", "POST"])
@_answering
def graph_store():
    name = request.args.get("graph")
    if not name:
        return error_response(400, "Name the graph in the 'graph' parameter.")
    store = app_state().store
    if request.method == "GET":
        if not served.graph_exists(store, name):
            return error_response(404, f"There is no graph {name} in the store.")
        return Response(served.graph_ntriples(store, name), mimetype=served.GRAPH_MEDIA_TYPE)
    if request.mimetype != served.GRAPH_MEDIA_TYPE:
        return error_response(415, "Send the graph's triples as application/n-triples.")
    with app_state().write_lock:
        served.add_ntriples(store, name, request.stream)
    return Response(status=204)


@blueprint.get("/analysis/<name>")
def analysis(name: str):
    """What ``cop-graph analyse NAME`` prints, as ``?format=`` (table, csv or json), with the
    analysis's options as parameters: a 400 with the command's own message for options it
    cannot take."""
    from cop_graph.web.analysis import command_line_answer

    options = {k: v for k, v in request.args.items() if k != "format" and v}
    try:
        gzipped = command_line_answer(name, options, request.args.get("format", "table"))
    except UsageError as error:
        return error_response(400, str(error))
    if "gzip" in request.accept_encodings:  # as remembered: the command's client unzips it
        answer = Response(gzipped, mimetype="text/plain")
        answer.headers["Content-Encoding"] = "gzip"
        return answer
    return Response(gzip.decompress(gzipped), mimetype="text/plain")


@blueprint.get("/analysis/<name>/graph.<fmt>")
def analysis_graph(name: str, fmt: str):
    """The file ``cop-graph analyse NAME --export FMT`` writes (GraphML, GEXF or CSV)."""
    from cop_graph.web.analysis import command_line_graph

    options = {k: v for k, v in request.args.items() if v}
    try:
        data = command_line_graph(name, options, fmt)
    except UsageError as error:
        return error_response(400, str(error))
    return Response(data, mimetype="application/octet-stream")
