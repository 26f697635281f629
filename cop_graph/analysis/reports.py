"""Every analysis by name, from the store to an answer: one implementation for three ways in.

``cop-graph analyse NAME``, ``/api/analysis/NAME`` and the analysis pages all call :func:`run`,
so they cannot disagree, and :func:`run` marks invented things in every answer
(:mod:`cop_graph.marks`): each row of an answer's lists says ``illustrative`` true or false (true
when it mentions anything invented), and so does the table's last column.

Each analysis says which options it takes, which graph it works on
(for GraphML, GEXF and CSV exports) and which example SPARQL queries reproduce its numbers,
where SPARQL can; :mod:`cop_graph.analysis.tables` says how its answer reads as a table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from cop_graph import marks
from cop_graph.analysis import (
    brokers,
    clusters,
    export,
    gaps,
    learn_from,
    network,
    paths,
    progress,
    resilience,
    roles,
    shared_practice,
)
from cop_graph.analysis.tables import tabulate
from cop_graph.collector import collector_paused
from cop_graph.errors import UsageError
from cop_graph.progress import SILENT, Progress

__all__ = [
    "ANALYSES",
    "Analysis",
    "Graphs",
    "Inputs",
    "Result",
    "export_graph",
    "get",
    "run",
]


class Graphs:
    """The graphs of one store, each built on first use and then shared by every analysis.

    A page that shows several analyses, or a test that runs them all, reads the store once.
    """

    def __init__(self, store, scope=None):
        self.store = store
        #: the graphs read (default: the public ones); see cop_graph.pages.public
        self.scope = scope
        self._place_practice: dict[str, nx.Graph] = {}
        self._shared_practice: dict[str, nx.Graph] = {}

    @cached_property
    def kg(self) -> nx.MultiDiGraph:
        kg = network.knowledge_graph(self.store, self.scope)
        self.__dict__["community_facts"] = kg  # the whole graph serves that too, and one is kept
        return kg

    @cached_property
    def community_facts(self) -> nx.MultiDiGraph:
        """The knowledge graph without what the community network does not use (step
        assessments, chapters): the same things, named and marked the same, read in about half
        the time. A command that needs only the community network reads this; once the whole
        graph is built it is this too."""
        return network.knowledge_graph(self.store, self.scope, facts="communities")

    @cached_property
    def invented(self) -> frozenset[str]:
        """The things in the graph marked as invented (``cop:illustrative true``).

        Both views of the knowledge graph hold the same things, so the one already built
        will do; the whole one when neither is."""
        built = self.__dict__.get("community_facts")
        kg = built if built is not None else self.kg
        return frozenset(n for n, data in kg.nodes(data=True) if data.get("illustrative"))

    @cached_property
    def communities(self) -> nx.Graph:
        return network.community_graph(self.community_facts)

    @cached_property
    def paths(self) -> nx.Graph:
        return paths.path_graph(self.kg)

    def place_practice(self, level: str) -> nx.Graph:
        if level not in self._place_practice:
            self._place_practice[level] = network.place_practice_graph(self.kg, level)
        return self._place_practice[level]

    def shared_practice(self, level: str) -> nx.Graph:
        if level not in self._shared_practice:
            places = self.place_practice(level)
            self._shared_practice[level] = network.shared_practice_graph(places)
        return self._shared_practice[level]


class Inputs:
    """What one analysis works from: the store's graphs and the options of one request."""

    def __init__(self, graphs: Graphs, options: Mapping[str, str]):
        self.graphs, self.options = graphs, dict(options)

    @property
    def kg(self) -> nx.MultiDiGraph:
        return self.graphs.kg

    @property
    def communities(self) -> nx.Graph:
        return self.graphs.communities

    def place_practice(self) -> nx.Graph:
        return self.graphs.place_practice(self.text("level", "recorded"))

    def shared_practice(self) -> nx.Graph:
        return self.graphs.shared_practice(self.text("level", "recorded"))

    def text(self, name: str, default: str | None = None) -> str | None:
        return self.options.get(name, default)

    def thing(self, name: str, *, required: bool = False) -> str | None:
        """The IRI an option names (an IRI, or a label that names exactly one thing)."""
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
    """One analysis: its name, what it answers, how to compute it and on which graph."""

    name: str
    title: str
    summary: str
    compute: Callable[[Inputs], dict]
    #: the graph the analysis runs on, for exports
    graph: Callable[[Inputs], nx.Graph]
    #: option name → what it means
    options: dict[str, str] = field(default_factory=dict)
    #: example SPARQL queries (names under ``cop_graph/queries``) that reproduce the numbers
    sparql: tuple[str, ...] = ()
    #: whether the community network is all it works on (then only its facts are read)
    communities_only: bool = False


