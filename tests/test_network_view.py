"""The data behind the network page's interactive view (``/api/analysis/network/view``): every
node named, of a kind, with a link; filters' choices that add up; no person who has not agreed
to be named; the page itself keeps its picture and table for readers without JavaScript."""

from __future__ import annotations

import pytest
from live_server import CANARY_SECRETS, public_test_store

from cop_graph.config import load_settings
from cop_graph.web import create_app

VIEW = "/api/analysis/network/view"
PEOPLE = "https://w3id.org/cop-graph/id/person/"


@pytest.fixture
def view(client) -> dict:
    response = client.get(VIEW)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def test_every_node_has_a_name_a_kind_and_a_link_to_its_page(view):
    assert view["ok"] is True
    nodes = view["nodes"]
    assert len([n for n in nodes if n["kind"] == "community"]) > 10
    for node in nodes:
        assert node["label"] and node["kind"] in ("community", "organisation", "person"), node
        assert node["link"].startswith("/id/"), node
        assert isinstance(node["x"], float | int) and isinstance(node["y"], float | int)
    for community in (n for n in nodes if n["kind"] == "community"):
        assert community["cluster"] >= 1 and community["colour"].startswith("#")
        assert community["localities"], community  # every demo community works somewhere
        assert isinstance(community["domains"], list)


def test_links_join_nodes_of_the_view(view):
    ids = {n["id"] for n in view["nodes"]}
    assert view["links"]
    for link in view["links"]:
        assert link["source"] in ids and link["target"] in ids, link
        assert link["kind"] in ("shared", "member") and link["weight"] >= 1


def test_the_filters_choices_count_the_communities_they_show(view):
    communities = [n for n in view["nodes"] if n["kind"] == "community"]
    for field, choices in (("domains", view["domains"]), ("localities", view["localities"])):
        assert choices, field
        for choice in choices:
            shown = [c for c in communities if choice["iri"] in c[field]]
            assert choice["communities"] == len(shown) > 0, choice
            assert choice["label"] and not choice["label"].startswith("http"), choice
    assert any(c["label"] == "Bolton" for c in view["localities"])
    assert [c["cluster"] for c in view["clusters"]] == list(range(1, len(view["clusters"]) + 1))


def test_shared_members_are_nodes_only_with_consent(app, view):
    from cop_graph.web import analysis

    with app.test_request_context("/"):
        graph = analysis.analysis_graphs().communities
    described = graph.graph["members"]
    shared = {}
    for community in graph.nodes:
        for member, _ in graph.nodes[community]["members"]:
            shared.setdefault(member, set()).add(community)
    private = {
        m
        for m, where in shared.items()
        if len(where) > 1 and described[m]["kind"] == "person" and not described[m]["public"]
    }
    assert private, "the demo data should hold shared people who did not consent"
    members = {n["id"]: n for n in view["nodes"] if n["kind"] != "community"}
    assert any(n["kind"] == "person" for n in members.values())
    for iri, node in members.items():
        assert described[iri]["public"], node
        assert len(node["communities"]) >= 2
    named = [link for link in view["links"] if {link["source"], link["target"]} & private]
    assert not private & set(members) and named == []


def test_a_person_who_did_not_consent_is_nowhere_in_the_view(tmp_path, demo_nquads):
    store = public_test_store(tmp_path / "store", demo_nquads)
    try:
        app = create_app({"STORE": store, "SETTINGS": load_settings({}, store="memory:")})
        text = app.test_client().get(VIEW).get_data(as_text=True)
    finally:
        store.close()
    assert '"ok": true' in text
    for secret in (*CANARY_SECRETS, "canary-0001"):
        assert secret not in text


def test_the_page_keeps_its_picture_and_table_and_points_the_script_at_the_data(client):
    html = client.get("/analysis/network").get_data(as_text=True)
    assert 'id="network-picture"' in html and "<svg" in html
    assert 'class="network-table"' in html
    assert 'href="/id/community/bolton-health-walks-network"' in html
    assert f'data-source="{VIEW}"' in html
    assert "vendor/cytoscape/cytoscape.min.js" in html and "network.js" in html
    assert "<style" not in html and ' style="' not in html  # the CSP allows neither


def test_each_cluster_says_what_its_communities_share(client):
    page = client.get("/analysis/network").get_data(as_text=True)
    table = page.split('id="clusters-heading"', 1)[1]
    assert table.count("<summary>What they share</summary>") >= 1
    assert "Practices:" in table and 'href="/id/practice/' in table
