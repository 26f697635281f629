"""The downloads page: the whole public dataset in several formats, a CSV table per kind of
thing, and the licences and attribution of the data.

The dataset files themselves are served by the SPARQL endpoint's dumps (``/downloads/<file>``
in :mod:`cop_graph.web.sparql`); the CSV tables live at ``/downloads/csv/<kind>.csv``.
"""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from cop_graph.pages.downloads import TABLES, csv_table, licences
from cop_graph.sparql.dumps import DUMPS
from cop_graph.web.browsing import cached, not_found, public_data, respond, search_index

blueprint = Blueprint("downloads", __name__)


@blueprint.get("/downloads")
@blueprint.get("/api/downloads", endpoint="index_json")
def index():
    page = {
        "dumps": [
            {
                "name": dump.filename,
                "description": dump.label,
                "url": url_for("sparql.download", filename=dump.filename),
            }
            for dump in DUMPS.values()
        ],
        "tables": [
            {"name": name, "description": what, "url": url_for("downloads.table", name=name)}
            for name, (what, _) in TABLES.items()
        ],
        "licences": cached("licences", lambda: licences(public_data())),
    }
    return respond("downloads.html", page)


@blueprint.get("/downloads/csv/<name>.csv")
def table(name: str):
    if name not in TABLES:
        return not_found("There is no table of that name.")
    body = cached(("csv", name), lambda: csv_table(public_data(), search_index(), name))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="cop-graph-{name}.csv"'},
    )
