"""The illustrative mark on answers: ``"illustrative": true`` on everything invented.

Why one module: an invented thing (``cop:illustrative true``, such as the demo's communities)
turns up in pages, lists, search results, analysis rows and tables, each built by different
code, and a reader must be able to tell it from a real one wherever it goes. The builders stay
as they are; what they return passes through :func:`mark` (the web app does this for every page
and JSON twin, the analyses for every answer) with the set of invented things, read once from
the store. A dict is *about* the thing named under one of :data:`SUBJECT_KEYS`; rows of a table
(:func:`mark_rows`) are marked when they mention an invented thing anywhere, since a figure or
a pair of places drawn from invented communities is invented too.
"""

from __future__ import annotations

from collections.abc import Collection

__all__ = ["FIELD", "SUBJECT_KEYS", "mark", "mark_rows", "mentions"]

#: the field that says "invented"
FIELD = "illustrative"
#: keys naming the thing a dict is about: a linked thing's ``iri``, an analysis row's
#: ``community``, ``node``, ``place`` or ``practice``, a membership, a facet's ``value``
SUBJECT_KEYS = ("iri", "community", "node", "place", "practice", "membership", "value")


def mark(answer, invented: Collection[str]):
    """A copy of ``answer`` in which every dict about an invented thing says ``illustrative``.

    Lists and dicts are copied, other values shared, so an answer kept in a cache is never
    changed under another reader.

    >>> mark({"iri": "x", "links": [{"iri": "y", "label": "Y"}]}, {"y"})
    {'iri': 'x', 'links': [{'iri': 'y', 'label': 'Y', 'illustrative': True}]}
    """
    if not invented:
        return answer
    return _marked(answer, invented)


def _marked(value, invented):
    if isinstance(value, dict):
        copy = {key: _marked(item, invented) for key, item in value.items()}
        if any(isinstance(copy.get(key), str) and copy[key] in invented for key in SUBJECT_KEYS):
            copy[FIELD] = True
        return copy
    if isinstance(value, list | tuple):
        return [_marked(item, invented) for item in value]
    return value


def mentions(value, invented: Collection[str]) -> bool:
    """Whether ``value`` names an invented thing anywhere: as a value, a dict key or an item.

    >>> mentions({"places": ["a", "b"], "counts": {"y": 2}}, {"y"})
    True
    """
    if isinstance(value, str):
        return value in invented
    if isinstance(value, dict):
        return any(mentions(k, invented) or mentions(v, invented) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(mentions(item, invented) for item in value)
    return False


def mark_rows(rows: list, invented: Collection[str]) -> list:
    """``rows`` (dicts) each with ``illustrative`` true or false: whether it mentions an
    invented thing anywhere. Every row says, so a table has the column throughout.

    >>> mark_rows([{"place": "a"}, {"place": "b", "with": ["y"]}], {"y"})
    [{'place': 'a', 'illustrative': False}, {'place': 'b', 'with': ['y'], 'illustrative': True}]
    """
    return [
        {**row, FIELD: mentions(row, invented)} if isinstance(row, dict) else row for row in rows
    ]
