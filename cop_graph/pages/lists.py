"""Lists of communities, organisations, places, practices and domains: filtered, sorted, paged.

Each list is built once per state of the data from the search index and named queries, then
filtered, sorted and cut into pages in memory, so a visitor clicking through facets, column
headings and pages costs no query at all. Filters take what people write (``wigan``,
``Wigan``, ``E08000010`` or the full IRI, see :class:`~cop_graph.pages.facets.FacetChoices`),
and the downloads (:mod:`cop_graph.pages.list_tables`) hold exactly the rows the page shows,
every page of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from cop_graph.pages.facets import FacetChoices, Item, facet_counts, filter_items
from cop_graph.pages.public import PublicData
from cop_graph.pages.search import SearchIndex

__all__ = [
    "COLUMNS",
    "LISTS",
    "PAGE_SIZE",
    "BadListRequest",
    "ListSpec",
    "build_list",
    "cell",
    "filter_choices",
    "list_page",
    "read_sort",
    "shown_items",
]

#: rows on one page of a list
PAGE_SIZE = 50
_COP = "https://w3id.org/cop-graph/ontology#"


class BadListRequest(ValueError):
    """A sort, page or filter a list cannot give (a 400 or 404 for the web)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ListSpec:
    """One list: its title, the kinds of thing in it, its facets (key → heading) and the
    columns of its table (keys of :data:`COLUMNS`)."""

    name: str
    title: str
    lead: str
    kinds: frozenset[str]
    facets: dict[str, str]
    columns: tuple[str, ...] = ("name",)


#: the columns a list can have: key → heading (numbers sort largest first when descending)
COLUMNS = {
    "name": "Name",
    "kind": "Kind",
    "locality": "Locality",
    "domain": "Domains",
    "practices": "Practices",
    "code": "Code",
    "communities": "Communities",
}
_NUMBERS = {"practices", "communities"}

#: which kinds of thing a facet's values are, so that a value no listed thing has yet is still
#: known (``?locality=trafford`` with no community there is 0 rows, not an unknown value)
_FACET_KINDS = {
    "locality": _COP + "Locality",
    "domain": _COP + "Domain",
    "practice": _COP + "Practice",
    "principle": _COP + "Principle",
    "chapter": _COP + "BlueprintChapter",
    "step": _COP + "FrameworkStep",
}

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
            ("name", "locality", "domain", "practices"),
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
            ("name", "kind", "locality", "code", "communities"),
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
            ("name", "kind", "locality", "code", "communities"),
        ),
        ListSpec(
            "practices",
            "Practices",
            "The practices communities share, with how many communities share each.",
            frozenset({_COP + "Practice"}),
            {},
            ("name", "communities"),
        ),
        ListSpec(
            "domains",
            "Domains",
            "The domains communities work in, with how many communities work in each.",
            frozenset({_COP + "Domain"}),
            {},
            ("name", "communities"),
        ),
    )
}


def build_list(data: PublicData, index: SearchIndex, spec: ListSpec) -> list[Item]:
    """Every item of the list ``spec`` with its facet values, codes and counts, by name."""
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
            codes=dict(entry.item.codes),
        )
        item.facets = {
            "kind": {k: v for k, v in kinds.items() if k in spec.kinds},
            "locality": dict(entry.item.facets.get("locality", {})),
        }
        items[item.iri] = item
    if spec.name == "communities":
        for row in data.text_rows("list_community_facets"):
            item = items.get(str(row["thing"]))
            if item is not None:
                item.add(str(row["facet"]), str(row["value"]), str(row.get("valueLabel", "")))
        for row in data.text_rows("list_community_steps"):
            item = items.get(str(row["thing"]))
            if item is not None:
                label = f"{row['number']}. {row.get('valueLabel', '')}" if "number" in row else ""
                item.add("step", str(row["value"]), label or str(row.get("valueLabel", "")))
    if "communities" in spec.columns:
        counts = {
            str(r["thing"]): int(r["communities"]) for r in data.text_rows("list_community_counts")
        }
        for item in items.values():
            item.counts["communities"] = counts.get(item.iri, 0)
    return sorted(items.values(), key=lambda item: item.label.lower())


