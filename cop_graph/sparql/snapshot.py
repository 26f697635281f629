"""The web process's side of the endpoint's query processes (see :mod:`cop_graph.sparql.worker`).

:class:`Holder` starts the snapshot holder and asks it to load the public graphs or fork a
worker; :class:`Worker` is one forked worker, which the web process asks questions and kills
at the time limit; :func:`write_snapshot` writes the public graphs for the holder to load.
"""

from __future__ import annotations

import contextlib
import glob
import os
import signal
import socket
import subprocess
import sys
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

__all__ = ["Holder", "Worker", "write_snapshot"]

#: seconds the holder may take to start or to fork a worker
STARTUP_LIMIT = 60.0
#: seconds the holder may take to load a snapshot (a million facts take about 5 s)
LOAD_LIMIT = 600.0


class Worker:
    """One worker process: a copy of the snapshot it was forked with, and the socket to it."""

    def __init__(self, connection: Connection, pid: int, generation: int, spool_dir: str):
        self.connection = connection
        self.pid = pid
        #: which snapshot it holds (the runner's count of snapshots loaded)
        self.generation = generation
        self._spool_dir = spool_dir
        # a handle on the process itself, so that a kill can never reach another process that
        # was later given the same number
        try:
            self._handle: int | None = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self._handle = None

    def kill(self) -> None:
        """Stop the worker at once, whatever it is doing, and remove its half-written answer."""
        with contextlib.suppress(ProcessLookupError, OSError):
            if self._handle is not None:
                signal.pidfd_send_signal(self._handle, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        self.close()
        for path in glob.glob(os.path.join(glob.escape(self._spool_dir), f"{self.pid}-*")):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    def close(self) -> None:
        """Let the worker go: it ends when it sees its socket closed."""
        self.connection.close()
        if self._handle is not None:
            with contextlib.suppress(OSError):
                os.close(self._handle)
            self._handle = None


class Holder:
    """The snapshot holder process (started at once, empty until :meth:`load`)."""

    def __init__(self):
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cop_graph.sparql.worker", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self._control = Connection(ours.detach())
        # the same socket, for the file descriptors of forked workers' sockets
        self._passing = socket.socket(fileno=os.dup(self._control.fileno()))
        try:
            hello = self._answer(STARTUP_LIMIT)
        except OSError:
            self.close()
            raise
        #: whether the holder and its workers run without network access
        self.isolated = bool(hello.get("isolated"))

    def _answer(self, limit: float):
        try:
            if self._control.poll(limit):
                return self._control.recv()
        except EOFError:
            pass
        raise OSError("the query snapshot holder stopped answering")

    def alive(self) -> bool:
        return self.process.poll() is None

    def load(self, graphs: list[tuple[str, str]]) -> None:
        """Replace the snapshot with ``(graph IRI, N-Triples file)`` pairs."""
        self._control.send(("load", graphs))
        answer = self._answer(LOAD_LIMIT)
        if answer[0] != "loaded":
            raise OSError(f"the query snapshot could not be loaded ({answer[1]})")

    def fork(self, generation: int, spool_dir: str) -> Worker:
        """A new worker holding the snapshot loaded last."""
        self._control.send(("fork", spool_dir))
        answer = self._answer(STARTUP_LIMIT)
        if answer[0] != "forked":
            raise OSError(f"the query snapshot holder could not start a worker ({answer[1]})")
        _, handles, _, _ = socket.recv_fds(self._passing, 1, 1)
        if len(handles) != 1:
            raise OSError("the query snapshot holder stopped answering")
        return Worker(Connection(handles[0]), answer[1], generation, spool_dir)

    def close(self) -> None:
        """End the holder (its workers end when their sockets close)."""
        self._control.close()
        self._passing.close()
        if self.alive():
            self.process.kill()
        self.process.wait()


def write_snapshot(reader: ox.Store, graphs: list[str], folder: Path) -> list[tuple[str, str]]:
    """Write each of ``graphs`` from ``reader`` to its own N-Triples file in ``folder``.

    pyoxigraph writes each graph itself, without a Python object per fact.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for n, iri in enumerate(graphs):
        path = str(folder / f"{n}.nt")
        reader.dump(path, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
        written.append((iri, path))
    return written
