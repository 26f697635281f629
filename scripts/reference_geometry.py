"""Geometry for the reference data build: points for maps and the LSOA → ward best fit.

Kept apart from ``build_reference.py`` because it is the only part that needs shapely, and
because the best-fit rule is a decision worth reading on its own: ONS publishes LSOA → ward
best-fit lookups only for May 2022 wards, and six GM localities redrew their wards in 2023,
so the reference data computes the fit to the 2023 wards from the boundaries themselves.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from shapely import STRtree
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

__all__ = ["best_fit", "read_areas", "representative_wkt", "wkt_point"]

#: decimal places kept in map points: 5 places of a degree is about a metre
POINT_PLACES = 5


def read_areas(path: Path) -> dict[str, tuple[dict, BaseGeometry]]:
    """The features of a GeoJSON file by ``area_code`` (or ``area_name``): properties, shape.

    Invalid polygons are repaired so that areas and intersections are well defined; the
    publisher's clockwise rings need no rewinding for shapely.
    """
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    areas: dict[str, tuple[dict, BaseGeometry]] = {}
    for feature in features:
        properties = feature["properties"]
        key = properties.get("area_code") or properties["area_name"]
        if key in areas:
            raise ValueError(f"{path.name}: the area {key} appears twice")
        areas[key] = (properties, make_valid(shape(feature["geometry"])))
    return areas


def wkt_point(lon: float, lat: float) -> str:
    """A WKT point in GeoSPARQL's default axis order (longitude first).

    >>> wkt_point(-2.479521, 53.58450)
    'POINT(-2.47952 53.5845)'
    """
    return f"POINT({round(lon, POINT_PLACES)!r} {round(lat, POINT_PLACES)!r})"


def representative_wkt(geometry: BaseGeometry) -> str:
    """A point guaranteed to lie inside the area, as WKT.

    A true centroid can fall outside a crescent-shaped ward; a map pin should not.

    >>> from shapely.geometry import box
    >>> representative_wkt(box(0, 0, 2, 1))
    'POINT(1.0 0.5)'
    """
    point = geometry.representative_point()
    return wkt_point(point.x, point.y)


def best_fit(
    small: Mapping[str, BaseGeometry],
    large: Mapping[str, BaseGeometry],
    allowed: Mapping[str, frozenset[str]],
) -> dict[str, str]:
    """Assign each small area to the large area that holds the largest share of it.

    ``allowed[small_code]`` lists the large areas it may go to (the wards of the LSOA's own
    local authority: LSOAs nest in local authorities, generalised outlines do not quite).
    Ties go to the lower code, so the result never depends on iteration order. Raises
    ``ValueError`` naming the area when an area overlaps none of its allowed candidates.

    >>> from shapely.geometry import box
    >>> wards = {"W1": box(0, 0, 1, 1), "W2": box(1, 0, 3, 1)}
    >>> best_fit({"L1": box(0.8, 0, 1.5, 1)}, wards, {"L1": frozenset({"W1", "W2"})})
    {'L1': 'W2'}
    """
    large_codes = sorted(large)
    tree = STRtree([large[code] for code in large_codes])
    assignment: dict[str, str] = {}
    for code in sorted(small):
        geometry = small[code]
        overlaps = [
            (geometry.intersection(large[large_codes[index]]).area, large_codes[index])
            for index in tree.query(geometry)
            if large_codes[index] in allowed[code]
        ]
        overlaps = [(area, candidate) for area, candidate in overlaps if area > 0]
        if not overlaps:
            raise ValueError(f"the area {code} overlaps none of the areas it may belong to")
        best_area = max(area for area, _ in overlaps)
        assignment[code] = min(candidate for area, candidate in overlaps if area == best_area)
    return assignment
