"""The page "Where the data comes from" (``/sources``) and its JSON twin (``/api/sources``)."""

from __future__ import annotations

from flask import Blueprint

from cop_graph.pages.sources import sources_page
from cop_graph.web.browsing import cached, public_data, respond

blueprint = Blueprint("sources", __name__)


@blueprint.get("/sources")
@blueprint.get("/api/sources", endpoint="index_json")
def index():
    return respond("sources.html", cached("sources", lambda: sources_page(public_data())))
