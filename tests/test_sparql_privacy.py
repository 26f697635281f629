"""A canary person without a public profile, loaded as an RDF file: their name and email address
must never come out of the public endpoint or the downloads, however the question is asked."""

from __future__ import annotations

import gzip

import pytest
import requests
from live_server import CANARY_SECRETS, live_server, public_test_store

from cop_graph.config import load_settings
from cop_graph.sparql.dumps import DUMPS
from cop_graph.web import create_app

PERSON = "<https://w3id.org/cop-graph/id/person/canary-0001>"
PRIVATE = "<https://w3id.org/cop-graph/id/graph/load/canary/private>"
PREFIXES = "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nPREFIX org: <http://www.w3.org/ns/org#>\n"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, demo_nquads):
    store = public_test_store(tmp_path_factory.mktemp("privacy") / "store", demo_nquads)
    assert any(str(g).endswith("/load/canary/private") for g in store.named_graphs())
    settings = load_settings({}, store=store.location, rate_limits=False)
    app = create_app({"TESTING": True, "STORE": store, "SETTINGS": settings})
    with live_server(app) as url:
        yield url
    store.close()


QUERIES = {
    "everything in the default graph": "SELECT * WHERE { ?s ?p ?o }",
    "every named graph": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    "the person's facts": f"SELECT ?p ?o WHERE {{ {PERSON} ?p ?o }}",
    "names of everyone": PREFIXES + "SELECT ?name WHERE { ?x foaf:name ?name }",
    "names in any graph": PREFIXES + "SELECT ?name WHERE { GRAPH ?g { ?x foaf:name ?name } }",
    "a property path to the name": PREFIXES
    + "SELECT ?o WHERE { ?m org:member/(foaf:name|foaf:mbox|foaf:knows/^foaf:knows/foaf:name) ?o }",
    "any path from the person": f"SELECT ?o WHERE {{ {PERSON} (<x:a>|!<x:a>)+ ?o }}",
    "a DESCRIBE": f"DESCRIBE {PERSON}",
    "a DESCRIBE of everyone": PREFIXES + "DESCRIBE ?x WHERE { ?x a foaf:Person }",
    "a CONSTRUCT of every graph": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "a search of every literal": (
        'SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "Zebedee")) }'
    ),
}


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_canary_is_unreachable_by_query(endpoint, query):
    for accept in ("application/sparql-results+json", "text/turtle", "text/csv"):
        response = requests.get(
            endpoint + "/sparql", params={"query": query}, headers={"Accept": accept}, timeout=30
        )
        assert response.status_code in (200, 406), response.text
        assert not any(secret in response.text for secret in CANARY_SECRETS)


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * FROM {PRIVATE} WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED {PRIVATE} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"ASK FROM {PRIVATE} {{ ?s ?p ?o }}",
    ],
    ids=["FROM", "FROM NAMED", "ASK FROM"],
)
def test_from_a_private_graph_is_refused(endpoint, query):
    response = requests.get(endpoint + "/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 400
    assert "not one of this endpoint's public graphs" in response.json()["error"]


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_protocol_dataset_cannot_name_a_private_graph(endpoint, parameter):
    query = "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    response = requests.get(
        endpoint + "/sparql",
        params={"query": query, parameter: PRIVATE.strip("<>")},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []


@pytest.mark.parametrize("filename", sorted(DUMPS))
def test_canary_is_not_in_the_downloads(endpoint, filename):
    response = requests.get(f"{endpoint}/downloads/{filename}", timeout=60)
    assert response.status_code == 200
    text = gzip.decompress(response.content).decode()
    assert "canary-0001" in text  # the person is there…
    assert "Open Olive" in text  # …as is the consenting person's name…
    assert not any(secret in text for secret in CANARY_SECRETS)  # …but not the canary's


def test_canary_is_not_in_the_descriptions_or_the_page(endpoint):
    for path, accept in (
        ("/.well-known/void", "text/turtle"),
        ("/sparql", "text/turtle"),
        ("/sparql?query=SELECT+*+WHERE+{+?s+?p+?o+}", "text/html"),
    ):
        response = requests.get(endpoint + path, headers={"Accept": accept}, timeout=30)
        assert response.status_code == 200
        assert not any(secret in response.text for secret in CANARY_SECRETS)
        assert "/private>" not in response.text
