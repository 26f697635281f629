"""Connection pictures as files: the SVG a page shows, for download (the page makes the PNG).

Links inside a downloaded picture are full addresses, so they still work from a saved file.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from rdflib import URIRef

from cop_graph.namespaces import COP, ID
from cop_graph.pages.entity import entity_page
from cop_graph.pages.pictures import neighbourhood, picture_svg
from cop_graph.web.browsing import not_found, page_url, public_data

blueprint = Blueprint("pictures", __name__)


@blueprint.get("/pictures/<site_path:rest>.svg")
def connections(rest: str):
    iri = URIRef(
        f"{COP._NS}{rest[len('ontology/') :]}" if rest.startswith("ontology/") else f"{ID}{rest}"
    )
    data = public_data()
    page = entity_page(data, iri)
    if page is None or page["anonymous"]:
        return not_found("There is no picture for this address.")
    picture = neighbourhood(data, iri, page["label"])
    root = request.url_root.rstrip("/")

    def absolute(node: str) -> str | None:
        local = page_url(node)
        return root + local if local else None

    svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + picture_svg(
        picture, href=absolute, title=f"Connections of {page['label']}"
    )
    name = rest.replace("/", "-")
    return Response(
        svg,
        mimetype="image/svg+xml",
        headers={"Content-Disposition": f'attachment; filename="connections-{name}.svg"'},
    )
