"""A map of Greater Manchester as SVG, drawn on the server from the ONS ward boundaries.

Each ward is a path; wards are grouped by locality. A map shades each area by how many
communities work there and links it to its page, so the picture works without JavaScript
and can be read by a screen reader through its title and the table beside it.

The boundaries come from ``data/sources/gm/boundaries/gm_ward_2023_bsc.geojson`` (ONS, May
2023 wards, super-generalised) and, for the map by locality, each locality's own outline from
``gm_local_authority_2023_bsc.geojson`` (ONS, December 2023), so that a locality is one shape
rather than its wards' borders; both are read once per process and drawn in one projection.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from html import escape

from cop_graph import resources

__all__ = ["SHADES", "Area", "legend", "locality_outlines", "map_svg", "shade_index", "ward_areas"]

#: fills from "no communities" to "most communities" (light to dark blue; text sits beside
#: the map, never on it, so only the borders need contrast)
SHADES = ("#f3f2f1", "#d2e4f5", "#9ac2e6", "#5694ca", "#1d70b8", "#003078")
_WIDTH = 600
_WARDS = ("sources", "gm", "boundaries", "gm_ward_2023_bsc.geojson")
_LOCALITIES = ("sources", "gm", "boundaries", "gm_local_authority_2023_bsc.geojson")


@dataclass(frozen=True)
class Area:
    """One ward: its ONS code and name, its locality's code, and its outline as SVG path data."""

    code: str
    name: str
    locality: str
    path: str
    bounds: tuple[float, float, float, float]


def shade_index(count: int, most: int) -> int:
    """Which of :data:`SHADES` an area with ``count`` communities gets (0 = none).

    >>> [shade_index(n, 10) for n in (0, 1, 5, 10)]
    [0, 1, 3, 5]
    """
    if count <= 0 or most <= 0:
        return 0
    return 1 + min(len(SHADES) - 2, math.floor((count - 1) * (len(SHADES) - 1) / most))


@cache
def _features(parts: tuple[str, ...]) -> list[tuple[dict, list]]:
    """(properties, rings) of each feature of a boundary file; none when it is missing."""
    path = resources.folder("data").joinpath(*parts)
    if not path.is_file():
        return []
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return [(f["properties"], list(_rings(f["geometry"]))) for f in features]


@cache
def _projection():
    """Longitude/latitude → SVG units (equirectangular at GM's latitude), 600 wide, fitted
    to the wards, so that every layer of the map lines up."""
    points = [p for _, rings in _features(_WARDS) for ring in rings for p in ring]
    if not points:
        return None
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    x_scale = math.cos(math.radians((north + south) / 2))
    scale = _WIDTH / ((east - west) * x_scale)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * x_scale * scale, (north - lat) * scale

    return project


@cache
def ward_areas() -> tuple[Area, ...]:
    """Every ward of GM, projected (equirectangular at GM's latitude) into a 600-wide box."""
    project = _projection()
    areas = []
    for props, feature_rings in _features(_WARDS):
        projected = [[project(lon, lat) for lon, lat in ring] for ring in feature_rings]
        xs = [x for ring in projected for x, _ in ring]
        ys = [y for ring in projected for _, y in ring]
        areas.append(
            Area(
                code=props["area_code"],
                name=props["area_name"],
                locality=props["local_authority_area_code"],
                path="".join(_ring_path(ring) for ring in projected),
                bounds=(min(xs), min(ys), max(xs), max(ys)),
            )
        )
    return tuple(areas)


@cache
def locality_outlines() -> dict[str, str]:
    """Each locality's outline as SVG path data, by ONS code (empty if the file is missing)."""
    project = _projection()
    if project is None:
        return {}
    return {
        props["area_code"]: "".join(
            _ring_path([project(lon, lat) for lon, lat in ring]) for ring in rings
        )
        for props, rings in _features(_LOCALITIES)
    }


def map_svg(
    counts: Mapping[str, int],
    links: Mapping[str, tuple[str, str]],
    *,
    by: str = "locality",
    focus: str | None = None,
    highlight: frozenset[str] = frozenset(),
    title: str = "Map of Greater Manchester",
) -> str:
    """The map as SVG markup.

    ``by`` is ``locality`` (one linked shape per locality, shaded by ``counts[locality code]``)
    or ``ward`` (each ward linked and shaded by ``counts[ward code]``). ``links`` maps an ONS
    code to (URL, name). ``focus`` (a locality code) zooms in on one locality; ``highlight``
    holds codes drawn with a thick outline. Every text is escaped here.
    """
    areas = [a for a in ward_areas() if focus is None or a.locality == focus]
    if not areas:
        return ""
    left = min(a.bounds[0] for a in areas)
    top = min(a.bounds[1] for a in areas)
    width = max(a.bounds[2] for a in areas) - left
    height = max(a.bounds[3] for a in areas) - top
    groups: dict[str, list[Area]] = {}
    for area in areas:
        groups.setdefault(area.locality if by == "locality" else area.code, []).append(area)
    most = max([counts.get(code, 0) for code in groups] + [0])
    stroke = max(width, height) / 600
    # a group, not an img: an img's insides are hidden from screen readers, so its links
    # could not be reached (axe-core's nested-interactive rule)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gm-map" role="group" '
        f'aria-labelledby="map-title" viewBox="{left - 2:.1f} {top - 2:.1f} {width + 4:.1f} '
        f'{height + 4:.1f}"><title id="map-title">{escape(title)}</title>'
    ]
    for code, members in sorted(groups.items()):
        count = counts.get(code, 0)
        url, name = links.get(code, ("", members[0].name))
        fill = SHADES[shade_index(count, most)]
        thick = code in highlight or any(m.code in highlight for m in members)
        line = f'stroke="#0b0c0c" stroke-width="{stroke * (3 if thick else 0.8):.2f}"'
        noun = "community" if count == 1 else "communities"
        outline = locality_outlines().get(code) if by == "locality" else None
        shape = (
            f'<path d="{outline or "".join(m.path for m in members)}" fill="{fill}" {line} '
            f'stroke-linejoin="round"><title>{escape(name)}: {count} {noun}</title></path>'
        )
        if url:
            shape = (
                f'<a href="{escape(url)}" aria-label="{escape(name)}: {count} {noun}">{shape}</a>'
            )
        parts.append(shape)
    parts.append("</svg>")
    return "".join(parts)


def legend(most: int) -> list[dict]:
    """The map's key: each shade in use with the range of counts it stands for.

    >>> [entry["text"] for entry in legend(3)]
    ['None', '1', '2', '3']
    """
    ranges: dict[int, list[int]] = {0: [0, 0]}
    for count in range(1, most + 1):
        ranges.setdefault(shade_index(count, most), [count, count])[1] = count
    return [
        {
            "colour": SHADES[index],
            "text": "None" if index == 0 else f"{low}–{high}" if low < high else str(low),
        }
        for index, (low, high) in sorted(ranges.items())
    ]


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def _ring_path(ring: list[tuple[float, float]]) -> str:
    head, *rest = ring
    return f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest) + "Z"
