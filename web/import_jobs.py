"""Imports that run in the background while their page shows how far they have got.

Checking a large workbook takes a while; a browser waiting on the upload's POST for a minute
shows nothing and may give up. So the upload starts a job here and answers at once; the job
page (and its JSON twin) reads the job's steps and, when it ends, its outcome.

Jobs live in memory only, belong to the account that started them, and are forgotten an
hour after they end (or sooner when many have ended), so the registry stays small. What a
job holds is what its page shows: nothing here is logged but a job's id and the kind of
error that stopped it.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cop_graph.progress import StepLog

__all__ = ["ImportJob", "ImportJobs"]

log = logging.getLogger(__name__)

#: what a job's page says when the job stopped on something unexpected
FAILED = "The import stopped on an unexpected error: nothing was saved. Please try again."


@dataclass
class ImportJob:
    """One upload being imported: whose, which file, the steps so far and the outcome."""

    id: str
    owner: str
    filename: str
    dry_run: bool
    steps: StepLog = field(default_factory=StepLog)
    #: "running", then "saved" (or checked, for a dry run), "rejected", "refused" or "failed"
    state: str = "running"
    #: the import's result (an ImportResult) when saved
    result: Any = None
    #: the problems (rejected) or advice (saved) as the report table shows them
    problems: list = field(default_factory=list)
    #: one sentence saying why nothing was saved (rejected, refused or failed)
    summary: str | None = None
    #: the communities the saved workbook describes, for links
    communities: list = field(default_factory=list)
    finished_at: float | None = None

    @property
    def running(self) -> bool:
        return self.state == "running"

    def end(self, state: str, **outcome) -> None:
        """Record the outcome (the page shows it from now on)."""
        for name, value in outcome.items():
            setattr(self, name, value)
        self.steps.finish()
        self.finished_at = time.monotonic()
        self.state = state


class ImportJobs:
    """The app's import jobs by id, each run in its own thread.

    ``keep_seconds`` and ``keep_finished`` bound what is kept of jobs that have ended.
    Requests and jobs meet only in single dict operations (a lookup, an insert, a ``pop``,
    a copy of the values), each atomic in CPython, so the registry needs no lock of its own
    (locks are the app state's, see :class:`cop_graph.web.state.WebState`).
    """

    def __init__(self, *, keep_seconds: float = 3600, keep_finished: int = 100):
        self.keep_seconds, self.keep_finished = keep_seconds, keep_finished
        self._jobs: dict[str, ImportJob] = {}

    def start(
        self, work: Callable[[ImportJob], None], *, owner: str, filename: str, dry_run: bool
    ) -> ImportJob:
        """A new job for ``owner``, running ``work(job)`` in a thread of its own.

        ``work`` records the outcome with :meth:`ImportJob.end`; one that raises instead
        leaves the job "failed" with a general sentence (the error itself may quote data).
        """
        job = ImportJob(secrets.token_urlsafe(12), owner, filename, dry_run)
        self._prune()
        self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(work, job), daemon=True).start()
        return job

    def get(self, job_id: str, owner: str) -> ImportJob | None:
        """The job ``job_id`` if ``owner`` started it (else None: others cannot tell it exists)."""
        job = self._jobs.get(job_id)
        return job if job is not None and secrets.compare_digest(job.owner, owner) else None

    def _run(self, work: Callable[[ImportJob], None], job: ImportJob) -> None:
        try:
            work(job)
        except Exception as error:  # noqa: BLE001 - the page must say something, never hang
            log.error("import job %s failed: %s", job.id, type(error).__name__)
            job.end("failed", summary=FAILED)
        if job.running:
            job.end("failed", summary=FAILED)

    def _prune(self) -> None:
        """Forget ended jobs older than ``keep_seconds``, then the oldest beyond
        ``keep_finished``."""
        now = time.monotonic()
        ended = sorted(
            (job for job in list(self._jobs.values()) if job.finished_at is not None),
            key=lambda job: job.finished_at,
        )
        for index, job in enumerate(ended):
            too_old = now - job.finished_at > self.keep_seconds
            if too_old or len(ended) - index > self.keep_finished:
                self._jobs.pop(job.id, None)
