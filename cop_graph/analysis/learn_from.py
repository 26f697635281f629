"""Who a community could learn from: kindred communities elsewhere that are further along.

"Kindred" means sharing a domain or a practice; "elsewhere" means working in none of the same
places (at a chosen level); "further along" means more framework steps established. These are
the introductions a coordinator would make, each with the reasons that justify it.
"""

from __future__ import annotations

import networkx as nx

from cop_graph.analysis.network import AreaIndex, label_of, labelled, targets, things
from cop_graph.analysis.progress import positions
from cop_graph.errors import UsageError

__all__ = ["learn_from"]


def learn_from(
    kg: nx.MultiDiGraph, community: str, *, level: str = "recorded", limit: int | None = None
) -> list[dict]:
    """Communities ``community`` could learn from, the most in common first.

    Parameters
    ----------
    kg : networkx.MultiDiGraph
        The knowledge graph of :func:`cop_graph.analysis.network.knowledge_graph`.
    community : str
        The IRI of the community looking for others to learn from.
    level : str
        At which level "elsewhere" is judged (``recorded`` places, ``ward``, ``locality`` …).

    Returns
    -------
    list of dict
        ``community``, ``label``, ``shared_domains``, ``shared_practices``, ``places``,
        ``established`` (their steps established) and ``ahead_by`` (how many more than yours).

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> kg = example_knowledge_graph()
    >>> growers = "https://w3id.org/cop-graph/id/community/pemberton-growers"
    >>> for row in learn_from(kg, growers):
    ...     print(row["label"], row["ahead_by"], [p["label"] for p in row["shared_practices"]])
    Wigan Walkers 2 ['Social prescribing']
    >>> learn_from(kg, growers, level="locality")
    []
    """
    if kg.nodes.get(community, {}).get("kind") != "community":
        raise UsageError(f"{community} is not a community in the graph")
    areas = AreaIndex(kg, level)
    established = {row["community"]: row["established"] for row in positions(kg)}
    mine = {
        "domains": set(targets(kg, community, "has_domain")),
        "practices": set(targets(kg, community, "shares_practice")),
        "areas": areas.of_community(community),
    }
    rows = []
    for other in things(kg, "community"):
        ahead_by = established[other] - established[community]
        if other == community or ahead_by <= 0 or areas.of_community(other) & mine["areas"]:
            continue
        domains = mine["domains"] & set(targets(kg, other, "has_domain"))
        practices = mine["practices"] & set(targets(kg, other, "shares_practice"))
        if domains or practices:
            rows.append(
                {
                    "community": other,
                    "label": label_of(kg, other),
                    "shared_domains": labelled(kg, domains),
                    "shared_practices": labelled(kg, practices),
                    "places": labelled(kg, targets(kg, other, "operates_in")),
                    "established": established[other],
                    "ahead_by": ahead_by,
                }
            )
    rows.sort(
        key=lambda r: (
            -(len(r["shared_domains"]) + len(r["shared_practices"])),
            -r["ahead_by"],
            r["label"],
        )
    )
    return rows[:limit] if limit else rows
