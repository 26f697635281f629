"""The community page: who it is, where it works, what it shares, how far it has come.

Sections follow the framework: the domain and purpose (essential elements), the members by
Wenger role, progress through the seven framework steps, outcomes with their observations
over time, and the community's resources and events.
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from cop_graph.framework import WENGER_ROLES
from cop_graph.namespaces import COP, FOAF, SDO
from cop_graph.pages.display import plain_date, thing, value
from cop_graph.pages.entity import memberships
from cop_graph.pages.public import PublicData
from cop_graph.pages.sections import take_facts, take_linked

__all__ = ["ROLE_ORDER", "add_community_sections", "count_phrase"]

#: Wenger's seven roles in the framework's order, then plain members and hosts
ROLE_ORDER = [*WENGER_ROLES, COP.Member, COP.Facilitator]


def count_phrase(count: int, label: str) -> str:
    """``count`` things called ``label``, in words.

    >>> count_phrase(2, "Community keeper"), count_phrase(1, "Member")
    ('2 community keepers', '1 member')
    >>> count_phrase(3, "Host or facilitator")
    '3 hosts or facilitators'
    """
    words = label.lower()
    if count != 1:
        words = " or ".join(part + "s" for part in words.split(" or "))
    return f"{count} {words}"


def add_community_sections(data: PublicData, iri: URIRef, page: dict) -> dict:
    """Add the community sections to an entity page of ``iri`` (see :func:`entity_page`)."""
    page["template"] = "community"
    page["domains"] = take_facts(page, COP.hasDomain)
    page["purpose"] = _first_text(take_facts(page, COP.purpose))
    page["openness"] = take_facts(page, COP.openness)
    page["started"] = _first_text(take_facts(page, SDO.foundingDate))
    page["homepage"] = take_facts(page, FOAF.homepage)
    page["places"] = take_facts(page, COP.operatesIn)
    page["practices"] = take_facts(page, COP.sharesPractice)
    page["principles"] = take_facts(page, COP.adoptsPrinciple)
    page["chapters"] = take_facts(page, COP.alignsWithChapter)
    page["aims"] = take_facts(page, COP.pursuesAim)
    page["spaces"] = take_facts(page, COP.meetsIn)
    page["norms"] = take_facts(page, COP.hasNorm)
    for prop in (COP.eventOf, COP.heldBy, COP.producedBy, COP.outcomeOf, COP.observedFor):
        take_linked(page, prop)
    page["assessments"] = take_linked(page, COP.assessedCommunity)["total"]
    page["members"] = members_by_role(memberships(data, iri))
    page["progress"] = progress(data, iri)
    page["outcomes"] = outcomes(data, iri)
    page["events"] = [
        {
            **thing(row["event"], row.get("eventLabel")),
            "date": value(row["start"])["text"] if "start" in row else "",
            "where": thing(row["space"], row.get("spaceLabel")) if "space" in row else None,
        }
        for row in data.rows("page_community_events", community=iri)
    ]
    page["resources"] = resources(data, iri)
    return page


def resources(data: PublicData, iri: URIRef) -> list[dict]:
    """The resources the community keeps or produced, once each (``produced`` says which)."""
    found: dict[str, dict] = {}
    for row in data.rows("page_community_resources", community=iri):
        item = found.setdefault(
            str(row["resource"]),
            {
                **thing(row["resource"], row.get("resourceLabel")),
                "type": str(row.get("typeLabel", "")),
                "url": str(row["url"]) if "url" in row else "",
                "produced": False,
            },
        )
        item["produced"] = item["produced"] or bool(row["produced"].toPython())
    return list(found.values())


def members_by_role(items: list[dict]) -> list[dict]:
    """Memberships grouped by role, in the framework's order of roles.

    Each group: ``role`` (a thing), ``named`` people who agreed to be shown, ``unnamed`` (how
    many other people), ``unnamed_phrase`` ("2 community keepers") and ``organisations``.
    """
    groups: dict[str, dict] = {}
    for item in items:
        role = item["role"] or thing(COP.Member, Literal("Member"))
        group = groups.setdefault(
            role["iri"], {"role": role, "named": [], "unnamed": 0, "organisations": []}
        )
        if item["member"] is None:
            group["unnamed"] += 1
        elif item["person"]:
            group["named"].append(item["member"])
        else:
            group["organisations"].append(item["member"])
    order = [str(role) for role in ROLE_ORDER]
    result = sorted(
        groups.values(),
        key=lambda g: order.index(g["role"]["iri"]) if g["role"]["iri"] in order else 99,
    )
    for group in result:
        group["named"].sort(key=lambda m: m["label"].lower())
        group["organisations"].sort(key=lambda m: m["label"].lower())
        people = group["unnamed"] + len(group["named"])
        group["people"] = people
        group["unnamed_phrase"] = (
            count_phrase(group["unnamed"], group["role"]["label"]) if group["unnamed"] else ""
        )
    return result


def progress(data: PublicData, iri: URIRef) -> list[dict]:
    """The latest self-assessment of each of the seven steps (``status`` None if never)."""
    steps: dict[str, dict] = {}
    for row in data.rows("page_community_progress", community=iri):
        step = str(row["step"])
        if step in steps:
            steps[step]["history"] += 1
            continue
        assessed = "status" in row
        steps[step] = {
            "step": thing(row["step"], row.get("stepLabel")),
            "number": int(row["number"].toPython()),
            "status": thing(row["status"], row.get("statusLabel")) if assessed else None,
            "status_key": str(row["status"]).rsplit("#", 1)[-1] if assessed else "NotAssessed",
            "date": value(row["date"])["text"] if assessed else "",
            "notes": str(row.get("notes", "")),
            "history": 1 if assessed else 0,
        }
    return sorted(steps.values(), key=lambda s: s["number"])


def outcomes(data: PublicData, iri: URIRef) -> list[dict]:
    """Outcomes with their indicators, each with its observations as (date, value) points."""
    found: dict[str, dict] = {}
    indicators: dict[tuple[str, str], dict] = {}
    for row in data.rows("page_community_outcomes", community=iri):
        outcome = found.setdefault(
            str(row["outcome"]),
            {
                **thing(row["outcome"], row.get("outcomeLabel")),
                "description": str(row.get("outcomeDescription", "")),
                "indicators": [],
            },
        )
        if "indicator" not in row:
            continue
        key = (str(row["outcome"]), str(row["indicator"]))
        if key not in indicators:
            higher = row.get("higherIsBetter")
            indicators[key] = {
                **thing(row["indicator"], row.get("indicatorLabel")),
                "unit": str(row.get("unit", "")),
                "higher_is_better": None if higher is None else bool(higher.toPython()),
                "points": [],
            }
            outcome["indicators"].append(indicators[key])
        if "date" in row and "value" in row:
            day = row["date"].toPython()
            indicators[key]["points"].append(
                {
                    "date": str(row["date"]),
                    "date_text": plain_date(day) if hasattr(day, "year") else str(day),
                    "value": float(row["value"].toPython()),
                    "value_text": value(row["value"])["text"],
                }
            )
    return sorted(found.values(), key=lambda o: o["label"].lower())


def _first_text(values: list[dict]) -> str:
    return values[0].get("text", "") if values else ""
