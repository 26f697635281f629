"""Brokers on two tight groups of communities joined by one tie (worked by hand)."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from cop_graph.analysis import brokers as brokers_module
from cop_graph.analysis.brokers import betweenness, bridging_members, brokers
from cop_graph.analysis.example import store_with
from cop_graph.analysis.igraph_bridge import normalised_betweenness
from cop_graph.analysis.network import PRIVATE_PERSON, community_graph, knowledge_graph

ID = "https://w3id.org/cop-graph/id/"

# A, B, C work in ward X1 (locality X) and share walking; D, E, F work in Y1 (locality Y) and
# share gardening. C and D share two members, an organisation and a person without a public
# profile: the only tie between the groups. Betweenness of C and D: each lies on the shortest
# paths of the 2 × 3 pairs across the tie, 6 of the (6 − 1)(6 − 2)/2 = 10 pairs: 0.6.
TWO_GROUPS = """
place:x a cop:Locality ; rdfs:label "X" .
place:y a cop:Locality ; rdfs:label "Y" .
place:x1 a cop:Ward ; rdfs:label "X1" ; cop:withinPlace place:x .
place:y1 a cop:Ward ; rdfs:label "Y1" ; cop:withinPlace place:y .
practice:walking a cop:Practice ; rdfs:label "Walking" .
practice:gardening a cop:Practice ; rdfs:label "Gardening" .
domain:health a cop:Domain ; rdfs:label "Health" .
community:a a cop:CommunityOfPurpose ; rdfs:label "A" ; cop:operatesIn place:x1 ;
  cop:sharesPractice practice:walking ; cop:hasDomain domain:health .
community:b a cop:CommunityOfPurpose ; rdfs:label "B" ; cop:operatesIn place:x1 ;
  cop:sharesPractice practice:walking .
community:c a cop:CommunityOfPurpose ; rdfs:label "C" ; cop:operatesIn place:x1 ;
  cop:sharesPractice practice:walking .
community:d a cop:CommunityOfPurpose ; rdfs:label "D" ; cop:operatesIn place:y1 ;
  cop:sharesPractice practice:gardening .
community:e a cop:CommunityOfPurpose ; rdfs:label "E" ; cop:operatesIn place:y1 ;
  cop:sharesPractice practice:gardening .
community:f a cop:CommunityOfPurpose ; rdfs:label "F" ; cop:operatesIn place:y1 ;
  cop:sharesPractice practice:gardening .
organisation:bridge a cop:VCSEOrganisation ; rdfs:label "Bridge Trust" .
person:1 a foaf:Person ; cop:publicProfile false .
membership:1 org:organization community:c ; org:member organisation:bridge ; org:role cop:Member .
membership:2 org:organization community:d ; org:member organisation:bridge ;
  org:role cop:OrganizationalBroker .
membership:3 org:organization community:c ; org:member person:1 ; org:role cop:SocialReporter .
membership:4 org:organization community:d ; org:member person:1 ; org:role cop:Member .
"""


@pytest.fixture(scope="module")
def graph():
    return community_graph(knowledge_graph(store_with(TWO_GROUPS)))


def _by_label(graph, values: dict) -> dict:
    return {graph.nodes[c]["label"]: v for c, v in values.items()}


def test_exact_betweenness_worked_by_hand(graph):
    scores = betweenness(graph)
    assert _by_label(graph, scores["values"]) == {
        "A": 0.0, "B": 0.0, "C": 0.6, "D": 0.6, "E": 0.0, "F": 0.0,
    }  # fmt: skip
    assert scores == {"values": scores["values"], "sampled": False, "k": 6}


def test_sampled_betweenness_says_so_and_repeats(graph):
    first = betweenness(graph, k=3, seed=7)
    assert first["sampled"] is True and first["k"] == 3
    assert betweenness(graph, k=3, seed=7) == first


def test_brokers_rank_the_bridge_and_count_cross_locality_ties(graph):
    answer = brokers(graph)
    rows = [(r["label"], r["betweenness"], r["cross_locality_ties"]) for r in answer["communities"]]
    assert rows[:2] == [("C", 0.6, 1), ("D", 0.6, 1)]
    assert all(ties == 0 for _, _, ties in rows[2:])
    assert answer["cross_locality_ties"] == 1
    assert answer["communities"][0]["localities_reached"] == [ID + "place/y"]
    assert len(brokers(graph, top=2)["communities"]) == 2


def test_bridging_members_show_people_only_by_role(graph):
    rows = bridging_members(graph)
    assert [(r["label"], r["member"]) for r in rows] == [
        ("Bridge Trust", ID + "organisation/bridge"),
        (PRIVATE_PERSON, None),
    ]
    assert [c["role"].rsplit("#", 1)[1] for c in rows[1]["communities"]] == [
        "SocialReporter",
        "Member",
    ]
    assert rows[0]["localities"] == [ID + "place/x", ID + "place/y"]


# igraph computes betweenness; NetworkX's pure-Python figures are the reference it must match.
# Graphs of 40 nodes with 50 to 110 links; the sparsest falls apart into four pieces.
RANDOM_GRAPHS = [
    nx.gnm_random_graph(40, links, seed=seed)
    for seed, links in enumerate((50, 70, 90, 110), start=1)
]
NX_SCALES_SOURCES_APART = tuple(int(p) for p in nx.__version__.split(".")[:2]) >= (3, 5)


@pytest.mark.parametrize("random_graph", RANDOM_GRAPHS)
def test_igraph_betweenness_equals_networkx(random_graph):
    expected = nx.betweenness_centrality(random_graph)
    assert normalised_betweenness(random_graph) == pytest.approx(expected, abs=1e-9)
    rounded = betweenness(random_graph)
    assert rounded["sampled"] is False
    assert rounded["values"] == pytest.approx(expected, abs=5e-7)


@pytest.mark.skipif(not NX_SCALES_SOURCES_APART, reason="NetworkX < 3.5 scales samples alike")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sampled_betweenness_equals_networkx_estimate(seed):
    graph = RANDOM_GRAPHS[-1]
    expected = nx.betweenness_centrality(graph, k=10, seed=seed)
    sources = random.Random(seed).sample(sorted(graph), 10)
    assert normalised_betweenness(graph, sources) == pytest.approx(expected, abs=1e-9)
    assert betweenness(graph, k=10, seed=seed)["values"] == pytest.approx(expected, abs=5e-7)


def test_betweenness_is_sampled_above_the_work_limit(monkeypatch):
    graph = RANDOM_GRAPHS[-1]  # 40 × (40 + 110) = 6,000 steps exactly
    monkeypatch.setattr(brokers_module, "WORK_LIMIT", 6_000)
    assert betweenness(graph)["sampled"] is False
    monkeypatch.setattr(brokers_module, "WORK_LIMIT", 1_500)
    scores = betweenness(graph)
    assert (scores["sampled"], scores["k"]) == (True, 10)
    assert scores == betweenness(graph, k=10)
    monkeypatch.setattr(brokers_module, "WORK_LIMIT", 150)
    assert betweenness(graph)["k"] == brokers_module.MIN_SOURCES
