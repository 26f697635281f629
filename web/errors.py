"""The one shape of every failure: a house-styled page for people, one JSON object for programs.

A view that refuses a request calls :func:`error_response` (or raises a werkzeug
``HTTPException`` through ``abort``); whatever Flask itself refuses (an unknown address, a
method a route does not take, an upload over the limit) and whatever breaks reaches
:func:`init_errors`'s handler. Both write the same thing, chosen by
:func:`cop_graph.web.negotiation.wants_json`::

    {"ok": false, "status": 404, "title": "Page not found", "error": "There is no …"}

``error`` is one plain-English sentence; nothing about the program's inside (a stack trace, a
query) is ever shown, and an unexpected failure is logged once, by Flask, with its trace.
"""

from __future__ import annotations

from flask import Response, current_app, make_response, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from cop_graph.errors import StoreError
from cop_graph.web.negotiation import json_response, wants_json

__all__ = ["TITLES", "error_response", "init_errors"]

#: the heading of each status, for people
TITLES = {
    400: "This request could not be understood",
    401: "Sign in first",
    403: "Not allowed",
    404: "Page not found",
    405: "Not available this way",
    406: "Not available in that format",
    413: "Too large",
    415: "Not a format this site reads",
    422: "Nothing was saved",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Busy: try again shortly",
}
#: what each status means, when the refusal itself did not say more
_MESSAGES = {
    400: "The request is not one this site can answer: check the address and its options.",
    401: "Sign in as a coordinator first.",
    403: "This is not something this site allows.",
    404: "There is nothing at this address: check it, or search for what you were looking for.",
    405: "This address does not take that kind of request.",
    406: "This address cannot answer in any of the formats the request accepts.",
    413: "The request is larger than this site accepts.",
    415: "The request's content is in a format this site does not read.",
    429: "Too many requests in a short time: wait a while, then try again.",
    500: "Something went wrong on this site while answering; the site has logged it.",
    503: "The site is too busy to answer now: try again in a moment.",
}
#: what a page says when the store could not give what it needs (a server down or refusing)
_STORE_FAILED = (
    "The data store could not give what this page needs, so nothing is shown rather than part "
    "of it; the site has logged why. Try again later."
)
#: headers of a refusal that belong in any answer to it (which methods, when to retry)
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def error_response(
    status: int,
    message: str | None = None,
    *,
    title: str | None = None,
    headers: dict | None = None,
    **extra,
) -> Response:
    """The answer to a failed request: ``{"ok": false, "status", "title", "error", **extra}``
    for programs, the error page for people (``extra`` goes to JSON only)."""
    title = title or TITLES.get(status) or _title_of(status)
    message = message or _MESSAGES.get(status) or title + "."
    if wants_json():
        body = {"ok": False, "status": status, "title": title, "error": message, **extra}
        return json_response(body, status, headers)
    page = render_template("error.html", status=status, title=title, message=message)
    response = make_response(page, status)
    response.headers.update(headers or {})
    return response


def init_errors(app) -> None:
    """Answer every refusal Flask or a view raises, and every failure, in the one shape."""
    app.register_error_handler(HTTPException, _from_exception)
    app.register_error_handler(StoreError, _from_store)


def _from_store(error: StoreError) -> Response:
    """A store that failed to answer (a server unreachable, or cutting an answer short at its
    row cap) is the store's failure, not this site's: a 503, with the store's reason in the
    log (it names the server, never a person) and not on the page."""
    current_app.logger.error("the store could not answer %s: %s", request.path, error)
    return error_response(503, _STORE_FAILED, title="The data store could not answer")


def _from_exception(error: HTTPException) -> Response:
    if error.response is not None:  # answered where it was refused, in this shape (rate limits)
        return error.response
    status = error.code or 500
    described = error.description
    # werkzeug's own texts (class attributes) speak of servers; ours speak to people
    own = described if described and described != type(error).description else None
    if status >= 500:
        own = None  # never show the inside of a failure
    kept = {k: v for k, v in error.get_headers() if k in _KEPT_HEADERS}
    return error_response(status, own, headers=kept)


def _title_of(status: int) -> str:
    return HTTP_STATUS_CODES.get(status, "Error")
