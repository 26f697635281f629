"""The place page: who works there, which practices and organisations are found there, how
deprived it is, and where it sits among larger and smaller places.

Every kind of place (locality, ward, neighbourhood, and the area of a Primary Care Network or
GP practice, see :mod:`cop_graph.pages.care_area`) has the same parts, so a coordinator can
move up and down the map and always find the same answers. A place's communities include
those working in any smaller place within it (a ward's community also works in its
locality); those working across a larger place that includes it (a locality-wide community,
seen from one of its wards) are listed too and say so, so no ward reads "no communities"
while its whole locality is covered.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import URIRef

from cop_graph.namespaces import COP, FOAF
from cop_graph.pages.display import by_label, kind_of, thing, value
from cop_graph.pages.entity import MAX_LISTED
from cop_graph.pages.public import PublicData
from cop_graph.pages.sections import take_facts, take_linked
from cop_graph.pages.wording import forward

__all__ = ["DEPRIVATION", "OWN_SECTIONS", "add_place_sections", "deprivation", "place_parts"]

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
#: kinds of place by class, most particular first
_KINDS = (
    (COP.Ward, "ward"),
    (COP.Neighbourhood, "neighbourhood"),
    (COP.Locality, "locality"),
    (COP.Region, "region"),
)
#: kinds of organisation the page lists in a section of their own (the organisations keep
#: them too, for the JSON twin's readers; the HTML page leaves them out there)
OWN_SECTIONS = (str(COP.GPPractice), str(COP.PrimaryCareNetwork))


def add_place_sections(data: PublicData, iri: URIRef, page: dict) -> dict:
    """Add the map's area, communities, practices, deprivation and the places around it."""
    page["template"] = "place"
    page["place_kind"] = next((name for kind, name in _KINDS if str(kind) in page["types"]), "")
    within = take_facts(page, COP.withinPlace)
    made_of = take_facts(page, COP.comprises)
    for prop in DEPRIVATION:
        take_facts(page, prop)
    smaller = take_linked(page, COP.withinPlace)
    neighbourhoods = take_linked(page, COP.comprises)
    for prop in (COP.operatesIn, COP.basedIn, COP.servesPlace):
        take_linked(page, prop)
    here = thing(iri, page["label"])
    page["within"] = within
    page["area"] = made_of or [here]
    page.update(place_parts(data, [iri], here))
    page["hierarchy"] = _hierarchy(page, within, neighbourhoods, smaller, made_of)
    organisations, people = _organisations(data, iri)
    page["organisations"] = organisations
    page["people"] = people
    return page


def place_parts(data: PublicData, places: list[URIRef], figures_of: dict | None) -> dict:
    """The parts every place page has, for the places in ``places`` taken together:
    communities (here and across larger places), shared practices, GP practices and
    networks, and the deprivation figures of ``figures_of`` (a thing, or None)."""
    here, wider = _communities(data, places)
    practices: dict[str, dict] = {}
    for place in places:
        for row in data.rows("page_place_practices", place=place):
            found = practices.setdefault(
                str(row["practice"]),
                {**thing(row["practice"], row.get("practiceLabel")), "communities": 0},
            )
            found["communities"] = max(found["communities"], int(row["communities"]))
    ordered = sorted(practices.values(), key=lambda p: (-p["communities"], p["label"].lower()))
    return {
        "communities": here,
        "wider_communities": wider,
        "communities_total": len(here) + len(wider),
        "practices": ordered,
        "gp_practices": _gp_practices(data, places),
        "networks": _networks(data, places),
        "deprivation": deprivation(data, URIRef(figures_of["iri"])) if figures_of else [],
        "deprivation_of": figures_of,
    }


def deprivation(data: PublicData, iri: URIRef) -> list[dict]:
    """The deprivation figures recorded for ``iri``, each with its heading, in page order."""
    rows = data.rows("page_place_deprivation", place=iri)
    found = {row["property"]: row["value"] for row in rows}
    return [
        {"property": str(prop), "heading": forward(prop), "values": [value(found[prop], prop)]}
        for prop in DEPRIVATION
        if prop in found
    ]


