"""Search (``/search?q=``) and its JSON twin (``/api/search?q=``), with facets by kind and
locality (``kind=…&locality=…``, repeatable)."""

from __future__ import annotations

from flask import Blueprint, request

from cop_graph.pages.search import FACETS, search
from cop_graph.web.browsing import chosen_facets, respond, search_index

blueprint = Blueprint("search", __name__)


@blueprint.get("/search")
@blueprint.get("/api/search", endpoint="results_json")
def results():
    page = request.args.get("page", "1")
    page_data = search(
        search_index(),
        request.args.get("q", "")[:200],
        chosen_facets(FACETS),
        int(page) if page.isdigit() else 1,
    )
    return respond("search.html", page_data)
