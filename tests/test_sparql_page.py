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


# -- plain-English errors, example parameters, the editor's vocabulary ----------------------


def _json(client, **params):
    return client.get("/sparql", query_string=params, headers={"Accept": "application/json"})


def test_an_unknown_prefix_names_the_prefix_the_line_to_add_and_where(client):
    query = (
        "PREFIX cop: <https://w3id.org/cop-graph/ontology#>\nSELECT * WHERE {\n"
        "  ?s a void:Dataset }"
    )
    response = _json(client, query=query)
    assert response.status_code == 400
    assert response.get_json()["error"] == (
        'The prefix "void:" on line 3 is not declared. Add this line at line 2, after the '
        "other PREFIX lines: PREFIX void: <http://rdfs.org/ns/void#>"
    )
    _, html = _page(client, query=query)
    assert "PREFIX void: &lt;http://rdfs.org/ns/void#&gt;" in html
    assert "expected one of" not in html  # never the parser's dump


def test_a_prefix_nobody_knows_is_named_with_how_to_declare_it(client):
    response = client.post("/sparql", data={"query": "ASK { ?s a zz:Thing }"})
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert message.startswith('The prefix "zz:" on line 1 is not declared, and this site does not')
    assert "line 1, before the query" in message


def test_prefixes_in_strings_iris_and_comments_are_not_prefixes(client):
    query = 'SELECT * WHERE { ?s ?p "zz:not" } # yy:comment\nLIMIT 1'
    assert _json(client, query=query).status_code == 200


def test_an_example_run_without_its_parameters_says_which_are_missing(client):
    from cop_graph import queries

    text = queries.get("examples/ask_practice_in_locality").text
    response = _json(client, query=text)  # the example's text, as it stands
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert "needs the parameters practice" in message and "locality" in message
    response = _json(
        client, query=text, example="ask_practice_in_locality", locality="id:place/bolton"
    )
    assert response.status_code == 400
    assert "needs the parameter practice," in response.get_json()["error"]
    # and on the page: the message and the fields to fill in, keeping what was given
    response, html = _page(
        client, query=text, example="ask_practice_in_locality", locality="id:place/bolton"
    )
    assert response.status_code == 400 and "needs the parameter practice" in html
    assert 'name="practice"' in html and 'value="id:place/bolton"' in html


def test_a_rewritten_example_is_the_visitors_own_question(client):
    from cop_graph import queries

    text = queries.get("examples/ask_practice_in_locality").text
    spaced = text.replace("ASK {", "ASK\n  {")  # spacing alone changes nothing
    assert _json(client, query=spaced).status_code == 400
    rewritten = text.replace("?locality .", "?locality . ?locality a cop:Locality .")
    asked = {"query": rewritten, "example": "ask_practice_in_locality"}
    assert _json(client, **asked).status_code == 200
    bound = _json(client, **asked, practice="id:practice/no-such-practice")
    assert bound.status_code == 200 and bound.get_json()["boolean"] is False


def test_the_page_shows_an_examples_parameters_as_fields_without_javascript(client):
    _, html = _page(client, example="ask_practice_in_locality")
    assert (
        '<input type="hidden" id="example-name" name="example" value="ask_practice_in_locality"'
        in html
    )
    assert 'for="param-practice">practice (required)</label>' in html
    assert 'id="param-locality" name="locality"' in html
    _, html = _page(client)
    assert 'id="example-parameters" class="parameters" hidden' in html


def test_an_example_with_its_parameters_answers_the_question_asked(client):
    from cop_graph import queries

    text = queries.get("examples/ask_practice_in_locality").text
    asked = {"query": text, "example": "ask_practice_in_locality"}
    yes = _json(client, **asked, practice="id:practice/health-walks", locality="id:place/bolton")
    assert yes.status_code == 200 and yes.get_json()["boolean"] is True
    no = _json(client, **asked, practice="id:practice/health-walks", locality="id:place/nowhere")
    assert no.status_code == 200 and no.get_json()["boolean"] is False
    wrong = _json(client, **asked, practice="Health walks", locality="id:place/bolton")
    assert wrong.status_code == 400
    assert '"Health walks" is not an IRI' in wrong.get_json()["error"]
    _, html = _page(
        client, **asked, practice="id:practice/health-walks", locality="id:place/bolton"
    )
    assert '<p class="boolean">Yes</p>' in html
    assert "practice=id" in html and "example=ask_practice_in_locality" in html  # share link


def test_optional_parameters_may_be_left_out(client):
    from cop_graph import queries

    text = queries.get("examples/count_members_by_role").text
    assert _json(client, query=text).status_code == 200
    examples = client.get("/sparql/examples").get_json()["examples"]
    by_name = {e["name"]: e for e in examples}
    assert by_name["ask_practice_in_locality"]["required"] == ["practice", "locality"]
    assert by_name["count_members_by_role"]["required"] == []


def test_editor_terms_list_ontology_classes_and_properties_with_labels(client):
    data = client.get("/sparql/terms").get_json()
    assert data["prefixes"]["cop"] == "https://w3id.org/cop-graph/ontology#"
    terms = {(t["prefix"], t["local"]): t for t in data["terms"]}
    assert terms["cop", "CommunityOfPurpose"]["kind"] == "class"
    assert terms["cop", "CommunityOfPurpose"]["label"]
    assert terms["cop", "sharesPractice"]["kind"] == "property"
    assert ("rdfs", "label") in terms


def test_page_allows_the_editor_styles_by_nonce_only(client):
    from cop_graph.web import CONTENT_SECURITY_POLICY

    response, html = _page(client)
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([\w-]+)'", policy).group(1)
    assert policy.replace(f" 'nonce-{nonce}'", "") == CONTENT_SECURITY_POLICY
    assert f'data-nonce="{nonce}"' in html
    other, _ = _page(client)
    assert nonce not in other.headers["Content-Security-Policy"]  # a new one every time
    assert "nonce" not in client.get("/ontology").headers["Content-Security-Policy"]


def test_answer_naming_places_gets_the_map(client):
    place = "<https://w3id.org/cop-graph/id/place/{}>".format
    query = f"SELECT ?place WHERE {{ VALUES ?place {{ {place('bolton')} {place('wigan')} }} }}"
    _, html = _page(client, query=query)
    assert 'id="result-map"' in html and 'class="gm-map"' in html
    _, html = _page(client, query="SELECT ?x WHERE { BIND(1 AS ?x) }")
    assert 'id="result-map"' not in html
