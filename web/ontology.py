"""The ontology page (``/ontology``), its JSON twin, and the ontology as a Turtle file."""

from __future__ import annotations

import io

from flask import Blueprint, Response

from cop_graph.pages.ontology import ontology_page
from cop_graph.queries.catalogue import graph_iri
from cop_graph.web.browsing import cached, public_data, respond

blueprint = Blueprint("ontology", __name__)


@blueprint.get("/ontology")
@blueprint.get("/api/ontology", endpoint="index_json")
def index():
    return respond("ontology.html", cached("ontology", lambda: ontology_page(public_data())))


@blueprint.get("/ontology.ttl")
def turtle():
    def build() -> bytes:
        out = io.BytesIO()
        public_data().store.dump(out, "turtle", [graph_iri("ontology")])
        return out.getvalue()

    return Response(
        cached("ontology.ttl", build),
        mimetype="text/turtle",
        headers={"Content-Disposition": 'inline; filename="cop-graph-ontology.ttl"'},
    )
