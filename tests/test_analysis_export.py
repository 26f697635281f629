"""Exports open in NetworkX (and so in Gephi) with their labels and weights intact."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from cop_graph.analysis import reports
from cop_graph.analysis.example import example_knowledge_graph, example_store
from cop_graph.analysis.export import export
from cop_graph.analysis.network import community_graph, place_practice_graph, shared_practice_graph
from cop_graph.errors import UsageError

READERS = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}


def _projections():
    kg = example_knowledge_graph()
    places = place_practice_graph(kg, "recorded")
    return {
        "knowledge": kg,
        "communities": community_graph(kg),
        "place-practice": places,
        "shared-practice": shared_practice_graph(places),
    }


@pytest.mark.parametrize("fmt", list(READERS))
@pytest.mark.parametrize("name", list(_projections()))
def test_graphml_and_gexf_keep_labels_and_weights(name, fmt):
    graph = _projections()[name]
    back = READERS[fmt](io.BytesIO(export(graph, fmt)))
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    for node, data in graph.nodes(data=True):
        assert back.nodes[node]["label"] == data["label"]
    for u, v, data in graph.edges(data=True):
        if "weight" in data:
            assert float(back[u][v]["weight"]) == data["weight"]


def test_the_evidence_of_a_link_survives_as_text():
    shared = _projections()["shared-practice"]
    back = nx.read_graphml(io.BytesIO(export(shared, "graphml")))
    central = "https://w3id.org/cop-graph/id/place/wigan-central"
    pemberton = "https://w3id.org/cop-graph/id/place/wigan-pemberton"
    assert "pemberton-growers" in back[central][pemberton]["evidence"]


def test_csv_edge_list_has_one_row_per_link_with_names():
    rows = list(csv.DictReader(io.StringIO(export(_projections()["communities"], "csv").decode())))
    assert {(r["source_label"], r["target_label"], r["weight"]) for r in rows} == {
        ("Halliwell Striders", "Wigan Walkers", "2"),
        ("Pemberton Growers", "Wigan Walkers", "2"),
    }


def test_each_analysis_exports_the_graph_it_works_on():
    store = example_store()
    data = reports.export_graph(store, "shared-practice", "graphml", {"level": "locality"})
    back = nx.read_graphml(io.BytesIO(data))
    assert sorted(back.nodes[n]["label"] for n in back) == ["Bolton", "Wigan"]
    with pytest.raises(UsageError, match='there is no export format "png"'):
        reports.export_graph(store, "brokers", "png")
