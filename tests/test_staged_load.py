"""A load checked and split where pyoxigraph parsed it, and written in bulk, loses nothing.

The loader parses files into a staging store in memory, checks them there, moves people's
private facts to a graph of their own there, and writes new graphs with pyoxigraph's bulk
insert (not atomic) under a mark in the catalogue. These tests hold it to what the loader
promised before: the same verdicts and messages, the same private split, and a store that
holds exactly the state before or after a load that fails or is killed half-way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from cop_graph.errors import LoadError, ValidationFailed
from cop_graph.ingest.load import check_files, init_store, load_files
from cop_graph.queries.catalogue import graph_iri, list_graphs
from cop_graph.scope import private_graph_of
from cop_graph.store.oxigraph import BEING_WRITTEN, OxigraphStore

DATA = Path(__file__).parent / "data"
COMMUNITY = """
@prefix cop: <https://w3id.org/cop-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix community: <https://w3id.org/cop-graph/id/community/> .
@prefix person: <https://w3id.org/cop-graph/id/person/> .
@prefix place: <https://w3id.org/cop-graph/id/place/> .

community:test-walkers a cop:CommunityOfPurpose ;
    rdfs:label "Test walkers" ;
    cop:operatesIn place:wigan ;
    cop:hasDomain <https://w3id.org/cop-graph/id/domain/test-walking> .
<https://w3id.org/cop-graph/id/domain/test-walking> a cop:Domain, skos:Concept ;
    rdfs:label "Test walking" ; skos:prefLabel "Test walking" .
person:test-private a foaf:Person ; rdfs:label "Private Person" ; foaf:name "Private Person" ;
    foaf:mbox <mailto:private@example.org> ; cop:publicProfile false .
person:test-public a foaf:Person ; rdfs:label "Public Person" ; foaf:name "Public Person" ;
    foaf:mbox <mailto:public@example.org> ; cop:publicProfile true .
person:test-public org:memberOf community:test-walkers .
community:test-walkers sh:property [ sh:path rdfs:label ; sh:minCount 9 ] .
"""


def quads(store: OxigraphStore) -> set[str]:
    return {str(q) for q in store.native}


@pytest.fixture
def disk_store(tmp_path) -> Path:
    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        init_store(store, demo=False, who="test")
    return path


@pytest.fixture
def community_file(tmp_path) -> Path:
    path = tmp_path / "walkers.ttl"
    path.write_text(COMMUNITY, encoding="utf-8")
    return path


def test_a_load_splits_private_facts_drops_shapes_and_rewrites_memberships(
    disk_store, community_file
):
    with OxigraphStore(disk_store) as store:
        result = load_files(store, [community_file], who="test")
        graph = graph_iri("load/walkers")
        public, private = store.graph(graph), store.graph(private_graph_of(graph))
    assert result.graph == graph
    assert result.triples == len(public) and result.private_triples == len(private)
    texts = {str(o) for o in public.objects()} | {str(o) for o in private.objects()}
    assert "mailto:private@example.org" in {str(o) for o in private.objects()}
    assert "mailto:public@example.org" in {str(o) for o in private.objects()}  # contact: always
    assert "Public Person" in {str(o) for o in public.objects()}
    assert "Private Person" not in {str(o) for o in public.objects()}
    assert not [t for t in public if any("shacl" in str(term) for term in t)]
    assert any("org:memberOf" in line for line in result.advice)
    assert "Private Person" in texts


def test_a_load_gives_the_same_advice_as_checking_the_files(disk_store, community_file):
    with OxigraphStore(disk_store) as store:
        labels, report = check_files(store, [community_file])
        result = load_files(store, [community_file], who="test")
    assert report.conforms and report.warnings
    notes = [line for line in result.advice if "recorded" in line]
    assert notes
    assert list(result.advice) == [*notes, *report.lines(labels)]


def test_a_refused_load_writes_nothing_and_names_the_problem(disk_store, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(COMMUNITY.replace('rdfs:label "Test walkers" ;', ""), encoding="utf-8")
    with OxigraphStore(disk_store) as store:
        before = quads(store)
        with pytest.raises(ValidationFailed) as refused:
            load_files(store, [bad], who="test")
        assert quads(store) == before
    lines = refused.value.lines()
    assert any("Community" in line and "name" in line.lower() for line in lines), lines


def test_a_syntax_error_names_the_file_line_and_column(disk_store):
    with OxigraphStore(disk_store) as store, pytest.raises(LoadError) as failed:
        load_files(store, [DATA / "syntax-error.ttl"], who="test")
    assert "syntax-error.ttl line" in str(failed.value)


def test_a_bulk_write_failing_half_way_leaves_the_store_as_it_was(
    disk_store, community_file, monkeypatch
):
    with OxigraphStore(disk_store) as store:
        before = quads(store)
        real = store._bulk_insert

        def half_then_fail(quads_to_write):
            real(list(quads_to_write)[:5])
            raise OSError("disk full")

        monkeypatch.setattr(store, "_bulk_insert", half_then_fail)
        with pytest.raises(OSError):
            load_files(store, [community_file], who="test")
        assert quads(store) == before


#: the process that is killed: it loads a file, announcing when the bulk write is done and
#: before the catalogue record is written, then waits (for ever)
LOADER = """
import sys
from cop_graph.ingest.load import load_files
from cop_graph.store.oxigraph import OxigraphStore

