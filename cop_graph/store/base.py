"""The one store interface every backend implements, and the commit protocol they share.

Why a commit protocol of our own: neither pyoxigraph's Python API nor SPARQL 1.1 offers a
transaction spanning "drop these graphs, write those, record their provenance". Both offer
two atomic steps, and two are enough:

1. insert every new triple into fresh *staging* graphs (``Store.extend`` / one Graph Store
   POST per graph), invisible to readers of the real graphs;
2. one SPARQL Update that drops the replaced graphs, ``MOVE``s each staging graph onto its
   real name and rewrites the catalogue: again all or nothing.

If either step fails the staging graphs are removed and the store is exactly as before. A crash
between the steps leaves only staging graphs, which :meth:`Store.clean_staging` removes; the
embedded on-disk store does so each time it is opened (see :mod:`cop_graph.store.oxigraph`).

When a change replaces nothing (every graph it writes is new, every graph it drops is already
gone) one step is enough: its triples and catalogue records go straight to their real graphs
in a single insert. That is the common case (a first load, ``init``), and it avoids ``MOVE``,
which copies every triple again and costs several times the insert.
"""

from __future__ import annotations

import logging
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from cop_graph.errors import QueryError, StoreError
from cop_graph.files.terms import Triple
from cop_graph.namespaces import GRAPH

__all__ = [
    "CATALOGUE",
    "Change",
    "QueryResult",
    "RawAnswer",
    "RawSolutions",
    "RawTriples",
    "SelectResult",
    "STAGING",
    "Store",
    "StoreInUse",
    "Triple",
]

_log = logging.getLogger(__name__)

#: the named graph holding one provenance record per named graph
CATALOGUE = GRAPH.catalogue
#: prefix of the IRIs of staging graphs (never seen outside a commit)
STAGING = str(GRAPH) + "staging/"


