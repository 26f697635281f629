"""Loading RDF files: validation before writing, atomicity, privacy split, provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal

from cop_graph.errors import LoadError, ValidationFailed
from cop_graph.files.rdf import sha256
from cop_graph.ingest.load import load_files
from cop_graph.namespaces import FOAF, SH
from cop_graph.queries.catalogue import graph_iri, list_graphs
from cop_graph.scope import private_graph_of

DATA = Path(__file__).parent / "data"
LOADED = graph_iri("load/community-valid")


def quads(store) -> set:
    return {tuple(q) for q in store.native} if hasattr(store, "native") else set()


def test_valid_file_is_saved_with_private_data_split_off(seeded_store):
    result = load_files(seeded_store, [DATA / "community-valid.ttl"], who="tester")
    assert result.graph == LOADED
    public = seeded_store.graph(LOADED)
    private = seeded_store.graph(private_graph_of(LOADED))
    names = {str(o) for o in public.objects(None, FOAF.name)}
    assert names == {"Ada Publicperson"}
    assert {str(o) for o in private.objects(None, FOAF.name)} == {"Bea Privateperson"}
    assert not list(public.objects(None, FOAF.mbox)), "contact details are never public"
    assert result.private_triples == len(private)


def test_catalogue_records_who_when_source_and_checksum(seeded_store):
    load_files(seeded_store, [DATA / "community-valid.ttl"], who="tester")
    record = next(r for r in list_graphs(seeded_store) if r.graph == str(LOADED))
    assert record.who == "tester"
    assert record.kind == "load"
    assert record.sources == "community-valid.ttl"
    assert record.checksum == sha256(DATA / "community-valid.ttl")
    assert record.triples == seeded_store.count(LOADED)


def test_loading_the_same_file_again_replaces_it(seeded_store):
    load_files(seeded_store, [DATA / "community-valid.ttl"])
    before = seeded_store.count()
    load_files(seeded_store, [DATA / "community-valid.ttl"])
    assert seeded_store.count() == before
    catalogued = [r.graph for r in list_graphs(seeded_store)]
    assert catalogued.count(str(LOADED)) == 1


def test_community_without_domain_is_refused_and_nothing_is_written(seeded_store):
    before = quads(seeded_store)
    with pytest.raises(ValidationFailed, match="community-no-domain.ttl") as failure:
        load_files(seeded_store, [DATA / "community-no-domain.ttl"])
    lines = failure.value.lines()
    assert any("Test Walking Group" in line and "domain" in line.lower() for line in lines), lines
    assert quads(seeded_store) == before


def test_syntax_error_names_file_line_and_cause(seeded_store):
    before = seeded_store.count()
    with pytest.raises(LoadError, match=r"syntax-error\.ttl line 8, column \d+: syntax error"):
        load_files(seeded_store, [DATA / "syntax-error.ttl"])
    assert seeded_store.count() == before


def test_xml_entity_declarations_are_refused_before_parsing(seeded_store):
    before = seeded_store.count()
    with pytest.raises(LoadError, match="DOCTYPE"):
        load_files(seeded_store, [DATA / "entity-bomb.rdf"])
    assert seeded_store.count() == before


def test_unknown_file_type_is_refused(seeded_store, tmp_path):
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK")
    with pytest.raises(LoadError, match='".docx" is not a file type'):
        load_files(seeded_store, [odd])


def test_json_ld_loads(seeded_store):
    result = load_files(seeded_store, [DATA / "community-valid.jsonld"])
    labels = {str(o) for o in seeded_store.graph(result.graph).objects()}
    assert "Test JSON-LD Circle" in labels


def test_shapes_in_uploaded_data_are_dropped_not_run(seeded_store):
    result = load_files(seeded_store, [DATA / "smuggled-shapes.ttl"])
    stored = seeded_store.graph(result.graph)
    assert not any(str(term).startswith(str(SH)) for triple in stored for term in triple)
    assert Literal("Smuggled constraint ran") not in set(stored.objects())


def test_failed_first_load_leaves_the_store_as_it_was(seeded_store, monkeypatch):
    before = quads(seeded_store)

    def insert_failing_half_way(quads_to_write):
        for n, _ in enumerate(quads_to_write):
            if n == 10:
                raise OSError("disk full")

    monkeypatch.setattr(seeded_store, "_insert_native", insert_failing_half_way)
    with pytest.raises(OSError):
        load_files(seeded_store, [DATA / "community-valid.ttl"])
    monkeypatch.undo()
    assert quads(seeded_store) == before


def test_failed_reload_leaves_the_earlier_load_in_place(seeded_store, monkeypatch):
    load_files(seeded_store, [DATA / "community-valid.ttl"])
    before = quads(seeded_store)
    real_update = seeded_store._update
    calls = []

    def update_failing_once(text):
        calls.append(text)
        if len(calls) == 1:
            raise OSError("disk full")
        real_update(text)

    monkeypatch.setattr(seeded_store, "_update", update_failing_once)
    with pytest.raises(OSError):
        load_files(seeded_store, [DATA / "community-valid.ttl"])
    monkeypatch.undo()
    assert quads(seeded_store) == before


def test_drop_removes_graph_private_part_and_records(seeded_store):
    load_files(seeded_store, [DATA / "community-valid.ttl"])
    seeded_store.drop([LOADED, private_graph_of(LOADED)])
    assert LOADED not in seeded_store.named_graphs()
    assert private_graph_of(LOADED) not in seeded_store.named_graphs()
    assert str(LOADED) not in [r.graph for r in list_graphs(seeded_store)]


def test_init_if_empty_reloads_only_the_standard_graphs_whose_files_changed(tmp_path, monkeypatch):
    """An upgrade that ships changed demo data replaces the old demo; unchanged graphs stay."""
    import dataclasses
    import shutil

    from click.testing import CliRunner

    from cop_graph import resources
    from cop_graph.cli import cli
    from cop_graph.ingest import load

    demo_copy = tmp_path / "demo.ttl"
    shutil.copy(resources.demo_files()[0], demo_copy)
    graphs = tuple(
        dataclasses.replace(g, files=lambda: [demo_copy]) if g.name == "demo" else g
        for g in load.STANDARD_GRAPHS
    )
    monkeypatch.setattr(load, "STANDARD_GRAPHS", graphs)
    runner, store = CliRunner(), str(tmp_path / "store")
    assert runner.invoke(cli, ["--store", store, "init"]).exit_code == 0

    unchanged = runner.invoke(cli, ["--store", store, "init", "--if-empty"])
    assert unchanged.exit_code == 0, unchanged.output
    assert "nothing to do" in unchanged.output

    with demo_copy.open("a", encoding="utf-8") as demo:
        demo.write(
            "\n<https://w3id.org/cop-graph/id/community/bolton-health-walks-network> "
            '<http://purl.org/dc/terms/alternative> "A new name in this version" .\n'
        )
    changed = runner.invoke(cli, ["--store", store, "init", "--if-empty"])
    assert changed.exit_code == 0, changed.output
    assert "graph/demo: updated" in changed.output
    assert "graph/reference" not in changed.output
    asked = runner.invoke(
        cli,
        ["--store", store, "query", 'ASK { ?c dcterms:alternative "A new name in this version" }'],
    )
    assert asked.output.strip() == "yes"
