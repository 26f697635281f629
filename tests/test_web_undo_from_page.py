"""Undoing a change from a community's page: the list of its changes, grouped by change, with
an Undo button only where the signed-in account may undo (its author, an administrator), an
undo that comes back to the page, and no way to be sent to another site."""

from __future__ import annotations

import re

import pytest
from test_web_auth import PASSWORD, make_app, sign_in, token
from test_web_imports import quads, upload
from workbooks import GOOD, replace_cell, xlsx

from cop_graph.ids import mint
from cop_graph.ingest.assessment import Answer, save_assessment
from cop_graph.ingest.history import community_changes, community_history, undo_change
from cop_graph.namespaces import COP
from cop_graph.store.accounts import Accounts

COMMUNITY = mint("community", "halliwell-walkers")
PAGE = "/id/community/halliwell-walkers"
JSON = {"Accept": "application/json"}
REFUSED = "Only sam, who made this change, or an administrator can undo it."


@pytest.fixture
def web(seeded_store, tmp_path):
    """A client signed in as sam, who has imported the Halliwell walkers (change 1)."""
    client = make_app(seeded_store, tmp_path).test_client()
    sign_in(client)
    assert upload(client, xlsx(GOOD), headers=JSON).json["change"] == "1"
    return client


@pytest.fixture
def others(web, tmp_path):
    """Clients signed in as alex (another coordinator) and ada (an administrator)."""
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    accounts.add("alex", PASSWORD)
    accounts.add("ada", PASSWORD, role="administrator")
    clients = {}
    for name in ("alex", "ada"):
        clients[name] = web.application.test_client()
        sign_in(clients[name], name=name)
    return clients


def assess_as(store, who: str) -> None:
    """A recorded change to the community by ``who`` (a self-assessment)."""
    save_assessment(store, COMMUNITY, answers={1: Answer(COP.InProgress)},
                    principles={COP.PeoplePower}, role_holders={}, who=who)  # fmt: skip


def second_version(client):
    """Sam's second import of the community (change 2): one practice fewer."""
    changed = replace_cell(GOOD, "Communities", 2, "Practices", "")
    return upload(client, xlsx(changed), headers=JSON).json["change"]


def undoable(client) -> set[str]:
    """The ids of the changes the page offers ``client`` to undo."""
    page = client.get(PAGE).get_data(as_text=True)
    forms = re.findall(r'<form method="post" action="/imports/undo".*?</form>', page, re.S)
    return {re.search(r'name="change" value="(\d+)"', form).group(1) for form in forms}


def item(page: str, change: str) -> str:
    """The list item of ``change`` on the page."""
    return re.search(rf'<li id="change-{change}"[^>]*>(.*?)\n    </li>', page, re.S).group(1)


def undo(client, change: str, next_page: str | None = PAGE, headers=None):
    form = {"csrf_token": token(client, PAGE), "change": change}
    if next_page is not None:
        form["next"] = next_page
    return client.post("/imports/undo", data=form, headers=headers or {})


def test_each_change_is_listed_with_its_lines_and_undo_only_for_its_author(
    web, others, seeded_store
):
    assess_as(seeded_store, "alex")
    page = web.get(PAGE)
    assert page.headers["Cache-Control"] == "private, no-store"
    text = page.get_data(as_text=True)
    listed = text.split('id="change-list"', 1)[1].split("</ol>", 1)[0]
    first = listed.split('id="change-1"', 1)[1].split('id="change-', 1)[0]
    assert re.search(r"\d{1,2} [A-Z][a-z]{2}: sam added community Halliwell walkers", first)
    assert "alex assessed step 1" in listed.split('id="change-2"', 1)[1]
    assert undoable(web) == {"1"}
    assert undoable(others["alex"]) == {"2"}
    assert undoable(others["ada"]) == {"1", "2"}
    form = text.split('action="/imports/undo"', 1)[1].split("</form>", 1)[0]
    assert 'name="csrf_token"' in form and f'name="next" value="{PAGE}"' in form