@dataclass
class SelectResult:
    """The answer to a SELECT query: variable names and rows of rdflib terms (None if unbound)."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]]

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, Node]]:
        """Rows as ``{variable: term}``, leaving out unbound variables."""
        return [
            {
                name: value
                for name, value in zip(self.variables, row, strict=True)
                if value is not None
            }
            for row in self.rows
        ]

    def scalar(self) -> Node | None:
        """The single value of a one-row, one-column answer (e.g. a COUNT)."""
        if len(self.rows) != 1 or len(self.variables) != 1:
            raise ValueError("expected exactly one row with one value")
        return self.rows[0][0]


class StoreInUse(StoreError):
    """Another process holds the on-disk store (RocksDB lets one process open it at a time).

    :mod:`cop_graph.store.owner` catches it to find out who, and to wait or work through them.
    """


#: SELECT → SelectResult, ASK → bool, CONSTRUCT/DESCRIBE → rdflib Graph
QueryResult = SelectResult | bool | Graph


class _RawStream:
    """An answer in pyoxigraph's own terms, read once, as the engine or the parser gives it.

    Why not rdflib terms: building one costs more than the engine spends finding it (at a
    million facts, 2–8× the query on large answers), and callers that write text, files or
    their own structures need only each term's ``value``. Why read once: the rows come
    straight from the engine (or the server's parsed answer) without a list in between; an
    embedded store's evaluation errors surface while reading and arrive as
    :class:`QueryError` all the same. ``list()`` it to read it twice.
    """

    def __init__(self, answer, error_prefix: str = "the query cannot be run"):
        self._answer = answer
        self._error_prefix = error_prefix
        self._read = False

    def _take(self):
        """The engine's answer, let go of here: it holds the store open (an on-disk store's
        lock too) for as long as anything refers to it, a finished answer included."""
        if self._read:
            raise QueryError("this answer has been read already; keep a list() of it instead")
        self._read = True
        answer, self._answer = self._answer, None
        return answer

    def __iter__(self):
        answer = self._take()
        try:
            yield from answer
        except (RuntimeError, ValueError, SyntaxError) as error:
            raise QueryError(f"{self._error_prefix}: {error}") from error

    def _serialize(self, write):
        try:
            return write()
        except (RuntimeError, ValueError, SyntaxError) as error:
            raise QueryError(f"{self._error_prefix}: {error}") from error


class RawSolutions(_RawStream):
    """A SELECT answer as pyoxigraph ``QuerySolution`` rows (see :class:`_RawStream`).

    A row gives its terms by position or by variable name (``row[0]``, ``row["label"]``),
    ``None`` when unbound; each term's ``value`` is its IRI, text or blank node id.
    """

    def __init__(self, answer: ox.QuerySolutions, error_prefix: str = "the query cannot be run"):
        super().__init__(answer, error_prefix)
        #: the answer's column names, in order
        self.variables = [variable.value for variable in answer.variables]

    def serialize(self, results_format: ox.QueryResultsFormat) -> bytes:
        """The whole answer in a SPARQL results format (JSON, XML, CSV or TSV), written by
        pyoxigraph without a Python object per term."""
        answer = self._take()
        return self._serialize(lambda: answer.serialize(format=results_format))


class RawTriples(_RawStream):
    """A CONSTRUCT or DESCRIBE answer as pyoxigraph ``Triple`` objects (see :class:`_RawStream`)."""

    def serialize(self, rdf_format: ox.RdfFormat, prefixes: Mapping[str, str] | None = None):
        """The whole answer as RDF text (Turtle, N-Triples …), written by pyoxigraph."""
        answer = self._take()
        return self._serialize(
            lambda: ox.serialize(answer, format=rdf_format, prefixes=dict(prefixes or {}))
        )


#: SELECT → RawSolutions, ASK → bool, CONSTRUCT/DESCRIBE → RawTriples
RawAnswer = RawSolutions | bool | RawTriples


@dataclass
class Change:
    """Whole-graph writes applied together or not at all.

    ``put`` maps a graph IRI to its complete new content (an existing graph of that name is
    replaced); ``drop`` names graphs to remove; ``catalogue`` holds the provenance records
    of the graphs in ``put`` (records of replaced and dropped graphs are removed).
    """

    put: Mapping[URIRef, Iterable[Triple]] = field(default_factory=dict)
    drop: Iterable[URIRef] = ()
    catalogue: Graph | None = None


class Store(ABC):
    """A quad store holding the project's named graphs.

    Queries see the union of all named graphs as their default graph unless
    ``default_graph`` says otherwise; nothing is ever written to the store's own default graph.
    """

    #: where the store is (a path, ``memory:`` or a URL), for messages
    location: str
    #: writes made through this object so far: a reader that keeps its own copy of the data
    #: (the SPARQL endpoint's snapshot) refreshes it when the number moves. Counted after the
    #: write, so a reader that sees the new number also sees the new data.
    changes: int = 0

    # -- reading ---------------------------------------------------------------------------
    @abstractmethod
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: Iterable[URIRef] | None = None,
        named_graphs: Iterable[URIRef] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query with the project's prefixes predeclared.

        ``bindings`` fix variables to values before evaluation (never by editing the text).
        ``default_graph`` restricts the default graph to the union of the given graphs;
        ``named_graphs`` restricts what ``GRAPH`` can see.
        """

    @abstractmethod
    def query_raw(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: Iterable[URIRef] | None = None,
        named_graphs: Iterable[URIRef] | None = None,
    ) -> RawAnswer:
        """:meth:`query`, answering in pyoxigraph's own terms, without making rdflib terms.

        For callers that write the answer out (the command line's outputs, downloads) or read
        only each term's text: on large answers, making rdflib terms costs several times the
        query itself. The answer is read once (see :class:`RawSolutions`).
        """

    def select_text(
        self,
        sparql: str,
        *,
        default_graph: Iterable[URIRef] | None = None,
    ) -> list[tuple[str, ...]]:
        """The rows of a SELECT query as plain text: IRIs and literal values ("" if unbound).

        For code that turns a large answer into its own structures (the analysis graphs)
        and needs neither datatypes nor languages: no rdflib term is made (see
        :meth:`query_raw`), which would cost more than the query itself on large answers.
        """
        result = self.query_raw(sparql, default_graph=default_graph)
        if not isinstance(result, RawSolutions):
            raise QueryError("select_text needs a SELECT query")
        return [tuple("" if term is None else term.value for term in row) for row in result]

    def named_graphs(self) -> list[URIRef]:
        """The names of the graphs in the store, staging graphs excluded, sorted."""
        return sorted(name for name in self._all_graph_names() if not name.startswith(STAGING))

    @abstractmethod
    def count(self, graph: URIRef | None = None) -> int:
        """Number of quads in ``graph``, or in the whole store."""

    @abstractmethod
    def graph(self, name: URIRef) -> Graph:
        """A copy of one named graph as an rdflib Graph."""

    @abstractmethod
    def outgoing(self, nodes: Iterable[Node], exclude: Iterable[URIRef] = ()) -> Graph:
        """Every triple whose subject is one of ``nodes``, from any graph but those in ``exclude``.

        Validation uses it to see what changed data links to without reading the whole store;
        ``exclude`` leaves out the graphs a change is about to replace; staging graphs are
        never read.
        """

    def outgoing_native(
        self, nodes: Iterable[ox.NamedNode], exclude: Iterable[URIRef] = ()
    ) -> Iterator[ox.Triple]:
        """:meth:`outgoing` in pyoxigraph's terms, for a load staged in pyoxigraph.

        The embedded store reads its own terms; other backends convert :meth:`outgoing`.
        """
        from cop_graph.files.terms import to_oxigraph

        asked = [URIRef(node.value) for node in nodes]
        for s, p, o in self.outgoing(asked, exclude=exclude):
            yield ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))

    @abstractmethod
    def dump(self, destination: BinaryIO, rdf_format: str, graphs: Iterable[URIRef] | None = None):
        """Write graphs (default: all) as nquads, trig, jsonld, turtle or ntriples.

        Triple formats merge the graphs into one.
        """

    # -- writing ---------------------------------------------------------------------------
    @abstractmethod
    def _insert(self, quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> None:
        """Insert quads, atomically where the backend can (:meth:`commit` cleans up otherwise)."""

    @abstractmethod
    def _update(self, sparql_update: str) -> None:
        """Run one SPARQL Update atomically. Only trusted, internally built text comes here."""

    def write_ahead(self, graph: URIRef, private_graph: URIRef, paths):
        """Start writing large files into a new graph while the loader checks them, or None
        (here: always None; the embedded store can, see :mod:`cop_graph.store.write_ahead`).
        """
        return None

    def commit(self, change: Change) -> None:
        """Apply ``change`` atomically (see the module docstring for how)."""
        if any(str(name).startswith(STAGING) for name in [*change.put, *change.drop]):
            raise ValueError("staging graphs cannot be written directly")
        existing = set(self._all_graph_names())
        replaced = [name for name in [*change.put, *change.drop] if name in existing]
        if replaced:
            self._commit_staged(change, replaced)
        else:
            self._commit_new(change)

    def _commit_new(self, change: Change) -> None:
        """Write graphs that do not exist yet, with their records, in one insert."""
        targets = {name: name for name in change.put}
        try:
            self._insert_change(change, targets, CATALOGUE)
        except BaseException:
            # the embedded store wrote nothing; a remote one may hold part of the uploads
            self._clean_up_after_failure(
                lambda: self._update(" ;\n".join(_removal_steps(change.put)))
            )
            raise

    def _commit_staged(self, change: Change, replaced: list[URIRef]) -> None:
        """Stage the new graphs, then swap them in with one update."""
        run = uuid.uuid4().hex
        staging = {name: URIRef(f"{STAGING}{run}/{n}") for n, name in enumerate(change.put)}
        staged_catalogue = URIRef(f"{STAGING}{run}/catalogue")
        steps = _removal_steps(replaced)
        steps += [f"DELETE WHERE {{ GRAPH <{CATALOGUE}> {{ <{n}> ?p ?o }} }}" for n in change.put]
        for name, staged in staging.items():
            steps.append(f"MOVE SILENT GRAPH <{staged}> TO GRAPH <{name}>")
        steps.append(f"ADD SILENT GRAPH <{staged_catalogue}> TO GRAPH <{CATALOGUE}>")
        steps.append(f"DROP SILENT GRAPH <{staged_catalogue}>")
        try:
            # a remote server takes one upload per graph, so step 1 can fail half-way too
            self._insert_change(change, staging, staged_catalogue)
            self._update(" ;\n".join(steps))
        except BaseException:
            self._clean_up_after_failure(lambda: self._drop_staging(run))
            raise

    def _clean_up_after_failure(self, clean_up) -> None:
        """Undo what a failed write left, keeping the write's own error for the caller.

        If the clean-up fails too (the server that refused the write refuses the removal),
        its error would otherwise replace the one that says what went wrong; it is logged
        instead, and what is left is removed later (staging graphs by ``clean_staging``).
        """
        try:
            clean_up()
        except Exception as error:  # the first error is the one to report
            # the error's type only: its text could quote the data
            _log.error(
                "A failed write could not be undone at once (%s); what it left in %s is "
                "removed by the next clean-up.",
                type(error).__name__,
                self.location,
            )

    def _insert_change(
        self, change: Change, targets: Mapping[URIRef, URIRef], catalogue: URIRef
    ) -> None:
        """Insert the quads of ``change`` (see :func:`_quads`). The embedded store overrides
        it to copy :class:`~cop_graph.store.staged.StagedTriples` without rdflib terms."""
        self._insert(_quads(change, targets, catalogue))

    def drop(self, names: Iterable[URIRef]) -> None:
        """Remove graphs and their catalogue records, atomically."""
        self.commit(Change(drop=list(names)))

    def clean_staging(self) -> tuple[int, int]:
        """Remove staging graphs left behind by an interrupted commit; say how many graphs
        and facts went.

        Only safe while no commit is under way, since it cannot tell a crashed commit's
        staging graphs from those of a commit in flight: the embedded on-disk store calls it
        when it opens (nobody else can be writing then), the remote store never by itself.
        """
        leftovers = self._staging_graphs("")
        facts = sum(self.count(name) for name in leftovers)
        self._drop_staging("")
        return len(leftovers), facts

    def _staging_graphs(self, run: str) -> list[URIRef]:
        prefix = f"{STAGING}{run}"
        return [name for name in self._all_graph_names() if str(name).startswith(prefix)]

    def _drop_staging(self, run: str) -> None:
        leftovers = self._staging_graphs(run)
        if leftovers:
            self._update(" ;\n".join(f"DROP SILENT GRAPH <{name}>" for name in leftovers))

    @abstractmethod
    def _all_graph_names(self) -> list[URIRef]:
        """Every named graph, staging graphs included."""

    def close(self) -> None:  # noqa: B027 - backends holding nothing need not override it
        """Release the store (file locks, connections)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _quads(
    change: Change, targets: Mapping[URIRef, URIRef], catalogue: URIRef
) -> Iterator[tuple[Node, Node, Node, URIRef]]:
    """The quads of ``change``: each put graph's triples to its target, records to ``catalogue``."""
    for name, triples in change.put.items():
        for s, p, o in triples:
            yield s, p, o, targets[name]
    if change.catalogue is not None:
        for s, p, o in change.catalogue:
            yield s, p, o, catalogue


def _removal_steps(names: Iterable[URIRef]) -> list[str]:
    """Update steps removing graphs and their catalogue records."""
    steps = []
    for name in names:
        steps.append(f"DROP SILENT GRAPH <{name}>")
        steps.append(f"DELETE WHERE {{ GRAPH <{CATALOGUE}> {{ <{name}> ?p ?o }} }}")
    return steps
