"""How the connection analyses scale: time and memory at 1k, 10k and 100k communities.

Run with ``.venv/bin/python benchmarks/bench_analysis.py [--sizes 1000 10000 100000]``. For each
size it makes a synthetic Greater Manchester in an in-memory store, builds the knowledge graph
from the store (the named query, then NetworkX), the three projections, and runs every analysis
once, each in a fresh process so that memory figures do not carry over. It prints, per size,
the seconds and the peak memory of each step, and the growth rate between sizes (the exponent
b in time ∝ communities^b: 1 is linear, 2 quadratic). The target: every analysis under 5 s at
10k communities.

The synthetic world grows with the number of communities N, so that each community keeps the
shape of the demo data (a handful of places, practices and members): 10 localities, N/2 wards,
N/8 neighbourhoods of four wards, N/50 PCNs each serving three wards, N practices, √N/2 domains
(topics multiply more slowly than communities), 2N people and N/2 organisations. Each community
works in one or two wards (one in ten also in another locality), shares three practices, has
one or two domains and chapters, four people and one organisation as members, and one or two
self-assessments of each step. Its community graph has about 18 links per community (the demo
data: 13), so the figures err on the slow side.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable

ID = "https://w3id.org/cop-graph/id/"
COP = "https://w3id.org/cop-graph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ORG = "http://www.w3.org/ns/org#"
DATE = "http://purl.org/dc/terms/date"
XSD = "http://www.w3.org/2001/XMLSchema#"
STEPS = ["IdentifyPurposeAndScope", "FindAndInviteMembers", "CreateTheSpace", "EstablishNorms",
         "NurtureBelonging", "FacilitateLearning", "MonitorAndEvaluate"]  # fmt: skip
ROLES = ["AgendaActivist", "CommunityKeeper", "CriticalFriend", "ValueDetective",
         "ExternalMessenger", "SocialReporter", "OrganizationalBroker", "Member"]  # fmt: skip
CHAPTERS = ["DemandAccessAndCapacity", "HealthInequalities", "Prevention", "Sustainability",
            "IntegratedWorkingInNeighbourhoods", "Digital", "Estates",
            "QualityImprovementAndInnovation", "Workforce"]  # fmt: skip
STATUSES = ["NotStarted", "InProgress", "Established"]
GRAPH = f"<{ID}graph/demo>"


def synthetic_nquads(communities: int, seed: int = 1) -> str:
    """The synthetic world as N-Quads text (see the module docstring for its shape)."""
    rng = random.Random(seed)
    lines: list[str] = []

    def fact(subject: str, predicate: str, obj: str) -> None:
        lines.append(f"<{subject}> <{predicate}> {obj} {GRAPH} .")

    def thing(iri: str, cls: str, label: str) -> None:
        fact(iri, RDF_TYPE, f"<{cls}>")
        fact(iri, LABEL, f'"{label}"')

    def typed(value, datatype: str) -> str:
        return f'"{value}"^^<{XSD}{datatype}>'

    n_wards = max(20, communities // 2)
    localities = [f"{ID}place/locality-{i}" for i in range(10)]
    wards = [f"{ID}place/ward-{i}" for i in range(n_wards)]
    region = f"{ID}place/region"
    thing(region, COP + "Region", "Synthetic region")
    for i, locality in enumerate(localities):
        thing(locality, COP + "Locality", f"Locality {i}")
        fact(locality, COP + "withinPlace", f"<{region}>")
    for i, ward in enumerate(wards):
        thing(ward, COP + "Ward", f"Ward {i}")
        fact(ward, COP + "withinPlace", f"<{localities[i * 10 // n_wards]}>")
        fact(ward, COP + "core20Share", typed(round(rng.random(), 2), "decimal"))
    for i in range(n_wards // 4):
        hood = f"{ID}place/neighbourhood-{i}"
        thing(hood, COP + "Neighbourhood", f"Neighbourhood {i}")
        fact(hood, COP + "withinPlace", f"<{localities[4 * i * 10 // n_wards]}>")
        for ward in wards[4 * i : 4 * i + 4]:
            fact(hood, COP + "comprises", f"<{ward}>")
    for i in range(max(5, communities // 50)):
        pcn = f"{ID}organisation/pcn-{i}"
        thing(pcn, COP + "PrimaryCareNetwork", f"PCN {i}")
        for ward in rng.sample(wards, 3):
            fact(pcn, COP + "servesPlace", f"<{ward}>")
    practices = [f"{ID}practice/p{i}" for i in range(max(20, communities))]
    domains = [f"{ID}domain/d{i}" for i in range(max(12, round(communities**0.5 / 2)))]
    people = [f"{ID}person/{i}" for i in range(2 * communities)]
    orgs = [f"{ID}organisation/vcse-{i}" for i in range(max(5, communities // 2))]
    for i, practice in enumerate(practices):
        thing(practice, COP + "Practice", f"Practice {i}")
    for i, domain in enumerate(domains):
        thing(domain, COP + "Domain", f"Domain {i}")
    for i, org in enumerate(orgs):
        thing(org, COP + "VCSEOrganisation", f"Organisation {i}")
    for i, person in enumerate(people):
        fact(person, RDF_TYPE, f"<{'http://xmlns.com/foaf/0.1/Person'}>")
        public = i % 3 == 0
        fact(person, COP + "publicProfile", typed(str(public).lower(), "boolean"))
        if public:
            fact(person, LABEL, f'"Person {i}"')
    for name in CHAPTERS:
        thing(COP + name, COP + "BlueprintChapter", name)
    for name in ROLES:
        thing(COP + name, COP + "CommunityRole", name)
    for name in STATUSES:
        thing(COP + name, COP + "StepStatus", name)
    for number, name in enumerate(STEPS, start=1):
        thing(COP + name, COP + "FrameworkStep", name)
        fact(COP + name, COP + "stepNumber", typed(number, "integer"))
    per_locality = n_wards // 10
    for c in range(communities):
        community = f"{ID}community/c{c}"
        thing(community, COP + "CommunityOfPurpose", f"Community {c}")
        home = c % 10
        places = rng.sample(
            wards[home * per_locality : (home + 1) * per_locality], rng.randint(1, 2)
        )
        if rng.random() < 0.1:
            places.append(rng.choice(wards))
        for place in places:
            fact(community, COP + "operatesIn", f"<{place}>")
        for practice in rng.sample(practices, 3):
            fact(community, COP + "sharesPractice", f"<{practice}>")
        for domain in rng.sample(domains, rng.randint(1, 2)):
            fact(community, COP + "hasDomain", f"<{domain}>")
        for chapter in rng.sample(CHAPTERS, rng.randint(1, 2)):
            fact(community, COP + "alignsWithChapter", f"<{COP}{chapter}>")
        members = [people[(2 * c + k) % len(people)] for k in (0, 1, 2, 3)]
        for k, member in enumerate([*members, rng.choice(orgs)]):
            membership = f"{ID}membership/c{c}-{k}"
            fact(membership, ORG + "organization", f"<{community}>")
            fact(membership, ORG + "member", f"<{member}>")
            fact(membership, ORG + "role", f"<{COP}{rng.choice(ROLES)}>")
        for s, step in enumerate(STEPS):
            for a in range(rng.randint(1, 2)):
                assessment = f"{ID}assessment/c{c}-{s}-{a}"
                fact(assessment, COP + "assessedCommunity", f"<{community}>")
                fact(assessment, COP + "assessedStep", f"<{COP}{step}>")
                fact(assessment, COP + "stepStatus", f"<{COP}{rng.choice(STATUSES)}>")
                fact(assessment, DATE, typed(f"202{4 + a}-0{1 + s}-01", "date"))
    return "\n".join(lines) + "\n"


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _timed(results: dict, name: str, work: Callable):
    start = time.perf_counter()
    value = work()
    results[name] = {"seconds": round(time.perf_counter() - start, 3), "peak_mb": _peak_mb()}
    return value


def measure(communities: int) -> dict:
    """Build everything for ``communities`` and run every analysis once; seconds and memory."""
    import pyoxigraph as ox

    from cop_graph.analysis import reports
    from cop_graph.store import open_store

    steps: dict = {}
    data = _timed(steps, "generate data", lambda: synthetic_nquads(communities).encode())
    store = open_store("memory:")
    _timed(steps, "load store", lambda: store.native.load(data, format=ox.RdfFormat.N_QUADS))
    graphs = reports.Graphs(store)
    kg = _timed(steps, "build knowledge graph", lambda: graphs.kg)
    _timed(steps, "project communities", lambda: graphs.communities)
    for level in ("recorded", "locality"):
        _timed(steps, f"project places ({level})", lambda level=level: graphs.place_practice(level))
        _timed(
            steps,
            f"project shared practice ({level})",
            lambda level=level: graphs.shared_practice(level),
        )
    _timed(steps, "project paths", lambda: graphs.paths)
    options = {
        "paths": {"from": f"{ID}community/c0", "to": f"{ID}community/c{communities // 2 + 5}"},
        "learn-from": {"community": f"{ID}community/c1"},
    }
    answers = {}
    for name in reports.ANALYSES:
        result = _timed(
            steps,
            f"analysis: {name}",
            lambda name=name: reports.run(store, name, options.get(name), graphs=graphs),
        )
        answers[name] = len(result.rows)
    brokers = reports.run(store, "brokers", graphs=graphs).data
    return {
        "communities": communities,
        "triples": len(store.native),
        "knowledge_graph": [kg.number_of_nodes(), kg.number_of_edges()],
        "community_graph": [
            graphs.communities.number_of_nodes(),
            graphs.communities.number_of_edges(),
        ],
        "betweenness_sources": brokers["k"],
        "betweenness_sampled": brokers["sampled"],
        "rows": answers,
        "steps": steps,
    }


def _growth(first: dict, second: dict) -> dict:
    ratio = math.log(second["communities"] / first["communities"])
    growth = {}
    for step, figures in second["steps"].items():
        before = first["steps"].get(step, {}).get("seconds")
        if before and figures["seconds"] > 0:
            growth[step] = round(math.log(figures["seconds"] / before) / ratio, 2)
    return growth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # run one size, print JSON
    parser.add_argument("--timeout", type=float, default=3600, help="Seconds allowed per size.")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    runs = []
    for size in args.sizes:
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--one", str(size)],
                capture_output=True, text=True, timeout=args.timeout, check=True,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            print(f"\n{size:,} communities: stopped after {args.timeout:.0f} s")
            break
        except subprocess.CalledProcessError as failure:
            print(f"\n{size:,} communities failed:\n{failure.stderr[-2000:]}")
            break
        run = json.loads(done.stdout)
        runs.append(run)
        _report(run, _growth(runs[-2], run) if len(runs) > 1 else {})
    print("\nJSON:", json.dumps(runs))


def _report(run: dict, growth: dict) -> None:
    print(
        f"\n{run['communities']:,} communities, {run['triples']:,} triples; knowledge graph "
        f"{run['knowledge_graph'][0]:,} nodes / {run['knowledge_graph'][1]:,} edges; community "
        f"graph {run['community_graph'][0]:,} / {run['community_graph'][1]:,}; betweenness "
        f"from {run['betweenness_sources']:,} sources"
        f"{' (sampled)' if run['betweenness_sampled'] else ' (exact)'}"
    )
    print(f"  {'step':<40}{'seconds':>10}{'peak MB':>10}{'growth':>8}")
    for step, figures in run["steps"].items():
        rate = growth.get(step)
        print(
            f"  {step:<40}{figures['seconds']:>10.3f}{figures['peak_mb']:>10.1f}"
            f"{'' if rate is None else f'{rate:>8.2f}'}"
        )


if __name__ == "__main__":
    main()
