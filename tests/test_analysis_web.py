"""The analysis pages and their JSON twins over the demo data."""

from __future__ import annotations

import io
import re

import networkx as nx
import pyoxigraph as ox
import pytest

from cop_graph.analysis import reports
from cop_graph.config import load_settings
from cop_graph.namespaces import GRAPH
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

ID = "https://w3id.org/cop-graph/id/"
PAGES = [
    "shared-practice",
    "shared-practice?level=ward",
    "network",
    "paths",
    "gaps",
    "brokers",
    "roles",
    "progress",
    "learn-from",
    "resilience",
]


@pytest.fixture(scope="module")
def demo(demo_nquads):
    """One demo store for the whole module: these tests only read."""
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def client(demo):
    settings = load_settings({}, store="memory:", rate_limits=False)
    return create_app({"TESTING": True, "STORE": demo, "SETTINGS": settings}).test_client()


def test_shared_practice_json_has_exactly_the_promised_shape(client):
    response = client.get("/api/analysis/shared-practice")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"ok", "pairs"} and body["ok"] is True
    assert body["pairs"]
    seen = set()
    for pair in body["pairs"]:
        assert set(pair) == {
            "places", "labels", "practice", "practice_label", "communities", "evidence",
            "illustrative",
        }  # fmt: skip
        assert pair["illustrative"] is True  # the demo's communities are invented
        first, second = pair["places"]
        assert first < second  # each unordered pair once …
        assert (first, second, pair["practice"]) not in seen  # … per practice
        seen.add((first, second, pair["practice"]))
        assert pair["communities"] and all(
            c.startswith(ID + "community/") for c in pair["communities"]
        )


def test_shared_practice_json_filters_by_place_and_practice(client, demo):
    wigan, walks = ID + "place/wigan", ID + "practice/health-walks"
    body = client.get(
        "/api/analysis/shared-practice", query_string={"place": wigan, "level": "locality"}
    ).get_json()
    assert body["pairs"] and all(wigan in pair["places"] for pair in body["pairs"])
    only = client.get(
        "/api/analysis/shared-practice",
        query_string={"place": wigan, "practice": walks, "level": "locality"},
    ).get_json()
    assert only["pairs"] == [p for p in body["pairs"] if p["practice"] == walks]
    same = reports.run(demo, "shared-practice", {"place": wigan, "level": "locality"})
    assert body["pairs"] == same.data["pairs"]


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/analysis/bridges", 404, 'There is no analysis called "bridges".'),
        ("/api/analysis/paths?from=Wigan", 400, 'This analysis needs the option "to".'),
        ("/api/analysis/gaps?level=street", 400, 'There is no level "street"'),
    ],
)
def test_errors_have_the_one_error_shape(client, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    body = response.get_json()
    assert set(body) == {"ok", "status", "title", "error"}
    assert body["ok"] is False and body["status"] == status
    assert body["error"].startswith(message)


def test_every_analysis_has_a_json_twin_and_a_csv(client):
    listed = client.get("/api/analysis/").get_json()["analyses"]
    assert [a["name"] for a in listed] == list(reports.ANALYSES)
    response = client.get("/api/analysis/roles?format=csv")
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True).startswith(
        "community,roles_filled,missing,illustrative\n"
    )


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_downloads_open_in_networkx(client, fmt, reader):
    response = client.get(f"/api/analysis/shared-practice/graph.{fmt}?level=locality")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    graph = reader(io.BytesIO(response.data))
    assert "Wigan" in {graph.nodes[n]["label"] for n in graph}


def test_search_as_you_type_offers_things_but_no_private_people(client):
    things = client.get("/api/analysis/things?q=wig").get_json()["things"]
    assert things[0]["label"] == "Wigan"
    everyone = client.get("/api/analysis/things?q=").get_json()["things"]
    assert all(t["label"] != "a person (name not public)" for t in everyone)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_inline_scripts_or_styles(client, page):
    response = client.get(f"/analysis/{page}")
    assert response.status_code == 200, page
    html = response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and "<style" not in html
    assert "https://cdn" not in html


def test_heat_map_numbers_are_text_and_link_to_their_sparql(client):
    html = client.get("/analysis/shared-practice?level=locality").get_data(as_text=True)
    assert "<svg" in html and 'id="picture-heat-map"' in html
    assert re.search(r'<text [^>]*text-anchor="middle"[^>]*>\d+</text>', html)
    assert "The numbers in this picture, as a table" in html
    assert "Check with SPARQL: Places and practices" in html
    assert "/api/analysis/practice-matrix?format=csv&amp;level=locality" in html


def test_network_picture_colours_communities_by_cluster(client):
    html = client.get("/analysis/network").get_data(as_text=True)
    circles = re.findall(r'<circle [^>]*fill="(#[0-9A-Fa-f]{6})"', html)
    assert len(circles) == 31  # every demo community
    assert len(set(circles)) > 1


def test_path_finder_explains_each_step(client):
    html = client.get(
        "/analysis/paths", query_string={"from": ID + "place/wigan", "to": ID + "place/bolton"}
    ).get_data(as_text=True)
    assert "<li>Wigan is within Greater Manchester</li>" in html


def test_path_finder_suggests_names_when_one_is_not_found(client):
    response = client.get("/analysis/paths", query_string={"from": "wigan social", "to": "Bolton"})
    assert response.status_code == 400
    assert "did you mean Wigan social prescribing" in response.get_data(as_text=True)


def test_graphs_are_built_again_when_the_data_changes(demo_nquads):
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    settings = load_settings({}, store="memory:")
    fresh = create_app({"TESTING": True, "STORE": store, "SETTINGS": settings}).test_client()
    before = fresh.get("/api/analysis/roles").get_json()["communities"]
    store.drop([GRAPH.demo])
    after = fresh.get("/api/analysis/roles").get_json()["communities"]
    assert before and after == []
