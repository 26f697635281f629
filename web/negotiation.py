"""The one rule for what a client wants back: a page for people, JSON for programs.

Every view, error handler and sign-in check asks :func:`wants_json` rather than reading the
path or the ``Accept`` header itself, so a page, its JSON twin and its errors always agree:

1. anything under ``/api/`` is for programs: JSON;
2. else ``?format=json`` or ``?format=html`` decides;
3. else the ``Accept`` header decides when it ranks JSON (``application/json`` or any
   ``…+json`` type) and HTML differently;
4. else (no ``Accept``, ``*/*``, a tie) the address decides: the addresses made for programs
   (the SPARQL endpoint, its description, the store owner's API) answer JSON, every other
   address answers a page.

A browser sends ``text/html`` ahead of ``*/*;q=0.8``, so it gets pages everywhere, and a program
that sends nothing or ``*/*`` gets JSON wherever the address is one made for programs.
:func:`best_type` is the same rule for choosing among data formats (Turtle, JSON-LD…).
"""

from __future__ import annotations

from flask import current_app, request
from jinja2.utils import htmlsafe_json_dumps

__all__ = ["HTML", "JSON", "accepted", "best_type", "json_response", "wants_json"]

HTML = "text/html"
JSON = "application/json"

#: where programs are expected by default: the paths' beginnings
_FOR_PROGRAMS = ("/api/", "/sparql", "/.well-known/", "/_store/")


def wants_json() -> bool:
    """Whether the current request should be answered in JSON rather than as a page."""
    if request.path.startswith("/api/"):
        return True
    asked = request.args.get("format", "").strip().lower()
    if asked in ("json", "html"):
        return asked == "json"
    accept = request.accept_mimetypes
    as_json = max(
        [accept.quality(JSON), *(q for media, q in accept if media.lower().endswith("+json"))]
    )
    as_html = accept.quality(HTML)
    if as_json != as_html:
        return as_json > as_html
    return request.path.startswith(_FOR_PROGRAMS)


def best_type(offered: list[str], default: str | None = None) -> str | None:
    """The media type of ``offered`` the client ranks highest, the first on a tie (so list
    the one that ``*/*`` should get first); ``default`` when no ``Accept`` header came or
    nothing offered is acceptable."""
    if not request.headers.get("Accept"):
        return default
    return request.accept_mimetypes.best_match(offered, default=default)


def accepted():
    """The ``Accept`` header as werkzeug reads it, or None when the request sent none (for
    rules kept apart from Flask, such as the SPARQL protocol's choice of result format)."""
    return request.accept_mimetypes if request.headers.get("Accept") else None


def json_response(body: dict, status: int = 200, headers: dict | None = None):
    """``body`` as JSON (written by Flask, so dates and the like are understood), with ``<``,
    ``>``, ``&`` and ``'`` written as escapes so that names holding markup stay inert even if a
    program pastes the JSON into a web page."""
    text = str(htmlsafe_json_dumps(body, dumps=current_app.json.dumps))
    return current_app.response_class(text, status=status, mimetype=JSON, headers=headers)
