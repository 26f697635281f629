"""How two things are connected, as short chains of plain sentences.

"Wigan Walkers operates in Wigan Central; Wigan Central is within Wigan" is an answer a
coordinator can check and act on; a bare hop count is not. Paths run over the facts that
connect things (where communities work, what they share, who belongs to them, how places nest)
and leave out framework steps, roles and statuses, which every community has in common.
"""

from __future__ import annotations

from itertools import islice

import networkx as nx

from cop_graph.analysis.network import label_of, named
from cop_graph.errors import UsageError

__all__ = ["PHRASES", "explained_paths", "find_things", "path_graph", "resolve", "sentence"]

#: how each relation reads in a sentence
PHRASES = {
    "operates_in": "operates in",
    "shares_practice": "shares the practice",
    "has_domain": "has the domain",
    "aligns_with_chapter": "works towards the Blueprint chapter",
    "within": "is within",
    "comprises": "includes",
    "serves": "serves",
    "based_in": "is based in",
    "member_of": "is a member of",
}
_LEFT_OUT = {"step", "role", "status"}


def path_graph(kg: nx.MultiDiGraph) -> nx.Graph:
    """The knowledge graph as an undirected graph of connecting facts (``facts`` on each link)."""
    graph = nx.Graph()
    graph.add_nodes_from((n, d) for n, d in kg.nodes(data=True) if d["kind"] not in _LEFT_OUT)
    for source, target, relation, data in kg.edges(keys=True, data=True):
        if relation in PHRASES and source in graph and target in graph:
            if not graph.has_edge(source, target):
                graph.add_edge(source, target, facts=[])
            fact = (source, relation, target, data.get("roles", ()))
            graph[source][target]["facts"].append(fact)
    return graph


def sentence(kg: nx.Graph, source: str, relation: str, target: str, roles=()) -> str:
    """One fact in words, e.g. ``Wigan Walkers operates in Wigan Central``.

    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> kg = example_knowledge_graph()
    >>> sentence(kg, "https://w3id.org/cop-graph/id/person/0001", "member_of",
    ...          "https://w3id.org/cop-graph/id/community/wigan-walkers",
    ...          ["https://w3id.org/cop-graph/ontology#SocialReporter"])
    'a person (name not public) is a member of Wigan Walkers (as Social reporter)'
    """
    text = f"{label_of(kg, source)} {PHRASES[relation]} {label_of(kg, target)}"
    as_roles = " and ".join(label_of(kg, role) for role in roles)
    return f"{text} (as {as_roles})" if roles else text


def _node(kg: nx.MultiDiGraph, node: str) -> dict:
    data = kg.nodes[node]
    return {"iri": node if named(data) else None, "label": label_of(kg, node), "kind": data["kind"]}


def explained_paths(
    kg: nx.MultiDiGraph, source: str, target: str, *, k: int = 3, graph: nx.Graph | None = None
) -> list[dict]:
    """Up to ``k`` shortest paths from ``source`` to ``target``, shortest first, each explained.

    ``graph`` is :func:`path_graph` of ``kg`` when the caller already has it.

    Returns
    -------
    list of dict
        ``length`` (number of facts), ``nodes`` (IRI, label, kind; people without a public
        profile have no IRI here), ``steps`` (one sentence per fact) and ``explanation``
        (the sentences joined by semicolons). An empty list when nothing connects them.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> kg = example_knowledge_graph()
    >>> walkers = "https://w3id.org/cop-graph/id/community/wigan-walkers"
    >>> striders = "https://w3id.org/cop-graph/id/community/halliwell-striders"
    >>> [path] = explained_paths(kg, walkers, striders, k=1)
    >>> path["length"]
    2
    >>> for step in path["steps"]:
    ...     print(step)
    Wigan Walkers works towards the Blueprint chapter Prevention
    Halliwell Striders works towards the Blueprint chapter Prevention
    """
    graph = path_graph(kg) if graph is None else graph
    for end in (source, target):
        if end not in graph:
            raise UsageError(f"{end} is not something the paths can start or end at")
    try:
        found = list(islice(nx.shortest_simple_paths(graph, source, target), k))
    except nx.NetworkXNoPath:
        return []
    answer = []
    for nodes in found:
        steps = []
        for first, second in zip(nodes, nodes[1:], strict=False):
            fact = min(graph[first][second]["facts"], key=lambda f: tuple(str(x) for x in f))
            steps.append(sentence(kg, *fact))
        answer.append(
            {
                "length": len(nodes) - 1,
                "nodes": [_node(kg, n) for n in nodes],
                "steps": steps,
                "explanation": "; ".join(steps),
            }
        )
    return answer


def find_things(kg: nx.MultiDiGraph, text: str = "", *, limit: int | None = 20) -> list[dict]:
    """Things whose label contains ``text`` (any case), labels starting with it first.

    People without a public profile are never offered: they have no name to search by.

    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> [thing["label"] for thing in find_things(example_knowledge_graph(), "wigan")]
    ['Wigan', 'Wigan Central', 'Wigan Central PCN', 'Wigan Town', 'Wigan Walkers', 'Age UK Wigan']
    """
    needle = text.casefold().strip()
    found = []
    for node, data in kg.nodes(data=True):
        if data["kind"] in _LEFT_OUT or not named(data):
            continue
        label = label_of(kg, node)
        position = label.casefold().find(needle)
        if position >= 0:
            found.append((position != 0, label.casefold(), node, label, data["kind"]))
    found.sort()
    return [{"iri": n, "label": lab, "kind": kind} for *_, n, lab, kind in found[:limit]]


def resolve(kg: nx.MultiDiGraph, text: str) -> str:
    """The IRI meant by ``text``: an IRI in the graph, or a label that names exactly one thing.

    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> resolve(example_knowledge_graph(), "wigan walkers")
    'https://w3id.org/cop-graph/id/community/wigan-walkers'
    >>> resolve(example_knowledge_graph(), "walkers")
    Traceback (most recent call last):
    ...
    cop_graph.errors.UsageError: nothing is called "walkers"; did you mean Wigan Walkers?
    """
    if text in kg:
        return text
    matches = [
        t for t in find_things(kg, text, limit=None) if t["label"].casefold() == text.casefold()
    ]
    if len(matches) == 1:
        return matches[0]["iri"]
    if not matches:
        close = [t["label"] for t in find_things(kg, text, limit=5)]
        hint = f"did you mean {', '.join(close)}?" if close else "try part of its name or its IRI"
        raise UsageError(f'nothing is called "{text}"; {hint}')
    kinds = ", ".join(f"{m['label']} ({m['kind']}, {m['iri']})" for m in matches)
    raise UsageError(f'"{text}" names more than one thing: {kinds}; use the IRI instead')
