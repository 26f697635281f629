"""The self-assessment: a form from the graph, saved as one checked change, history kept."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from framework_words import document_words
from rdflib import Literal, URIRef
from test_web_auth import PASSWORD, make_app, sign_in, token

from cop_graph.errors import UsageError, ValidationFailed
from cop_graph.files.ontology import ontology_graph
from cop_graph.ids import mint
from cop_graph.ingest.assessment import Answer, assessment_form, graph_name, save_assessment
from cop_graph.namespaces import COP, DCTERMS, ORG, RDF, SKOS
from cop_graph.queries.catalogue import graph_iri, list_graphs

WALKS = mint("community", "bolton-health-walks-network")
GRAPH = graph_iri(graph_name(WALKS))


def quads(store) -> list[str]:
    out = io.BytesIO()
    store.dump(out, "nquads")
    return sorted(out.getvalue().decode().splitlines())


def test_the_form_has_the_seven_steps_with_the_seeds_guiding_questions(demo_store):
    form = assessment_form(demo_store, WALKS)
    assert form["name"] == "Bolton health walks network (illustrative)"
    assert [s["number"] for s in form["steps"]] == list(range(1, 8))
    words = document_words()
    for step in form["steps"]:  # in the framework document's order, not the alphabet's
        assert step["questions"] == words.ordered(f"step {step['number']} questions")
    assert (
        "What is the topic or theme that you want to explore together?"
        in (form["steps"][0]["questions"])
    )
    assert [s["label"] for s in form["statuses"]] == ["Not started", "In progress", "Established"]


def test_the_form_has_wengers_roles_and_the_principles(demo_store):
    form = assessment_form(demo_store, WALKS)
    assert [r["label"] for r in form["roles"]] == [
        str(ontology_graph().value(r, SKOS.prefLabel))
        for r in (COP.AgendaActivist, COP.CommunityKeeper, COP.CriticalFriend, COP.ValueDetective,
                  COP.ExternalMessenger, COP.SocialReporter, COP.OrganizationalBroker)
    ]  # fmt: skip
    questions = [q for r in form["roles"] for q in r["questions"]]
    assert questions == document_words().ordered("role questions")
    schemes = {s["label"]: s for s in form["principles"]}
    # Fairer Health for All's 5 and Wheatley's 10: the critical success factors are
    # partnerships', not principles a community adopts
    assert len(schemes) == 2
    assert sum(len(s["principles"]) for s in schemes.values()) == 15
    adopted = {p["iri"] for s in schemes.values() for p in s["principles"] if p["adopted"]}
    assert str(COP.PeoplePower) in adopted  # recorded in the demo data


def test_an_unknown_community_has_no_form(demo_store):
    with pytest.raises(UsageError):
        assessment_form(demo_store, mint("community", "nobody"))


def test_saving_adds_dated_assessments_and_keeps_the_history(demo_store):
    before = len(assessment_form(demo_store, WALKS)["steps"][0]["history"])
    first = date(2026, 11, 25)  # after every demo assessment
    save_assessment(demo_store, WALKS, answers={1: Answer(COP.InProgress, "Half way.", first)},
                    principles=set(), role_holders={}, who="sam")  # fmt: skip
    save_assessment(demo_store, WALKS, answers={1: Answer(COP.Established, "Agreed.")},
                    principles=set(), role_holders={}, who="sam")  # fmt: skip
    history = assessment_form(demo_store, WALKS)["steps"][0]["history"]
    assert len(history) == before + 2
    assert (history[0]["date"], history[0]["status_label"]) == (
        date.today().isoformat(), "Established")  # fmt: skip
    assert history[1]["date"] == "2026-11-25"
    saved = demo_store.graph(GRAPH)
    today = mint("assessment", "bolton-health-walks-network", "1", date.today().isoformat())
    assert (today, DCTERMS.description, Literal("Agreed.", lang="en")) in saved
    (record,) = [r for r in list_graphs(demo_store) if r.graph == str(GRAPH)]
    assert (record.kind, record.who) == ("assessment", "sam")


def test_saving_twice_on_one_day_replaces_that_days_answer(demo_store):
    for status in (COP.NotStarted, COP.InProgress):
        save_assessment(demo_store, WALKS, answers={2: Answer(status)}, principles=set(),
                        role_holders={})  # fmt: skip
    today = mint("assessment", "bolton-health-walks-network", "2", date.today().isoformat())
    assert set(demo_store.graph(GRAPH).objects(today, COP.stepStatus)) == {COP.InProgress}


def test_principles_and_role_holders_are_saved(demo_store):
    form = assessment_form(demo_store, WALKS)
    member = URIRef(form["members"][0]["iri"])
    save_assessment(demo_store, WALKS, answers={}, principles={COP.LeadersFromAnywhere},
                    role_holders={COP.CommunityKeeper: member})  # fmt: skip
    saved = demo_store.graph(GRAPH)
    assert (WALKS, COP.adoptsPrinciple, COP.LeadersFromAnywhere) in saved
    (membership,) = saved.subjects(RDF.type, ORG.Membership)
    assert (membership, ORG.member, member) in saved
    keeper = next(r for r in assessment_form(demo_store, WALKS)["roles"]
                  if r["iri"] == str(COP.CommunityKeeper))  # fmt: skip
    assert form["members"][0]["name"] in keeper["holders"]
    # unticking removes what the form added, and nothing else
    save_assessment(demo_store, WALKS, answers={}, principles=set(), role_holders={})
    assert (WALKS, COP.adoptsPrinciple, COP.LeadersFromAnywhere) not in demo_store.graph(GRAPH)
    assert (membership, ORG.member, member) in demo_store.graph(GRAPH)


def test_a_change_that_breaks_a_rule_writes_nothing(demo_store):
    before = quads(demo_store)
    with pytest.raises(ValidationFailed):
        save_assessment(demo_store, WALKS, answers={3: Answer(COP.Open)}, principles=set(),
                        role_holders={})  # fmt: skip
    assert quads(demo_store) == before


# -- the web form -------------------------------------------------------------------------


@pytest.fixture
def web(demo_store, tmp_path):
    client = make_app(demo_store, tmp_path).test_client()
    sign_in(client)
    return client


def test_the_form_page_lists_steps_questions_roles_and_principles(web):
    page = web.get("/assessment/bolton-health-walks-network").get_data(as_text=True)
    assert "Step 1: Identify a clear purpose and scope for the CoP" in page
    assert "What is the topic or theme that you want to explore together?" in page
    assert "Social reporter" in page and "People Power" in page
    assert web.get("/api/assessment/bolton-health-walks-network").json["ok"] is True
    assert web.get("/assessment/nobody").status_code == 404
    assert "Bolton health walks network" in web.get("/assessment").get_data(as_text=True)


def test_the_form_saves_and_shows_the_new_assessment(web, demo_store):
    path = "/assessment/bolton-health-walks-network"
    response = web.post(path, data={
        "csrf_token": token(web, path), "step-4-status": "Established",
        "step-4-date": "2026-02-01", "step-4-notes": "Ground rules agreed.",
        "principle": str(COP.WisdomResidesWithinUs),
    })  # fmt: skip
    assert response.status_code == 302
    page = web.get(path).get_data(as_text=True)
    assert "Saved the self-assessment of the Bolton health walks network (illustrative)." in page
    assert "2026-02-01: Established – Ground rules agreed." in page
    assert (WALKS, COP.adoptsPrinciple, COP.WisdomResidesWithinUs) in demo_store.graph(GRAPH)


def test_the_form_refuses_what_it_did_not_offer(web, demo_store):
    before = quads(demo_store)
    path = "/assessment/bolton-health-walks-network"
    response = web.post(path, data={
        "csrf_token": token(web, path), "step-1-status": "Finished",
        "step-2-status": "InProgress", "step-2-date": "03/04/24",
        "role-SocialReporter": "https://evil.example/someone",
    })  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Step 1: choose a status from the list." in page
    assert re.search(r"Step 2, date: .*could be read in more than one way", page)
    assert "Social reporter: choose one of the community&#39;s members." in page
    assert quads(demo_store) == before


def test_a_date_in_the_future_is_refused_next_to_its_field(web, demo_store):
    before = quads(demo_store)
    path = "/assessment/bolton-health-walks-network"
    future = date.fromordinal(date.today().toordinal() + 1).isoformat()
    response = web.post(path, data={
        "csrf_token": token(web, path), "step-3-status": "InProgress", "step-3-date": future,
    })  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    field = re.search(r'<span class="field-error" id="step-3-date-error">([^<]*)</span>', page)
    assert field and f"{future}&#34; is in the future" in field.group(1)
    assert 'aria-describedby="step-3-date-error"' in page
    assert quads(demo_store) == before


def test_saving_refuses_a_date_in_the_future(demo_store):
    before = quads(demo_store)
    tomorrow = date.fromordinal(date.today().toordinal() + 1)
    with pytest.raises(UsageError, match="step 2: .* is in the future"):
        save_assessment(demo_store, WALKS, answers={2: Answer(COP.InProgress, day=tomorrow)},
                        principles=set(), role_holders={})  # fmt: skip
    assert quads(demo_store) == before


def test_only_those_who_may_edit_a_community_save_its_self_assessment(web, demo_store, tmp_path):
    """A viewer, and a coordinator of someone else's community, are refused; nothing is saved."""
    from cop_graph.store.accounts import Accounts

    accounts = Accounts(tmp_path / "accounts.sqlite3")
    accounts.add("vic", PASSWORD, role="viewer")
    accounts.add("alex", PASSWORD)
    accounts.add_coordinator("sam", str(WALKS))
    path = "/assessment/bolton-health-walks-network"
    before = quads(demo_store)
    for name, message in (("vic", "reads only"), ("alex", "ask sam")):
        client = web.application.test_client()
        sign_in(client, name=name)
        form = {"csrf_token": token(client, path), "step-4-status": "Established"}
        refused = client.post(path, data=form, headers={"Accept": "application/json"})
        assert refused.status_code == 403, name
        assert message in refused.json["error"].lower()
        assert quads(demo_store) == before
    form = {"csrf_token": token(web, path), "step-4-status": "Established"}
    assert web.post(path, data=form).status_code == 302


