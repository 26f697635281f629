"""Filtering a list of things by facets (kind, locality, practice…) and counting what is left.

Lists of communities, organisations and places, and search results, all work the same way:
each item carries, per facet, the values it has; a visitor picks values; items must match
one of the picked values of every facet picked; and each facet shows how many of the
remaining items have each value, so that no choice ever leads to an empty page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches

from cop_graph.pages.matching import fold, words

__all__ = ["FacetChoices", "Item", "UnknownFilter", "filter_items", "facet_counts"]


@dataclass
class Item:
    """A thing in a list: IRI, name, and for each facet the values it has (IRI → name);
    ``illustrative`` when it is invented (``cop:illustrative true``); its codes (what the
    code is called → the code, e.g. "ODS code" → "P82001") and counts (e.g. of communities).
    """

    iri: str
    label: str
    description: str = ""
    facets: dict[str, dict[str, str]] = field(default_factory=dict)
    illustrative: bool = False
    codes: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, facet: str, value: str, label: str) -> None:
        self.facets.setdefault(facet, {})[value] = label


def filter_items(items: Iterable[Item], chosen: Mapping[str, Iterable[str]]) -> list[Item]:
    """The items having, for every facet in ``chosen``, at least one of the chosen values.

    >>> a, b = Item("a", "A"), Item("b", "B")
    >>> a.add("kind", "x", "X"); b.add("kind", "y", "Y")
    >>> [i.iri for i in filter_items([a, b], {"kind": ["y"]})]
    ['b']
    >>> [i.iri for i in filter_items([a, b], {})]
    ['a', 'b']
    """
    wanted = {facet: set(values) for facet, values in chosen.items() if values}
    return [
        item
        for item in items
        if all(wanted[facet] & item.facets.get(facet, {}).keys() for facet in wanted)
    ]


def facet_counts(
    items: list[Item], facets: Mapping[str, str], chosen: Mapping[str, Iterable[str]]
) -> list[dict]:
    """Per facet (key → heading), each value with how many ``items`` have it, most first.

    A chosen value is marked ``chosen`` and always listed, even if nothing has it any more.
    """
    result = []
    for facet, heading in facets.items():
        picked = set(chosen.get(facet, ()))
        counts: dict[str, list] = {}
        for item in items:
            for value, label in item.facets.get(facet, {}).items():
                counts.setdefault(value, [label, 0])[1] += 1
        values = [
            {"value": value, "label": label, "count": count, "chosen": value in picked}
            for value, (label, count) in counts.items()
        ]
        values.sort(key=lambda v: (-v["count"], v["label"].lower()))
        if values or picked:
            result.append({"facet": facet, "heading": heading, "values": values})
    return result


class UnknownFilter(ValueError):
    """A filter value that names nothing the list can be filtered by (a 400 for the web)."""


@dataclass
class FacetChoices:
    """What each facet of a list can be set to, and every way a visitor may write a value.

    ``?locality=wigan``, ``?locality=Wigan``, ``?locality=E08000010`` and the full IRI all
    mean the same locality; each value also has one short ``key`` that links use.
    """

    headings: dict[str, str]
    #: facet → value IRI → name
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    #: facet → written form (folded) → value IRI
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    #: facet → value IRI → its short key
    keys: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, facet: str, value: str, label: str, *codes: str) -> None:
        self.labels.setdefault(facet, {}).setdefault(value, label)
        aliases = self.aliases.setdefault(facet, {})
        for alias in (value, _slug(label), fold(label), _last_part(value), *codes):
            aliases.setdefault(fold(alias) if alias != value else alias, value)

    def finish(self) -> FacetChoices:
        """Give every value its short key: its name as a slug if no other value shares it,
        else the end of its IRI, else the IRI itself."""
        for facet, labels in self.labels.items():
            slugs = Counter(_slug(label) for label in labels.values())
            ends = Counter(_last_part(value) for value in labels)
            self.keys[facet] = {
                value: _slug(label)
                if slugs[_slug(label)] == 1 and _slug(label)
                else (_last_part(value) if ends[_last_part(value)] == 1 else value)
                for value, label in labels.items()
            }
        return self

    def read(self, asked: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
        """The IRIs of the values ``asked`` for (facet → values as written), or
        :class:`UnknownFilter` saying which value is not known and what is."""
        chosen = {}
        for facet, values in asked.items():
            aliases = self.aliases.get(facet, {})
            iris = []
            for text in values:
                text = text.strip()
                iri = aliases.get(text) or aliases.get(fold(text))
                if iri is None:
                    raise UnknownFilter(self._unknown(facet, text))
                iris.append(iri)
            if iris:
                chosen[facet] = list(dict.fromkeys(iris))
        return chosen

    def key(self, facet: str, value: str) -> str:
        return self.keys.get(facet, {}).get(value, value)

    def _unknown(self, facet: str, text: str) -> str:
        heading = self.headings.get(facet, facet)
        names = sorted(set(self.labels.get(facet, {}).values()), key=str.casefold)
        folded = {fold(n): n for n in names}
        close = get_close_matches(fold(text), list(folded), n=1, cutoff=0.6)
        sentence = f'The filter "{heading}" has no value "{text}".'
        if close:
            sentence += f' Did you mean "{folded[close[0]]}"?'
        if not names:
            return sentence + " This list cannot be filtered by it."
        shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
        return f"{sentence} Choose one of: {shown}."


def _slug(label: str) -> str:
    """A name as a short filter value.

    >>> _slug("GP practice (illustrative)")
    'gp-practice-illustrative'
    """
    return "-".join(words(label))


def _last_part(iri: str) -> str:
    return fold(iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])
