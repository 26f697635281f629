"""Connection pictures: one thing at the centre, what it links to around it, laid out radially.

The neighbourhood comes from one named query (``page_neighbourhood``) over public graphs and
is held as a NetworkX graph. Things linked directly sit on an inner ring, grouped by kind;
things one step further (kindred communities first) sit on an outer ring next to what links
them to the centre, so that clusters of kindred communities are visible at a glance. People
never appear.

The SVG carries its own colours and fonts (no stylesheet), so the same markup works inline
in a page, as a downloaded file, and as the source of the PNG the page's script makes. An
invented thing (``cop:illustrative true``) is drawn with a dashed outline, says so in its
tooltip, and the key then explains the dashes, so a saved picture keeps the mark too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

import networkx as nx
from rdflib import URIRef

from cop_graph.ids import is_web_link
from cop_graph.namespaces import ORG
from cop_graph.pages.display import fallback_label, kind_of

__all__ = ["KINDS", "Picture", "neighbourhood", "picture_svg", "picture_text"]

#: kinds of node in the order the legend lists them: key → (name, plural, colour, symbol)
KINDS = {
    "community": ("Community", "Communities", "#0072B2"),
    "place": ("Place", "Places", "#009E73"),
    "practice": ("Practice", "Practices", "#E69F00"),
    "domain": ("Domain", "Domains", "#D55E00"),
    "organisation": ("Organisation", "Organisations", "#CC79A7"),
    "role": ("Role", "Roles", "#56B4E9"),
    "other": ("Other", "Other things", "#6f777b"),
}
#: most things of one kind on the inner ring, and most things on the outer ring
MAX_PER_KIND = 10
MAX_OUTER = 16
#: width and height of the picture, and the (horizontal, vertical) radii of the two rings
#: width and height of the picture, and the (across, down) radii of its two rings
_SIZE = (1100, 700)
_RADII = ((200, 165), (340, 285))
_LABEL_CHARS = 28


@dataclass
class Picture:
    """A neighbourhood: the graph (nodes carry ``label``, ``kind``, ``ring`` and
    ``illustrative``) and its centre."""

    centre: str
    graph: nx.Graph = field(default_factory=nx.Graph)

    def ring(self, number: int) -> list[str]:
        """The nodes on ring ``number`` (0 is the centre), in drawing order."""
        nodes = [n for n, data in self.graph.nodes(data=True) if data["ring"] == number]
        return sorted(
            nodes, key=lambda n: (_kind_order(self.graph.nodes[n]["kind"]), _label(self, n))
        )


def neighbourhood(data, iri: URIRef, label: str) -> Picture:
    """The connection picture of ``iri`` (whose name is ``label``) from the public graphs.

    Two queries: what the thing links to or is linked from (the inner ring, with names), and
    what those link to in turn (the outer ring, without names); names are then looked up
    for the few outer things drawn, so a well-connected place costs no more than a quiet one.
    """
    centre = str(iri)
    picture = Picture(centre=centre)
    graph = picture.graph
    graph.add_node(centre, label=label, kind=_kind(centre, None), ring=0)
    for row in data.rows("page_neighbourhood", entity=iri):
        target = str(row["target"])
        if target == centre or not _drawable(target):
            continue
        if target not in graph:
            name = str(row["targetLabel"]) if "targetLabel" in row else fallback_label(target)
            graph.add_node(target, label=name, kind=_kind(target, row["relation"]), ring=1)
        graph.add_edge(centre, target)
    _keep_inner(picture)
    reached: dict[str, set[str]] = {}
    for row in data.rows("page_neighbourhood_further", entity=iri):
        source, target = str(row["source"]), str(row["target"])
        if source in graph and target not in graph and _drawable(target):
            reached.setdefault(target, set()).add(source)
    # kindred communities first, then what shares most with the centre, then a stable order
    chosen = sorted(reached, key=lambda n: (_kind(n, None) != "community", -len(reached[n]), n))
    chosen = chosen[:MAX_OUTER]
    names = data.labels(URIRef(n) for n in chosen)
    for node in chosen:
        name = names.get(node) or fallback_label(node)
        graph.add_node(node, label=name, kind=_kind(node, None), ring=2)
        for source in reached[node]:
            if graph.nodes[source]["ring"] == 1:
                graph.add_edge(source, node)
    invented = data.invented()
    for node, attributes in graph.nodes(data=True):
        attributes["illustrative"] = node in invented
    return picture


def _drawable(iri: str) -> bool:
    """People are never drawn, nor anything whose address is not a web address."""
    return is_web_link(iri) and kind_of(iri) != "person"


def _keep_inner(picture: Picture) -> None:
    """Keep at most MAX_PER_KIND direct neighbours of each kind, the best connected first."""
    graph = picture.graph
    by_kind: dict[str, list[str]] = {}
    for node in picture.ring(1):
        by_kind.setdefault(graph.nodes[node]["kind"], []).append(node)
    for nodes in by_kind.values():
        nodes.sort(key=lambda n: (-graph.degree(n), _label_of(graph, n)))
        graph.remove_nodes_from(nodes[MAX_PER_KIND:])


def layout(picture: Picture) -> dict[str, tuple[float, float, float]]:
    """Position (x, y, angle) of every node: inner ring by kind, outer ring beside its links."""
    width, height = _SIZE
    cx, cy = width / 2, height / 2 + 15
    positions = {picture.centre: (cx, cy, -math.pi / 2)}
    inner = picture.ring(1)
    slots: list[str | None] = []
    for node in inner:
        if slots and picture.graph.nodes[slots[-1]]["kind"] != picture.graph.nodes[node]["kind"]:
            slots.append(None)  # a gap between kinds
        slots.append(node)
    angles = {}
    for index, node in enumerate(slots):
        if node is not None:
            angles[node] = -math.pi / 2 + 2 * math.pi * index / max(len(slots), 1)
    outer = picture.ring(2)
    wanted = {
        n: _mean_angle([angles[m] for m in picture.graph.neighbors(n) if m in angles])
        for n in outer
    }
    outer_angles = _spread(sorted(outer, key=lambda n: wanted[n]), wanted)
    for node, angle in {**angles, **outer_angles}.items():
        across, down = _RADII[0] if node in angles else _RADII[1]
        positions[node] = (cx + across * math.cos(angle), cy + down * math.sin(angle), angle)
    return positions


def picture_svg(picture: Picture, href: Callable[[str], str | None], title: str) -> str:
    """The picture as standalone SVG markup, every node linked to its page, text escaped."""
    width, height = _SIZE
    positions = layout(picture)
    graph = picture.graph
    # a group, not an img: an img's insides are hidden from screen readers, so its links
    # could not be reached (axe-core's nested-interactive rule)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="connection-picture" role="group" '
        f'aria-labelledby="picture-title" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="Arial, Helvetica, sans-serif" font-size="13">'
        f'<title id="picture-title">{escape(title)}</title>'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        _legend(picture),
        '<g stroke="#b1b4b6" stroke-width="1.2">',
    ]
    for a, b in graph.edges:
        (x1, y1, _), (x2, y2, _) = positions[a], positions[b]
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>')
    parts.append("</g>")
    for node in [picture.centre, *picture.ring(1), *picture.ring(2)]:
        parts.append(_node(graph, node, positions[node], href(node), node == picture.centre))
    parts.append("</svg>")
    return "".join(parts)


def picture_text(picture: Picture) -> list[dict]:
    """The picture in words, for screen readers and for the page's text equivalent.

    One group per kind on the inner ring (``heading``, ``things``), then the communities one
    step further, each with what it shares with the centre (``via``).
    """
    graph = picture.graph
    groups: dict[str, dict] = {}
    for node in picture.ring(1):
        kind = graph.nodes[node]["kind"]
        group = groups.setdefault(kind, {"heading": KINDS[kind][1], "things": []})
        group["things"].append(_named(graph, node))
    result = list(groups.values())
    outer = picture.ring(2)
    if outer:
        result.append(
            {
                "heading": "One step further",
                "things": [
                    {
                        **_named(graph, node),
                        "via": sorted(graph.nodes[m]["label"] for m in graph.neighbors(node)),
                    }
                    for node in outer
                ],
            }
        )
    return result


def _named(graph, node) -> dict:
    """A node as the picture's words list it: its IRI, name, and ``illustrative`` if invented."""
    data = graph.nodes[node]
    named = {"iri": node, "label": data["label"]}
    return {**named, "illustrative": True} if data.get("illustrative") else named