def filter_choices(index: SearchIndex, spec: ListSpec, items: list[Item]) -> FacetChoices:
    """Every value each facet of ``spec`` can take: those the items have, and every thing in
    the index of the facet's kind, each with its name and codes."""
    choices = FacetChoices(dict(spec.facets))
    for item in items:
        for facet in spec.facets:
            for value, label in item.facets.get(facet, {}).items():
                choices.add(facet, value, label)
    for entry in index.entries:
        kinds = entry.item.facets.get("kind", {})
        for facet in spec.facets:
            if _FACET_KINDS.get(facet) in kinds:
                choices.add(facet, entry.item.iri, entry.item.label, *entry.item.codes.values())
    # codes of values the items have (a locality's GSS code)
    codes = {entry.item.iri: entry.item.codes for entry in index.entries if entry.item.codes}
    for facet, labels in list(choices.labels.items()):
        for value, label in list(labels.items()):
            if value in codes:
                choices.add(facet, value, label, *codes[value].values())
    return choices.finish()


def read_sort(spec: ListSpec, text: str) -> tuple[str, bool]:
    """The column and direction ``?sort=`` asks for (``name``, ``-communities``)."""
    text = (text or "name").strip()
    column, descending = text.removeprefix("-"), text.startswith("-")
    if column not in spec.columns:
        choices = ", ".join(spec.columns)
        raise BadListRequest(f'This list cannot be sorted by "{text}"; sort by one of: {choices}.')
    return column, descending


def cell(item: Item, column: str) -> str | int:
    """What ``item`` shows in ``column``: a number for counts, else text (names joined)."""
    if column == "name":
        return item.label
    if column == "practices":
        return len(item.facets.get("practice", {}))
    if column in _NUMBERS:
        return item.counts.get(column, 0)
    if column == "code":
        return ", ".join(item.codes.values())
    return ", ".join(sorted(item.facets.get(column, {}).values(), key=str.casefold))


def shown_items(
    items: list[Item], chosen: dict[str, list[str]], sort: tuple[str, bool]
) -> list[Item]:
    """The items the filters keep, in the order asked for (empty cells last either way)."""
    column, descending = sort
    kept = filter_items(items, chosen)
    values = {item.iri: cell(item, column) for item in kept}
    blank = [item for item in kept if values[item.iri] == ""]
    full = [item for item in kept if values[item.iri] != ""]
    if column in _NUMBERS:
        full.sort(key=lambda item: values[item.iri], reverse=descending)
    else:
        full.sort(key=lambda item: str(values[item.iri]).casefold(), reverse=descending)
    return full + blank


def list_page(
    spec: ListSpec,
    items: list[Item],
    chosen: dict[str, list[str]],
    sort: tuple[str, bool] = ("name", False),
    page: int = 1,
) -> dict:
    """Page data: one page of the filtered, sorted items, the columns, and the facets with
    counts (of every filtered item, not only this page's)."""
    shown = shown_items(items, chosen, sort)
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    if page > pages:
        raise BadListRequest(
            f"There is no page {page}: this list has {pages} page{'s' * (pages > 1)}.", 404
        )
    start = (page - 1) * PAGE_SIZE
    return {
        "list": spec.name,
        "title": spec.title,
        "lead": spec.lead,
        "total": len(shown),
        "of": len(items),
        "page": page,
        "pages": pages,
        "page_size": PAGE_SIZE,
        "first": start + 1 if shown else 0,
        "last": min(start + PAGE_SIZE, len(shown)),
        "sort": ("-" if sort[1] else "") + sort[0],
        "columns": [{"key": key, "heading": COLUMNS[key]} for key in spec.columns],
        "items": [_row(spec, item) for item in shown[start : start + PAGE_SIZE]],
        "facets": facet_counts(shown, spec.facets, chosen),
        "chosen": chosen,
    }


def _row(spec: ListSpec, item: Item) -> dict:
    return {
        "iri": item.iri,
        "label": item.label,
        "description": item.description,
        "localities": sorted(item.facets.get("locality", {}).values()),
        "kinds": sorted(item.facets.get("kind", {}).values()),
        "codes": dict(item.codes),
        "cells": {column: cell(item, column) for column in spec.columns if column != "name"},
        "illustrative": item.illustrative,
    }
