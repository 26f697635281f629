"""One writer at a time on a SPARQL server shared by several app workers.

A commit reads which graphs exist, uploads, checks and swaps (see
:mod:`cop_graph.store.base`); two workers committing at once could each decide from a list
the other is changing (both see a graph as new and merge into it, rather than one replacing
the other). The embedded store has its process lock; a server has none that SPARQL can ask
for, so the remote store keeps one in the server itself, in a graph under the staging names
(never listed, never read as data):

1. a writer adds its own entry, a random name and the server's time (``NOW()``);
2. it reads every entry back: only its own, and it holds the lock; another's, and it takes
   its own away and tries again after a random pause (so two writers that each saw the
   other both step back, and one of them goes first next time);
3. it takes its entry away when the commit has ended, whether it succeeded or not.

Why this is enough: each step is one update or one query, which the server applies whole and
in order. If two writers both held the lock, each must have read before the other's entry
was written, and each wrote its own before reading, which cannot both be true.

An entry older than :data:`LEASE_SECONDS` (by the server's clock, so the workers' clocks need
not agree) is a writer that died mid-commit: the next writer takes it away. Staging graphs
that writer left behind stay until ``Store.clean_staging`` is run while nothing is writing.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from cop_graph.errors import StoreError
from cop_graph.store.base import STAGING

__all__ = ["LEASE_SECONDS", "LOCK_GRAPH", "WriteLock"]

_log = logging.getLogger(__name__)

#: the graph holding the entries (under the staging names: never listed, never data)
LOCK_GRAPH = STAGING + "write-lock"
#: an entry older than this is a writer that died mid-commit
LEASE_SECONDS = 1800.0
#: how long a writer waits for the lock before giving up, by default
WAIT_SECONDS = 600.0
_SINCE = "urn:x-cop-graph:write-lock-since"
_PAUSE = (0.02, 0.3)


class WriteLock:
    """The server's write lock, taken through ``update`` (a SPARQL Update, applied whole)
    and ``rows`` (a SELECT's rows of pyoxigraph terms)."""

    def __init__(
        self,
        update: Callable[[str], None],
        rows: Callable[[str], list],
        *,
        wait: float = WAIT_SECONDS,
        lease: float = LEASE_SECONDS,
    ):
        self._update = update
        self._rows = rows
        self.wait = wait
        self.lease = lease
        #: pauses taken while another writer held the lock, for tests and logs
        self.pauses = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the ``with`` block; give it back however the block ends."""
        me = f"urn:uuid:{uuid.uuid4()}"
        self._take(me)
        try:
            yield
        except BaseException:
            try:
                self._give_back(me)
            except StoreError as error:  # the block's own error is the one to tell
                _log.error(
                    "The store's write lock could not be given back after a failed write "
                    "(%s); other writers wait until it is %d s old.",
                    type(error).__name__,
                    self.lease,
                )
            raise
        self._give_back(me)

    def _take(self, me: str) -> None:
        give_up = time.monotonic() + self.wait
        pause = _PAUSE[0]
        while True:
            self._update(
                f"INSERT {{ GRAPH <{LOCK_GRAPH}> {{ <{me}> <{_SINCE}> ?now }} }} "
                "WHERE { BIND(NOW() AS ?now) }"
            )
            entries, now = self._entries()
            others = {holder: since for holder, since in entries.items() if holder != me}
            if me in entries and not others:
                return
            stale = [h for h, since in others.items() if _age(since, now) > self.lease]
            self._give_back(me, *stale)
            for holder in stale:
                _log.warning(
                    "A writer's hold on the store (%s, since %s) was older than %d s and was "
                    "taken away; staging graphs it left are removed by clean_staging.",
                    holder,
                    others[holder],
                    self.lease,
                )
            if stale:
                continue
            if time.monotonic() > give_up:
                since = min(others.values())
                raise StoreError(
                    f"another writer has held the store's write lock since {since} and did not "
                    f"let go within {self.wait:g} seconds; try again later (a writer that "
                    f"died keeps it for {self.lease:g} seconds at most)"
                )
            self.pauses += 1
            time.sleep(random.uniform(_PAUSE[0], pause))
            pause = min(pause * 2, 2.0)

    def _entries(self) -> tuple[dict[str, str], str]:
        """Every entry (its writer and since when) and the server's time now."""
        rows = self._rows(
            f"SELECT ?holder ?since (NOW() AS ?now) WHERE {{ GRAPH <{LOCK_GRAPH}> "
            f"{{ ?holder <{_SINCE}> ?since }} }}"
        )
        entries = {row[0].value: row[1].value for row in rows}
        now = rows[0][2].value if rows else ""
        return entries, now

    def _give_back(self, *holders: str) -> None:
        if holders:
            self._update(
                " ;\n".join(
                    f"DELETE WHERE {{ GRAPH <{LOCK_GRAPH}> {{ <{holder}> ?p ?o }} }}"
                    for holder in holders
                )
            )


def _age(since: str, now: str) -> float:
    """Seconds between two of the server's times; 0 when either cannot be read."""
    try:
        return (datetime.fromisoformat(now) - datetime.fromisoformat(since)).total_seconds()
    except (TypeError, ValueError):
        return 0.0
