"""Loading RDF files into the store: read, check against the shapes, split private data, commit.

Nothing is written unless the whole load conforms, and then everything is written in one
atomic commit (see :mod:`cop_graph.store.base`). Validation looks only at the new data and
what it links to, so checking a file costs the same in a small store and a large one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from cop_graph import resources
from cop_graph.errors import UsageError, ValidationFailed
from cop_graph.files.rdf import files_checksum
from cop_graph.files.terms import Triple
from cop_graph.ids import slugify
from cop_graph.ingest.context import context_of
from cop_graph.ingest.staging import StagedLoad
from cop_graph.progress import SILENT, Progress
from cop_graph.queries.catalogue import graph_iri, list_graphs, record
from cop_graph.scope import partition, private_graph_of
from cop_graph.store import Change, Store
from cop_graph.validate import ValidationReport, validate

__all__ = [
    "LoadResult",
    "check_files",
    "context_of",
    "graph_change",
    "init_store",
    "load_demo",
    "load_files",
    "save_graph",
]


@dataclass(frozen=True)
class LoadResult:
    """What a load wrote: the graph, how many public and private facts, and any advice."""

    graph: URIRef
    triples: int
    private_triples: int
    #: one sentence per warning the data rules gave (advice, not errors)
    advice: tuple[str, ...] = ()


def _as_graph(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def check_files(
    store: Store,
    paths: Iterable[Path | str],
    *,
    name: str | None = None,
    progress: Progress = SILENT,
) -> tuple[Graph, ValidationReport]:
    """Read and validate files against the store without writing anything.

    Returns the names and kinds of the things the report speaks of (to word it) and the
    report.
    """
    graph = graph_iri(name or "check")
    staged = StagedLoad([Path(p) for p in paths], graph, private_graph_of(graph), progress)
    staged.drop_shacl()
    staged.normalise_memberships(store)
    staged.add_context(store, [graph, private_graph_of(graph)] if name else [])
    progress.step("Checking against the data rules")
    report = ValidationReport(staged.staging.check())
    return staged.labels(report), report


def load_files(
    store: Store,
    paths: Iterable[Path | str],
    *,
    name: str | None = None,
    title: str | None = None,
    kind: str = "load",
    who: str | None = None,
    illustrative: bool = False,
    check: bool = True,
    progress: Progress = SILENT,
) -> LoadResult:
    """Load files as one named graph (``name``; default ``load/<first file's name>``).

    A graph of the same name is replaced, so loading a corrected file again never
    duplicates it. Raises :class:`ValidationFailed` (nothing written) when the data does
    not conform, :class:`LoadError` when a file cannot be read. The files are parsed,
    checked and split in a staging store in memory (:mod:`cop_graph.ingest.staging`), so a
    checked load costs close to what the engine itself takes.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise UsageError("give at least one file to load")
    source = ", ".join(p.name for p in paths)
    graph = graph_iri(name or f"load/{slugify(paths[0].stem)}")
    private_graph = private_graph_of(graph)
    # a large file into a new graph: the engine writes it while it is checked here
    ahead = store.write_ahead(graph, private_graph, paths)
    try:
        staged = StagedLoad(paths, graph, private_graph, progress)
        advice = _prepare(staged, store, kind=kind, check=check, source=source, progress=progress)
        public_count, private_count = staged.counts()
        provenance = {
            "kind": kind,
            "sources": [p.name for p in paths],
            "who": who,
            "illustrative": illustrative,
        }
        catalogue = _records(
            graph,
            (public_count, private_count),
            title=title or f"Loaded from {source}",
            checksum=files_checksum(paths),
            provenance=provenance,
        )
        progress.step("Saving")
        if ahead is not None:
            ahead.finish(
                removed=staged.removed,
                added=staged.added,
                public=staged.public(),
                private=staged.private(),
                catalogue=catalogue,
            )
        elif private_count:
            put = {graph: staged.public(), private_graph: staged.private()}
            store.commit(Change(put=put, catalogue=catalogue))
        else:
            put = {graph: staged.public()}
            store.commit(Change(put=put, drop=[private_graph], catalogue=catalogue))
    except BaseException:
        if ahead is not None:
            ahead.abandon()
        raise
    return LoadResult(graph, public_count, private_count, advice)


def _prepare(
    staged: StagedLoad, store: Store, *, kind: str, check: bool, source: str, progress: Progress
) -> tuple[str, ...]:
    """Make the staged files what the store keeps: no SHACL, memberships in the project's
    form, checked (with ``check``) and people's private facts apart. Returns the advice:
    memberships written in another standard form first, then the data rules' warnings."""
    rewritten: list[str] = []
    if kind != "shapes":
        staged.drop_shacl()
        rewritten = staged.normalise_memberships(store)
    replacing = [staged.data_graph, staged.private_graph]
    advice: tuple[str, ...] = ()
    if not check:
        staged.add_people_context(store, replacing)
    else:
        staged.add_context(store, replacing)
        progress.step("Checking against the data rules")
        report = staged.check(source)
        advice = tuple(report.lines(staged.labels(report)))
    staged.split_private()
    return (*rewritten, *advice)


def _records(
    graph: URIRef, counts: tuple[int, int], *, title: str, checksum: str, provenance: dict
) -> Graph:
    """The catalogue records of a loaded graph and, if it has any facts, its private part."""
    public_count, private_count = counts
    catalogue = record(graph, title=title, triples=public_count, checksum=checksum, **provenance)
    if private_count:
        catalogue += record(
            private_graph_of(graph),
            title=f"Private part of: {title}",
            triples=private_count,
            **{**provenance, "kind": "private"},
        )
    return catalogue


def save_graph(
    store: Store,
    data: Iterable[Triple],
    *,
    name: str,
    title: str,
    kind: str,
    sources: list[str] = (),
    checksum: str | None = None,
    who: str | None = None,
    illustrative: bool = False,
    check: bool = True,
    progress: Progress = SILENT,
) -> LoadResult:
    """Validate ``data`` with what it links to, then save it as the named graph ``name``.

    The one way data enters the store, whatever it came from (an RDF file, a workbook, a
    form): people's private facts go to the graph's private part, the catalogue records
    who, when and from what, and everything is committed at once or not at all. Raises
    :class:`ValidationFailed` (nothing written) when the data does not conform.
    """
    change, result = graph_change(
        store, data, name=name, title=title, kind=kind, sources=sources, checksum=checksum,
        who=who, illustrative=illustrative, check=check, progress=progress,
    )  # fmt: skip
    progress.step("Saving")
    store.commit(change)
    return result


def graph_change(
    store: Store,
    data: Iterable[Triple],
    *,
    name: str,
    title: str,
    kind: str,
    sources: list[str] = (),
    checksum: str | None = None,
    who: str | None = None,
    illustrative: bool = False,
    check: bool = True,
    progress: Progress = SILENT,
    context: Graph | None = None,
) -> tuple[Change, LoadResult]:
    """The :class:`Change` that :func:`save_graph` commits, without committing it.

    So that a community's record can be replaced (:mod:`cop_graph.ingest.records`) in the
    same atomic commit as the graph that now holds it, and the change recorded in the history.
    ``context`` is what ``data`` links to when the caller has read it already.
    """
    graph = graph_iri(name)
    private_graph = private_graph_of(graph)
    data = data if isinstance(data, set | Graph) else set(data)
    if context is None:
        context = context_of(store, data, [graph, private_graph])
    advice: tuple[str, ...] = ()
    if check:
        progress.step("Checking against the data rules")
        checked = data if isinstance(data, Graph) else _as_graph(data)
        report = validate(checked, context=context)
        if not report.conforms:
            raise ValidationFailed(report, source=", ".join(sources), labels=checked + context)
        advice = tuple(report.lines(checked + context))
    public, private = partition(data, context)
    provenance = {"kind": kind, "sources": list(sources), "who": who, "illustrative": illustrative}
    catalogue = record(graph, title=title, triples=len(public), checksum=checksum, **provenance)
    put = {graph: public}
    drop = []
    if len(private):
        put[private_graph] = private
        provenance["kind"] = "private"
        catalogue += record(
            private_graph, title=f"Private part of: {title}", triples=len(private), **provenance
        )
    else:
        drop.append(private_graph)
    change = Change(put=put, drop=drop, catalogue=catalogue)
    return change, LoadResult(graph, len(public), len(private), advice)


@dataclass(frozen=True)
class StandardGraph:
    """One of the graphs every store starts with."""

    name: str
    title: str
    files: Callable[[], list[Path]]
    checked: bool = True
    illustrative: bool = False


#: the graphs ``cop-graph init`` loads, in order (the kind of each is its name)
STANDARD_GRAPHS = (
    StandardGraph(
        "ontology",
        "cop-graph ontology and the Communities of Purpose framework",
        resources.ontology_files,
        checked=False,
    ),
    StandardGraph("shapes", "Data rules (SHACL shapes)", resources.shapes_files, checked=False),
    StandardGraph("reference", "Greater Manchester reference data", resources.reference_files),
    StandardGraph(
        "demo",
        "Illustrative demo data (invented, not real communities)",
        resources.demo_files,
        illustrative=True,
    ),
)


def _load_standard(
    store: Store, graph: StandardGraph, who: str | None, progress: Progress = SILENT
) -> LoadResult:
    return load_files(
        store,
        graph.files(),
        name=graph.name,
        title=graph.title,
        kind=graph.name,
        who=who or "cop-graph",
        illustrative=graph.illustrative,
        check=graph.checked,
        progress=progress,
    )


def init_store(
    store: Store, *, demo: bool = True, who: str | None = None, progress: Progress = SILENT
) -> list[LoadResult]:
    """Load the ontology, the shapes, the reference data and (unless ``demo`` is False) the demo."""
    return [
        _load_standard(store, graph, who, progress)
        for graph in STANDARD_GRAPHS
        if demo or graph.name != "demo"
    ]


def refresh_standard(
    store: Store, *, who: str | None = None, progress: Progress = SILENT
) -> list[LoadResult]:
    """Reload the standard graphs the store holds whose shipped files have changed since.

    A store made by an earlier version keeps the ontology, rules, reference and demo data of
    that version until they are loaded again: after an upgrade, a page could show a corrected
    fact wrongly, or invented data that links to real organisations. The catalogue records a
    checksum of the files each graph was loaded from, so a changed file is seen and its graph
    replaced (in the order of :data:`STANDARD_GRAPHS`), and a graph the store does not hold
    (say, a demo removed on purpose) stays out.
    """
    recorded = {record.graph: record.checksum for record in list_graphs(store)}
    stale = [
        graph
        for graph in STANDARD_GRAPHS
        if str(graph_iri(graph.name)) in recorded
        and recorded[str(graph_iri(graph.name))] != files_checksum(graph.files())
    ]
    return [_load_standard(store, graph, who, progress) for graph in stale]


def load_demo(store: Store, *, who: str | None = None) -> LoadResult:
    """Load (or reload) only the illustrative demo data."""
    demo = next(graph for graph in STANDARD_GRAPHS if graph.name == "demo")
    return _load_standard(store, demo, who)
