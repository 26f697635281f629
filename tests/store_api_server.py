"""A web app serving its store owner's API on 127.0.0.1, and remote-store clients of it.

The API (``web/store_api.py``) is what commands use while ``cop-graph serve`` holds the store;
the store tests run the whole store contract through it, as one more backend, so that a
command working through a server behaves exactly as one holding the store itself.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from live_server import live_server

from cop_graph.config import load_settings
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.store.remote import RemoteStore

__all__ = ["StoreApi", "serving_store_api"]


@dataclass
class StoreApi:
    """A running app, the store it holds, and what a client needs to work through it."""

    base_url: str
    token: str
    app: object
    store: OxigraphStore

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/_store/query"

    def session(self, token: str | None = None) -> requests.Session:
        """An HTTP session carrying ``token`` (by default the right one)."""
        session = requests.Session()
        session.trust_env = False
        session.headers["Authorization"] = f"Bearer {token or self.token}"
        return session

    def client(self, session: requests.Session) -> RemoteStore:
        return RemoteStore(self.query_url, session=session)

    def clear(self) -> None:
        """Remove every graph, so each test starts from an empty store."""
        self.store._update("DROP ALL")


@contextmanager
def serving_store_api(
    folder: Path, store: OxigraphStore | None = None, **settings
) -> Iterator[StoreApi]:
    """Serve an app over ``store`` (default: a new on-disk store in ``folder``, read from
    memory as ``cop-graph serve`` reads it), with its store API open to a random token;
    ``settings`` override the app's settings."""
    from cop_graph.web import create_app
    from cop_graph.web.store_api import authorise

    own = store is None
    if store is None:
        store = OxigraphStore(folder / "store", memory_reads=True)
    app = create_app(
        {
            "TESTING": True,
            "STORE": store,
            "SETTINGS": load_settings({}, store=store.location, **settings),
        }
    )
    token = secrets.token_urlsafe(32)
    authorise(app, token)
    try:
        with live_server(app) as base_url:
            yield StoreApi(base_url, token, app, store)
    finally:
        if own:
            store.close()
