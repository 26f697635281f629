"""Shared practice: hand-worked answers on a small graph, and the demo data against SPARQL."""

from __future__ import annotations

from collections import defaultdict

import pytest

from cop_graph import queries
from cop_graph.analysis.example import store_with
from cop_graph.analysis.network import knowledge_graph, place_practice_graph, shared_practice_graph
from cop_graph.analysis.reports import run
from cop_graph.analysis.shared_practice import matrix, pairs, shared_with, similarity

ID = "https://w3id.org/cop-graph/id/"

# Alpha (wards Alpha One, Alpha Two, and neighbourhood Alpha North made of both) and Beta (ward
# Beta One). c1 works in Alpha One and Beta One; c3 works in the whole of Beta.
#   c1: Alpha One, Beta One   P, Q        c3: Beta        Q, R
#   c2: Alpha Two             P           c4: Alpha One   R
HAND_MADE = """
place:a a cop:Locality ; rdfs:label "Alpha" .
place:b a cop:Locality ; rdfs:label "Beta" .
place:a1 a cop:Ward ; rdfs:label "Alpha One" ; cop:withinPlace place:a .
place:a2 a cop:Ward ; rdfs:label "Alpha Two" ; cop:withinPlace place:a .
place:b1 a cop:Ward ; rdfs:label "Beta One" ; cop:withinPlace place:b .
place:n a cop:Neighbourhood ; rdfs:label "Alpha North" ; cop:withinPlace place:a ;
  cop:comprises place:a1, place:a2 .
practice:p a cop:Practice ; rdfs:label "Peer support" .
practice:q a cop:Practice ; rdfs:label "Quiet rooms" .
practice:r a cop:Practice ; rdfs:label "Running" .
community:c1 a cop:CommunityOfPurpose ; rdfs:label "C1" ;
  cop:operatesIn place:a1, place:b1 ; cop:sharesPractice practice:p, practice:q .
community:c2 a cop:CommunityOfPurpose ; rdfs:label "C2" ;
  cop:operatesIn place:a2 ; cop:sharesPractice practice:p .
community:c3 a cop:CommunityOfPurpose ; rdfs:label "C3" ;
  cop:operatesIn place:b ; cop:sharesPractice practice:q, practice:r .
community:c4 a cop:CommunityOfPurpose ; rdfs:label "C4" ;
  cop:operatesIn place:a1 ; cop:sharesPractice practice:r .
"""


@pytest.fixture(scope="module")
def kg():
    return knowledge_graph(store_with(HAND_MADE))


def _short(found: list[dict]) -> list[tuple]:
    def local(iri):
        return iri.rsplit("/", 1)[1]

    return [
        (*map(local, p["places"]), local(p["practice"]), [local(c) for c in p["communities"]])
        for p in found
    ]


def _pairs(kg, level, **options):
    return _short(pairs(shared_practice_graph(place_practice_graph(kg, level)), **options))


def test_pairs_as_recorded_once_per_practice_with_their_communities(kg):
    assert _pairs(kg, "recorded") == [
        ("a1", "a2", "p", ["c1", "c2"]),
        ("a1", "b", "q", ["c1", "c3"]),
        ("a1", "b", "r", ["c3", "c4"]),
        ("a1", "b1", "p", ["c1"]),
        ("a1", "b1", "q", ["c1"]),
        ("a2", "b1", "p", ["c1", "c2"]),
        ("b", "b1", "q", ["c1", "c3"]),
    ]


def test_pairs_at_locality_level_count_wards_for_their_locality(kg):
    assert _pairs(kg, "locality") == [
        ("a", "b", "p", ["c1", "c2"]),
        ("a", "b", "q", ["c1", "c3"]),
        ("a", "b", "r", ["c3", "c4"]),
    ]


def test_pairs_at_ward_level_leave_out_communities_working_only_in_a_locality(kg):
    assert _pairs(kg, "ward") == [
        ("a1", "a2", "p", ["c1", "c2"]),
        ("a1", "b1", "p", ["c1"]),
        ("a1", "b1", "q", ["c1"]),
        ("a2", "b1", "p", ["c1", "c2"]),
    ]


def test_one_neighbourhood_shares_with_nobody(kg):
    assert _pairs(kg, "neighbourhood") == []


