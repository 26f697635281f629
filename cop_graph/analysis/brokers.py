"""Who bridges: communities that sit between others, and members that span localities.

Brokers matter because learning travels along ties: a community through which many shortest
routes pass, or an organisation in communities in several localities, is where practice can
cross from one part of Greater Manchester to another. People are shown only by their roles
unless their record says their name is public.

Betweenness is computed in igraph's C code (see :mod:`cop_graph.analysis.igraph_bridge`) and
scaled to NetworkX's normalised figures: the same values, about a hundred times sooner. It is
exact while the work (communities × (communities + links)) stays under :data:`WORK_LIMIT`; above
it, the shortest paths from ``k`` sampled communities (fixed seed) estimate it, scaled as
NetworkX scales its own estimate, and the answer says how many were sampled.
"""

from __future__ import annotations

import random
from collections import defaultdict

import networkx as nx

from cop_graph.analysis.igraph_bridge import normalised_betweenness
from cop_graph.analysis.network import label_of

__all__ = ["MIN_SOURCES", "WORK_LIMIT", "betweenness", "bridging_members", "brokers"]

#: most steps (sources × (communities + links)) spent on betweenness, about 2 s in igraph
WORK_LIMIT = 50_000_000
#: fewest sampled sources when the limit forces sampling
MIN_SOURCES = 8


def betweenness(communities: nx.Graph, *, k: int | None = None, seed: int = 0) -> dict:
    """Betweenness of each community (hops, normalised 0–1), exact or from ``k`` sampled sources.

    Returns ``{"values": {community: score}, "sampled": bool, "k": sources used}``. With
    ``k=None`` the size of the graph decides (see :data:`WORK_LIMIT`). Exact values equal
    ``networkx.betweenness_centrality(communities)``; sampled ones equal NetworkX's estimate
    (version 3.5 or later) from the same sources, ``random.Random(seed).sample`` of the
    communities in sorted order.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> from cop_graph.analysis.network import community_graph
    >>> scores = betweenness(community_graph(example_knowledge_graph()))
    >>> {c.rsplit("/", 1)[1]: v for c, v in scores["values"].items()}
    {'halliwell-striders': 0.0, 'pemberton-growers': 0.0, 'wigan-walkers': 1.0}
    >>> scores["sampled"]
    False
    """
    n = communities.number_of_nodes()
    per_source = n + communities.number_of_edges()
    if k is None and n * per_source > WORK_LIMIT:
        k = max(MIN_SOURCES, WORK_LIMIT // per_source)
    sampled = k is not None and k < n
    nodes = sorted(communities)
    sources = random.Random(seed).sample(nodes, k) if sampled else None
    values = normalised_betweenness(communities, sources)
    return {
        "values": {node: round(values[node], 6) for node in nodes},
        "sampled": sampled,
        "k": k if sampled else n,
    }


def _localities(communities: nx.Graph) -> dict[str, frozenset[str]]:
    """The localities of each community, as sets ready to compare (read once, not per tie)."""
    return {c: frozenset(places) for c, places in communities.nodes(data="localities")}


def bridging_members(communities: nx.Graph) -> list[dict]:
    """Members (organisations, people by role) in communities in more than one locality.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> from cop_graph.analysis.network import community_graph
    >>> [row] = bridging_members(community_graph(example_knowledge_graph()))
    >>> row["label"], [r["role"].rsplit("#", 1)[1] for r in row["communities"]]
    ('a person (name not public)', ['Member', 'SocialReporter'])
    >>> [label.rsplit("/", 1)[1] for label in row["localities"]]
    ['bolton', 'wigan']
    """
    held = defaultdict(list)
    for community, data in communities.nodes(data=True):
        for member, role in data["members"]:
            held[member].append((community, role))
    where = _localities(communities)
    rows = []
    for member, memberships in sorted(held.items()):
        localities = sorted(set().union(*(where[c] for c, _ in memberships)))
        if len(localities) < 2:
            continue
        about = communities.graph["members"][member]
        rows.append(
            {
                "member": member if about["public"] else None,
                "kind": about["kind"],
                "label": about["label"],
                "localities": localities,
                "communities": [
                    {"community": c, "label": label_of(communities, c), "role": role}
                    for c, role in sorted(memberships)
                ],
            }
        )
    return sorted(rows, key=lambda row: (-len(row["localities"]), row["label"]))


def _named(communities: nx.Graph, things) -> list[dict]:
    return [
        {"iri": thing, "label": label_of(communities, thing)}
        for thing in sorted(things, key=lambda t: (label_of(communities, t), t))
    ]


def _bridge(communities: nx.Graph, community: str, other: str, localities) -> dict:
    """One tie to a community in other localities, with what the two share: the evidence
    that makes ``community`` a bridge. Members are named only when their record allows."""
    link = communities[community][other]
    about = communities.graph["members"]
    members = [
        {
            "iri": member if about[member]["public"] else None,
            "label": about[member]["label"],
            "kind": about[member]["kind"],
        }
        for member in sorted(link["members"], key=lambda m: (about[m]["label"], m))
    ]
    return {
        "community": other,
        "label": label_of(communities, other),
        "localities": _named(communities, localities),
        "members": members,
        "practices": _named(communities, link["practices"]),
        "places": _named(communities, link["places"]),
    }


def brokers(
    communities: nx.Graph, *, top: int | None = None, k: int | None = None, seed: int = 0
) -> dict:
    """Communities ranked by betweenness, with their cross-locality ties, and bridging members.

    A tie is cross-locality when the two communities work in no locality in common; each
    community's ``bridges`` are those ties, with the members, practices and places the two
    share (the evidence of why it bridges).

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> from cop_graph.analysis.network import community_graph
    >>> answer = brokers(community_graph(example_knowledge_graph()))
    >>> for row in answer["communities"]:
    ...     print(row["label"], row["betweenness"], row["cross_locality_ties"])
    Wigan Walkers 1.0 1
    Halliwell Striders 0.0 1
    Pemberton Growers 0.0 0
    >>> answer["cross_locality_ties"]
    1
    """
    scores = betweenness(communities, k=k, seed=seed)
    where = _localities(communities)
    rows = []
    crossing = 0
    for community in scores["values"]:
        mine = where[community]
        across = []
        if mine:
            across = [
                other
                for other in communities.adj[community]
                if where[other] and mine.isdisjoint(where[other])
            ]
        crossing += len(across)
        reached = set().union(*(where[other] for other in across))
        rows.append(
            {
                "community": community,
                "label": label_of(communities, community),
                "betweenness": scores["values"][community],
                "ties": communities.degree(community),
                "cross_locality_ties": len(across),
                "localities": sorted(mine),
                "localities_reached": sorted(reached),
                "bridges": across,
            }
        )
    rows.sort(key=lambda row: (-row["betweenness"], -row["cross_locality_ties"], row["label"]))
    listed = rows[:top] if top else rows
    for row in listed:  # the evidence, for the communities listed only (the costly part)
        row["bridges"] = sorted(
            (_bridge(communities, row["community"], o, where[o]) for o in row["bridges"]),
            key=lambda bridge: (bridge["label"], bridge["community"]),
        )
    return {
        "sampled": scores["sampled"],
        "k": scores["k"],
        "cross_locality_ties": crossing // 2,
        "communities": listed,
        "members": bridging_members(communities),
    }
