"""Gzipped dumps of the public dataset, written once per state of the data and then reused.

A dump holds exactly the graphs the SPARQL endpoint can read (:meth:`Scope.public
<cop_graph.scope.Scope.public>`), so people's private details are never in it. Facts linking
to anything but a web address (a ``javascript:`` IRI that reached the store, say) are left
out, by the same rule as the pages (:func:`cop_graph.ids.is_web_link`). Files are rebuilt
when the catalogue changes (every load, import or removal rewrites it) and served from disk,
so a large dataset is never held in memory.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from cop_graph.ids import is_web_link
from cop_graph.namespaces import PREFIXES
from cop_graph.queries.catalogue import list_graphs
from cop_graph.scope import Scope

__all__ = ["DUMPS", "Dump", "DumpCache"]

_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE}


@dataclass(frozen=True)
class Dump:
    """One downloadable file: its name, the store's format name, media type and description."""

    filename: str
    rdf_format: str
    media_type: str
    label: str


DUMPS = {
    dump.filename: dump
    for dump in (
        Dump(
            "cop-graph-public.nq.gz",
            "nquads",
            "application/n-quads",
            "N-Quads, one line per fact, with the graph it belongs to",
        ),
        Dump(
            "cop-graph-public.ttl.gz",
            "turtle",
            "text/turtle",
            "Turtle, all public graphs merged into one",
        ),
    )
}


class DumpCache:
    """Dump files in a private temporary folder, keyed by the state of the catalogue."""

    def __init__(self):
        self._folder = Path(tempfile.mkdtemp(prefix="cop-graph-dumps-"))
        self._lock = threading.Lock()
        # removed when the cache is closed, collected or the process exits: every app made
        # (tests make hundreds) would otherwise leave a folder behind
        self._remove = weakref.finalize(self, shutil.rmtree, self._folder, ignore_errors=True)

    def file(self, store, filename: str) -> Path:
        """The dump ``filename`` (a key of :data:`DUMPS`) for the data as it is now."""
        dump = DUMPS[filename]
        graphs = [str(g) for g in Scope.public(store).graphs]
        path = self._folder / f"{_stamp(store, graphs)}-{filename}"
        with self._lock:
            if not path.exists():
                for old in self._folder.glob(f"*-{filename}"):
                    old.unlink()
                raw_quads = self._folder / "all.nq.partial"
                with raw_quads.open("wb") as out:
                    store.dump(out, "nquads", graphs)
                handle, partial = tempfile.mkstemp(dir=self._folder, suffix=".partial")
                with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as out:
                    _write_safe(raw_quads, out, dump.rdf_format)
                raw_quads.unlink()
                os.replace(partial, path)
        return path

    def close(self) -> None:
        self._remove()


def _is_safe(term) -> bool:
    return not isinstance(term, ox.NamedNode) or is_web_link(term.value)


def _write_safe(nquads: Path, out, rdf_format: str) -> None:
    """Copy ``nquads`` to ``out`` in ``rdf_format``, leaving out facts with unsafe links."""
    quads = (
        q
        for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        if _is_safe(q.subject) and _is_safe(q.predicate) and _is_safe(q.object)
    )
    fmt = _FORMATS[rdf_format]
    if not fmt.supports_datasets:
        quads = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    ox.serialize(quads, out, fmt, prefixes=PREFIXES)


def _stamp(store, graphs: list[str]) -> str:
    records = sorted((r.graph, r.when, r.triples, r.checksum) for r in list_graphs(store))
    return hashlib.sha256(repr((graphs, records)).encode()).hexdigest()[:16]
