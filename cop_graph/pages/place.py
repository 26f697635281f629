"""The place page: who works there, which organisations serve it, how deprived it is.

A place's communities include those working in any smaller place within it (a ward's
community also works in its locality), so a locality page answers "what is going on here?".
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import URIRef

from cop_graph.namespaces import COP
from cop_graph.pages.display import by_label, thing
from cop_graph.pages.entity import MAX_LISTED
from cop_graph.pages.public import PublicData
from cop_graph.pages.sections import take_facts, take_linked

__all__ = ["DEPRIVATION", "add_place_sections"]

#: the deprivation figures a place may carry, in the order the page lists them
DEPRIVATION = (
    COP.core20Share,
    COP.core20LsoaCount,
    COP.lsoaCount,
    COP.imdMeanLsoaScore,
    COP.imdWeightedAverageScore,
    COP.imdRankOfAverageScore,
    COP.imdAverageScore,  # deprecated, still shown where older data has it
)


def add_place_sections(data: PublicData, iri: URIRef, page: dict) -> dict:
    """Add communities, organisations, practices, smaller places and deprivation to a page."""
    page["template"] = "place"
    page["within"] = take_facts(page, COP.withinPlace)
    page["deprivation"] = [
        {"property": str(prop), "heading": fact["heading"], "values": fact["values"]}
        for prop in DEPRIVATION
        for fact in page["facts"]
        if fact["property"] == str(prop)
    ]
    for prop in DEPRIVATION:
        take_facts(page, prop)
    page["smaller_places"] = take_linked(page, COP.withinPlace)
    for prop in (COP.operatesIn, COP.basedIn, COP.servesPlace):
        take_linked(page, prop)
    here, wider = _communities(data, iri)
    page["communities"] = here
    page["wider_communities"] = wider
    page["organisations"] = _organisations(data, iri)
    page["practices"] = [
        {**thing(row["practice"], row.get("practiceLabel")), "communities": int(row["communities"])}
        for row in data.rows("page_place_practices", place=iri)
    ]
    return page


def _communities(data: PublicData, iri: URIRef) -> tuple[list[dict], list[dict]]:
    here = _grouped(data.rows("page_place_communities", place=iri))
    wider = _grouped(data.rows("page_place_wider_communities", place=iri))
    return here, [community for community in wider if community not in here]


def _grouped(rows: list[dict]) -> list[dict]:
    """One entry per community, with the places (``in``) it works in."""
    found: dict[str, dict] = {}
    for row in rows:
        community = found.setdefault(
            str(row["community"]), {**thing(row["community"], row.get("communityLabel")), "in": []}
        )
        community["in"].append(thing(row["where"], row.get("whereLabel")))
    for community in found.values():
        community["in"] = by_label(community["in"])
    return by_label(found.values())


def _organisations(data: PublicData, iri: URIRef) -> list[dict]:
    """Organisations grouped by kind (most numerous kinds last), each group capped."""
    kinds: dict[str, dict] = {}
    members: dict[str, list[dict]] = defaultdict(list)
    for row in data.rows("page_place_organisations", place=iri):
        if "kind" not in row:
            continue
        kinds.setdefault(str(row["kind"]), thing(row["kind"], row.get("kindLabel")))
        members[str(row["kind"])].append(thing(row["organisation"], row.get("organisationLabel")))
    groups = []
    for kind, found in kinds.items():
        listed = by_label(members[kind])
        groups.append({"kind": found, "total": len(listed), "values": listed[:MAX_LISTED]})
    return sorted(groups, key=lambda g: (g["total"], g["kind"]["label"]))
