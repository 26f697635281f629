"""Every analysis answer shows its evidence, and the page, its JSON twin and its CSV carry the
same evidence: the communities behind a shared practice, the practices behind two alike places,
the ties that make a broker, what a cluster shares, the domains missing behind a gap. Pictures
download as SVG and as the CSV of the table they are drawn from."""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from cop_graph.config import load_settings
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

ID = "https://w3id.org/cop-graph/id/"
HEALTH_WALKS = ID + "practice/health-walks"


@pytest.fixture(scope="module")
def client(demo_nquads):
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    settings = load_settings({}, store="memory:")
    return create_app({"TESTING": True, "STORE": store, "SETTINGS": settings}).test_client()


def _rows(page: str, table_class: str) -> list[str]:
    """The body rows of the first table of ``table_class`` on ``page``, as HTML."""
    table = re.search(rf'<table class="{table_class}">(.*?)</table>', page, re.S)
    assert table, f"no table {table_class}"
    return re.findall(r"<tr>(.*?)</tr>", table.group(1).split("<tbody>", 1)[1], re.S)


def _links(fragment: str) -> list[tuple[str, str]]:
    """(address, text) of every link in ``fragment``."""
    return [
        (href, html.unescape(re.sub(r"<[^>]+>", "", text)))
        for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', fragment, re.S)
    ]


def _evidence(row: str) -> str:
    found = re.search(r'<details class="evidence">(.*?)</details>', row, re.S)
    assert found, "the row has no evidence"
    return found.group(1)


def _page_of(iri: str) -> str:
    return "/id/" + iri[len(ID) :]


