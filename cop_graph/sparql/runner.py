"""Run queries with a time limit that really stops work, and a cap on the answer.

Neither pyoxigraph nor rdflib can interrupt a running query, and a cross join or a
catastrophic regular expression can run for minutes. How each backend is stopped:

- **embedded** (on disk, the default, or in memory): queries run in worker processes forked
  from a *snapshot holder*, a small process that keeps the public graphs in memory
  (:mod:`cop_graph.sparql.worker`). A worker reads that copy as fast as pyoxigraph reads the
  store's own copy in memory; when the time limit passes, the worker is killed and the others
  keep answering. When the store has been written to (:attr:`Store.changes` moved), the next
  query first refreshes the snapshot: the public graphs are written out again and reloaded
  (0.4 s at 100k facts, about 5 s at a million), and new workers are forked from it.
- **remote SPARQL server**: the query runs in a thread and the caller is answered at the
  time limit; the server's own query timeout and the HTTP timeout end the request.

Threads over the store's copy in memory were measured and set aside: a thread cannot be
stopped inside one long step of the engine (sorting or grouping a huge join runs on, and
holds its slot, after the caller was told "stopped"), and pyoxigraph hands the interpreter
lock back and forth on every row, so a busy second thread made a 0.3 s query take 3.5 s.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from cop_graph.errors import QueryError
from cop_graph.scope import Scope
from cop_graph.sparql.engine import Job, Outcome, discard, evaluate_store, stream
from cop_graph.sparql.results import Stopped
from cop_graph.sparql.snapshot import Holder, Worker, write_snapshot
from cop_graph.sparql.spool import Spool

__all__ = [
    "Busy",
    "QueryTimeout",
    "Runner",
    "SnapshotRunner",
    "ThreadRunner",
    "Unavailable",
    "discard",
    "make_runner",
    "stream",
]


class QueryTimeout(QueryError):
    """The query ran past the time limit and was stopped."""

    status = 503

    def __init__(self, limit: float):
        super().__init__(
            f"The query took longer than the {limit:g}-second limit and was stopped. "
            "Try asking for less: add a LIMIT, or narrow the patterns so fewer things match."
        )


class Busy(QueryError):
    """Every query slot stayed taken for longer than a query may run."""

    status = 503

    def __init__(self):
        super().__init__("The query service is busy with other questions; try again shortly.")


class Unavailable(QueryError):
    """The query processes could not be started or stopped answering."""

    status = 503

    def __init__(self):
        super().__init__("The query service could not start its work; try again shortly.")


class Runner:
    """Runs :class:`Job` s; ``timeout`` seconds per query."""

    timeout: float
    #: whether a query past the limit is really stopped, not just abandoned
    stops_work: bool = False

    def run(self, job: Job) -> Outcome:
        raise NotImplementedError

    def close(self) -> None:
        """Stop workers and remove temporary files."""


class ThreadRunner(Runner):
    """Queries in threads: answers on time, stops work only between rows (see module doc)."""

    def __init__(self, evaluate: Callable, timeout: float, concurrency: int = 4):
        self._evaluate = evaluate
        self.timeout = timeout
        self._slots = threading.BoundedSemaphore(concurrency)
        self._spool_dir = tempfile.mkdtemp(prefix="cop-graph-answers-")

    def run(self, job: Job) -> Outcome:
        if not self._slots.acquire(timeout=self.timeout):
            raise Busy()
        stop, done, lock = threading.Event(), threading.Event(), threading.Lock()
        box: dict = {}

        def work():
            try:
                outcome = self._evaluate(job, Spool(self._spool_dir), stop.is_set)
            except Stopped:
                return
            except BaseException as error:  # re-raised in the caller's thread
                outcome = error
            with lock:
                if stop.is_set():
                    if isinstance(outcome, Outcome):
                        discard(outcome)
                    return
                box["outcome"] = outcome
                done.set()

        threading.Thread(target=work, name="sparql-query", daemon=True).start()
        try:
            finished = done.wait(self.timeout)
            with lock:
                finished = finished or done.is_set()
                if not finished:
                    stop.set()
        finally:
            # a runaway thread gives its slot back at the limit, so it cannot starve others
            self._slots.release()
        if not finished:
            raise QueryTimeout(self.timeout)
        if isinstance(box["outcome"], BaseException):
            raise box["outcome"]
        return box["outcome"]

    def close(self) -> None:
        shutil.rmtree(self._spool_dir, ignore_errors=True)


class SnapshotRunner(Runner):
    """Queries in workers forked from a holder of the public graphs in memory (see the module
    docstring); a worker past the time limit is killed."""

    stops_work = True

    def __init__(self, store, timeout: float, size: int = 4):
        self.timeout = timeout
        self._store = store
        self._slots = threading.BoundedSemaphore(size)
        self._folder = Path(tempfile.mkdtemp(prefix="cop-graph-sparql-"))
        self._spool_dir = str(self._folder / "answers")
        os.mkdir(self._spool_dir)
        #: taken to start the holder, refresh its snapshot or fork from it: one at a time
        self._lock = threading.Lock()
        self._holder: Holder | None = None
        #: the store's ``changes`` the snapshot shows, and how many snapshots were loaded
        self._loaded: int | None = None
        self._generation = 0
        self._pool_lock = threading.Lock()
        self._idle: list[Worker] = []
        self._workers: set[Worker] = set()
        self._closed = False

    @property
    def isolated(self) -> bool:
        """Whether the query processes run without network access (once started)."""
        return bool(self._holder and self._holder.isolated)

    def run(self, job: Job) -> Outcome:
        if not self._slots.acquire(timeout=self.timeout):
            raise Busy()
        try:
            for attempt in range(2):
                worker = self._worker()
                try:
                    worker.connection.send(job)
                    if not worker.connection.poll(self.timeout):
                        self._end(worker, kill=True)
                        raise QueryTimeout(self.timeout)
                    outcome = worker.connection.recv()
                except (EOFError, OSError):
                    # the worker died (the system ended it, say): a fresh one tries once more
                    self._end(worker, kill=True)
                    if attempt:
                        raise Unavailable() from None
                    continue
                self._release(worker)
                return outcome
            raise AssertionError("unreachable")
        finally:
            self._slots.release()

    def _worker(self) -> Worker:
        """An idle worker holding the data as it is now, forked if none is left."""
        generation = self._refresh()
        with self._pool_lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.generation == generation:
                    return worker
                self._workers.discard(worker)
                worker.close()
        with self._lock:
            try:
                worker = self._holder.fork(self._generation, self._spool_dir)
            except OSError:
                raise Unavailable() from None
        with self._pool_lock:
            self._workers.add(worker)
        return worker

    def _release(self, worker: Worker) -> None:
        with self._pool_lock:
            if worker.generation == self._generation and not self._closed:
                self._idle.append(worker)
                return
        self._end(worker)

    def _end(self, worker: Worker, kill: bool = False) -> None:
        with self._pool_lock:
            self._workers.discard(worker)
        if kill:
            worker.kill()
        else:
            worker.close()

    def _refresh(self) -> int:
        """The number of the snapshot matching the store now, loading one if it changed."""
        holder = self._holder
        if holder is not None and self._loaded == self._store.changes and holder.alive():
            return self._generation
        with self._lock:
            if self._closed:
                raise Unavailable()
            try:
                if self._holder is None or not self._holder.alive():
                    if self._holder is not None:
                        self._holder.close()
                    self._holder, self._loaded = None, None
                    self._holder = Holder()
                for attempt in range(3):
                    seen = self._store.changes
                    if seen == self._loaded:
                        break
                    graphs = write_snapshot(
                        self._store.reader,
                        Scope.public(self._store).iris,
                        self._folder / "snapshot",
                    )
                    # a write that came in while the graphs were written out: write them again
                    # (after three tries, load what there is; the next query refreshes again)
                    if self._store.changes != seen and attempt < 2:
                        continue
                    self._holder.load(graphs)
                    self._loaded, self._generation = seen, self._generation + 1
                    break
            except OSError:
                raise Unavailable() from None
            finally:
                shutil.rmtree(self._folder / "snapshot", ignore_errors=True)
            generation = self._generation
        self._drop_stale_idle()
        return generation

    def _drop_stale_idle(self) -> None:
        with self._pool_lock:
            stale = [w for w in self._idle if w.generation != self._generation]
            self._idle = [w for w in self._idle if w.generation == self._generation]
            self._workers.difference_update(stale)
        for worker in stale:
            worker.close()

    def close(self) -> None:
        with self._lock, self._pool_lock:
            self._closed = True
            workers, self._workers, self._idle = list(self._workers), set(), []
            holder, self._holder = self._holder, None
        for worker in workers:
            worker.kill()
        if holder is not None:
            holder.close()
        shutil.rmtree(self._folder, ignore_errors=True)


def make_runner(store, timeout: float, concurrency: int = 4) -> Runner:
    """The runner that can really stop queries on ``store`` (see the module docstring)."""
    if hasattr(store, "reader"):  # the embedded store, on disk or in memory
        runner: Runner = SnapshotRunner(store, timeout, concurrency)
    else:
        runner = ThreadRunner(
            lambda job, spool, stop: evaluate_store(store, job, spool, stop),
            timeout,
            concurrency,
        )
    atexit.register(runner.close)
    return runner