def _communities(data: PublicData, places: list[URIRef]) -> tuple[list[dict], list[dict]]:
    """Communities working in the places (or within them), and those working across a
    larger place that includes them, each saying which larger place (``across``)."""
    here = _grouped(row for p in places for row in data.rows("page_place_communities", place=p))
    mine = {community["iri"] for community in here}
    wider = _grouped(
        row for p in places for row in data.rows("page_place_wider_communities", place=p)
    )
    for community in wider:
        community["across"] = community.pop("in")
    return here, [community for community in wider if community["iri"] not in mine]


def _grouped(rows) -> list[dict]:
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


def _gp_practices(data: PublicData, places: list[URIRef]) -> dict:
    """GP practices based here (``values``, capped; ``total``), or, when practices are
    recorded only for a larger place, how many that place has (``wider``: place and total)."""
    here: dict[str, dict] = {}
    wider: dict[str, dict] = {}
    for place in places:
        for row in data.rows("page_place_gp_practices", place=place):
            practice = {
                **thing(row["practice"], row.get("practiceLabel")),
                "network": (
                    thing(row["network"], row.get("networkLabel")) if "network" in row else None
                ),
            }
            if row["wider"].toPython():
                where = wider.setdefault(
                    str(row["where"]), {**thing(row["where"], row.get("whereLabel")), "all": {}}
                )
                where["all"][practice["iri"]] = practice
            else:
                here[practice["iri"]] = practice
    listed = by_label(here.values())
    return {
        "total": len(listed),
        "values": listed[:MAX_LISTED],
        "wider": [
            {"place": {k: v for k, v in w.items() if k != "all"}, "total": len(w["all"])}
            for w in by_label(wider.values())
        ],
    }


def _networks(data: PublicData, places: list[URIRef]) -> dict:
    """Primary Care Networks serving here (each with its number of GP practices), and those
    serving a larger place that includes it (``wider``), each once."""
    here: dict[str, dict] = {}
    wider: dict[str, dict] = {}
    for place in places:
        for row in data.rows("page_place_networks", place=place):
            network = {
                **thing(row["network"], row.get("networkLabel")),
                "practices": int(row["practices"]),
                "across": thing(row["where"], row.get("whereLabel")),
            }
            (wider if row["wider"].toPython() else here)[network["iri"]] = network
    return {
        "values": by_label(here.values()),
        "wider": by_label(n for key, n in wider.items() if key not in here),
    }


def _hierarchy(
    page: dict, within: list, neighbourhoods: dict, smaller: dict, made_of: list
) -> dict:
    """Links up (larger places) and down (smaller places) as headed groups."""
    up = [
        {"heading": "Part of", "values": within, "total": len(within)},
        {"heading": "Part of neighbourhood", **neighbourhoods},
    ]
    inside = [p for p in smaller["values"] if p["iri"] not in _iris(made_of)]
    places = [p for p in inside if kind_of(p["iri"]) == "place"]
    others = [p for p in inside if kind_of(p["iri"]) != "place"]
    down = [
        {"heading": "Made up of these wards", "values": made_of, "total": len(made_of)},
        {
            "heading": f"Places within {page['label']}",
            "values": places,
            "total": smaller["total"] - len(others),
        },
        {"heading": "Meeting places here", "values": others, "total": len(others)},
    ]
    return {"up": [g for g in up if g["values"]], "down": [g for g in down if g["values"]]}


def _iris(things: list[dict]) -> set[str]:
    return {item["iri"] for item in things}


def _organisations(data: PublicData, iri: URIRef) -> tuple[list[dict], list[dict]]:
    """Organisations grouped by kind (most numerous kinds last), each group capped; and the
    people based here who agreed to be named (the public scope holds no place for anyone
    else), who are not organisations."""
    kinds: dict[str, dict] = {}
    members: dict[str, list[dict]] = defaultdict(list)
    for row in data.rows("page_place_organisations", place=iri):
        if "kind" not in row:
            continue
        kinds.setdefault(str(row["kind"]), thing(row["kind"], row.get("kindLabel")))
        members[str(row["kind"])].append(thing(row["organisation"], row.get("organisationLabel")))
    groups = []
    for kind, found in kinds.items():
        if kind == str(FOAF.Person):
            continue
        listed = by_label(members[kind])
        groups.append(
            {
                "kind": found,
                "total": len(listed),
                "values": listed[:MAX_LISTED],
                "own_section": kind in OWN_SECTIONS,
            }
        )
    people = by_label(members.get(str(FOAF.Person), []))[:MAX_LISTED]
    return sorted(groups, key=lambda g: (g["total"], g["kind"]["label"])), people
