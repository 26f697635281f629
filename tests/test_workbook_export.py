"""From the store to a workbook and back: the same graph, fact for fact."""

from __future__ import annotations

import io

import openpyxl
import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from workbooks import GOOD, xlsx

from cop_graph.ingest.importer import import_workbook
from cop_graph.queries.catalogue import graph_iri
from cop_graph.scope import private_graph_of
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.workbook.export import export_workbook

DEMO = graph_iri("demo")


def both_parts(store, graph) -> Graph:
    data = Graph()
    for name in (graph, private_graph_of(graph)):
        data += store.graph(name)
    return data


@pytest.fixture(scope="module")
def demo_export(demo_nquads):
    """The demo store and the demo graph exported as XLSX once, with its rows."""
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    data, exported = export_workbook(store, [DEMO], include_private=True)
    yield store, data, exported
    store.close()


def test_the_demo_data_goes_through_xlsx_and_back_to_the_same_graph(demo_export, reference_nquads):
    demo_store, data, exported = demo_export
    assert len(exported.left_out) == 0
    fresh = OxigraphStore(None)  # the reference data without the demo
    fresh.native.load(reference_nquads, format=ox.RdfFormat.N_QUADS)
    result = import_workbook(fresh, data, filename="demo.xlsx")
    assert result.graph == graph_iri("import/demo")
    original, imported = both_parts(demo_store, DEMO), both_parts(fresh, result.graph)
    assert len(imported) == len(original)
    assert isomorphic(original, imported)
    # the private part stays private on the way back too
    assert fresh.count(private_graph_of(result.graph)) == demo_store.count(private_graph_of(DEMO))


def test_references_are_names_when_they_are_unique_and_ids_otherwise(demo_export):
    _, _, exported = demo_export
    members = exported.rows["Memberships"]
    assert members[0][0] == "Bolton health walks network (illustrative)"  # a community, by its name
    wards = {ward for row in exported.rows["Places"] for ward in row[4].split("; ")}
    assert "Harpurhey" in wards  # a ward, by its name
    assert "manchester-brooklands" in wards  # two wards are called Brooklands: by its ID
    assert "Brooklands" not in wards


def test_a_reimported_export_replaces_the_import_it_came_from(seeded_store):
    first = import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx")
    data, exported = export_workbook(seeded_store, [first.graph], include_private=True)
    assert len(exported.left_out) == 0
    assert exported.settings["workbook name"] == "halliwell"
    before = both_parts(seeded_store, first.graph)
    again = import_workbook(seeded_store, data, filename="export.xlsx")
    assert again.graph == first.graph
    assert isomorphic(before, both_parts(seeded_store, again.graph))


def test_facts_without_a_column_are_listed_not_lost(seeded_store):
    first = import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx")
    _, public_only = export_workbook(seeded_store, [first.graph])
    assert len(public_only.left_out) > 0  # people's names are in the private part


def test_the_exported_workbook_has_the_template_layout(seeded_store):
    first = import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx")
    data, _ = export_workbook(seeded_store, [first.graph], include_private=True)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[:3] == ["How to fill this in", "About", "Communities"]
    assert [c.value for c in book["People"][2]][:2] == ["p1", "Sam Taylor"]
    zipped, _ = export_workbook(seeded_store, [first.graph], include_private=True, fmt="zip")
    assert zipped[:2] == b"PK"
