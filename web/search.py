"""Search (``/search?q=``) and its JSON twin (``/api/search?q=``), with facets by kind and
locality (``kind=…&locality=…``, repeatable; a short name, a name, a code or the IRI), and a
clear 400 for a facet value that names nothing."""

from __future__ import annotations

from flask import Blueprint, request, url_for

from cop_graph.pages.facets import UnknownFilter
from cop_graph.pages.search import FACETS, search, search_choices
from cop_graph.web.browsing import cached, respond, search_index
from cop_graph.web.errors import error_response
from cop_graph.web.lists import add_facet_links, chosen_keys, read_filters

blueprint = Blueprint("search", __name__)


@blueprint.get("/search")
@blueprint.get("/api/search", endpoint="results_json")
def results():
    index = search_index()
    choices = cached("search-choices", lambda: search_choices(index))
    try:
        chosen = read_filters(FACETS, choices)
    except UnknownFilter as problem:
        return error_response(400, str(problem))
    page = request.args.get("page", "1")
    text = request.args.get("q", "")[:200]
    page_data = search(index, text, chosen, int(page) if page.isdigit() else 1)
    keys = chosen_keys(choices, chosen)

    def link(**changes):
        args = {"q": text, **keys, **changes}
        return url_for("search.results", **{k: v for k, v in args.items() if v})

    add_facet_links(page_data["facets"], choices, keys, link)
    return respond("search.html", page_data)
