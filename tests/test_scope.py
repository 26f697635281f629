"""The public scope: which graphs each reader sees, and that a person who did not agree to be
named is absent from everything the public reads, while one who agreed is shown.

The data is ``tests/data/community-valid.ttl`` loaded the ordinary way (so the loader splits
it): Ada agreed to a public profile, Bea did not.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import URIRef

from cop_graph import queries
from cop_graph.analysis.network import PRIVATE_PERSON, community_graph, knowledge_graph
from cop_graph.cli import cli
from cop_graph.ingest.load import load_files
from cop_graph.namespaces import COP, FOAF, GRAPH, ID, RDF
from cop_graph.pages import PublicData, page_for
from cop_graph.pages.downloads import dataset_file
from cop_graph.pages.entity import describe, memberships
from cop_graph.pages.search import build_index
from cop_graph.pages.summary import summary
from cop_graph.scope import Scope, gave_consent, is_private, may_be_named, private_graph_of
from cop_graph.sparql.dumps import DumpCache
from cop_graph.store.base import STAGING
from cop_graph.store.oxigraph import OxigraphStore

DATA = Path(__file__).parent / "data"
LOADED = GRAPH["load/people"]
ADA, BEA = "Ada Publicperson", "Bea Privateperson"
BEA_IRI = URIRef(ID + "person/test-0002")
COMMUNITY = URIRef(ID + "community/test-walking-group")


@pytest.fixture(scope="module")
def store(reference_nquads):
    opened = OxigraphStore(None)
    opened.native.load(reference_nquads, format=ox.RdfFormat.N_QUADS)
    load_files(opened, [DATA / "community-valid.ttl"], name="load/people", who="tests")
    assert private_graph_of(LOADED) in opened.named_graphs()
    yield opened
    opened.close()


# -- graphs ---------------------------------------------------------------------------------


def test_a_private_graph_is_never_in_the_public_scope(store):
    public, everything = Scope.public(store), Scope.everything(store)
    assert LOADED in public and LOADED in everything
    assert private_graph_of(LOADED) not in public
    assert private_graph_of(LOADED) in everything
    assert not any(is_private(g) for g in public.graphs)
    assert Scope.of([LOADED, private_graph_of(LOADED)]).graphs == (LOADED,)


def test_staging_graphs_are_in_no_scope(store):
    staging = URIRef(STAGING + "test/0")
    assert Scope.of([staging, LOADED], private=True).graphs == (LOADED,)
    store.native.add(
        ox.Quad(ox.NamedNode(str(COMMUNITY)), ox.NamedNode(str(RDF.type)),
                ox.NamedNode(str(COP.CommunityOfPurpose)), ox.NamedNode(str(staging)))
    )  # fmt: skip
    try:
        for scope in (Scope.public(store), Scope.everything(store)):
            assert staging not in scope
            assert not any(str(g).startswith(STAGING) for g in scope.graphs)
    finally:
        store.native.remove_graph(ox.NamedNode(str(staging)))


def test_narrower_scopes_leave_out_records_rules_and_vocabulary(store):
    things = Scope.public(store).about_things()
    assert GRAPH.ontology in things and GRAPH.reference in things
    assert GRAPH.catalogue not in things and GRAPH.shapes not in things
    data = Scope.everything(store).data()
    assert GRAPH.ontology not in data and GRAPH.catalogue not in data
    assert private_graph_of(LOADED) in data


def test_an_empty_scope_reads_nothing(store):
    answer = queries.run(store, "count_things", scope=Scope(()))
    assert int(answer.dicts()[0]["communities"]) == 0
    assert int(queries.run(store, "count_things").dicts()[0]["communities"]) >= 1


def test_the_scope_decides_what_a_named_query_reads(store):
    def found(scope):
        rows = queries.run(store, "search_things", scope=scope).dicts()
        return {str(row["label"]) for row in rows}

    assert ADA in found(Scope.public(store)) and BEA not in found(Scope.public(store))
    assert BEA in found(Scope.everything(store))


# -- people ---------------------------------------------------------------------------------


def test_only_a_person_without_consent_goes_unnamed():
    assert may_be_named(is_person=False, consented=False)
    assert may_be_named(is_person=True, consented=True)
    assert not may_be_named(is_person=True, consented=False)
    assert [gave_consent(v) for v in ("true", "1", "false", None, True)] == [
        True, True, False, False, True
    ]  # fmt: skip


@pytest.fixture(scope="module")
def data(store):
    return PublicData(store)


def test_pages_never_name_a_person_without_consent(store, data):
    labels = {entry.item.label for entry in build_index(data).entries}
    assert ADA in labels and BEA not in labels
    community = json.dumps(page_for(data, COMMUNITY), default=str)
    assert ADA in community and BEA not in community
    named = [m["member"]["label"] for m in memberships(data, COMMUNITY) if m["member"]]
    assert named == [ADA]
    bea = page_for(data, BEA_IRI)
    assert bea["anonymous"] and bea["label"] == "A person (name not shown)"
    assert BEA not in json.dumps(bea, default=str)
    facts = describe(data, BEA_IRI)
    assert {p for _, p, _ in facts} == {RDF.type, COP.publicProfile}
    assert FOAF.Person in {o for _, _, o in facts}


def test_the_public_dumps_hold_no_name_without_consent(store):
    cache = DumpCache()
    try:
        for name in ("cop-graph-public.nq.gz", "cop-graph-public.ttl.gz"):
            text = gzip.decompress(cache.file(store, name).read_bytes()).decode("utf-8")
            assert ADA in text and BEA not in text, name
            assert "ada@example.org" not in text, name
    finally:
        cache.close()
    text = gzip.decompress(dataset_file(store, "cop-graph-public.trig.gz")).decode("utf-8")
    assert ADA in text and BEA not in text


def test_the_analysis_graphs_hold_no_name_without_consent(store):
    kg = knowledge_graph(store)
    assert kg.nodes[str(BEA_IRI)]["label"] == PRIVATE_PERSON
    labels = {data["label"] for _, data in kg.nodes(data=True)}
    assert ADA in labels and BEA not in labels
    members = community_graph(kg).graph["members"]
    assert members[str(BEA_IRI)] == {"kind": "person", "label": PRIVATE_PERSON, "public": False}
    # even read in a coordinator's scope, the analyses name no one without consent
    everything = knowledge_graph(store, Scope.everything(store))
    assert BEA not in {data["label"] for _, data in everything.nodes(data=True)}


def test_counts_read_the_public_scope(store):
    public = summary(store)
    assert BEA not in json.dumps(public)
    assert str(private_graph_of(LOADED)) not in {g["graph"] for g in public["graphs"]}
    assert str(LOADED) in {g["graph"] for g in public["graphs"]}
    everything = summary(store, Scope.everything(store))
    assert str(private_graph_of(LOADED)) in {g["graph"] for g in everything["graphs"]}
    private_facts = store.count(private_graph_of(LOADED))
    assert private_facts > 0
    assert everything["triples"] - public["triples"] == private_facts
    assert public["counts"]["people"] == everything["counts"]["people"] == 2


def test_cli_export_is_public_unless_asked(store, tmp_path):
    folder = tmp_path / "store"
    copy = OxigraphStore(folder)
    out = tmp_path / "all.nq"
    with out.open("wb") as stream:
        store.dump(stream, "nquads")
    copy.native.load(path=str(out), format=ox.RdfFormat.N_QUADS)
    copy.close()
    runner = CliRunner()

    def export(*args: str) -> str:
        result = runner.invoke(cli, ["--store", str(folder), "export", "--format", "nq", *args])
        assert result.exit_code == 0, result.output
        return result.output

    public = export()
    assert ADA in public and BEA not in public and "ada@example.org" not in public
    assert BEA not in export("--graph", str(private_graph_of(LOADED)))
    assert BEA in export("--include-private")
