"""Invented communities shaped like the demo data, shared by the page and query benchmarks.

Each community has domains, wards, practices, principles and chapters, eight members (half
with a public profile), two self-assessments of each framework step, two outcomes with four
observations each, and three events: about :data:`FACTS_PER_COMMUNITY` facts. The analysis
benchmark builds its own world instead (places and organisations grow with the communities
there), and the loading benchmarks repeat the demo data itself.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from rdflib import Literal, URIRef
from rdflib.term import Node

from cop_graph.framework import FRAMEWORK_STEPS, STEP_STATUSES, WENGER_ROLES
from cop_graph.ids import mint
from cop_graph.namespaces import COP, DCTERMS, FOAF, ORG, RDF, RDFS, SDO, XSD

__all__ = ["FACTS_PER_COMMUNITY", "synthetic_triples"]

STEPS = FRAMEWORK_STEPS
#: one member in each of Wenger's roles, and a plain member
ROLES = [*WENGER_ROLES, COP.Member]
PRINCIPLES = [COP.PeoplePower, COP.ProportionateUniversalism, COP.EveryonesBusiness]
CHAPTERS = [COP.Prevention, COP.HealthInequalities, COP.Workforce, COP.Digital]
STATUSES = STEP_STATUSES
#: facts one synthetic community brings with it, roughly (used to size the graph)
FACTS_PER_COMMUNITY = 250


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
            yield iri, RDF.type, getattr(COP, kind)
            yield iri, RDFS.label, Literal(f"Synthetic {kind.lower()} {n}")
    for n in range(communities):
        yield from _community(rng, n, wards, practices, domains)


def _community(rng, n, wards, practices, domains) -> Iterator[tuple[Node, Node, Node]]:
    community = mint("community", "synthetic", str(n))
    yield community, RDF.type, COP.CommunityOfPurpose
    yield community, RDFS.label, Literal(f"Synthetic community {n}")
    yield community, DCTERMS.description, Literal(f"An invented community number {n}.")
    yield community, COP.purpose, Literal("To learn together.")
    yield community, COP.openness, rng.choice([COP.Open, COP.Contained])
    yield community, SDO.foundingDate, Literal("2023-01-01", datatype=XSD.date)
    yield community, COP.illustrative, Literal(True)
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
        consent = m % 2 == 0
        yield person, RDF.type, FOAF.Person
        yield person, COP.publicProfile, Literal(consent)
        if consent:
            yield person, RDFS.label, Literal(f"Person {n}-{m}")
            yield person, FOAF.name, Literal(f"Person {n}-{m}")
        yield membership, RDF.type, ORG.Membership
        yield membership, ORG.organization, community
        yield membership, ORG.member, person
        yield membership, ORG.role, ROLES[m]
        yield membership, RDFS.label, Literal(f"Membership {n}-{m}")
    for s, step in enumerate(STEPS):
        for a, date in enumerate(("2024-01-15", "2025-01-15")):
            assessment = mint("assessment", "synthetic", f"{n}-{s}-{a}")
            yield assessment, RDF.type, COP.StepAssessment
            yield assessment, RDFS.label, Literal(f"Assessment {n}-{s}-{a}")
            yield assessment, COP.assessedCommunity, community
            yield assessment, COP.assessedStep, step
            yield assessment, COP.stepStatus, STATUSES[min(2, a + rng.randrange(2))]
            yield assessment, DCTERMS.date, Literal(date, datatype=XSD.date)
    for o in range(2):
        outcome = mint("outcome", "synthetic", f"{n}-{o}")
        indicator = mint("indicator", "synthetic", f"{n}-{o}")
        yield outcome, RDF.type, COP.Outcome
        yield outcome, RDFS.label, Literal(f"Outcome {o} of community {n}")
        yield outcome, COP.outcomeOf, community
        yield outcome, COP.measuredBy, indicator
        yield indicator, RDF.type, COP.Indicator
        yield indicator, RDFS.label, Literal(f"Indicator {o} of community {n}")
        yield indicator, COP.unit, Literal("people")
        for q in range(4):
            observation = mint("observation", "synthetic", f"{n}-{o}-{q}")
            yield observation, RDF.type, COP.Observation
            yield observation, RDFS.label, Literal(f"Observation {n}-{o}-{q}")
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
        yield event, RDF.type, COP.Event
        yield event, RDFS.label, Literal(f"Event {e} of community {n}")
        yield event, COP.eventOf, community
        yield event, SDO.startDate, Literal(f"2025-0{1 + e}-10", datatype=XSD.date)
