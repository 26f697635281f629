"""The practice page: which communities share it and where, so that places can find each other.

This is the page behind "neighbourhoods share a practice": every place listed has at least
one community that shares the practice, and the page names those communities as evidence.
"""

from __future__ import annotations

from rdflib import URIRef

from cop_graph.namespaces import COP
from cop_graph.pages.display import by_label, thing
from cop_graph.pages.public import PublicData
from cop_graph.pages.sections import take_linked

__all__ = ["add_practice_sections"]


def add_practice_sections(data: PublicData, iri: URIRef, page: dict) -> dict:
    """Add the communities sharing the practice and the places they work in."""
    page["template"] = "practice"
    take_linked(page, COP.sharesPractice)
    page["resources"] = take_linked(page, COP.aboutPractice)["values"]
    communities: dict[str, dict] = {}
    places: dict[str, dict] = {}
    for row in data.rows("page_practice_communities", practice=iri):
        community = communities.setdefault(
            str(row["community"]), {**thing(row["community"], row.get("communityLabel")), "in": []}
        )
        if "where" in row:
            where = thing(row["where"], row.get("whereLabel"))
            community["in"].append(where)
            place = places.setdefault(where["iri"], {**where, "communities": []})
            place["communities"].append(thing(row["community"], row.get("communityLabel")))
    for community in communities.values():
        community["in"] = by_label(community["in"])
    for place in places.values():
        place["communities"] = by_label(place["communities"])
    page["communities"] = by_label(communities.values())
    page["places"] = by_label(places.values())
    return page
