"""Coordinators' imports in the browser: upload a workbook, read the report, list and remove.

The page shows the same problems the command line prints, as a table of sheet, row,
column, value and what to do. Writes take turns (one import or removal at a time), so two
coordinators saving at once cannot interleave their changes (the app's write lock, see
:class:`cop_graph.web.state.WebState`).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from rdflib import URIRef

from cop_graph.ingest.importer import import_workbook
from cop_graph.namespaces import COP, RDF, RDFS
from cop_graph.queries.catalogue import list_graphs
from cop_graph.scope import private_graph_of
from cop_graph.web.auth import current_user, login_required
from cop_graph.web.errors import error_response
from cop_graph.web.negotiation import json_response, wants_json
from cop_graph.web.state import app_state
from cop_graph.workbook.report import ImportRejected, Problem
from cop_graph.workbook.template import template_csv_zip, template_xlsx

__all__ = ["blueprint"]

blueprint = Blueprint("imports", __name__)

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _imports() -> list[dict]:
    records = [r for r in list_graphs(app_state().store) if r.kind == "import"]
    return [
        {**r.__dict__, "name": r.graph.rsplit("/graph/", 1)[-1]}
        for r in sorted(records, key=lambda r: r.when, reverse=True)
    ]


def _page(status: int = 200, **context):
    context.setdefault("problems", [])
    context.setdefault("result", None)
    context.setdefault("communities", [])
    limit = app_state().settings.max_upload_bytes
    return (
        render_template("imports.html", imports=_imports(), limit_mb=limit // 2**20, **context),
        status,
    )


@blueprint.get("/imports")
@login_required
def index():
    return _page()


@blueprint.post("/imports")
@login_required
def upload():
    upload = request.files.get("workbook")
    if upload is None or not upload.filename:
        return _rejected([Problem("choose a workbook file to upload first")], "")
    filename = _display_name(upload.filename)
    state = app_state()
    settings = state.settings
    data = upload.read(settings.max_upload_bytes + 1)
    dry_run = request.form.get("dry_run") == "yes"
    try:
        with state.write_lock:
            result = import_workbook(
                state.store, data, filename=filename, who=current_user(), dry_run=dry_run,
                max_bytes=settings.max_upload_bytes,
            )  # fmt: skip
    except ImportRejected as rejected:
        return _rejected(rejected.problems, filename, str(rejected))
    communities = [] if dry_run else _communities_in(result.graph)
    if wants_json():
        return json_response({"ok": True, "graph": str(result.graph), "rows": result.rows,
                              "triples": result.triples, "dry_run": dry_run,
                              "advice": [p.to_json() for p in result.advice]})  # fmt: skip
    return _page(result=result, filename=filename, problems=result.advice,
                 communities=communities)  # fmt: skip


def _rejected(problems: list[Problem], filename: str, summary: str | None = None, status=422):
    summary = summary or "Nothing was saved."
    if wants_json():
        return error_response(status, summary, problems=[p.to_json() for p in problems])
    return _page(status, problems=problems, filename=filename, summary=summary)


def _display_name(filename: str) -> str:
    """The uploaded file's own name, without any folders, for messages and the graph name."""
    name = PurePosixPath(filename.replace("\\", "/")).name.strip()
    return name[:120] or "workbook"


def _communities_in(graph: URIRef) -> list[dict]:
    data = app_state().store.graph(graph)
    found = [
        {"iri": str(c), "name": str(data.value(c, RDFS.label) or c)}
        for c in data.subjects(RDF.type, COP.CommunityOfPurpose)
    ]
    return sorted(found, key=lambda c: c["name"].casefold())


@blueprint.post("/imports/remove")
@login_required
def remove():
    name = request.form.get("graph", "")
    record = next((r for r in _imports() if r["graph"] == name), None)
    if record is None:
        flash("That import is not in the list any more: nothing was removed.")
        return redirect(url_for("imports.index"))
    with app_state().write_lock:
        graph = URIRef(record["graph"])
        app_state().store.drop([graph, private_graph_of(graph)])
    flash(f"Removed the import of {record['sources'] or record['title']}.")
    return redirect(url_for("imports.index"))


@blueprint.get("/api/imports")
@login_required
def index_json():
    return json_response({"ok": True, "imports": _imports()})


@blueprint.get("/imports/template.xlsx")
def template_workbook():
    return _download(template_xlsx(app_state().store), "cop-graph-template.xlsx", _XLSX)


@blueprint.get("/imports/template.zip")
def template_zip():
    return _download(template_csv_zip(), "cop-graph-template-csv.zip", "application/zip")


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blueprint.errorhandler(413)
def too_large(error):
    limit = app_state().settings.max_upload_bytes // 2**20
    problem = Problem(f"the file is larger than {limit} MB: split the workbook into smaller ones")
    return _rejected([problem], "", status=413)
