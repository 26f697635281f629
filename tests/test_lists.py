"""Lists: filters by short name, name, code or IRI; a clear 400 for a value that names nothing;
sort by any column; pages of 50; CSV and JSON downloads of exactly the rows shown.

One app over one in-memory copy of the demo store serves the whole module (lists only read).
"""

from __future__ import annotations

import csv
import io
import re

import pyoxigraph as ox
import pytest

from cop_graph.config import load_settings
from cop_graph.pages.facets import FacetChoices, UnknownFilter
from cop_graph.pages.lists import LISTS, PAGE_SIZE
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

WIGAN = "https://w3id.org/cop-graph/id/place/wigan"


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


def api(client, url: str) -> dict:
    response = client.get("/api" + url)
    assert response.status_code == 200, (url, response.get_data(as_text=True))
    return response.get_json()


def rows_of_csv(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def every_page(client, url: str) -> list[dict]:
    first = api(client, url)
    items = list(first["items"])
    joiner = "&" if "?" in url else "?"
    for number in range(2, first["pages"] + 1):
        items += api(client, f"{url}{joiner}page={number}")["items"]
    return items


# -- filters -------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["wigan", "Wigan", "WIGAN", "E08000010", WIGAN])
def test_a_locality_filter_takes_a_short_name_a_name_a_code_or_the_iri(client, written):
    answer = api(client, "/communities?" + f"locality={written}")
    assert 0 < answer["total"] < answer["of"]
    assert all("Wigan" in item["localities"] for item in answer["items"])
    assert answer["chosen"] == {"locality": [WIGAN]}


def test_an_unknown_filter_value_answers_400_naming_the_choices(client):
    response = client.get("/api/communities?locality=wign")
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert message.startswith('The filter "Locality" has no value "wign". Did you mean "Wigan"?')
    assert "Bolton" in message and "https://" not in message
    page = client.get("/communities?locality=wign")
    assert page.status_code == 400 and "Did you mean" in page.get_data(as_text=True)


def test_a_known_place_with_no_communities_is_zero_rows_not_an_error(client):
    answers = {
        name: api(client, f"/communities?locality={name}")["total"]
        for name in ("bolton", "bury", "manchester", "oldham", "rochdale", "salford")
        + ("stockport", "tameside", "trafford", "wigan")
    }
    assert sum(answers.values()) >= api(client, "/communities")["of"]


def test_filter_options_show_names_and_link_by_short_keys(client):
    answer = api(client, "/communities?locality=E08000010")
    locality = next(f for f in answer["facets"] if f["facet"] == "locality")
    wigan = next(v for v in locality["values"] if v["label"] == "Wigan")
    assert wigan["key"] == "wigan" and wigan["chosen"]
    assert wigan["href"] == "/communities"  # picking it again takes it off
    domain = next(f for f in answer["facets"] if f["facet"] == "domain")["values"][0]
    assert domain["href"] == f"/communities?locality=wigan&domain={domain['key']}"
    everything = api(client, "/communities")["facets"][0]["values"]
    assert "/communities?locality=wigan" in {v["href"] for v in everything}
    page = client.get("/communities").get_data(as_text=True)
    assert not re.search(r">\s*https?://", page)  # no IRI shown as text


def test_kinds_filter_by_their_names_too(client):
    practices = api(client, "/organisations?kind=gp-practice")
    assert practices["total"] > 300
    assert api(client, "/organisations?kind=GP%20practice")["total"] == practices["total"]


def test_filters_combine_with_the_other_facets(client):
    everything = api(client, "/communities")
    for facet in everything["facets"]:
        value = facet["values"][0]
        narrowed = api(client, f"/communities?{facet['facet']}={value['key']}")
        assert narrowed["total"] == value["count"], facet["facet"]


# -- sort ---------------------------------------------------------------------------------------


def test_sort_by_any_column_either_way(client):
    by_name = [i["label"] for i in every_page(client, "/organisations?sort=name")]
    assert by_name == sorted(by_name, key=str.casefold)
    reverse = [i["label"] for i in every_page(client, "/organisations?sort=-name")]
    assert reverse == sorted(by_name, key=str.casefold, reverse=True)
    counts = [
        i["cells"]["communities"] for i in every_page(client, "/organisations?sort=-communities")
    ]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    domains = [
        i["cells"]["communities"] for i in api(client, "/domains?sort=-communities")["items"]
    ]
    assert domains == sorted(domains, reverse=True)


def test_an_unknown_sort_answers_400_with_the_columns(client):
    response = client.get("/api/places?sort=height")
    assert response.status_code == 400
    assert response.get_json()["error"] == (
        'This list cannot be sorted by "height"; sort by one of: '
        "name, kind, locality, code, communities."
    )


def test_column_headers_link_to_their_sort_and_say_how_the_list_is_sorted(client):
    page = client.get("/places?sort=-communities").get_data(as_text=True)
    assert page.count("aria-sort=") == 1
    assert (
        'aria-sort="descending" class="col-communities"><a href="/places?sort=communities"' in page
    )
    assert '<a href="/places?sort=name">Name' in page


# -- pages --------------------------------------------------------------------------------------


def test_long_lists_come_in_pages_of_fifty_with_links(client):
    first = api(client, "/organisations")
    assert first["of"] > 450 and len(first["items"]) == PAGE_SIZE == 50
    assert first["pages"] == -(-first["total"] // PAGE_SIZE)
    assert first["links"]["previous"] is None and first["links"]["next"] == "/organisations?page=2"
    every = every_page(client, "/organisations")
    assert len(every) == len({i["iri"] for i in every}) == first["total"]
    html = client.get("/organisations?page=2").get_data(as_text=True)
    assert 'rel="prev"' in html and 'rel="next"' in html and "Page 2 of" in html


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("page=0", 400, "pages are numbered from 1"),
        ("page=two", 400, '"two" is not a page number'),
        ("page=999", 404, "There is no page 999: this list has"),
    ],
)
def test_a_page_that_is_not_there_says_so(client, query, status, says):
    response = client.get(f"/api/organisations?{query}")
    assert response.status_code == status
    assert says in response.get_json()["error"]


