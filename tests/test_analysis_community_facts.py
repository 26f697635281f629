"""The community network read from its own facts (``network_community_facts``) is the one read
from the whole knowledge graph: commands that need only it read less, and answer the same."""

from __future__ import annotations

import networkx as nx
import pytest

from cop_graph import queries
from cop_graph.analysis import reports
from cop_graph.analysis.example import example_store
from cop_graph.namespaces import COP
from cop_graph.scope import Scope

#: what the community network does not use, and its own query leaves out
LEFT_OUT = {str(COP.assessedStep), str(COP.alignsWithChapter)}


@pytest.fixture(params=["example", "demo"])
def data(request) -> str:
    """Which data: the hand-written example (nothing invented) or the demo (all invented)."""
    return request.param


@pytest.fixture
def store(data, request):
    return example_store() if data == "example" else request.getfixturevalue("demo_store")


def _rows(store, name: str) -> list[tuple[str, ...]]:
    scope = Scope.public(store).about_things()
    return sorted(queries.run(store, name, scope=scope, as_text=True))


def test_the_query_gives_the_whole_graphs_rows_less_assessments_and_chapters(store):
    everything = _rows(store, "network_knowledge")
    assert any(row[1] in LEFT_OUT for row in everything)
    assert _rows(store, "network_community_facts") == [
        row for row in everything if row[1] not in LEFT_OUT
    ]


def _same(first: nx.Graph, second: nx.Graph) -> bool:
    return (
        list(first.nodes(data=True)) == list(second.nodes(data=True))
        and list(first.edges(data=True)) == list(second.edges(data=True))
        and first.graph == second.graph
    )


def test_brokers_and_clusters_read_only_the_community_facts_and_answer_the_same(store, data):
    alone, whole = reports.Graphs(store), reports.Graphs(store)
    whole.kg  # noqa: B018 - as the site does: the whole graph first
    for name in ("brokers", "clusters"):
        assert (
            reports.run(store, name, graphs=alone).data
            == reports.run(store, name, graphs=whole).data
        )
    assert "kg" not in alone.__dict__  # the whole graph was never read
    assert _same(alone.communities, whole.communities)
    assert alone.invented == whole.invented
    # the demo is all invented: its marks come through the smaller read too
    assert bool(alone.invented) == (data == "demo")


def test_once_the_whole_graph_is_built_it_serves_the_community_network_too(store):
    graphs = reports.Graphs(store)
    graphs.community_facts  # noqa: B018
    assert graphs.kg is graphs.community_facts  # one graph kept, not two
