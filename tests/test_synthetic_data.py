"""The benchmarks' invented data passes the project's own data rules and is marked invented.

The load benchmark times ``cop-graph load`` with the rules, the path users take; that only
measures something if the generated data is accepted, as real data would be. A small set
(two communities, a few hundred facts) is checked by the same validation the loader runs,
then loaded through the command line itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from cop_graph.cli import cli
from cop_graph.ingest.load import check_files
from cop_graph.namespaces import COP, RDF

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import synthetic_triples  # noqa: E402

WARD_QUERY = "SELECT ?ward WHERE { ?ward a cop:Ward } ORDER BY ?ward"


@pytest.fixture
def synthetic_file(seeded_store, tmp_path) -> Path:
    """Two invented communities in real wards, with a small practice pool, as N-Triples."""
    wards = [URIRef(str(row[0])) for row in seeded_store.query(WARD_QUERY)]
    graph = Graph()
    for triple in synthetic_triples(wards, communities=2, practices=5):
        graph.add(triple)
    assert 500 < len(graph) < 1500
    path = tmp_path / "synthetic.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    return path


def test_synthetic_data_has_no_violations(seeded_store, synthetic_file):
    labels, report = check_files(seeded_store, [synthetic_file])
    assert report.violations == [], "\n".join(report.lines(labels)[:20])


def test_every_invented_thing_is_marked_illustrative(synthetic_file):
    graph = Graph().parse(synthetic_file, format="nt")
    invented = set(graph.subjects(RDF.type, None))
    unmarked = [s for s in invented if (s, COP.illustrative, Literal(True)) not in graph]
    assert invented and unmarked == []


def test_cop_graph_load_accepts_synthetic_data(seeded_store_path, synthetic_file):
    result = CliRunner().invoke(
        cli, ["--store", str(seeded_store_path), "load", str(synthetic_file)]
    )
    assert result.exit_code == 0, result.output
