"""Where each community is across the framework's seven steps, and how Greater Manchester spreads.

A community's position comes from its latest self-assessment of each step (earlier ones are kept
in the data as history). "Steps established" is the measure the other analyses compare, for
example to find communities further along to learn from.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from cop_graph.analysis.network import label_of, things
from cop_graph.namespaces import COP

__all__ = ["STATUS_NAMES", "distribution", "positions", "progress"]

#: short names of the step statuses, in order of progress
STATUS_NAMES = {
    str(COP.NotStarted): "not_started",
    str(COP.InProgress): "in_progress",
    str(COP.Established): "established",
}


def _steps(kg: nx.MultiDiGraph) -> list[str]:
    return sorted(things(kg, "step"), key=lambda s: (kg.nodes[s].get("step", 99), s))


def positions(kg: nx.MultiDiGraph) -> list[dict]:
    """Each community's latest status on every step, steps established, and its current step.

    The current step is the lowest-numbered step not yet established (None when all are).

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> for row in positions(example_knowledge_graph()):
    ...     print(row["label"], row["established"], row["current_step"],
    ...           [step["status"] for step in row["steps"]])
    Halliwell Striders 3 None ['established', 'established', 'established']
    Pemberton Growers 0 1 ['in_progress', None, None]
    Wigan Walkers 2 3 ['established', 'established', 'in_progress']
    """
    steps = _steps(kg)
    rows = []
    for community in sorted(things(kg, "community"), key=lambda c: (label_of(kg, c), c)):
        latest = {
            step: data
            for _, step, key, data in kg.out_edges(community, keys=True, data=True)
            if key == "assessed"
        }
        row_steps = []
        for step in steps:
            data = latest.get(step, {})
            row_steps.append(
                {
                    "step": step,
                    "number": kg.nodes[step].get("step"),
                    "label": label_of(kg, step),
                    "status": STATUS_NAMES.get(data.get("status")),
                    "date": data.get("date"),
                }
            )
        not_done = [s["number"] for s in row_steps if s["status"] != "established"]
        rows.append(
            {
                "community": community,
                "label": label_of(kg, community),
                "established": len(row_steps) - len(not_done),
                "current_step": min(not_done) if not_done else None,
                "steps": row_steps,
            }
        )
    return rows


def distribution(kg: nx.MultiDiGraph, rows: list[dict] | None = None) -> dict:
    """How many communities have each step at each status, and how many steps they established.

    Examples
    --------
    >>> from cop_graph.analysis.example import example_knowledge_graph
    >>> spread = distribution(example_knowledge_graph())
    >>> [(s["number"], s["counts"]) for s in spread["steps"]][0]
    (1, {'not_started': 0, 'in_progress': 1, 'established': 2, 'not_assessed': 0})
    >>> [(row["established"], row["communities"]) for row in spread["established"]]
    [(0, 1), (1, 0), (2, 1), (3, 1)]
    """
    rows = positions(kg) if rows is None else rows
    steps = _steps(kg)
    by_step = []
    for index, step in enumerate(steps):
        counts = Counter(row["steps"][index]["status"] or "not_assessed" for row in rows)
        by_step.append(
            {
                "step": step,
                "number": kg.nodes[step].get("step"),
                "label": label_of(kg, step),
                "counts": {name: counts[name] for name in (*STATUS_NAMES.values(), "not_assessed")},
            }
        )
    established = Counter(row["established"] for row in rows)
    return {
        "steps": by_step,
        "established": [
            {"established": n, "communities": established[n]} for n in range(len(steps) + 1)
        ],
    }


def progress(kg: nx.MultiDiGraph) -> dict:
    """Both views together: ``{"communities": positions, "distribution": distribution}``."""
    rows = positions(kg)
    return {"communities": rows, "distribution": distribution(kg, rows)}
