"""A large file written by the engine while it is checked ends exactly as a load written after.

:mod:`cop_graph.store.write_ahead` lets pyoxigraph write a loaded file into its new graph
while the loader parses and checks the same file; the loader's own changes (SHACL dropped,
memberships rewritten, private facts moved) are applied to the written graph afterwards.
These tests hold it to the ordinary path: the same graphs in the end, and a refused,
failed or disturbed load that leaves the store exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.compare import isomorphic
from test_staged_load import COMMUNITY

from cop_graph.errors import LoadError, ValidationFailed
from cop_graph.ingest.load import init_store, load_files
from cop_graph.queries.catalogue import graph_iri, list_graphs
from cop_graph.scope import private_graph_of
from cop_graph.store import write_ahead
from cop_graph.store.oxigraph import BEING_WRITTEN, OxigraphStore

#: the same community with no fact the loader changes that names a blank node
WITHOUT_BLANK_NODES = COMMUNITY.replace(
    "community:test-walkers sh:property [ sh:path rdfs:label ; sh:minCount 9 ] .",
    'community:test-walkers sh:name "a SHACL fact the loader drops" .',
)
GRAPH = graph_iri("load/walkers")


@pytest.fixture
def seeded(tmp_path) -> Path:
    path = tmp_path / "seeded"
    with OxigraphStore(path) as store:
        init_store(store, demo=False, who="test")
    return path


@pytest.fixture
def copy_of(seeded, tmp_path):
    """Fresh copies of the seeded store, one per name."""
    import shutil

    def copy(name: str) -> Path:
        destination = tmp_path / name
        shutil.copytree(seeded, destination)
        return destination

    return copy


@pytest.fixture
def free_core(monkeypatch):
    """Every file is written ahead, whatever the machine's load (the real threshold is
    256 KiB, on a machine with a core to spare)."""
    monkeypatch.setattr(write_ahead, "WRITE_AHEAD_FROM", 0)
    monkeypatch.setattr(write_ahead, "a_core_is_free", lambda: True)


@pytest.fixture
def ahead_always(monkeypatch, free_core):
    """The engine's writes of files are counted, and so are the rewrites from the staging
    store."""
    calls = {"files": 0, "rewrites": 0}
    real_load, real_rewrite = OxigraphStore._bulk_load_file, OxigraphStore._rewrite

    def load_file(self, *args):
        calls["files"] += 1
        real_load(self, *args)

    def rewrite(self, *args):
        calls["rewrites"] += 1
        real_rewrite(self, *args)

    monkeypatch.setattr(OxigraphStore, "_bulk_load_file", load_file)
    monkeypatch.setattr(OxigraphStore, "_rewrite", rewrite)
    return calls


def quads(store: OxigraphStore) -> set[str]:
    return {str(q) for q in store.native}


def no_marks(store: OxigraphStore) -> bool:
    return not [q for q in store.native if q.predicate.value == BEING_WRITTEN]


def written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def load_both_ways(copy_of, tmp_path, text, monkeypatch, calls):
    """The graphs a load of ``text`` leaves, written ahead and written after the checks."""
    data = written(tmp_path / "walkers.ttl", text)
    graphs = {}
    for way, threshold in (("ahead", 0), ("after", 1 << 60)):
        monkeypatch.setattr(write_ahead, "WRITE_AHEAD_FROM", threshold)
        with OxigraphStore(copy_of(way)) as store:
            result = load_files(store, [data], who="test")
            graphs[way] = (store.graph(GRAPH), store.graph(private_graph_of(GRAPH)), result)
            assert no_marks(store)
            records = {r.graph: r for r in list_graphs(store)}
            assert records[str(GRAPH)].triples == len(graphs[way][0])
    return graphs


def test_a_file_written_ahead_ends_as_a_file_written_after_the_checks(
    copy_of, tmp_path, monkeypatch, ahead_always
):
    graphs = load_both_ways(copy_of, tmp_path, WITHOUT_BLANK_NODES, monkeypatch, ahead_always)
    assert ahead_always == {"files": 1, "rewrites": 0}  # the changes applied fact by fact
    (public, private, result), (public_after, private_after, result_after) = (
        graphs["ahead"],
        graphs["after"],
    )
    assert set(public) == set(public_after) and len(public) > 10
    assert set(private) == set(private_after) and len(private) > 2
    assert result.advice == result_after.advice  # the org:memberOf rewrite is reported
    assert not [t for t in public if any("shacl" in str(term) for term in t)]


def test_changes_naming_blank_nodes_write_the_graph_again_from_the_checked_copy(
    copy_of, tmp_path, monkeypatch, ahead_always
):
    """The parser names blank nodes afresh at each reading: the SHACL fact dropped here has
    a blank node, which the engine's copy names otherwise."""
    graphs = load_both_ways(copy_of, tmp_path, COMMUNITY, monkeypatch, ahead_always)
    assert ahead_always == {"files": 1, "rewrites": 1}
    assert isomorphic(graphs["ahead"][0], graphs["after"][0])
    assert isomorphic(graphs["ahead"][1], graphs["after"][1])


