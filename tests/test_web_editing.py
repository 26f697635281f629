"""The edit form and the new-community form over HTTP, as a browser without a script posts them.

The fields posted are read back from the page itself (every input, ticked box and chosen
option, as a browser submits a form), so the template's names are what is tested.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from test_web_auth import PASSWORD, make_app, sign_in, token

from cop_graph.ids import mint
from cop_graph.namespaces import COP, RDFS
from cop_graph.store.accounts import Accounts

BOLTON = mint("community", "bolton-health-walks-network")
EDIT = "/communities/bolton-health-walks-network/edit"


class FormFields(HTMLParser):
    """The fields the page's community form submits: (name, value) pairs in order."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "community-form" in (a.get("class") or ""):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "checkbox" and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select, self._select_value = a.get("name"), None
        elif tag == "option" and self._select is not None:
            if "selected" in a or self._select_value is None:
                self._select_value = a.get("value", "\0text")
                self._option_selected = "selected" in a
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data
        if self._select is not None and self._select_value == "\0text":
            self._select_value = data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select is not None:
            self.fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text))
            self._textarea = None


def form_of(page: str) -> list[tuple[str, str]]:
    parser = FormFields()
    parser.feed(page)
    return parser.fields


def with_changes(fields, *, put=None, add=(), drop=()):
    """``fields`` with the first value of each name in ``put`` replaced, ``add`` appended,
    and every pair whose name is in ``drop`` left out."""
    put = dict(put or {})
    out = []
    for name, value in fields:
        if name in drop:
            continue
        if name in put:
            value = put.pop(name)
        out.append((name, value))
    return out + list(add) + list(put.items())


def post(client, path, fields, action):
    from werkzeug.datastructures import MultiDict

    return client.post(path, data=MultiDict([*fields, ("action", action)]))


@pytest.fixture
def app(demo_store, tmp_path):
    app = make_app(demo_store, tmp_path)
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    accounts.add_coordinator("sam", str(BOLTON))
    accounts.add("alex", PASSWORD)
    accounts.add("vic", PASSWORD, role="viewer")
    return app


@pytest.fixture
def sam(app):
    client = app.test_client()
    sign_in(client)
    return client


def test_the_form_shows_the_record_with_choices_from_the_graph(sam):
    response = sam.get(EDIT)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    fields = dict(form_of(page))
    assert fields["community.name"] == "Bolton health walks network (illustrative)"
    assert ("community.practices", "Health walks") in form_of(page)
    assert fields["community.openness"] == "Open"
    assert '<datalist id="list-place">' in page and "Astley Bridge" in page
    assert 'list="list-practice"' in page
    assert "memberships.count" in fields and "people.0.name" in fields
    assert "<legend>Operates in <span" in page
    assert '<label class="visually-hidden" for="f-community-operates-in-2">Operates in 2' in page


def test_check_says_what_would_change_and_saves_nothing(sam, demo_store):
    fields = form_of(sam.get(EDIT).get_data(as_text=True))
    before = demo_store.count()
    changed = with_changes(fields, add=[("community.practices", "Social prescribing"),
                                        ("memberships.0.remove", "yes")])  # fmt: skip
    response = post(sam, EDIT, changed, "check")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "If you save, this will change" in page
    assert "Added practice Social prescribing" in page
    assert "Removed member" in page
    assert demo_store.count() == before
    # the checked form keeps what was typed, ready to save
    assert ("community.practices", "Social prescribing") in form_of(page)


def test_save_replaces_the_record_and_the_page_says_what_changed(sam, demo_store):
    fields = form_of(sam.get(EDIT).get_data(as_text=True))
    changed = with_changes(fields, add=[("community.practices", "Social prescribing")])
    response = post(sam, EDIT, changed, "save")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/id/community/bolton-health-walks-network")
    page = sam.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved: 1 fact added, 0 removed." in page
    assert "added practice Social prescribing" in page  # the change list
    unchanged = post(sam, EDIT, form_of(sam.get(EDIT).get_data(as_text=True)), "save")
    assert "No changes to save." in sam.get(unchanged.headers["Location"]).get_data(as_text=True)


