"""The command line: exit codes, messages, and the issue's acceptance queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from cop_graph.cli import cli

DATA = Path(__file__).parent / "data"


@pytest.fixture
def run(seeded_store_path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--store", str(seeded_store_path), *args])

    return invoke


def triples(run) -> int:
    result = run("stats", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["triples"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("cop:Locality", 10),
        ("cop:Ward", 215),
        ("cop:PrimaryCareNetwork", 65),
        ("cop:GPPractice", 406),
    ],
)
def test_reference_counts(run, kind, expected):
    result = run("query", f"SELECT (COUNT(*) AS ?n) WHERE {{ ?l a {kind} }}")
    assert result.exit_code == 0, result.output
    assert result.output.split()[-1] == str(expected)


def test_community_without_domain_exits_1_names_it_and_changes_nothing(run):
    before = triples(run)
    result = run("load", str(DATA / "community-no-domain.ttl"))
    assert result.exit_code == 1, result.output
    assert "Test Walking Group" in result.output
    assert "domain" in result.output.lower()
    assert triples(run) == before


def test_syntax_error_exits_2_with_file_line_and_cause(run):
    before = triples(run)
    result = run("load", str(DATA / "syntax-error.ttl"))
    assert result.exit_code == 2, result.output
    assert "syntax-error.ttl line 8" in result.output
    assert "syntax error" in result.output
    assert triples(run) == before


def test_load_then_graphs_then_drop(run):
    loaded = run("load", str(DATA / "community-valid.ttl"), "--who", "tester")
    assert loaded.exit_code == 0, loaded.output
    assert "kept private" in loaded.output
    listing = run("graphs", "--format", "json")
    names = [g["graph"] for g in json.loads(listing.output)]
    assert any(name.endswith("/load/community-valid") for name in names)
    dropped = run("drop", "load/community-valid")
    assert dropped.exit_code == 0, dropped.output
    names = [g["graph"] for g in json.loads(run("graphs", "--format", "json").output)]
    assert not any("community-valid" in name for name in names)


def test_drop_unknown_graph_is_a_usage_error(run):
    result = run("drop", "load/never-loaded")
    assert result.exit_code == 2
    assert "there is no graph" in result.output


def test_query_needs_exactly_one_source(run):
    result = run("query")
    assert result.exit_code == 2
    assert "exactly one" in result.output


def test_malformed_query_exits_2_with_the_parser_message(run):
    result = run("query", "SELECT WHERE {")
    assert result.exit_code == 2
    assert "not valid SPARQL" in result.output


def test_query_formats_and_named_query_with_parameter(run):
    as_csv = run("query", "--format", "csv", "SELECT ?l WHERE { ?l a cop:Locality } ORDER BY ?l")
    assert as_csv.output.splitlines()[1] == "https://w3id.org/cop-graph/id/place/bolton"
    as_json = run("query", "--format", "json", "SELECT (COUNT(*) AS ?n) WHERE { ?l a cop:Ward }")
    assert json.loads(as_json.output) == [{"n": 215}]
    construct = run("query", "CONSTRUCT { ?l a cop:Locality } WHERE { ?l a cop:Locality }")
    assert len(Graph().parse(data=construct.output, format="turtle")) == 10


def test_validate_files_without_saving(run):
    before = triples(run)
    good = run("validate", str(DATA / "community-valid.ttl"))
    assert good.exit_code == 0, good.output
    bad = run("validate", "--format", "json", str(DATA / "community-no-domain.ttl"))
    assert bad.exit_code == 1
    report = json.loads(bad.output)
    assert report["conforms"] is False
    assert triples(run) == before


def test_export_is_public_only_unless_asked(run, tmp_path):
    run("load", str(DATA / "community-valid.ttl"))
    out = tmp_path / "public.nq"
    assert run("export", "--format", "nq", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "Ada Publicperson" in text
    assert "Bea Privateperson" not in text
    assert "ada@example.org" not in text
    everything = tmp_path / "all.trig"
    assert (
        run("export", "--format", "trig", "--include-private", "-o", str(everything)).exit_code == 0
    )
    assert "Bea Privateperson" in everything.read_text(encoding="utf-8")


def test_stats_counts_things(run):
    result = run("stats", "--format", "json")
    counts = json.loads(result.output)["counts"]
    assert counts["places"] >= 1 + 10 + 215
    assert counts["organisations"] >= 65 + 406


def test_help_on_every_command(run):
    for command in (
        "init",
        "load",
        "validate",
        "query",
        "export",
        "graphs",
        "drop",
        "stats",
        "serve",
    ):
        result = run(command, "--help")
        assert result.exit_code == 0, command
        assert "Usage:" in result.output
