"""Clusters on the two groups of the brokers test: Leiden must find them, every time."""

from __future__ import annotations

import networkx as nx
import pytest
from test_analysis_brokers import TWO_GROUPS

from cop_graph.analysis.clusters import clusters
from cop_graph.analysis.example import store_with
from cop_graph.analysis.network import community_graph, knowledge_graph

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


def _bare(graph: nx.Graph) -> nx.Graph:
    """``graph`` with the attributes :func:`clusters` reads: weights, labels, nothing shared."""
    for node in graph:
        graph.nodes[node].update(label=f"N{node:03d}", practices=(), domains=())
    for u, v in graph.edges:
        graph[u][v]["weight"] = 1 + (u + v) % 3
    return graph


def _members(found: list[dict]) -> list[list[str]]:
    return [[m["label"] for m in c["communities"]] for c in found]


# Leiden is randomised: on a graph with no clear groups, different seeds find different ones,
# and the same seed must find the same ones every time.
NO_CLEAR_GROUPS = _bare(nx.gnm_random_graph(120, 500, seed=4))


def test_the_same_seed_gives_the_same_clusters():
    for seed in (1, 2, 3):
        assert clusters(NO_CLEAR_GROUPS, seed=seed) == clusters(NO_CLEAR_GROUPS, seed=seed)
    assert len({str(_members(clusters(NO_CLEAR_GROUPS, seed=s))) for s in range(1, 6)}) > 1


def test_clusters_are_connected_and_cover_every_community():
    found = _members(clusters(NO_CLEAR_GROUPS))
    assert sorted(label for group in found for label in group) == sorted(
        NO_CLEAR_GROUPS.nodes[n]["label"] for n in NO_CLEAR_GROUPS
    )
    by_label = {NO_CLEAR_GROUPS.nodes[n]["label"]: n for n in NO_CLEAR_GROUPS}
    for group in found:
        assert nx.is_connected(NO_CLEAR_GROUPS.subgraph(by_label[label] for label in group))


def test_resolution_splits_or_merges_clusters():
    ring = _bare(nx.ring_of_cliques(8, 5))  # eight groups of five, each tied to the next
    sizes = {r: [c["size"] for c in clusters(ring, resolution=r)] for r in (0.1, 1.0, 20.0)}
    assert sizes[1.0] == [5] * 8
    assert len(sizes[0.1]) < 8 < len(sizes[20.0])
