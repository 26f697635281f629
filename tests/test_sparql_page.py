"""The query page, the answer writers and the in-memory runner, through the Flask test client."""

from __future__ import annotations

import io
import re
import time

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib.query import Result

from cop_graph.cli import cli
from cop_graph.sparql.engine import Job
from cop_graph.sparql.results import Stopped, write_solutions
from cop_graph.sparql.runner import QueryTimeout, ThreadRunner
from cop_graph.sparql.spool import Spool


def _page(client, **params):
    response = client.get("/sparql", query_string=params, headers={"Accept": "text/html"})
    return response, response.get_data(as_text=True)


def test_page_offers_every_example_and_loads_one(client):
    response, html = _page(client, example="list_communities")
    assert response.status_code == 200
    assert len(re.findall(r'<option value="[a-z_]+"', html)) >= 20
    assert "cop:CommunityOfPurpose" in html and "PREFIX cop:" in html  # editor and prefixes


def test_page_has_no_inline_script(client):
    _, html = _page(client)
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "sparql.js" in html


def test_results_table_links_to_entity_pages_and_downloads(client):
    query = "SELECT ?place WHERE { BIND(<https://w3id.org/cop-graph/id/place/bolton> AS ?place) }"
    _, html = _page(client, query=query)
    assert 'href="/id/place/bolton"' in html
    for label in ("SPARQL JSON", "SPARQL XML", "CSV", "TSV"):
        assert f">{label}</a>" in html
    assert 'id="share-link"' in html and "query=SELECT" in html


def test_only_web_addresses_become_links(client):
    query = 'SELECT ?x WHERE { BIND(IRI("javascript:alert(1)") AS ?x) }'
    _, html = _page(client, query=query)
    assert "javascript:alert(1)" in html
    assert 'href="javascript:' not in html


def test_friendly_messages_for_errors_and_truncation(client, app):
    response, html = _page(client, query="SELECT * WHERE {")
    assert response.status_code == 400 and "could not be answered" in html
    _, html = _page(client, query="SELECT * WHERE { ?s ?p ?o }")
    assert "Only the first 1,000 rows are shown" in html


def test_ask_and_construct_on_the_page(client):
    _, html = _page(client, query="ASK { ?s ?p ?o }")
    assert '<p class="boolean">Yes</p>' in html
    _, html = _page(client, query="CONSTRUCT WHERE { ?s a cop:Locality } LIMIT 3")
    assert '<th scope="col">subject</th>' in html and ">Turtle</a>" in html


def test_examples_json_lists_every_example(client):
    data = client.get("/sparql/examples").get_json()
    assert data["ok"] and len(data["examples"]) >= 20
    assert {"name", "title", "description", "audience", "params", "query"} <= set(
        data["examples"][0]
    )


def test_cli_lists_examples():
    result = CliRunner().invoke(cli, ["examples", "--audience", "researchers"])
    assert result.exit_code == 0, result.output
    assert "examples/compare_practices_in_core20_areas" in result.output
    assert "coordinators)" not in result.output


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_written_answers_read_back_with_rdflib(fmt):
    terms = [
        [ox.NamedNode("https://example.org/a"), ox.Literal('tab\there, "quoted"\nnew line')],
        [ox.BlankNode("b0"), ox.Literal("chat", language="fr")],
        [ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), None],
    ]
    out = io.BytesIO()
    written = write_solutions(["x", "y"], terms, fmt, out, limit=2)
    assert (written.rows, written.truncated) == (2, True)
    rows = list(Result.parse(io.BytesIO(out.getvalue()), format=fmt))
    assert len(rows) == 2
    assert str(rows[0][0]) == "https://example.org/a"
    assert str(rows[0][1]) == 'tab\there, "quoted"\nnew line'


def test_spool_moves_to_a_file_past_its_threshold():
    spool = Spool(threshold=8)
    spool.write(b"12345")
    spool.write(b"67890")
    data, path = spool.finish()
    assert data is None
    with open(path, "rb") as answer:
        assert answer.read() == b"1234567890"
    spool.discard()


def test_thread_runner_answers_on_time_and_stops_at_the_next_row():
    stopped = []

    def slow(job, spool, should_stop):
        for _ in range(500):
            if should_stop():
                stopped.append(True)
                raise Stopped
            time.sleep(0.01)
        raise AssertionError("not stopped")

    runner = ThreadRunner(slow, timeout=0.2)
    with pytest.raises(QueryTimeout, match="0.2-second limit"):
        runner.run(Job("ASK {}", (), (), "json", 10))
    for _ in range(100):
        if stopped:
            break
        time.sleep(0.02)
    assert stopped == [True]
    runner.close()
