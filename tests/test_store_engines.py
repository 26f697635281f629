"""What each SPARQL engine does differently, and how the remote store keeps every fact anyway.

Some tests pin a real engine's behaviour (so that the stand-ins below stay honest); the
others run the remote store against a stand-in with one fault at a time, or against the real
Virtuoso started by :mod:`virtuoso_server`.
"""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.remote

LINE = b'<https://example.org/s> <https://example.org/p> "o" .\n'


def _count(server, graph: str) -> int:
    answer = requests.post(
        server.query_url,
        data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_virtuoso_stores_nothing_from_a_chunked_upload_yet_says_created(virtuoso_server):
    virtuoso_server.clear()
    upload = f"{virtuoso_server.base_url}/sparql-graph-crud"
    chunked = "https://w3id.org/cop-graph/id/graph/test-chunked"
    sized = "https://w3id.org/cop-graph/id/graph/test-sized"
    headers = {"Content-Type": "application/n-triples"}
    answer = requests.post(upload, params={"graph": chunked}, data=iter([LINE]), headers=headers)
    assert answer.status_code == 201
    assert _count(virtuoso_server, chunked) == 0
    answer = requests.post(upload, params={"graph": sized}, data=LINE, headers=headers)
    assert answer.status_code == 201
    assert _count(virtuoso_server, sized) == 1
