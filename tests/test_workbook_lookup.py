"""The workbook's named queries on a tiny hand-written graph, and the resolver built on them."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from cop_graph import queries
from cop_graph.queries.catalogue import graph_iri
from cop_graph.store import Change
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.workbook.lookup import Resolver
from cop_graph.workbook.values import CellProblem

TINY = """
@prefix cop: <https://w3id.org/cop-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix place: <https://w3id.org/cop-graph/id/place/> .
@prefix organisation: <https://w3id.org/cop-graph/id/organisation/> .
place:bolton a cop:Locality ; rdfs:label "Bolton" ; cop:gssCode "E08000001" .
place:bolton-halliwell a cop:Ward ; rdfs:label "Halliwell"@en ; cop:gssCode "E05000650" .
organisation:u46071 a cop:PrimaryCareNetwork ; rdfs:label "West PCN" ; cop:odsCode "U46071" .
"""
OLD = """
@prefix cop: <https://w3id.org/cop-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/cop-graph/id/place/old-neighbourhood> a cop:Neighbourhood ;
    rdfs:label "Old neighbourhood" .
"""
BOLTON = URIRef("https://w3id.org/cop-graph/id/place/bolton")
HALLIWELL = URIRef("https://w3id.org/cop-graph/id/place/bolton-halliwell")
PCN = URIRef("https://w3id.org/cop-graph/id/organisation/u46071")


@pytest.fixture(scope="module")
def tiny(reference_nquads):
    """The ontology (for the class hierarchy), the tiny graph and an earlier import."""
    store = OxigraphStore(None)
    store.native.load(reference_nquads, format=ox.RdfFormat.N_QUADS)
    for name in store.named_graphs():
        if name.endswith("/reference"):
            store.drop([name])
    store.commit(Change(put={
        graph_iri("tiny"): Graph().parse(data=TINY, format="turtle"),
        graph_iri("import/old"): Graph().parse(data=OLD, format="turtle"),
    }))  # fmt: skip
    yield store
    store.close()


def rows(store, query, **bindings):
    return {(r["thing"], r["label"]) for r in queries.run(store, query, **bindings).dicts()}


def test_find_by_name_matches_the_exact_literal(tiny):
    assert rows(tiny, "workbook_find_by_name", wanted=Literal("Bolton")) == {
        (BOLTON, Literal("Bolton"))
    }
    assert rows(tiny, "workbook_find_by_name", wanted=Literal("Halliwell", lang="en")) == {
        (HALLIWELL, Literal("Halliwell", lang="en"))
    }
    assert rows(tiny, "workbook_find_by_name", wanted=Literal("bolton")) == set()


def test_find_by_code_matches_ods_and_ons_codes(tiny):
    assert rows(tiny, "workbook_find_by_code", code=Literal("U46071")) == {
        (PCN, Literal("West PCN"))
    }
    assert rows(tiny, "workbook_find_by_code", code=Literal("E05000650")) == {
        (HALLIWELL, Literal("Halliwell", lang="en"))
    }


def test_names_of_kind_follow_the_class_hierarchy(tiny):
    from cop_graph.namespaces import COP

    places = {thing for thing, _ in rows(tiny, "workbook_names_of_kind", kind=COP.Place)}
    assert {BOLTON, HALLIWELL} <= places
    assert PCN not in places
    wards = {thing for thing, _ in rows(tiny, "workbook_names_of_kind", kind=COP.Ward)}
    assert wards == {HALLIWELL}


def test_the_resolver_does_not_find_things_of_the_graph_being_replaced(tiny):
    old = Resolver(tiny)
    assert old.find("Old neighbourhood", ("place",)).label == "Old neighbourhood"
    replacing = Resolver(tiny, exclude=[graph_iri("import/old")])
    with pytest.raises(CellProblem, match="is not a place"):
        replacing.find("Old neighbourhood", ("place",))


def test_the_resolver_checks_the_kind(tiny):
    resolver = Resolver(tiny)
    assert resolver.find("halliwell", ("ward",)).iri == HALLIWELL
    with pytest.raises(CellProblem, match='"Bolton" is not a ward'):
        resolver.find("Bolton", ("ward",))
    assert resolver.find("West PCN", ("person", "organisation")).iri == PCN
