"""Connection pictures, the map and the small charts: what they hold and how they are drawn."""

from __future__ import annotations

import itertools
import math
import re

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import URIRef

from cop_graph.pages import PublicData
from cop_graph.pages.charts import line_chart
from cop_graph.pages.maps import SHADES, legend, locality_outlines, map_svg, shade_index, ward_areas
from cop_graph.pages.pictures import (
    KINDS,
    MAX_OUTER,
    MAX_PER_KIND,
    Picture,
    layout,
    neighbourhood,
    picture_svg,
    picture_text,
)
from cop_graph.store.oxigraph import OxigraphStore

ID = "https://w3id.org/cop-graph/id/"


@pytest.fixture(scope="module")
def data(demo_nquads):
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    yield PublicData(store)
    store.close()


@pytest.mark.parametrize(
    "path", ["community/bolton-health-walks-network", "place/wigan", "practice/health-walks"]
)
def test_a_neighbourhood_has_the_thing_in_the_middle_and_no_people(data, path):
    picture = neighbourhood(data, URIRef(ID + path), "Centre")
    graph = picture.graph
    assert graph.nodes[ID + path]["ring"] == 0
    assert nx.is_connected(graph)
    assert not [n for n in graph if "/person/" in n]
    inner = picture.ring(1)
    assert inner
    for kind in KINDS:
        assert sum(graph.nodes[n]["kind"] == kind for n in inner) <= MAX_PER_KIND
    assert len(picture.ring(2)) <= MAX_OUTER
    for a, b in graph.edges:  # links only join neighbouring rings
        assert abs(graph.nodes[a]["ring"] - graph.nodes[b]["ring"]) == 1


def test_a_communitys_picture_shows_its_places_practices_roles_and_kindred_communities(data):
    picture = neighbourhood(
        data, URIRef(ID + "community/bolton-health-walks-network"), "Bolton health walks"
    )
    kinds = {picture.graph.nodes[n]["kind"] for n in picture.ring(1)}
    assert {"place", "practice", "domain", "role"} <= kinds
    outer = picture.ring(2)
    assert outer and all(picture.graph.nodes[n]["kind"] == "community" for n in outer)


def test_nodes_are_laid_out_apart_and_inside_the_picture(data):
    picture = neighbourhood(data, URIRef(ID + "community/bolton-health-walks-network"), "x")
    positions = layout(picture)
    for x, y, _ in positions.values():
        assert 0 < x < 1100 and 0 < y < 700
    for (a, pa), (b, pb) in itertools.combinations(positions.items(), 2):
        assert math.dist(pa[:2], pb[:2]) > 18, (a, b)


def test_the_picture_escapes_names_and_links_only_where_told():
    picture = Picture(centre="https://example.org/c")
    picture.graph.add_node(picture.centre, label="<script>x</script>", kind="community", ring=0)
    picture.graph.add_node("https://example.org/p", label='A & "B"', kind="place", ring=1)
    picture.graph.add_edge(picture.centre, "https://example.org/p")
    svg = picture_svg(picture, href=lambda n: "/here" if n.endswith("/p") else None, title="T")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "A &amp; &quot;B&quot;" in svg
    assert svg.count("<a ") == 1 and 'href="/here"' in svg
    assert picture_text(picture) == [
        {"heading": "Places", "things": [{"iri": "https://example.org/p", "label": 'A & "B"'}]}
    ]


def test_the_map_has_every_ward_and_links_each_locality_once():
    areas = ward_areas()
    assert len(areas) == 215
    svg = map_svg(
        {"E08000010": 3},
        {"E08000010": ("/id/place/wigan", "Wigan <b>")},
        title="Map & key",
    )
    assert svg.count("<a ") == 1 and "Wigan &lt;b&gt;: 3 communities" in svg
    assert '<title id="map-title">Map &amp; key</title>' in svg
    wigan_only = map_svg({}, {}, by="ward", focus="E08000010")
    assert wigan_only.count("<path") == sum(a.locality == "E08000010" for a in areas)


def test_the_map_by_locality_draws_each_locality_from_its_own_outline():
    outlines = locality_outlines()
    assert len(outlines) == 10
    svg = map_svg({}, {})
    assert svg.count("<path") == 10
    assert all(f'd="{outline}"' in svg for outline in outlines.values())
    # drawn in the wards' projection: each outline lies where its wards are
    for code, outline in outlines.items():
        wards = [a for a in ward_areas() if a.locality == code]
        left, top = min(a.bounds[0] for a in wards), min(a.bounds[1] for a in wards)
        right, bottom = max(a.bounds[2] for a in wards), max(a.bounds[3] for a in wards)
        numbers = [float(n) for n in re.findall(r"-?\d+\.\d", outline)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert left - 3 <= min(xs) and max(xs) <= right + 3, code
        assert top - 3 <= min(ys) and max(ys) <= bottom + 3, code


def test_the_maps_key_matches_its_shading():
    for most in (1, 2, 3, 7, 40, 1000):
        key = legend(most)
        colours = {entry["colour"] for entry in key}
        assert {SHADES[shade_index(n, most)] for n in range(most + 1)} == colours
        assert key[-1]["text"].endswith(str(most))


def test_charts_draw_one_point_per_observation():
    points = [{"date": f"2024-0{m}-01", "value": float(m), "value_text": str(m)} for m in (1, 4, 7)]
    svg = line_chart(points, "People <walking>")
    assert svg.count("<circle") == 3
    assert "People &lt;walking&gt;: from 1 on 01 Jan 2024 to 7 on 01 Jul 2024" in svg
