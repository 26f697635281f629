"""The embedded backend: pyoxigraph, on disk (the default) or in memory.

pyoxigraph is used directly rather than through oxrdflib: the extra layer costs 2–6× on
large results and changes how strings compare. Only one process may open an on-disk store
for writing; a second one gets a plain-English :class:`StoreInUse` instead of a lock trace
(:mod:`cop_graph.store.owner` then finds out who holds it, and waits or works through them).
Holding the lock also means no commit of anyone else can be under way, so opening the store
removes the staging graphs a crash left behind (see :mod:`cop_graph.store.base`) and logs it.

An on-disk store can keep a copy of itself in memory for reading (``memory_reads``): the
disk stays the store of record, every write goes to it first and then to the copy, and
queries read the copy. Measured at a million facts, pyoxigraph answers the example
questions 6–15× faster from memory than from its on-disk RocksDB storage, at the price of
about 0.7 GB of memory per million facts and a start-up copy (15 s at a million facts).
Only the process holding the store writes to it, so the copy cannot fall behind; should
writing to the copy ever fail after the disk took the change, reads go back to the disk.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from cop_graph.errors import QueryError, StoreError
from cop_graph.files.terms import to_oxigraph, to_rdflib
from cop_graph.namespaces import PREFIXES
from cop_graph.store.answers import RDF_FORMATS, convert_answer, raw_answer
from cop_graph.store.base import (
    CATALOGUE,
    STAGING,
    Change,
    QueryResult,
    RawAnswer,
    Store,
    StoreInUse,
    _removal_steps,
)
from cop_graph.store.staged import StagedTriples
from cop_graph.store.write_ahead import WriteAhead, can_write_ahead

__all__ = ["OxigraphStore"]

_log = logging.getLogger(__name__)

#: marks, in the catalogue, a new graph being written in bulk (see ``_commit_new``): a crash
#: leaves the mark behind, and the graph goes when the store is next opened
BEING_WRITTEN = "urn:x-cop-graph:store:being-written"
#: from this many facts, a commit writes with the bulk loader (several times faster than a
#: transaction; its two extra small updates cost more than they save on a small change)
BULK_FROM = 5_000


class OxigraphStore(Store):
    """A pyoxigraph store at ``path``, or in memory when ``path`` is None.

    ``memory_reads`` (on-disk stores only) answers queries from a copy held in memory; see
    the module docstring.
    """

    def __init__(self, path: str | Path | None = None, *, memory_reads: bool = False):
        self.location = str(path) if path is not None else "memory:"
        try:
            if path is not None:
                Path(path).mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as error:
            if "lock" in str(error).lower():
                raise StoreInUse(
                    f"the store at {path} is in use by another program (for example a running "
                    "'cop-graph serve'); stop it or use the web app instead"
                ) from error
            raise StoreError(f"cannot open the store at {path}: {error}") from error
        #: the engine queries read: the store itself, or its copy in memory
        self._reader = self._store
        if path is not None:
            self._clean_after_crash()
        if memory_reads:
            self.keep_copy_in_memory()

    def keep_copy_in_memory(self) -> None:
        """Answer queries from a copy in memory from now on (on-disk stores only).

        Separate from opening so that the store's owner can say it holds the store before
        the copy, which takes a while on a large store, is made.
        """
        if self.location != "memory:" and not self.memory_reads:
            copy = ox.Store()
            copy.bulk_extend(self._store.quads_for_pattern(None, None, None, None))
            self._reader = copy

    def _clean_after_crash(self) -> None:
        """Remove what a commit interrupted by a crash left behind, before anyone reads.

        Holding the lock makes this process the only writer, so any staging graph here
        belongs to a commit that will never finish. (The remote backend cannot know that:
        several app workers may share one server, so it never cleans by itself.)
        """
        unfinished = self._unfinished_bulk_writes()
        if unfinished or self._staging_graphs(""):
            # said first: removing a large interrupted write takes about as long as writing it
            _log.warning(
                "Removing what an interrupted change left in the store at %s before opening "
                "it; a large one takes a while.",
                self.location,
            )
        graphs, facts = self.clean_staging()
        if unfinished:
            graphs += len(unfinished)
            facts += sum(self.count(name) for name in unfinished)
            self._update(_unmarking(unfinished, drop=True))
        if graphs:
            _log.warning(
                "Removed %d staging %s (%d facts) that an interrupted change left in the "
                "store at %s.",
                graphs,
                "graph" if graphs == 1 else "graphs",
                facts,
                self.location,
            )
            self._store.flush()

    @property
    def native(self) -> ox.Store:
        """The underlying pyoxigraph store, for benchmarks and streaming serialisers.

        Writing to it directly bypasses the copy in memory (tests and benchmarks only).
        """
        return self._store

    @property
    def reader(self) -> ox.Store:
        """The pyoxigraph store queries read (the copy in memory when there is one)."""
        return self._reader

    @property
    def memory_reads(self) -> bool:
        """Whether queries read a copy held in memory."""
        return self._reader is not self._store

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: Iterable[URIRef] | None = None,
        named_graphs: Iterable[URIRef] | None = None,
    ) -> QueryResult:
        return self._evaluate(sparql, convert_answer, bindings, default_graph, named_graphs)

    def query_raw(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: Iterable[URIRef] | None = None,
        named_graphs: Iterable[URIRef] | None = None,
    ) -> RawAnswer:
        return self._evaluate(sparql, raw_answer, bindings, default_graph, named_graphs)

    def select_text(
        self, sparql: str, *, default_graph: Iterable[URIRef] | None = None
    ) -> list[tuple[str, ...]]:
        return self._evaluate(sparql, _as_text, None, default_graph, None)

    def _evaluate(self, sparql, convert, bindings, default_graph, named_graphs):
        options = {"prefixes": PREFIXES}
        if default_graph is None:
            options["use_default_graph_as_union"] = True
        else:
            options["default_graph"] = [ox.NamedNode(str(g)) for g in default_graph]
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(str(g)) for g in named_graphs]
        if bindings:
            options["substitutions"] = {
                ox.Variable(name): to_oxigraph(value) for name, value in bindings.items()
            }
        try:
            # results are computed lazily, so evaluation errors surface while converting
            return convert(self._reader.query(sparql, **options))
        except SyntaxError as error:
            raise QueryError(f"the query is not valid SPARQL: {error}") from error
        except (RuntimeError, ValueError) as error:
            raise QueryError(f"the query cannot be run: {error}") from error

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            return len(self._reader)
        return sum(1 for _ in self._reader.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def graph(self, name: URIRef) -> Graph:
        result = Graph()
        for quad in self._reader.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            result.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return result

    def outgoing(self, nodes: Iterable[Node], exclude: Iterable[URIRef] = ()) -> Graph:
        skipped = {str(name) for name in exclude}
        result = Graph()
        for node in set(nodes):
            if isinstance(node, URIRef):
                subject = ox.NamedNode(str(node))
                for quad in self._reader.quads_for_pattern(subject, None, None, None):
                    graph = quad.graph_name
                    if isinstance(graph, ox.NamedNode) and (
                        graph.value in skipped or graph.value.startswith(STAGING)
                    ):
                        continue
                    result.add((node, to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return result

    def outgoing_native(
        self, nodes: Iterable[ox.NamedNode], exclude: Iterable[URIRef] = ()
    ) -> Iterator[ox.Triple]:
        skipped = {str(name) for name in exclude}
        for node in set(nodes):
            for quad in self._reader.quads_for_pattern(node, None, None, None):
                graph = quad.graph_name
                if isinstance(graph, ox.NamedNode) and (
                    graph.value in skipped or graph.value.startswith(STAGING)
                ):
                    continue
                yield quad.triple

    def dump(self, destination: BinaryIO, rdf_format: str, graphs: Iterable[URIRef] | None = None):
        fmt = RDF_FORMATS[rdf_format]
        names = [
            ox.NamedNode(str(g)) for g in (graphs if graphs is not None else self.named_graphs())
        ]
        if fmt.supports_datasets:
            quads = (
                q for name in names for q in self._reader.quads_for_pattern(None, None, None, name)
            )
            ox.serialize(quads, destination, fmt, prefixes=PREFIXES)
        else:
            triples = (
                ox.Triple(q.subject, q.predicate, q.object)
                for name in names
                for q in self._reader.quads_for_pattern(None, None, None, name)
            )
            ox.serialize(triples, destination, fmt, prefixes=PREFIXES)

    def _insert(self, quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> None:
        self._insert_native(
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(str(g)))
            for s, p, o, g in quads
        )

    def _insert_change(
        self, change: Change, targets: Mapping[URIRef, URIRef], catalogue: URIRef
    ) -> None:
        """As the base class, with staged triples copied across in pyoxigraph's own terms.

        A large change bound for staging graphs goes in bulk: pyoxigraph's bulk insert is
        several times faster than its transaction and not atomic, which is safe there, since
        a commit that fails or crashes has its staging graphs removed.
        """
        quads = _native_quads(change, targets, catalogue)
        in_staging = all(str(name).startswith(STAGING) for name in [*targets.values(), catalogue])
        if in_staging and _goes_in_bulk(change) and self.location != "memory:":
            self._bulk_insert(quads)
        else:
            self._insert_native(quads)

    def _commit_new(self, change: Change) -> None:
        """New graphs of a large change go in bulk, each marked in the catalogue until done.

        The one atomic insert of the base class costs about three times pyoxigraph's bulk
        insert, which is what keeps a checked load near the engine's own speed. A bulk insert
        is not atomic, so each graph is first marked as being written (one small atomic
        update), then written, then catalogued, then unmarked: a failure removes the graphs
        at once; a crash leaves the marks, and opening the store removes the marked graphs,
        so the store holds the state before the commit or the state after it, never part.
        While the facts go in, a query may see some of them: they are new graphs, and
        nothing they replace is touched.
        """
        if self.location == "memory:" or not _goes_in_bulk(change):
            super()._commit_new(change)
            return
        names = list(change.put)
        self._mark_being_written(names)
        try:
            self._bulk_insert(
                _native_quads(Change(put=change.put), {n: n for n in names}, CATALOGUE)
            )
            self._finish_bulk_write(names, change.catalogue)
        except BaseException:
            self._undo_bulk_write(names)
            raise

    def write_ahead(
        self, graph: URIRef, private_graph: URIRef, paths: Sequence[Path]
    ) -> WriteAhead | None:
        """Start writing ``paths`` into the new ``graph`` at once (see :mod:`.write_ahead`).

        None where that cannot be done: a store in memory or with a copy in memory, a graph
        that exists already (replacing is done through staging graphs), or files the engine
        cannot read into one graph as they are, or too small to be worth it.
        """
        if self.location == "memory:" or self.memory_reads or not can_write_ahead(paths):
            return None
        existing = {str(name) for name in self._all_graph_names()}
        if str(graph) in existing or str(private_graph) in existing:
            return None
        return WriteAhead(self, graph, private_graph, paths)

    # --- the steps of a bulk write of new graphs (by _commit_new and WriteAhead) --------

    def _mark_being_written(self, names: list[URIRef]) -> None:
        self._update(_marking(names))
        self._store.flush()  # the marks on disk before any fact they cover

    def _finish_bulk_write(self, names: list[URIRef], catalogue: Graph | None) -> None:
        """The facts on disk, then the graphs' records, then the marks gone: done."""
        self._store.flush()
        self._insert_native(_native_quads(Change(catalogue=catalogue), {}, CATALOGUE))
        self._update(_unmarking(names, drop=False))

    def _undo_bulk_write(self, names: list[URIRef]) -> None:
        self._clean_up_after_failure(lambda: self._update(_unmarking(names, drop=True)))

    def _bulk_load_file(self, path: Path, rdf_format: ox.RdfFormat, graph: ox.NamedNode) -> None:
        """The engine's own bulk load of a file into ``graph`` (not atomic: see callers)."""
        try:
            self._store.bulk_load(path=str(path), format=rdf_format, to_graph=graph)
        finally:
            self.changes += 1

    def _remove_native(self, quads: Iterable[ox.Quad]) -> None:
        """Remove quads one by one (only under a being-written mark: not atomic)."""
        try:
            for quad in quads:
                self._store.remove(quad)
        finally:
            self.changes += 1

    def _rewrite(self, graph: ox.NamedNode, triples: StagedTriples) -> None:
        """Empty ``graph`` and write ``triples`` into it in bulk (under a mark)."""
        self._update(f"CLEAR SILENT GRAPH <{graph.value}>")
        self._bulk_insert(
            ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples.native()
        )

    def _unfinished_bulk_writes(self) -> list[URIRef]:
        rows = self._store.query(
            f"SELECT ?g WHERE {{ GRAPH <{CATALOGUE}> {{ ?g <{BEING_WRITTEN}> true }} }}"
        )
        return [URIRef(row[0].value) for row in rows]

    def _bulk_insert(self, quads: Iterable[ox.Quad]) -> None:
        """Insert quads with pyoxigraph's bulk loader (not atomic: see the callers)."""
        try:
            if not self.memory_reads:
                self._store.bulk_extend(quads)
                return
            quads = list(quads)
            self._store.bulk_extend(quads)
            self._copy(lambda: self._reader.bulk_extend(quads))
        finally:
            self.changes += 1

    def _insert_native(self, converted: Iterable[ox.Quad]) -> None:
        """Insert quads already in pyoxigraph's terms (the owner API's uploads are)."""
        try:
            if not self.memory_reads:
                self._store.extend(converted)
                return
            # read in full first (a source failing half-way then writes nothing anywhere), so
            # that the disk and the copy receive exactly the same quads
            converted = list(converted)
            self._store.extend(converted)
            self._copy(lambda: self._reader.extend(converted))
        finally:
            self.changes += 1  # counted once the copy has it too (see Store.changes)

    def _update(self, sparql_update: str) -> None:
        try:
            self._store.update(sparql_update)
            if self.memory_reads:
                self._copy(lambda: self._reader.update(sparql_update))
        finally:
            self.changes += 1

    def _copy(self, write) -> None:
        """Apply a write the disk already took to the copy in memory, or stop using the copy."""
        try:
            write()
        except Exception as error:  # the disk holds the change: reading from it stays correct
            # the error's type only: its text could quote the data
            _log.error(
                "the copy of the store in memory failed (%s); reading from disk from now on",
                type(error).__name__,
            )
            self._reader = self._store

    def _all_graph_names(self) -> list[URIRef]:
        return [URIRef(g.value) for g in self._reader.named_graphs() if isinstance(g, ox.NamedNode)]

    def close(self) -> None:
        if self.location != "memory:":
            self._store.flush()
        del self._store, self._reader


