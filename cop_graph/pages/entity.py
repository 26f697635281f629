"""The page of any one thing: its name, what it is, what it says and what links to it.

Community, place, practice and concept pages (see the sibling modules) start from this and add
their own sections. The same dict feeds the HTML page and its JSON twin; :func:`describe` gives
the facts for the Turtle, JSON-LD and N-Triples forms of the page.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.term import Node

from cop_graph.ids import is_web_link
from cop_graph.namespaces import COP, DCTERMS, FOAF, RDF, RDFS, SKOS
from cop_graph.pages.display import fallback_label, kind_of, plain_date, thing, value
from cop_graph.pages.naming import LINKING_TYPES, name_of
from cop_graph.pages.public import PublicData
from cop_graph.pages.wording import HIDDEN, backward, forward, order_of
from cop_graph.scope import ANONYMOUS_FACTS, gave_consent, may_be_named

__all__ = ["MAX_LISTED", "describe", "entity_page", "memberships", "show_value"]

#: most values listed under one heading; the page says how many more there are
MAX_LISTED = 100
_DESCRIPTIONS = (DCTERMS.description, SKOS.definition, RDFS.comment)
_TITLES = (RDFS.label, SKOS.prefLabel, DCTERMS.title, FOAF.name)


def show_value(term: Node) -> bool:
    """Whether a value may appear on a public page: anything but a link to a non-web address.

    >>> show_value(URIRef("javascript:alert(1)")), show_value(Literal("javascript:alert(1)"))
    (False, True)
    """
    return not isinstance(term, URIRef) or is_web_link(term)


def describe(data: PublicData, iri: URIRef) -> list[tuple[Node, Node, Node]]:
    """The public facts about ``iri`` (and its ``#`` parts), as published in RDF forms.

    They come from the public scope only, which holds nothing about a person who has not
    agreed to be named but that they are a person (see :mod:`cop_graph.scope`); links to
    anything but web addresses are left out.
    """
    facts = [
        (row["subject"], row["property"], row["value"])
        for row in data.rows("page_entity_description", entity=iri)
    ]
    return [triple for triple in facts if all(show_value(term) for term in triple)]


def entity_page(data: PublicData, iri: URIRef) -> dict | None:
    """Page data for ``iri``, or None when the public graphs say nothing about it."""
    rows = data.rows("page_entity_facts", entity=iri)
    if not rows:
        return None
    types = {row["value"] for row in rows if row["property"] == RDF.type}
    consented = any(
        row["property"] == COP.publicProfile and gave_consent(row["value"]) for row in rows
    )
    anonymous = not may_be_named(FOAF.Person in types, consented)
    if anonymous:
        rows = [row for row in rows if row["property"] in ANONYMOUS_FACTS]
    by_property: dict[URIRef, list[dict]] = defaultdict(list)
    for row in rows:
        by_property[row["property"]].append(row)
    label = _first_text(by_property, _TITLES)
    if anonymous:
        label = "A person (name not shown)"
    page = {
        "iri": str(iri),
        "kind": kind_of(iri),
        "label": label or fallback_label(str(iri)),
        "description": "" if anonymous else _first_text(by_property, _DESCRIPTIONS),
        "types": sorted((str(t) for t in types), key=str),
        "kinds": _sorted_values(by_property.get(RDF.type, []), RDF.type),
        "invented": any(
            row["property"] == COP.illustrative and row["value"] == Literal(True) for row in rows
        ),
        "anonymous": anonymous,
        "facts": _facts(by_property),
        "linked_from": [] if anonymous else _linked_from(data, iri),
    }
    if not anonymous and types & LINKING_TYPES:
        # named from its parts when it has no name (and a membership always: see naming)
        page["label"] = name_of(data, iri) or page["label"]
    return page


def memberships(data: PublicData, iri: URIRef) -> list[dict]:
    """Memberships where ``iri`` is the community (or organisation) or the member.

    Each: ``membership``, ``organisation`` and ``role`` (things), ``member`` (a thing, or None
    when the member is a person who has not agreed to be named), ``person`` (bool), dates.
    """
    result = []
    for row in data.rows("page_entity_memberships", entity=iri):
        member = row.get("member")
        is_person = bool(row.get("memberIsPerson", Literal(False)).toPython())
        consented = gave_consent(row.get("memberConsent"))
        named = member is not None and "memberLabel" in row and may_be_named(is_person, consented)
        result.append(
            {
                "membership": str(row["membership"]),
                "organisation": thing(row["organisation"], row.get("organisationLabel")),
                "role": thing(row["role"], row.get("roleLabel")) if "role" in row else None,
                "member": thing(member, row["memberLabel"]) if named else None,
                "person": is_person,
                "start": _date_text(row.get("start")),
                "end": _date_text(row.get("end")),
            }
        )
    return result


def _first_text(by_property: dict, properties) -> str:
    for prop in properties:
        for row in by_property.get(prop, []):
            if isinstance(row["value"], Literal):
                return str(row["value"])
    return ""


def _sorted_values(rows: list[dict], prop: URIRef) -> list[dict]:
    values = [value(row["value"], prop, row.get("valueLabel")) for row in rows]
    unique = {tuple(sorted(v.items())): v for v in values if show_value(_term_of(v))}
    return sorted(unique.values(), key=lambda v: (v.get("label") or v.get("text", "")).lower())


def _term_of(shown: dict) -> Node:
    return URIRef(shown["iri"]) if "iri" in shown else Literal(shown["text"])


def _facts(by_property: dict) -> list[dict]:
    facts = []
    for prop in sorted(by_property, key=order_of):
        if prop in HIDDEN:
            continue
        label = next((row.get("propertyLabel") for row in by_property[prop]), None)
        values = _sorted_values(by_property[prop], prop)
        if values:
            facts.append({"property": str(prop), "heading": forward(prop, label), "values": values})
    return facts


def _linked_from(data: PublicData, iri: URIRef) -> list[dict]:
    groups: dict[URIRef, dict] = {}
    for row in data.rows("page_entity_links", entity=iri):
        prop, subject = row["property"], row["subject"]
        if not show_value(subject):
            continue
        group = groups.setdefault(
            prop, {"property": str(prop), "heading": backward(prop, row.get("propertyLabel"))}
        )
        group.setdefault("all", {})[str(subject)] = thing(subject, row.get("subjectLabel"))
    result = []
    for prop in sorted(groups, key=lambda p: backward(p).lower()):
        group = groups[prop]
        values = sorted(group.pop("all").values(), key=lambda v: v["label"].lower())
        group["total"] = len(values)
        group["values"] = values[:MAX_LISTED]
        result.append(group)
    return result


def _date_text(term: Node | None) -> str:
    if term is None:
        return ""
    python = term.toPython()
    return plain_date(python) if hasattr(python, "year") else str(term)
