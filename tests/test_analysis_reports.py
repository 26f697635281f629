"""Every analysis on the demo data: it runs, tabulates, and gives the same answer every time."""

from __future__ import annotations

import io
import json

import networkx as nx
import pyoxigraph as ox
import pytest

from cop_graph.analysis import reports
from cop_graph.analysis.network import knowledge_graph
from cop_graph.analysis.resilience import critical_points, tie_graph
from cop_graph.errors import UsageError
from cop_graph.store.oxigraph import OxigraphStore

ID = "https://w3id.org/cop-graph/id/"
OPTIONS = {
    "paths": {"from": ID + "place/wigan", "to": ID + "place/bolton-halliwell"},
    "learn-from": {"community": ID + "community/bury-frailty-and-falls-prevention-practice-group"},
    "shared-practice": {"level": "locality"},
}


def _reloaded(store) -> OxigraphStore:
    """The same data in a new store, loaded in reverse order (so internal ids differ)."""
    out = io.BytesIO()
    store.dump(out, "nquads")
    fresh = OxigraphStore(None)
    lines = out.getvalue().decode().splitlines()
    fresh.native.load("\n".join(reversed(lines)).encode(), format=ox.RdfFormat.N_QUADS)
    return fresh


def _answers(store) -> dict[str, str]:
    """Every analysis's answer as JSON text, from graphs built afresh from ``store``."""
    graphs = reports.Graphs(store)
    answers = {}
    for name in reports.ANALYSES:
        result = reports.run(store, name, OPTIONS.get(name), graphs=graphs)
        assert result.rows, f"{name} found nothing in the demo data"
        assert all(len(row) == len(result.columns) for row in result.rows)
        answers[name] = json.dumps([result.data, result.columns, result.rows], sort_keys=True)
    return answers


def test_same_answers_twice_and_after_reloading_the_store(demo_store):
    first = _answers(demo_store)
    assert _answers(demo_store) == first
    assert _answers(_reloaded(demo_store)) == first


def _answer(store, name) -> str:
    result = reports.run(store, name, OPTIONS.get(name))
    return json.dumps([result.data, result.columns, result.rows], sort_keys=True)


def test_unknown_names_and_options_are_usage_errors(demo_store):
    with pytest.raises(UsageError, match='there is no analysis "bridges"; choose one of'):
        reports.run(demo_store, "bridges")
    with pytest.raises(UsageError, match='"roles" has no option place; it takes no options'):
        reports.run(demo_store, "roles", {"place": "Wigan"})
    with pytest.raises(UsageError, match='needs the option "to"'):
        reports.run(demo_store, "paths", {"from": "Wigan"})
    with pytest.raises(UsageError, match='"k" must be a whole number'):
        reports.run(demo_store, "paths", {"from": "Wigan", "to": "Bolton", "k": "many"})


def test_people_without_a_public_profile_are_never_named(demo_store):
    hidden = demo_store.query(
        "SELECT ?name WHERE { GRAPH ?g { ?person foaf:name ?name } "
        "FILTER NOT EXISTS { ?person cop:publicProfile true } }"
    )
    names = {str(name) for (name,) in hidden.rows}
    assert names, "the demo data is meant to have people who keep their names private"
    for name in ("brokers", "resilience", "paths", "roles"):
        text = _answer(demo_store, name)
        assert not [n for n in names if n in text], name


def test_resilience_on_the_demo_agrees_with_removing_each_point_in_turn(demo_store):
    graph = tie_graph(knowledge_graph(demo_store))
    places = {n for n, d in graph.nodes(data=True) if d["kind"] == "place"}
    points = critical_points(graph)
    assert points
    for row in points:
        rest = graph.copy()
        rest.remove_node(row["node"])
        before = nx.node_connected_component(graph, row["node"])
        groups = sorted(
            (sorted(places & part) for part in nx.connected_components(rest)
             if places & part and part <= before),
            key=lambda g: (-len(g), g),
        )  # fmt: skip
        assert row["cut_off"] == sorted(p for group in groups[1:] for p in group), row["label"]
