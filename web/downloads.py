"""The downloads page: the whole public dataset in several formats, a CSV table per kind of
thing, and the licences and attribution of the data.

N-Quads and Turtle files are the SPARQL endpoint's dumps (``/downloads/<file>`` in
:mod:`cop_graph.web.sparql`); TriG and JSON-LD are at ``/downloads/dataset/<file>``, and the
CSV tables at ``/downloads/csv/<kind>.csv``.
"""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from cop_graph.pages.downloads import DATASET_FILES, TABLES, csv_table, dataset_file, licences
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
        ]
        + [
            {
                "name": name,
                "description": what,
                "url": url_for("downloads.dataset", name=name),
            }
            for name, (_, what) in DATASET_FILES.items()
        ],
        "tables": [
            {"name": name, "description": what, "url": url_for("downloads.table", name=name)}
            for name, (what, _) in TABLES.items()
        ],
        "licences": cached("licences", lambda: licences(public_data())),
    }
    return respond("downloads.html", page)


@blueprint.get("/downloads/dataset/<name>")
def dataset(name: str):
    if name not in DATASET_FILES:
        return not_found("There is no download of that name.")
    body = cached(("dataset", name), lambda: dataset_file(public_data().store, name))
    return Response(
        body,
        mimetype="application/gzip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


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
