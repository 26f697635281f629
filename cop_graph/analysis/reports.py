"""Every analysis by name, from the store to an answer: one implementation for three ways in.

``cop-graph analyse NAME``, ``/api/analysis/NAME`` and the analysis pages all call :func:`run`,
so they cannot disagree. Each analysis says which options it takes, how its answer reads as a
table (for the command line and CSV), which graph it works on (for GraphML, GEXF and CSV
exports) and which example SPARQL query reproduces its numbers, where one can.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from cop_graph import network
from cop_graph.analysis import (
    brokers,
    clusters,
    export,
    gaps,
    learn_from,
    paths,
    progress,
    resilience,
    roles,
    shared_practice,
)
from cop_graph.errors import UsageError

__all__ = ["ANALYSES", "Analysis", "Inputs", "Result", "export_graph", "get", "run"]


class Inputs:
    """The graphs of one store, each built on first use, and the options of one request."""

    def __init__(self, store, options: Mapping[str, str] | None = None):
        self.store = store
        self.options = {k: v for k, v in (options or {}).items() if v not in (None, "")}

    @cached_property
    def kg(self) -> nx.MultiDiGraph:
        return network.knowledge_graph(self.store)

    @cached_property
    def communities(self) -> nx.Graph:
        return network.community_graph(self.kg)

    def place_practice(self) -> nx.Graph:
        return network.place_practice_graph(self.kg, self.text("level", "recorded"))

    def text(self, name: str, default: str | None = None) -> str | None:
        return self.options.get(name, default)

    def thing(self, name: str, *, required: bool = False) -> str | None:
        """The IRI an option names (an IRI or a label that names one thing)."""
        value = self.options.get(name)
        if value is None:
            if required:
                raise UsageError(f'this analysis needs the option "{name}"')
            return None
        return paths.resolve(self.kg, value)

    def number(self, name: str, default: int) -> int:
        value = self.options.get(name, default)
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise UsageError(f'the option "{name}" must be a whole number, not "{value}"') from None
        if number < 1:
            raise UsageError(f'the option "{name}" must be at least 1')
        return number


@dataclass(frozen=True)
class Analysis:
    """One analysis: what it is called and answers, and how to compute and tabulate it."""

    name: str
    title: str
    summary: str
    compute: Callable[[Inputs], dict]
    #: the answer as (column names, rows of plain values) for tables and CSV
    table: Callable[[dict], tuple[list[str], list[list]]]
    #: the graph the analysis runs on, for exports
    graph: Callable[[Inputs], nx.Graph]
    #: option name → what it means
    options: dict[str, str] = field(default_factory=dict)
    #: example SPARQL queries (names under ``cop_graph/queries``) that reproduce the numbers
    sparql: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    """An analysis's answer: the data (for JSON and pages) and the same as a table."""

    name: str
    data: dict
    columns: list[str]
    rows: list[list]


def _join(items, key: str = "label") -> str:
    return "; ".join(item[key] if isinstance(item, dict) else str(item) for item in items)


_LEVEL = "ward, neighbourhood, pcn, locality, region, or recorded (as given; the default)"


def _pairs(inputs: Inputs) -> dict:
    shared = network.shared_practice_graph(inputs.place_practice())
    found = shared_practice.pairs(shared, inputs.thing("place"), inputs.thing("practice"))
    return {"pairs": found}


def _matrix(inputs: Inputs) -> dict:
    return {
        "level": inputs.text("level", "recorded"),
        **shared_practice.matrix(inputs.place_practice()),
    }


def _matrix_table(data: dict) -> tuple[list[str], list[list]]:
    rows = [
        [place["label"], practice["label"], count]
        for place, counts in zip(data["places"], data["counts"], strict=True)
        for practice, count in zip(data["practices"], counts, strict=True)
        if count
    ]
    return ["place", "practice", "communities"], rows


def _paths(inputs: Inputs) -> dict:
    source, target = inputs.thing("from", required=True), inputs.thing("to", required=True)
    found = paths.explained_paths(inputs.kg, source, target, k=inputs.number("k", 3))
    return {"from": source, "to": target, "paths": found}


def _learn_from(inputs: Inputs) -> dict:
    community = inputs.thing("community", required=True)
    level = inputs.text("level", "recorded")
    found = learn_from.learn_from(inputs.kg, community, level=level, limit=inputs.number("top", 20))
    return {"community": community, "level": level, "communities": found}


