"""Each analysis's answer as one flat table, for the command line's table and CSV formats.

An answer is nested (a pair of places with its communities, a cluster with its members); a
table needs one row per thing and one plain value per cell. Each entry here names the list in
the answer that becomes the rows and how each column is read from a row. Every table ends with
an ``illustrative`` column: true for a row that shows anything invented (the rows of a marked
answer say so, see :func:`cop_graph.analysis.reports.run`).
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Literal, URIRef

from cop_graph.store import SelectResult

__all__ = ["TABLES", "as_select", "tabulate"]


def _join(items) -> str:
    return "; ".join(item["label"] if isinstance(item, dict) else str(item) for item in items)


def _evidence(evidence: list[dict], pair: dict) -> str:
    """Each community behind a pair of places, with the place (or both) it works in."""
    names = dict(zip(pair["places"], pair["labels"], strict=True))
    return "; ".join(
        f"{e['label']} (in {' and '.join(names.get(p, p) for p in e['places'])})"
        if e["places"]
        else e["label"]
        for e in evidence
    )


def _alike(row: dict) -> str:
    """The practices two places have in common, each with its communities and places."""
    return " | ".join(f"{p['label']}: {_evidence(p['evidence'], row)}" for p in row["practices"])


def _bridge(bridge: dict) -> str:
    """A broker's tie to another locality: the community, where it works, what they share."""
    shared = [*bridge["members"], *bridge["practices"], *bridge["places"]]
    return f"{bridge['label']} in {_join(bridge['localities'])} (shares {_join(shared)})"


def _counted(rows: list[dict]) -> str:
    return "; ".join(f"{r['label']} ({len(r['communities'])})" for r in rows)


def _matrix_rows(data: dict) -> list[dict]:
    practices = {practice["practice"]: practice for practice in data["practices"]}
    return [
        {
            "place": place["label"],
            "practice": practices[practice]["label"],
            "communities": count,
            # a count is invented when the place's row or the practice's column is
            "illustrative": _marked(place) or _marked(practices[practice]),
        }
        for place in data["places"]
        for practice, count in place["counts"].items()
    ]


def _marked(row: dict) -> bool:
    return bool(row.get("illustrative"))


def _resilience_rows(data: dict) -> list[dict]:
    names = data.get("places", {})
    points = [{**row, "what": row["label"]} for row in data["points"]]
    ties = [{**row, "what": row["sentence"], "kind": "tie"} for row in data["ties"]]
    return [
        {**row, "cut_off_names": "; ".join(names.get(p, p) for p in row["cut_off"])}
        for row in points + ties
    ]


Column = tuple[str, Callable[[dict], object]]

