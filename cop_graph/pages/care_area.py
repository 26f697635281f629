"""The page of a Primary Care Network or GP practice, shown as the place it looks after.

A network or practice is an organisation, but coordinators ask of it what they ask of a
place: who works in its area, what is shared there, how deprived it is. The reference data
records a network's area as the locality it serves (``cop:servesPlace``) and a practice's
as the locality it is based in (``cop:basedIn``), with the practice a member of its network
(``org:memberOf``); the page takes those places as its area and gives it every part a place
page has, plus the links between network and practices.
"""

from __future__ import annotations

from rdflib import URIRef

from cop_graph.namespaces import COP, ORG
from cop_graph.pages.display import by_label, thing
from cop_graph.pages.entity import memberships
from cop_graph.pages.place import place_parts
from cop_graph.pages.public import PublicData
from cop_graph.pages.sections import take_facts, take_linked

__all__ = ["CARE_KINDS", "add_care_area_sections"]

#: the kinds of organisation whose page is a place page, and what the page calls them
CARE_KINDS = {str(COP.PrimaryCareNetwork): "pcn", str(COP.GPPractice): "gp_practice"}


def add_care_area_sections(data: PublicData, iri: URIRef, page: dict) -> dict:
    """Add the area (map, communities, practices, deprivation) and the network's practices
    or the practice's network to the page of a network or practice."""
    page["template"] = "place"
    page["place_kind"] = next(CARE_KINDS[t] for t in page["types"] if t in CARE_KINDS)
    rows = data.rows("page_place_area", organisation=iri)
    area = by_label(thing(row["place"], row.get("placeLabel")) for row in rows)
    serves = take_facts(page, COP.servesPlace)
    based = take_facts(page, COP.basedIn)
    network = take_facts(page, ORG.memberOf)
    members = take_linked(page, ORG.memberOf)
    page["within"] = []
    page["area"] = area
    page.update(place_parts(data, [URIRef(a["iri"]) for a in area], area[0] if area else None))
    page["memberships"] = memberships(data, iri)
    up = [
        {"heading": "Serves", "values": serves, "total": len(serves)},
        {"heading": "Based in", "values": based, "total": len(based)},
        {"heading": "Primary Care Network", "values": network, "total": len(network)},
    ]
    down = [{"heading": "GP practices in this network", **members}]
    page["hierarchy"] = {
        "up": [g for g in up if g["values"]],
        "down": [g for g in down if g["values"]],
    }
    page["organisations"], page["people"] = [], []
    if page["place_kind"] == "pcn":
        # its own practices are listed under the network, not as "practices in the area"
        page["gp_practices"] = {"total": members["total"], "values": members["values"], "wider": []}
    return page
