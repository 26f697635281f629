"""Moving groups of facts out of an entity page's general lists into their own sections.

A community page shows its places, practices and principles under their own headings; the
facts it does not place anywhere special still appear under "More about …". Taking a group
out here keeps a fact from being shown twice.
"""

from __future__ import annotations

from rdflib import URIRef

__all__ = ["take_facts", "take_linked"]


def take_facts(page: dict, prop: URIRef) -> list[dict]:
    """Remove and return the values of ``prop`` from the page's facts (empty if none).

    >>> page = {"facts": [{"property": "http://example.org/p", "values": [{"text": "x"}]}]}
    >>> take_facts(page, URIRef("http://example.org/p")), page["facts"]
    ([{'text': 'x'}], [])
    """
    return _take(page, "facts", prop).get("values", [])


def take_linked(page: dict, prop: URIRef) -> dict:
    """Remove and return the group of things linking here by ``prop`` (``values``, ``total``)."""
    group = _take(page, "linked_from", prop)
    return {"values": group.get("values", []), "total": group.get("total", 0)}


def _take(page: dict, key: str, prop: URIRef) -> dict:
    for index, group in enumerate(page.get(key, [])):
        if group["property"] == str(prop):
            return page[key].pop(index)
    return {}
