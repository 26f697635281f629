"""Run queries with a time limit that really stops work, and a cap on the answer.

Neither pyoxigraph nor rdflib can interrupt a running query, and a cross join or a
catastrophic regular expression can run for minutes. How each backend is stopped:

- **embedded, on disk** (the default): queries run in a small pool of worker processes
  (:mod:`cop_graph.sparql.worker`) that read a consistent snapshot of the store. When the
  time limit passes, the worker is killed and replaced: the work really stops and the
  other workers keep answering. Snapshots are RocksDB checkpoints (hard links, about 10 ms);
  a new one is taken when the store's files change, i.e. after a write.
- **in memory** (tests, small files): a process cannot share the store, so the query runs
  in a thread. At the time limit the caller gets its "stopped" answer on time and the
  thread stops at the next row it writes; a single long step inside the engine (sorting or
  grouping a huge join) still finishes in the background. Documented as such.
- **remote SPARQL server**: the query runs in a thread and the caller is answered at the
  time limit; the server's own query timeout and the HTTP timeout end the request.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from multiprocessing import Pipe
from pathlib import Path

from cop_graph.errors import QueryError
from cop_graph.sparql.engine import Job, Outcome, evaluate_native, evaluate_store
from cop_graph.sparql.results import Spool, Stopped

__all__ = [
    "Busy",
    "ProcessRunner",
    "QueryTimeout",
    "Runner",
    "ThreadRunner",
    "discard",
    "make_runner",
    "stream",
]

#: seconds a worker process may take to start
_STARTUP_LIMIT = 60.0


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


class _Snapshots:
    """Read-only copies (RocksDB checkpoints) of an on-disk store, one per state of its files.

    Checkpoints are hard links to the store's immutable files, so taking one is cheap; the
    workers read them instead of the live store, which RocksDB does not allow while another
    process writes it.
    """

    def __init__(self, native, location: str):
        primary = Path(location).resolve()
        self._primary = primary
        self._native = native
        self._folder = primary.parent / f".{primary.name}.sparql-snapshots-{os.getpid()}"
        shutil.rmtree(self._folder, ignore_errors=True)
        self._folder.mkdir(parents=True)
        self._lock = threading.Lock()
        self._fingerprint = None
        self._current: str | None = None
        self._count = 0

    def _files(self) -> tuple:
        """Name, size and time of each of the store's files: changes whenever the data does.

        RocksDB removes files while compacting, also between listing the folder and reading a
        file's size: such a file is simply left out (the fingerprint then differs from the last
        one, which costs one more checkpoint, never a stale read).
        """
        files = []
        for entry in os.scandir(self._primary):
            if entry.name.startswith(("LOG", "LOCK")):
                continue
            try:
                if entry.is_file():
                    stat = entry.stat()
                    files.append((entry.name, stat.st_size, stat.st_mtime_ns))
            except FileNotFoundError:
                continue
        return tuple(sorted(files))

    def current(self, in_use: Callable[[], set[str]]) -> str:
        """The snapshot matching the store now, taken if the store changed since the last."""
        with self._lock:
            fingerprint = self._files()
            if fingerprint != self._fingerprint or self._current is None:
                self._count += 1
                path = str(self._folder / str(self._count))
                self._native.backup(path)
                # the fingerprint from *before* the checkpoint: a write racing with it (or the
                # checkpoint's own flush) only costs one more checkpoint, never a stale read
                self._fingerprint, self._current = fingerprint, path
                self._prune(in_use() | {path})
            return self._current

    def _prune(self, keep: set[str]) -> None:
        for entry in os.scandir(self._folder):
            if entry.path not in keep:
                shutil.rmtree(entry.path, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, spool_dir: str):
        self.connection, child = Pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cop_graph.sparql.worker", str(child.fileno()), spool_dir],
            pass_fds=[child.fileno()],
            stdin=subprocess.DEVNULL,
        )
        child.close()
        self.ready = False
        self.isolated = False
        self.snapshot: str | None = None

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.connection.poll(_STARTUP_LIMIT):
            raise OSError("a query worker did not start")
        hello = self.connection.recv()
        self.ready, self.isolated = True, bool(hello.get("isolated"))

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.connection.close()


class ProcessRunner(Runner):
    """Queries in worker processes over on-disk snapshots; killed at the time limit."""

    stops_work = True

    def __init__(self, store, timeout: float, size: int = 4):
        self.timeout = timeout
        self._size = size
        self._snapshots = _Snapshots(store.native, store.location)
        self._spool_dir = tempfile.mkdtemp(prefix="cop-graph-answers-")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def _spawn(self) -> _Worker:
        worker = _Worker(self._spool_dir)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> _Worker:
        with self._lock:
            self._workers.discard(worker)
        worker.kill()
        return self._spawn()

    def _start(self) -> None:
        with self._lock:
            if self._workers or self._closed:
                return
        for _ in range(self._size):
            self._idle.put(self._spawn())

    def _in_use(self) -> set[str]:
        with self._lock:
            return {w.snapshot for w in self._workers if w.snapshot}

    @property
    def isolated(self) -> bool:
        """Whether the workers that have started run without network access."""
        with self._lock:
            started = [w for w in self._workers if w.ready]
        return bool(started) and all(w.isolated for w in started)

    def run(self, job: Job) -> Outcome:
        self._start()
        job = replace(job, snapshot=self._snapshots.current(self._in_use))
        try:
            worker = self._idle.get(timeout=self.timeout + 5)
        except queue.Empty:
            raise Busy() from None
        try:
            for attempt in range(2):
                try:
                    worker.wait_ready()
                    worker.snapshot = job.snapshot
                    worker.connection.send(job)
                    if not worker.connection.poll(self.timeout):
                        worker = self._retire(worker)
                        raise QueryTimeout(self.timeout)
                    return worker.connection.recv()
                except (EOFError, OSError):
                    # the worker died (or never started): replace it and try once more
                    worker = self._retire(worker)
                    if attempt:
                        raise
            raise AssertionError("unreachable")
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.kill()
        self._snapshots.close()
        shutil.rmtree(self._spool_dir, ignore_errors=True)


def make_runner(store, timeout: float, concurrency: int = 4) -> Runner:
    """The runner that can really stop queries on ``store`` (see the module docstring)."""
    from cop_graph.store.oxigraph import OxigraphStore

    if isinstance(store, OxigraphStore) and store.location != "memory:":
        runner: Runner = ProcessRunner(store, timeout, concurrency)
    elif isinstance(store, OxigraphStore):
        native = store.native
        runner = ThreadRunner(
            lambda job, spool, stop: evaluate_native(native, job, spool, stop),
            timeout,
            concurrency,
        )
    else:
        runner = ThreadRunner(
            lambda job, spool, stop: evaluate_store(store, job, spool, stop),
            timeout,
            concurrency,
        )
    atexit.register(runner.close)
    return runner


def stream(outcome: Outcome, chunk_size: int = 1 << 16) -> Iterator[bytes]:
    """The bytes of an answer, read from its file in chunks (the file is removed after)."""
    if outcome.data is not None:
        yield outcome.data
        return
    try:
        with open(outcome.path, "rb") as answer:
            while chunk := answer.read(chunk_size):
                yield chunk
    finally:
        discard(outcome)


def discard(outcome: Outcome) -> None:
    """Remove an answer's file, if it has one and it is still there."""
    if outcome.path:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(outcome.path)
