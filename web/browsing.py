"""What every browser page shares: the public view of the store, caches, links, HTML or JSON.

Views stay thin: they build a page dict with :mod:`cop_graph.pages` and hand it to
:func:`respond`, which renders the template for people and the JSON twin for programs (as
:func:`cop_graph.web.negotiation.wants_json` decides). On the way, :func:`respond` marks every
invented thing in the dict (:func:`cop_graph.marks.mark`), so the HTML shows a tag beside its
name and the JSON says ``"illustrative": true``, whichever page it turns up on.
"""

from __future__ import annotations

from flask import g, make_response, render_template, request, url_for
from markupsafe import Markup

from cop_graph.ids import is_web_link
from cop_graph.marks import mark
from cop_graph.namespaces import COP, GRAPH, ID, ONTOLOGY_IRI
from cop_graph.pages import PublicData
from cop_graph.pages.charts import line_chart
from cop_graph.pages.search import build_index
from cop_graph.web.errors import error_response
from cop_graph.web.negotiation import json_response, wants_json
from cop_graph.web.state import app_state

__all__ = [
    "cached",
    "cached_page",
    "chosen_facets",
    "init_browsing",
    "invented",
    "not_found",
    "page_url",
    "public_data",
    "respond",
    "search_index",
]

_COP = str(COP._NS)
_ID = str(ID)
_GRAPH = str(GRAPH)


def init_browsing(app) -> None:
    """Give templates the link helpers and every page the demo banner flag."""
    app.jinja_env.globals.update(page_url=page_url, href=href, line_chart=_chart)
    app.context_processor(lambda: {"illustrative": _illustrative()})


def public_data() -> PublicData:
    """The public view of the store for this request (read once per request), without
    invented data when the settings say not to show it."""
    if "cop_graph_public" not in g:
        state = app_state()
        g.cop_graph_public = PublicData(
            state.store, show_illustrative=state.settings.show_illustrative, cache=state.pages
        )
    return g.cop_graph_public


def invented() -> frozenset[str]:
    """The invented things pages show (IRIs as text), read once per state of the data."""
    return public_data().invented()


def cached(key, build):
    """``build()``, remembered until the data changes."""
    data = public_data()
    return app_state().pages.get(data.stamp, key, build)


def cached_page(key: str, build):
    """An entity page's data, remembered (up to 2000 pages) until the data changes."""
    data = public_data()
    return app_state().entity_pages.get(data.stamp, key, build)


def search_index():
    """The search index of the public data as it is now."""
    return cached("search-index", lambda: build_index(public_data()))


def chosen_facets(facets) -> dict[str, list[str]]:
    """The facet values picked in the query string (``?locality=…&locality=…``)."""
    return {facet: request.args.getlist(facet) for facet in facets if request.args.get(facet)}


def respond(template: str, page: dict, status: int = 200, **extra):
    """The page as HTML (``template``), or as ``{"ok": true, …}`` for programs.

    ``extra`` goes to the template only (markup such as pictures, never needed by programs).
    """
    page = mark(page, invented())
    if wants_json():
        return json_response({"ok": True, **page}, status)
    return make_response(render_template(template, **page, **extra), status)


def not_found(message: str):
    """A 404 in the one error shape, saying what is not here."""
    return error_response(404, message)


def page_url(iri: str) -> str | None:
    """The address of the page about ``iri`` in this browser, or None if it has none here."""
    text = str(iri)
    if text.startswith(_GRAPH) and "#" in text:  # a dataset, its publisher or its edition
        return url_for("sources.index", _anchor=text.rsplit("#", 1)[1])
    if text.startswith(_ID):
        return _bases()[0] + text[len(_ID) :]
    if text.startswith(_COP) and len(text) > len(_COP):
        return _bases()[1] + text[len(_COP) :]
    if text == str(ONTOLOGY_IRI):
        return url_for("ontology.index")
    return None


def _bases() -> tuple[str, str]:
    """Where entity and term pages start (``/id/``, ``/ontology/``), worked out once per
    request: a page can hold hundreds of links."""
    if "cop_graph_bases" not in g:
        entity = url_for("entities.page", rest="x")
        term = url_for("entities.term", name="x")
        g.cop_graph_bases = (entity[:-1], term[:-1])
    return g.cop_graph_bases


def href(iri: str) -> str | None:
    """Where a link to ``iri`` should go: its page here, or the web address itself if it is
    one (http, https, mailto); None means "show the name without a link"."""
    return page_url(iri) or (str(iri) if is_web_link(iri) else None)


def _chart(points: list[dict], title: str) -> Markup:
    # the chart's text is escaped where the SVG is written
    return Markup(line_chart(points, title))


def _illustrative() -> bool:
    try:
        return cached("illustrative", lambda: public_data().shows_invented())
    except Exception:  # the banner must never break a page, whatever the store says
        return False
