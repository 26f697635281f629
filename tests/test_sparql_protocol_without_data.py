"""The W3C protocol manifest against an endpoint whose store lacks the manifest's graphs, as
on a real deployment: every query case still gets an answer of the expected kind (a graph the
store does not have is empty), and a query's own FROM of an unknown or private graph is not
read when the protocol's parameters name the dataset."""

from __future__ import annotations

import pytest
import requests
from live_server import live_server, public_test_store
from test_sparql_protocol import CASES, RDF_TYPES, TABLE_TYPES

from cop_graph.config import load_settings
from cop_graph.web import create_app

PRIVATE = "https://w3id.org/cop-graph/id/graph/load/canary/private"
KASEI = "http://kasei.us/2009/09/sparql/data/"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, demo_nquads):
    folder = tmp_path_factory.mktemp("protocol-without-data")
    store = public_test_store(folder / "store", demo_nquads, w3c_graphs=False)
    assert not any(str(g).startswith(KASEI) for g in store.named_graphs())
    settings = load_settings({}, store=store.location, data=str(folder), query_timeout=10.0)
    app = create_app({"TESTING": True, "STORE": store, "SETTINGS": settings})
    with live_server(app) as url:
        yield url
    store.close()


QUERY_CASES = [(name, steps) for name, steps in CASES if not name.startswith("update_")]


def test_every_query_case_of_the_manifest_is_here():
    assert "query_multiple_dataset" in dict(QUERY_CASES) and len(QUERY_CASES) >= 15


@pytest.mark.parametrize(("name", "steps"), QUERY_CASES, ids=[name for name, _ in QUERY_CASES])
def test_w3c_query_case_without_its_graphs(endpoint, name, steps):
    """Status and format as the manifest says; the answers' values depend on the missing
    graphs, so only those that do not are compared (see test_sparql_protocol.py for them all)."""
    for step in steps:
        body = None if step["body"] is None else step["body"].encode(step["encoding"])
        response = requests.request(
            step["method"], endpoint + step["path"], data=body, headers=step["headers"], timeout=30
        )
        assert str(response.status_code)[0] in step["status"], (response.status_code, response.text)
        media_type = response.headers.get("Content-Type", "").split(";")[0]
        expected = None if step["format"] is None else str(step["format"])
        if expected == "boolean":
            assert media_type in (
                "application/sparql-results+json",
                "application/sparql-results+xml",
            )
        elif expected == "tabular":
            assert media_type in TABLE_TYPES
        elif expected is not None:
            assert media_type in RDF_TYPES


def test_graphs_named_by_the_protocol_but_missing_are_empty(endpoint):
    query = f"ASK FROM <{KASEI}data3.rdf> {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    params = {"query": query, "named-graph-uri": [f"{KASEI}data1.rdf", f"{KASEI}data2.rdf"]}
    response = requests.get(endpoint + "/sparql", params=params, timeout=30)
    assert response.status_code == 200 and response.json()["boolean"] is False


@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_a_private_graph_in_the_query_is_not_read_when_the_protocol_names_the_dataset(
    endpoint, clause
):
    query = f"ASK {clause} <{PRIVATE}> {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
    params = {"query": query, "named-graph-uri": f"{KASEI}data1.rdf"}
    response = requests.get(endpoint + "/sparql", params=params, timeout=30)
    assert response.status_code == 200 and response.json()["boolean"] is False
    alone = requests.get(endpoint + "/sparql", params={"query": query}, timeout=30)
    assert alone.status_code == 400  # without the protocol's dataset the clause is refused
