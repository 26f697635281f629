"""Names for the things that only link other things, made from what they link.

A membership, a self-assessment, a measurement or a partnership is an n-ary node: data
written to W3C ORG elsewhere never gives it a name of its own, and the rules no longer ask
for one. Pages and search still need something to call it, so it is named here from its
parts ("Sam Taylor — Agenda activist in Health walks Wigan", "Step 3 self-assessment of
Health walks Wigan, 2025-03-31", "Walkers per week: 42 on 2025-03-31"), in one place so the
page's title and the search result agree.

A membership is always named from its parts, even when it has a name: that name might name
a person who has not agreed to be named. A person is named only when their record consents
(:func:`cop_graph.scope.may_be_named`); otherwise "A member".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from cop_graph.namespaces import COP, DCTERMS, ORG
from cop_graph.pages.display import fallback_label
from cop_graph.pages.public import PublicData
from cop_graph.scope import gave_consent, may_be_named

__all__ = [
    "LINKING_TYPES",
    "Parts",
    "assessment_name",
    "derived_name",
    "derived_names",
    "membership_name",
    "name_of",
    "observation_name",
    "partnership_name",
]

#: the kinds of thing named from their parts
LINKING_TYPES = frozenset({ORG.Membership, COP.StepAssessment, COP.Observation, COP.Partnership})


@dataclass
class Parts:
    """One linking thing as :file:`list_name_parts.rq` describes it."""

    iri: str
    type: URIRef
    type_label: str = ""
    label: str = ""
    #: property → [(value, its name or "" when it may not be named, step number or None)]
    links: dict[URIRef, list[tuple]] = field(default_factory=lambda: defaultdict(list))

    def first(self, prop: URIRef) -> tuple | None:
        values = sorted(self.links.get(prop, []), key=lambda v: str(v[0]))
        return values[0] if values else None

    def name_of(self, prop: URIRef, default: str) -> str:
        value = self.first(prop)
        if value is None:
            return default
        term, label, _ = value
        if isinstance(term, Literal):
            return str(term)
        return label or fallback_label(str(term))


def membership_name(member: str | None, role: str | None, community: str | None) -> str:
    """A membership named from its member (None when they may not be named), role and community.

    >>> membership_name("Sam Taylor", "Agenda activist", "Health walks Wigan")
    'Sam Taylor — Agenda activist in Health walks Wigan'
    >>> membership_name(None, None, "Health walks Wigan")
    'A member — Member in Health walks Wigan'
    """
    return f"{member or 'A member'} — {role or 'Member'} in {community or 'a community'}"


def assessment_name(step: int | str | None, community: str, date: str) -> str:
    """A self-assessment named from its step (number or name), community and date.

    >>> assessment_name(3, "Health walks Wigan", "2025-03-31")
    'Step 3 self-assessment of Health walks Wigan, 2025-03-31'
    """
    step_text = f"Step {step}" if isinstance(step, int) else (step or "Step")
    return f"{step_text} self-assessment of {community}, {date}"


def observation_name(indicator: str, amount: str, date: str) -> str:
    """A measurement named from its indicator, value and date.

    >>> observation_name("Walkers per week", "42", "2025-03-31")
    'Walkers per week: 42 on 2025-03-31'
    """
    return f"{indicator}: {amount} on {date}"


def partnership_name(partners: list[str]) -> str:
    """A partnership named from its partners.

    >>> partnership_name(["Bolton CVS", "Bolton Central PCN", "Age UK"])
    'Partnership of Age UK, Bolton Central PCN and Bolton CVS'
    """
    names = sorted(partners, key=str.lower) or ["unnamed partners"]
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return f"Partnership of {listed}"


def derived_name(parts: Parts) -> str:
    """The name a page shows for a linking thing: its own for most, made from its parts when
    it has none, and always made from its parts for a membership."""
    if parts.type == ORG.Membership:
        member = parts.first(ORG.member)
        return membership_name(
            member[1] if member else None,
            parts.name_of(ORG.role, "Member"),
            parts.name_of(ORG.organization, "a community"),
        )
    if parts.label:
        return parts.label
    if parts.type == COP.StepAssessment:
        step = parts.first(COP.assessedStep)
        number = step[2] if step else None
        return assessment_name(
            int(number) if number is not None else parts.name_of(COP.assessedStep, "Step"),
            parts.name_of(COP.assessedCommunity, "a community"),
            parts.name_of(DCTERMS.date, "undated"),
        )
    if parts.type == COP.Observation:
        return observation_name(
            parts.name_of(COP.indicator, "A measurement"),
            _amount(parts.first(COP.value)),
            parts.name_of(DCTERMS.date, "an unknown date"),
        )
    partners = [label or fallback_label(str(term)) for term, label, _ in parts.links[COP.partner]]
    return partnership_name(partners)


def _amount(value: tuple | None) -> str:
    if value is None:
        return "no value"
    number = value[0].toPython() if isinstance(value[0], Literal) else value[0]
    text = f"{number:,.2f}".rstrip("0").rstrip(".") if isinstance(number, float | int) else None
    if text is None and hasattr(number, "normalize"):
        text = f"{number.normalize():f}"
    return text or str(number)


def _read(data: PublicData, **bindings) -> dict[str, Parts]:
    things: dict[str, Parts] = {}
    for row in data.rows("list_name_parts", **bindings):
        iri = str(row["thing"])
        parts = things.setdefault(
            iri,
            Parts(
                iri,
                row["type"],
                str(row.get("typeLabel", "")),
                str(row.get("label", "")),
            ),
        )
        part = row["part"]
        person = bool(row.get("partIsPerson", Literal(False)).toPython())
        named = may_be_named(person, gave_consent(row.get("partConsent")))
        label = str(row["partLabel"]) if "partLabel" in row and named else ""
        number = row.get("stepNumber")
        parts.links[row["link"]].append((part, label, number.toPython() if number else None))
    return things


def name_of(data: PublicData, iri: URIRef) -> str | None:
    """The name pages give ``iri`` when it is a linking thing, else None."""
    parts = _read(data, thing=iri).get(str(iri))
    return derived_name(parts) if parts is not None else None


def derived_names(data: PublicData) -> dict[str, tuple[str, Parts]]:
    """Every linking thing's name and parts, for search: IRI → (name, parts)."""
    return {iri: (derived_name(parts), parts) for iri, parts in _read(data).items()}
