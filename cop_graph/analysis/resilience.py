"""Single points of failure: communities and organisations that alone hold places together.

Places are connected through the communities that work in them, those communities' members
(people and organisations) and the organisations that serve or are based in places. The way
places nest (a ward within a locality) is left out: it holds nothing together on the ground.
If removing a community or organisation (an articulation point), or one of its ties (a bridge),
leaves places cut off from the rest, coordinators know where one departure would hurt.

"Cut off" places are those no longer connected to the largest remaining group of places;
"isolated" ones are connected to no other place at all. Both come from one pass over the
block-cut tree (for points) and the bridge tree (for ties), not from removing each node in turn.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from cop_graph.analysis.network import label_of
from cop_graph.analysis.paths import sentence

__all__ = ["critical_points", "critical_ties", "resilience", "tie_graph"]

_TIES = {"operates_in", "member_of", "serves", "based_in"}
_REPORTED = {"community", "organisation"}


def tie_graph(kg: nx.MultiDiGraph) -> nx.Graph:
    """Places, communities, organisations and people, linked by the ties that connect them."""
    graph = nx.Graph(labels={})
    for source, target, relation, data in kg.edges(keys=True, data=True):
        if relation in _TIES:
            for role in data.get("roles", ()):
                graph.graph["labels"][role] = label_of(kg, role)
            for node in (source, target):
                graph.add_node(node, kind=kg.nodes[node]["kind"], label=label_of(kg, node))
            roles = data.get("roles", ())
            graph.add_edge(source, target, relation=relation, source=source, roles=roles)
    return graph


class _RootedForest:
    """A forest (block-cut tree or bridge tree) rooted once, with places counted per subtree."""

    def __init__(self, tree: nx.Graph, places_in: dict):
        self.places_in = places_in
        self.parent, self.children, self.count, self.total = {}, defaultdict(list), {}, {}
        for root in sorted(tree):
            if root in self.parent:
                continue
            self.parent[root] = None
            order = [root]
            for node in order:  # breadth first: parents before children
                for child in sorted(tree[node]):
                    if child not in self.parent:
                        self.parent[child] = node
                        self.children[node].append(child)
                        order.append(child)
            for node in reversed(order):
                own = len(places_in.get(node, ()))
                self.count[node] = own + sum(self.count[c] for c in self.children[node])
            for node in order:
                self.total[node] = self.count[root]

    def below(self, node) -> list[str]:
        """The places in the subtree under ``node`` (itself included)."""
        found, todo = [], [node]
        while todo:
            current = todo.pop()
            found.extend(self.places_in.get(current, ()))
            todo.extend(self.children[current])
        return found

    def above(self, node) -> list[str]:
        """The places in the rest of ``node``'s tree: everything but its subtree."""
        root = node
        while self.parent[root] is not None:
            root = self.parent[root]
        return sorted(set(self.below(root)) - set(self.below(node)))


def _judge(sides: list[tuple[int, object]]) -> dict | None:
    """Which places lose the largest group when the graph falls into ``sides``.

    ``sides`` are (number of places, function listing them); the first of the largest is kept.
    """
    with_places = [side for side in sides if side[0]]
    if len(with_places) < 2:
        return None
    largest = max(range(len(with_places)), key=lambda i: (with_places[i][0], -i))
    lost = [sorted(places()) for i, (_, places) in enumerate(with_places) if i != largest]
    return {
        "cut_off": sorted(p for side in lost for p in side),
        "isolated": sorted(side[0] for side in lost if len(side) == 1)
        + ([with_places[largest][1]()[0]] if with_places[largest][0] == 1 else []),
    }


def _node_row(graph: nx.Graph, node: str, verdict: dict) -> dict:
    kind = graph.nodes[node]["kind"]
    return {"node": node, "label": label_of(graph, node), "kind": kind, **verdict}


def _blocks(graph: nx.Graph) -> list[set]:
    """The biconnected blocks: one depth-first search serves both points and ties."""
    return list(nx.biconnected_components(graph))


