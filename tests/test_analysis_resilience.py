"""Resilience: who alone holds places together, worked out by hand on a chain of ties."""

from __future__ import annotations

import networkx as nx
import pytest

from cop_graph.analysis.example import store_with
from cop_graph.analysis.network import knowledge_graph
from cop_graph.analysis.resilience import critical_points, critical_ties, tie_graph

# P1 – A – P2 – B – P3 – C – O – D – P4, and D – P5: communities A to D work in places P1 to P5;
# organisation O belongs to C and D. Every node in the chain is a cut point, every tie a bridge.
CHAIN = """
place:p1 a cop:Ward ; rdfs:label "P1" .  place:p2 a cop:Ward ; rdfs:label "P2" .
place:p3 a cop:Ward ; rdfs:label "P3" .  place:p4 a cop:Ward ; rdfs:label "P4" .
place:p5 a cop:Ward ; rdfs:label "P5" .
community:a a cop:CommunityOfPurpose ; rdfs:label "A" ; cop:operatesIn place:p1, place:p2 .
community:b a cop:CommunityOfPurpose ; rdfs:label "B" ; cop:operatesIn place:p2, place:p3 .
community:c a cop:CommunityOfPurpose ; rdfs:label "C" ; cop:operatesIn place:p3 .
community:d a cop:CommunityOfPurpose ; rdfs:label "D" ; cop:operatesIn place:p4, place:p5 .
organisation:o a cop:VCSEOrganisation ; rdfs:label "O" .
membership:1 org:organization community:c ; org:member organisation:o ; org:role cop:Member .
membership:2 org:organization community:d ; org:member organisation:o ; org:role cop:Member .
"""


@pytest.fixture(scope="module")
def graph():
    return tie_graph(knowledge_graph(store_with(CHAIN)))


def _labels(graph, nodes):
    return [graph.nodes[n]["label"] for n in nodes]


def test_points_whose_loss_cuts_places_off(graph):
    found = [
        (r["label"], _labels(graph, r["cut_off"]), _labels(graph, r["isolated"]))
        for r in critical_points(graph)
    ]
    assert found == [
        ("B", ["P1", "P2"], []),
        ("C", ["P4", "P5"], []),
        ("D", ["P4", "P5"], ["P4", "P5"]),
        ("O", ["P4", "P5"], []),
        ("A", ["P1"], ["P1"]),
    ]


def test_ties_whose_loss_cuts_places_off(graph):
    found = [(r["sentence"], _labels(graph, r["cut_off"])) for r in critical_ties(graph)]
    assert found == [
        ("A operates in P1", ["P1"]),
        ("A operates in P2", ["P1"]),
        ("B operates in P2", ["P1", "P2"]),
        ("B operates in P3", ["P1", "P2"]),
        ("C operates in P3", ["P4", "P5"]),
        ("D operates in P4", ["P4"]),
        ("D operates in P5", ["P5"]),
        ("O is a member of C (as Member)", ["P4", "P5"]),
        ("O is a member of D (as Member)", ["P4", "P5"]),
    ]


def test_a_second_route_leaves_only_the_places_hanging_on_one_community():
    closed = CHAIN + "community:a cop:operatesIn place:p5 ."  # P2 … P5 now form a ring
    graph = tie_graph(knowledge_graph(store_with(closed)))
    found = [(r["label"], _labels(graph, r["cut_off"])) for r in critical_points(graph)]
    assert found == [("A", ["P1"]), ("D", ["P4"])]
    assert [r["sentence"] for r in critical_ties(graph)] == ["A operates in P1", "D operates in P4"]


def test_the_answer_agrees_with_removing_each_point_in_turn(graph):
    """The block-cut tree shortcut gives what brute force gives."""
    places = {n for n, d in graph.nodes(data=True) if d["kind"] == "place"}
    for row in critical_points(graph):
        rest = graph.copy()
        rest.remove_node(row["node"])
        groups = sorted(
            (sorted(places & part) for part in nx.connected_components(rest) if places & part),
            key=lambda g: (-len(g), g),
        )
        assert row["cut_off"] == sorted(p for group in groups[1:] for p in group)
