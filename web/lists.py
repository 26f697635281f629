"""Lists of communities, organisations and places with facets, and their JSON twins.

``/communities?locality=…&practice=…`` narrows the list; each facet value shows how many of
the listed things have it. Lists are built once per state of the data (see
:func:`cop_graph.web.browsing.cached`).
"""

from __future__ import annotations

from flask import Blueprint

from cop_graph.pages.lists import LISTS, build_list, list_page
from cop_graph.web.browsing import (
    cached,
    chosen_facets,
    not_found,
    public_data,
    respond,
    search_index,
)

blueprint = Blueprint("lists", __name__)


@blueprint.get("/<any(communities, organisations, places):name>")
@blueprint.get("/api/<any(communities, organisations, places):name>", endpoint="listing_json")
def listing(name: str):
    spec = LISTS.get(name)
    if spec is None:
        return not_found("There is no such list.")
    items = cached(("list", name), lambda: build_list(public_data(), search_index(), spec))
    return respond("list.html", list_page(spec, items, chosen_facets(spec.facets)))
