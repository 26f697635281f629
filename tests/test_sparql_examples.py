"""Every example query: its metadata, its golden answer on a tiny graph, and a run on the demo.

The golden graph (``tests/examples/golden.ttl``) is small enough to work each answer out by
hand; ``tests/examples/README.md`` says how. Every store gives the same golden answers,
Virtuoso included, and on the demo data Virtuoso gives the embedded store's answers. Answers
are compared as sets of rows (lists inside ``GROUP_CONCAT`` cells are compared as sets too,
since their order is not defined).
Set ``COP_GRAPH_WRITE_GOLDEN=1`` to rewrite the expected files after a deliberate change,
then read every diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import requests
from rdflib import Graph, Literal, URIRef

from cop_graph import queries
from cop_graph.namespaces import GRAPH, PREFIXES
from cop_graph.store import Change, SelectResult

HERE = Path(__file__).parent / "examples"
EXAMPLES = [name.split("/", 1)[1] for name in queries.names("examples")]
PARAMS = json.loads((HERE / "params.json").read_text())


def _term(text: str):
    prefix, _, local = text.partition(":")
    return URIRef(PREFIXES[prefix] + local) if prefix in PREFIXES else Literal(text)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return ", ".join(sorted(text.split(", "))) if ", " in text else text


def _lines(result) -> list[str]:
    """An answer as sorted text lines: CSV-like rows, N-Triples, or true/false."""
    if isinstance(result, bool):
        return [str(result).lower()]
    if isinstance(result, SelectResult):
        header = ",".join(result.variables)
        return [header] + sorted("|".join(_cell(v) for v in row) for row in result.rows)
    return sorted(line for line in result.serialize(format="nt").splitlines() if line)


#: parameters for the run on the demo data, where the golden graph's things do not exist
DEMO_PARAMS = {
    "ask_practice_in_locality": {
        "practice": "id:practice/health-walks",
        "locality": "id:place/bolton",
    },
    "describe_community": {"community": "id:community/bolton-health-walks-network"},
}


def _run(store, name: str, params: dict = PARAMS):
    bindings = {key: _term(value) for key, value in params.get(name, {}).items()}
    return queries.run(store, f"examples/{name}", **bindings)


def test_there_are_at_least_twenty_examples():
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_has_metadata_and_declares_its_prefixes(name):
    query = queries.get(f"examples/{name}")
    assert query.title and query.description, name
    assert query.audience in ("coordinators", "researchers"), name
    # a researcher copies the query into another tool: every prefix it uses must be declared
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    body = re.sub(r'<[^>]*>|"[^"]*"', "", body)
    for prefix in re.findall(r"(?<![\w?$])([a-z]+):\w", body):
        assert f"PREFIX {prefix}:" in query.text, f"{name} uses {prefix}: without declaring it"


@pytest.fixture(scope="module")
def golden_graph() -> Graph:
    return Graph().parse(HERE / "golden.ttl")


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_gives_the_golden_answer(name, store, golden_graph):
    store.commit(Change(put={GRAPH["golden"]: golden_graph}))
    got = _lines(_run(store, name))
    expected_file = HERE / "expected" / f"{name}.txt"
    if os.environ.get("COP_GRAPH_WRITE_GOLDEN"):
        expected_file.write_text("\n".join(got) + "\n")
    assert got == expected_file.read_text().splitlines()


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_runs_on_the_demo_data(name, demo_store):
    result = _run(demo_store, name, DEMO_PARAMS)
    if isinstance(result, SelectResult):
        assert result.rows, f"{name} found nothing in the demo data"
    elif isinstance(result, bool):
        assert result is True
    else:
        assert len(result) > 0, f"{name} built an empty graph from the demo data"


# -- on Virtuoso ---------------------------------------------------------------------------


@pytest.mark.remote
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_gives_the_golden_answer_on_virtuoso(name, virtuoso_data, golden_graph):
    store = virtuoso_data.holding("golden", lambda: {GRAPH["golden"]: golden_graph})
    expected = (HERE / "expected" / f"{name}.txt").read_text().splitlines()
    assert _lines(_run(store, name)) == expected


@pytest.mark.remote
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_gives_the_embedded_stores_answer_on_virtuoso(
    name, virtuoso_data, demo_graphs, demo_store
):
    store = virtuoso_data.holding("demo", lambda: demo_graphs)
    assert _lines(_run(store, name, DEMO_PARAMS)) == _lines(_run(demo_store, name, DEMO_PARAMS))


#: facts in a graph outside the project's that would change the answer of
#: find_pcn_areas_without_chapter if the question saw them: a network adding rows, and a
#: community covering South PCN's gap in Prevention
OUTSIDE = b"""@prefix cop: <https://w3id.org/cop-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/pcn> a cop:PrimaryCareNetwork ; rdfs:label "Outside PCN" ;
  cop:servesPlace <https://w3id.org/cop-graph/id/place/bury> .
<https://example.org/community> a cop:CommunityOfPurpose ;
  cop:alignsWithChapter cop:Prevention ;
  cop:operatesIn <https://w3id.org/cop-graph/id/place/bury-c> .
"""


@pytest.mark.remote
def test_a_graph_outside_the_project_stays_out_of_a_question_on_virtuoso(
    virtuoso_data, golden_graph
):
    # Virtuoso's default graph holds every graph; the question is given the project's only
    # (and its path written as Virtuoso walks it right: see cop_graph.store.transitive_paths)
    name = "find_pcn_areas_without_chapter"
    store = virtuoso_data.holding("golden", lambda: {GRAPH["golden"]: golden_graph})
    outside = "https://example.org/graph/outside"
    server = virtuoso_data.server
    sent = requests.post(
        f"{server.base_url}/sparql-graph-crud",
        params={"graph": outside},
        data=OUTSIDE,
        headers={"Content-Type": "text/turtle"},
        timeout=30,
    )
    try:
        sent.raise_for_status()
        expected = (HERE / "expected" / f"{name}.txt").read_text().splitlines()
        assert _lines(_run(store, name)) == expected
    finally:
        requests.post(
            server.query_url,
            data=f"DROP SILENT GRAPH <{outside}>".encode(),
            headers={"Content-Type": "application/sparql-update"},
            timeout=30,
        ).raise_for_status()
