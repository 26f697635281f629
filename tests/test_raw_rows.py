"""``Store.query_raw``: the same answers as ``Store.query``, in pyoxigraph's own terms.

Every example question is asked both ways on the demo data and on the golden graph in every
backend (the remote ones parse the server's answer), and the raw rows, turned into rdflib
terms, must be the rows ``Store.query`` gives. The command line writes CSV and JSON from raw
rows: its output must be what ``render_select`` writes from the rdflib answer.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from cop_graph import queries
from cop_graph.cli import cli
from cop_graph.errors import QueryError
from cop_graph.files.terms import to_rdflib
from cop_graph.namespaces import GRAPH, PREFIXES
from cop_graph.pages.downloads import DATASET_FILES, dataset_file
from cop_graph.pages.formatting import render_raw, render_select
from cop_graph.pages.public import PublicData
from cop_graph.scope import Scope
from cop_graph.store import Change, RawSolutions, RawTriples, SelectResult
from cop_graph.store.oxigraph import OxigraphStore

HERE = Path(__file__).parent / "examples"
EXAMPLES = [name.split("/", 1)[1] for name in queries.names("examples")]
ID = PREFIXES["id"]
#: parameters for the questions that need them, things that exist in the demo data
DEMO_PARAMS = {
    "ask_practice_in_locality": {"practice": "practice/health-walks", "locality": "place/bolton"},
    "describe_community": {"community": "community/bolton-health-walks-network"},
}


def _bindings(name: str) -> dict[str, URIRef]:
    return {key: URIRef(ID + value) for key, value in DEMO_PARAMS.get(name, {}).items()}


def _same_answer(store, name: str, bindings: dict) -> None:
    """Assert that the raw answer of example ``name``, converted, is the rdflib answer."""
    converted = queries.run(store, f"examples/{name}", **bindings)
    raw = queries.run(store, f"examples/{name}", raw=True, **bindings)
    if isinstance(converted, bool):
        assert raw is converted, name
    elif isinstance(converted, SelectResult):
        assert isinstance(raw, RawSolutions), name
        assert raw.variables == converted.variables, name
        rows = [tuple(to_rdflib(term) for term in solution) for solution in raw]
        # the same rows, as many times each (order may differ where the query gives none)
        assert Counter(rows) == Counter(converted.rows), name
    else:
        assert isinstance(raw, RawTriples), name
        triples = {tuple(to_rdflib(t) for t in (x.subject, x.predicate, x.object)) for x in raw}
        assert triples == set(converted), name
        assert triples, f"{name} built nothing"


@pytest.mark.parametrize("name", EXAMPLES)
def test_raw_rows_are_the_converted_rows_on_the_demo(name, demo_store):
    _same_answer(demo_store, name, _bindings(name))


@pytest.fixture(scope="module")
def golden_graph() -> Graph:
    return Graph().parse(HERE / "golden.ttl")


def test_raw_rows_are_the_converted_rows_in_every_backend(store, golden_graph):
    """Every example on the golden graph, in each backend (the remote ones parse the JSON
    results and N-Triples the server sends)."""
    store.commit(Change(put={GRAPH["golden"]: golden_graph}))
    params = json.loads((HERE / "params.json").read_text())
    for name in EXAMPLES:
        bindings = {}
        for key, value in params.get(name, {}).items():
            prefix, _, local = value.partition(":")
            bindings[key] = URIRef(PREFIXES[prefix] + local)
        _same_answer(store, name, bindings)


def test_a_raw_answer_is_read_once_and_says_so(demo_store):
    answer = demo_store.query_raw("SELECT ?s WHERE { ?s a cop:Locality }")
    assert len(list(answer)) == 10
    with pytest.raises(QueryError, match="read already"):
        list(answer)


def test_raw_answers_write_themselves_with_pyoxigraphs_serialisers(demo_store):
    text = "SELECT ?l ?name WHERE { ?l a cop:Locality ; rdfs:label ?name }"
    written = demo_store.query_raw(text).serialize(ox.QueryResultsFormat.JSON)
    parsed = json.loads(written)
    assert parsed["head"]["vars"] == ["l", "name"]
    assert len(parsed["results"]["bindings"]) == len(demo_store.query(text))

    construct = "CONSTRUCT { ?l a cop:Locality } WHERE { ?l a cop:Locality }"
    turtle = demo_store.query_raw(construct).serialize(ox.RdfFormat.TURTLE, PREFIXES)
    assert b"@prefix cop:" in turtle
    assert set(Graph().parse(data=turtle, format="turtle")) == set(demo_store.query(construct))


def test_a_bad_query_gives_a_plain_error_on_the_raw_path(demo_store):
    with pytest.raises(QueryError, match="not valid SPARQL"):
        demo_store.query_raw("SELECT WHERE {")


def test_raw_csv_and_json_are_written_as_from_rdflib_terms(demo_store):
    """Literals of every kind (numbers, dates, booleans, language-tagged text), IRIs and
    unbound values write the same from raw rows as from rdflib's terms."""
    text = """SELECT ?s ?o ?missing WHERE {
        ?s ?p ?o OPTIONAL { ?s cop:noSuchProperty ?missing }
        FILTER (isLiteral(?o) || isBlank(?o))
    } ORDER BY ?s ?p ?o"""
    expected = demo_store.query(text)
    kinds = {
        getattr(row[1], "datatype", None) or getattr(row[1], "language", None)
        for row in expected.rows
    }
    assert len(kinds) > 3, "the demo data should hold literals of several datatypes"
    for fmt in ("csv", "json"):
        assert render_raw(demo_store.query_raw(text), fmt) == render_select(expected, fmt)


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_cli_query_writes_each_example_as_before(name, fmt, demo_store, monkeypatch):
    """``cop-graph query --name examples/…`` writes what the rdflib answer would have."""
    bindings = _bindings(name)
    args = ["query", "--name", f"examples/{name}", "--format", fmt]
    for key, value in bindings.items():
        args += ["--param", f"{key}=<{value}>"]
    output = _invoke(demo_store, monkeypatch, *args)
    answer = queries.run(demo_store, f"examples/{name}", **bindings)
    if isinstance(answer, SelectResult):
        assert output == render_select(answer, fmt) + "\n"
    elif isinstance(answer, bool):
        assert output == ("yes\n" if answer else "no\n")
    else:
        assert set(Graph().parse(data=output, format="turtle")) == set(answer)