def _as_text(result) -> list[tuple[str, ...]]:
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("select_text needs a SELECT query")
    width = len(result.variables)
    return [
        tuple("" if (term := solution[i]) is None else term.value for i in range(width))
        for solution in result
    ]


def _native_quads(
    change: Change, targets: Mapping[URIRef, URIRef], catalogue: URIRef
) -> Iterable[ox.Quad]:
    """The quads of ``change`` in pyoxigraph's terms; staged triples are not converted."""
    for name, triples in change.put.items():
        target = ox.NamedNode(str(targets[name]))
        if isinstance(triples, StagedTriples):
            staged = triples.store.quads_for_pattern(None, None, None, triples.graph)
            if triples.graph == target:  # staged under its own name: copied as it is
                yield from staged
            else:
                yield from (ox.Quad(q.subject, q.predicate, q.object, target) for q in staged)
        else:
            for s, p, o in triples:
                yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target)
    if change.catalogue is not None:
        graph = ox.NamedNode(str(catalogue))
        for s, p, o in change.catalogue:
            yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph)


def _goes_in_bulk(change: Change) -> bool:
    """Whether ``change`` is large enough for the bulk loader to pay for its extra steps."""
    if any(isinstance(triples, StagedTriples) for triples in change.put.values()):
        return True
    sizes = (len(triples) if hasattr(triples, "__len__") else 0 for triples in change.put.values())
    return sum(sizes) >= BULK_FROM


def _marking(names: Iterable[URIRef]) -> str:
    marks = " ".join(f"<{name}> <{BEING_WRITTEN}> true ." for name in names)
    return f"INSERT DATA {{ GRAPH <{CATALOGUE}> {{ {marks} }} }}"


def _unmarking(names: Iterable[URIRef], *, drop: bool) -> str:
    """The update removing the marks of ``names`` and, with ``drop``, the graphs themselves."""
    names = list(names)
    marks = " ".join(f"<{name}> <{BEING_WRITTEN}> true ." for name in names)
    steps = _removal_steps(names) if drop else []
    steps.append(f"DELETE DATA {{ GRAPH <{CATALOGUE}> {{ {marks} }} }}")
    return " ;\n".join(steps)
