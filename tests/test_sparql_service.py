"""The endpoint as one function, without a web server: a protocol request in, a reply out."""

from __future__ import annotations

import json

import pytest

from cop_graph.sparql.runner import make_runner
from cop_graph.sparql.service import (
    Data,
    Endpoint,
    Limits,
    ProtocolRequest,
    QueryPage,
    Refusal,
    answer,
)

URL = "https://cop.example.org/sparql"
BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, demo_nquads):
    import pyoxigraph as ox

    from cop_graph.store.oxigraph import OxigraphStore

    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    runner = make_runner(store, timeout=10.0)
    yield Endpoint(store, runner, Limits(query_timeout=10.0, result_limit=3, max_query_bytes=200))
    runner.close()


def _get(query: str | None = None, accept: str | None = None, **args) -> ProtocolRequest:
    if query is not None:
        args["query"] = query
    return ProtocolRequest(
        "GET",
        URL,
        args={name: [value] for name, value in args.items()},
        accept=accept,
        wants_json=accept != BROWSER,
    )


def test_a_select_is_answered_with_its_format_cap_and_cors(endpoint):
    reply = answer(_get("SELECT ?s WHERE { ?s a cop:CommunityOfPurpose }"), endpoint)
    assert isinstance(reply, Data) and reply.status == 200
    assert reply.media_type == "application/sparql-results+json"
    body = json.loads(b"".join(reply.body))
    assert len(body["results"]["bindings"]) == 3
    assert reply.headers["X-Result-Truncated"] == "true"
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    reply.on_close()


@pytest.mark.parametrize(
    ("request_", "status", "words"),
    [
        (_get(""), 400, "The query is empty"),
        (_get("# only a comment"), 400, "The query is empty"),
        (_get("SELEC nothing"), 400, "not valid SPARQL"),
        (_get("CLEAR ALL"), 403, "cannot change data"),
        (_get(update="CLEAR ALL"), 403, "read-only"),
        (_get("ASK { " + "?s ?p ?o . " * 30 + "}"), 413, "limit of 200 bytes"),
        (_get("ASK {}", format="png"), 406, "not a format"),
        (ProtocolRequest("PUT", URL), 405, "GET and POST"),
        (ProtocolRequest("POST", URL, media_type="text/plain", body=b"ASK {}"), 415, "form"),
        (ProtocolRequest("POST", URL, content_length=10_000), 413, "longer than the limit"),
    ],
    ids=[
        "empty",
        "comment",
        "syntax",
        "update",
        "update form",
        "long",
        "format",
        "PUT",
        "media type",
        "long body",
    ],  # fmt: skip
)
def test_programs_are_refused_with_a_status_and_one_sentence(endpoint, request_, status, words):
    reply = answer(request_, endpoint)
    assert isinstance(reply, Refusal)
    assert reply.status == status and words in reply.message
    assert reply.message.endswith(".") and "\n" not in reply.message
    assert reply.headers["Access-Control-Allow-Origin"] == "*"


def test_people_see_the_query_page_with_the_error(endpoint):
    reply = answer(_get("SELECT * WHERE {", accept=BROWSER), endpoint)
    assert isinstance(reply, QueryPage)
    assert reply.status == 400 and "line 1" in reply.error
    assert reply.query == "SELECT * WHERE {"


def test_people_see_the_answer_as_a_table_on_the_page(endpoint):
    reply = answer(_get("SELECT ?s WHERE { ?s a cop:CommunityOfPurpose }", BROWSER), endpoint)
    assert isinstance(reply, QueryPage) and reply.status == 200 and reply.error is None
    assert len(reply.result["table"].rows) == 3 and reply.result["truncated"]
    assert [fmt.name for fmt in reply.formats] == ["json", "xml", "csv", "tsv"]


def test_without_a_query_people_get_the_page_and_programs_the_description(endpoint):
    page = answer(_get(accept=BROWSER, example="list_communities"), endpoint)
    assert isinstance(page, QueryPage) and "CommunityOfPurpose" in page.query
    description = answer(_get(accept="text/turtle"), endpoint)
    assert isinstance(description, Data) and description.media_type == "text/turtle"
    assert URL.encode() in description.body


def test_a_preflight_is_answered_for_other_sites(endpoint):
    reply = answer(ProtocolRequest("OPTIONS", URL), endpoint)
    assert isinstance(reply, Data) and reply.status == 204
    assert "POST" in reply.headers["Access-Control-Allow-Methods"]


def test_every_store_backend_answers_through_the_endpoint(store):
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS

    from cop_graph.store import Change

    data = Graph()
    data.add((URIRef("https://w3id.org/cop-graph/id/thing/a"), RDFS.label, Literal("Thing A")))
    store.commit(Change(put={URIRef("https://w3id.org/cop-graph/id/graph/things"): data}))
    runner = make_runner(store, timeout=10.0)
    try:
        endpoint = Endpoint(store, runner, Limits(query_timeout=10.0, result_limit=10))
        reply = answer(_get("SELECT ?label WHERE { ?thing rdfs:label ?label }"), endpoint)
        assert isinstance(reply, Data), reply
        body = json.loads(b"".join(reply.body))
        assert [row["label"]["value"] for row in body["results"]["bindings"]] == ["Thing A"]
    finally:
        runner.close()
