"""``cop-graph analyse``: the same answers as the library, as a table, CSV, JSON or a graph file."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from click.testing import CliRunner

from cop_graph.analysis.example import example_graph
from cop_graph.cli import cli
from cop_graph.namespaces import GRAPH
from cop_graph.store import Change
from cop_graph.store.oxigraph import OxigraphStore

ID = "https://w3id.org/cop-graph/id/"


@pytest.fixture
def run(tmp_path):
    path = tmp_path / "store"
    store = OxigraphStore(path)
    store.commit(Change(put={GRAPH.demo: example_graph()}))
    store.close()
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--store", str(path), "analyse", *args])

    return invoke


def test_without_a_name_lists_the_analyses(run):
    result = run()
    assert result.exit_code == 0, result.output
    assert "shared-practice: Which places share which practices" in result.output
    assert "resilience:" in result.output


def test_json_gives_the_whole_answer(run):
    result = run("shared-practice", "--level", "locality", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "pairs": [
            {
                "places": [ID + "place/bolton", ID + "place/wigan"],
                "labels": ["Bolton", "Wigan"],
                "practice": ID + "practice/health-walks",
                "practice_label": "Health walks",
                "communities": [
                    ID + "community/halliwell-striders",
                    ID + "community/wigan-walkers",
                ],
                "evidence": [
                    {
                        "community": ID + "community/halliwell-striders",
                        "label": "Halliwell Striders",
                        "places": [ID + "place/bolton"],
                    },
                    {
                        "community": ID + "community/wigan-walkers",
                        "label": "Wigan Walkers",
                        "places": [ID + "place/wigan"],
                    },
                ],
                "illustrative": False,
            }
        ]
    }


def test_csv_has_one_row_per_answer_and_names_resolve(run):
    result = run("paths", "--from", "Wigan Walkers", "--to", "Halliwell Striders", "--k", "2",
                 "--format", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [row["length"] for row in rows] == ["2", "2"]
    assert rows[0]["explanation"].startswith("Wigan Walkers ")


def test_table_for_people(run):
    result = run("roles")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["community", "roles_filled", "missing", "illustrative"]
    assert lines[2].startswith("Halliwell Striders")


def test_export_writes_a_graph_file(run, tmp_path):
    target = tmp_path / "places.graphml"
    result = run("shared-practice", "--level", "locality", "--export", "graphml", "-o", str(target))
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(target)
    assert sorted(graph.nodes[n]["label"] for n in graph) == ["Bolton", "Wigan"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bridges"], 'there is no analysis "bridges"'),
        (["roles", "--place", "Wigan"], '"roles" has no option place'),
        (["paths", "--from", "Nowhere", "--to", "Wigan"], 'nothing is called "Nowhere"'),
        (["shared-practice", "--level", "street"], 'there is no level "street"'),
    ],
)
def test_usage_errors_exit_2_with_one_sentence(run, args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
