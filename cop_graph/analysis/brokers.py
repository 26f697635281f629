"""Who bridges: communities that sit between others, and members that span localities.

Brokers matter because learning travels along ties: a community through which many shortest
routes pass, or an organisation in communities in several localities, is where practice can
cross from one part of Greater Manchester to another. People are shown only by their roles
unless their record says their name is public.

Betweenness is exact while the work (communities × (communities + links)) stays under
:data:`WORK_LIMIT`; above it NetworkX's estimate from ``k`` sampled communities (fixed seed)
keeps the answer quick and repeatable, and the answer says how many were sampled. On a dense
graph of 10k communities that is only a few sources: a faster backend (python-igraph,
networkit or the nx-parallel backend) would give exact figures.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from cop_graph.network import label_of

__all__ = ["MIN_SOURCES", "WORK_LIMIT", "betweenness", "bridging_members", "brokers"]

#: most steps (sources × (communities + links)) spent on betweenness, about 5 s in NetworkX
WORK_LIMIT = 1_000_000
#: fewest sampled sources when the limit forces sampling
MIN_SOURCES = 8


def betweenness(communities: nx.Graph, *, k: int | None = None, seed: int = 0) -> dict:
    """Betweenness of each community (hops, normalised 0–1), exact or from ``k`` sampled sources.

    Returns ``{"values": {community: score}, "sampled": bool, "k": sources used}``. With
    ``k=None`` the size of the graph decides (see :data:`WORK_LIMIT`).

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> from cop_graph.network import community_graph
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
    values = nx.betweenness_centrality(communities, k=k if sampled else None, seed=seed)
    return {
        "values": {c: round(values[c], 6) for c in sorted(values)},
        "sampled": sampled,
        "k": k if sampled else n,
    }


def bridging_members(communities: nx.Graph) -> list[dict]:
    """Members (organisations, people by role) in communities in more than one locality.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> from cop_graph.network import community_graph
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
    rows = []
    for member, memberships in sorted(held.items()):
        localities = sorted(
            {loc for c, _ in memberships for loc in communities.nodes[c]["localities"]}
        )
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


def brokers(
    communities: nx.Graph, *, top: int | None = None, k: int | None = None, seed: int = 0
) -> dict:
    """Communities ranked by betweenness, with their cross-locality ties, and bridging members.

    A tie is cross-locality when the two communities work in no locality in common.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> from cop_graph.network import community_graph
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
    rows = []
    crossing = 0
    for community in scores["values"]:
        mine = set(communities.nodes[community]["localities"])
        across = [
            other
            for other in communities[community]
            if mine
            and communities.nodes[other]["localities"]
            and not mine & set(communities.nodes[other]["localities"])
        ]
        crossing += len(across)
        reached = {loc for other in across for loc in communities.nodes[other]["localities"]}
        rows.append(
            {
                "community": community,
                "label": label_of(communities, community),
                "betweenness": scores["values"][community],
                "ties": communities.degree(community),
                "cross_locality_ties": len(across),
                "localities": sorted(mine),
                "localities_reached": sorted(reached),
            }
        )
    rows.sort(key=lambda row: (-row["betweenness"], -row["cross_locality_ties"], row["label"]))
    return {
        "sampled": scores["sampled"],
        "k": scores["k"],
        "cross_locality_ties": crossing // 2,
        "communities": rows[:top] if top else rows,
        "members": bridging_members(communities),
    }
