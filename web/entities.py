"""Entity pages at the path of each IRI (``/id/…``), with content negotiation.

Browsers get HTML; ``Accept: text/turtle``, ``application/ld+json`` or
``application/n-triples`` (or a ``.ttl``, ``.jsonld`` or ``.nt`` suffix) get the thing's
public facts in that format; ``/api/id/…`` is the page's JSON twin. Terms of the ontology
(principles, roles, steps, chapters, classes) have the same kind of page at ``/ontology/<name>``.
Names that cannot be in one of this site's IRIs never reach a view (see
:mod:`cop_graph.web.addresses`).
"""

from __future__ import annotations

from flask import Blueprint, Response, url_for
from markupsafe import Markup
from rdflib import URIRef

from cop_graph.ingest.history import community_changes
from cop_graph.namespaces import COP, ID
from cop_graph.pages import page_for
from cop_graph.pages.entity import describe
from cop_graph.pages.home import map_counts
from cop_graph.pages.maps import legend, map_svg, ward_areas
from cop_graph.pages.pictures import neighbourhood, picture_svg, picture_text
from cop_graph.pages.rdf_forms import FORMATS, rdf_text
from cop_graph.web.auth import current_account
from cop_graph.web.browsing import (
    cached,
    cached_page,
    href,
    not_found,
    page_url,
    public_data,
    respond,
)
from cop_graph.web.negotiation import HTML, best_type
from cop_graph.web.permissions import may_undo
from cop_graph.web.state import app_state

blueprint = Blueprint("entities", __name__)

#: suffix → media type of the thing's facts in that format
RDF_FORMATS = {suffix: media for suffix, (_, media) in FORMATS.items()}
_BY_MEDIA_TYPE = {media: suffix for suffix, media in RDF_FORMATS.items()}
#: kinds of thing whose page gets a connection picture (by the first part of their path)
_PICTURED = {"community", "place", "practice", "organisation", "domain"}
#: how many recent changes (and lines of them) a community's page shows
_RECENT = 20


@blueprint.get("/id/<site_path:rest>")
def page(rest: str):
    rest, suffix = _split_suffix(rest)
    return _answer(URIRef(f"{ID}{rest}"), suffix or _negotiated())


@blueprint.get("/api/id/<site_path:rest>")
def page_json(rest: str):
    return _answer(URIRef(f"{ID}{rest}"), None)


@blueprint.get("/ontology/<term_name:name>")
def term(name: str):
    name, suffix = _split_suffix(name)
    return _answer(URIRef(f"{COP._NS}{name}"), suffix or _negotiated())


@blueprint.get("/api/ontology/<term_name:name>")
def term_json(name: str):
    return _answer(URIRef(f"{COP._NS}{name}"), None)


def _split_suffix(path: str) -> tuple[str, str | None]:
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in RDF_FORMATS and "/" not in suffix:
        return stem, suffix
    return path, None


def _negotiated() -> str | None:
    return _BY_MEDIA_TYPE.get(best_type([HTML, *_BY_MEDIA_TYPE], default=HTML))


def _answer(iri: URIRef, suffix: str | None):
    if suffix is not None:
        return _rdf(iri, suffix)
    built = cached_page(str(iri), lambda: _build(iri))
    if built is None:
        return not_found("There is no page for this address: nothing public is recorded about it.")
    page_data, extra = built
    changes = _recent_changes(iri, page_data)
    if changes is not None:
        page_data = {**page_data, **changes}
    response = respond(f"entity_{page_data['template']}.html", page_data, **extra)
    if changes is not None:
        # names the accounts that made the changes: for this signed-in visitor only
        response.headers["Cache-Control"] = "private, no-store"
    return _with_alternates(response, iri)


def _recent_changes(iri: URIRef, page_data: dict) -> dict | None:
    """A community's recent changes for signed-in visitors; None for everyone else and every
    other page. The history names accounts, so it is never part of the public page or its
    cache.

    ``recent_changes`` are short lines ("12 Nov: sam added practice Health walks");
    ``change_list`` the same changes one by one, each saying whether it was undone and
    whether this visitor may undo it (its author or an administrator may).
    """
    account = current_account()
    if page_data.get("template") != "community" or account is None:
        return None
    changes = community_changes(app_state().store, iri, limit=_RECENT)
    listed = [
        {
            **change.to_json(),
            "short_lines": change.short_lines(),
            "may_undo": not change.undone_by and may_undo(account, change),
        }
        for change in changes
    ]
    lines = [line for change in changes for line in change.short_lines()]
    return {"recent_changes": lines[:_RECENT], "change_list": listed}