def test_a_refused_file_written_ahead_leaves_the_store_as_it_was(seeded, tmp_path, ahead_always):
    bad = written(tmp_path / "bad.ttl", COMMUNITY.replace('rdfs:label "Test walkers" ;', ""))
    with OxigraphStore(seeded) as store:
        before = quads(store)
        with pytest.raises(ValidationFailed):
            load_files(store, [bad], who="test")
        assert ahead_always["files"] == 1
        assert quads(store) == before


def test_a_file_changed_during_its_load_is_not_saved(seeded, tmp_path, monkeypatch, free_core):
    """What was checked (the loader's reading) must be what is written (the engine's)."""
    data = written(tmp_path / "walkers.ttl", WITHOUT_BLANK_NODES)
    real_load = OxigraphStore._bulk_load_file

    def load_then_edited(self, *args):
        real_load(self, *args)
        with data.open("a", encoding="utf-8") as edited:
            edited.write('<https://example.org/a> <https://example.org/b> "edited" .\n')

    monkeypatch.setattr(OxigraphStore, "_bulk_load_file", load_then_edited)
    with OxigraphStore(seeded) as store:
        before = quads(store)
        with pytest.raises(LoadError, match="changed while it was being loaded") as failed:
            load_files(store, [data], who="test")
        assert quads(store) == before
    assert "walkers.ttl" in str(failed.value)


def test_the_engine_failing_its_write_fails_the_load_and_leaves_the_store_as_it_was(
    seeded, tmp_path, monkeypatch, free_core
):
    data = written(tmp_path / "walkers.ttl", WITHOUT_BLANK_NODES)
    real_load = OxigraphStore._bulk_load_file

    def half_then_full(self, path, rdf_format, graph):
        real_load(self, path, rdf_format, graph)
        raise OSError("No space left on device")

    monkeypatch.setattr(OxigraphStore, "_bulk_load_file", half_then_full)
    with OxigraphStore(seeded) as store:
        before = quads(store)
        with pytest.raises(OSError, match="No space left"):
            load_files(store, [data], who="test")
        assert quads(store) == before


def test_a_graph_that_exists_is_replaced_through_staging_not_written_ahead(
    seeded, tmp_path, ahead_always
):
    data = written(tmp_path / "walkers.ttl", WITHOUT_BLANK_NODES)
    with OxigraphStore(seeded) as store:
        load_files(store, [data], who="test")
        written(data, WITHOUT_BLANK_NODES.replace("Test walkers", "Test walkers renamed"))
        load_files(store, [data], who="test")
        labels = {str(o) for o in store.graph(GRAPH).objects()}
    assert ahead_always["files"] == 1  # the first load only
    assert "Test walkers renamed" in labels and "Test walkers" not in labels


@pytest.mark.parametrize(
    ("name", "size", "expected"),
    [
        ("large.nt", write_ahead.WRITE_AHEAD_FROM, True),
        ("large.ttl", write_ahead.WRITE_AHEAD_FROM, True),
        ("small.nt", write_ahead.WRITE_AHEAD_FROM - 1, False),
        ("large.rdf", write_ahead.WRITE_AHEAD_FROM, False),  # checked for declarations first
        ("large.nq", write_ahead.WRITE_AHEAD_FROM, False),  # its own graphs: merged by the loader
        ("large.jsonld", write_ahead.WRITE_AHEAD_FROM, False),
    ],
)
def test_only_large_files_the_engine_reads_into_one_graph_are_written_ahead(
    tmp_path, monkeypatch, name, size, expected
):
    monkeypatch.setattr(write_ahead, "a_core_is_free", lambda: True)
    path = tmp_path / name
    path.write_bytes(b" " * size)
    assert write_ahead.can_write_ahead([path]) is expected


@pytest.mark.parametrize(("cores", "expected"), [(1, False), (2, True), (None, False)])
def test_a_file_is_written_ahead_only_where_the_engine_gets_a_core_of_its_own(
    monkeypatch, cores, expected
):
    monkeypatch.setattr(write_ahead.os, "cpu_count", lambda: cores)
    assert write_ahead.a_core_is_free() is expected
