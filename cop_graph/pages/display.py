"""How values look on a page: things by their label, dates and numbers in plain English.

Every value a page shows passes through here, so a thing without a label still gets a
readable name, and only web and e-mail addresses are ever offered as links.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.term import Node

from cop_graph.namespaces import BASE, COP, ID, XSD

__all__ = [
    "PERCENT_PROPERTIES",
    "by_label",
    "fallback_label",
    "kind_of",
    "plain_date",
    "thing",
    "value",
]

#: properties holding a share between 0 and 1, shown as a percentage
PERCENT_PROPERTIES = frozenset({COP.core20Share})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def kind_of(iri: str) -> str:
    """The kind of thing an IRI names, from its path: ``community``, ``place``… or ``term``.

    >>> kind_of("https://w3id.org/cop-graph/id/community/walk-and-talk")
    'community'
    >>> kind_of("https://w3id.org/cop-graph/ontology#PeoplePower")
    'term'
    """
    text = str(iri)
    if text.startswith(str(ID)):
        return text[len(str(ID)) :].split("/", 1)[0]
    if text.startswith(BASE + "ontology"):
        return "term"
    return "other"


def fallback_label(iri: str) -> str:
    """A readable name for a thing that has no label.

    >>> fallback_label("https://w3id.org/cop-graph/ontology#SocialReporter")
    'Social reporter'
    >>> fallback_label("https://w3id.org/cop-graph/id/place/bolton-astley-bridge")
    'Bolton astley bridge'
    """
    text = str(iri).rstrip("/#")
    local = re.split(r"[#/]", text)[-1] or text
    words = _CAMEL.sub(" ", local).replace("-", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:].lower()) if words else text


def thing(iri: Node, label: Node | str | None = None) -> dict:
    """A linked thing as a page shows it: its IRI and a name to read.

    >>> thing(URIRef("https://w3id.org/cop-graph/id/place/wigan"), Literal("Wigan"))
    {'iri': 'https://w3id.org/cop-graph/id/place/wigan', 'label': 'Wigan'}
    """
    return {"iri": str(iri), "label": str(label) if label else fallback_label(str(iri))}


def plain_date(day: dt.date) -> str:
    """A date as GOV.UK writes it.

    >>> plain_date(dt.date(2025, 3, 4))
    '4 March 2025'
    """
    return f"{day.day} {day:%B %Y}"


def value(term: Node, prop: URIRef | None = None, label: Node | str | None = None) -> dict:
    """Any value of a property: a linked thing (``iri`` and ``label``) or a text (``text``).

    >>> value(Literal("0.4231", datatype=XSD.decimal), COP.core20Share)
    {'text': '42%'}
    >>> value(Literal(True))
    {'text': 'Yes'}
    >>> value(Literal("2024-05-01", datatype=XSD.date))
    {'text': '1 May 2024'}
    """
    if not isinstance(term, Literal):
        return thing(term, label)
    python = term.toPython()
    if isinstance(python, bool):
        text = "Yes" if python else "No"
    elif prop in PERCENT_PROPERTIES and isinstance(python, Decimal | float | int):
        text = f"{float(python):.0%}"
    elif isinstance(python, dt.datetime):
        text = f"{plain_date(python.date())}, {python:%H:%M}"
    elif isinstance(python, dt.date):
        text = plain_date(python)
    elif isinstance(python, Decimal | float):
        text = f"{python:,.2f}".rstrip("0").rstrip(".")
    elif isinstance(python, int) and term.datatype != XSD.gYear:
        text = f"{python:,}"
    else:
        text = str(term)
    return {"text": text}


def by_label(items) -> list[dict]:
    """Things (dicts with ``label``) once each by IRI, sorted by name, case aside.

    >>> by_label([{"iri": "b", "label": "beta"}, {"iri": "a", "label": "Alpha"},
    ...           {"iri": "b", "label": "beta"}])
    [{'iri': 'a', 'label': 'Alpha'}, {'iri': 'b', 'label': 'beta'}]
    """
    unique = {item["iri"]: item for item in items}
    return sorted(unique.values(), key=lambda item: item["label"].lower())