store = OxigraphStore(sys.argv[1])
record = store._insert_native

def written_then_stuck(quads):
    print("written", flush=True)
    sys.stdin.read()
    record(quads)

store._insert_native = written_then_stuck
load_files(store, [sys.argv[2]], who="test")
"""


def test_a_load_killed_during_its_bulk_write_is_undone_when_the_store_opens(
    disk_store, community_file
):
    with OxigraphStore(disk_store) as store:
        before = quads(store)
    loader = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(disk_store), str(community_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        announced = loader.stdout.readline()
        assert announced == "written\n", loader.stderr.read()
    finally:
        os.kill(loader.pid, signal.SIGKILL)
        loader.wait()
    with OxigraphStore(disk_store) as reopened:
        assert quads(reopened) == before
        assert not list(reopened.native.quads_for_pattern(None, ox.NamedNode(BEING_WRITTEN), None))
        assert str(graph_iri("load/walkers")) not in {r.graph for r in list_graphs(reopened)}


@pytest.mark.parametrize("check", [True, False], ids=["checked", "unchecked"])
def test_people_are_found_in_what_the_store_already_holds(disk_store, tmp_path, check):
    """Facts added about a person the store knows are split by the store's consent."""
    first = tmp_path / "person.ttl"
    first.write_text(COMMUNITY, encoding="utf-8")
    more = tmp_path / "more.ttl"
    more.write_text(
        "<https://w3id.org/cop-graph/id/person/test-private> "
        '<http://xmlns.com/foaf/0.1/nick> "Secret" .\n',
        encoding="utf-8",
    )
    with OxigraphStore(disk_store) as store:
        load_files(store, [first], who="test")
        load_files(store, [more], who="test", check=check)
        private = store.graph(private_graph_of(graph_iri("load/more")))
    assert "Secret" in {str(o) for o in private.objects()}


def test_a_failed_clean_up_does_not_hide_why_the_write_failed(tmp_path, monkeypatch, caplog):
    from rdflib import Literal, URIRef

    from cop_graph.store import Change

    store = OxigraphStore(tmp_path / "store")
    try:

        def refused(*args, **kwargs):
            raise OSError("disk full")

        def clean_up_refused(update):
            raise RuntimeError("cannot drop")

        monkeypatch.setattr(store, "_insert_change", refused)
        monkeypatch.setattr(store, "_update", clean_up_refused)
        graph = URIRef("https://w3id.org/cop-graph/id/graph/test-refused")
        fact = (URIRef("https://example.org/a"), URIRef("https://example.org/b"), Literal("c"))
        with pytest.raises(OSError, match="disk full"):
            store.commit(Change(put={graph: [fact]}))
        assert "could not be undone at once (RuntimeError)" in caplog.text
        assert "cannot drop" not in caplog.text
    finally:
        store.close()


def test_the_staged_split_gives_partitions_answer_on_the_demo(disk_store):
    """The loader's split in pyoxigraph and scope.partition on rdflib triples agree."""
    from cop_graph import resources
    from cop_graph.files.rdf import read_rdf
    from cop_graph.scope import partition

    files = resources.demo_files()
    facts = set().union(*(read_rdf(path) for path in files))
    public, private = partition(facts)
    assert private and public
    with OxigraphStore(disk_store) as store:
        result = load_files(store, files, name="demo-copy", who="test", check=False)
        stored_public = set(store.graph(result.graph))
        stored_private = set(store.graph(private_graph_of(result.graph)))
    assert stored_private == set(private)
    # the store writes some values canonically ("55.0" as "55"): compare what is said of what
    assert len(stored_public) == len(set(public))
    assert {(s, p) for s, p, _ in stored_public} == {(s, p) for s, p, _ in public}
