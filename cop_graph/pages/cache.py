"""Remembering what pages built from the data until the data changes.

Search indexes, facet lists, the map's counts and whole-dataset downloads take a while to
build on a large store but only change when a graph is loaded, replaced or removed. They are
kept under the catalogue's stamp (see :class:`~cop_graph.pages.public.PublicData`) and
dropped together as soon as the stamp moves on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

__all__ = ["StampedCache"]

T = TypeVar("T")


class StampedCache:
    """Values built once per stamp; a new stamp empties the cache.

    >>> cache = StampedCache()
    >>> cache.get("v1", "answer", lambda: 42)
    42
    >>> cache.get("v1", "answer", lambda: 0)
    42
    >>> cache.get("v2", "answer", lambda: 0)
    0
    """

    def __init__(self, max_entries: int = 256):
        self._stamp: str | None = None
        self._values: dict[Hashable, object] = {}
        self._lock = threading.Lock()
        self._max = max_entries

    def get(self, stamp: str, key: Hashable, build: Callable[[], T]) -> T:
        """The value under ``key`` for ``stamp``, built by ``build()`` if not there yet."""
        with self._lock:
            if stamp != self._stamp:
                self._stamp, self._values = stamp, {}
            if key in self._values:
                return self._values[key]
        value = build()
        with self._lock:
            if stamp == self._stamp:
                if len(self._values) >= self._max:
                    self._values.pop(next(iter(self._values)))
                self._values[key] = value
        return value
