"""Timing the app's work on one store, in a process of its own, for ``bench_engines.py``.

A :class:`Worker` opens a store as the web app does (the embedded one with its copy in memory
for reading, a server with the engine's profile) and then times what it is asked, one job at a
time: an example question (``queries.run(..., raw=True)``, what ``cop-graph query`` runs, every
answer read in full), an entity page (a first visit through the Flask app, as a browser asks),
or an analysis (``cop-graph analyse``'s ``reports.run``, graphs built afresh). Neither engine
stops a query it was given up on from Python, so a job that passes its time limit is ended by
ending the worker; the next job starts a new one. Running each engine's worker side by side and
giving them the same job in turn lets a change of load on the machine fall on all alike.
"""

from __future__ import annotations

import multiprocessing
import queue
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine_stores import Measured, peak_mb  # noqa: E402

__all__ = ["QUESTION_VALUES", "Worker"]

#: values for the example questions that take some: things the generated data holds
QUESTION_VALUES = {
    "ask_practice_in_locality": {"practice": "practice/synthetic-0", "locality": "place/bolton"},
    "describe_community": {"community": "community/synthetic-0"},
}
#: how long a worker may take to open its store (the embedded one copies it into memory)
OPEN_LIMIT_SECONDS = 3600


class Worker:
    """A child process holding one store, answering timing jobs within a limit each."""

    def __init__(
        self,
        location: str,
        engine: str,
        data: Path,
        limit: float,
        repeats: int,
        *,
        memory_reads: bool = True,
    ):
        self.store = {
            "store": location,
            "store_engine": engine,
            "data": str(data),
            "memory_reads": memory_reads,  # the embedded store's copy for reading
        }
        self.limit, self.repeats = limit, repeats
        self.process = None

    def _start(self) -> str | None:
        """Start the child and wait until its store is open; why not, if it could not."""
        context = multiprocessing.get_context("spawn")
        self.jobs, self.answers = context.Queue(), context.Queue()
        self.process = context.Process(
            target=_serve,
            args=(self.store, self.limit, self.repeats, self.jobs, self.answers),
            daemon=True,
        )
        self.process.start()
        try:
            ready = self.answers.get(timeout=OPEN_LIMIT_SECONDS)
        except queue.Empty:
            self.stop()
            return f"the store did not open within {OPEN_LIMIT_SECONDS} s"
        if ready != "ready":
            self.stop()
            return ready
        return None

    def run(self, job: tuple[str, str]) -> Measured:
        """Time ``job`` (its kind and what it names)."""
        if self.process is None or not self.process.is_alive():
            failure = self._start()
            if failure:
                return Measured(failure=failure)
        self.jobs.put(job)
        try:
            outcome, value = self.answers.get(timeout=self.limit)
        except queue.Empty:
            self.stop()
            return Measured(failure=f"stopped at the {self.limit:g} s limit")
        return Measured(value) if outcome == "ok" else Measured(failure=value)

    @property
    def peak_mb(self) -> float | None:
        """The most memory the worker has held so far, its store included."""
        return peak_mb(self.process.pid) if self.process and self.process.is_alive() else None

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()


def _serve(store: dict, limit: float, repeats: int, jobs, answers) -> None:
    """The worker's side: open the store and the app, then answer each job with its time.

    ``store`` holds the settings naming the store (its location, engine and data folder)."""
    import os

    os.environ["COP_GRAPH_STORE_ENGINE"] = store["store_engine"]  # read by open_remote
    try:
        from cop_graph.config import load_settings
        from cop_graph.web import create_app, open_app_store

        settings = load_settings(
            {},
            **store,
            query_timeout=limit,  # a server's answer is waited for as long as a job may take
            rate_limits=False,
        )
        store = open_app_store(settings)
        client = create_app({"STORE": store, "SETTINGS": settings}).test_client()
    except Exception as error:  # noqa: BLE001 - said to the benchmark, which prints it
        answers.put(f"the store did not open: {error}")
        return
    answers.put("ready")
    kinds = {"question": _question, "page": _page, "analysis": _analysis}
    while (job := jobs.get()) is not None:
        kind, name = job
        try:
            answers.put(("ok", kinds[kind](store, client, name, repeats)))
        except Exception as error:  # noqa: BLE001 - a failure is a result here
            answers.put(("failed", f"{type(error).__name__}: {str(error)[:300]}"))


def _question(store, client, name: str, repeats: int) -> float:
    """Median seconds of the example question ``name``, timed as bench_queries.py does."""
    from bench_queries import _consume, _medians
    from rdflib import URIRef

    from cop_graph import queries
    from cop_graph.namespaces import PREFIXES

    values = QUESTION_VALUES.get(name.split("/", 1)[1], {})
    bindings = {key: URIRef(PREFIXES["id"] + value) for key, value in values.items()}

    def ask():
        return _consume(queries.run(store, name, raw=True, **bindings))

    return _medians({name: ask}, repeats)[name]


def _page(store, client, path: str, repeats: int) -> float:
    """Seconds to answer one visit to ``path``, which must answer 200."""
    start = time.perf_counter()
    response = client.get(path)
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return seconds


def _analysis(store, client, name: str, repeats: int) -> float:
    """Median seconds of the analysis ``name``, its graphs read from the store each time."""
    from bench_queries import _medians

    from cop_graph.analysis import reports

    return _medians({name: lambda: reports.run(store, name)}, repeats)[name]
