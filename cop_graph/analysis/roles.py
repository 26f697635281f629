"""Which of Wenger's seven roles each community has filled, and which it still needs.

The framework uses the seven roles to frame a community's early conversations about how it
will work; an unfilled role is a prompt, not a fault. Members are counted, never named.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from cop_graph import framework
from cop_graph.analysis.network import label_of, things

__all__ = ["WENGER_ROLES", "role_coverage"]

#: Etienne Wenger's seven roles of effective communities, in the framework's order
WENGER_ROLES = tuple(str(role) for role in framework.WENGER_ROLES)


def role_coverage(kg: nx.MultiDiGraph) -> dict:
    """Per community: the Wenger roles filled (with how many members hold each) and missing.

    Returns
    -------
    dict
        ``roles`` (the seven, IRI and label, in order), ``communities`` (``community``,
        ``label``, ``filled`` and ``missing`` roles as IRI and label, ``holders`` = members per
        role, ``members``) sorted by label, and ``filled_by`` (communities per role filled).

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> answer = role_coverage(example_knowledge_graph())
    >>> for row in answer["communities"]:
    ...     print(row["label"], len(row["filled"]), [r["label"] for r in row["filled"]])
    Halliwell Striders 0 []
    Pemberton Growers 1 ['Community keeper']
    Wigan Walkers 2 ['Social reporter', 'Organizational broker']
    >>> from cop_graph.namespaces import COP
    >>> answer["filled_by"][str(COP.SocialReporter)]
    1
    """
    rows = []
    filled_by = Counter()
    for community in sorted(things(kg, "community"), key=lambda c: (label_of(kg, c), c)):
        memberships = [
            data["roles"]
            for _, _, key, data in kg.in_edges(community, keys=True, data=True)
            if key == "member_of"
        ]
        held = Counter(role for roles in memberships for role in roles)
        filled = [role for role in WENGER_ROLES if held[role]]
        filled_by.update(filled)
        rows.append(
            {
                "community": community,
                "label": label_of(kg, community),
                "filled": [{"iri": r, "label": label_of(kg, r)} for r in filled],
                "missing": [
                    {"iri": r, "label": label_of(kg, r)} for r in WENGER_ROLES if not held[r]
                ],
                "holders": {role: held[role] for role in WENGER_ROLES},
                "members": len(memberships),
            }
        )
    return {
        "roles": [{"role": role, "label": label_of(kg, role)} for role in WENGER_ROLES],
        "communities": rows,
        "filled_by": {role: filled_by[role] for role in WENGER_ROLES},
    }
