"""Gzipped dumps of the public dataset, written once per state of the data and then reused.

A dump holds exactly the graphs the SPARQL endpoint can read (:func:`public_graphs`), so
people's private details are never in it. Files are rebuilt when the catalogue changes
(every load, import or removal rewrites it) and served from disk, so a large dataset is
never held in memory.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from cop_graph.catalogue import list_graphs
from cop_graph.sparql.dataset import public_graphs

__all__ = ["DUMPS", "Dump", "DumpCache"]


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

    def file(self, store, filename: str) -> Path:
        """The dump ``filename`` (a key of :data:`DUMPS`) for the data as it is now."""
        dump = DUMPS[filename]
        graphs = public_graphs(store)
        path = self._folder / f"{_stamp(store, graphs)}-{filename}"
        with self._lock:
            if not path.exists():
                for old in self._folder.glob(f"*-{filename}"):
                    old.unlink()
                handle, partial = tempfile.mkstemp(dir=self._folder, suffix=".partial")
                with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as out:
                    store.dump(out, dump.rdf_format, graphs)
                os.replace(partial, path)
        return path

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)


def _stamp(store, graphs: list[str]) -> str:
    records = sorted((r.graph, r.when, r.triples, r.checksum) for r in list_graphs(store))
    return hashlib.sha256(repr((graphs, records)).encode()).hexdigest()[:16]
