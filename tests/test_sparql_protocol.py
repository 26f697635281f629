"""The endpoint against real clients on a live server: the W3C protocol tests, SPARQLWrapper,
rdflib's SPARQLStore and plain HTTP for content negotiation, CORS and limits.

The W3C manifest's 34 cases run as written, adapted to a read-only endpoint: the update
cases must be refused (403) instead of carried out, and their follow-up queries are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from live_server import live_server, public_test_store
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from cop_graph.config import load_settings
from cop_graph.web import create_app

HERE = Path(__file__).parent / "examples"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
TABLE_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {"text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json"}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, demo_nquads):
    store = public_test_store(tmp_path_factory.mktemp("protocol") / "store", demo_nquads)
    settings = load_settings({}, store=store.location, query_timeout=10.0, rate_limits=False)
    app = create_app({"TESTING": True, "STORE": store, "SETTINGS": settings})
    with live_server(app) as url:
        yield url
    store.close()


def _manifest_cases() -> list[tuple[str, list[dict]]]:
    manifest = Graph().parse(HERE / "w3c-protocol-manifest.ttl")
    entries = manifest.value(predicate=RDF.type, object=MF.Manifest, any=True)
    cases = []
    for test in Collection(manifest, manifest.value(entries, MF.entries)):
        action = manifest.value(test, MF.action)
        requests_ = []
        for request in Collection(manifest, manifest.value(action, HT.requests)):
            body = manifest.value(request, HT.body)
            response = manifest.value(request, HT.resp)
            headers = {}
            for header in Collection(manifest, manifest.value(request, HT.headers) or RDF.nil):
                headers[str(manifest.value(header, HT.fieldName))] = str(
                    manifest.value(header, HT.fieldValue)
                )
            requests_.append(
                {
                    "method": str(manifest.value(request, HT.methodName)),
                    "path": str(manifest.value(request, HT.absolutePath)),
                    "headers": headers,
                    "body": None if body is None else str(manifest.value(body, CNT.chars)),
                    "encoding": None
                    if body is None
                    else str(manifest.value(body, CNT.characterEncoding)),
                    "status": sorted(
                        str(s)[-3] for s in manifest.objects(response, MF.expectedStatus)
                    ),
                    "format": manifest.value(response, MF.expectedFormat),
                    "boolean": manifest.value(response, MF.expectedBoolean),
                }
            )
        cases.append((str(test).rsplit("#", 1)[1], requests_))
    return cases


CASES = _manifest_cases()


def test_the_manifest_has_its_34_cases():
    assert len(CASES) == 34


def _boolean(response) -> bool:
    if "json" in response.headers["Content-Type"]:
        return response.json()["boolean"]
    return "<boolean>true</boolean>" in response.text


@pytest.mark.parametrize(("name", "steps"), CASES, ids=[name for name, _ in CASES])
def test_w3c_protocol_case(endpoint, name, steps):
    for step in steps:
        body = None if step["body"] is None else step["body"].encode(step["encoding"])
        response = requests.request(
            step["method"],
            endpoint + step["path"],
            data=body,
            headers=step["headers"],
            timeout=30,
        )
        if name.startswith("update_"):
            # adapted: this endpoint is read-only, so updates are refused, never carried out
            assert response.status_code == 403, response.text
            return
        assert str(response.status_code)[0] in step["status"], (response.status_code, response.text)
        media_type = response.headers.get("Content-Type", "").split(";")[0]
        if step["format"] is not None and str(step["format"]) == "boolean":
            assert media_type in (
                "application/sparql-results+json",
                "application/sparql-results+xml",
            )
        elif step["format"] is not None and str(step["format"]) == "tabular":
            assert media_type in TABLE_TYPES
        elif step["format"] is not None:
            assert media_type in RDF_TYPES
        if step["boolean"] is not None:
            assert _boolean(response) is step["boolean"].toPython()


COUNT_COMMUNITIES = (
    "SELECT (COUNT(?c) AS ?n) "
    "WHERE { ?c a <https://w3id.org/cop-graph/ontology#CommunityOfPurpose> }"
)


@pytest.mark.parametrize("return_format", ["json", "xml", "csv"])
def test_sparqlwrapper_reads_every_table_format(endpoint, return_format):
    from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper

    client = SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(COUNT_COMMUNITIES)
    client.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV}[return_format])
    answer = client.query().convert()
    if return_format == "json":
        count = answer["results"]["bindings"][0]["n"]["value"]
    elif return_format == "xml":
        count = answer.getElementsByTagName("literal")[0].firstChild.data
    else:
        count = answer.decode().splitlines()[1]
    assert int(count) == 31


def test_sparqlwrapper_reads_a_construct_as_a_graph(endpoint):
    from SPARQLWrapper import TURTLE, SPARQLWrapper

    client = SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(
        "CONSTRUCT { ?c a cop:CommunityOfPurpose } WHERE { ?c a cop:CommunityOfPurpose }"
    )
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 31


def test_rdflib_sparqlstore_queries_the_endpoint(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(store=SPARQLStore(endpoint + "/sparql", returnFormat="json"))
    rows = list(
        remote.query(
            "SELECT ?name WHERE { <https://w3id.org/cop-graph/id/place/bolton> "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?name }"
        )
    )
    assert [str(row[0]) for row in rows] == ["Bolton"]
    assert remote.query("ASK { ?s ?p ?o }").askAnswer is True


@pytest.mark.parametrize(
    ("accept", "fmt", "media_type"),
    [
        ("application/sparql-results+json", None, "application/sparql-results+json"),
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv", None, "text/csv"),
        ("text/tab-separated-values", None, "text/tab-separated-values"),
        ("*/*", None, "application/sparql-results+json"),
        (None, "csv", "text/csv"),
        (None, "tsv", "text/tab-separated-values"),
        (None, "xml", "application/sparql-results+xml"),
        ("text/csv", "json", "application/sparql-results+json"),
    ],
)
def test_table_formats_by_accept_or_format_parameter(endpoint, accept, fmt, media_type):
    params = {"query": COUNT_COMMUNITIES, **({"format": fmt} if fmt else {})}
    headers = {"Accept": accept} if accept else {}
    response = requests.get(endpoint + "/sparql", params=params, headers=headers, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "31" in response.text


@pytest.mark.parametrize(
    ("accept", "media_type", "parse_as"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_graph_formats(endpoint, accept, media_type, parse_as):
    query = "DESCRIBE <https://w3id.org/cop-graph/id/place/bolton>"
    response = requests.get(
        endpoint + "/sparql", params={"query": query}, headers={"Accept": accept}, timeout=30
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    graph = Graph().parse(data=response.content, format=parse_as)
    assert (URIRef("https://w3id.org/cop-graph/id/place/bolton"), None, None) in graph


def test_unsupported_accept_is_406(endpoint):
    response = requests.get(
        endpoint + "/sparql",
        params={"query": COUNT_COMMUNITIES},
        headers={"Accept": "image/png"},
        timeout=30,
    )
    assert response.status_code == 406


def test_malformed_query_is_400_with_the_parsers_message(endpoint):
    response = requests.get(endpoint + "/sparql", params={"query": "SELECT * WHERE {"}, timeout=30)
    assert response.status_code == 400
    assert "line 1" in response.text and "not valid SPARQL" in response.text


def test_cors_on_get_and_preflight(endpoint):
    response = requests.get(
        endpoint + "/sparql",
        params={"query": "ASK {}"},
        headers={"Origin": "https://example.org"},
        timeout=30,
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(endpoint + "/sparql", timeout=30)
    assert preflight.status_code == 204
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_too_long_query_is_413(endpoint):
    query = "ASK { " + "?s ?p ?o . " * 40_000 + "}"
    response = requests.post(
        endpoint + "/sparql",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert response.status_code == 413


def test_no_query_gives_service_description_or_page(endpoint):
    description = requests.get(endpoint + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    graph = Graph().parse(data=description.text, format="turtle")
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (URIRef(endpoint + "/sparql"), RDF.type, sd.Service) in graph
    page = requests.get(endpoint + "/sparql", headers={"Accept": "text/html"}, timeout=30)
    assert page.headers["Content-Type"].startswith("text/html")
    assert "<textarea" in page.text


def test_void_describes_the_public_graphs(endpoint):
    response = requests.get(endpoint + "/.well-known/void", timeout=30)
    graph = Graph().parse(data=response.text, format="turtle")
    void = Namespace("http://rdfs.org/ns/void#")
    subsets = {str(s) for s in graph.objects(None, void.subset)}
    assert "https://w3id.org/cop-graph/id/graph/demo" in subsets
    assert not any(s.endswith("/private") for s in subsets)


def test_answers_past_the_cap_are_marked_truncated(tmp_path, demo_nquads):
    store = public_test_store(tmp_path / "store", demo_nquads)
    settings = load_settings({}, store=store.location, result_limit=5)
    app = create_app({"TESTING": True, "STORE": store, "SETTINGS": settings})
    with live_server(app) as url:
        response = requests.get(
            url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=30
        )
        small = requests.get(
            url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}, timeout=30
        )
    store.close()
    assert response.headers["X-Result-Truncated"] == "true"
    assert len(json.loads(response.text)["results"]["bindings"]) == 5
    assert "X-Result-Truncated" not in small.headers


ERROR_SHAPE = {"ok", "status", "title", "error"}


@pytest.mark.parametrize(
    ("method", "options", "status"),
    [
        ("GET", {"params": {"query": ""}}, 400),
        ("GET", {"params": {"query": "SELECT * WHERE {"}}, 400),
        ("POST", {"data": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 403),
        ("POST", {"data": {"update": "CLEAR ALL"}}, 403),
        ("PUT", {"data": b"ASK {}"}, 405),
        ("DELETE", {}, 405),
        (
            "POST",
            {
                "data": b"ASK {}" + b" " * 300_000,
                "headers": {"Content-Type": "application/sparql-query"},
            },
            413,
        ),
    ],
    ids=["empty", "syntax", "update", "update form", "PUT", "DELETE", "too long"],
)
def test_programs_get_the_json_error_shape(endpoint, method, options, status):
    response = requests.request(method, endpoint + "/sparql", timeout=30, **options)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_SHAPE
    assert body["ok"] is False and body["status"] == status
    assert body["error"].endswith(".") and "Traceback" not in body["error"]