def _build(iri: URIRef) -> tuple[dict, dict] | None:
    """The page data of ``iri`` and the markup (picture, map) only its HTML form shows."""
    data = public_data()
    page_data = page_for(data, iri)
    if page_data is None:
        return None
    local = page_url(str(iri))
    page_data["formats"] = {name: f"{local}.{name}" for name in RDF_FORMATS} if local else {}
    extra = {}
    if page_data["kind"] in _PICTURED:
        picture = neighbourhood(data, iri, page_data["label"])
        if picture.graph.number_of_nodes() > 1:
            page_data["connections"] = picture_text(picture)
            page_data["picture_url"] = url_for("pictures.connections", rest=_rest(iri))
            # every text in the picture is escaped where the SVG is written
            extra["picture"] = Markup(
                picture_svg(picture, href=page_url, title=f"Connections of {page_data['label']}")
            )
    if page_data["template"] == "place":
        extra["map"], page_data["map_legend"], page_data["map_illustrative"] = _place_map(page_data)
    return page_data, extra


def _rdf(iri: URIRef, suffix: str):
    graph = describe(public_data(), iri)
    if not graph:
        return not_found("Nothing public is recorded about this address.")
    media_type = RDF_FORMATS[suffix]
    body = rdf_text(graph, suffix)
    response = Response(body, mimetype=media_type)
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _with_alternates(response: Response, iri: URIRef) -> Response:
    """Point programs at the thing's RDF forms, and tell caches the answer depends on Accept."""
    base = page_url(str(iri))
    if base:
        response.headers["Link"] = ", ".join(
            f'<{base}.{suffix}>; rel="alternate"; type="{media}"'
            for suffix, media in RDF_FORMATS.items()
        )
    response.headers["Vary"] = "Accept"
    return response


def _rest(iri: URIRef) -> str:
    text = str(iri)
    return text[len(str(ID)) :] if text.startswith(str(ID)) else "ontology/" + text.rsplit("#")[-1]


def _place_map(page_data: dict) -> tuple[str, list, bool]:
    """The map for a place page: its locality's wards (a ward, or a neighbourhood's wards,
    outlined), or all of GM by locality; each area shaded by its number of communities; and
    whether those numbers count invented communities.

    The page's ``area`` says what to outline: the place itself, a neighbourhood's wards, or
    the locality a Primary Care Network serves or a GP practice is based in (drawn on the
    map of GM, so the network's whole area stands out among the others).
    """
    counts = cached("map-counts", lambda: map_counts(public_data()))
    by_iri = {place["iri"]: code for code, place in counts.items()}
    wards = {area.code: area.locality for area in ward_areas()}
    area = [by_iri.get(item.get("iri")) for item in page_data.get("area", [])]
    area = [code for code in area if code]
    organisation = page_data.get("place_kind") in ("pcn", "gp_practice")
    localities = [code for code in area if code.startswith("E08")]
    highlight = frozenset(c for c in area if c in wards or (organisation and c in localities))
    if organisation or not area:
        focus = None
    elif len(localities) == 1 and len(area) == 1:
        focus = localities[0]
    else:
        focus = next((wards[c] for c in area if c in wards), None)
    by = "ward" if focus else "locality"
    shown = {c: p for c, p in counts.items() if (c in wards) == (by == "ward")}
    links = {c: (href(p["iri"]) or "", p["label"]) for c, p in shown.items()}
    numbers = {c: p["communities"] for c, p in shown.items()}
    names = ", ".join(p["label"] for c, p in counts.items() if c in localities)
    title = (
        f"Map of Greater Manchester with {names}, the area of {page_data['label']}, outlined"
        if organisation and names
        else f"Map of {page_data['label']} and the places around it"
    )
    svg = map_svg(numbers, links, by=by, focus=focus, highlight=highlight, title=title)
    most = max((numbers[c] for c in numbers if focus is None or wards.get(c) == focus), default=0)
    # every text in the map is escaped where the SVG is written
    invented = any(place["illustrative"] for place in shown.values())
    return Markup(svg), legend(most) if svg else [], invented
