"""Lists of communities, organisations, places, practices and domains, their JSON twins and
their downloads.

``/communities?locality=wigan&sort=-practices&page=2`` narrows, sorts and pages the list;
filters take a short name, a name, a code or the full IRI, and one that names nothing answers
400 saying which values there are. ``/communities.csv`` and ``/communities.json`` with the
same query hold every row the page shows, on all its pages. Lists are built once per state
of the data (see :func:`cop_graph.web.browsing.cached`).
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from cop_graph.marks import mark
from cop_graph.pages.facets import FacetChoices, UnknownFilter
from cop_graph.pages.list_tables import list_csv, list_json
from cop_graph.pages.lists import (
    LISTS,
    BadListRequest,
    ListSpec,
    build_list,
    filter_choices,
    list_page,
    read_sort,
)
from cop_graph.web.browsing import cached, invented, public_data, respond, search_index
from cop_graph.web.errors import error_response
from cop_graph.web.negotiation import json_response

blueprint = Blueprint("lists", __name__)

_NAMES = "any(communities, organisations, places, practices, domains)"


@blueprint.get(f"/<{_NAMES}:name>")
@blueprint.get(f"/api/<{_NAMES}:name>", endpoint="listing_json")
def listing(name: str):
    spec, items, choices = _listed(name)
    try:
        chosen, sort, page = _asked(spec, choices)
        page_data = list_page(spec, items, chosen, sort, page)
    except (BadListRequest, UnknownFilter) as problem:
        return error_response(getattr(problem, "status", 400), str(problem))
    _add_links(page_data, spec, choices, chosen, sort)
    return respond("list.html", page_data)


@blueprint.get(f"/<{_NAMES}:name>.<any(csv, json):fmt>")
def download(name: str, fmt: str):
    spec, items, choices = _listed(name)
    try:
        chosen, sort, _ = _asked(spec, choices)
    except (BadListRequest, UnknownFilter) as problem:
        return error_response(getattr(problem, "status", 400), str(problem))
    filename = f"cop-graph-{name}.{fmt}"
    attachment = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "json":
        body = mark(list_json(spec, items, chosen, sort), invented())
        return json_response({"ok": True, **body}, headers=attachment)
    return Response(list_csv(spec, items, chosen, sort), mimetype="text/csv", headers=attachment)


def _listed(name: str):
    spec = LISTS[name]
    items = cached(("list", name), lambda: build_list(public_data(), search_index(), spec))
    choices = cached(("list-choices", name), lambda: filter_choices(search_index(), spec, items))
    return spec, items, choices


def _asked(spec: ListSpec, choices: FacetChoices):
    """The filters (as IRIs), sort and page the query string asks for."""
    chosen = read_filters(spec.facets, choices)
    sort = read_sort(spec, request.args.get("sort", ""))
    page = request.args.get("page", "1").strip()
    if not page.isdigit() or int(page) < 1:
        raise BadListRequest(f'"{page[:40]}" is not a page number: pages are numbered from 1.')
    return chosen, sort, int(page)


def chosen_keys(choices: FacetChoices, chosen: dict[str, list[str]]) -> dict[str, list[str]]:
    """The chosen values (IRIs) as the short keys links are written with."""
    return {facet: [choices.key(facet, v) for v in values] for facet, values in chosen.items()}


def add_facet_links(facets: list[dict], choices: FacetChoices, keys, link) -> None:
    """Give each facet value its short ``key`` and the ``href`` that picks it, or takes it off
    when it is picked; ``link(**args)`` makes an address with ``args`` changed."""
    for facet in facets:
        picked = keys.get(facet["facet"], [])
        for value in facet["values"]:
            key = choices.key(facet["facet"], value["value"])
            value["key"] = key
            toggled = [k for k in picked if k != key] if key in picked else [*picked, key]
            value["href"] = link(**{facet["facet"]: toggled})


def read_filters(facets, choices: FacetChoices) -> dict[str, list[str]]:
    """The facet values the query string asks for, as IRIs (or :class:`UnknownFilter`)."""
    asked = {
        facet: [v for v in request.args.getlist(facet) if v.strip()]
        for facet in facets
        if any(v.strip() for v in request.args.getlist(facet))
    }
    return choices.read(asked)


def _add_links(page: dict, spec, choices: FacetChoices, chosen, sort) -> None:
    """Every link the page needs, written with the short keys of the chosen values, so a
    visitor who typed a code or an IRI gets tidy links back."""
    keys = chosen_keys(choices, chosen)
    sort_text = page["sort"]
    base = {**keys, **({"sort": sort_text} if sort_text != "name" else {})}

    def link(endpoint="lists.listing", **changes):
        args = {**base, **changes}
        return url_for(endpoint, name=spec.name, **{k: v for k, v in args.items() if v})

    add_facet_links(page["facets"], choices, keys, link)
    column, descending = sort
    for col in page["columns"]:
        now = col["key"] == column
        col["aria_sort"] = ("descending" if descending else "ascending") if now else None
        col["href"] = link(sort=("" if descending else "-") + col["key"] if now else col["key"])
    number = page["page"]
    page["links"] = {
        "previous": link(page=number - 1) if number > 1 else None,
        "next": link(page=number + 1) if number < page["pages"] else None,
        "csv": link("lists.download", fmt="csv"),
        "json": link("lists.download", fmt="json"),
        "clear": url_for("lists.listing", name=spec.name) if chosen else None,
    }