def _csv(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_shared_practice_rows_link_and_carry_the_same_evidence_as_json_and_csv(client):
    options = {"level": "locality", "practice": HEALTH_WALKS}
    page = client.get("/analysis/shared-practice?" + urlencode(options)).get_data(as_text=True)
    pairs = client.get("/api/analysis/shared-practice?" + urlencode(options)).get_json()["pairs"]
    table = _csv(client, "/api/analysis/shared-practice?" + urlencode({**options, "format": "csv"}))
    rows = _rows(page, "evidence-table")
    assert pairs and len(rows) == len(pairs) == len(table)
    for row, pair, line in zip(rows, pairs, table, strict=True):
        shown = _links(row.split('<details class="evidence">')[0])
        # the two places and the practice link to their pages
        assert shown == [
            (_page_of(pair["places"][0]), pair["labels"][0]),
            (_page_of(pair["places"][1]), pair["labels"][1]),
            (_page_of(pair["practice"]), pair["practice_label"]),
        ]
        behind = [(href, text) for href, text in _links(_evidence(row)) if "/community/" in href]
        assert behind == [(_page_of(e["community"]), e["label"]) for e in pair["evidence"]]
        assert [e["community"] for e in pair["evidence"]] == pair["communities"]
        assert (line["place"], line["other_place"], line["practice"]) == (
            *pair["labels"],
            pair["practice_label"],
        )
        for evidence in pair["evidence"]:
            assert evidence["label"] in line["evidence"]


def test_alike_places_show_the_practices_and_communities_behind_them(client):
    page = client.get("/analysis/shared-practice?level=locality").get_data(as_text=True)
    pairs = client.get("/api/analysis/similarity?level=locality").get_json()["pairs"]
    table = _csv(client, "/api/analysis/similarity?level=locality&format=csv")
    rows = _rows(page, "evidence-table")  # the first evidence table: no place chosen
    assert rows and len(rows) == min(20, len(pairs)) and len(table) == len(pairs)
    for row, pair, line in zip(rows, pairs, table, strict=False):
        behind = _links(_evidence(row))
        practices = [(href, text) for href, text in behind if "/practice/" in href]
        assert practices == [(_page_of(p["practice"]), p["label"]) for p in pair["practices"]]
        assert len(pair["practices"]) == pair["shared"]
        for practice in pair["practices"]:
            assert f"{practice['label']}: " in line["evidence"]
            for evidence in practice["evidence"]:
                assert (_page_of(evidence["community"]), evidence["label"]) in behind
                assert evidence["label"] in line["evidence"]


def test_a_broker_shows_its_ties_across_localities_on_the_page_in_json_and_csv(client):
    page = client.get("/analysis/brokers").get_data(as_text=True)
    answer = client.get("/api/analysis/brokers").get_json()
    table = _csv(client, "/api/analysis/brokers?format=csv")
    rows = _rows(page, "evidence-table")
    assert len(rows) == len(answer["communities"]) == len(table)
    bridging = 0
    for row, broker, line in zip(rows, answer["communities"], table, strict=True):
        assert _links(row)[0] == (_page_of(broker["community"]), broker["label"])
        assert len(broker["bridges"]) == broker["cross_locality_ties"]
        assert line["community_iri"] == broker["community"]
        if not broker["bridges"]:
            assert '<details class="evidence">' not in row
            continue
        bridging += 1
        behind = _links(_evidence(row))
        for bridge in broker["bridges"]:
            assert (_page_of(bridge["community"]), bridge["label"]) in behind
            assert bridge["label"] in line["evidence"]
            # two communities in no common locality, tied by something they share
            assert not {p["iri"] for p in bridge["localities"]} & set(broker["localities"])
            assert bridge["members"] or bridge["practices"] or bridge["places"]
    assert bridging > 0


def test_brokers_name_and_link_people_only_when_their_record_allows(client):
    answer = client.get("/api/analysis/brokers").get_json()
    people = [
        member
        for broker in answer["communities"]
        for bridge in broker["bridges"]
        for member in bridge["members"]
        if member["kind"] == "person"
    ]
    assert people, "the demo's brokers share people"
    hidden = [p for p in people if p["iri"] is None]
    assert hidden and all(p["label"] == "a person (name not public)" for p in hidden)
    page = client.get("/analysis/brokers").get_data(as_text=True)
    linked = {href for href, _ in _links(page) if href.startswith("/id/person/")}
    # the answer gives a person's IRI only when they may be named; only those are linked
    named = [p["iri"] for p in people] + [m["member"] for m in answer["members"]]
    assert linked and linked <= {_page_of(iri) for iri in named if iri}


def test_clusters_say_what_their_communities_share(client):
    clusters = client.get("/api/analysis/clusters").get_json()["clusters"]
    table = _csv(client, "/api/analysis/clusters?format=csv")
    assert len(table) == len(clusters)
    for cluster, line in zip(clusters, table, strict=True):
        members = {c["community"] for c in cluster["communities"]}
        for shared in cluster["shared_practices"] + cluster["shared_places"]:
            having = {c["community"] for c in shared["communities"]}
            assert len(having) > 1 and having <= members
            assert (
                f"{shared['label']} ({len(having)})"
                in line["shared_practices"] + line["shared_places"]
            )


def test_the_gaps_filters_give_the_same_rows_on_the_page_in_json_and_csv(client):
    whole = client.get("/api/analysis/gaps").get_json()
    wigan = next(p["iri"] for p in whole["localities"] if p["label"] == "Wigan")
    in_wigan = [r for r in whole["places"] if any(p["iri"] == wigan for p in r["localities"])]
    # a domain some of Wigan's wards have a community in and some do not
    domain = next(
        d
        for d in whole["domains"]
        if 0 < sum(d in r["missing_domains"] for r in in_wigan) < len(in_wigan)
    )
    options = {"locality": wigan, "domain": domain["iri"]}
    answer = client.get("/api/analysis/gaps?" + urlencode(options)).get_json()
    table = _csv(client, "/api/analysis/gaps?" + urlencode({**options, "format": "csv"}))
    page = client.get("/analysis/gaps?" + urlencode(options)).get_data(as_text=True)
    assert 0 < len(answer["places"]) < len(whole["places"])
    assert all(
        any(p["iri"] == wigan for p in row["localities"])
        and domain["iri"] in [d["iri"] for d in row["missing_domains"]]
        for row in answer["places"]
    )
    assert [line["place_iri"] for line in table] == [row["place"] for row in answer["places"]]
    rows = _rows(page, "gap-matrix")
    assert len(rows) == len(answer["places"])
    for row, place in zip(rows, answer["places"], strict=True):
        assert _links(row)[0] == (_page_of(place["place"]), place["label"])
        assert re.findall(r'<td class="(gap|covered)">', row) == ["gap"]  # the one domain chosen
    # the map, zoomed in on Wigan, outlines exactly the places listed
    drawn = re.search(r'<svg [^>]*class="gm-map".*?</svg>', page, re.S).group(0)
    widths = [float(w) for w in re.findall(r'stroke-width="([\d.]+)"', drawn)]
    assert widths.count(max(widths)) == len(answer["places"]) < len(widths) < 100


def test_the_gaps_page_is_a_map_and_a_matrix_with_the_list_behind_a_disclosure(client):
    page = client.get("/analysis/gaps").get_data(as_text=True)
    assert 'class="gm-map"' in page and 'class="gap-matrix"' in page
    disclosure = page.index('<details class="gap-list">')
    assert page.index('class="gap-matrix"') < disclosure
    assert len(page) < 600_000
    neighbourhoods = client.get("/analysis/gaps?level=neighbourhood").get_data(as_text=True)
    assert "The map draws wards and localities" in neighbourhoods


@pytest.mark.parametrize(
    ("page", "picture", "first_column"),
    [
        ("shared-practice", "heat-map", "Place"),
        ("roles", "roles-filled", "Role"),
        ("progress", "steps", "Step"),
        ("progress", "established", "Steps established"),
        ("gaps", "map", "Place"),
    ],
)
def test_each_picture_downloads_as_svg_and_as_the_csv_of_its_table(
    client, page, picture, first_column
):
    html_page = client.get(f"/analysis/{page}").get_data(as_text=True)
    figure = re.search(rf'<figure class="analysis-figure" id="picture-{picture}">(.*?)</figure>',
                       html_page, re.S).group(1)  # fmt: skip
    assert "Download the picture (SVG)" in figure and "Download the numbers (CSV)" in figure
    assert 'class="png-download"' in figure
    svg = client.get(f"/analysis/{page}/pictures/{picture}.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert "attachment" in svg.headers["Content-Disposition"]
    text = svg.get_data(as_text=True)
    assert text.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in text
    assert 'class="legend"' in text  # the key travels with the picture
    table = _csv(client, f"/analysis/{page}/pictures/{picture}.csv")
    assert table and list(table[0])[0] == first_column
    shown = re.search(r'<details class="picture-table">(.*?)</details>', figure, re.S).group(1)
    assert len(re.findall(r"<tr>", shown)) == len(table) + 1  # the header and every row


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/analysis/roles/pictures/nothing.svg", 404),
        ("/analysis/roles/pictures/roles-filled.png", 404),
        ("/analysis/nowhere/pictures/map.svg", 404),
        ("/analysis/gaps/pictures/map.svg?level=street", 400),
    ],
)
def test_a_wrong_picture_address_answers_in_words(client, url, status):
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == status
    assert response.get_json()["error"]


