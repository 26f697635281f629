"""Small line charts as SVG: an indicator's observations over time, drawn on the server.

A chart is decoration for sighted readers; the page always shows the same numbers in a table
beside it, so the SVG is marked as an image with a plain summary for screen readers.
"""

from __future__ import annotations

import datetime as dt
from html import escape

__all__ = ["line_chart"]

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