ANALYSES: dict[str, Analysis] = {
    analysis.name: analysis
    for analysis in (
        Analysis(
            "shared-practice",
            "Shared practice",
            "Which places share which practices, each pair of places once per practice, with the "
            "communities that show it.",
            _pairs,
            lambda d: (
                ["place", "other_place", "practice", "communities"],
                [[*p["places"], p["practice"], " ".join(p["communities"])] for p in d["pairs"]],
            ),
            lambda i: network.shared_practice_graph(i.place_practice()),
            {
                "place": "only pairs including this place",
                "practice": "only this practice",
                "level": _LEVEL,
            },  # fmt: skip
            ("analysis_shared_practice", "analysis_shared_practice_by_locality"),
        ),
        Analysis(
            "practice-matrix",
            "Places and practices",
            "How many communities in each place share each practice (the heat map's numbers).",
            _matrix,
            _matrix_table,
            lambda i: i.place_practice(),
            {"level": _LEVEL},
            ("analysis_practice_matrix",),
        ),
        Analysis(
            "similarity",
            "Similar places",
            "Jaccard similarity of the practices of every two places that share any.",
            lambda i: {
                "pairs": shared_practice.similarity(i.place_practice(), i.thing("place")),
            },
            lambda d: (
                ["place", "other_place", "shared", "jaccard"],
                [[*p["labels"], p["shared"], p["jaccard"]] for p in d["pairs"]],
            ),
            lambda i: i.place_practice(),
            {"place": "only pairs including this place", "level": _LEVEL},
        ),
        Analysis(
            "brokers",
            "Brokers",
            "Communities that sit between others (betweenness) and their ties across localities; "
            "organisations and people (by role) in communities in several localities.",
            lambda i: brokers.brokers(i.communities, top=i.number("top", 10_000)),
            lambda d: (
                ["community", "betweenness", "ties", "cross_locality_ties", "localities_reached"],
                [
                    [
                        r["label"],
                        r["betweenness"],
                        r["ties"],
                        r["cross_locality_ties"],
                        len(r["localities_reached"]),
                    ]  # fmt: skip
                    for r in d["communities"]
                ],
            ),
            lambda i: i.communities,
            {"top": "how many communities to list"},
        ),
        Analysis(
            "clusters",
            "Clusters",
            "Groups of closely tied communities (Louvain, fixed seed), named by their most shared "
            "practices.",
            lambda i: {"clusters": clusters.clusters(i.communities)},
            lambda d: (
                ["cluster", "size", "label", "communities"],
                [
                    [c["cluster"], c["size"], c["label"], _join(c["communities"])]
                    for c in d["clusters"]
                ],  # fmt: skip
            ),
            lambda i: i.communities,
        ),
        Analysis(
            "paths",
            "Paths",
            "The shortest explained chains of facts between two things.",
            _paths,
            lambda d: (
                ["path", "length", "explanation"],
                [[n, p["length"], p["explanation"]] for n, p in enumerate(d["paths"], start=1)],
            ),
            lambda i: paths.path_graph(i.kg),
            {
                "from": "where the path starts (IRI or name)",
                "to": "where it ends",
                "k": "how many paths at most (default 3)",
            },  # fmt: skip
        ),
        Analysis(
            "gaps",
            "Gaps",
            "Places, the most deprived (CORE20) first, with no community in a domain or "
            "Blueprint chapter; practices found in one locality only.",
            lambda i: gaps.gaps(i.kg, i.text("level", "ward")),
            lambda d: (
                ["place", "core20", "communities", "missing_domains", "missing_chapters"],
                [
                    [
                        r["label"],
                        r["core20"],
                        r["communities"],
                        _join(r["missing_domains"]),
                        _join(r["missing_chapters"]),
                    ]  # fmt: skip
                    for r in d["places"]
                ],
            ),
            lambda i: i.kg,
            {"level": "ward (the default), neighbourhood, pcn, locality or region"},
            ("analysis_places_without_domain",),
        ),
        Analysis(
            "unique-practices",
            "Practices found in one locality",
            "Practices whose communities all work in one locality: what others could learn from.",
            lambda i: {"practices": gaps.unique_practices(i.kg)},
            lambda d: (
                ["practice", "locality", "communities"],
                [
                    [r["label"], r["locality_label"], _join(r["communities"])]
                    for r in d["practices"]
                ],  # fmt: skip
            ),
            lambda i: i.kg,
        ),
        Analysis(
            "roles",
            "Role coverage",
            "For each community, which of Wenger's seven roles are filled and which are missing.",
            lambda i: roles.role_coverage(i.kg),
            lambda d: (
                ["community", "roles_filled", "missing"],
                [
                    [
                        r["label"],
                        len(r["filled"]),
                        "; ".join(_role_label(d, role) for role in r["missing"]),
                    ]  # fmt: skip
                    for r in d["communities"]
                ],
            ),
            lambda i: i.kg,
            sparql=("analysis_role_coverage",),
        ),
        Analysis(
            "progress",
            "Framework progress",
            "Each community's latest position on the seven framework steps, and how Greater "
            "Manchester is spread across them.",
            lambda i: progress.progress(i.kg),
            lambda d: (
                ["community", "steps_established", "current_step"],
                [[r["label"], r["established"], r["current_step"]] for r in d["communities"]],
            ),
            lambda i: i.kg,
            sparql=("analysis_progress_distribution",),
        ),
        Analysis(
            "learn-from",
            "Who to learn from",
            "Communities that share a domain or practice with this one, work elsewhere and are "
            "further along the framework.",
            _learn_from,
            lambda d: (
                ["community", "ahead_by", "shared_domains", "shared_practices"],
                [
                    [
                        r["label"],
                        r["ahead_by"],
                        _join(r["shared_domains"]),
                        _join(r["shared_practices"]),
                    ]  # fmt: skip
                    for r in d["communities"]
                ],
            ),
            lambda i: i.kg,
            {
                "community": "the community (IRI or name)",
                "level": _LEVEL,
                "top": "how many to list (default 20)",
            },  # fmt: skip
        ),
        Analysis(
            "resilience",
            "Resilience",
            "Communities and organisations, and single ties, whose loss would cut places off "
            "from the rest.",
            lambda i: resilience.resilience(i.kg),
            lambda d: (
                ["what", "kind", "places_cut_off", "places_isolated"],
                [
                    [r["label"], r["kind"], len(r["cut_off"]), len(r["isolated"])]
                    for r in d["points"]
                ]  # fmt: skip
                + [
                    [r["sentence"], "tie", len(r["cut_off"]), len(r["isolated"])] for r in d["ties"]
                ],  # fmt: skip
            ),
            lambda i: resilience.tie_graph(i.kg),
        ),
    )
}


