"""Search across the names, other names, codes and descriptions of everything public.

A coordinator types what they remember: "walking" for "Health walks", "helth walks" with a
typo, a GP practice's ODS code, a ward's GSS code, or a name the data gives as an alternative.
Every one of those should find the thing, and the closest match should come first: the exact
name or code, then names starting with the words, then names holding the same words (by
stem, so "walking" is "walks"), then words begun, then words with a typo, then descriptions.
Within a rank, names that are mostly the words searched for come first ("Health walks"
before "Bolton walking and wellbeing charity"). When nothing matches well, the page offers
the words most like the ones typed ("did you mean …").

The index is built once per state of the data (see
:class:`~cop_graph.pages.cache.StampedCache`) from named queries, so a search costs no query.
Names come from the public scope, where a person who has not agreed to be named has no name;
the index checks their consent again all the same (:func:`cop_graph.scope.may_be_named`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cop_graph.ids import is_web_link
from cop_graph.pages.display import fallback_label, kind_of
from cop_graph.pages.facets import FacetChoices, Item, facet_counts, filter_items
from cop_graph.pages.matching import Vocabulary, fold, significant, stem, words
from cop_graph.pages.naming import derived_names
from cop_graph.pages.public import PublicData
from cop_graph.scope import gave_consent, may_be_named

__all__ = ["CODES", "FACETS", "SearchIndex", "build_index", "fold", "search", "search_choices"]

#: the search page's facets: key → heading
FACETS = {"kind": "Kind of thing", "locality": "Locality"}
#: most results shown on one page
PAGE_SIZE = 50
#: the codes things are found by: property → what the code is called
CODES = {
    "https://w3id.org/cop-graph/ontology#odsCode": "ODS code",
    "https://w3id.org/cop-graph/ontology#gssCode": "GSS code",
}
_PERSON = "http://xmlns.com/foaf/0.1/Person"
_SKIPPED_KINDS = {"membership", "observation", "assessment"}
#: what each rank means, for the JSON twin and tests
RANKS = ("exact name or code", "name starts so", "same words", "words begun", "typo", "text")


@dataclass
class _Entry:
    """One thing as search compares it (all text folded)."""

    item: Item
    label: str
    names: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    name_words: frozenset[str] = frozenset()
    name_stems: frozenset[str] = frozenset()
    text_words: frozenset[str] = frozenset()
    size: int = 1
    also: dict[str, str] = field(default_factory=dict)
    #: a membership, assessment or measurement: shown after other things that match as well
    aside: bool = False


@dataclass
class SearchIndex:
    """Every searchable thing, and every word of their names (for typos and suggestions)."""

    entries: list[_Entry]
    vocabulary: Vocabulary = field(default_factory=lambda: Vocabulary(()))


def build_index(data: PublicData) -> SearchIndex:
    """Read every searchable thing, its other names, codes and localities from the public
    graphs."""
    items: dict[str, Item] = {}
    invented = data.invented()
    for row in data.text_rows("search_things"):
        iri = str(row["thing"])
        if kind_of(iri) in _SKIPPED_KINDS or not is_web_link(iri):
            continue
        item = items.setdefault(iri, Item(iri, str(row["label"]), illustrative=iri in invented))
        if "description" in row and not item.description:
            item.description = str(row["description"])
        item.add("kind", str(row["type"]), str(row.get("typeLabel") or fallback_label(row["type"])))
    consenting = {
        str(row["person"])
        for row in data.text_rows("search_people_consent")
        if gave_consent(row.get("consent"))
    }
    for iri in [i for i, item in items.items() if _PERSON in item.facets.get("kind", {})]:
        if not may_be_named(True, iri in consenting):
            del items[iri]
    aside = _add_linking_things(data, items, invented)
    for row in data.text_rows("search_localities"):
        item = items.get(str(row["thing"]))
        if item is not None:
            item.add("locality", str(row["locality"]), str(row.get("localityLabel", "")))
    other_names: dict[str, list[str]] = {}
    for row in data.text_rows("search_names"):
        item = items.get(str(row["thing"]))
        if item is None:
            continue
        called = CODES.get(str(row["property"]))
        if called:
            item.codes.setdefault(called, str(row["value"]).strip())
        else:
            other_names.setdefault(item.iri, []).append(str(row["value"]))
    entries = [
        _entry(item, other_names.get(item.iri, ()), item.iri in aside) for item in items.values()
    ]
    vocabulary = Vocabulary(w for entry in entries for w in entry.name_words)
    return SearchIndex(entries, vocabulary)


def _add_linking_things(data: PublicData, items: dict[str, Item], invented) -> set[str]:
    """Add memberships, self-assessments, measurements and unnamed partnerships by the names
    pages give them (:mod:`cop_graph.pages.naming`), so "Sam Taylor — Agenda activist in
    Health walks Wigan" is found by its parts; returns those ranked after other things."""
    aside = set()
    for iri, (name, parts) in derived_names(data).items():
        if iri in items or not is_web_link(iri):
            continue
        item = Item(iri, name, illustrative=iri in invented)
        item.add("kind", str(parts.type), parts.type_label or fallback_label(str(parts.type)))
        items[iri] = item
        if kind_of(iri) != "partnership":
            aside.add(iri)
    return aside


