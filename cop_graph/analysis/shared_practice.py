"""Which places share which practices, with the communities that show it.

Places N1 ≠ N2 share practice P when a community working in N1 and a community (the same or
another) working in N2 both share P. Every answer carries that evidence. The place graphs come
from :func:`cop_graph.analysis.network.place_practice_graph` (place × practice) and
:func:`cop_graph.analysis.network.shared_practice_graph` (place – place), at any level.
"""

from __future__ import annotations

import networkx as nx

from cop_graph.analysis.network import label_of

__all__ = ["matrix", "pairs", "shared_with", "similarity"]


def pairs(shared: nx.Graph, place: str | None = None, practice: str | None = None) -> list[dict]:
    """Each unordered pair of places once per practice they share, with the evidence.

    Parameters
    ----------
    shared : networkx.Graph
        The place – place graph of :func:`cop_graph.analysis.network.shared_practice_graph`.
    place, practice : str, optional
        Keep only pairs that include this place, or this practice.

    Returns
    -------
    list of dict
        ``{"places": [a, b], "labels", "practice": p, "practice_label", "communities": [...],
        "evidence": [...]}`` with ``a < b``, sorted; ``evidence`` names each community and
        which of the two places it works in, so a reader sees why the pair is listed.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> from cop_graph.analysis.network import place_practice_graph, shared_practice_graph
    >>> shared = shared_practice_graph(place_practice_graph(example_knowledge_graph(), "locality"))
    >>> for pair in pairs(shared):
    ...     print([p.rsplit("/", 1)[1] for p in pair["places"]], pair["practice"].rsplit("/", 1)[1])
    ...     print([c.rsplit("/", 1)[1] for c in pair["communities"]])
    ['bolton', 'wigan'] health-walks
    ['halliwell-striders', 'wigan-walkers']
    """
    answer = []
    for first, second in sorted(tuple(sorted(edge)) for edge in shared.edges):
        if place is not None and place not in (first, second):
            continue
        link = shared[first][second]
        for shared_practice, communities in sorted(link["evidence"].items()):
            if practice is None or practice == shared_practice:
                answer.append(
                    {
                        "places": [first, second],
                        "labels": [label_of(shared, first), label_of(shared, second)],
                        "practice": shared_practice,
                        "practice_label": label_of(shared, shared_practice),
                        "communities": list(communities),
                        "evidence": _evidence(shared, link, shared_practice),
                    }
                )
    return answer


def _evidence(shared: nx.Graph, link: dict, practice: str) -> list[dict]:
    """The communities behind one shared practice, each with the places of the pair it works
    in (one, or both when it works in each)."""
    sides = link.get("sides", {}).get(practice, {})
    return [
        {
            "community": community,
            "label": label_of(shared, community),
            "places": [place for place, found in sides.items() if community in found],
        }
        for community in link["evidence"][practice]
    ]


def shared_with(shared: nx.Graph, place: str) -> list[dict]:
    """The places that share practice with ``place``, most practices first, with the evidence.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> from cop_graph.analysis.network import place_practice_graph, shared_practice_graph
    >>> shared = shared_practice_graph(place_practice_graph(example_knowledge_graph()))
    >>> central = "https://w3id.org/cop-graph/id/place/wigan-central"
    >>> for row in shared_with(shared, central):
    ...     print(row["label"], [p["label"] for p in row["practices"]])
    Halliwell ['Health walks']
    Pemberton ['Social prescribing']
    """
    if place not in shared:
        return []
    rows = []
    for other in shared[place]:
        evidence = shared[place][other]["evidence"]
        practices = [
            {"practice": p, "label": label_of(shared, p), "communities": list(evidence[p])}
            for p in sorted(evidence, key=lambda p: (label_of(shared, p), p))
        ]
        rows.append({"place": other, "label": label_of(shared, other), "practices": practices})
    return sorted(rows, key=lambda row: (-len(row["practices"]), row["label"], row["place"]))


def matrix(place_practice: nx.Graph) -> dict:
    """The place × practice table: how many communities in each place share each practice.

    Places and practices are sorted by label; a place appears when it has at least one
    practice. Each place's ``counts`` hold only the practices found there (the table is mostly
    empty on large graphs, so it is never spelt out cell by cell); its ``communities`` are the
    ones counted (the evidence, which also tells whether a row rests on invented ones).

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> from cop_graph.analysis.network import place_practice_graph
    >>> table = matrix(place_practice_graph(example_knowledge_graph(), "locality"))
    >>> [p["label"] for p in table["practices"]]
    ['Community gardening', 'Health walks', 'Social prescribing']
    >>> [(p["label"], sorted(p["counts"].values())) for p in table["places"]]
    [('Bolton', [1]), ('Wigan', [1, 1, 2])]
    """

    def by_label(kind):
        nodes = [n for n, d in place_practice.nodes(data=True) if d["kind"] == kind]
        return sorted(nodes, key=lambda n: (label_of(place_practice, n), n))

    order = {practice: i for i, practice in enumerate(by_label("practice"))}
    places = [
        {
            "place": place,
            "label": label_of(place_practice, place),
            "counts": {
                practice: place_practice[place][practice]["weight"]
                for practice in sorted(place_practice[place], key=order.__getitem__)
            },
            "communities": sorted(
                {c for p in place_practice[place] for c in place_practice[place][p]["communities"]}
            ),
        }
        for place in by_label("place")
    ]
    practices = [{"practice": q, "label": label_of(place_practice, q)} for q in order]
    return {"places": places, "practices": practices}


def similarity(shared: nx.Graph, place: str | None = None) -> list[dict]:
    """Jaccard similarity of the practice sets of every two places that share any practice.

    ``jaccard`` = practices in both ÷ practices in either; most similar first. Works on the
    place – place graph, whose links count the practices in both and whose places count
    their own. ``communities`` are the evidence: those sharing the practices in both;
    ``practices`` lists each practice in both with its communities and where they work.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> from cop_graph.analysis.network import place_practice_graph, shared_practice_graph
    >>> shared = shared_practice_graph(place_practice_graph(example_knowledge_graph()))
    >>> for row in similarity(shared):
    ...     print([p.rsplit("/", 1)[1] for p in row["places"]], row["shared"], row["jaccard"])
    ['bolton-halliwell', 'wigan-central'] 1 0.5
    ['wigan-central', 'wigan-pemberton'] 1 0.3333
    """
    if place is not None and place not in shared:
        return []
    names = {node: label_of(shared, node) for node in shared}
    counts = dict(shared.nodes(data="practices"))
    rows = []
    for one, other, link in shared.edges(place, data=True):
        first, second = (one, other) if one < other else (other, one)
        both = link["weight"]
        rows.append(
            {
                "places": [first, second],
                "labels": [names[first], names[second]],
                "shared": both,
                "jaccard": round(both / (counts[first] + counts[second] - both), 4),
                "communities": sorted({c for found in link["evidence"].values() for c in found}),
                "practices": [
                    {
                        "practice": practice,
                        "label": label_of(shared, practice),
                        "evidence": _evidence(shared, link, practice),
                    }
                    for practice in sorted(link["evidence"], key=lambda p: (label_of(shared, p), p))
                ],
            }
        )
    return sorted(rows, key=lambda row: (-row["jaccard"], *row["places"]))
