"""Place shapes (``geo:wktLiteral``) kept whole on a server that stores them as geometries.

OpenLink Virtuoso 7.2 turns every ``geo:wktLiteral`` it is sent into its own geometry type
(``virtrdf:Geometry``, still open upstream: virtuoso-opensource issues #456 and #803) and
keeps most coordinates as 32-bit floats, so that ``"POINT(-2.47952 53.5845)"`` comes back as
``"POINT(-2.4795200824738 53.584499359131)"^^virtrdf:Geometry``, in SELECT answers,
CONSTRUCT answers and graph downloads alike. (Some values it keeps as 64-bit floats and
writes back as sent; it writes every number with 14 significant digits.)

A 32-bit float holds about 7 significant digits: in Greater Manchester (latitude 53°,
longitude −2°) the nearest float is at most 1.9e-6° away in latitude and 1.2e-7° in
longitude (0.2 m and 0.01 m), well inside a coordinate given to 5 decimals (1 m; the
project's reference places have at most 5). So the value sent is found again as the shortest
decimal that rounds to the same float: :func:`as_loaded` writes each coordinate that way and
the literal back as ``geo:wktLiteral``. A coordinate given more finely than the float can
tell (6 decimals of latitude, or 8 significant digits) cannot be found again: the remote
store's write check (:func:`same_shape`) then fails the commit, never keeping a moved place.
"""

from __future__ import annotations

import re
import struct
from decimal import Decimal, InvalidOperation

__all__ = [
    "VIRTUOSO_GEOMETRY",
    "WKT",
    "as_loaded",
    "geometries_as_wkt_in_json",
    "same_shape",
    "shape_of",
]

#: the GeoSPARQL datatype of place shapes as the project writes them
WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
#: Virtuoso's own geometry type, which it stores them as
VIRTUOSO_GEOMETRY = "http://www.openlinksw.com/schemas/virtrdf#Geometry"

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
#: significant digits Virtuoso writes a coordinate with
_WRITTEN_DIGITS = 14


def as_loaded(text: str) -> str:
    """A geometry's text as the server wrote it, with each coordinate that is a 32-bit float
    written as the shortest decimal rounding to that float: the value sent, when it had no
    more digits than the float keeps.

    >>> as_loaded("POINT(-2.4795200824738 53.584499359131)")
    'POINT(-2.47952 53.5845)'
    >>> as_loaded("POINT(9.9999997473788e-06 -0.10000000149012)")
    'POINT(0.00001 -0.1)'
    >>> as_loaded("POINT(-2.123456789012 53.987654321098)")  # kept as a 64-bit float
    'POINT(-2.123456789012 53.987654321098)'
    """
    return _NUMBER.sub(lambda match: _shortest(match.group()), text)


def same_shape(sent: str, held: str) -> bool:
    """Whether the geometry the server holds (read back through :func:`as_loaded`) is the one
    sent: the same kind, the same parts, the same coordinates as numbers. The spelling may
    differ (``point`` as ``POINT``, ``MULTIPOINT((1 2), (3 4))`` as ``MULTIPOINT(1 2,3 4)``,
    ``53.50`` as ``53.5``).

    >>> same_shape("point(-2.47952 53.5845)", "POINT(-2.4795200824738 53.584499359131)")
    True
    >>> same_shape("POINT(-2.4795211 53.5845011)", "POINT(-2.4795211 53.584501)")
    False
    """
    return shape_of(sent) == shape_of(as_loaded(held))


def geometries_as_wkt_in_json(content: bytes) -> bytes:
    """SPARQL JSON results with Virtuoso's geometries written back as ``geo:wktLiteral``
    values (see :func:`as_loaded`), and the geometry type as a datatype (``DATATYPE(?o)``)
    named as ``geo:wktLiteral`` too. Anything else is left as it is."""
    if VIRTUOSO_GEOMETRY.encode() not in content:
        return content
    wkt = WKT.encode()
    content = _JSON_TYPE_FIRST.sub(
        lambda m: b"".join([m[1], wkt, m[2], _json_text(m[3]), m[4]]), content
    )
    content = _JSON_VALUE_FIRST.sub(
        lambda m: b"".join([m[1], _json_text(m[2]), m[3], wkt, m[4]]), content
    )
    return _JSON_DATATYPE.sub(rb"\g<1>" + wkt + rb'"', content)


_GEOMETRY = re.escape(VIRTUOSO_GEOMETRY.encode())
_TEXT = rb'((?:[^"\\]|\\.)*)'
#: a geometry in a results row, its datatype first (Virtuoso's order) or last
_JSON_TYPE_FIRST = re.compile(
    rb'("datatype": ?")' + _GEOMETRY + rb'(", ?"value": ?")' + _TEXT + rb'(")'
)
_JSON_VALUE_FIRST = re.compile(
    rb'("value": ?")' + _TEXT + rb'(", ?"datatype": ?")' + _GEOMETRY + rb'(")'
)
#: the geometry type itself as a value (``DATATYPE(?o)``)
_JSON_DATATYPE = re.compile(rb'("type": ?"uri", ?"value": ?")' + _GEOMETRY + rb'"')


def _json_text(text: bytes) -> bytes:
    """A geometry's text inside a JSON string (numbers, letters, brackets, commas and spaces
    only: no escapes to undo or redo)."""
    return as_loaded(text.decode("utf-8")).encode("utf-8")


def _shortest(number: str) -> str:
    """``number`` as the shortest decimal rounding to the same 32-bit float, if the server
    wrote a 32-bit float; else as it is."""
    try:
        value = float(number)
    except ValueError:
        return number
    single = struct.unpack("f", struct.pack("f", value))[0]
    if f"{single:.{_WRITTEN_DIGITS}g}" != number.lstrip("+"):
        return number  # a 64-bit float, written as it was sent (up to 14 digits)
    for digits in range(1, 10):
        shorter = f"{single:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(shorter)))[0] == single:
            return _plain(shorter)
    return number


def _plain(number: str) -> str:
    """A number without an exponent (``1e-05`` as ``0.00001``), as coordinates are written."""
    written = format(Decimal(number), "f")
    return written.rstrip("0").rstrip(".") if "." in written else written


def shape_of(text: str) -> tuple:
    """What two spellings of one geometry share: its kind, how many parts, its coordinates
    (as exact decimal numbers)."""
    numbers = []
    for match in _NUMBER.finditer(text):
        try:
            numbers.append(Decimal(match.group()))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            numbers.append(match.group())
    kind = re.sub(r"[\s(]", "", text.split("(", 1)[0]).upper()
    return kind, text.count(","), tuple(numbers)
