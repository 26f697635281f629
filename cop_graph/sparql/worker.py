"""The endpoint's query processes: ``python -m cop_graph.sparql.worker FD``.

Neither engine can be interrupted from Python, and a killed process is the only stop that
really stops a runaway query. So queries run in processes of their own, and they read a copy
of the public graphs held in memory, as fast as pyoxigraph directly, rather than a copy on disk
(about 6× slower at a million facts).

The command starts the *snapshot holder*: a small process that never runs a query. It keeps
the public graphs in an in-memory pyoxigraph store, loaded from files the web process writes
(:mod:`cop_graph.sparql.snapshot`), and on request forks a *worker*. A forked worker starts at
once with the holder's data, shared page by page until either side writes (copy-on-write), and
answers queries over its own socket until the web process closes it, or kills it at the time
limit. The holder has one thread, so forking it is safe (forking the web process, with its
server threads, would not be: a lock held by another thread at the fork stays locked for good
in the child).

Before anything else the holder tries to drop into a network namespace of its own, with no
network at all, and its workers inherit it: a second wall behind the query guard, so that even
a query the guard missed could not reach another server. Where the system does not allow it,
the guard alone stands. The holder holds no private graph, so a worker has none to leak.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys
from multiprocessing.connection import Connection

import pyoxigraph as ox

from cop_graph.sparql.engine import Job, Outcome, evaluate_native
from cop_graph.sparql.spool import Spool

__all__ = ["hold", "isolate_network", "serve"]

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def isolate_network() -> bool:
    """Leave the machine's network (Linux namespaces); True if it worked.

    Must run while the process has one thread: the kernel refuses a new user namespace to a
    process with several.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    unshare = getattr(libc, "unshare", None)
    if unshare is None:
        return False
    return unshare(_CLONE_NEWNET) == 0 or unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0


def load(graphs: list[tuple[str, str]]) -> ox.Store:
    """A store in memory with each ``(graph IRI, N-Triples file)`` loaded into its graph.

    Blank nodes keep their identity within a graph; data never shares one between graphs here
    (each file or workbook loads into its own graph).
    """
    store = ox.Store()
    for iri, path in graphs:
        name = ox.NamedNode(iri)
        store.add_graph(name)  # an empty graph still exists, as in the live store
        store.load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
    return store


def hold(control: Connection) -> None:
    """Be the snapshot holder: load snapshots and fork workers as asked, until the pipe closes.

    Messages: ``("load", [(iri, path), …])`` answered ``("loaded",)`` or ``("failed",
    message)``; ``("fork", spool_dir)`` answered ``("forked", pid)`` followed by the web
    process's end of the worker's socket, passed as a file descriptor, or ``("failed",
    message)`` while no snapshot is loaded (a failed load leaves none, never a partial one).
    """
    isolated = isolate_network()
    # Ctrl+C in a terminal reaches every process of the server: the web process decides
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # workers are children of the holder; the system reaps them when they end
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    control.send({"isolated": isolated})
    passing = socket.socket(fileno=os.dup(control.fileno()))
    store: ox.Store | None = None
    while True:
        try:
            message = control.recv()
        except EOFError:
            return
        if message[0] == "load":
            store = None  # the old snapshot's memory goes back before the new one loads
            try:
                store = load(message[1])
            except (OSError, SyntaxError, ValueError) as error:
                control.send(("failed", f"{type(error).__name__}: {error}"))
            else:
                control.send(("loaded",))
        elif message[0] == "fork":
            if store is None:
                control.send(("failed", "no snapshot is loaded"))
            else:
                _fork(store, control, passing, message[1])


def _fork(store: ox.Store, control: Connection, passing: socket.socket, spool_dir: str) -> None:
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            control.close()
            passing.close()
            theirs.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            serve(Connection(ours.detach()), store, spool_dir)
        finally:
            os._exit(0)
    ours.close()
    control.send(("forked", pid))
    socket.send_fds(passing, [b"w"], [theirs.fileno()])
    theirs.close()


def _never() -> bool:
    return False


def serve(connection: Connection, store: ox.Store, spool_dir: str) -> None:
    """Be a worker: answer jobs until the pipe closes.

    Answers past a megabyte go to a file in ``spool_dir`` named after this process, so that
    the web process can remove what a worker killed half-way left behind.
    """
    prefix = f"{os.getpid()}-"
    while True:
        try:
            job: Job = connection.recv()
        except EOFError:
            return
        spool = Spool(spool_dir, prefix=prefix)
        try:
            outcome = evaluate_native(store, job, spool, _never, public_only=True)
        except OSError as error:
            spool.discard()
            outcome = Outcome(False, error=f"The data could not be read: {error}.", status=500)
        connection.send(outcome)


def main(argv: list[str]) -> None:
    hold(Connection(int(argv[1])))


if __name__ == "__main__":
    main(sys.argv)
