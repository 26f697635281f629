"""Coordinators' imports in the browser: upload a workbook, read the report, list and remove.

Removing an import asks first: a page lists what will go, a POST removes it as one recorded
change, and the answer offers to undo it. Only the import's uploader or an administrator may
remove it, and only the remover or an administrator may undo that
(:mod:`cop_graph.web.permissions`).

The page shows the same problems the command line prints, as a table of sheet, row,
column, value and what to do. An upload from the page runs in the background (the form says
so with ``in_background``): the POST answers at once with a redirect to the job's page, which
shows the steps done so far and then the same report (:mod:`cop_graph.web.import_jobs`).
Programs posting for JSON, and forms without that field, get the report in the answer.

Writes take turns (one import or removal at a time), so two coordinators saving at once
cannot interleave their changes (the app's write lock, see
:class:`cop_graph.web.state.WebState`).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from rdflib import URIRef

from cop_graph.ingest.history import UndoRefused, list_changes, undo_change
from cop_graph.ingest.importer import import_workbook
from cop_graph.ingest.removal import plan_removal, remove_planned
from cop_graph.namespaces import COP, RDF, RDFS
from cop_graph.queries.catalogue import list_graphs, resolve_graph
from cop_graph.web.addresses import local_path
from cop_graph.web.auth import current_account, current_user, login_required
from cop_graph.web.errors import error_response
from cop_graph.web.import_jobs import ImportJob, ImportJobs
from cop_graph.web.negotiation import json_response, wants_json
from cop_graph.web.permissions import (
    is_administrator,
    may_remove_import,
    may_undo,
    removal_refusal,
    undo_refusal,
    upload_refusal,
)
from cop_graph.web.state import app_state
from cop_graph.workbook.report import ImportRejected, Problem
from cop_graph.workbook.template import template_csv_zip, template_xlsx

__all__ = ["blueprint"]

blueprint = Blueprint("imports", __name__)

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _imports() -> list[dict]:
    records = [r for r in list_graphs(app_state().store) if r.kind == "import"]
    account = current_account()
    return [
        {**r.__dict__, "name": r.graph.rsplit("/graph/", 1)[-1],
         "may_remove": may_remove_import(account, r)}
        for r in sorted(records, key=lambda r: r.when, reverse=True)
    ]  # fmt: skip


def _page(status: int = 200, **context):
    context.setdefault("problems", [])
    context.setdefault("result", None)
    context.setdefault("communities", [])
    context.setdefault("changes", [])
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
    if request.form.get("in_background") == "yes" and not wants_json():
        return _start_job(data, filename, dry_run)
    refused = None if dry_run else _refused_upload(data, filename)  # checking changes nothing
    if refused is not None:
        return refused
    try:
        with state.write_lock:
            result = import_workbook(
                state.store, data, filename=filename, who=current_user(), dry_run=dry_run,
                max_bytes=settings.max_upload_bytes,
            )  # fmt: skip
    except ImportRejected as rejected:
        return _rejected(rejected.problems, filename, str(rejected))
    communities = [] if dry_run else _communities_in(state.store, result.graph)
    if not dry_run:  # the first to record a community coordinates it
        state.accounts.claim(current_user(), result.lines)
    if wants_json():
        return json_response({"ok": True, **_result_json(result)})
    return _page(result=result, filename=filename, problems=result.advice,
                 communities=communities, changes=_changes(result))  # fmt: skip


def _result_json(result) -> dict:
    """An import's outcome for programs (the upload's answer and the job's JSON twin)."""
    return {"graph": str(result.graph), "rows": result.rows, "triples": result.triples,
            "dry_run": result.dry_run, "advice": [p.to_json() for p in result.advice],
            "added": result.added, "removed": result.removed, "summary": result.summary(),
            "changes": _changes(result), "change": result.change_id}  # fmt: skip


def _changes(result) -> list[dict]:
    """What the upload changes, per community: [{"iri", "name", "lines"}] (the readable lines
    name people only when they agreed, see cop_graph.ingest.records)."""
    return [
        {"iri": str(community), "name": result.names.get(community, str(community)),
         "lines": lines}
        for community, lines in result.lines.items()
    ]  # fmt: skip


def _rejected(problems: list[Problem], filename: str, summary: str | None = None, status=422):
    summary = summary or "Nothing was saved."
    if wants_json():
        return error_response(status, summary, problems=[p.to_json() for p in problems])
    return _page(status, problems=problems, filename=filename, summary=summary)


