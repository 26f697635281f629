"""Rows that link things rather than describe them: memberships, outcomes, progress.

Such a row has no ID of its own: its IRI and name are made from what it links, in the same
way as the demo data makes them (``membership/{community}-{member}-{role}``,
``assessment/{community}-{step}-{date}``…), so importing the same row again gives the same
IRI, and a workbook exported from the store imports back to the very same graph.
Also here: the check that no place lies, through other places, within itself.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from cop_graph.ids import mint
from cop_graph.namespaces import COP, DCTERMS, ORG, RDF, RDFS, XSD
from cop_graph.workbook import sheets as S
from cop_graph.workbook.tables import Origin, Row
from cop_graph.workbook.values import CellProblem, parse_past_date

if TYPE_CHECKING:
    from cop_graph.workbook.mapping import Mapper

__all__ = ["LINK_SHEETS", "check_within_cycles", "role_words"]


def role_words(role: URIRef) -> str:
    """A role's short name from its IRI, as membership names use it.

    >>> role_words(COP.OrganizationalBroker)
    'Organizational broker'
    """
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", role.split("#")[-1]).lower()
    return words[:1].upper() + words[1:]


def _one(mapper: Mapper, sheet: S.Sheet, row: Row, key: str):
    values = mapper.values(sheet, row, sheet.column(key))
    return values[0] if values else None


def _start(mapper: Mapper, sheet: S.Sheet, row: Row, iri: URIRef, rdf_type, label: str):
    """Type, name and the made-up-example flag of a link; False if another row made it."""
    origin = Origin(sheet.name, row.number, sheet.columns[0].header, row.text(sheet.columns[0].key))
    earlier = mapper.out.rows.get(iri)
    if earlier is not None and earlier.sheet == sheet.name:
        mapper.problem(
            f"this row repeats {sheet.name} row {earlier.row}: remove one of them", sheet, row
        )
        return False
    mapper.out.rows[iri] = origin
    mapper.add(iri, RDF.type, rdf_type, origin)
    mapper.add(iri, RDFS.label, Literal(label, lang="en"), origin)
    if mapper.out.illustrative:
        mapper.add(iri, COP.illustrative, Literal(True), origin)
    return True


def _link(mapper: Mapper, sheet: S.Sheet, row: Row, iri, key: str, predicate, value) -> None:
    mapper.add(iri, predicate, value, mapper.origin(sheet, row, sheet.column(key)))


def membership_row(mapper: Mapper, sheet: S.Sheet, row: Row) -> None:
    """A member's role in a community: ``org:Membership``."""
    mapper.require(sheet, row)
    community = _one(mapper, sheet, row, "community")
    member = _one(mapper, sheet, row, "member")
    role = _one(mapper, sheet, row, "role")
    dates = {key: _one(mapper, sheet, row, key) for key in ("from", "to")}
    if None in (community, member, role):
        return
    role_name = role_words(role.iri)
    iri = mint("membership", community.slug, member.slug, role_name)
    if not _start(mapper, sheet, row, iri, ORG.Membership, f"{role_name} in the {community.label}"):
        return
    _link(mapper, sheet, row, iri, "community", ORG.organization, community.iri)
    _link(mapper, sheet, row, iri, "member", ORG.member, member.iri)
    _link(mapper, sheet, row, iri, "role", ORG.role, role.iri)
    for key, day in dates.items():
        if day is not None:
            column = sheet.column(key)
            _link(mapper, sheet, row, iri, key, column.predicate, mapper.term(column, day))


