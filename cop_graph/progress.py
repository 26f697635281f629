"""Telling someone how far a long piece of work has got, without knowing who is watching.

Loading, importing, checking and analysing a large graph can take a minute. The library
functions that do it take a ``progress`` reporter and say which step they are on
(``step("Checking")``) and how far through it they are (``advance(1)``); the command line
passes a bar drawn on the terminal, the web app a list of steps its job page shows, and
everyone else gets :data:`SILENT`, which does nothing. The reporter lives in the lowest
layer so that ingest and analysis can report without knowing about either interface.

(Not to be confused with :mod:`cop_graph.analysis.progress`: communities' progress through
the framework's steps.)
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Protocol

__all__ = ["SILENT", "Progress", "Silent", "Step", "StepLog"]


class Progress(Protocol):
    """What a long piece of work reports: the step it starts, and how far through it is."""

    def step(self, name: str, total: int | None = None) -> None:
        """Start the step ``name``, of ``total`` units (files, bytes) when that is known."""

    def advance(self, amount: int = 1) -> None:
        """``amount`` more units of the current step are done."""


class Silent:
    """A reporter that reports nothing: the default, for tests and programs."""

    def step(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


#: the reporter every function uses unless given another
SILENT = Silent()


@dataclass
class Step:
    """One step of a piece of work as a log keeps it: its name, how far, when it started."""

    name: str
    total: int | None = None
    done: int = 0
    started: float = 0.0
    finished: float | None = None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "total": self.total,
            "done": self.done,
            "finished": self.finished is not None,
            "seconds": round((self.finished or time.monotonic()) - self.started, 1),
        }


class StepLog:
    """A reporter that keeps the steps in order, for a page to show while the work runs.

    The work runs in one thread and pages read from others, so every change and every read
    takes a lock, and readers get copies.

    >>> log = StepLog()
    >>> log.step("Reading", total=2); log.advance(2); log.step("Checking"); log.finish()
    >>> [(s["name"], s["done"], s["finished"]) for s in log.steps()]
    [('Reading', 2, True), ('Checking', 0, True)]
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._steps: list[Step] = []

    def step(self, name: str, total: int | None = None) -> None:
        with self._lock:
            now = time.monotonic()
            if self._steps and self._steps[-1].finished is None:
                self._steps[-1].finished = now
            self._steps.append(Step(name, total, started=now))

    def advance(self, amount: int = 1) -> None:
        with self._lock:
            if self._steps:
                self._steps[-1].done += amount

    def finish(self) -> None:
        """The work has ended: the last step is done too."""
        with self._lock:
            if self._steps and self._steps[-1].finished is None:
                self._steps[-1].finished = time.monotonic()

    def steps(self) -> list[dict]:
        """The steps so far, as plain dicts, oldest first."""
        with self._lock:
            return [step.to_json() for step in self._steps]
