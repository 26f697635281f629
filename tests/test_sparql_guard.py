"""The query guard: what it refuses, how it reads FROM, and that parsing is safe under threads."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cop_graph.namespaces import PREFIXES
from cop_graph.sparql.dataset import choose
from cop_graph.sparql.guard import MalformedQuery, RefusedQuery, inspect

TARGET = "<http://127.0.0.1:9/sparql>"


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * WHERE {{ SERVICE {TARGET} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERV\\u0049CE {TARGET} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE {TARGET} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service silent {TARGET} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE {TARGET} {{ ?s ?p ?o }} }} }}",
        f"ASK {{ GRAPH ?g {{ SERVICE ?where {{ ?s ?p ?o }} }} VALUES ?where {{ {TARGET} }} }}",
        "CONSTRUCT { ?s ?p ?o } "
        f"WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE {TARGET} {{ ?s ?p ?o }} }} }}",
        f"DESCRIBE ?s WHERE {{ FILTER NOT EXISTS {{ SERVICE {TARGET} {{ ?s ?p ?o }} }} }}",
    ],
)
def test_service_is_refused_however_written(query):
    with pytest.raises(RefusedQuery, match="SERVICE is not allowed"):
        inspect(query, PREFIXES)


@pytest.mark.parametrize(
    "update",
    [
        f"LOAD {TARGET}",
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "CLEAR ALL",
        "DROP GRAPH <https://w3id.org/cop-graph/id/graph/demo>",
        "DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_as_forbidden(update):
    with pytest.raises(RefusedQuery, match="cannot change data") as refused:
        inspect(update, PREFIXES)
    assert refused.value.status == 403


def test_malformed_query_gives_the_parsers_line_and_column():
    with pytest.raises(MalformedQuery, match=r"line 2, column \d+"):
        inspect("SELECT *\nWHERE { ?s ?p }", PREFIXES)


def test_undeclared_prefix_in_from_is_malformed():
    with pytest.raises(MalformedQuery, match='"nope:"'):
        inspect("SELECT * FROM nope:g WHERE { ?s ?p ?o }", PREFIXES)


def test_from_is_read_with_prefixes_and_base():
    inspection = inspect(
        "BASE <https://w3id.org/cop-graph/id/graph/> PREFIX g: <https://example.org/> "
        "SELECT * FROM <demo> FROM NAMED g:x FROM NAMED cop:g WHERE { ?s ?p ?o }",
        PREFIXES,
    )
    assert inspection.form == "SELECT"
    assert inspection.from_graphs == ("https://w3id.org/cop-graph/id/graph/demo",)
    assert inspection.from_named == (
        "https://example.org/x",
        "https://w3id.org/cop-graph/ontology#g",
    )


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("ASK {}", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <x:y>", "DESCRIBE"),
    ],
)
def test_the_form_of_the_query_is_known(query, form):
    assert inspect(query, PREFIXES).form == form


PUBLIC = ["https://example.org/a", "https://example.org/b"]


def test_dataset_defaults_to_all_public_graphs():
    dataset = choose(inspect("ASK {}"), PUBLIC)
    assert dataset.default_graph == tuple(PUBLIC) and dataset.named_graphs == tuple(PUBLIC)


def test_dataset_follows_from_and_from_named():
    query = "SELECT * FROM <https://example.org/a> FROM NAMED <https://example.org/b> {}"
    dataset = choose(inspect(query), PUBLIC)
    assert dataset.default_graph == (PUBLIC[0],) and dataset.named_graphs == (PUBLIC[1],)


def test_protocol_dataset_wins_over_from_and_drops_unknown_graphs():
    query = "SELECT * FROM <https://example.org/a> {}"
    dataset = choose(inspect(query), PUBLIC, [PUBLIC[1], "file:///etc/passwd"], [])
    assert dataset.default_graph == (PUBLIC[1],) and dataset.named_graphs == ()


@pytest.mark.parametrize(
    "iri", ["https://example.org/a/private", "file:///etc/passwd", "http://127.0.0.1:9/"]
)
def test_from_a_graph_that_is_not_public_is_refused(iri):
    with pytest.raises(RefusedQuery, match="not one of this endpoint's public graphs"):
        choose(inspect(f"SELECT * FROM NAMED <{iri}> {{}}"), PUBLIC)


COLD_START = """
import threading
from cop_graph.sparql.guard import inspect
errors = []
barrier = threading.Barrier(16)
def parse(n):
    barrier.wait()
    try:
        for k in range(5):
            query = f"SELECT ?x{n}_{k} WHERE {{ ?x{n}_{k} ?p {n} }} LIMIT {k + 1}"
            assert inspect(query).form == "SELECT"
    except Exception as error:
        errors.append(repr(error))
threads = [threading.Thread(target=parse, args=(n,)) for n in range(16)]
for t in threads: t.start()
for t in threads: t.join()
print(len(errors), errors[:1])
"""


def test_concurrent_first_parses_all_succeed():
    # a fresh interpreter, so the grammar has never been used: the case rdflib #1282 breaks
    done = subprocess.run(
        [sys.executable, "-c", COLD_START], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.startswith("0 "), done.stdout + done.stderr