def test_heat_map_labels_have_room(client):
    """No practice name is cut: the picture is wide and tall enough for the longest name
    slanted above its column, and every place name fits to the left of the grid."""
    svg = client.get("/analysis/shared-practice/pictures/heat-map.svg?level=locality")
    text = svg.get_data(as_text=True)
    width, height = map(float, re.search(r'viewBox="0 0 (\S+) (\S+)"', text).groups())
    first_cell = float(re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="30"', text).group(1))
    names = re.findall(r'translate\(([\d.]+),([\d.]+)\) rotate\(-60\)">([^<]+)<', text)
    assert names
    for x, y, name in names:
        reach = len(html.unescape(name)) * 13 * 0.56
        assert float(y) - reach * 0.87 > -5 and float(x) + reach * 0.5 < width + 5
    assert first_cell > 0 and height > 0


def test_resilience_names_the_places_each_loss_would_cut_off(client):
    answer = client.get("/api/analysis/resilience").get_json()
    table = _csv(client, "/api/analysis/resilience?format=csv")
    rows = answer["points"] + answer["ties"]
    assert rows and len(table) == len(rows)
    linked = set(_links(client.get("/analysis/resilience").get_data(as_text=True)))
    for row, line in zip(rows, table, strict=True):
        names = [answer["places"][place] for place in row["cut_off"]]
        assert line["places_cut_off_names"] == "; ".join(names)
        for place in row["cut_off"]:
            assert (_page_of(place), answer["places"][place]) in linked
