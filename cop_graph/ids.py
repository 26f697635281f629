"""Minting of stable, readable data IRIs: ``{base}id/{kind}/{slug}``.

Everything that makes an IRI from a name goes through :func:`slugify`, so that the
reference data, the demo data and importers agree on the IRI of, say, a ward.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rdflib import URIRef

from cop_graph.namespaces import ID

__all__ = ["KINDS", "is_web_link", "mint", "slugify"]

#: the only schemes shown as links or published: an IRI such as ``javascript:…`` never is
_WEB_SCHEMES = ("http://", "https://", "mailto:")

#: the kinds of thing that get IRIs, i.e. the first path segment after ``id/``
KINDS = frozenset(
    {
        "assessment",
        "community",
        "domain",
        "event",
        "graph",
        "indicator",
        "membership",
        "observation",
        "organisation",
        "outcome",
        "partnership",
        "person",
        "programme",
        "place",
        "practice",
        "resource",
        "space",
    }
)


@lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (remembered: a workbook names the same
    places, practices and communities on thousands of rows).

    >>> slugify("St. Mary's & Ancoats (North)")
    'st-marys-ancoats-north'
    >>> slugify("Ashton upon Mersey")
    'ashton-upon-mersey'
    >>> slugify("Ardwick—Brunswick")
    'ardwick-brunswick'
    >>> slugify("Café Élan")
    'cafe-elan'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"['’]", "", plain.lower())
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def mint(kind: str, *parts: str) -> URIRef:
    """The IRI of a thing of ``kind`` named by ``parts`` (joined by hyphens).

    >>> str(mint("place", "Bolton", "Astley Bridge"))
    'https://w3id.org/cop-graph/id/place/bolton-astley-bridge'
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of thing: {kind!r}")
    slug = "-".join(filter(None, (slugify(part) for part in parts)))
    if not slug:
        raise ValueError(f"cannot make an identifier from {parts!r}")
    return URIRef(f"{ID}{kind}/{slug}")


def is_web_link(iri: str) -> bool:
    """Whether ``iri`` may be shown as a link: only web pages and e-mail addresses.

    >>> is_web_link("https://www.nhs.uk/"), is_web_link("javascript:alert(1)")
    (True, False)
    >>> is_web_link("  JavaScript:alert(1)")
    False
    """
    return str(iri).lower().startswith(_WEB_SCHEMES)
