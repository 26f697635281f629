"""Invented communities shaped like the demo data, shared by the page and query benchmarks.

Each community has domains, wards, practices, principles and chapters, eight members (half
with a public profile), two self-assessments of each framework step, two outcomes with four
observations each, and three events: about :data:`FACTS_PER_COMMUNITY` facts. The analysis
benchmark builds its own world instead (places and organisations grow with the communities
there).

The data passes the project's data rules (``shapes/``) as ``cop-graph load`` checks them, so the
load benchmark can time the checked path users take: every practice and domain is a
``skos:Concept`` with one preferred name, every person has a name whether or not their profile
is public (the loader keeps private names out of the public graph), and every invented thing
carries ``cop:illustrative true``, as the demo's do. Names say "Synthetic" and never claim a
real organisation or person. ``tests/test_synthetic_data.py`` holds it to that.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from rdflib import Literal, URIRef
from rdflib.term import Node

from cop_graph.framework import FRAMEWORK_STEPS, STEP_STATUSES, WENGER_ROLES
from cop_graph.ids import mint
from cop_graph.namespaces import COP, DCTERMS, FOAF, ORG, RDF, RDFS, SDO, SKOS, XSD

__all__ = ["FACTS_PER_COMMUNITY", "synthetic_triples"]

STEPS = FRAMEWORK_STEPS
#: one member in each of Wenger's roles, and a plain member
ROLES = [*WENGER_ROLES, COP.Member]
PRINCIPLES = [COP.PeoplePower, COP.ProportionateUniversalism, COP.EveryonesBusiness]
CHAPTERS = [COP.Prevention, COP.HealthInequalities, COP.Workforce, COP.Digital]
STATUSES = STEP_STATUSES
#: facts one synthetic community brings with it, roughly (used to size the graph)
FACTS_PER_COMMUNITY = 295


def synthetic_triples(
    wards: list[URIRef], communities: int, seed: int = 1, practices: int = 200
) -> Iterator:
    """Invented communities shaped like the demo data, working in real ``wards``.

    ``practices`` is the size of the pool each community draws four practices from: with a
    fixed pool, the pairs of communities sharing a practice grow with the square of the data.
    """
    rng = random.Random(seed)
    practices = [mint("practice", "synthetic", str(n)) for n in range(practices)]
    domains = [mint("domain", "synthetic", str(n)) for n in range(50)]
    for kind, things in (("Practice", practices), ("Domain", domains)):
        for n, iri in enumerate(things):
            name = Literal(f"Synthetic {kind.lower()} {n}")
            yield from _invented(iri, getattr(COP, kind), name)
            # domains and practices are terms: the rules want each one's preferred name
            yield iri, RDF.type, SKOS.Concept
            yield iri, SKOS.prefLabel, name
    for n in range(communities):
        yield from _community(rng, n, wards, practices, domains)


def _invented(iri: URIRef, kind: URIRef, name: Literal) -> Iterator[tuple[Node, Node, Node]]:
    """Type, name and the mark every invented thing carries, so none passes for a real one."""
    yield iri, RDF.type, kind
    yield iri, RDFS.label, name
    yield iri, COP.illustrative, Literal(True)


def _community(rng, n, wards, practices, domains) -> Iterator[tuple[Node, Node, Node]]:
    community = mint("community", "synthetic", str(n))
    yield from _invented(
        community, COP.CommunityOfPurpose, Literal(f"Synthetic community {n} (illustrative)")
    )
    yield community, DCTERMS.description, Literal(f"An invented community number {n}.")
    yield community, COP.purpose, Literal("To learn together.")
    yield community, COP.openness, rng.choice([COP.Open, COP.Contained])
    yield community, SDO.foundingDate, Literal("2023-01-01", datatype=XSD.date)
    for prop, pool, count in (
        (COP.hasDomain, domains, 2),
        (COP.operatesIn, wards, 3),
        (COP.sharesPractice, practices, 4),
        (COP.adoptsPrinciple, PRINCIPLES, 2),
        (COP.alignsWithChapter, CHAPTERS, 2),
    ):
        for target in rng.sample(pool, count):
            yield community, prop, target
    for m in range(8):
        person = mint("person", "synthetic", f"{n}-{m}")
        membership = mint("membership", "synthetic", f"{n}-{m}")
        name = Literal(f"Synthetic person {n}-{m}")
        # everyone has a name, as in the demo; only a public profile lets it be shown
        yield from _invented(person, FOAF.Person, name)
        yield person, FOAF.name, name
        yield person, COP.publicProfile, Literal(m % 2 == 0)
        yield from _invented(membership, ORG.Membership, Literal(f"Membership {n}-{m}"))
        yield membership, ORG.organization, community
        yield membership, ORG.member, person
        yield membership, ORG.role, ROLES[m]
    for s, step in enumerate(STEPS):
        for a, date in enumerate(("2024-01-15", "2025-01-15")):
            assessment = mint("assessment", "synthetic", f"{n}-{s}-{a}")
            yield from _invented(assessment, COP.StepAssessment, Literal(f"Assessment {n}-{s}-{a}"))
            yield assessment, COP.assessedCommunity, community
            yield assessment, COP.assessedStep, step
            yield assessment, COP.stepStatus, STATUSES[min(2, a + rng.randrange(2))]
            yield assessment, DCTERMS.date, Literal(date, datatype=XSD.date)
    for o in range(2):
        outcome = mint("outcome", "synthetic", f"{n}-{o}")
        indicator = mint("indicator", "synthetic", f"{n}-{o}")
        yield from _invented(outcome, COP.Outcome, Literal(f"Outcome {o} of community {n}"))
        yield outcome, COP.outcomeOf, community
        yield outcome, COP.measuredBy, indicator
        yield from _invented(indicator, COP.Indicator, Literal(f"Indicator {o} of community {n}"))
        yield indicator, COP.unit, Literal("people")
        for q in range(4):
            observation = mint("observation", "synthetic", f"{n}-{o}-{q}")
            yield from _invented(observation, COP.Observation, Literal(f"Observation {n}-{o}-{q}"))
            yield observation, COP.indicator, indicator
            yield observation, COP.observedFor, community
            yield observation, COP.value, Literal(rng.randrange(10, 90), datatype=XSD.decimal)
            yield (
                observation,
                DCTERMS.date,
                Literal(f"202{4 + q // 2}-0{1 + q}-01", datatype=XSD.date),
            )
    for e in range(3):
        event = mint("event", "synthetic", f"{n}-{e}")
        yield from _invented(event, COP.Event, Literal(f"Event {e} of community {n}"))
        yield event, COP.eventOf, community
        yield event, SDO.startDate, Literal(f"2025-0{1 + e}-10", datatype=XSD.date)
