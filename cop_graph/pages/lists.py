"""Lists of communities, organisations and places, filterable by facets.

Each list is built once per state of the data from named queries and then filtered in
memory, so a visitor clicking through facets costs no query at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from cop_graph.pages.facets import Item, facet_counts, filter_items
from cop_graph.pages.public import PublicData
from cop_graph.pages.search import SearchIndex

__all__ = ["LISTS", "ListSpec", "build_list", "list_page"]


@dataclass(frozen=True)
class ListSpec:
    """One list: its title, which kinds of thing it holds, and its facets (key → heading)."""

    name: str
    title: str
    lead: str
    kinds: frozenset[str]
    facets: dict[str, str]


_COP = "https://w3id.org/cop-graph/ontology#"
LISTS = {
    spec.name: spec
    for spec in (
        ListSpec(
            "communities",
            "Communities",
            "Every Community of Purpose in the graph. Choose filters to narrow the list.",
            frozenset({_COP + "CommunityOfPurpose"}),
            {
                "locality": "Locality",
                "domain": "Domain",
                "practice": "Practice",
                "principle": "Principle",
                "chapter": "Primary Care Blueprint chapter",
                "openness": "Openness",
                "step": "Framework step established",
            },
        ),
        ListSpec(
            "organisations",
            "Organisations",
            "Primary Care Networks, GP practices, councils, NHS bodies and voluntary, "
            "community and social enterprise organisations.",
            frozenset(
                _COP + name
                for name in (
                    "PrimaryCareNetwork",
                    "GPPractice",
                    "VCSEOrganisation",
                    "LocalAuthority",
                    "CombinedAuthority",
                    "NHSBody",
                )
            )
            | {"http://www.w3.org/ns/org#Organization"},
            {"kind": "Kind of organisation", "locality": "Locality"},
        ),
        ListSpec(
            "places",
            "Places",
            "Greater Manchester, its ten localities, their wards and the neighbourhoods "
            "coordinators have defined.",
            frozenset(
                _COP + name for name in ("Region", "Locality", "Ward", "Neighbourhood", "Place")
            ),
            {"kind": "Kind of place", "locality": "Locality"},
        ),
    )
}


def build_list(data: PublicData, index: SearchIndex, spec: ListSpec) -> list[Item]:
    """Every item of the list ``spec`` with its facet values, sorted by name."""
    items = {}
    for entry in index.entries:
        kinds = entry.item.facets.get("kind", {})
        is_community = _COP + "CommunityOfPurpose" in kinds
        if not spec.kinds & kinds.keys() or (is_community and spec.name != "communities"):
            continue
        item = Item(
            entry.item.iri,
            entry.item.label,
            entry.item.description,
            illustrative=entry.item.illustrative,
        )
        item.facets = {
            "kind": {k: v for k, v in kinds.items() if k in spec.kinds},
            "locality": dict(entry.item.facets.get("locality", {})),
        }
        items[item.iri] = item
    if spec.name == "communities":
        for row in data.rows("list_community_facets"):
            item = items.get(str(row["thing"]))
            if item is not None:
                item.add(str(row["facet"]), str(row["value"]), str(row.get("valueLabel", "")))
        for row in data.rows("list_community_steps"):
            item = items.get(str(row["thing"]))
            if item is not None:
                label = f"{row['number']}. {row.get('valueLabel', '')}" if "number" in row else ""
                item.add("step", str(row["value"]), label or str(row.get("valueLabel", "")))
    return sorted(items.values(), key=lambda item: item.label.lower())


def list_page(spec: ListSpec, items: list[Item], chosen: dict[str, list[str]]) -> dict:
    """Page data: the filtered items and the facets with counts."""
    shown = filter_items(items, chosen)
    return {
        "list": spec.name,
        "title": spec.title,
        "lead": spec.lead,
        "total": len(shown),
        "of": len(items),
        "items": [
            {
                "iri": item.iri,
                "label": item.label,
                "description": item.description,
                "localities": sorted(item.facets.get("locality", {}).values()),
                "kinds": sorted(item.facets.get("kind", {}).values()),
                "illustrative": item.illustrative,
            }
            for item in shown
        ],
        "facets": facet_counts(shown, spec.facets, chosen),
        "chosen": chosen,
    }
