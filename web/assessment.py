"""The self-assessment form per community, for signed-in coordinators.

The form comes from the graph (:func:`cop_graph.ingest.assessment.assessment_form`); saving adds
a dated assessment of each step answered, the principles ticked and any role holders named,
as one checked, atomic change. Earlier assessments stay and are listed under each step.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from rdflib import URIRef

from cop_graph import queries
from cop_graph.errors import UsageError, ValidationFailed
from cop_graph.ids import mint, slugify
from cop_graph.ingest.assessment import Answer, assessment_form, save_assessment
from cop_graph.namespaces import COP
from cop_graph.web.auth import current_account, current_user, login_required
from cop_graph.web.errors import error_response
from cop_graph.web.negotiation import json_response
from cop_graph.web.permissions import upload_refusal
from cop_graph.web.state import app_state
from cop_graph.workbook.values import CellProblem, parse_past_date

__all__ = ["blueprint"]

blueprint = Blueprint("assessment", __name__)


_NO_SUCH_COMMUNITY = "There is no community at this address to assess."


def _community(slug: str) -> URIRef:
    if slugify(slug) != slug:
        abort(404, _NO_SUCH_COMMUNITY)
    return mint("community", slug)


def _form(community: URIRef) -> dict:
    try:
        return assessment_form(app_state().store, community)
    except UsageError:
        abort(404, _NO_SUCH_COMMUNITY)


@blueprint.get("/assessment")
@login_required
def index():
    store = app_state().store
    rows = queries.run(store, "workbook_names_of_kind", kind=COP.CommunityOfPurpose).dicts()
    communities = sorted(
        {(str(r["label"]), str(r["thing"]).rsplit("/", 1)[-1]) for r in rows},
        key=lambda c: c[0].casefold(),
    )
    return render_template("assessment_index.html", communities=communities)


@blueprint.get("/assessment/<slug>")
@login_required
def form(slug: str):
    return render_template("assessment_form.html", form=_form(_community(slug)), errors=[],
                           field_errors={}, slug=slug)  # fmt: skip


@blueprint.get("/api/assessment/<slug>")
@login_required
def form_json(slug: str):
    return json_response({"ok": True, **_form(_community(slug))})


@blueprint.post("/assessment/<slug>")
@login_required
def save(slug: str):
    community = _community(slug)
    form = _form(community)
    # a self-assessment is an edit of its community: the upload rule decides who may save one
    refusal = upload_refusal(current_account(), {community: form["name"]})
    if refusal:
        return error_response(403, refusal)
    answers, principles, holders, field_errors = _read(form)
    errors = list(field_errors.values())
    if not errors:
        try:
            state = app_state()
            with state.write_lock:
                save_assessment(state.store, community, answers=answers, principles=principles,
                                role_holders=holders, who=current_user())  # fmt: skip
        except ValidationFailed as failure:
            errors = failure.lines()
    if errors:
        page = render_template("assessment_form.html", form=form, errors=errors,
                               field_errors=field_errors, slug=slug)  # fmt: skip
        return page, 422
    flash(f"Saved the self-assessment of the {form['name']}.")
    return redirect(url_for("assessment.form", slug=slug))


def _read(form: dict):
    """The answers given, checked against what the form offered.

    Problems are sentences keyed by the name of the field they are about, so the page can
    show each one next to its field as well as in the summary at the top.
    """
    errors: dict[str, str] = {}
    statuses = {s["iri"].rsplit("#", 1)[-1]: URIRef(s["iri"]) for s in form["statuses"]}
    answers = {}
    for step in form["steps"]:
        number = step["number"]
        status = request.form.get(f"step-{number}-status", "")
        if not status:
            continue
        if status not in statuses:
            errors[f"step-{number}-status"] = f"Step {number}: choose a status from the list."
            continue
        try:
            day = parse_past_date(request.form.get(f"step-{number}-date", "") or form["today"])
        except CellProblem as problem:
            errors[f"step-{number}-date"] = f"Step {number}, date: {problem}."
            continue
        notes = request.form.get(f"step-{number}-notes", "")[:5000]
        answers[number] = Answer(statuses[status], notes, day)
    offered = {p["iri"] for scheme in form["principles"] for p in scheme["principles"]}
    chosen = set(request.form.getlist("principle"))
    if chosen - offered:
        errors["principle"] = "Choose principles from the list only."
    members = {m["iri"] for m in form["members"]}
    holders = {}
    for role in form["roles"]:
        field = "role-" + role["iri"].rsplit("#", 1)[-1]
        member = request.form.get(field, "")
        if member and member not in members:
            errors[field] = f"{role['label']}: choose one of the community's members."
        elif member:
            holders[URIRef(role["iri"])] = URIRef(member)
    return answers, {URIRef(p) for p in chosen & offered}, holders, errors