def _display_name(filename: str) -> str:
    """The uploaded file's own name, without any folders, for messages and the graph name."""
    name = PurePosixPath(filename.replace("\\", "/")).name.strip()
    return name[:120] or "workbook"


def _communities_in(store, graph: URIRef) -> list[dict]:
    data = store.graph(graph)
    found = [
        {"iri": str(c), "name": str(data.value(c, RDFS.label) or c)}
        for c in data.subjects(RDF.type, COP.CommunityOfPurpose)
    ]
    return sorted(found, key=lambda c: c["name"].casefold())


def _refused_upload(data: bytes, filename: str):
    """A 403 for a viewer, or for a workbook changing a community the account does not
    coordinate; else None."""
    refusal = _refusal(app_state(), current_account(), data, filename)
    return None if refusal is None else error_response(403, refusal)


def _refusal(state, account, data: bytes, filename: str, progress=None) -> str | None:
    """Why ``account`` may not save this upload, or None: a viewer may not, nor may anyone
    change a community another account coordinates (found by a dry run first, so that nothing
    is written; needed only when other accounts coordinate communities at all)."""
    if is_administrator(account):
        return None
    refusal = upload_refusal(account, {})
    if refusal is None and state.accounts.others_coordinate(account.name):
        if progress is not None:
            progress.step("Checking which communities it changes")
        try:
            with state.write_lock:
                trial = import_workbook(
                    state.store, data, filename=filename, who=account.name, dry_run=True,
                    max_bytes=state.settings.max_upload_bytes,
                )  # fmt: skip
        except ImportRejected:
            return None  # the upload itself reports the problems
        refusal = upload_refusal(account, {c: trial.names.get(c, str(c)) for c in trial.lines})
    return refusal


# -- uploads in the background: a job per upload, its page, its JSON twin --------------------


def _jobs() -> ImportJobs:
    return app_state().lazily("import_jobs", ImportJobs)


def _start_job(data: bytes, filename: str, dry_run: bool):
    """Start importing in the background and send the browser to the job's page at once
    (a viewer is refused at once: that needs no reading of the workbook)."""
    state, account = app_state(), current_account()
    if not dry_run and upload_refusal(account, {}) is not None:
        return error_response(403, upload_refusal(account, {}))
    app = current_app._get_current_object()

    def work(job: ImportJob) -> None:
        with app.app_context():  # permissions ask the app's state
            _import_in_background(job, state, account, data, filename, dry_run)

    job = _jobs().start(work, owner=account.name, filename=filename, dry_run=dry_run)
    return redirect(url_for("imports.job", job_id=job.id), code=303)


def _import_in_background(job: ImportJob, state, account, data, filename, dry_run) -> None:
    """What an upload's job does: what the upload did while the browser waited, reporting
    its steps to the job and its outcome with :meth:`ImportJob.end`."""
    refusal = None if dry_run else _refusal(state, account, data, filename, job.steps)
    if refusal is not None:
        job.end("refused", summary=refusal)
        return
    try:
        with state.write_lock:
            result = import_workbook(
                state.store, data, filename=filename, who=account.name, dry_run=dry_run,
                max_bytes=state.settings.max_upload_bytes, progress=job.steps,
            )  # fmt: skip
    except ImportRejected as rejected:
        job.end("rejected", problems=rejected.problems, summary=str(rejected))
        return
    communities = [] if dry_run else _communities_in(state.store, result.graph)
    if not dry_run:  # the first to record a community coordinates it
        state.accounts.claim(account.name, result.lines)
    job.end("saved", result=result, problems=result.advice, communities=communities)


def _job_or_404(job_id: str):
    job = _jobs().get(job_id, current_user())
    if job is None:
        return None, error_response(404, "There is no such import: it may have ended long ago.")
    return job, None


@blueprint.get("/imports/jobs/<job_id>")
@login_required
def job(job_id: str):
    if wants_json():
        return job_json(job_id)
    found, missing = _job_or_404(job_id)
    if missing:
        return missing
    if found.running:
        page = render_template("import_job.html", job=found, steps=found.steps.steps())
        return page, 200, {"Refresh": "2", "Cache-Control": "no-store"}
    page, status = _page(
        job=found, steps=found.steps.steps(), result=found.result, filename=found.filename,
        problems=found.problems, communities=found.communities,
        summary=found.summary if found.state != "saved" else None,
        changes=_changes(found.result) if found.result is not None else [],
    )  # fmt: skip
    return page, status, {"Cache-Control": "no-store"}


