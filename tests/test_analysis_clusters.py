"""Clusters on the two groups of the brokers test: Louvain must find them, every time."""

from __future__ import annotations

import pytest
from test_analysis_brokers import TWO_GROUPS

from cop_graph.analysis.clusters import clusters
from cop_graph.analysis.example import store_with
from cop_graph.network import community_graph, knowledge_graph

ID = "https://w3id.org/cop-graph/id/"


@pytest.fixture(scope="module")
def graph():
    return community_graph(knowledge_graph(store_with(TWO_GROUPS)))


def test_clusters_find_the_two_groups_and_name_them(graph):
    found = clusters(graph)
    assert [(c["size"], c["label"]) for c in found] == [(3, "Walking"), (3, "Gardening")]
    assert [c["label"] for c in found[0]["communities"]] == ["A", "B", "C"]
    assert found[0]["domains"] == [
        {"iri": ID + "domain/health", "label": "Health", "communities": 1}
    ]


def test_clusters_are_the_same_every_time(graph):
    assert clusters(graph) == clusters(graph)
    again = community_graph(knowledge_graph(store_with(TWO_GROUPS)))
    assert clusters(again) == clusters(graph)