def outcome_row(mapper: Mapper, sheet: S.Sheet, row: Row) -> None:
    """An outcome a community aims for and, when a value is given, one measurement of it."""
    mapper.require(sheet, row)
    community = _one(mapper, sheet, row, "community")
    indicator = _one(mapper, sheet, row, "indicator")
    value = _one(mapper, sheet, row, "value")
    day = _one(mapper, sheet, row, "date")
    name = row.text("outcome")
    given = {key: bool(row.text(key)) for key in ("indicator", "value", "date")}
    if given["value"] != given["date"] or (given["value"] and not given["indicator"]):
        missing = next(key for key in ("indicator", "value", "date") if not given[key])
        mapper.problem(
            "a measurement needs an Indicator, a Value and a Date: fill in all three, or "
            "leave Value and Date blank",
            sheet,
            row,
            sheet.column(missing).header,
        )
        return
    if community is None or not name or (given["value"] and None in (indicator, value, day)):
        return
    outcome = mint("outcome", community.slug, name)
    origin = Origin(sheet.name, row.number, "Outcome", name)
    if outcome not in mapper.out.rows:
        mapper.out.rows[outcome] = origin
        mapper.add(outcome, RDF.type, COP.Outcome, origin)
        mapper.add(outcome, RDFS.label, Literal(name, lang="en"), origin)
        mapper.add(outcome, COP.outcomeOf, community.iri, origin)
        if mapper.out.illustrative:
            mapper.add(outcome, COP.illustrative, Literal(True), origin)
    if indicator is None:
        return
    _link(mapper, sheet, row, outcome, "indicator", COP.measuredBy, indicator.iri)
    if value is None:
        return
    when = day.isoformat()
    observation = mint("observation", community.slug, indicator.label, when)
    label = f"{indicator.label}, {when}: {community.label}"
    if not _start(mapper, sheet, row, observation, COP.Observation, label):
        return
    _link(mapper, sheet, row, observation, "indicator", COP.indicator, indicator.iri)
    _link(mapper, sheet, row, observation, "value", COP.value, Literal(value))
    _link(mapper, sheet, row, observation, "date", DCTERMS.date, Literal(when, datatype=XSD.date))
    _link(mapper, sheet, row, observation, "community", COP.observedFor, community.iri)


def progress_row(mapper: Mapper, sheet: S.Sheet, row: Row) -> None:
    """A self-assessment of one framework step at a date: ``cop:StepAssessment``."""
    mapper.require(sheet, row)
    community = _one(mapper, sheet, row, "community")
    step = _one(mapper, sheet, row, "step")
    status = _one(mapper, sheet, row, "status")
    day = _one(mapper, sheet, row, "date")
    if day is not None:
        try:
            parse_past_date(day)
        except CellProblem as problem:
            mapper.problem(str(problem), sheet, row, sheet.column("date").header, row.text("date"))
            return
    if None in (community, step, status, day):
        return
    number = next(alias for alias in step.aliases if alias.isdigit())
    when = day.isoformat()
    iri = mint("assessment", community.slug, number, when)
    label = f"Step {number} self-assessment of the {community.label}, {when}"
    if not _start(mapper, sheet, row, iri, COP.StepAssessment, label):
        return
    _link(mapper, sheet, row, iri, "community", COP.assessedCommunity, community.iri)
    _link(mapper, sheet, row, iri, "step", COP.assessedStep, step.iri)
    _link(mapper, sheet, row, iri, "status", COP.stepStatus, status.iri)
    _link(mapper, sheet, row, iri, "date", DCTERMS.date, Literal(when, datatype=XSD.date))
    if notes := row.text("notes"):
        _link(mapper, sheet, row, iri, "notes", DCTERMS.description, Literal(notes, lang="en"))


#: sheets whose rows are links, by name; every other sheet's rows describe one thing each
LINK_SHEETS = {
    S.MEMBERSHIPS.name: membership_row,
    S.OUTCOMES.name: outcome_row,
    S.PROGRESS.name: progress_row,
}


def check_within_cycles(mapper: Mapper) -> None:
    """Report each place that, following "Within", ends up inside itself."""
    facts = mapper.out.facts
    within: dict[URIRef, set] = {}
    for place, predicate, larger in facts:
        if predicate == COP.withinPlace:
            within.setdefault(place, set()).add(larger)
    described = set(within)
    # follow the chain into the store for places the workbook does not describe
    frontier = {o for targets in within.values() for o in targets if o not in within}
    for _ in range(20):
        if not frontier:
            break
        stored = mapper.resolver.store.outgoing(frontier, exclude=mapper.resolver.exclude)
        for place in frontier:
            within.setdefault(place, set()).update(stored.objects(place, COP.withinPlace))
        frontier = {o for targets in within.values() for o in targets if o not in within}
    labels = {}
    for place in sorted(described):
        path = _cycle_from(place, within)
        if path:
            if not labels:
                labels = {s: o for s, p, o in facts if p == RDFS.label}
            origin = mapper.out.cells.get((place, COP.withinPlace))
            names = [labels.get(p) or p.rsplit("/", 1)[-1] for p in path]
            chain = " lies within ".join(f'"{n}"' for n in [*names, names[0]])
            mapper.problem(
                f"{chain}: a place cannot lie within itself; correct the Within column",
                origin.sheet,
                origin.row,
                origin.column,
                origin.value,
            )


def _cycle_from(start: URIRef, within: dict) -> list[URIRef] | None:
    """The places on a path from ``start`` back to itself, if there is one."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        place, path = stack.pop()
        for larger in sorted(within.get(place, ())):
            if larger == start:
                return path
            if larger not in seen:
                seen.add(larger)
                stack.append((larger, [*path, larger]))
    return None
