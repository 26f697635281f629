"""The "My communities" page: exactly the signed-in account's communities, each with its
page, workbook and edit form and its last changes; what an administrator and a viewer may do;
a JSON twin; nothing for anonymous visitors."""

from __future__ import annotations

import re

import pytest
from test_web_auth import PASSWORD, make_app, sign_in

from cop_graph.ids import mint
from cop_graph.ingest.assessment import Answer, save_assessment
from cop_graph.namespaces import COP
from cop_graph.store.accounts import Accounts

WALKS = "bolton-health-walks-network"
CARERS = "bury-young-carers-network"
ELSEWHERE = "gorton-and-levenshulme-warm-spaces-network"
JSON = {"Accept": "application/json"}


@pytest.fixture
def site(demo_store, tmp_path):
    """sam coordinates two demo communities, alex another, ada (an administrator) one, vic
    (a viewer) reads only."""
    app = make_app(demo_store, tmp_path)
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    accounts.add("alex", PASSWORD)
    accounts.add("ada", PASSWORD, role="administrator")
    accounts.add("vic", PASSWORD, role="viewer")
    for name, slug in [("sam", WALKS), ("sam", CARERS), ("alex", ELSEWHERE), ("ada", CARERS)]:
        accounts.add_coordinator(name, str(mint("community", slug)))
    return app


def client_of(site, name: str):
    client = site.test_client()
    sign_in(client, name=name)
    return client


def listed(page: str) -> list[dict]:
    """Each community on the page: its name, page link and other links."""
    found = []
    items = page.split('id="my-communities"', 1)[1].split("\n</ul>", 1)[0]
    for item in re.findall(r"<li>\s*<h2>(.*?)</li>\s*(?=<li>|$)", items, re.S):
        heading = re.search(r'<a href="([^"]+)">([^<]+)</a></h2>', item)
        links = dict(re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', item.split("</h2>", 1)[1]))
        found.append({"page": heading.group(1), "name": heading.group(2), "links": links})
    return found


def test_the_page_lists_exactly_the_accounts_communities_with_their_links(site):
    sam = client_of(site, "sam")
    response = sam.get("/my-communities")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    page = response.get_data(as_text=True)
    communities = listed(page)
    pages = [f"/id/community/{WALKS}", f"/id/community/{CARERS}"]
    assert sorted(c["page"] for c in communities) == pages
    for community in communities:
        slug = community["page"].rsplit("/", 1)[-1]
        assert community["links"] == {
            f"/workbooks/community/{slug}.xlsx": "Download its workbook",
            f"/communities/{slug}/edit": "Edit",
        }
    assert any(c["name"].startswith("Bolton health walks network") for c in communities)
    assert ELSEWHERE not in page
    assert '<a href="/communities/new" id="new-community">New community</a>' in page
    assert 'id="reads-only"' not in page and 'id="edits-every"' not in page
    assert sam.get(f"/workbooks/community/{WALKS}.xlsx").status_code == 200


def test_each_community_shows_at_most_its_three_latest_changes(site, demo_store):
    for step in (1, 2, 3, 4):
        save_assessment(demo_store, mint("community", WALKS),
                        answers={step: Answer(COP.InProgress)}, principles=set(),
                        role_holders={}, who="sam")  # fmt: skip
    twin = client_of(site, "sam").get("/api/my-communities").json
    walks = next(c for c in twin["communities"] if c["iri"].endswith(WALKS))
    assert [c["who"] for c in walks["recent_changes"]] == ["sam"] * 3
    assert "step 4" in walks["recent_changes"][0]["lines"][0]
    carers = next(c for c in twin["communities"] if c["iri"].endswith(CARERS))
    assert carers["recent_changes"] == []
    page = client_of(site, "sam").get("/my-communities").get_data(as_text=True)
    assert page.count("sam assessed step") == 3 and "No changes recorded yet." in page


def test_the_json_twin_has_the_same_communities_and_links(site):
    twin = client_of(site, "sam").get("/api/my-communities")
    assert twin.status_code == 200 and twin.headers["Cache-Control"] == "private, no-store"
    body = twin.json
    assert body["ok"] is True and body["account"] == "sam" and body["role"] == "coordinator"
    assert body["new_community"] == "/communities/new" and body["reads_only"] is False
    assert [(c["page"], c["workbook"], c["edit"]) for c in body["communities"]] == [
        (f"/id/community/{WALKS}", f"/workbooks/community/{WALKS}.xlsx",
         f"/communities/{WALKS}/edit"),
        (f"/id/community/{CARERS}", f"/workbooks/community/{CARERS}.xlsx",
         f"/communities/{CARERS}/edit"),
    ]  # fmt: skip
    asked = client_of(site, "sam").get("/my-communities", headers=JSON)
    assert asked.json == body


def test_a_viewer_is_told_it_reads_only_and_whom_to_ask(site):
    vic = client_of(site, "vic")
    page = vic.get("/my-communities").get_data(as_text=True)
    sentence = re.search(r'<p id="reads-only">(.*?)</p>', page, re.S).group(1)
    assert " ".join(sentence.split()) == (
        "Your account reads only: you can look at every community but not change one. To keep "
        "a community's record, ask ada (an administrator) to make your account a coordinator's."
    )
    assert "/communities/new" not in page and "/edit" not in page
    twin = vic.get("/api/my-communities").json
    assert twin["reads_only"] is True and twin["ask"] == ["ada"] and twin["communities"] == []


def test_an_administrator_may_edit_every_community_and_sees_its_own(site):
    ada = client_of(site, "ada")
    page = ada.get("/my-communities").get_data(as_text=True)
    assert "You are an administrator: you may edit every community." in page
    assert [c["page"] for c in listed(page)] == [f"/id/community/{CARERS}"]
    assert ada.get("/api/my-communities").json["edits_every_community"] is True


def test_a_coordinator_of_no_community_is_told_how_to_record_one(site, tmp_path):
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    accounts.remove_coordinator("alex", str(mint("community", ELSEWHERE)))
    page = client_of(site, "alex").get("/my-communities").get_data(as_text=True)
    assert "You coordinate no community yet" in page and 'id="my-communities"' not in page
    assert 'href="/communities/new"' in page


def test_anonymous_visitors_are_sent_to_sign_in(site):
    visitor = site.test_client()
    response = visitor.get("/my-communities")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in?next=/my-communities")
    api = visitor.get("/api/my-communities")
    assert api.status_code == 401 and api.json["error"] == "Sign in as a coordinator first."
    assert 'href="/my-communities"' not in visitor.get("/").get_data(as_text=True)


def test_the_header_links_to_the_page_for_signed_in_users(site):
    home = client_of(site, "sam").get("/").get_data(as_text=True)
    header = home.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert '<a class="site-name" href="/my-communities">My communities</a>' in header
