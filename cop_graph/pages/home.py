"""The home page: what this is, how much it holds, the map, and the latest imports.

Built on :func:`cop_graph.pages.summary.summary` (the same counts as ``cop-graph stats``) plus the
number of communities in each place with an ONS code, which the map shades by.
"""

from __future__ import annotations

from cop_graph.pages.public import PublicData
from cop_graph.pages.summary import summary

__all__ = ["home_page", "map_counts"]

#: most imports the home page lists
LATEST = 5


def map_counts(data: PublicData) -> dict[str, dict]:
    """ONS code → ``iri``, ``label`` and ``communities`` (working there or within it)."""
    return {
        str(row["code"]): {
            "iri": str(row["place"]),
            "label": str(row.get("label", row["code"])),
            "communities": int(row["communities"]),
        }
        for row in data.rows("page_map_counts")
    }


def home_page(data: PublicData) -> dict:
    """Counts, collections, the latest imports and per-locality community counts."""
    page = summary(data.store, data.scope)
    page["latest"] = sorted(
        (g for g in page["graphs"] if g["kind"] == "load"), key=lambda g: g["when"], reverse=True
    )[:LATEST]
    counts = map_counts(data)
    page["localities"] = sorted(
        ({"code": code, **place} for code, place in counts.items() if code.startswith("E08")),
        key=lambda p: p["label"],
    )
    return page
