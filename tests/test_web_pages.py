"""The browser's pages and their JSON twins, over the demo and reference data.

One app over one in-memory copy of the demo store serves the whole module (pages only read).
"""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from cop_graph.config import load_settings
from cop_graph.namespaces import COP
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

COMMUNITY = "/id/community/bolton-health-walks-network"
WIGAN = "https://w3id.org/cop-graph/id/place/wigan"
#: words a coordinator should never meet on a page
JARGON = re.compile(r"\b(IRI|IRIs|triples?|predicates?|rdf:type|owl:)\b")


@pytest.fixture(scope="module")
def client(demo_nquads):
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    app = create_app(
        {
            "TESTING": True,
            "STORE": store,
            "SETTINGS": load_settings({}, store="memory:", rate_limits=False),
        }
    )
    yield app.test_client()
    store.close()


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def api(client, url: str) -> dict:
    response = client.get("/api" + url)
    assert response.status_code == 200, url
    data = response.get_json()
    assert data["ok"] is True
    return data


def visible_text(page: str) -> str:
    """The words a reader sees: no tags, no addresses in attributes, no "as data" section."""
    page = page.split('<section aria-labelledby="data-heading"')[0]
    return re.sub(r"<[^>]+>", " ", page)


# -- community ---------------------------------------------------------------------------------


def test_a_community_page_shows_every_section(client):
    page = html(client, COMMUNITY)
    for heading in (
        "Where it works",
        "What it shares",
        "Members by role",
        "Progress through the framework",
        "Outcomes",
        "Resources",
        "Events",
        "Connections",
    ):
        assert f">{heading}</h2>" in page, heading
    assert page.count("<tr><td>") >= 7  # the seven framework steps
    assert 'class="chart"' in page
    assert "svg" in page and 'class="connection-picture"' in page


def test_members_are_named_only_with_consent_and_counted_by_role_otherwise(client):
    data = api(client, COMMUNITY)
    groups = {group["role"]["label"]: group for group in data["members"]}
    named = [m["label"] for g in data["members"] for m in g["named"]]
    assert "Kamala Mahmood" in named  # agreed to be shown in the demo data
    unnamed = [g for g in data["members"] if g["unnamed"]]
    assert unnamed, "the demo community has members who did not agree to be named"
    for group in unnamed:
        assert group["unnamed_phrase"].startswith(str(group["unnamed"]) + " ")
    assert list(groups)[0] == "Agenda activist"  # Wenger's order, not the alphabet's
    page = html(client, COMMUNITY)
    assert "1 member whose name is not shown" in page


def test_progress_gives_the_latest_status_of_each_step(client):
    progress = api(client, COMMUNITY)["progress"]
    assert [step["number"] for step in progress] == [1, 2, 3, 4, 5, 6, 7]
    first = progress[0]
    assert first["status"]["label"] == "Not started"
    assert first["history"] == 3 and first["date"] == "13 October 2026"
    assert progress[3]["status"]["label"] == "Established"


def test_outcomes_carry_their_observations_over_time(client):
    outcomes = api(client, COMMUNITY)["outcomes"]
    points = outcomes[0]["indicators"][0]["points"]
    assert len(points) >= 3
    assert [p["date"] for p in points] == sorted(p["date"] for p in points)


# -- places, practices, concepts ----------------------------------------------------------------


def test_a_locality_page_has_a_map_communities_organisations_and_deprivation(client):
    page = html(client, "/id/place/wigan")
    assert 'class="gm-map"' in page
    assert page.count('<a href="/id/place/wigan-') >= 20  # its wards, on the map and listed
    data = api(client, "/id/place/wigan")
    assert data["communities"]
    kinds = {group["kind"]["label"] for group in data["organisations"]}
    assert {"Primary Care Network", "GP practice"} <= kinds
    headings = [fact["heading"] for fact in data["deprivation"]]
    assert any("CORE20" in heading for heading in headings)


def test_a_ward_page_highlights_the_ward_on_its_localitys_map(client):
    page = html(client, "/id/place/bolton-breightmet")
    assert 'class="gm-map"' in page
    assert 'stroke-width="' in page
    assert "Breightmet" in page.split('class="gm-map"')[1]


def test_a_practice_page_lists_communities_and_the_places_they_share_it_in(client):
    data = api(client, "/id/practice/health-walks")
    assert len(data["communities"]) >= 2
    place = data["places"][0]
    assert place["communities"], "each place names the communities sharing the practice there"


def test_concept_pages_show_definitions_questions_and_who_adopts_or_fills_them(client):
    step = api(client, "/ontology/IdentifyPurposeAndScope")
    assert len(step["questions"]) == 3
    assert step["step_status"]
    role = api(client, "/ontology/SocialReporter")
    assert role["description"] == "creating a shared memory"
    assert all(re.match(r"\d+ social reporters?$", c["phrase"]) for c in role["role_in"])
    principle = api(client, "/ontology/PeoplePower")
    assert principle["adopted_by"]


def test_links_read_in_plain_words(client):
    data = api(client, "/id/place/bolton")
    headings = {group["heading"] for group in data["linked_from"]} | {
        fact["heading"] for fact in data["facts"]
    }
    assert "Same as" in headings
    page = html(client, "/id/organisation/u05517")
    assert "Serves" in page


def test_pages_for_coordinators_use_no_jargon(client):
    for url in (
        "/",
        COMMUNITY,
        "/id/place/wigan",
        "/id/practice/health-walks",
        "/communities",
        "/search?q=walk",
        "/downloads",
    ):
        found = JARGON.findall(visible_text(html(client, url)))
        assert not found, f"{url}: {found}"