def test_the_json_twin_says_which_changes_this_account_may_undo(web, others, seeded_store):
    assess_as(seeded_store, "alex")
    twin = web.get("/api" + PAGE).json
    assert [(c["id"], c["who"], c["may_undo"]) for c in twin["change_list"]] == [
        ("2", "alex", False),
        ("1", "sam", True),
    ]
    assert twin["change_list"][1]["lines"][0] == "added community Halliwell walkers"
    assert any("sam added community" in line for line in twin["recent_changes"])


def test_undoing_from_the_page_comes_back_to_it_with_the_facts_restored(web, seeded_store):
    before = quads(seeded_store)
    change = second_version(web)
    assert quads(seeded_store) != before
    response = undo(web, change)
    assert response.status_code == 302 and response.headers["Location"] == PAGE
    assert quads(seeded_store) == before
    text = web.get(PAGE).get_data(as_text=True)
    flashed = re.search(r'id="undo-result"><p>(Undone: [^<]*)</p>', text).group(1)
    assert flashed.startswith("Undone: import import/halliwell: ")
    assert flashed.endswith("(1 fact added, 0 removed).")
    assert f'<li id="change-{change}" class="undone">' in text
    assert "<em>Undone by change 3.</em>" in item(text, change)
    assert "Undone by" not in item(text, "3") + item(text, "1")
    # the undo is a change too, offered for undoing; the undone change is not offered again
    assert undoable(web) == {"1", "3"}
    assert "Undone: " not in web.get(PAGE).get_data(as_text=True)  # the message shows once


def test_undoing_an_undo_puts_the_change_back_and_it_no_longer_shows_as_undone(web, seeded_store):
    change = second_version(web)
    after = quads(seeded_store)
    undo(web, change)
    assert undo(web, "3").headers["Location"] == PAGE
    assert quads(seeded_store) == after
    by_id = {c.id: c for c in community_changes(seeded_store, COMMUNITY)}
    assert by_id[change].undone_by is None and by_id["3"].undone_by == "4"
    assert by_id["3"].undoes == change and by_id["4"].undoes == "3"
    assert undoable(web) == {"1", "2", "4"}


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "https://evil.example/id/community/halliwell-walkers",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
        None,
    ],
)
def test_a_next_page_off_this_site_is_ignored(web, target):
    change = second_version(web)
    response = undo(web, change, next_page=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/imports"


def test_another_coordinator_is_refused_with_the_sentence(web, others, seeded_store):
    change = second_version(web)
    after = quads(seeded_store)
    refused = undo(others["alex"], change)
    assert refused.status_code == 403 and REFUSED in refused.get_data(as_text=True)
    refused = undo(others["alex"], change, headers=JSON)
    assert refused.status_code == 403 and refused.json["error"] == REFUSED
    assert quads(seeded_store) == after


def test_a_change_built_on_later_must_wait_for_the_later_one(web, seeded_store):
    second_version(web)
    after = quads(seeded_store)
    refused = undo(web, "1")
    assert refused.status_code == 409
    assert "after change 1: undo it first." in refused.get_data(as_text=True)
    assert quads(seeded_store) == after


def test_visitors_see_no_changes_and_no_undo(web):
    visitor = web.application.test_client()
    page = visitor.get(PAGE)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Halliwell walkers" in text
    assert 'id="change-list"' not in text and "/imports/undo" not in text
    assert "Recent changes" not in text and "sam added" not in text
    assert page.headers.get("Cache-Control") != "private, no-store"
    twin = visitor.get("/api" + PAGE).json
    assert "change_list" not in twin and "recent_changes" not in twin
    assert visitor.post("/imports/undo", data={"change": "1", "next": PAGE}).status_code == 400


def test_community_history_still_gives_short_lines(web, seeded_store):
    change = second_version(web)
    undo_change(seeded_store, change, who="sam", is_admin=False)
    lines = community_history(seeded_store, COMMUNITY)
    assert re.fullmatch(
        r"\d{1,2} [A-Z][a-z]{2}: sam undid: removed practice Health walks", lines[0]
    )
    assert lines[-1].endswith(": sam added community Halliwell walkers")
    assert community_history(seeded_store, COMMUNITY, limit=2) == lines[:2]
