"""The command line's answers to issue 15: an export that cannot write what was asked fails
and says why, names given for things become the things, and tables show names."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from cop_graph.cli import cli
from cop_graph.store.oxigraph import OxigraphStore

HEALTH_WALKS = "https://w3id.org/cop-graph/id/practice/health-walks"
SHARING = "examples/find_neighbourhoods_sharing_practice"


@pytest.fixture(scope="module")
def demo_store_path(demo_nquads, tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-fixes") / "store"
    store = OxigraphStore(path)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    store.close()
    return path


@pytest.fixture
def run(demo_store_path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--store", str(demo_store_path), *args])

    return invoke


# -- (1) an export with a missing argument ------------------------------------------------------


@pytest.mark.parametrize("export_format", ["graphml", "gexf", "csv"])
def test_analyse_export_without_a_name_fails_and_says_what_is_missing(run, export_format):
    result = run("analyse", "--export", export_format)
    assert result.exit_code == 2, result.output
    assert f"--export {export_format} needs the name of the analysis" in result.output
    assert "shared-practice" in result.output
    assert "<graphml" not in result.output


def test_analyse_output_without_a_name_fails_and_writes_no_file(run, tmp_path):
    out = tmp_path / "graph.graphml"
    result = run("analyse", "--export", "graphml", "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "needs the name of the analysis" in result.output
    assert not out.exists()


def test_analyse_export_without_a_format_is_a_usage_error(run):
    result = run("analyse", "shared-practice", "--export")
    assert result.exit_code == 2, result.output
    assert "requires an argument" in result.output


def test_analyse_export_with_a_name_still_writes_the_graph(run, tmp_path):
    out = tmp_path / "shared.graphml"
    result = run("analyse", "shared-practice", "--export", "graphml", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "<graphml" in out.read_text(encoding="utf-8")


def test_export_of_a_graph_that_is_not_there_fails_instead_of_writing_nothing(run):
    result = run("export", "--graph", "load/no-such-import")
    assert result.exit_code == 2, result.output
    assert "there is no graph" in result.output
    assert "load/no-such-import" in result.output


def test_the_analyses_are_still_listed_without_a_name(run):
    result = run("analyse")
    assert result.exit_code == 0, result.output
    assert "shared-practice:" in result.output


# -- (2) names given as parameters ---------------------------------------------------------------


@pytest.mark.parametrize("given", ["Health walks", "health WALKS", "health-walks", HEALTH_WALKS])
def test_a_practice_given_by_name_code_or_id_finds_what_its_iri_finds(run, given):
    by_iri = run("query", "--name", SHARING, "--param", f"practice={HEALTH_WALKS}")
    result = run("query", "--name", SHARING, "--param", f"practice={given}")
    assert result.exit_code == 0, result.output
    assert result.output == by_iri.output
    assert result.output.count("Health walks") > 1


def test_a_place_given_by_its_ons_code_is_found(run):
    result = run("query", "--name", "page_place_communities", "--param", "place=E08000010")
    assert result.exit_code == 0, result.output
    assert "Wigan social prescribing link workers' community" in result.output


def test_a_misspelt_name_fails_with_the_closest_names(run):
    result = run("query", "--name", SHARING, "--param", "practice=Helth walk")
    assert result.exit_code == 2, result.output
    assert 'no practice is called "Helth walk"; did you mean "Health walks"' in result.output


def test_a_name_of_the_wrong_kind_is_not_taken(run):
    # Wigan is a place, not a practice
    result = run("query", "--name", SHARING, "--param", "practice=Wigan")
    assert result.exit_code == 2, result.output
    assert 'no practice is called "Wigan"' in result.output


def test_a_name_matching_nothing_says_how_to_give_the_thing(run):
    result = run("query", "--name", SHARING, "--param", "practice=zzzzqqqq")
    assert result.exit_code == 2, result.output
    assert "give its name, code or IRI" in result.output


def test_parameters_that_want_no_thing_keep_their_text(run):
    result = run("query", "--name", "workbook_find_by_code", "--param", "code=U46071")
    assert result.exit_code == 0, result.output
    assert "Westhoughton Network PCN" in result.output


# -- (3) names, not addresses or fragments, in tables -------------------------------------------


def test_query_tables_show_names_with_the_address_beside_them(run):
    result = run("query", "SELECT ?l WHERE { ?l a cop:Locality } ORDER BY ?l")
    assert result.exit_code == 0, result.output
    header, _, first, *_ = result.output.splitlines()
    assert header.split() == ["l", "l_iri"]
    assert first.split() == ["Bolton", "https://w3id.org/cop-graph/id/place/bolton"]


def test_a_label_column_is_used_as_the_name(run):
    result = run("query", "--name", "page_place_communities", "--param", "place=Wigan")
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split()
    assert header == ["community", "community_iri", "where", "where_iri"]
    assert "Leigh South" in result.output


def test_csv_keeps_full_addresses_for_programs(run):
    result = run("query", "--format", "csv", "SELECT ?l WHERE { ?l a cop:Locality } ORDER BY ?l")
    assert result.output.splitlines()[1] == "https://w3id.org/cop-graph/id/place/bolton"


# -- an example question run without the parameters it needs ------------------------------------


def test_an_example_without_its_required_parameters_is_refused_not_answered(run):
    result = run("query", "--name", "examples/ask_practice_in_locality")
    assert result.exit_code == 2, result.output
    assert "needs --param practice=… --param locality=…" in result.output
    assert "yes" not in result.output.split()
    answered = run("query", "--name", "examples/ask_practice_in_locality",
                   "--param", "practice=Health walks", "--param", "locality=Bolton")  # fmt: skip
    assert answered.exit_code == 0 and answered.output.strip() in {"yes", "no"}


def test_gaps_take_a_locality_and_a_domain_on_the_command_line(run):
    result = run("analyse", "gaps", "--locality", "Wigan", "--format", "json")
    assert result.exit_code == 0, result.output
    everywhere = run("analyse", "gaps", "--format", "json")
    assert len(result.output) < len(everywhere.output)
    refused = run("analyse", "shared-practice", "--domain", "Physical activity")
    assert refused.exit_code == 2 and "takes" in refused.output
