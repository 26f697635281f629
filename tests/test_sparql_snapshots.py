"""The endpoint's snapshot in memory: fresh after every write, public graphs only, and its
processes replaced when they die, without files left behind."""

from __future__ import annotations

import json
import os
import signal
import time

import pyoxigraph as ox
import pytest
from live_server import CANARY_SECRETS
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from cop_graph.scope import Scope
from cop_graph.sparql import runner as runner_module
from cop_graph.sparql.engine import Job
from cop_graph.sparql.runner import QueryTimeout, SnapshotRunner, Unavailable, stream
from cop_graph.sparql.snapshot import Holder
from cop_graph.store import Change
from cop_graph.store.oxigraph import OxigraphStore

EXTRA = URIRef("https://w3id.org/cop-graph/id/graph/extra")
PRIVATE = URIRef("https://w3id.org/cop-graph/id/graph/extra/private")
NEW_THING = 'ASK { ?thing rdfs:label "A thing written just now" }'


@pytest.fixture(params=["memory", "disk, read from memory"])
def store(request, tmp_path, demo_nquads):
    if request.param == "memory":
        opened = OxigraphStore(None)
    else:
        opened = OxigraphStore(tmp_path / "store", memory_reads=True)
    opened.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    if opened.memory_reads:
        opened.reader.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    yield opened
    opened.close()


@pytest.fixture
def runner(store):
    made = SnapshotRunner(store, timeout=5.0, size=2)
    yield made
    made.close()


def _ask(runner, store, text: str, **dataset) -> dict:
    graphs = Scope.public(store).iris
    chosen = {"default_graph": graphs, "named_graphs": graphs, "all_public": True, **dataset}
    job = Job(
        text,
        chosen["default_graph"],
        chosen["named_graphs"],
        "json",
        1000,
        all_public=chosen["all_public"],
        prefixes={"rdfs": str(RDFS)},
    )
    outcome = runner.run(job)
    assert outcome.ok, outcome.error
    return json.loads(b"".join(stream(outcome)))


def _write(store, graph: URIRef, label: str) -> None:
    data = Graph()
    data.add((URIRef("https://w3id.org/cop-graph/id/thing/new"), RDFS.label, Literal(label)))
    store.commit(Change(put={graph: data}))


def test_a_write_is_seen_by_the_next_query(runner, store):
    assert _ask(runner, store, NEW_THING)["boolean"] is False
    _write(store, EXTRA, "A thing written just now")
    assert _ask(runner, store, NEW_THING)["boolean"] is True
    store.drop([EXTRA])
    assert _ask(runner, store, NEW_THING)["boolean"] is False


def test_the_snapshot_holds_no_private_graph(runner, store):
    _write(store, PRIVATE, "Zebedee Canary")
    named = _ask(runner, store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    graphs = {row["g"]["value"] for row in named["results"]["bindings"]}
    assert graphs and str(PRIVATE) not in graphs and graphs <= set(Scope.public(store).iris)
    # even a job naming the private graph outright finds nothing there
    asked = _ask(
        runner,
        store,
        "SELECT ?o WHERE { ?s ?p ?o }",
        default_graph=(str(PRIVATE),),
        named_graphs=(str(PRIVATE),),
        all_public=False,
    )
    assert asked["results"]["bindings"] == []
    labels = _ask(runner, store, "SELECT ?label WHERE { GRAPH ?g { ?s rdfs:label ?label } }")
    assert "Bolton" in json.dumps(labels)
    assert not any(secret in json.dumps(labels) for secret in CANARY_SECRETS)


def test_a_write_while_the_snapshot_is_written_out_is_not_missed(runner, store, monkeypatch):
    real = runner_module.write_snapshot
    calls = []

    def write_then_change(reader, graphs, folder):
        written = real(reader, graphs, folder)
        if not calls:  # the first time, a write lands while the graphs are being copied
            _write(store, EXTRA, "A thing written just now")
        calls.append(len(graphs))
        return written

    monkeypatch.setattr(runner_module, "write_snapshot", write_then_change)
    assert _ask(runner, store, NEW_THING)["boolean"] is True
    assert len(calls) == 2


def test_a_holder_or_worker_that_dies_is_replaced(runner, store):
    assert _ask(runner, store, "ASK {}")["boolean"] is True
    worker = next(iter(runner._workers))
    os.kill(worker.pid, signal.SIGKILL)  # as the system's out-of-memory killer would
    assert _ask(runner, store, "ASK {}")["boolean"] is True
    runner._holder.process.kill()
    runner._holder.process.wait()
    assert _ask(runner, store, "ASK { ?s ?p ?o }")["boolean"] is True
    assert runner._holder.alive()


def test_large_answers_and_stopped_queries_leave_no_files(store):
    made = SnapshotRunner(store, timeout=1.0, size=1)
    graphs = Scope.public(store).iris
    everything = Job("SELECT * WHERE { ?s ?p ?o }", graphs, graphs, "json", 10**6, True)
    outcome = made.run(everything)
    assert outcome.path and os.path.exists(outcome.path)  # past a megabyte: in a file
    assert len(b"".join(stream(outcome))) > 1 << 20
    assert not os.path.exists(outcome.path)
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeout):
        made.run(Job(cross, graphs, graphs, "json", 10**9, True))
    time.sleep(0.1)
    assert os.listdir(made._spool_dir) == []
    folder = made._folder
    made.close()
    assert not folder.exists()


def test_a_snapshot_that_cannot_be_loaded_answers_busy_never_empty(runner, store, monkeypatch):
    assert _ask(runner, store, "ASK { ?s ?p ?o }")["boolean"] is True
    real = runner_module.write_snapshot

    def unreadable(reader, graphs, folder):
        return [(iri, str(folder / "missing.nt")) for iri, _ in real(reader, graphs, folder)]

    monkeypatch.setattr(runner_module, "write_snapshot", unreadable)
    _write(store, EXTRA, "A thing written just now")
    with pytest.raises(Unavailable, match="could not start"):
        _ask(runner, store, NEW_THING)
    monkeypatch.setattr(runner_module, "write_snapshot", real)
    assert _ask(runner, store, NEW_THING)["boolean"] is True


def test_no_worker_is_forked_from_a_holder_whose_load_failed(tmp_path):
    holder = Holder()
    try:
        with pytest.raises(OSError, match="could not be loaded"):
            holder.load([("https://example.org/g", str(tmp_path / "missing.nt"))])
        with pytest.raises(OSError, match="no snapshot is loaded"):
            holder.fork(1, str(tmp_path))
        (tmp_path / "g.nt").write_text('<https://example.org/a> <https://example.org/b> "1" .\n')
        holder.load([("https://example.org/g", str(tmp_path / "g.nt"))])
        worker = holder.fork(2, str(tmp_path))
        worker.connection.send(Job('ASK { ?s ?p "1" }', (), (), "json", 1, all_public=True))
        assert b'"boolean":true' in worker.connection.recv().data
        worker.close()
    finally:
        holder.close()
