"""Which names in an address can be names of this site's things, checked before any view runs.

Entity pages (``/id/<site_path:rest>``), term pages (``/ontology/<term_name:name>``) and
pictures turn part of the address into an IRI that is then looked up with SPARQL. A quote, a
backslash, ``<``, ``>``, braces, a NUL, a stray ``%``, a space or a newline cannot be in such
an IRI, so these converters refuse them while the address is matched: the request never
reaches a view and is answered "not found" in the one error shape, instead of failing deep in
a query. What they accept is a subset of what an IRI may hold, and a superset of what
:func:`cop_graph.ids.mint` makes.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from werkzeug.routing import BaseConverter, PathConverter, ValidationError

__all__ = ["MAX_NAME", "SitePathConverter", "TermNameConverter", "init_addresses", "local_path"]

#: longest name accepted in an address (minted names are far shorter)
MAX_NAME = 500
#: one segment of a path: letters, digits, ``.~_-``, the IRI sub-delimiters other than those
#: SPARQL's IRI syntax refuses, ``:``, ``@`` and well-formed percent escapes
_SEGMENT = r"(?:[\w.~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})+"
_SITE_PATH = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*")
#: a term of the ontology: a local name such as ``SocialReporter`` or ``hasDomain`` (a format
#: suffix such as ``.ttl`` may follow)
_TERM_NAME = re.compile(r"[^\W\d][\w.-]*")


class SitePathConverter(PathConverter):
    """A path below ``/id/`` (or a picture's) that can be part of one of this site's IRIs."""

    def to_python(self, value: str) -> str:
        if len(value) > MAX_NAME or not _SITE_PATH.fullmatch(value):
            raise ValidationError()  # the rule does not match: the address is not found
        return value


class TermNameConverter(BaseConverter):
    """The local name of a term of the ontology, as in ``/ontology/SocialReporter``."""

    def to_python(self, value: str) -> str:
        if len(value) > MAX_NAME or not _TERM_NAME.fullmatch(value):
            raise ValidationError()
        return value


def init_addresses(app) -> None:
    """Make the converters known to ``app`` (before any blueprint's routes are added)."""
    app.url_map.converters["site_path"] = SitePathConverter
    app.url_map.converters["term_name"] = TermNameConverter


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site ("/id/community/x"), else None: never another
    site (``//evil.example``, ``https://…``, and ``/\\evil.example``, which browsers read as
    ``//``), so a form's "go back to" field cannot send the visitor away.

    >>> [local_path(t) for t in ("/imports?x=1", "//evil.example", "/\\evil.example", "")]
    ['/imports?x=1', None, None, None]
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 33 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None