# -- downloads ----------------------------------------------------------------------------------


def test_the_csv_holds_exactly_the_rows_shown_on_every_page_in_the_same_order(client):
    url = "/organisations?locality=bolton&sort=-communities"
    shown = every_page(client, url)
    assert len(shown) > PAGE_SIZE  # more than one page, all of it in the file
    rows = rows_of_csv(client, url.replace("?", ".csv?"))
    assert [r["IRI"] for r in rows] == [i["iri"] for i in shown]
    assert [r["Name"] for r in rows] == [i["label"] for i in shown]
    assert list(rows[0])[:2] == ["Name", "IRI"]
    assert {r["Illustrative"] for r in rows} <= {"yes", "no"}


def test_the_wigan_csv_and_json_downloads_match_the_page(client):
    shown = api(client, "/communities?locality=wigan")["items"]
    rows = rows_of_csv(client, "/communities.csv?locality=wigan")
    assert [r["IRI"] for r in rows] == [i["iri"] for i in shown]
    assert all(r["Locality"] == "Wigan" for r in rows)
    download = client.get("/communities.json?locality=wigan")
    assert download.headers["Content-Disposition"].startswith("attachment")
    body = download.get_json()
    assert [i["iri"] for i in body["items"]] == [i["iri"] for i in shown]
    assert body["total"] == len(shown) and all(i["illustrative"] for i in body["items"])


def test_the_page_links_its_downloads_with_its_filters_and_says_they_hold_every_page(client):
    page = client.get("/organisations?locality=E08000001&sort=-name").get_data(as_text=True)
    assert 'href="/organisations.csv?locality=bolton&amp;sort=-name"' in page
    assert 'href="/organisations.json?locality=bolton&amp;sort=-name"' in page
    assert re.search(r"Download all \d+ rows \(every page, with the same filters and order\)", page)


def test_a_download_with_a_bad_filter_says_so(client):
    response = client.get("/communities.csv?locality=atlantis")
    assert response.status_code == 400
    assert "has no value" in response.get_data(as_text=True)
    assert "atlantis" in response.get_data(as_text=True)


# -- practices and domains -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["practices", "domains"])
def test_practices_and_domains_are_listed_with_their_communities(client, name):
    answer = api(client, f"/{name}")
    assert answer["total"] >= 10
    assert sum(i["cells"]["communities"] for i in answer["items"]) > answer["total"]
    assert all(not i["label"].startswith("http") for i in answer["items"])
    rows = rows_of_csv(client, f"/{name}.csv")
    assert len(rows) == answer["total"] and "Communities" in rows[0]
    nav = client.get("/").get_data(as_text=True)
    assert f'<a href="/{name}">{name.title()}</a>' in nav


def test_health_walks_is_shared_by_the_communities_the_practice_list_says(client):
    walks = next(i for i in api(client, "/practices")["items"] if i["label"] == "Health walks")
    shared = api(client, "/communities?practice=health-walks")
    assert shared["total"] == walks["cells"]["communities"] > 0


# -- the choices, without the web ----------------------------------------------------------------


def test_facet_choices_read_every_way_of_writing_a_value():
    choices = FacetChoices({"locality": "Locality"})
    choices.add("locality", WIGAN, "Wigan", "E08000010")
    choices.add("locality", "https://example.org/a/bolton", "Bolton")
    choices.finish()
    for written in ("wigan", " Wigan ", "e08000010", WIGAN):
        assert choices.read({"locality": [written]}) == {"locality": [WIGAN]}
    assert choices.key("locality", WIGAN) == "wigan"
    with pytest.raises(UnknownFilter, match=r'no value "bolten"\. Did you mean "Bolton"\?'):
        choices.read({"locality": ["bolten"]})


def test_every_list_has_a_name_column_first():
    assert all(spec.columns[0] == "name" for spec in LISTS.values())
