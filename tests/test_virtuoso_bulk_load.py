"""Virtuoso's bulk loader as the engine benchmark drives it (``VirtuosoServer.bulk_load``):
what it loads must all be there, in the graph asked for, and a file it cannot read must be an
error, since the loader itself only notes the failure in its list and carries on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from virtuoso_server import VirtuosoServer, find_virtuoso, running_virtuoso

GRAPH = "https://w3id.org/cop-graph/id/graph/load/bulk"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
QUADS_GRAPH = "https://w3id.org/cop-graph/id/graph/quads"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("files")


@pytest.fixture(scope="module")
def engine(tmp_path_factory, files) -> Iterator[VirtuosoServer]:
    programs = find_virtuoso()
    if programs is None:
        message = "Virtuoso is not installed; install it with: make virtuoso"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("engine")
    with running_virtuoso(programs, folder, 10_000_000, more_dirs=(files,)) as server:
        yield server


def _count(server: VirtuosoServer, graph: str) -> int:
    answer = requests.post(
        server.query_url,
        data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_every_triple_of_a_file_reaches_the_graph_named(engine, files):
    data = files / "things.nt"
    data.write_text(
        "".join(f'<https://example.org/thing/{n}> <{LABEL}> "{n}" .\n' for n in range(2_500))
    )
    engine.bulk_load(data, GRAPH)
    assert _count(engine, GRAPH) == 2_500


def test_quads_keep_their_own_graph(engine, files):
    data = files / "quads.nq"
    data.write_text(
        "".join(
            f"<https://example.org/q/{n}> <https://example.org/p> <https://example.org/o> "
            f"<{QUADS_GRAPH}> .\n"
            for n in range(30)
        )
    )
    engine.bulk_load(data, GRAPH + "-unused")
    assert (_count(engine, QUADS_GRAPH), _count(engine, GRAPH + "-unused")) == (30, 0)


def test_a_file_the_loader_cannot_read_is_an_error(engine, files):
    broken = files / "broken.nt"
    broken.write_text("<https://example.org/a> <https://example.org/b> .\n")
    with pytest.raises(RuntimeError, match="bulk loader could not load .*broken.nt"):
        engine.bulk_load(broken, GRAPH + "-broken")
