"""Which areas a place lies in, at each level at which places are compared.

Shared practice, gaps and "learn from" all ask the same question at a chosen level: in which
wards, neighbourhoods, PCN areas or localities does a community work? The answer follows the
data model: a community working in a ward also works in the ward's locality, in the
neighbourhoods made of that ward and in the area of the PCN serving it, but a community working
across a locality is not counted in each of its wards.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from cop_graph.errors import UsageError

__all__ = ["LEVELS", "AreaIndex"]

#: levels at which places are compared; ``recorded`` means the places as communities gave them
LEVELS = ("recorded", "ward", "neighbourhood", "pcn", "locality", "region")


class AreaIndex:
    """The areas at one level that contain a place, worked out once per place.

    A place lies in every place it is ``within`` (transitively), in every neighbourhood that
    ``comprises`` it or one of those, and in the area of every PCN that ``serves`` one of them.
    At the ``recorded`` level a place is only itself. The links between places are read once,
    so a locality with thousands of wards is not scanned again for every ward.
    """

    def __init__(self, kg: nx.MultiDiGraph, level: str):
        if level not in LEVELS:
            raise UsageError(f'there is no level "{level}"; choose one of {", ".join(LEVELS)}')
        self.kg, self.level = kg, level
        self._areas: dict[str, frozenset[str]] = {}
        self._wider: dict[str, list[str]] = defaultdict(list)
        self._served_by: dict[str, list[str]] = defaultdict(list)
        if level != "recorded":
            for source, target, key in kg.edges(keys=True):
                if key == "within":
                    self._wider[source].append(target)
                elif key == "comprises":
                    self._wider[target].append(source)
                elif key == "serves":
                    self._served_by[target].append(source)

    def of_place(self, place: str) -> frozenset[str]:
        """The areas at this level that ``place`` lies in."""
        if self.level == "recorded":
            return frozenset({place})
        if place not in self._areas:
            containing = self._containing(place)
            if self.level == "pcn":
                areas = {o for a in containing for o in self._served_by.get(a, ())}
            else:
                areas = containing
            self._areas[place] = frozenset(a for a in areas if self._is_level(a))
        return self._areas[place]

    def of_community(self, community: str) -> set[str]:
        """The areas at this level that ``community`` works in."""
        places = [
            t for _, t, key in self.kg.out_edges(community, keys=True) if key == "operates_in"
        ]
        return set().union(*(self.of_place(place) for place in places))

    def _is_level(self, node: str) -> bool:
        return self.level in self.kg.nodes[node].get("types", ())

    def _containing(self, place: str) -> set[str]:
        seen, todo = {place}, [place]
        while todo:
            for other in self._wider.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen
