"""Filtering a list of things by facets (kind, locality, practice…) and counting what is left.

Lists of communities, organisations and places, and search results, all work the same way:
each item carries, per facet, the values it has; a visitor picks values; items must match
one of the picked values of every facet picked; and each facet shows how many of the
remaining items have each value, so that no choice ever leads to an empty page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["Item", "filter_items", "facet_counts"]


@dataclass
class Item:
    """A thing in a list: IRI, name, and for each facet the values it has (IRI → name);
    ``illustrative`` when it is invented (``cop:illustrative true``)."""

    iri: str
    label: str
    description: str = ""
    facets: dict[str, dict[str, str]] = field(default_factory=dict)
    illustrative: bool = False

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
