"""A signed-in account's own communities, with what to do next for each (issue 14).

``/my-communities`` lists the communities the account coordinates (from the accounts file,
never the graph), each with its page, its workbook to download and its edit form, and its
last few changes; ``/api/my-communities`` is its JSON twin. An administrator, who may edit
every community, is told so; a viewer, who reads only, is told whom to ask. The page names
accounts (in the changes), so it is never kept by a shared cache.
"""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, url_for
from rdflib import URIRef

from cop_graph.ingest.history import community_changes
from cop_graph.store.accounts import ADMINISTRATOR, VIEWER
from cop_graph.web.auth import current_account, login_required
from cop_graph.web.browsing import page_url, public_data
from cop_graph.web.negotiation import json_response, wants_json
from cop_graph.web.state import app_state

__all__ = ["blueprint", "my_communities"]

blueprint = Blueprint("mine", __name__)

#: how many recent changes each community shows
RECENT = 3


@blueprint.get("/my-communities")
@blueprint.get("/api/my-communities", endpoint="index_json")
@login_required
def index():
    page = my_communities()
    if wants_json():
        response = json_response({"ok": True, **page})
    else:
        response = make_response(render_template("my_communities.html", **page))
    # names accounts and is about this visitor: for this signed-in visitor only
    response.headers["Cache-Control"] = "private, no-store"
    return response


def my_communities() -> dict:
    """The page data: the account's role, what it may do, and its communities (by name)."""
    account = current_account()
    store = app_state().store
    iris = sorted(account.communities)
    names = public_data().labels(URIRef(iri) for iri in iris)
    communities = []
    for iri in iris:
        slug = iri.rsplit("/", 1)[-1]
        changes = community_changes(store, URIRef(iri), limit=RECENT)
        communities.append(
            {
                "iri": iri,
                "name": names.get(iri, slug),
                "page": page_url(iri),
                "workbook": url_for("workbooks.community", slug=slug, fmt="xlsx"),
                "edit": url_for("editing.edit", slug=slug),
                "recent_changes": [change.to_json() for change in changes],
            }
        )
    communities.sort(key=lambda c: c["name"].casefold())
    return {
        "account": account.name,
        "role": account.role,
        "edits_every_community": account.role == ADMINISTRATOR,
        "reads_only": account.role == VIEWER,
        "ask": _administrators() if account.role == VIEWER else [],
        "new_community": None if account.role == VIEWER else url_for("editing.new"),
        "communities": communities,
    }


def _administrators() -> list[str]:
    """The names of the administrators, whom a viewer asks to become a coordinator."""
    return [a.name for a in app_state().accounts.list() if a.role == ADMINISTRATOR]