def test_an_invalid_edit_says_so_beside_the_field_and_changes_nothing(sam, demo_store):
    fields = form_of(sam.get(EDIT).get_data(as_text=True))
    before = set(demo_store.native)
    broken = with_changes(fields, drop={"community.domains"},
                          put={"memberships.0.role": "Agenda activst"})  # fmt: skip
    response = post(sam, EDIT, broken, "save")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert 'id="f-community-domains-error"' in page
    assert 'href="#f-community-domains"' in page  # the summary links to the field
    assert 'aria-invalid="true"' in page
    assert 'did you mean "Agenda activist"' in page.split('id="f-memberships-0-role-error"')[1]
    assert set(demo_store.native) == before
    # what was typed is still there to correct
    assert ("memberships.0.role", "Agenda activst") in form_of(page)


def test_only_its_coordinators_may_edit_and_others_are_told_whom_to_ask(app):
    alex = app.test_client()
    sign_in(alex, "alex")
    response = alex.get(EDIT)
    assert response.status_code == 403
    assert "Ask sam to change this community" in response.get_data(as_text=True)
    fields = [("csrf_token", token(alex, "/imports")), ("community.name", "Taken over")]
    refused = post(alex, EDIT, fields, "save")
    assert refused.status_code == 403
    assert "Ask sam" in refused.get_data(as_text=True)
    anonymous = app.test_client()
    assert anonymous.get(EDIT).status_code == 302
    assert anonymous.post(EDIT, data={"action": "save"}).status_code in (302, 400)


@pytest.mark.parametrize(
    "path", ["/communities/no-such-community/edit", "/communities/Bad..Slug/edit"]
)
def test_unknown_communities_are_404(sam, path):
    assert sam.get(path).status_code == 404


def test_a_new_community_is_recorded_and_its_maker_coordinates_it(app, tmp_path, demo_store):
    alex = app.test_client()
    sign_in(alex, "alex")
    fields = form_of(alex.get("/communities/new").get_data(as_text=True))
    filled = with_changes(fields, put={
        "community.name": "Halliwell walking group",
        "community.domains": "Physical activity",
        "community.operates-in": "Halliwell",
        "people.0.name": "Jo Bloggs",
        "memberships.0.member": "Jo Bloggs",
        "memberships.0.role": "Community keeper",
    })  # fmt: skip
    checked = post(alex, "/communities/new", filled, "check")
    assert "Added community Halliwell walking group" in checked.get_data(as_text=True)
    response = post(alex, "/communities/new", form_of(checked.get_data(as_text=True)), "save")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/id/community/halliwell-walking-group")
    halliwell = mint("community", "halliwell-walking-group")
    assert Accounts(tmp_path / "accounts.sqlite3").coordinators_of(str(halliwell)) == ["alex"]
    label = demo_store.outgoing([halliwell]).value(halliwell, RDFS.label)
    assert str(label) == "Halliwell walking group"
    assert alex.get("/communities/halliwell-walking-group/edit").status_code == 200
    again = post(alex, "/communities/new", filled, "save")
    assert again.status_code == 422
    assert "already recorded" in again.get_data(as_text=True)


def test_viewers_cannot_make_communities(app):
    vic = app.test_client()
    sign_in(vic, "vic")
    assert vic.get("/communities/new").status_code == 403


def test_the_json_twin_places_problems_by_field(sam, demo_store):
    fields = form_of(sam.get(EDIT).get_data(as_text=True))
    broken = with_changes(fields, drop={"community.domains"})
    response = post(sam, "/api/communities/bolton-health-walks-network/edit", broken, "save")
    assert response.status_code == 422
    assert {p["field"] for p in response.json["problems"]} == {"community.domains"}
    ok = post(sam, "/api/communities/bolton-health-walks-network/edit", fields, "check")
    assert ok.json["ok"] is True and ok.json["summary"] == "no changes"
    assert (BOLTON, COP.hasDomain, None) in demo_store.outgoing([BOLTON])