@dataclass(frozen=True)
class Result:
    """An analysis's answer: the data (for JSON and pages) and the same as a table."""

    name: str
    data: dict
    columns: list[str]
    rows: list[list]


_LEVEL = "ward, neighbourhood, pcn, locality, region, or recorded (as given; the default)"
_PLACE = "only pairs that include this place (IRI or name)"


def _shared_practice(inputs: Inputs) -> dict:
    shared = inputs.shared_practice()
    return {"pairs": shared_practice.pairs(shared, inputs.thing("place"), inputs.thing("practice"))}


def _paths(inputs: Inputs) -> dict:
    source, target = inputs.thing("from", required=True), inputs.thing("to", required=True)
    k = inputs.number("k", 3)
    found = paths.explained_paths(inputs.kg, source, target, k=k, graph=inputs.graphs.paths)
    return {"from": source, "to": target, "paths": found}


def _learn_from(inputs: Inputs) -> dict:
    community = inputs.thing("community", required=True)
    level = inputs.text("level", "recorded")
    found = learn_from.learn_from(inputs.kg, community, level=level, limit=inputs.number("top", 20))
    return {"community": community, "level": level, "communities": found}


_ALL = (
    Analysis(
        "shared-practice",
        "Shared practice",
        "Which places share which practices: each pair of places once per practice, with the "
        "communities that show it.",
        _shared_practice,
        lambda i: i.shared_practice(),
        {"place": _PLACE, "practice": "only this practice (IRI or name)", "level": _LEVEL},
        ("analysis_shared_practice", "analysis_shared_practice_by_locality"),
    ),
    Analysis(
        "practice-matrix",
        "Places and practices",
        "How many communities in each place share each practice (the heat map's numbers).",
        lambda i: {
            "level": i.text("level", "recorded"),
            **shared_practice.matrix(i.place_practice()),
        },
        lambda i: i.place_practice(),
        {"level": _LEVEL},
        ("analysis_practice_matrix",),
    ),
    Analysis(
        "similarity",
        "Similar places",
        "Jaccard similarity of the practices of every two places that share any.",
        lambda i: {"pairs": shared_practice.similarity(i.shared_practice(), i.thing("place"))},
        lambda i: i.shared_practice(),
        {"place": _PLACE, "level": _LEVEL},
    ),
    Analysis(
        "brokers",
        "Brokers",
        "Communities that sit between others (betweenness) and their ties across localities; "
        "organisations and people (by role) in communities in several localities.",
        lambda i: brokers.brokers(i.communities, top=i.number("top", 10**9)),
        lambda i: i.communities,
        {"top": "how many communities to list"},
        communities_only=True,
    ),
    Analysis(
        "clusters",
        "Clusters",
        "Groups of closely tied communities (Louvain, fixed seed), named by the practices their "
        "communities share most.",
        lambda i: {"clusters": clusters.clusters(i.communities)},
        lambda i: i.communities,
        communities_only=True,
    ),
    Analysis(
        "paths",
        "Paths",
        "The shortest chains of facts between two things, each fact in words.",
        _paths,
        lambda i: i.graphs.paths,
        {
            "from": "where the paths start (IRI or name)",
            "to": "where they end (IRI or name)",
            "k": "how many paths at most (default 3)",
        },  # fmt: skip
    ),
    Analysis(
        "gaps",
        "Gaps",
        "Places, the most deprived (highest CORE20 share) first, with no community in a domain "
        "or Blueprint chapter; practices found in one locality only.",
        lambda i: gaps.gaps(
            i.kg, i.text("level", "ward"), locality=i.thing("locality"), domain=i.thing("domain")
        ),
        lambda i: i.kg,
        {
            "level": "ward (the default), neighbourhood, pcn, locality or region",
            "locality": "only places in this locality (IRI or name)",
            "domain": "only places with no community in this domain (IRI or name)",
        },
        ("analysis_places_without_domain",),
    ),
    Analysis(
        "unique-practices",
        "Practices found in one locality",
        "Practices whose communities all work in one locality: what others could learn from.",
        lambda i: {"practices": gaps.unique_practices(i.kg)},
        lambda i: i.kg,
    ),
    Analysis(
        "roles",
        "Role coverage",
        "For each community, which of Wenger's seven roles are filled and which are missing.",
        lambda i: roles.role_coverage(i.kg),
        lambda i: i.kg,
        sparql=("analysis_role_coverage",),
    ),
    Analysis(
        "progress",
        "Framework progress",
        "Each community's latest position on the seven framework steps, and how Greater "
        "Manchester is spread across them.",
        lambda i: progress.progress(i.kg),
        lambda i: i.kg,
        sparql=("analysis_progress_distribution",),
    ),
    Analysis(
        "learn-from",
        "Who to learn from",
        "Communities that share a domain or practice with this one, work elsewhere and are "
        "further along the framework.",
        _learn_from,
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
        "Communities and organisations, and single ties, whose loss would cut places off from "
        "the rest.",
        lambda i: resilience.resilience(i.kg),
        lambda i: resilience.tie_graph(i.kg),
    ),
)
#: every analysis by name
ANALYSES: dict[str, Analysis] = {analysis.name: analysis for analysis in _ALL}


