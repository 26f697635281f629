"""The edit form of a community, and the form for a new one, for its coordinators.

``/communities/<slug>/edit`` and ``/communities/new`` show the community's record as inputs
(:mod:`cop_graph.pages.community_form`) and take it back in two steps: "Check changes" says
what saving would add and remove and writes nothing; "Save changes" saves, as one recorded,
undoable change, and goes back to the community's page saying what changed. Both are
checked by the importer's rules and replace the old record (:mod:`cop_graph.ingest.editing`);
a problem comes back beside its input, with the store exactly as it was. The JSON twins
(``/api/communities/…``) take the same fields and answer the same things.

Only the community's coordinators and administrators may edit it (others are told whom to
ask); any coordinator may make a new community, and then coordinates it. Writes take turns
under the app's write lock.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from rdflib import URIRef

from cop_graph.errors import UsageError
from cop_graph.ids import mint, slugify
from cop_graph.ingest.editing import community_form, is_community, save_community
from cop_graph.pages.community_form import form_view
from cop_graph.web.auth import current_account, current_user, login_required
from cop_graph.web.browsing import page_url
from cop_graph.web.errors import error_response
from cop_graph.web.negotiation import json_response, wants_json
from cop_graph.web.permissions import edit_refusal_for, may_import, upload_refusal
from cop_graph.web.state import app_state
from cop_graph.workbook.form import field_for, form_from_fields, new_form
from cop_graph.workbook.report import ImportRejected
from cop_graph.workbook.template import choice_lists

__all__ = ["blueprint"]

blueprint = Blueprint("editing", __name__)

_NO_SUCH_COMMUNITY = "There is no community at this address to edit."


@blueprint.get("/communities/<slug>/edit")
@login_required
def edit(slug: str):
    community = _community(slug)
    refused = _refused_edit(community)
    if refused is not None:
        return refused
    return _page(_stored_form(community), community=community)


@blueprint.post("/communities/<slug>/edit")
@blueprint.post("/api/communities/<slug>/edit", endpoint="edit_json")
@login_required
def save(slug: str):
    community = _community(slug)
    state = app_state()
    with state.write_lock:
        refused = _refused_edit(community)
        if refused is not None:
            return refused
        base = _stored_form(community)
        return _answer(form_from_fields(request.form.getlist, base), community=community)


@blueprint.get("/communities/new")
@login_required
def new():
    refused = _refused_new()
    if refused is not None:
        return refused
    return _page(new_form(), community=None)


@blueprint.post("/communities/new")
@blueprint.post("/api/communities/new", endpoint="new_json")
@login_required
def create():
    refused = _refused_new()
    if refused is not None:
        return refused
    with app_state().write_lock:
        return _answer(form_from_fields(request.form.getlist, new_form()), community=None)


def _answer(form, *, community: URIRef | None):
    """Check or save ``form`` (as the pressed button says) and answer with the page, the
    JSON, or a redirect to the saved community's page."""
    saving = request.form.get("action") == "save"
    state = app_state()
    try:
        result = save_community(
            state.store, form, who=current_user(), dry_run=not saving, new=community is None
        )
    except ImportRejected as rejected:
        if wants_json():
            problems = [{**p.to_json(), "field": field_for(p)} for p in rejected.problems]
            return error_response(422, "Nothing was saved.", problems=problems)
        return _page(form, community=community, problems=rejected.problems, status=422)
    changes = [
        {"iri": str(c), "name": result.names.get(c, str(c)), "lines": lines}
        for c, lines in result.lines.items()
    ]
    saved = next(iter(result.lines), community)
    if saving and community is None and saved is not None:
        state.accounts.claim(current_user(), [saved])  # who makes a community coordinates it
    if wants_json():
        return json_response({
            "ok": True, "saved": saving, "added": result.added, "removed": result.removed,
            "summary": result.summary(), "changes": changes, "change": result.change_id,
            "community": str(saved) if saved is not None else None,
        })  # fmt: skip
    if not saving:
        return _page(form, community=community, preview=result, changes=changes)
    message = "No changes to save." if result.change_id is None else f"Saved: {result.summary()}."
    flash(message)
    return redirect(page_url(str(saved)) or url_for("mine.index"))


def _page(form, *, community, problems=(), preview=None, changes=(), status=200):
    store = app_state().store
    view = form_view(form.with_blank_rows(), choice_lists(store), problems)
    name = form.name or "New community"
    html = render_template(
        "community_edit.html", form=view, community=str(community) if community else None,
        community_page=page_url(str(community)) if community else None, name=name,
        preview=preview, changes=list(changes), is_new=community is None,
        action=request.path.replace("/api/", "/", 1) if request.method == "POST" else request.path,
    )  # fmt: skip
    return _private(html, status)


def _private(html: str, status: int):
    response = make_response(html, status)
    # holds people's names and emails: for this signed-in coordinator only
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _community(slug: str) -> URIRef:
    if not slug or slugify(slug) != slug:
        abort(404, _NO_SUCH_COMMUNITY)
    community = mint("community", slug)
    if not is_community(app_state().store, community):
        abort(404, _NO_SUCH_COMMUNITY)
    return community


def _stored_form(community: URIRef):
    try:
        return community_form(app_state().store, community)
    except UsageError:
        abort(404, _NO_SUCH_COMMUNITY)


def _refused_edit(community: URIRef):
    refusal = edit_refusal_for(current_account(), str(community))
    return None if refusal is None else error_response(403, refusal)


def _refused_new():
    account = current_account()
    if may_import(account):
        return None
    return error_response(403, upload_refusal(account, {}))
