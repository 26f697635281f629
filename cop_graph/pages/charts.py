"""Charts as SVG, drawn on the server: an indicator's observations over time, and the
analysis pages' heat map, bar charts and the frame that puts a key under a map.

A chart is decoration for sighted readers; the page always shows the same numbers in a table
beside it, so the SVG is marked as an image with a plain summary for screen readers. Each
analysis picture is a whole document (white background, title and key inside) so that the
file a reader downloads reads on its own.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape

__all__ = [
    "HEAT_SHADES",
    "bar_chart",
    "heat_legend",
    "heat_map",
    "heat_shade",
    "line_chart",
    "stacked_bar_chart",
    "text_width",
    "with_key",
]

_WIDTH, _HEIGHT = 360, 150
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 12, 12, 28


def line_chart(points: list[dict], title: str) -> str:
    """SVG markup for ``points`` (dicts with ISO ``date``, ``value`` and ``value_text``).

    >>> svg = line_chart([{"date": "2024-01-01", "value": 1, "value_text": "1"},
    ...                   {"date": "2024-07-01", "value": 3, "value_text": "3"}], "Walkers")
    >>> svg.startswith("<svg") and "<polyline" in svg
    True
    >>> line_chart([], "Nothing")
    ''
    """
    dated = [(dt.date.fromisoformat(p["date"][:10]), p) for p in points if p.get("date")]
    if not dated:
        return ""
    dated.sort(key=lambda pair: pair[0])
    first, last = dated[0][0].toordinal(), dated[-1][0].toordinal()
    values = [p["value"] for _, p in dated]
    low, high = min(0.0, min(values)), max(values)
    span_x, span_y = max(last - first, 1), (high - low) or 1.0
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM

    def x(day: dt.date) -> float:
        return _LEFT + (day.toordinal() - first) / span_x * plot_w if last > first else _LEFT

    def y(value: float) -> float:
        return _TOP + plot_h - (value - low) / span_y * plot_h

    line = " ".join(f"{x(day):.1f},{y(p['value']):.1f}" for day, p in dated)
    summary = (
        f"{title}: from {dated[0][1]['value_text']} on {dated[0][0]:%d %b %Y} "
        f"to {dated[-1][1]['value_text']} on {dated[-1][0]:%d %b %Y}"
    )
    dots = "".join(
        f'<circle cx="{x(day):.1f}" cy="{y(p["value"]):.1f}" r="3.5" fill="#1d70b8">'
        f"<title>{escape(p['value_text'])} on {day:%d %b %Y}</title></circle>"
        for day, p in dated
    )
    axis = "#505a5f"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" aria-label="{escape(summary)}" '
        f'font-family="Arial, Helvetica, sans-serif" font-size="11">'
        f'<line x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_WIDTH - _RIGHT}" y2="{_TOP + plot_h}" '
        f'stroke="{axis}"/><line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_TOP + plot_h}" '
        f'stroke="{axis}"/>'
        f'<text x="{_LEFT - 4}" y="{_TOP + 4}" text-anchor="end" fill="{axis}">'
        f"{escape(_number(high))}</text>"
        f'<text x="{_LEFT - 4}" y="{_TOP + plot_h}" text-anchor="end" fill="{axis}">'
        f"{escape(_number(low))}</text>"
        f'<text x="{_LEFT}" y="{_HEIGHT - 8}" fill="{axis}">{dated[0][0]:%b %Y}</text>'
        f'<text x="{_WIDTH - _RIGHT}" y="{_HEIGHT - 8}" text-anchor="end" fill="{axis}">'
        f"{dated[-1][0]:%b %Y}</text>"
        f'<polyline points="{line}" fill="none" stroke="#1d70b8" stroke-width="2.5"/>'
        f"{dots}</svg>"
    )


def _number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


# -- analysis pictures -------------------------------------------------------------------------
# Each is a whole SVG document (namespace, white background, title, legend inside), so the
# file a reader downloads is the picture they saw, key and all, and reads on its own.

#: a heat map's shades, light to dark (ColorBrewer "Blues"), and the text colour on each
HEAT_SHADES = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
_ON_SHADE = ("#0b0c0c", "#0b0c0c", "#0b0c0c", "#ffffff", "#ffffff")
_FONT = 'font-family="Arial, Helvetica, sans-serif"'
_INK, _BAR = "#0b0c0c", "#1d70b8"


def text_width(text: str, size: float = 13) -> float:
    """About how wide ``text`` is drawn at ``size`` px in Arial (an average glyph is 0.56 em;
    capitals and wide letters a little more), so that labels get the room they need.

    >>> text_width("Wigan") < text_width("Wigan and Leigh")
    True
    """
    wide = sum(1 for ch in text if ch.isupper() or ch in "mwMW@")
    return (len(text) * 0.56 + wide * 0.14) * size


def _document(width: float, height: float, ident: str, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="analysis-chart" role="img" '
        f'aria-labelledby="{ident}-title" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" {_FONT} font-size="13" fill="{_INK}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>{"".join(body)}</svg>'
    )


def heat_shade(count: int, most: int) -> int:
    """Which of :data:`HEAT_SHADES` a cell with ``count`` gets when the largest is ``most``.

    >>> [heat_shade(n, 8) for n in (0, 1, 4, 8)]
    [0, 1, 2, 4]
    """
    if count <= 0 or most <= 0:
        return 0
    return 1 + min(len(HEAT_SHADES) - 2, (count - 1) * (len(HEAT_SHADES) - 1) // most)


def heat_legend(most: int) -> list[tuple[str, str]]:
    """(colour, range of counts) for each shade in use, "0" first.

    >>> heat_legend(4)
    [('#f7fbff', '0'), ('#c6dbef', '1'), ('#6baed6', '2'), ('#2171b5', '3'), ('#08306b', '4')]
    """
    ranges: dict[int, list[int]] = {0: [0, 0]}
    for count in range(1, most + 1):
        ranges.setdefault(heat_shade(count, most), [count, count])[1] = count
    return [
        (HEAT_SHADES[shade], f"{low}–{high}" if low < high else str(low))
        for shade, (low, high) in sorted(ranges.items())
    ]


def heat_map(
    rows: list[str], columns: list[str], counts: list[list[int]], title: str, ident: str
) -> str:
    """A grid of ``rows`` × ``columns``, each cell shaded by and labelled with its count, with
    the row names at the left, the column names slanted above (room made for the longest, so
    none is cut) and the key below.

    >>> svg = heat_map(["Bolton", "Wigan"], ["Health walks"], [[1], [2]], "Practices", "h")
    >>> svg.count("<rect") - 1  # two cells, three keys ("0", "1", "2")
    5
    >>> ">Health walks</text>" in svg and "aria-labelledby=\\"h-title\\"" in svg
    True
    """
    cell, size = 32, 13
    most = max((n for row in counts for n in row), default=0)
    left = max((text_width(r, size) for r in rows), default=0) + 16
    longest = max((text_width(c, size) for c in columns), default=0)
    head = longest * 0.87 + 16  # rotated 60 degrees: its height is sin(60) of its length
    grid_w, grid_h = cell * len(columns), cell * len(rows)
    width = max(left + grid_w + longest * 0.5 + 16, 360)
    height = head + grid_h + 70
    body = []
    for index, column in enumerate(columns):
        x, y = left + cell * index + cell / 2 + 4, head - 6
        body.append(
            f'<text transform="translate({x:.1f},{y:.1f}) rotate(-60)">{escape(column)}</text>'
        )
    for r, (row, values) in enumerate(zip(rows, counts, strict=True)):
        y = head + cell * r
        body.append(
            f'<text x="{left - 8:.1f}" y="{y + cell / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(row)}</text>"
        )
        for c, count in enumerate(values):
            shade, x = heat_shade(count, most), left + cell * c
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="{HEAT_SHADES[shade]}" stroke="#b1b4b6" stroke-width="0.5">'
                f"<title>{escape(row)}, {escape(columns[c])}: {count}</title></rect>"
            )
            if count:
                body.append(
                    f'<text x="{x + cell / 2 - 1:.1f}" y="{y + cell / 2 + 4:.1f}" '
                    f'text-anchor="middle" fill="{_ON_SHADE[shade]}">{count}</text>'
                )
    body.append(_key(heat_legend(most), 8, head + grid_h + 20, "Communities:"))
    return _document(width, height, ident, title, body)


def _key(entries: list[tuple[str, str]], x: float, y: float, heading: str) -> str:
    """A key: a heading, then a swatch and its words for each entry, in one row."""
    parts = [f'<g class="legend"><text x="{x:.1f}" y="{y + 12:.1f}">{escape(heading)}</text>']
    at = x + text_width(heading) + 10
    for colour, words in entries:
        parts.append(
            f'<rect x="{at:.1f}" y="{y:.1f}" width="16" height="16" fill="{colour}" '
            f'stroke="#505a5f" stroke-width="0.5"/>'
            f'<text x="{at + 21:.1f}" y="{y + 12:.1f}">{escape(words)}</text>'
        )
        at += 21 + text_width(words) + 14
    return "".join(parts) + "</g>"


def bar_chart(items: list[tuple[str, int]], title: str, unit: str, ident: str) -> str:
    """Horizontal bars, one per (name, value), the value written at the end of each bar,
    and a key saying what a bar's length counts.

    >>> svg = bar_chart([("Keeper", 3), ("Broker", 0)], "Roles", "communities", "b")
    >>> svg.count('fill="#1d70b8"') - 1  # two bars, one key swatch
    2
    """
    step, span = 30, 480
    top = max((value for _, value in items), default=0) or 1
    left = max((text_width(name) for name, _ in items), default=0) + 16
    width = left + span + 60
    height = step * len(items) + 50
    body = []
    for index, (name, value) in enumerate(items):
        y, length = step * index + 8, value / top * span
        body.append(
            f'<text x="{left - 8:.1f}" y="{y + 15:.1f}" text-anchor="end">{escape(name)}</text>'
            f'<rect x="{left:.1f}" y="{y:.1f}" width="{length:.1f}" height="{step - 8}" '
            f'fill="{_BAR}"><title>{escape(name)}: {value} {escape(unit)}</title></rect>'
            f'<text x="{left + length + 6:.1f}" y="{y + 15:.1f}">{value}</text>'
        )
    body.append(_key([(_BAR, f"number of {unit}")], 8, step * len(items) + 20, "Key:"))
    return _document(width, height, ident, title, body)


def stacked_bar_chart(
    rows: list[tuple[str, dict[str, int]]],
    parts: list[tuple[str, str, str]],
    title: str,
    ident: str,
) -> str:
    """One bar per row split into ``parts`` ((key, words, colour)), each part's share of the
    row's total, with the key below.

    >>> svg = stacked_bar_chart([("Step 1", {"a": 1, "b": 3})],
    ...                         [("a", "done", "#00703c"), ("b", "not yet", "#d4351c")], "S", "s")
    >>> "Step 1: 3 not yet" in svg and ">done</text>" in svg
    True
    """
    step, span = 32, 480
    left = max((text_width(name) for name, _ in rows), default=0) + 16
    key = [(colour, words) for _, words, colour in parts]
    key_width = 60 + sum(35 + text_width(words) for _, words in key)
    width = max(left + span + 20, key_width)
    height = step * len(rows) + 50
    body = []
    for index, (name, values) in enumerate(rows):
        y, x = step * index + 8, left
        total = sum(values.values()) or 1
        body.append(
            f'<text x="{left - 8:.1f}" y="{y + 16:.1f}" text-anchor="end">{escape(name)}</text>'
        )
        for part, words, colour in parts:
            length = values.get(part, 0) / total * span
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{length:.1f}" height="{step - 8}" '
                f'fill="{colour}"><title>{escape(name)}: {values.get(part, 0)} {escape(words)}'
                f"</title></rect>"
            )
            x += length
    body.append(_key(key, 8, step * len(rows) + 20, "Key:"))
    return _document(width, height, ident, title, body)


def with_key(svg: str, key: list[tuple[str, str]], heading: str, width: int = 800) -> str:
    """A map (or any SVG with a viewBox) drawn ``width`` wide on white with its key below, as
    one document that can be kept. Still a group, not an image, so that the links inside the
    map stay reachable (axe-core's nested-interactive rule).

    >>> framed = with_key('<svg viewBox="0 0 100 50"><a href="/x"><path d="M0 0"/></a></svg>',
    ...                   [("#fff", "None")], "Communities:")
    >>> 'width="800" height="400"' in framed and framed.count("<svg") == 2
    True
    """
    found = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"', svg)
    if not found:
        return svg
    box_w, box_h = float(found.group(3)), float(found.group(4))
    height = width * box_h / box_w
    inner = svg.replace("<svg ", f'<svg x="0" y="0" width="{width}" height="{height:.0f}" ', 1)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="analysis-map" role="group" '
        f'viewBox="0 0 {width} {height + 40:.0f}" width="{width}" height="{height + 40:.0f}" '
        f'{_FONT} font-size="13" fill="{_INK}"><rect width="100%" height="100%" fill="#ffffff"/>'
        f"{inner}{_key(key, 8, height + 12, heading)}</svg>"
    )