def search_choices(index: SearchIndex) -> FacetChoices:
    """Every value the search page's facets can take, written as a short name, a name, a
    code or the IRI (``?locality=wigan``, ``?kind=gp-practice``)."""
    choices = FacetChoices(dict(FACETS))
    codes = {entry.item.iri: entry.item.codes.values() for entry in index.entries}
    for entry in index.entries:
        for facet in FACETS:
            for value, label in entry.item.facets.get(facet, {}).items():
                choices.add(facet, value, label, *codes.get(value, ()))
    return choices.finish()


def _entry(item: Item, other_names, aside: bool = False) -> _Entry:
    label = fold(item.label)
    others = {fold(name): name for name in other_names if fold(name) != label}
    name_words = {w for name in (label, *others) for w in words(name)}
    return _Entry(
        item=item,
        label=label,
        names=(label, *others),
        codes=tuple(_code(code) for code in item.codes.values()),
        name_words=frozenset(name_words),
        name_stems=frozenset(stem(w) for w in name_words),
        text_words=frozenset(words(item.description)),
        size=max(1, len(significant(words(item.label)))),
        also=others,
        aside=aside,
    )


def _code(text: str) -> str:
    return "".join(fold(text).split())


def search(index: SearchIndex, text: str, chosen: dict[str, list[str]], page: int = 1) -> dict:
    """Page data for the search page: ranked results, facets, where the page is, and a
    suggestion when nothing matches well."""
    ranked = _ranked(index, text) or _ranked(index, text, relaxed=True)
    matches = [entry.item for _, entry in ranked]
    shown = filter_items(matches, chosen)
    by_iri = {entry.item.iri: (rank, entry) for rank, entry in ranked}
    page = max(1, page)
    start = (page - 1) * PAGE_SIZE
    best = ranked[0][0][0] if ranked else None
    return {
        "q": text,
        "total": len(shown),
        "page": page,
        "pages": max(1, -(-len(shown) // PAGE_SIZE)),
        "results": [
            _result(item, *by_iri[item.iri], text) for item in shown[start : start + PAGE_SIZE]
        ],
        "facets": facet_counts(shown, FACETS, chosen),
        "chosen": chosen,
        "suggestion": _suggestion(index, text) if best is None or best >= 4 else None,
    }


def _result(item: Item, rank: tuple, entry: _Entry, text: str) -> dict:
    query = fold(" ".join(text.split()))
    also = [name for key, name in entry.also.items() if query and query in key]
    return {
        "iri": item.iri,
        "label": item.label,
        "description": item.description,
        "kinds": sorted(item.facets.get("kind", {}).values()),
        "localities": sorted(item.facets.get("locality", {}).values()),
        "codes": [{"label": called, "value": code} for called, code in item.codes.items()],
        "also_known_as": also[:1],
        "match": RANKS[rank[0]],
        "illustrative": item.illustrative,
    }


def _ranked(index: SearchIndex, text: str, relaxed: bool = False) -> list[tuple[tuple, _Entry]]:
    typed = words(text)
    wanted = significant(typed)
    if not wanted:
        return []
    query, code = " ".join(typed), _code(text)
    stems = [stem(w) for w in wanted]
    near = {w: index.vocabulary.near(w, relaxed) for w in wanted if w not in index.vocabulary}
    ranked = []
    for entry in index.entries:
        rank = _rank(entry, query, code, wanted, stems, near)
        if rank is not None:
            ranked.append((rank, entry))
    ranked.sort(key=lambda r: (r[0][0], r[1].aside, r[0], r[1].label))
    return ranked


def _rank(entry: _Entry, query, code, wanted, stems, near) -> tuple | None:
    """(rank, names mostly other words first, shorter names first), or None if no match.

    Ranks: 0 exact name or code, 1 a name or code starts with the words, the last one
    unfinished, 2 every word is a word of the name (by stem), 3 … or begins one, 4 … or is
    one with a typo, 5 every word is in the name or the description. Within a rank, names
    that are mostly the words searched for come first, then names starting with them."""
    if query in entry.names or code in entry.codes:
        return (0, 0, len(entry.label))
    starts = [name for name in entry.names if name.startswith(query)]
    if any(_in_a_word(name, len(query)) for name in starts) or (
        len(code) >= 3 and any(c.startswith(code) for c in entry.codes)
    ):
        return (1, 0, len(entry.label))
    worst, in_name = 2, 0
    for word, stemmed in zip(wanted, stems, strict=True):
        if stemmed in entry.name_stems or word in entry.name_words:
            level = 2
        elif any(w.startswith(word) for w in entry.name_words) or word in entry.label:
            level = 3
        elif near.get(word, set()) & entry.name_words:
            level = 4
        elif any(w.startswith(word) or stem(w) == stemmed for w in entry.text_words):
            level = 5
        else:
            return None
        worst = max(worst, level)
        in_name += level < 5
    return (worst, -in_name / entry.size, not starts, len(entry.label))


def _in_a_word(name: str, end: int) -> bool:
    """Whether ``name`` goes on with the word it has at ``end`` (the words typed stop inside
    a word: "bolton cen" for "Bolton Central"), rather than with a new word."""
    return end < len(name) and name[end].isalnum()


def _suggestion(index: SearchIndex, text: str) -> str | None:
    """The words typed, each replaced by the closest word of a name, if that changes them
    and finds something better."""
    typed = words(text)
    closest = [index.vocabulary.closest(w) or w for w in typed]
    suggestion = " ".join(closest)
    if not typed or suggestion == " ".join(typed):
        return None
    ranked = _ranked(index, suggestion)
    return suggestion if ranked and ranked[0][0][0] < 4 else None