def critical_points(graph: nx.Graph, blocks: list[set] | None = None) -> list[dict]:
    """Communities and organisations whose loss would cut places off (articulation points).

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> graph = tie_graph(example_knowledge_graph())
    >>> for row in critical_points(graph):
    ...     print(row["label"], [graph.nodes[p]["label"] for p in row["cut_off"]],
    ...           [graph.nodes[p]["label"] for p in row["isolated"]])
    Halliwell Striders ['Halliwell', 'Smithills'] []
    Wigan Walkers ['Halliwell', 'Smithills'] []
    Age UK Wigan ['Wigan'] ['Wigan']
    Bolton North PCN ['Smithills'] ['Smithills']
    """
    blocks = _blocks(graph) if blocks is None else blocks
    seen = Counter(node for block in blocks for node in block)
    cuts = {node for node, count in seen.items() if count > 1}  # in two blocks: a cut point
    tree, places_in = nx.Graph(), defaultdict(list)
    for index, block in enumerate(blocks):
        tree.add_node(("block", index))
        for node in block:
            if node in cuts:
                tree.add_edge(("block", index), ("cut", node))
            elif graph.nodes[node]["kind"] == "place":
                places_in["block", index].append(node)
    for node in cuts:
        if graph.nodes[node]["kind"] == "place":
            places_in["cut", node].append(node)
    forest = _RootedForest(tree, places_in)
    rows = []
    for node in sorted(cuts):
        if graph.nodes[node]["kind"] not in _REPORTED:
            continue
        key = ("cut", node)
        sides = [(forest.count[c], lambda c=c: forest.below(c)) for c in forest.children[key]]
        if forest.parent[key] is not None:
            rest = forest.total[key] - forest.count[key]
            sides.insert(0, (rest, lambda key=key: forest.above(key)))
        verdict = _judge(sides)
        if verdict:
            rows.append(_node_row(graph, node, verdict))
    return sorted(rows, key=lambda r: (-len(r["cut_off"]), r["label"], r["node"]))


def critical_ties(graph: nx.Graph, blocks: list[set] | None = None) -> list[dict]:
    """Single ties (bridges) of a community or organisation whose loss would cut places off.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> graph = tie_graph(example_knowledge_graph())
    >>> for row in critical_ties(graph):
    ...     print(row["sentence"], "->", len(row["cut_off"]))
    Age UK Wigan is based in Wigan -> 1
    Bolton North PCN serves Halliwell -> 1
    Bolton North PCN serves Smithills -> 1
    Halliwell Striders operates in Halliwell -> 2
    a person (name not public) is a member of Halliwell Striders (as Member) -> 2
    a person (name not public) is a member of Wigan Walkers (as Social reporter) -> 2
    """
    blocks = _blocks(graph) if blocks is None else blocks
    bridges = [tuple(sorted(block)) for block in blocks if len(block) == 2]  # a lone link
    without = graph.copy()
    without.remove_edges_from(bridges)
    part_of = {}
    for index, part in enumerate(nx.connected_components(without)):
        part_of.update(dict.fromkeys(part, index))
    tree, places_in = nx.Graph(), defaultdict(list)
    for node, index in part_of.items():
        tree.add_node(index)
        if graph.nodes[node]["kind"] == "place":
            places_in[index].append(node)
    tree.add_edges_from((part_of[a], part_of[b]) for a, b in bridges)
    forest = _RootedForest(tree, places_in)
    rows = []
    for a, b in bridges:
        if not {graph.nodes[a]["kind"], graph.nodes[b]["kind"]} & _REPORTED:
            continue
        child = part_of[b] if forest.parent[part_of[b]] == part_of[a] else part_of[a]
        sides = [
            (forest.total[child] - forest.count[child], lambda c=child: forest.above(c)),
            (forest.count[child], lambda c=child: forest.below(c)),
        ]
        verdict = _judge(sides)
        if verdict:
            tie = graph[a][b]
            source, target = (a, b) if tie["source"] == a else (b, a)
            rows.append(
                {
                    "source": source,
                    "relation": tie["relation"],
                    "target": target,
                    "sentence": sentence(graph, source, tie["relation"], target, tie["roles"]),
                    **verdict,
                }
            )
    return sorted(rows, key=lambda r: (r["sentence"], r["source"], r["target"]))


def resilience(kg: nx.MultiDiGraph) -> dict:
    """Both reports on the tie graph: ``{"points": critical_points, "ties": critical_ties}``,
    and ``places``: the name of every place they cut off, so a table can say which."""
    graph = tie_graph(kg)
    blocks = _blocks(graph)
    points, ties = critical_points(graph, blocks), critical_ties(graph, blocks)
    cut = {place for row in (*points, *ties) for place in row["cut_off"]}
    return {
        "points": points,
        "ties": ties,
        "places": {place: label_of(graph, place) for place in sorted(cut)},
    }
