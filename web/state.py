"""Everything the web app holds for its lifetime, made once in the factory.

Blueprints ask :func:`app_state` for the store, the settings, the write lock and the caches
instead of each keeping its own: one place decides who owns the store and how writes take
turns, so a new page or a new worker model changes this module only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from cop_graph.config import Settings
from cop_graph.pages.cache import StampedCache

__all__ = ["WebState", "app_state", "install_state", "state_of"]

_KEY = "cop_graph"


@dataclass
class WebState:
    """The app's store, settings, locks and caches.

    ``write_lock`` is held by every write the app makes (imports, removals, self-assessments,
    and writes the command line sends through the store owner's API), so two writers never
    interleave. ``endpoint`` (the SPARQL runner and dump cache) is made on first use by
    :meth:`lazily`, under ``setup_lock``, because its worker processes are costly to start.
    """

    settings: Settings
    store: Any
    #: the coordinators' accounts
    accounts: Any = None
    #: the brake on guessing passwords (a cop_graph.web.sign_in_throttle.SignInThrottle)
    sign_in_brakes: Any = None
    write_lock: threading.RLock = field(default_factory=threading.RLock)
    setup_lock: threading.Lock = field(default_factory=threading.Lock)
    #: held while the analyses' graphs are rebuilt, so that two requests do not both build them
    analysis_lock: threading.Lock = field(default_factory=threading.Lock)
    pages: StampedCache = field(default_factory=StampedCache)
    entity_pages: StampedCache = field(default_factory=lambda: StampedCache(max_entries=2000))
    #: (stamp, analysis graphs) of the analyses, rebuilt when the data changes
    analysis: tuple | None = None
    #: the SPARQL endpoint's runner and dump cache, made on first use
    endpoint: Any = None
    #: what else a blueprint keeps for the app's lifetime, by name
    extras: dict[str, Any] = field(default_factory=dict)

    def lazily(self, name: str, make):
        """The field ``name`` (such as ``endpoint``), or else ``extras[name]``, made by
        ``make()`` once even when requests race for it."""
        value = self._get(name)
        if value is None:
            with self.setup_lock:
                value = self._get(name)
                if value is None:
                    value = make()
                    if name in self.__dataclass_fields__:
                        setattr(self, name, value)
                    else:
                        self.extras[name] = value
        return value

    def _get(self, name: str):
        if name in self.__dataclass_fields__:
            return getattr(self, name)
        return self.extras.get(name)


def install_state(app: Flask, state: WebState) -> WebState:
    """Attach ``state`` to ``app`` (the factory calls this once)."""
    app.extensions[_KEY] = state
    return state


def state_of(app: Flask) -> WebState:
    """The state of ``app``, outside a request (tests, the command that starts the server)."""
    return app.extensions[_KEY]


def app_state() -> WebState:
    """The state of the app handling the current request."""
    return current_app.extensions[_KEY]