def _role_label(data: dict, role: str) -> str:
    return next(r["label"] for r in data["roles"] if r["role"] == role)


def get(name: str) -> Analysis:
    """The analysis called ``name``, or a usage error listing the names."""
    if name not in ANALYSES:
        raise UsageError(f'there is no analysis "{name}"; choose one of {", ".join(ANALYSES)}')
    return ANALYSES[name]


def _check_options(analysis: Analysis, options: Mapping[str, str]) -> None:
    unknown = sorted(
        k for k, v in options.items() if v not in (None, "") and k not in analysis.options
    )
    if unknown:
        takes = ", ".join(analysis.options) or "no options"
        raise UsageError(f'"{analysis.name}" has no option {", ".join(unknown)}; it takes {takes}')


def run(store, name: str, options: Mapping[str, str] | None = None, *, inputs=None) -> Result:
    """Run the analysis ``name`` on ``store`` with text ``options`` (as typed by people).

    Pass ``inputs`` (an :class:`Inputs`) to reuse graphs already built for the same store.
    """
    analysis = get(name)
    options = dict(options or {})
    _check_options(analysis, options)
    given = Inputs(store, options) if inputs is None else inputs
    given.options = {k: v for k, v in options.items() if v not in (None, "")}
    data = analysis.compute(given)
    columns, rows = analysis.table(data)
    return Result(name, data, columns, rows)


def export_graph(store, name: str, fmt: str, options: Mapping[str, str] | None = None) -> bytes:
    """The graph the analysis ``name`` works on, as a GraphML, GEXF or CSV file."""
    analysis = get(name)
    options = dict(options or {})
    _check_options(analysis, options)
    if fmt not in export.FORMATS:
        raise UsageError(f'there is no export format "{fmt}"; choose {", ".join(export.FORMATS)}')
    return export.export(analysis.graph(Inputs(store, options)), fmt)
