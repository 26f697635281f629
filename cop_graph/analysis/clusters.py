"""Groups of closely tied communities (Leiden), each named by what its members share most.

The groups are found by the Leiden algorithm (Traag, Waltman and van Eck, 2019) maximising
modularity on the weighted community graph, run in igraph's C code. Leiden improves on Louvain,
which NetworkX offers: Louvain can leave a group internally disconnected, Leiden guarantees
connected groups, and it is the method community-detection studies now cite. In igraph it takes
about a second at 10k communities where NetworkX's pure-Python Louvain took 12 s.

Leiden is randomised; a fixed seed (see :func:`cop_graph.analysis.igraph_bridge.seeded`) and
an igraph graph numbered in sorted order make the grouping the same on every run, which people
comparing two reports need.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from cop_graph.analysis.igraph_bridge import seeded, to_igraph
from cop_graph.analysis.network import label_of

__all__ = ["ITERATIONS", "SEED", "clusters"]

#: the seed that fixes Leiden's random choices
SEED = 1
#: Leiden passes over the graph; more raised modularity by under 2% at 10k communities (0.293
#: to 0.297) but took three to six times as long, past the 5 s target
ITERATIONS = 10


def _leiden(communities: nx.Graph, seed: int, resolution: float) -> list[list[str]]:
    """Leiden groups (modularity, link weights) after :data:`ITERATIONS` passes."""
    graph, nodes = to_igraph(communities, "weight")
    with seeded(seed):
        found = graph.community_leiden(
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            n_iterations=ITERATIONS,
        )
    return [[nodes[i] for i in group] for group in found]


def _top(communities: nx.Graph, members: list[str], field: str, top: int) -> list[dict]:
    counts = Counter(thing for c in members for thing in communities.nodes[c][field])
    ranked = sorted(counts.items(), key=lambda item: (-item[1], label_of(communities, item[0])))
    return [
        {"iri": thing, "label": label_of(communities, thing), "communities": count}
        for thing, count in ranked[:top]
    ]


def _shared(communities: nx.Graph, members: list[str], field: str) -> list[dict]:
    """Everything in ``field`` that two or more of the cluster's communities have, with which
    ones: the evidence of what holds the cluster together."""
    having: dict[str, list[str]] = {}
    for community in members:
        for thing in communities.nodes[community].get(field, ()):
            having.setdefault(thing, []).append(community)
    rows = [
        {
            "iri": thing,
            "label": label_of(communities, thing),
            "communities": [
                {"community": c, "label": label_of(communities, c)}
                for c in sorted(found, key=lambda c: (label_of(communities, c), c))
            ],
        }
        for thing, found in having.items()
        if len(found) > 1
    ]
    return sorted(rows, key=lambda r: (-len(r["communities"]), r["label"], r["iri"]))


def clusters(
    communities: nx.Graph, *, seed: int = SEED, resolution: float = 1.0, top: int = 3
) -> list[dict]:
    """Leiden clusters of the community graph, largest first, labelled by dominant practices.

    Parameters
    ----------
    communities : networkx.Graph
        The graph of :func:`cop_graph.analysis.network.community_graph` (links weighted by how much
        two communities share).
    seed : int
        Fixes Leiden's random choices.
    resolution : float
        Above 1 favours more, smaller clusters; below 1 fewer, larger ones (the γ of
        modularity).
    top : int
        How many practices and domains describe each cluster.

    Returns
    -------
    list of dict
        ``cluster`` (1, 2, …), ``size``, ``communities`` (IRI and label), ``practices`` and
        ``domains`` (most shared first, with how many of the cluster's communities share them)
        and ``label`` (the leading practices, or domains when none); ``shared_practices``
        and ``shared_places`` are the evidence: each practice or place that two or more of
        the cluster's communities have, with which ones.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> from cop_graph.analysis.network import community_graph
    >>> for cluster in clusters(community_graph(example_knowledge_graph())):
    ...     print(cluster["cluster"], cluster["size"], cluster["label"])
    1 3 Health walks, Social prescribing, Community gardening
    """
    groups = _leiden(communities, seed, resolution)
    ordered = sorted((sorted(group) for group in groups), key=lambda g: (-len(g), g[0]))
    answer = []
    for number, members in enumerate(ordered, start=1):
        practices = _top(communities, members, "practices", top)
        domains = _top(communities, members, "domains", top)
        named_by = practices or domains
        answer.append(
            {
                "cluster": number,
                "size": len(members),
                "label": ", ".join(item["label"] for item in named_by) or "nothing shared",
                "communities": [
                    {"community": c, "label": label_of(communities, c)}
                    for c in sorted(members, key=lambda c: (label_of(communities, c), c))
                ],
                "practices": practices,
                "domains": domains,
                "shared_practices": _shared(communities, members, "practices"),
                "shared_places": _shared(communities, members, "places"),
            }
        )
    return answer