def _node(graph, node, position, url, is_centre) -> str:
    x, y, angle = position
    data = graph.nodes[node]
    colour = KINDS[data["kind"]][2]
    radius = 16 if is_centre else 9
    made_up = data.get("illustrative", False)
    dashes = ' stroke-dasharray="4 2"' if made_up else ""
    note = " (illustrative: invented)" if made_up else ""
    full = data["label"]
    text = full if len(full) <= _LABEL_CHARS or is_centre else full[: _LABEL_CHARS - 1] + "…"
    if is_centre:
        anchor, tx, ty = "middle", x, y + radius + 18
    else:
        # labels run outwards, away from the centre, so that neighbours on a ring never
        # share a line of text
        anchor = "start" if math.cos(angle) >= -1e-9 else "end"
        tx = x + (radius + 5 if anchor == "start" else -radius - 5)
        ty = y + 4
    weight = ' font-weight="700" font-size="15"' if is_centre else ""
    shape = (
        f"<title>{escape(KINDS[data['kind']][0])}: {escape(full)}{note}</title>"
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" stroke="#0b0c0c" '
        f'stroke-width="1.5"{dashes}/><text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" '
        f'fill="#0b0c0c"{weight}>{escape(text)}</text>'
    )
    if url:
        return f'<a href="{escape(url)}">{shape}</a>'
    return f"<g>{shape}</g>"