@pytest.mark.parametrize("name", list(DATASET_FILES))
def test_the_dataset_downloads_hold_what_rdflib_terms_would_have_written(name, demo_store):
    """The whole-dataset files, now written from raw rows, hold the facts they held when
    every fact went through rdflib's terms (which rewrote some literals into a canonical
    form, ``…Z`` as ``…+00:00``: the files now keep them as the data gives them)."""
    rows = queries.run(demo_store, "list_public_quads", scope=Scope.public(demo_store)).rows
    before = Counter(rows)
    written = gzip.decompress(dataset_file(demo_store, name))
    parsed = ox.parse(written, DATASET_FILES[name][0])
    after = Counter(
        tuple(to_rdflib(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
        for q in parsed
    )
    assert before and after == before


@pytest.mark.parametrize(
    "name",
    [
        "page_illustrative_things",
        "search_things",
        "search_people_consent",
        "search_localities",
        "search_names",
        "list_community_facets",
        "list_community_steps",
        "list_community_counts",
    ],
)
def test_pages_read_as_text_what_they_read_as_rdflib_terms(name, demo_store):
    """The page readers moved to raw rows see each value's text as ``str()`` of the rdflib
    term gave it, and the same unbound values left out."""
    data = PublicData(demo_store)
    expected = [{key: str(value) for key, value in row.items()} for row in data.rows(name)]
    got = data.text_rows(name)
    assert got, f"{name} found nothing in the demo data"
    assert Counter(map(_frozen, got)) == Counter(map(_frozen, expected))


def _frozen(row: dict) -> frozenset:
    return frozenset(row.items())


def test_a_finished_raw_answer_lets_go_of_the_store(tmp_path):
    """An answer kept after it was read (in a traceback, say) must not hold an on-disk
    store's lock once the store is closed: the next command could not open it."""
    first = OxigraphStore(tmp_path / "store")
    answer = first.query_raw("SELECT ?g WHERE { GRAPH ?g {} }")
    assert list(answer) == []
    first.close()
    OxigraphStore(tmp_path / "store").close()  # would raise StoreInUse
    assert answer.variables == ["g"]


def _invoke(store, monkeypatch, *args: str):
    import cop_graph.cli.context as context

    monkeypatch.setattr(context.Context, "store", property(lambda self: store))
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_query_writes_sparql_tsv_and_ntriples(demo_store, monkeypatch):
    """The formats pyoxigraph writes itself: TSV for SELECT, N-Triples for CONSTRUCT."""
    name = "examples/list_public_people_and_roles"
    written = _invoke(demo_store, monkeypatch, "query", "--name", name, "--format", "tsv")
    parsed = ox.parse_query_results(written.encode("utf-8"), ox.QueryResultsFormat.TSV)
    rows = [tuple(to_rdflib(term) for term in row) for row in parsed]
    expected = queries.run(demo_store, name)
    assert rows and Counter(rows) == Counter(expected.rows)

    name = "examples/construct_practice_network"
    written = _invoke(demo_store, monkeypatch, "query", "--name", name, "--format", "ntriples")
    graph = Graph().parse(data=written, format="nt")
    assert len(graph) and set(graph) == set(queries.run(demo_store, name))