def test_a_saved_self_assessment_is_in_the_history_and_can_be_undone(demo_store):
    """Saving the form is a recorded change: the community's history says what was assessed,
    and undoing it puts back exactly the facts of before."""
    from cop_graph.ingest.history import community_history, list_changes, undo_change

    before = demo_store.graph(GRAPH)
    save_assessment(demo_store, WALKS, answers={4: Answer(COP.Established, day=date(2026, 2, 1))},
                    principles=set(), role_holders={}, who="sam")  # fmt: skip
    (latest, *_) = list_changes(demo_store, WALKS)
    assert latest.who == "sam" and latest.kind == "assessment"
    assert any(
        "assessed step 4: established" in line for line in community_history(demo_store, WALKS)
    )
    undo_change(demo_store, latest.id, who="sam", is_admin=False)
    assert demo_store.graph(GRAPH).isomorphic(before)


def test_the_community_page_lists_recent_changes_for_signed_in_users_only(web, demo_store):
    """The change list names accounts: signed-in users see it, not visitors, and it is never
    kept in a shared cache."""
    path = "/assessment/bolton-health-walks-network"
    form = {"csrf_token": token(web, path), "step-4-status": "Established"}
    assert web.post(path, data=form).status_code == 302
    page = "/id/community/bolton-health-walks-network"
    signed_in = web.get(page)
    assert "Recent changes" in signed_in.get_data(as_text=True)
    assert "sam assessed step 4: established" in signed_in.get_data(as_text=True)
    assert signed_in.headers["Cache-Control"] == "private, no-store"
    assert any("assessed step 4" in line for line in web.get("/api" + page).json["recent_changes"])
    visitor = web.application.test_client()
    shown = visitor.get(page).get_data(as_text=True)
    assert "Recent changes" not in shown and "sam assessed" not in shown
    assert "recent_changes" not in visitor.get("/api" + page).json