def _legend(picture: Picture) -> str:
    kinds = sorted({d["kind"] for _, d in picture.graph.nodes(data=True)}, key=_kind_order)
    parts = ['<g class="legend">']
    for index, kind in enumerate(kinds):
        y = 20 + index * 20
        parts.append(
            f'<circle cx="18" cy="{y}" r="6" fill="{KINDS[kind][2]}" stroke="#0b0c0c"/>'
            f'<text x="30" y="{y + 4}" fill="#0b0c0c">{escape(KINDS[kind][0])}</text>'
        )
    if any(made_up for _, made_up in picture.graph.nodes(data="illustrative")):
        y = 20 + len(kinds) * 20
        parts.append(
            f'<circle cx="18" cy="{y}" r="6" fill="#ffffff" stroke="#0b0c0c" '
            f'stroke-dasharray="3 2"/><text x="30" y="{y + 4}" fill="#0b0c0c">'
            "Illustrative (invented)</text>"
        )
    parts.append("</g>")
    return "".join(parts)


def _spread(nodes: list[str], wanted: dict[str, float]) -> dict[str, float]:
    """Angles near the wanted ones, at least a minimum apart (evenly spaced if crowded)."""
    if not nodes:
        return {}
    gap = 2 * math.pi / max(len(nodes), 24)
    placed: dict[str, float] = {}
    last = None
    for node in nodes:
        angle = wanted[node] if last is None else max(wanted[node], last + gap)
        placed[node] = angle
        last = angle
    overflow = last - (wanted[nodes[0]] + 2 * math.pi - gap)
    if overflow > 0:  # wrapped past the first: spread them evenly instead
        start = wanted[nodes[0]]
        placed = {n: start + 2 * math.pi * i / len(nodes) for i, n in enumerate(nodes)}
    return placed


def _mean_angle(angles: list[float]) -> float:
    if not angles:
        return 0.0
    return math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles))


def _kind(iri: str, relation) -> str:
    if relation is not None and URIRef(str(relation)) == ORG.role:
        return "role"
    kind = kind_of(iri)
    return kind if kind in KINDS else "other"


def _kind_order(kind: str) -> int:
    return list(KINDS).index(kind)


def _label(picture: Picture, node: str) -> str:
    return _label_of(picture.graph, node)


def _label_of(graph, node: str) -> str:
    return graph.nodes[node]["label"].lower()