# -- content negotiation and the API ------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type", "rdf_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_entity_pages_negotiate_their_format(client, accept, media_type, rdf_format):
    response = client.get(COMMUNITY, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    graph = Graph().parse(data=response.get_data(as_text=True), format=rdf_format)
    iri = URIRef("https://w3id.org/cop-graph/id/community/bolton-health-walks-network")
    assert (iri, None, COP.CommunityOfPurpose) in graph


def test_browsers_get_html_and_links_to_the_data_forms(client):
    response = client.get(COMMUNITY, headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.mimetype == "text/html"
    assert f'<{COMMUNITY}.ttl>; rel="alternate"; type="text/turtle"' in response.headers["Link"]


def test_errors_have_one_shape(client):
    response = client.get("/api/id/community/no-such-community")
    assert response.status_code == 404
    assert response.get_json() == {
        "ok": False,
        "status": 404,
        "title": "Page not found",
        "error": "There is no page for this address: nothing public is recorded about it.",
    }
    assert client.get("/id/community/no-such-community").status_code == 404
    assert client.get("/id/community/no-such-community.ttl").status_code == 404


def test_every_page_has_a_json_twin(client):
    for url in ("/search?q=wigan", "/communities", "/places", "/ontology", "/downloads"):
        assert api(client, url)


# -- search ------------------------------------------------------------------------------------


def test_search_puts_the_exact_name_first_and_ignores_case_and_accents(client):
    assert api(client, "/search?q=bolton")["results"][0]["label"] == "Bolton"
    assert api(client, "/search?q=B%C3%93LTON")["results"][0]["label"] == "Bolton"


def test_search_finds_parts_of_words_and_descriptions(client):
    labels = [r["label"] for r in api(client, "/search?q=walk")["results"]]
    assert any("walks" in label.lower() for label in labels)
    assert any("walking" in label.lower() for label in labels)


def test_search_facets_narrow_by_kind_and_locality(client):
    everything = api(client, "/search?q=health")
    community = str(COP.CommunityOfPurpose)
    kinds = {v["value"]: v["count"] for v in everything["facets"][0]["values"]}
    only = api(client, "/search?" + urlencode({"q": "health", "kind": community}))
    assert only["total"] == kinds[community] < everything["total"]
    in_wigan = api(client, f"/search?q=health&locality={WIGAN}")
    assert 0 < in_wigan["total"] < everything["total"]
    assert all("Wigan" in r["localities"] for r in in_wigan["results"])


# -- lists -------------------------------------------------------------------------------------


def test_the_list_of_communities_filters_by_every_facet(client):
    everything = api(client, "/communities")
    assert [f["facet"] for f in everything["facets"]] == [
        "locality",
        "domain",
        "practice",
        "principle",
        "chapter",
        "openness",
        "step",
    ]
    for facet in everything["facets"]:
        value = facet["values"][0]
        narrowed = api(client, "/communities?" + urlencode({facet["facet"]: value["value"]}))
        assert narrowed["total"] == value["count"], facet["facet"]


def test_the_organisation_list_holds_no_communities(client):
    kinds = {v["label"] for v in api(client, "/organisations")["facets"][0]["values"]}
    assert "Primary Care Network" in kinds and "Community of Purpose" not in kinds


# -- ontology, downloads, home -----------------------------------------------------------------


def test_the_ontology_page_lists_classes_links_and_the_frameworks_lists(client):
    data = api(client, "/ontology")
    assert "Community of Purpose" in {term["label"] for term in data["classes"]}
    assert "operates in" in {term["label"] for term in data["links"]}
    steps = next(s for s in data["schemes"] if s["label"] == "Your Community of Purpose Framework")
    assert [c["notation"] for c in steps["concepts"]] == [str(n) for n in range(1, 8)]
    turtle = client.get("/ontology.ttl").get_data(as_text=True)
    assert (COP.CommunityOfPurpose, None, None) in Graph().parse(data=turtle, format="turtle")


def test_downloads_offer_every_format_tables_and_the_attribution(client):
    data = api(client, "/downloads")
    assert {t["name"] for t in data["tables"]} >= {"communities", "organisations", "places"}
    licences = [licence["label"] for d in data["licences"] for licence in d["licences"]]
    assert "Open Government Licence v3.0" in licences
    page = html(client, "/downloads")
    assert "Contains National Statistics and OS data © Crown copyright" in page


def test_csv_tables_have_one_row_per_thing(client):
    rows = list(csv.reader(io.StringIO(html(client, "/downloads/csv/communities.csv"))))
    assert rows[0][:3] == ["IRI", "Name", "Description"]
    assert len(rows) - 1 == api(client, "/communities")["of"]
    people = list(csv.DictReader(io.StringIO(html(client, "/downloads/csv/people.csv"))))
    assert people and "Kamala Mahmood" in {p["Name"] for p in people}


def test_the_home_page_has_a_search_box_a_linked_map_and_the_banner(client):
    page = html(client, "/")
    assert 'role="search"' in page
    assert page.count('<a href="/id/place/') >= 10
    assert "Illustrative data" in page
    data = api(client, "/")
    assert len(data["localities"]) == 10
    assert sum(p["communities"] for p in data["localities"]) >= data["counts"]["communities"]


def test_json_twins_escape_markup(client):
    body = client.get("/api/search?q=%3Cscript%3E").get_data(as_text=True)
    assert "<script>" not in body
    assert json.loads(body)["q"] == "<script>"
