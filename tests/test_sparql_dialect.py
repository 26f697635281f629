"""Query text rewritten for an engine that reads less of SPARQL must mean the same: each
rewrite is run on the embedded store beside the query as written, and the answers compared."""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import RDFS

from cop_graph.namespaces import COP, GRAPH, ID, PREFIXES
from cop_graph.store import Change
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.store.sparql_dialect import (
    query_form,
    with_full_names,
    with_lower_case_languages,
    with_where_group,
)
from cop_graph.store.sparql_text import with_bindings

TEA = ID["community/tea"]
GARDEN = ID["community/garden"]
WIGAN = ID["place/wigan"]
TRIPLES = [
    (TEA, RDFS.label, Literal("Tea club", lang="en-GB")),
    (TEA, COP.operatesIn, WIGAN),
    (GARDEN, COP.operatesIn, ID["place/bury"]),
    (WIGAN, RDFS.label, Literal("Wigan")),
]


@pytest.fixture(scope="module")
def embedded():
    store = OxigraphStore(None)
    store.commit(Change(put={GRAPH["test"]: TRIPLES}))
    yield store
    store.close()


def answer(store, query, bindings=None):
    result = store.query(query, bindings)
    if hasattr(result, "variables"):
        return sorted(result.rows, key=repr)
    return set(result) if not isinstance(result, bool) else result


GROUPLESS = [
    pytest.param("CONSTRUCT WHERE { ?c cop:operatesIn ?place }", {"place": WIGAN}, id="construct"),
    pytest.param(
        "# CONSTRUCT WHERE { in a comment\nCONSTRUCT WHERE { ?c cop:operatesIn ?place ; "
        'rdfs:label "{ tea }" }',
        {"place": WIGAN},
        id="construct-braces-in-comment-and-string",
    ),
    pytest.param("DESCRIBE ?c", {"c": TEA}, id="describe"),
    pytest.param("DESCRIBE ?c ?place LIMIT 5", {"c": TEA, "place": WIGAN}, id="describe-limit"),
    pytest.param(
        "DESCRIBE ?c FROM <https://w3id.org/cop-graph/id/graph/test>",
        {"c": TEA},
        id="describe-from",
    ),
]


@pytest.mark.parametrize(("query", "bindings"), GROUPLESS)
def test_a_where_group_takes_the_values_and_keeps_the_answer(embedded, query, bindings):
    rewritten = with_bindings(with_where_group(query), bindings)
    last_brace = rewritten.rfind("}")
    assert "VALUES" in rewritten[:last_brace]
    assert "VALUES" not in rewritten[last_brace:], "the values must be inside a group"
    assert answer(embedded, rewritten) == answer(embedded, query, bindings)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?c WHERE { ?c ?p ?o }",
        "CONSTRUCT { ?c ?p ?o } WHERE { ?c ?p ?o }",
        "DESCRIBE ?c WHERE { ?c ?p ?o }",
        "DESCRIBE ?c { ?c ?p ?o }",
        "ASK { ?c ?p ?o }",
    ],
)
def test_queries_with_a_where_group_are_left_alone(query):
    assert with_where_group(query) == query


ESCAPED = [
    "SELECT ?c WHERE { ?c cop:operatesIn id:place\\/wigan }",
    "PREFIX id: <https://w3id.org/cop-graph/id/place> SELECT ?c WHERE { ?c ?p id:\\/wigan }",
    "PREFIX p: <https://w3id.org/cop-graph/id/> SELECT ?c WHERE { ?c ?p p:place\\/wigan }",
]


@pytest.mark.parametrize("query", ESCAPED)
def test_escaped_names_are_written_as_the_iris_they_stand_for(embedded, query):
    full = with_full_names(query, PREFIXES)
    assert "\\" not in full.split("SELECT", 1)[1]
    assert answer(embedded, full) == answer(embedded, query) == [(TEA,)]


def test_full_names_leave_strings_undeclared_prefixes_and_plain_names_alone():
    query = 'SELECT ?c WHERE { ?c rdfs:label "id:place\\\\/wigan" ; nope:a\\/b ?x ; cop:x ?y }'
    assert with_full_names(query, PREFIXES) == query


def test_language_tags_are_sent_in_lower_case_with_the_same_answers(embedded):
    query = 'SELECT ?c (LANG(?n) AS ?tag) WHERE { ?c rdfs:label ?n FILTER(?n = "Tea club"@EN-gb) }'
    lowered = with_lower_case_languages(query)
    assert '"Tea club"@en-gb' in lowered
    assert answer(embedded, lowered) == answer(embedded, query)
    assert answer(embedded, query) == [(TEA, Literal("en-gb"))]


def test_text_that_only_looks_like_a_language_tag_is_left_alone():
    query = "SELECT ?c WHERE { ?c ?p \"x\" } # 'y'@EN\nLIMIT 1 # <http://a.org/@EN>"
    assert with_lower_case_languages(query) == query


def test_the_form_of_a_query_is_its_first_form_keyword_outside_strings_and_comments():
    assert query_form('# DESCRIBE\nSELECT ("ASK" AS ?x) WHERE {}') == "SELECT"
    assert query_form("describe <https://example.org/a>") == "DESCRIBE"
    assert query_form("INSERT DATA {}") is None
