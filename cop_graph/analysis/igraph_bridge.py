"""NetworkX graphs handed to igraph, whose C code runs clusters and betweenness in seconds.

The analyses keep NetworkX graphs (built once, easy to read and export); only the two
heaviest computations cross to igraph, which at 10k communities is many times faster than
NetworkX's pure Python. Two things make the crossing safe to repeat:

- the nodes are numbered in sorted order and the links listed in sorted order, so the same
  graph always gives the same igraph graph, however it was built;
- igraph draws its random numbers from one generator for the whole process. :func:`seeded`
  swaps in a seeded one for the duration of a call, under a lock so that two requests served
  at once cannot interleave, then puts back the ``random`` module that igraph uses by default.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager

import igraph as ig
import networkx as nx

__all__ = ["normalised_betweenness", "seeded", "to_igraph"]

_RANDOM_LOCK = threading.Lock()


def to_igraph(graph: nx.Graph, weight: str | None = None) -> tuple[ig.Graph, list[Hashable]]:
    """An undirected igraph copy of ``graph`` and its nodes, vertex ``i`` being ``nodes[i]``.

    With ``weight``, each link carries that attribute (1 where missing) as the igraph edge
    attribute ``weight``.

    Examples
    --------
    >>> g, nodes = to_igraph(nx.Graph([("b", "c", {"weight": 2}), ("a", "b", {})]), "weight")
    >>> nodes, g.get_edgelist(), g.es["weight"]
    (['a', 'b', 'c'], [(0, 1), (1, 2)], [1, 2])
    """
    nodes = sorted(graph)
    index = {node: number for number, node in enumerate(nodes)}
    edges = graph.edges(data=weight, default=1) if weight else ((u, v, 1) for u, v in graph.edges)
    links = sorted(
        (index[u], index[v], w) if index[u] < index[v] else (index[v], index[u], w)
        for u, v, w in edges
    )
    copy = ig.Graph(n=len(nodes), edges=[(u, v) for u, v, _ in links], directed=False)
    if weight:
        copy.es["weight"] = [w for _, _, w in links]
    return copy, nodes


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run the block with igraph's random numbers drawn from ``random.Random(seed)``.

    Examples
    --------
    >>> def draw():
    ...     with seeded(5):
    ...         return ig.Graph.Erdos_Renyi(n=6, m=5).get_edgelist()
    >>> draw() == draw()
    True
    """
    with _RANDOM_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


def normalised_betweenness(
    graph: nx.Graph, sources: Sequence[Hashable] | None = None
) -> dict[Hashable, float]:
    """``networkx.betweenness_centrality(graph)`` (hops, normalised 0–1), computed by igraph.

    With ``sources``, the estimate from the shortest paths leaving them, scaled as NetworkX
    (3.5 or later) scales ``betweenness_centrality(graph, k=len(sources))``: a node's mean
    share of the paths from each source, over the n − 2 targets a path through it can reach;
    a source lies on none of its own paths, so its mean is over the other sources.

    Examples
    --------
    >>> normalised_betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}
    >>> normalised_betweenness(nx.path_graph(3), sources=[0, 2])
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    copy, nodes = to_igraph(graph)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    if sources is None:
        # igraph counts each unordered pair once; NetworkX divides by the (n-1)(n-2)/2 pairs
        raw = copy.betweenness(directed=False)
        scale = 2 / ((n - 1) * (n - 2))
        return {node: value * scale for node, value in zip(nodes, raw, strict=True)}
    index = {node: number for number, node in enumerate(nodes)}
    chosen = {index[node] for node in sources}
    # igraph halves the counts of an undirected graph; paths from sources run one way only
    raw = copy.betweenness(directed=False, sources=sorted(chosen))
    values = {}
    for number, (node, value) in enumerate(zip(nodes, raw, strict=True)):
        counted = len(chosen) - (number in chosen)  # sources whose paths it can lie on
        values[node] = 2 * value / (counted * (n - 2)) if counted else 0.0
    return values
