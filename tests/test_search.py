"""Search that forgives: stems, typos, codes, other names, closeness, "did you mean", consent.

Most tests search the demo and reference data through the JSON twin (``/api/search``); the
ones about other names and consent build a tiny store by hand, so what they rely on is in
front of the reader.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from cop_graph.config import load_settings
from cop_graph.ingest.load import load_files
from cop_graph.namespaces import COP, FOAF, GRAPH, ID, RDF, RDFS, SKOS
from cop_graph.pages import PublicData
from cop_graph.pages.search import build_index, search
from cop_graph.store import Change, open_store
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

DATA = Path(__file__).parent / "data"


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


def found(client, text: str, **facets) -> dict:
    response = client.get("/api/search", query_string={"q": text, **facets})
    assert response.status_code == 200, text
    return response.get_json()


def labels(answer: dict) -> list[str]:
    return [r["label"] for r in answer["results"]]


# -- words -------------------------------------------------------------------------------------


def test_a_word_finds_other_forms_of_it_and_the_closest_name_comes_first(client):
    walking = found(client, "walking")
    assert labels(walking)[0] == "Health walks"
    assert "Bolton health walks network (illustrative)" in labels(walking)
    assert walking["results"][0]["match"] == "same words"


def test_one_typo_still_finds_the_thing_first_and_suggests_the_spelling(client):
    answer = found(client, "helth walks")
    assert labels(answer)[0] == "Health walks"
    assert answer["suggestion"] == "health walks"
    swapped = found(client, "wlaks")
    assert "Health walks" in labels(swapped) and swapped["suggestion"] == "walks"


def test_a_typo_in_a_short_word_finds_something_rather_than_nothing(client):
    assert found(client, "wigna")["results"][0]["label"] == "Wigan"
    assert found(client, "pnc")["total"] > 0  # "pcn", three letters, one swap


def test_too_many_typos_find_nothing_but_suggest_the_closest_words(client):
    answer = found(client, "hxlxh")
    assert answer["total"] == 0 and answer["suggestion"] is None
    assert found(client, "helht")["suggestion"] == "health"


def test_the_exact_name_comes_before_names_that_start_with_it(client):
    assert labels(found(client, "bolton"))[0] == "Bolton"
    assert labels(found(client, "bolton cen"))[0] == "Bolton Central PCN"


# -- codes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("P82001", "The Dunstan Partnership"),  # a GP practice's ODS code
        ("p82001", "The Dunstan Partnership"),  # as typed, in small letters
        ("U79938", "Breightmet & Little Lever PCN"),  # a Primary Care Network's ODS code
        ("E05014818", "Astley Bridge"),  # a ward's GSS code
        ("E08000010", "Wigan"),  # a locality's GSS code
    ],
)
def test_codes_find_their_thing_first_and_the_result_shows_the_code(client, code, name):
    answer = found(client, code)
    first = answer["results"][0]
    assert first["label"] == name and first["match"] == "exact name or code"
    assert code.upper() in {c["value"] for c in first["codes"]}


def test_the_start_of_a_code_finds_the_things_with_it(client):
    answer = found(client, "P8200")
    assert answer["total"] >= 9
    assert all(c["value"].startswith("P8200") for r in answer["results"] for c in r["codes"])


# -- facets, pages ------------------------------------------------------------------------------


def test_facets_show_names_and_counts_never_iris(client):
    answer = found(client, "health")
    for facet in answer["facets"]:
        for value in facet["values"]:
            assert not value["label"].startswith("http"), value
            assert value["count"] > 0
    page = client.get("/search?q=health").get_data(as_text=True)
    assert ">https://" not in page


def test_search_facets_take_short_names_and_codes_and_refuse_unknown_values(client):
    everything = found(client, "health")
    wigan = "https://w3id.org/cop-graph/id/place/wigan"
    by_iri = found(client, "health", locality=wigan)
    assert 0 < by_iri["total"] < everything["total"]
    for written in ("wigan", "Wigan", "E08000010"):
        assert found(client, "health", locality=written)["total"] == by_iri["total"]
    locality = next(f for f in by_iri["facets"] if f["facet"] == "locality")
    assert locality["values"][0]["href"] == "/search?q=health"  # takes the filter off
    kinds = next(f for f in everything["facets"] if f["facet"] == "kind")["values"]
    assert all(v["href"].startswith("/search?q=health&kind=") for v in kinds)
    assert not any("https" in v["href"] for v in kinds)
    refused = client.get("/api/search", query_string={"q": "health", "locality": "atlantis"})
    assert refused.status_code == 400
    assert refused.get_json()["error"].startswith('The filter "Locality" has no value "atlantis"')


def test_the_search_page_shows_the_suggestion_as_a_link_and_codes_beside_names(client):
    page = client.get("/search?q=helth+walks").get_data(as_text=True)
    assert 'Did you mean <a href="/search?q=health+walks">health walks</a>?' in page
    assert "ODS code P82001" in client.get("/search?q=P82001").get_data(as_text=True)


def test_search_is_fast_once_the_index_is_built(client):
    found(client, "warm up")
    started = time.perf_counter()
    for text in ("walking", "helth walks", "P82001", "bolton", "wellbeing"):
        found(client, text)
    assert time.perf_counter() - started < 2.5


# -- other names and consent, on a store built by hand -------------------------------------------

STROLLERS = URIRef(ID + "community/pemberton-strollers")
CARA = URIRef(ID + "person/cara")


@pytest.fixture(scope="module")
def small(reference_nquads):
    store = OxigraphStore(None)
    store.native.load(reference_nquads, format=ox.RdfFormat.N_QUADS)
    load_files(store, [DATA / "community-valid.ttl"], name="load/people", who="tests")
    # a name put where it should never be: in a public graph, for someone who said no
    store.commit(
        Change(
            put={
                GRAPH["load/by-hand"]: [
                    (STROLLERS, RDF.type, COP.CommunityOfPurpose),
                    (STROLLERS, RDFS.label, Literal("Pemberton strollers")),
                    (STROLLERS, SKOS.altLabel, Literal("Walk and talk Wigan")),
                    (CARA, RDF.type, FOAF.Person),
                    (CARA, RDFS.label, Literal("Cara Leakedname")),
                    (CARA, COP.publicProfile, Literal(False)),
                ]
            }
        )
    )
    yield build_index(PublicData(store))
    store.close()


def test_an_alternative_name_finds_the_thing_and_says_so(small):
    answer = search(small, "walk and talk wigan", {})
    first = answer["results"][0]
    assert first["label"] == "Pemberton strollers"
    assert first["also_known_as"] == ["Walk and talk Wigan"]
    assert first["match"] == "exact name or code"


def test_people_are_found_by_name_only_when_their_record_consents(small):
    assert labels(search(small, "Ada Publicperson", {}))[0] == "Ada Publicperson"
    for name in ("Bea Privateperson", "Privateperson", "Cara Leakedname", "Leakedname"):
        answer = search(small, name, {})
        assert name.split()[0] not in " ".join(labels(answer)), name
    every = {entry.item.label for entry in small.entries}
    assert "Cara Leakedname" not in every and "Bea Privateperson" not in every


def test_the_queries_behind_the_index_read_names_and_codes(reference_nquads):
    store = open_store("memory:")
    thing = URIRef(ID + "organisation/p1")
    store.commit(
        Change(
            put={
                GRAPH["load/codes"]: [
                    (thing, RDF.type, COP.GPPractice),
                    (thing, RDFS.label, Literal("Example Surgery")),
                    (thing, COP.odsCode, Literal("P99999")),
                    (thing, SKOS.altLabel, Literal("EXAMPLE SURGERY")),
                ]
            }
        )
    )
    index = build_index(PublicData(store))
    (entry,) = index.entries
    assert entry.item.codes == {"ODS code": "P99999"}
    assert labels(search(index, "p99999", {})) == ["Example Surgery"]
    assert search(index, "example surgery", {})["results"][0]["also_known_as"] == []
    store.close()
