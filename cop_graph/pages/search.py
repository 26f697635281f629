"""Search across the names and descriptions of everything public.

Matching ignores case and accents ("cafe" finds "Café") and accepts parts of words ("walk"
finds "walkers"). Results are ranked: the exact name first, then names starting with the
words, then names containing every word, then descriptions. The index is built once per state
of the data (see :class:`~cop_graph.pages.cache.StampedCache`) from two named queries.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from cop_graph.ids import is_web_link
from cop_graph.pages.display import fallback_label, kind_of
from cop_graph.pages.facets import Item, facet_counts, filter_items
from cop_graph.pages.public import PublicData

__all__ = ["FACETS", "SearchIndex", "build_index", "fold", "search"]

#: the search page's facets: key → heading
FACETS = {"kind": "Kind of thing", "locality": "Locality"}
#: most results shown on one page
PAGE_SIZE = 50
_SKIPPED_KINDS = {"membership", "observation", "assessment"}


def fold(text: str) -> str:
    """``text`` without case or accents, for matching.

    >>> fold("Café Élan")
    'cafe elan'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass
class _Entry:
    item: Item
    label: str
    description: str


@dataclass
class SearchIndex:
    """Every searchable thing with its folded name and description."""

    entries: list[_Entry]


def build_index(data: PublicData) -> SearchIndex:
    """Read every searchable thing and its localities from the public graphs."""
    items: dict[str, Item] = {}
    invented = data.invented()
    for row in data.rows("search_things"):
        iri = str(row["thing"])
        if kind_of(iri) in _SKIPPED_KINDS or not is_web_link(iri):
            continue
        item = items.setdefault(iri, Item(iri, str(row["label"]), illustrative=iri in invented))
        if "description" in row and not item.description:
            item.description = str(row["description"])
        item.add("kind", str(row["type"]), str(row.get("typeLabel") or fallback_label(row["type"])))
    for row in data.rows("search_localities"):
        item = items.get(str(row["thing"]))
        if item is not None:
            item.add("locality", str(row["locality"]), str(row.get("localityLabel", "")))
    return SearchIndex(
        [_Entry(item, fold(item.label), fold(item.description)) for item in items.values()]
    )


def search(index: SearchIndex, text: str, chosen: dict[str, list[str]], page: int = 1) -> dict:
    """Page data for the search page: ranked results, facets, and where the page is."""
    words = fold(text).split()
    query = " ".join(words)
    ranked = []
    for entry in index.entries if words else []:
        rank = _rank(entry, query, words)
        if rank is not None:
            ranked.append((rank, entry.label, entry.item))
    ranked.sort(key=lambda r: (r[0], r[1]))
    matches = [item for _, _, item in ranked]
    shown = filter_items(matches, chosen)
    page = max(1, page)
    start = (page - 1) * PAGE_SIZE
    return {
        "q": text,
        "total": len(shown),
        "page": page,
        "pages": max(1, -(-len(shown) // PAGE_SIZE)),
        "results": [
            {
                "iri": item.iri,
                "label": item.label,
                "description": item.description,
                "kinds": sorted(item.facets.get("kind", {}).values()),
                "localities": sorted(item.facets.get("locality", {}).values()),
                "illustrative": item.illustrative,
            }
            for item in shown[start : start + PAGE_SIZE]
        ],
        "facets": facet_counts(shown, FACETS, chosen),
        "chosen": chosen,
    }


def _rank(entry: _Entry, query: str, words: list[str]) -> int | None:
    """0 exact name, 1 name starts with the query, 2 every word starts a word of the name,
    3 name contains every word, 4 name and description together contain every word."""
    label = entry.label
    if label == query:
        return 0
    if label.startswith(query):
        return 1
    label_words = label.replace("-", " ").split()
    if all(any(w.startswith(word) for w in label_words) for word in words):
        return 2
    if all(word in label for word in words):
        return 3
    both = f"{label} {entry.description}"
    if all(word in both for word in words):
        return 4
    return None
