"""Where nobody is working on something yet, and what only one locality does.

Coordinators use gaps to decide where to help a community start: places with no community in
a domain or a Blueprint chapter, the most deprived places (highest CORE20 share) first. Practices
found in only one locality are the other side of the same coin: something the rest of Greater
Manchester could learn.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from cop_graph.analysis.network import AreaIndex, label_of, labelled, targets, things

__all__ = ["coverage_gaps", "gaps", "unique_practices"]


def _places_at(kg: nx.MultiDiGraph, level: str) -> list[str]:
    if level == "recorded":
        return things(kg, "place")
    return sorted(n for n, d in kg.nodes(data=True) if level in d.get("types", ()))


def coverage_gaps(kg: nx.MultiDiGraph, level: str = "ward") -> list[dict]:
    """Places at ``level`` missing a community in some domain or Blueprint chapter.

    Returns
    -------
    list of dict
        ``place``, ``label``, ``core20`` (share of the most deprived areas, or None),
        ``localities`` (the localities it lies in, to filter by), ``communities`` (how many
        work there), ``missing_domains`` and ``missing_chapters`` (IRI and label: the evidence
        of the gap); highest CORE20 share first, places without one last.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> for row in coverage_gaps(example_knowledge_graph(), "ward"):
    ...     print(row["label"], row["core20"], row["communities"],
    ...           [d["label"] for d in row["missing_domains"]],
    ...           [c["label"] for c in row["missing_chapters"]])
    Halliwell 0.9 1 ['Mental health'] ['Health inequalities']
    Pemberton 0.75 1 ['Healthy ageing'] ['Health inequalities', 'Prevention']
    Wigan Central 0.5 1 ['Mental health'] ['Health inequalities']
    Smithills 0.1 0 ['Healthy ageing', 'Mental health'] ['Health inequalities', 'Prevention']
    """
    areas, localities = AreaIndex(kg, level), AreaIndex(kg, "locality")
    covered = defaultdict(lambda: {"domains": set(), "chapters": set(), "communities": 0})
    for community in things(kg, "community"):
        for area in areas.of_community(community):
            covered[area]["domains"].update(targets(kg, community, "has_domain"))
            covered[area]["chapters"].update(targets(kg, community, "aligns_with_chapter"))
            covered[area]["communities"] += 1
    # sorted and named once: the lists below are these, less what a place has
    domains, chapters = labelled(kg, things(kg, "domain")), labelled(kg, things(kg, "chapter"))
    rows = []
    for place in _places_at(kg, level):
        here = covered[place]
        missing_domains = [d for d in domains if d["iri"] not in here["domains"]]
        missing_chapters = [c for c in chapters if c["iri"] not in here["chapters"]]
        if missing_domains or missing_chapters:
            rows.append(
                {
                    "place": place,
                    "label": label_of(kg, place),
                    "core20": kg.nodes[place].get("core20"),
                    "localities": labelled(kg, localities.of_place(place)),
                    "communities": here["communities"],
                    "missing_domains": missing_domains,
                    "missing_chapters": missing_chapters,
                }
            )
    return sorted(rows, key=lambda r: (r["core20"] is None, -(r["core20"] or 0), r["label"]))


def unique_practices(kg: nx.MultiDiGraph) -> list[dict]:
    """Practices whose communities all work in one locality: what others could learn from.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> for row in unique_practices(example_knowledge_graph()):
    ...     print(row["label"], row["locality_label"], len(row["communities"]))
    Community gardening Wigan 1
    Social prescribing Wigan 2
    """
    localities = AreaIndex(kg, "locality")
    where = defaultdict(lambda: defaultdict(set))
    for community in things(kg, "community"):
        for practice in targets(kg, community, "shares_practice"):
            for locality in localities.of_community(community):
                where[practice][locality].add(community)
    rows = []
    for practice, by_locality in where.items():
        if len(by_locality) == 1:
            [(locality, communities)] = by_locality.items()
            rows.append(
                {
                    "practice": practice,
                    "label": label_of(kg, practice),
                    "locality": locality,
                    "locality_label": label_of(kg, locality),
                    "communities": labelled(kg, communities),
                }
            )
    return sorted(rows, key=lambda r: (r["label"], r["practice"]))


def gaps(
    kg: nx.MultiDiGraph,
    level: str = "ward",
    *,
    locality: str | None = None,
    domain: str | None = None,
) -> dict:
    """Both reports together: ``{"level", "places": coverage gaps, "unique_practices"}``,
    with every ``domain`` and ``locality`` (to choose from) and the filters applied.

    ``locality`` keeps the places in that locality; ``domain`` keeps the places missing that
    domain (a page, its JSON twin and its CSV then hold the same rows).

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> answer = gaps(example_knowledge_graph(), "ward",
    ...               domain="https://w3id.org/cop-graph/id/domain/healthy-ageing")
    >>> [row["label"] for row in answer["places"]]
    ['Pemberton', 'Smithills']
    """
    rows = coverage_gaps(kg, level)
    if locality is not None:
        rows = [r for r in rows if any(p["iri"] == locality for p in r["localities"])]
    if domain is not None:
        rows = [r for r in rows if any(d["iri"] == domain for d in r["missing_domains"])]
    return {
        "level": level,
        "locality": locality,
        "domain": domain,
        "domains": labelled(kg, things(kg, "domain")),
        "localities": labelled(kg, _places_at(kg, "locality")),
        "places": rows,
        "unique_practices": unique_practices(kg),
    }
