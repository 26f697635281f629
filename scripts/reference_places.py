"""Places for the reference data: GM, its localities, wards and Trafford's four localities.

Wards are the May 2023 electoral wards, the smallest real unit every community can be placed
in. Neighbourhoods are usually defined by coordinators; Trafford's four council-defined
localities are the only published set, so they are the only neighbourhoods here.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from reference_geometry import representative_wkt, wkt_point
from reference_rdf import (
    GM,
    GM_CODE,
    Minted,
    Sources,
    add_centroid,
    add_labelled,
    add_place,
    derived_from,
    locality_iri,
    new_graph,
)

from cop_graph.ids import mint
from cop_graph.namespaces import COP, DCTERMS

__all__ = ["TRAFFORD_LOCALITIES", "WARDS", "build_places", "trafford_localities", "ward_iris"]

LOCALITIES = "gm/gm_local_authorities.csv"
GM_OUTLINE = "gm/boundaries/gm_combined_authority_2023_bsc.geojson"
#: not read here: the home page map draws it (``cop_graph.pages.maps``); described with the
#: places so that the page on where the data comes from lists it too
LOCALITY_OUTLINES = "gm/boundaries/gm_local_authority_2023_bsc.geojson"
WARDS = "gm/boundaries/gm_ward_2023_bsc.geojson"
TRAFFORD_LOCALITIES = "gm/neighbourhoods/trafford_ward23_to_locality.csv"
TRAFFORD_OUTLINES = "gm/neighbourhoods/trafford_localities_2023_bsc.geojson"


def ward_iris(sources: Sources, minted: Minted | None = None) -> dict[str, URIRef]:
    """Each May 2023 ward's IRI by its ONS code, claimed in ``minted`` when given.

    The IRI is ``mint("place", locality, ward name)``: ward names repeat across localities
    (Brooklands, Manor), never within one; ``minted`` turns a repeat into an error.
    """
    lad_names = {row["lad_code"]: row["lad_name"] for row in sources.localities}
    iris = {}
    for code, (properties, _) in sorted(sources.wards.items()):
        locality = lad_names.get(properties["local_authority_area_code"])
        if locality != properties["local_authority_area_name"]:
            raise ValueError(f"ward {code} is in no known Greater Manchester locality")
        iri = mint("place", locality, properties["area_name"])
        what = f"the ward {properties['area_name']} ({code})"
        iris[code] = minted.claim(iri, what) if minted else iri
    return iris


def trafford_localities(sources: Sources) -> dict[URIRef, tuple[str, list[str]]]:
    """Trafford's council-defined localities: IRI → (name such as ``"Central"``, ward codes)."""
    members: dict[URIRef, tuple[str, list[str]]] = {}
    for row in sources.rows(TRAFFORD_LOCALITIES):
        name = row["trafford_locality"]
        iri = mint("place", "Trafford", name)
        members.setdefault(iri, (name, []))[1].append(row["wd23_code"])
    return members


def build_places(sources: Sources, minted: Minted) -> Graph:
    """GM, its localities, wards and Trafford's four localities, each with a map point."""
    graph = new_graph(
        sources,
        LOCALITIES,
        GM_OUTLINE,
        LOCALITY_OUTLINES,
        WARDS,
        TRAFFORD_LOCALITIES,
        TRAFFORD_OUTLINES,
    )
    add_region(graph, sources, minted)
    add_localities(graph, sources, minted)
    add_wards(graph, sources, minted)
    add_trafford_localities(graph, sources, minted)
    return graph


def add_region(graph: Graph, sources: Sources, minted: Minted) -> None:
    region = minted.claim(GM, "Greater Manchester")
    add_place(graph, region, COP.Region, "Greater Manchester", GM_CODE)
    outline = sources.areas(GM_OUTLINE)
    point = add_centroid(
        graph, region, "Greater Manchester", representative_wkt(outline[GM_CODE][1])
    )
    for thing in (region, point):
        derived_from(graph, thing, sources, GM_OUTLINE)


def add_localities(graph: Graph, sources: Sources, minted: Minted) -> None:
    for row in sources.localities:
        name = row["lad_name"]
        locality = minted.claim(locality_iri(name), f"the locality {name}")
        add_place(graph, locality, COP.Locality, name, row["lad_code"])
        description = "One of the ten localities (metropolitan boroughs) of Greater Manchester."
        graph.add((locality, DCTERMS.description, Literal(description)))
        graph.add((locality, COP.withinPlace, GM))
        point = wkt_point(float(row["centroid_lon"]), float(row["centroid_lat"]))
        for thing in (locality, add_centroid(graph, locality, name, point)):
            derived_from(graph, thing, sources, LOCALITIES)


def add_wards(graph: Graph, sources: Sources, minted: Minted) -> None:
    for code, ward in ward_iris(sources, minted).items():
        properties, shape = sources.wards[code]
        name = properties["area_name"]
        locality = properties["local_authority_area_name"]
        add_place(graph, ward, COP.Ward, name, code)
        description = f"Electoral ward in {locality} (May 2023 boundaries)."
        graph.add((ward, DCTERMS.description, Literal(description)))
        graph.add((ward, COP.withinPlace, locality_iri(locality)))
        for thing in (ward, add_centroid(graph, ward, name, representative_wkt(shape))):
            derived_from(graph, thing, sources, WARDS)


def add_trafford_localities(graph: Graph, sources: Sources, minted: Minted) -> None:
    """Trafford's localities as ``cop:Neighbourhood``s made of wards, sourced to the council."""
    wards = ward_iris(sources)
    shapes = sources.areas(TRAFFORD_OUTLINES)
    for iri, (name, codes) in sorted(trafford_localities(sources).items()):
        label = f"Trafford {name}"
        place = minted.claim(iri, f"the neighbourhood {label}")
        add_labelled(graph, place, COP.Neighbourhood, label)
        description = (
            f"One of Trafford Council's four localities: defined by the council, not by ONS, "
            f"as {len(codes)} wards (May 2023 boundaries)."
        )
        graph.add((place, DCTERMS.description, Literal(description)))
        derived_from(graph, place, sources, TRAFFORD_LOCALITIES)
        graph.add((place, COP.withinPlace, locality_iri("Trafford")))
        for code in codes:
            graph.add((place, COP.comprises, wards[code]))
        point = add_centroid(graph, place, label, representative_wkt(shapes[name][1]))
        derived_from(graph, point, sources, TRAFFORD_OUTLINES)
