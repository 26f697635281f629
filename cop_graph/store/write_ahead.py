"""New graphs written by the engine straight from their files while the loader checks them.

pyoxigraph's bulk loader writes a large file to disk on one core and lets go of Python's
lock while it does. A checked load otherwise does everything in turn: parse the files into
a staging store, check them, split off people's private facts, then write. Here the engine
starts writing the files into their new graph at once, in a thread of its own, while the
loader parses the same files into its staging store and checks them on the other core;
measured at a million facts, the write (about 10 s) then hides the parse, the private
split and most of the checks. On a machine with one core the files are read once and
written after the checks, as before.

What the loader changes in the data before it is saved (facts mentioning SHACL removed,
memberships in other standard forms rewritten, people's private facts moved to their own
graph) is applied to the written graph afterwards, fact by fact: a few percent of a load.
The parser gives blank nodes new names each time it reads a file, so a change that names a
blank node cannot find it in the written graph; then the graph is written again from the
staging store instead. The files are read twice, so a file changed on disk during the load
(its size or time of change differs after the engine read it) fails the load, which is
undone: what was checked is then not what was written.

The new graphs are marked as being written in the catalogue before the first fact goes in,
as for any large new graph (see :meth:`OxigraphStore._commit_new
<cop_graph.store.oxigraph.OxigraphStore._commit_new>`): a crash leaves the marks, and the
next opening of the store removes the marked graphs, so the store holds the state before
the load or the state after it. A load that is refused is undone the same way, once the
engine has finished reading the file (it cannot be stopped half-way), so a refusal of a
large file comes after about the time the write takes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, URIRef

from cop_graph.errors import LoadError
from cop_graph.files.rdf import format_of
from cop_graph.store.staged import StagedTriples

if TYPE_CHECKING:  # the store hands itself over: no import at run time
    from cop_graph.store.oxigraph import OxigraphStore

__all__ = ["WRITE_AHEAD_FROM", "WriteAhead", "a_core_is_free", "can_write_ahead"]

#: from this many bytes of files, a new graph is written ahead (a smaller load is over in a
#: blink either way, and its one atomic transaction needs no marks)
WRITE_AHEAD_FROM = 256 * 1024
#: formats the engine reads into one named graph as they are; a dataset's own graphs would
#: land where the file says, and RDF/XML is first checked for declarations by the loader
_READ_AS_THEY_ARE = {ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE}


def a_core_is_free() -> bool:
    """Whether the machine has a second core for the engine's write.

    By the number of cores, not by how busy they are now: a load average counts the load's
    own work (two loads one after the other would take different paths), and a machine
    busy with other work only makes the overlap cost a little more than it saves (measured
    at 100k facts with other work on both cores: 2.29 s against 2.01 s for a checked load
    written after its checks; on a free machine 1.40 s against 1.81 s).
    """
    return (os.cpu_count() or 1) > 1


def can_write_ahead(paths: Sequence[Path]) -> bool:
    """Whether the engine can write these files as they are, and they are worth it."""
    try:
        formats = {format_of(path) for path in paths}
        size = sum(path.stat().st_size for path in paths)
    except Exception:  # an unknown format or a missing file: the loader says what is wrong
        return False
    return formats <= _READ_AS_THEY_ARE and size >= WRITE_AHEAD_FROM and a_core_is_free()


class WriteAhead:
    """The engine writing ``paths`` into the new graph ``graph`` (with ``private_graph``
    kept for its private part), from construction until :meth:`finish` or :meth:`abandon`.
    """

    def __init__(
        self, store: OxigraphStore, graph: URIRef, private_graph: URIRef, paths: Iterable[Path]
    ):
        self._store = store
        self._names = [graph, private_graph]
        self._graph = ox.NamedNode(str(graph))
        self._private = ox.NamedNode(str(private_graph))
        self._paths = list(paths)
        self._as_read = _file_states(self._paths)
        self._error: BaseException | None = None
        self._ended = False
        store._mark_being_written(self._names)
        self._thread = threading.Thread(target=self._write, name="write-ahead", daemon=True)
        self._thread.start()

    def _write(self) -> None:
        try:
            for path in self._paths:
                self._store._bulk_load_file(path, format_of(path), self._graph)
        except BaseException as error:  # handed to the loader's thread by _wait
            self._error = error

    def _wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error
        for path, before, after in zip(
            self._paths, self._as_read, _file_states(self._paths), strict=True
        ):
            if before != after:
                raise LoadError(
                    "the file changed while it was being loaded, so what was checked may not "
                    "be what would be saved; nothing was saved: load it again",
                    location=str(path),
                )

    def finish(
        self,
        *,
        removed: Sequence[ox.Quad],
        added: Sequence[ox.Quad],
        public: StagedTriples,
        private: StagedTriples,
        catalogue: Graph,
    ) -> None:
        """Bring the written graph to the staging store's state, record it, and unmark it.

        ``removed`` and ``added`` are the loader's changes to the files' facts (in the public
        graph); ``public`` and ``private`` the graphs as they must end. Undone on failure.
        """
        try:
            self._wait()
            moved = list(private.native())
            leaving = [
                *removed,
                *(ox.Quad(t.subject, t.predicate, t.object, self._graph) for t in moved),
            ]
            if any(_names_blank_node(quad) for quad in [*leaving, *added]):
                self._store._rewrite(self._graph, public)
            else:
                self._store._remove_native(leaving)
                self._store._insert_native(added)
            self._store._insert_native(
                ox.Quad(t.subject, t.predicate, t.object, self._private) for t in moved
            )
            self._store._finish_bulk_write(self._names, catalogue)
            self._ended = True
        except BaseException:
            self.abandon()
            raise

    def abandon(self) -> None:
        """Undo the write (the load was refused or failed), once the engine has finished.

        Nothing is done a second time, nor after the write has finished."""
        if self._ended:
            return
        self._ended = True
        try:
            self._thread.join()
        finally:
            self._store._undo_bulk_write(self._names)


def _names_blank_node(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


def _file_states(paths: Iterable[Path]) -> list[tuple[int, int]]:
    """Each file's size and time of last change: what tells that it was written to."""
    return [(stat.st_size, stat.st_mtime_ns) for stat in (path.stat() for path in paths)]
