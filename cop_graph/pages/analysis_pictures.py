"""The pictures of the analysis pages, each with the table of numbers it is drawn from.

A picture is only as useful as what a reader can do with it: read its numbers (a screen reader
cannot read a heat map), check them, and keep them. So each picture here is one
:class:`Picture`: the SVG (drawn by :mod:`cop_graph.pages.charts` or :mod:`cop_graph.pages.maps`)
and the same numbers as a table, which the page shows beside it and offers as CSV. The page,
the SVG download and the CSV download all come from :func:`pictures`, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cop_graph.pages import charts, maps

__all__ = ["PROGRESS_PARTS", "Picture", "pictures"]

#: the statuses of a framework step, in the order the progress pictures stack them
PROGRESS_PARTS = [
    ("established", "established", "#00703c"),
    ("in_progress", "in progress", "#f5a623"),
    ("not_started", "not started", "#d4351c"),
    ("not_assessed", "not assessed", "#b1b4b6"),
]


@dataclass(frozen=True)
class Picture:
    """One picture: ``name`` (in its download's address), ``title``, the ``svg``, the table it
    is drawn from (``columns``, ``rows``), a ``caption`` and, for a map, its ``key``."""

    name: str
    title: str
    svg: str
    columns: list[str]
    rows: list[list]
    caption: str = ""
    key: list[dict] = field(default_factory=list)


def _heat_map(result) -> list[Picture]:
    data = result.data
    if not data["places"]:
        return []
    practices = data["practices"]
    rows = [
        [place["label"], *(place["counts"].get(p["practice"], 0) for p in practices)]
        for place in data["places"]
    ]
    title = "Communities sharing each practice, by place"
    svg = charts.heat_map(
        [row[0] for row in rows], [p["label"] for p in practices],
        [row[1:] for row in rows], title, "heat-map",
    )  # fmt: skip
    caption = (
        "Each number is how many communities working in the place share the practice; "
        "darker squares mean more."
    )
    columns = ["Place", *(p["label"] for p in practices)]
    return [Picture("heat-map", title, svg, columns, rows, caption)]


def _roles(result) -> list[Picture]:
    data = result.data
    total = len(data["communities"])
    rows = [[role["label"], data["filled_by"][role["role"]]] for role in data["roles"]]
    title = f"Communities with each of Wenger's seven roles filled (out of {total})"
    svg = charts.bar_chart([(r[0], r[1]) for r in rows], title, "communities", "roles-filled")
    caption = "Each bar counts the communities with at least one member in the role."
    return [Picture("roles-filled", title, svg, ["Role", "Communities"], rows, caption)]


def _progress(result) -> list[Picture]:
    spread = result.data["distribution"]
    steps = [(f"Step {s['number']}", s) for s in spread["steps"]]
    title = "Communities at each status on each framework step"
    svg = charts.stacked_bar_chart(
        [(name, s["counts"]) for name, s in steps], PROGRESS_PARTS, title, "steps"
    )
    columns = ["Step", *(words for _, words, _ in PROGRESS_PARTS)]
    rows = [
        [f"{s['number']}. {s['label']}", *(s["counts"][part] for part, _, _ in PROGRESS_PARTS)]
        for _, s in steps
    ]
    caption = "Each bar is one step, split by the latest self-assessments of the communities."
    first = Picture("steps", title, svg, columns, rows, caption)
    counted = [(f"{row['established']} steps", row["communities"]) for row in spread["established"]]
    title = "Communities by the number of framework steps they have established"
    svg = charts.bar_chart(counted, title, "communities", "established")
    second = Picture(
        "established", title, svg, ["Steps established", "Communities"],
        [list(pair) for pair in counted], "Each bar counts the communities.",
    )  # fmt: skip
    return [first, second]


def _gaps_map(
    result, codes: Mapping[str, dict], link: Callable[[str], str | None]
) -> list[Picture]:
    """The gaps answer on the map of GM: each area shaded by how many communities work there
    (the palest have none: the widest gap); with a domain chosen, the areas missing it are
    outlined, and with a locality chosen, the map zooms in on it. Only wards and localities
    have boundaries to draw."""
    data = result.data
    by = {"ward": "ward", "locality": "locality"}.get(data["level"])
    if by is None:
        return []
    level = "wards" if by == "ward" else "localities"
    at_level = {iri: about for iri, about in codes.items() if _is_level(about["code"], by)}
    counts = {about["code"]: about["communities"] for about in at_level.values()}
    links = {about["code"]: (link(iri) or "", about["label"]) for iri, about in at_level.items()}
    shown = [(row, codes[row["place"]]) for row in data["places"] if row["place"] in at_level]
    domain = [d["label"] for d in data.get("domains", ()) if d["iri"] == data.get("domain")]
    focus = codes.get(data.get("locality") or "", {}).get("code") if by == "ward" else None
    where = f"the {level} of {codes[data['locality']]['label']}" if focus else f"GM's {level}"
    title = f"Map of {where}, shaded by how many communities work there"
    highlight = frozenset()
    if domain:
        highlight = frozenset(about["code"] for _, about in shown)
        title += f"; outlined: no community in {domain[0]}"
    svg = maps.map_svg(counts, links, by=by, focus=focus, highlight=highlight, title=title)
    if not svg:
        return []
    key = maps.legend(max(counts.values(), default=0))
    svg = charts.with_key(svg, [(k["colour"], k["text"]) for k in key], "Communities:")
    rows = [
        [row["label"], about["code"], about["communities"], len(row["missing_domains"])]
        for row, about in shown
    ]
    columns = ["Place", "ONS code", "Communities working there", "Domains with no community"]
    caption = (
        f"The palest {level} have no community at all; darker ones have more. "
        + ("A thick outline marks those listed below. " if domain else "")
        + "Select one to go to its page."
    )
    return [Picture("map", title, svg, columns, rows, caption, key)]


def _is_level(code: str, by: str) -> bool:
    """ONS codes say what they name: E05 wards, E08 metropolitan districts (localities)."""
    return code.startswith("E05" if by == "ward" else "E08")


def pictures(
    page: str,
    results: Mapping[str, object],
    *,
    codes: Mapping[str, dict] | None = None,
    link: Callable[[str], str | None] = lambda iri: None,
) -> list[Picture]:
    """The pictures of the analysis page ``page`` from its ``results`` (analysis name →
    :class:`cop_graph.analysis.reports.Result`); ``codes`` (place IRI → its ONS ``code``,
    ``label`` and ``communities``) and ``link`` (IRI → address) place and link the map's areas.

    >>> pictures("brokers", {})
    []
    """
    if page == "shared-practice" and "practice-matrix" in results:
        return _heat_map(results["practice-matrix"])
    if page == "roles" and "roles" in results:
        return _roles(results["roles"])
    if page == "progress" and "progress" in results:
        return _progress(results["progress"])
    if page == "gaps" and "gaps" in results and codes:
        return _gaps_map(results["gaps"], codes, link)
    return []
