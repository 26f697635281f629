"""The home page: what this is, how much it holds, the map, and the latest imports.

Built on :func:`cop_graph.pages.summary.summary` (the same counts as ``cop-graph stats``) plus the
number of communities in each place with an ONS code, which the map shades by. Every count says
how much of it is invented (``invented``), so a figure drawn from the demo never passes for a
real one.
"""

from __future__ import annotations

from collections import Counter

from cop_graph.pages.display import kind_of
from cop_graph.pages.public import PublicData
from cop_graph.pages.summary import summary

__all__ = ["home_page", "map_counts"]

#: most imports the home page lists
LATEST = 5
#: the kind of thing (by its address) each count of the summary counts
_COUNTED_KINDS = {
    "community": "communities",
    "person": "people",
    "organisation": "organisations",
    "place": "places",
    "practice": "practices",
}


def map_counts(data: PublicData) -> dict[str, dict]:
    """ONS code → ``iri``, ``label``, ``communities`` (working there or within it), how many of
    those are ``invented``, and ``illustrative`` when any is."""
    return {
        str(row["code"]): {
            "iri": str(row["place"]),
            "label": str(row.get("label", row["code"])),
            "communities": int(row["communities"]),
            "invented": int(row["illustrative"]),
            "illustrative": int(row["illustrative"]) > 0,
        }
        for row in data.rows("page_map_counts")
    }


def home_page(data: PublicData) -> dict:
    """Counts, collections, the latest imports and per-locality community counts."""
    page = summary(data.store, data.scope)
    invented = Counter(_COUNTED_KINDS.get(kind_of(iri)) for iri in data.invented())
    page["invented"] = {name: invented[name] for name in page["counts"]}
    page["latest"] = sorted(
        (g for g in page["graphs"] if g["kind"] == "load"), key=lambda g: g["when"], reverse=True
    )[:LATEST]
    counts = map_counts(data)
    page["localities"] = sorted(
        ({"code": code, **place} for code, place in counts.items() if code.startswith("E08")),
        key=lambda p: p["label"],
    )
    return page