#: analysis name → (where the rows are: a key of the answer or a function, the columns)
TABLES: dict[str, tuple[str | Callable[[dict], list[dict]], list[Column]]] = {
    "shared-practice": (
        "pairs",
        [
            ("place", lambda r: r["labels"][0]),
            ("other_place", lambda r: r["labels"][1]),
            ("practice", lambda r: r["practice_label"]),
            ("evidence", lambda r: _evidence(r["evidence"], r)),
            ("place_iri", lambda r: r["places"][0]),
            ("other_place_iri", lambda r: r["places"][1]),
            ("practice_iri", lambda r: r["practice"]),
            ("communities", lambda r: " ".join(r["communities"])),
        ],
    ),
    "practice-matrix": (
        _matrix_rows,
        [(name, lambda r, name=name: r[name]) for name in ("place", "practice", "communities")],
    ),
    "similarity": (
        "pairs",
        [
            ("place", lambda r: r["labels"][0]),
            ("other_place", lambda r: r["labels"][1]),
            ("shared", lambda r: r["shared"]),
            ("jaccard", lambda r: r["jaccard"]),
            ("evidence", _alike),
            ("place_iri", lambda r: r["places"][0]),
            ("other_place_iri", lambda r: r["places"][1]),
        ],
    ),
    "brokers": (
        "communities",
        [
            ("community", lambda r: r["label"]),
            ("betweenness", lambda r: r["betweenness"]),
            ("ties", lambda r: r["ties"]),
            ("cross_locality_ties", lambda r: r["cross_locality_ties"]),
            ("localities_reached", lambda r: len(r["localities_reached"])),
            ("evidence", lambda r: "; ".join(_bridge(b) for b in r["bridges"])),
            ("community_iri", lambda r: r["community"]),
        ],
    ),
    "clusters": (
        "clusters",
        [
            ("cluster", lambda r: r["cluster"]),
            ("size", lambda r: r["size"]),
            ("label", lambda r: r["label"]),
            ("communities", lambda r: _join(r["communities"])),
            ("shared_practices", lambda r: _counted(r["shared_practices"])),
            ("shared_places", lambda r: _counted(r["shared_places"])),
        ],
    ),
    "paths": (
        "paths",
        [("length", lambda r: r["length"]), ("explanation", lambda r: r["explanation"])],
    ),
    "gaps": (
        "places",
        [
            ("place", lambda r: r["label"]),
            ("core20", lambda r: r["core20"]),
            ("communities", lambda r: r["communities"]),
            ("missing_domains", lambda r: _join(r["missing_domains"])),
            ("missing_chapters", lambda r: _join(r["missing_chapters"])),
            ("localities", lambda r: _join(r["localities"])),
            ("place_iri", lambda r: r["place"]),
        ],
    ),
    "unique-practices": (
        "practices",
        [
            ("practice", lambda r: r["label"]),
            ("locality", lambda r: r["locality_label"]),
            ("communities", lambda r: _join(r["communities"])),
        ],
    ),
    "roles": (
        "communities",
        [
            ("community", lambda r: r["label"]),
            ("roles_filled", lambda r: len(r["filled"])),
            ("missing", lambda r: _join(r["missing"])),
        ],
    ),
    "progress": (
        "communities",
        [
            ("community", lambda r: r["label"]),
            ("steps_established", lambda r: r["established"]),
            ("current_step", lambda r: r["current_step"]),
        ],
    ),
    "learn-from": (
        "communities",
        [
            ("community", lambda r: r["label"]),
            ("ahead_by", lambda r: r["ahead_by"]),
            ("shared_domains", lambda r: _join(r["shared_domains"])),
            ("shared_practices", lambda r: _join(r["shared_practices"])),
        ],
    ),
    "resilience": (
        _resilience_rows,
        [
            ("what", lambda r: r["what"]),
            ("kind", lambda r: r["kind"]),
            ("places_cut_off", lambda r: len(r["cut_off"])),
            ("places_isolated", lambda r: len(r["isolated"])),
            ("places_cut_off_names", lambda r: r["cut_off_names"]),
        ],
    ),
}


def tabulate(name: str, data: dict) -> tuple[list[str], list[list]]:
    """The answer ``data`` of the analysis ``name`` as (column names, rows).

    >>> tabulate("paths", {"paths": [{"length": 1, "explanation": "A operates in B"}]})
    (['length', 'explanation', 'illustrative'], [[1, 'A operates in B', False]])
    """
    where, columns = TABLES[name]
    rows = where(data) if callable(where) else data[where]
    columns = [*columns, ("illustrative", _marked)]
    return [c for c, _ in columns], [[read(row) for _, read in columns] for row in rows]


def as_select(columns: list[str], rows: list[list]) -> SelectResult:
    """A table as a query answer, so that it prints exactly like one (IRIs shortened, CSV, JSON).

    >>> [(type(a).__name__, type(b).__name__) for a, b in as_select(["a", "b"], [["https://x", 2]])]
    [('URIRef', 'Literal')]
    """

    def term(value):
        if value is None:
            return None
        is_iri = isinstance(value, str) and value.startswith(("http://", "https://"))
        if is_iri and not any(space in value for space in " \t\n"):
            return URIRef(value)
        return Literal(value)

    return SelectResult(list(columns), [tuple(term(v) for v in row) for row in rows])