@blueprint.get("/api/imports/jobs/<job_id>")
@login_required
def job_json(job_id: str):
    found, missing = _job_or_404(job_id)
    if missing:
        return missing
    body = {"ok": True, "id": found.id, "state": found.state, "filename": found.filename,
            "dry_run": found.dry_run, "steps": found.steps.steps(), "summary": found.summary,
            "problems": [p.to_json() for p in found.problems],
            "result": _result_json(found.result) if found.result is not None else None,
            "page": url_for("imports.job", job_id=found.id)}  # fmt: skip
    response = json_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


# -- removal: confirm, remove, undo ---------------------------------------------------------
# Removal asks first (a GET shows what will go and changes nothing), removes on a POST with
# the form's token, and answers "Removed … — Undo"; the undo puts back exactly what went
# (cop_graph.ingest.removal, cop_graph.ingest.history). Who may is asked of permissions.


def _planned(graph_name: str):
    """The removal plan of the import named in the request, or an error response."""
    graph = resolve_graph(graph_name.strip()) if graph_name.strip() else None
    plan = plan_removal(app_state().store, graph) if graph is not None else None
    if plan is None:
        return None, error_response(
            404, "That import is not in the list any more: nothing was removed."
        )
    return plan, None


@blueprint.get("/imports/remove")
@blueprint.get("/api/imports/remove", endpoint="confirm_json")
@login_required
def confirm():
    plan, refused = _planned(request.args.get("graph", ""))
    if refused:
        return refused
    allowed = may_remove_import(current_account(), plan.record)
    if wants_json():
        body = {"ok": True, "removal": plan.to_json(), "may_remove": allowed}
        if not allowed:
            body["refusal"] = removal_refusal(plan.record)
        return json_response(body)
    return render_template(
        "imports_remove.html", plan=plan, allowed=allowed, refusal=removal_refusal(plan.record)
    )


@blueprint.post("/imports/remove")
@blueprint.post("/api/imports/remove", endpoint="remove_json")
@login_required
def remove():
    state = app_state()
    with state.write_lock:
        plan, refused = _planned(request.form.get("graph", ""))
        if refused:
            return refused
        if not may_remove_import(current_account(), plan.record):
            return error_response(403, removal_refusal(plan.record))
        change_id = remove_planned(state.store, plan, who=current_user())
    if wants_json():
        return json_response({"ok": True, "change": change_id, "removed": plan.to_json(),
                              "undo": url_for("imports.undo")})  # fmt: skip
    facts = "fact" if plan.facts == 1 else "facts"
    flash(f"Removed {plan.record.sources or plan.record.title}: {plan.facts} {facts}.")
    return redirect(url_for("imports.removed", change_id=change_id))


@blueprint.get("/imports/removed/<int:change_id>")
@login_required
def removed(change_id: int):
    entry = _change(str(change_id))
    if entry is None or entry.kind != "remove":
        return error_response(404, "There is no such removal in the history.")
    return render_template(
        "imports_removed.html", entry=entry, may_undo=may_undo(current_account(), entry),
        refusal=undo_refusal(entry),
    )  # fmt: skip


@blueprint.post("/imports/undo")
@blueprint.post("/api/imports/undo", endpoint="undo_json")
@login_required
def undo():
    change_id = request.form.get("change", "").strip()
    state = app_state()
    with state.write_lock:
        entry = _change(change_id) if change_id.isdigit() else None
        if entry is None:
            message = "There is no such change in the history: nothing was undone."
            return error_response(404, message)
        account = current_account()
        if not may_undo(account, entry):
            return error_response(403, undo_refusal(entry))
        try:
            result = undo_change(
                state.store, change_id, who=account.name, is_admin=is_administrator(account)
            )
        except UndoRefused as refused:
            return error_response(409, _sentence(str(refused)))
    message = f"Undone: {entry.summary} ({result.summary()})."
    if wants_json():
        return json_response({"ok": True, "change": result.change_id, "undid": change_id,
                              "added": result.added, "removed": result.removed,
                              "message": message})  # fmt: skip
    flash(message[:1].upper() + message[1:])
    return redirect(local_path(request.form.get("next")) or url_for("imports.index"))


def _change(change_id: str):
    """The recorded change ``change_id``, or None."""
    return next((e for e in list_changes(app_state().store) if e.id == change_id), None)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


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
