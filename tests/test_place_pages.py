"""Place pages of every kind (locality, ward, neighbourhood, Primary Care Network, GP practice)
have the same parts: a map, the communities working there (directly or across a larger place,
said so), the practices found there with counts, deprivation where recorded, and links up and
down the hierarchy; and no property shows under a raw name.

One app over one in-memory copy of the demo store serves the whole module (pages only read).
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from cop_graph.config import load_settings
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

ID = "https://w3id.org/cop-graph/id/"
#: one page of each kind from the demo site
PLACES = {
    "locality": "/id/place/wigan",
    "ward": "/id/place/wigan-orrell",
    "neighbourhood": "/id/place/trafford-central",
    "pcn": "/id/organisation/u46071",
    "gp_practice": "/id/organisation/p82001",
}
#: a property's local name shown as it is: "LinkedTo", "AltLabel", "odsCode"
RAW_NAME = re.compile(r"\b(?:[A-Z][a-z]+|[a-z]+)(?:[A-Z][a-z]+)+\b")


@pytest.fixture(scope="module")
def client(demo_nquads):
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    app = create_app(
        {"TESTING": True, "STORE": store, "SETTINGS": load_settings({}, store="memory:")}
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
    return response.get_json()


def section(page: str, heading_id: str) -> str:
    """The HTML of the section headed by ``heading_id``."""
    start = page.index(f'aria-labelledby="{heading_id}"')
    return page[start : page.index("</section>", start)]


def visible_text(page: str) -> str:
    main = page.split('id="main"', 1)[1].split('<section aria-labelledby="data-heading"')[0]
    main = re.sub(r"<svg.*?</svg>", " ", main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", main)


@pytest.mark.parametrize("kind", PLACES)
def test_every_kind_of_place_has_the_same_parts(client, kind):
    url = PLACES[kind]
    page = html(client, url)
    data = api(client, url)
    assert data["template"] == "place"
    assert data["place_kind"] == kind
    assert 'class="gm-map"' in section(page, "map-heading"), "a map"
    assert data["communities_total"] >= 1
    assert data["communities_total"] == len(data["communities"]) + len(data["wider_communities"])
    assert f"({data['communities_total']})" in section(page, "communities-heading")
    assert "gp-heading" in page and "practices-heading" in page
    assert data["hierarchy"]["up"], "a link up the hierarchy"
    for key in ("deprivation", "gp_practices", "networks", "area"):
        assert key in data


def test_a_ward_lists_the_community_working_across_its_locality_and_says_so(client):
    page = html(client, PLACES["ward"])
    data = api(client, PLACES["ward"])
    assert data["communities"] == []
    wider = {c["label"]: c for c in data["wider_communities"]}
    community = wider["Wigan social prescribing link workers' community (illustrative)"]
    assert "Wigan" in [place["label"] for place in community["across"]]
    communities = section(page, "communities-heading")
    assert "0 communities" not in communities
    assert "No community records working here" not in communities
    assert "works across" in communities and '<a href="/id/place/wigan">Wigan</a>' in communities
    assert "Wigan social prescribing link workers" in communities


def test_a_locality_links_down_to_its_wards_and_lists_practices_with_counts(client):
    page = html(client, PLACES["locality"])
    data = api(client, PLACES["locality"])
    down = {group["heading"]: group for group in data["hierarchy"]["down"]}
    wards = down["Places within Wigan"]
    assert wards["total"] >= 25
    assert "Orrell" in [ward["label"] for ward in wards["values"]]
    assert all("/id/place/" in ward["iri"] for ward in wards["values"])
    assert data["practices"] and all(p["communities"] >= 1 for p in data["practices"])
    assert data["gp_practices"]["total"] == 56
    assert len(data["networks"]["values"]) == 7
    assert 'GP practices <span class="muted">(56)</span>' in page
    figures = {fact["heading"] for fact in data["deprivation"]}
    assert any("population-weighted" in heading for heading in figures)
    assert any("CORE20" in heading for heading in figures)


def test_a_ward_links_up_to_its_locality_and_neighbourhood_and_shows_its_deprivation(client):
    data = api(client, PLACES["ward"])
    up = {
        group["heading"]: [v["label"] for v in group["values"]] for group in data["hierarchy"]["up"]
    }
    assert up["Part of"] == ["Wigan"]
    assert up["Part of neighbourhood"] == ["Wigan West neighbourhood (illustrative)"]
    assert data["gp_practices"]["wider"][0]["total"] == 56
    assert any("Mean deprivation score" in fact["heading"] for fact in data["deprivation"])
    page = html(client, PLACES["ward"])
    assert "GP practices are recorded by locality: 56 in" in page


def test_a_neighbourhood_links_to_its_wards_and_outlines_them_on_the_map(client):
    page = html(client, PLACES["neighbourhood"])
    data = api(client, PLACES["neighbourhood"])
    down = {group["heading"]: group for group in data["hierarchy"]["down"]}
    assert down["Made up of these wards"]["total"] == 5
    assert [a["label"] for a in data["area"]] == [
        w["label"] for w in down["Made up of these wards"]["values"]
    ]
    assert data["deprivation"], "Trafford's council localities have figures"
    # each of its wards is outlined (a thick border) on the map of Trafford
    thick = re.findall(r'stroke-width="([\d.]+)"', section(page, "map-heading"))
    assert len(set(thick)) >= 2
    assert "works across" in section(page, "communities-heading")


def test_a_pcn_page_has_its_area_communities_practices_and_deprivation(client):
    page = html(client, PLACES["pcn"])
    data = api(client, PLACES["pcn"])
    assert [a["label"] for a in data["area"]] == ["Bolton"]
    assert data["communities"], "the communities working in the area it serves"
    assert data["gp_practices"]["total"] == 2
    down = {group["heading"]: group for group in data["hierarchy"]["down"]}
    assert {p["label"] for p in down["GP practices in this network"]["values"]} == {
        "Stable Fold Surgery",
        "Unsworth Group Practice",
    }
    assert data["deprivation_of"]["label"] == "Bolton"
    assert any("rank" in fact["heading"] for fact in data["deprivation"])
    assert "Figures for" in section(page, "deprivation-heading")
    assert "outlined on the map" in section(page, "map-heading")
    assert "Bolton" in section(page, "map-heading").split("<title")[1]


def test_a_gp_practice_page_links_up_to_its_network(client):
    page = html(client, PLACES["gp_practice"])
    data = api(client, PLACES["gp_practice"])
    up = {
        group["heading"]: [v["label"] for v in group["values"]] for group in data["hierarchy"]["up"]
    }
    assert up["Primary Care Network"] == ["Breightmet & Little Lever PCN"]
    assert up["Based in"] == ["Bolton"]
    assert '<a href="/id/organisation/u79938">' in section(page, "around-heading")
    assert data["communities"] and data["deprivation"]


@pytest.mark.parametrize("kind", PLACES)
def test_no_property_shows_under_a_raw_name(client, kind):
    page = html(client, PLACES[kind])
    data = api(client, PLACES[kind])
    headings = [fact["heading"] for fact in data["facts"]]
    headings += [group["heading"] for group in data["linked_from"]]
    headings += [group["heading"] for part in data["hierarchy"].values() for group in part]
    assert not [h for h in headings if RAW_NAME.search(h)], headings
    text = visible_text(page)
    for raw in ("AltLabel", "LinkedTo", "altLabel", "linkedTo", "odsCode", "memberOf"):
        assert raw not in text


def test_a_property_without_a_label_still_reads_as_words():
    from rdflib import URIRef

    from cop_graph.pages.wording import backward, forward

    assert forward(URIRef("http://www.w3.org/ns/org#linkedTo")) == "Linked with"
    assert forward(URIRef("http://example.org/ns#hasAltLabel")) == "Has alt label"
    assert backward(URIRef("http://example.org/ns#sameAreaAs")) == "Linked here as “same area as”"