def get(name: str) -> Analysis:
    """The analysis called ``name``, or a usage error listing the names."""
    if name not in ANALYSES:
        raise UsageError(f'there is no analysis "{name}"; choose one of {", ".join(ANALYSES)}')
    return ANALYSES[name]


def _given(analysis: Analysis, options: Mapping[str, str] | None) -> dict[str, str]:
    given = {k: v for k, v in (options or {}).items() if v not in (None, "")}
    unknown = sorted(set(given) - set(analysis.options))
    if unknown:
        takes = ", ".join(analysis.options) or "no options"
        raise UsageError(f'"{analysis.name}" has no option {", ".join(unknown)}; it takes {takes}')
    return given


def run(
    store,
    name: str,
    options: Mapping[str, str] | None = None,
    *,
    graphs: Graphs | None = None,
    progress: Progress = SILENT,
) -> Result:
    """Run the analysis ``name`` on ``store`` with text ``options`` (as people type them).

    ``graphs`` (of the same store) lets several analyses share the graphs built for the first.

    >>> from cop_graph.analysis.example import example_store
    >>> result = run(example_store(), "shared-practice", {"level": "locality"})
    >>> result.columns[:4]
    ['place', 'other_place', 'practice', 'evidence']
    >>> len(result.rows), result.data["pairs"][0]["practice"]
    (1, 'https://w3id.org/cop-graph/id/practice/health-walks')
    >>> result.rows[0][3]
    'Halliwell Striders (in Bolton); Wigan Walkers (in Wigan)'
    """
    analysis = get(name)
    graphs = graphs or Graphs(store)
    inputs = Inputs(graphs, _given(analysis, options))
    with collector_paused():
        progress.step("Reading the data into a graph")
        # built here, so that the last step times the analysis alone
        if analysis.communities_only:
            graphs.community_facts  # noqa: B018 - only what the community network needs
            progress.step("Linking communities by what they share")
            graphs.communities  # noqa: B018
        else:
            graphs.kg  # noqa: B018
        progress.step(f"Running {analysis.title}")
        data = analysis.compute(inputs)
        data = _marked(data, graphs.invented)
        columns, rows = tabulate(name, data)
    return Result(name, data, columns, rows)


def _marked(data: dict, invented: frozenset[str]) -> dict:
    """The answer with every invented thing marked, and every row of its lists saying
    whether it mentions one (a pair of places or a count drawn from invented communities is
    invented too)."""
    data = marks.mark(data, invented)
    return {
        key: marks.mark_rows(value, invented) if _is_rows(value) else value
        for key, value in data.items()
    }


def _is_rows(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def export_graph(
    store,
    name: str,
    fmt: str,
    options: Mapping[str, str] | None = None,
    *,
    graphs: Graphs | None = None,
) -> bytes:
    """The graph the analysis ``name`` works on, as a GraphML, GEXF or CSV file."""
    analysis = get(name)
    if fmt not in export.FORMATS:
        raise UsageError(f'there is no export format "{fmt}"; choose {", ".join(export.FORMATS)}')
    graphs = graphs or Graphs(store)
    inputs = Inputs(graphs, _given(analysis, options))
    return export.export(analysis.graph(inputs), fmt, graphs.invented)
