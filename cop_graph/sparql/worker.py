"""A query worker process: ``python -m cop_graph.sparql.worker FD SPOOL_DIR``.

The web process hands each query to a worker over a pipe (file descriptor ``FD``) and kills
the worker if the time limit passes: neither engine can be interrupted from Python, and a
killed process is the only stop that really stops. Workers read a consistent on-disk
snapshot of the store (``Store.read_only``), reopened when the web process says the data
changed.

Before anything else a worker tries to drop into a network namespace of its own, with no
network at all: a second wall behind the query guard, so that even a query the guard missed
could not reach another server. Where the system does not allow it, the guard alone stands.
"""

from __future__ import annotations

import ctypes
import sys
from multiprocessing.connection import Connection

import pyoxigraph as ox

from cop_graph.sparql.engine import Job, Outcome, evaluate_native
from cop_graph.sparql.results import Spool

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def isolate_network() -> bool:
    """Leave the machine's network (Linux namespaces); True if it worked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    unshare = getattr(libc, "unshare", None)
    if unshare is None:
        return False
    return unshare(_CLONE_NEWNET) == 0 or unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0


def _never() -> bool:
    return False


def serve(connection: Connection, spool_dir: str) -> None:
    """Answer jobs until the pipe closes."""
    connection.send({"ready": True, "isolated": isolate_network()})
    store, opened = None, None
    while True:
        try:
            job: Job = connection.recv()
        except EOFError:
            return
        spool = Spool(spool_dir)
        try:
            if job.snapshot != opened:
                store, opened = None, None
                store = ox.Store.read_only(job.snapshot)
                opened = job.snapshot
            outcome = evaluate_native(store, job, spool, _never)
        except OSError as error:
            spool.discard()
            outcome = Outcome(False, error=f"The data could not be read: {error}.", status=500)
        connection.send(outcome)


def main(argv: list[str]) -> None:
    serve(Connection(int(argv[1])), argv[2])


if __name__ == "__main__":
    main(sys.argv)