def test_pairs_for_one_place_or_one_practice(kg):
    assert _pairs(kg, "recorded", place=ID + "place/b") == [
        ("a1", "b", "q", ["c1", "c3"]),
        ("a1", "b", "r", ["c3", "c4"]),
        ("b", "b1", "q", ["c1", "c3"]),
    ]
    assert _pairs(kg, "locality", practice=ID + "practice/r") == [("a", "b", "r", ["c3", "c4"])]


def test_shared_with_one_place_most_practices_first(kg):
    shared = shared_practice_graph(place_practice_graph(kg))
    rows = shared_with(shared, ID + "place/a1")
    assert [(r["label"], [p["label"] for p in r["practices"]]) for r in rows] == [
        ("Beta", ["Quiet rooms", "Running"]),
        ("Beta One", ["Peer support", "Quiet rooms"]),
        ("Alpha Two", ["Peer support"]),
    ]
    assert shared_with(shared, ID + "place/nowhere") == []


def test_matrix_counts_communities_per_place_and_practice(kg):
    table = matrix(place_practice_graph(kg, "locality"))
    assert [p["label"] for p in table["places"]] == ["Alpha", "Beta"]
    assert [p["label"] for p in table["practices"]] == ["Peer support", "Quiet rooms", "Running"]
    p, q, r = (ID + "practice/" + name for name in "pqr")
    assert [place["counts"] for place in table["places"]] == [
        {p: 2, q: 1, r: 1},
        {p: 1, q: 2, r: 1},
    ]
    ward = matrix(place_practice_graph(kg, "ward"))
    a2 = ward["places"][1]
    assert (a2["place"], a2["label"], a2["counts"]) == (ID + "place/a2", "Alpha Two", {p: 1})
    assert a2["communities"]  # the evidence: the communities counted


def test_jaccard_similarity_of_places(kg):
    rows = similarity(shared_practice_graph(place_practice_graph(kg)))
    assert [(r["labels"], r["shared"], r["jaccard"]) for r in rows] == [
        (["Alpha One", "Beta"], 2, 0.6667),
        (["Alpha One", "Beta One"], 2, 0.6667),
        (["Alpha Two", "Beta One"], 1, 0.5),
        (["Alpha One", "Alpha Two"], 1, 0.3333),
        (["Beta", "Beta One"], 1, 0.3333),
    ]


# -- the demo data -----------------------------------------------------------------------------


def _sparql_pairs(store, query: str) -> list[dict]:
    grouped = defaultdict(list)
    for place, other, practice, community in queries.run(store, query).rows:
        grouped[str(place), str(other), str(practice)].append(str(community))
    return [
        {"places": [p, o], "practice": q, "communities": sorted(c)}
        for (p, o, q), c in sorted(grouped.items())
    ]


@pytest.mark.parametrize(
    ("level", "query"),
    [
        ("recorded", "analysis_shared_practice"),
        ("locality", "analysis_shared_practice_by_locality"),
    ],
)
def test_demo_answer_equals_an_independent_sparql_query(demo_store, level, query):
    answer = run(demo_store, "shared-practice", {"level": level}).data["pairs"]
    assert answer, "the demo data is meant to have places that share practice"
    # every pair rests on invented communities, and says so
    assert all(pair.pop("illustrative") for pair in answer)
    bare = [{k: pair[k] for k in ("places", "practice", "communities")} for pair in answer]
    assert bare == _sparql_pairs(demo_store, query)
    # the evidence names the same communities, each in one of the pair's places
    for pair in answer:
        assert [e["community"] for e in pair["evidence"]] == pair["communities"]
        for evidence in pair["evidence"]:
            assert evidence["places"] and set(evidence["places"]) <= set(pair["places"])


def test_every_demo_pair_carries_evidence_that_is_in_the_graph(demo_store):
    facts = demo_store.query(
        "SELECT ?c ?practice ?place WHERE { ?c a cop:CommunityOfPurpose ; "
        "cop:sharesPractice ?practice ; cop:operatesIn ?place }"
    )
    works = {(str(c), str(practice), str(place)) for c, practice, place in facts.rows}
    for pair in run(demo_store, "shared-practice").data["pairs"]:
        first, second = pair["places"]
        assert first != second
        evidence = {
            place: {c for c in pair["communities"] if (c, pair["practice"], place) in works}
            for place in (first, second)
        }
        assert evidence[first] and evidence[second], pair
        assert evidence[first] | evidence[second] == set(pair["communities"]), pair
