"""Every setting once: its name, default and meaning, read from ``COP_GRAPH_*`` variables.

The CLI's options and the web app's config both start from :func:`load_settings`, so a
deployment is configured the same way whichever entry point it uses.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

import platformdirs

__all__ = ["Settings", "default_data_folder", "load_settings"]


@dataclass(frozen=True)
class Settings:
    """The settings, with defaults that suit a coordinator's laptop."""

    #: the one folder holding every file the app keeps (the store, the accounts and their
    #: sessions, the secret key); empty for the user's data folder (on Linux
    #: ``~/.local/share/cop-graph``), the same wherever a command is started
    data: str = ""
    #: where the data lives: a folder (embedded on-disk store), ``memory:``, or the
    #: query URL of a SPARQL 1.1 server (``http://host:port/query``); empty for ``<data>/store``
    store: str = ""
    #: the SPARQL engine of a store given by URL: "oxigraph", "virtuoso" or "sparql11" (any
    #: other server); empty to tell it from the address or, failing that, from the server
    store_engine: str = ""
    #: update and Graph Store addresses of a store given by URL, when not the engine's usual
    #: ones beside the query address
    store_update_url: str = ""
    store_graph_store_url: str = ""
    #: user name and password for a store given by URL (the password, or a file holding it);
    #: never shown in messages or logs
    store_user: str = ""
    store_password: str = dataclasses.field(default="", repr=False)
    store_password_file: str = ""
    #: HTTP authentication for the store: "basic" or "digest"; empty for the engine's usual
    #: one (digest for Virtuoso's -auth endpoints)
    store_auth: str = ""
    #: seconds a command waits for an on-disk store that another command holds, before giving
    #: up; a running server is worked through at once instead (see cop_graph.store.owner)
    store_wait: float = 60.0
    #: address the web app listens on; loopback unless a deployment says otherwise
    host: str = "127.0.0.1"
    #: port the web app listens on
    port: int = 5000
    #: number of worker threads of the web server
    threads: int = 8
    #: keep a copy of an on-disk store in memory for reading: pages, analyses and questions
    #: asked through the app answer 6–15× faster at a million facts, for about 0.7 GB of
    #: memory per million facts (the SPARQL endpoint's workers read the disk either way)
    memory_reads: bool = True
    #: seconds after which a query is stopped
    query_timeout: float = 15.0
    #: most rows a query returns before the answer is marked truncated
    result_limit: int = 10_000
    #: largest upload accepted, in bytes
    max_upload_bytes: int = 20 * 1024 * 1024
    #: the file of coordinators' accounts (hashed passwords) and their sessions, kept apart
    #: from the graph; empty for ``<data>/accounts.sqlite3``
    accounts: str = ""
    #: key signing the sign-in cookie; empty for the one kept in ``<data>/secret-key``
    #: (generated on first start, readable by its owner only), so a restart signs nobody out
    secret_key: str = dataclasses.field(default="", repr=False)
    #: show invented (illustrative) data, such as the demo, on the site: pages, lists, search,
    #: the home page's counts and map, pictures and analyses. A real deployment that keeps the
    #: demo loaded can hide it (the SPARQL endpoint and the dataset files still serve it, marked);
    #: ``cop-graph demo --remove`` takes it out of the store altogether
    show_illustrative: bool = True
    #: send the sign-in cookie only over HTTPS: "always", "never" (plain http://127.0.0.1
    #: development), or "auto" (when the request came over HTTPS)
    cookie_secure: str = "auto"
    #: rate limits (Flask-Limiter), counted per client address; off only for tests that
    #: send many requests from one address. See docs/web.md, "Rate limits"
    rate_limits: bool = True
    #: requests a minute to any page, picture or JSON twin from one address
    rate_limit_pages: str = "600 per minute"
    #: requests a minute to the SPARQL endpoint (its query page, descriptions and dumps) from
    #: one address
    rate_limit_sparql: str = "300 per minute"
    #: seconds of query time a minute the SPARQL endpoint spends on one address; a client
    #: whose queries take long meets its limit sooner than one asking quick questions
    rate_limit_sparql_seconds: float = 60.0
    #: sign-in forms sent a minute from one address (failed passwords are braked apart, per
    #: name and address: see docs/web.md)
    rate_limit_sign_in: str = "10 per minute"
    #: forms and uploads sent a minute from one address: imports, edits, assessments, undo
    rate_limit_forms: str = "30 per minute"
    #: where the counts are kept: "memory://" suits one server process; several processes
    #: need a store they share, such as "redis://host:6379" or "memcached://host:11211"
    #: (install its client: pip install redis, or pymemcache)
    rate_limit_storage: str = "memory://"
    #: addresses or networks never limited, comma-separated ("10.1.2.3, 192.168.0.0/24");
    #: none by default
    rate_limit_exempt: str = ""
    #: addresses or networks of the reverse proxies in front of the app, comma-separated; only
    #: a request from one of them has its client read from X-Forwarded-For
    trusted_proxies: str = ""


_ENV_PREFIX = "COP_GRAPH_"


def load_settings(environ: dict[str, str] | None = None, **overrides) -> Settings:
    """Settings from ``COP_GRAPH_<NAME>`` environment variables, then ``overrides``.

    >>> load_settings({"COP_GRAPH_PORT": "8080"}).port
    8080
    >>> load_settings({}, store="memory:").store
    'memory:'
    """
    environ = os.environ if environ is None else environ
    values = {}
    for field in fields(Settings):
        raw = environ.get(_ENV_PREFIX + field.name.upper())
        if raw is not None and raw != "":
            values[field.name] = _parse(raw, getattr(Settings(), field.name))
    settings = Settings(**values)
    settings = replace(settings, **{k: v for k, v in overrides.items() if v is not None})
    return _in_data_folder(settings)


def default_data_folder() -> Path:
    """The user's data folder for cop-graph (``$XDG_DATA_HOME/cop-graph``, by default
    ``~/.local/share/cop-graph`` on Linux): an absolute path, whatever the working folder."""
    return Path(platformdirs.user_data_dir("cop-graph", appauthor=False))


def _in_data_folder(settings: Settings) -> Settings:
    """``settings`` with the data folder made absolute and the store and accounts placed in
    it unless set on their own.

    >>> settings = _in_data_folder(Settings(data="/srv/cop"))
    >>> settings.store, settings.accounts
    ('/srv/cop/store', '/srv/cop/accounts.sqlite3')
    >>> _in_data_folder(Settings(data="/srv/cop", store="memory:")).store
    'memory:'
    """
    data = Path(settings.data).expanduser() if settings.data else default_data_folder()
    data = Path(os.path.abspath(data))
    return replace(
        settings,
        data=str(data),
        store=settings.store or str(data / "store"),
        accounts=settings.accounts or str(data / "accounts.sqlite3"),
    )


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _parse(raw: str, default):
    """``raw`` as the type of ``default`` (yes/no words for booleans, which ``bool()`` gets wrong).

    >>> _parse("false", True), _parse("8", 1), _parse("2.5", 1.0)
    (False, 8, 2.5)
    """
    if isinstance(default, bool):
        word = raw.strip().lower()
        if word not in _TRUE | _FALSE:
            raise ValueError(f'"{raw}" is not a yes/no value; use true or false')
        return word in _TRUE
    return type(default)(raw)
