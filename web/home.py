"""The home page and its JSON twin: what this is, how much it holds, the map, where to go next."""

from __future__ import annotations

from flask import Blueprint
from markupsafe import Markup

from cop_graph.pages.home import home_page
from cop_graph.pages.maps import legend, map_svg
from cop_graph.web.browsing import cached, href, public_data, respond

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
@blueprint.get("/api/", endpoint="index_json")
def index():
    page = cached("home", lambda: home_page(public_data()))
    localities = page["localities"]
    most = max((place["communities"] for place in localities), default=0)
    page = {**page, "map_legend": legend(most)}
    # every text in the map is escaped where the SVG is written
    picture = Markup(
        cached(
            "home-map",
            lambda: map_svg(
                {p["code"]: p["communities"] for p in localities},
                {p["code"]: (href(p["iri"]) or "", p["label"]) for p in localities},
                title="Map of Greater Manchester's ten localities, shaded by number of communities",
            ),
        )
    )
    return respond("home.html", page, map=picture)
