"""The page "Where the data comes from" and its JSON twin.

Two levels: the page builder on a tiny hand-written store (every backend), so each field is
pinned to the triple it comes from; and the web page over the full demo store, which must
list every dataset the reference data describes, with every field, and be reachable from the
footer of every page.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from cop_graph.config import load_settings
from cop_graph.namespaces import COP, DCAT, DCTERMS, FOAF, GRAPH, PROV, RDF, RDFS, SKOS, XSD
from cop_graph.pages.public import PublicData
from cop_graph.pages.sources import FIELDS, sources_page
from cop_graph.queries.catalogue import record
from cop_graph.resources import reference_files
from cop_graph.store import Change
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

REFERENCE = GRAPH["reference"]
OGL = URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
WARDS = URIRef(f"{REFERENCE}#wards")
SEED = URIRef(f"{REFERENCE}#seed")
ONS = URIRef(f"{REFERENCE}#publisher-ons")
WARD = URIRef("https://w3id.org/cop-graph/id/place/bolton-breightmet")
POINT = URIRef(f"{WARD}#centroid")
INVENTED = URIRef("https://w3id.org/cop-graph/id/community/walkers")


# -- the builder on a tiny store --------------------------------------------------------------


def _tiny_reference() -> list[tuple]:
    period = URIRef(f"{WARDS}-period")
    return [
        (REFERENCE, RDF.type, DCAT.Dataset),
        (REFERENCE, RDFS.label, Literal("Test reference data")),
        (REFERENCE, DCTERMS.source, WARDS),
        (REFERENCE, DCTERMS.source, SEED),
        (WARDS, RDF.type, DCAT.Dataset),
        (WARDS, RDFS.label, Literal("Test wards")),
        (WARDS, DCTERMS.publisher, ONS),
        (WARDS, DCAT.landingPage, URIRef("https://example.org/wards")),
        (WARDS, DCTERMS.license, OGL),
        (WARDS, DCTERMS.temporal, period),
        (WARDS, COP.retrieved, Literal("2026-11-28", datatype=XSD.date)),
        (WARDS, DCTERMS.identifier, Literal("data/sources/wards.geojson")),
        (period, RDF.type, DCTERMS.PeriodOfTime),
        (period, RDFS.label, Literal("May 2023")),
        (period, DCAT.startDate, Literal("2023-05", datatype=XSD.gYearMonth)),
        (ONS, RDF.type, FOAF.Organization),
        (ONS, FOAF.name, Literal("Office for National Statistics")),
        (ONS, FOAF.homepage, URIRef("https://www.ons.gov.uk/")),
        (SEED, RDF.type, DCAT.Dataset),
        (SEED, RDFS.label, Literal("Test seed")),
        (SEED, DCTERMS.issued, Literal("2026-11-28", datatype=XSD.date)),
        (SEED, COP.unrecorded, DCAT.landingPage),
        (SEED, COP.unrecorded, COP.retrieved),
        (SEED, SKOS.editorialNote, Literal("Written by hand.")),
        (WARD, RDF.type, COP.Ward),
        (WARD, RDFS.label, Literal("Breightmet")),
        (WARD, PROV.wasDerivedFrom, WARDS),
        (POINT, RDF.type, URIRef("http://www.opengis.net/ont/geosparql#Geometry")),
        (POINT, PROV.wasDerivedFrom, WARDS),
    ]


@pytest.fixture
def tiny(store):
    demo = [(INVENTED, RDFS.label, Literal("Walkers")), (INVENTED, COP.illustrative, Literal(True))]
    catalogue = record(GRAPH.demo, title="Demo", kind="demo", triples=2, illustrative=True)
    catalogue += record(REFERENCE, title="Reference", kind="reference", triples=29)
    store.commit(
        Change(put={REFERENCE: _tiny_reference(), GRAPH.demo: demo, GRAPH.catalogue: catalogue})
    )
    return sources_page(PublicData(store))


def test_each_dataset_field_comes_from_its_triple(tiny):
    found = {d["iri"]: d for d in tiny["datasets"]}
    assert [d["label"] for d in tiny["datasets"]] == [
        "Test reference data",
        "Test seed",
        "Test wards",
    ]
    wards = found[str(WARDS)]
    assert wards["publisher"] == {
        "iri": str(ONS),
        "label": "Office for National Statistics",
        "homepage": "https://www.ons.gov.uk/",
    }
    assert wards["landing_page"] == "https://example.org/wards"
    assert wards["licences"] == [{"iri": str(OGL), "label": "Open Government Licence v3.0"}]
    assert wards["edition"]["period"] == {"label": "May 2023", "start": "2023-05", "end": None}
    assert wards["edition"]["text"] == "May 2023"
    assert (wards["retrieved"], wards["retrieved_text"]) == ("2026-11-28", "28 November 2026")
    assert (wards["things"], wards["map_points"]) == (1, 1)  # the ward, and its map point
    assert wards["part_of"] == [str(REFERENCE)]
    assert wards["file"] == "data/sources/wards.geojson"
    assert wards["unrecorded"] == [] and wards["unrecorded_note"] is None


def test_a_gap_is_said_with_its_reason_and_a_whole_counts_its_parts(tiny):
    found = {d["iri"]: d for d in tiny["datasets"]}
    seed = found[str(SEED)]
    assert seed["unrecorded"] == ["date copied", "landing page"]
    assert seed["unrecorded_note"] == "Written by hand."
    assert seed["edition"]["text"] == "Published 28 November 2026"
    assert seed["publisher"] is None and seed["retrieved"] is None
    whole = found[str(REFERENCE)]
    assert whole["parts"] == [str(SEED), str(WARDS)]
    assert whole["built_from"] == []
    assert whole["things"] == 1


def test_invented_data_is_counted_and_its_graph_marked(tiny):
    assert tiny["invented_things"] == 1
    assert [g["label"] for g in tiny["illustrative_graphs"]] == ["Demo"]
    kinds = {g["label"]: (g["kind_label"], g["illustrative"]) for g in tiny["graphs"]}
    assert kinds == {
        "Demo": ("Invented demo data", True),
        "Reference": ("Official and public reference data", False),
    }


# -- the web page over the demo store ----------------------------------------------------------


@pytest.fixture(scope="module")
def client(demo_nquads):
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    app = create_app(
        {"TESTING": True, "STORE": store, "SETTINGS": load_settings({}, store="memory:")}
    )
    yield app.test_client()
    store.close()


@pytest.fixture(scope="module")
def described() -> dict[str, str]:
    """Every dataset the committed reference files describe, by IRI, with its title."""
    graph = Graph()
    for path in reference_files():
        graph.parse(path, format="turtle")
    return {str(d): str(graph.value(d, RDFS.label)) for d in graph.subjects(RDF.type, DCAT.Dataset)}


def test_the_json_twin_lists_every_dataset_with_every_field(client, described):
    response = client.get("/api/sources")
    assert response.status_code == 200
    page = response.get_json()
    assert page["ok"] is True and page["title"] == "Where the data comes from"
    listed = {d["iri"]: d for d in page["datasets"]}
    assert set(described) <= set(listed)
    for iri, title in described.items():
        dataset = listed[iri]
        assert dataset["label"] == title
        for field in FIELDS:
            assert field in dataset, (iri, field)
        assert dataset["publisher"]["label"], iri
        assert dataset["licences"], iri
        for field, gap in (
            ("landing_page", "landing page"),
            ("edition", "edition date"),
            ("retrieved", "date copied"),
        ):
            assert (dataset[field] is None) == (gap in dataset["unrecorded"]), (iri, field)
    wards = listed[f"{REFERENCE}#gm-ward-2023-bsc"]
    assert wards["publisher"]["label"] == "Office for National Statistics"
    assert wards["edition"]["text"] == "May 2023" and wards["things"] >= 215


def test_the_json_twin_marks_the_demo_as_invented_and_lists_the_framework_document(client):
    page = client.get("/api/sources").get_json()
    assert page["invented_things"] > 0
    assert [g["iri"] for g in page["illustrative_graphs"]] == [str(GRAPH.demo)]
    assert str(COP.FrameworkDocument) in {d["iri"] for d in page["documents"]}


def test_the_page_shows_each_dataset_and_its_fields(client, described):
    response = client.get("/sources")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")
    for title in described.values():
        assert title in text, title
    for heading in (
        "Published by",
        "Publisher's page for it",
        "Licence",
        "Edition",
        "Copied by this project",
        "Things on this site from it",
    ):
        assert text.count(heading) >= len(described), heading
    assert "Published 30 October 2025" in text and "28 November 2026" in text
    assert "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025" in html
    assert "Invented data" in text and "illustrative" in text


@pytest.mark.parametrize("url", ["/", "/downloads", "/ontology", "/id/place/wigan", "/sources"])
def test_every_page_links_to_it_from_the_footer(client, url):
    html = client.get(url).get_data(as_text=True)
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert '<a href="/sources">Where the data comes from</a>' in footer


def test_a_things_datasets_link_to_their_entries_on_the_page(client):
    html = client.get("/id/place/bolton-breightmet").get_data(as_text=True)
    anchors = set(re.findall(r'href="/sources#([a-z0-9-]+)"', html))
    assert {"gm-ward-2023-bsc", "gm-imd2025-lsoa21"} <= anchors
    page = client.get("/sources").get_data(as_text=True)
    for anchor in anchors:
        assert f'id="{anchor}"' in page, anchor
