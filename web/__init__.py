"""The Flask web app: ``create_app`` builds it, ``init_app`` opens the store once.

This folder is the import package ``cop_graph.web`` (see ``pyproject.toml``); it lives at
the top of the repository so that templates and static files are easy to find and edit.
"""

from __future__ import annotations

from flask import Flask

from cop_graph.config import load_settings
from cop_graph.store import open_store
from cop_graph.web.headers import CONTENT_SECURITY_POLICY, security_headers

__all__ = ["CONTENT_SECURITY_POLICY", "create_app", "open_app_store"]


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. ``test_config`` may hold ``STORE`` (an open store) and ``SETTINGS``."""
    app = Flask(__name__)
    settings = (test_config or {}).get("SETTINGS") or load_settings()
    app.config.from_mapping(
        SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
    )
    if test_config:
        app.config.update(test_config)
    init_app(app)

    from cop_graph.web import (
        account,
        addresses,
        analysis,
        assessment,
        auth,
        browsing,
        downloads,
        editing,
        entities,
        errors,
        home,
        imports,
        limits,
        lists,
        mine,
        network_view,
        ontology,
        pictures,
        search,
        sources,
        sparql,
        store_api,
        workbooks,
    )

    addresses.init_addresses(app)  # names in addresses checked before any view runs
    errors.init_errors(app)  # one shape for every failure, as a page or as JSON
    browsing.init_browsing(app)  # link helpers, the demo-data banner everywhere
    for area in (home, search, entities, lists, ontology, downloads, pictures, sources):
        app.register_blueprint(area.blueprint)
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(analysis.blueprint)
    app.register_blueprint(network_view.blueprint)  # the network page's interactive view
    auth.init_auth(app)  # sessions, CSRF on every form, accounts, sign-in pages
    auth.csrf.exempt(sparql.blueprint)  # the SPARQL protocol is for programs, and reads only
    app.register_blueprint(imports.blueprint)
    app.register_blueprint(assessment.blueprint)
    app.register_blueprint(workbooks.blueprint)  # a community's record as a workbook
    app.register_blueprint(editing.blueprint)  # a community's edit form, and a new one's
    app.register_blueprint(mine.blueprint)  # a signed-in account's own communities
    app.register_blueprint(account.blueprint)  # a signed-in account's password
    store_api.init_store_api(app)  # the store owner's API, for commands while serving
    limits.init_limits(app)  # requests per client address, once every blueprint is known
    app.after_request(security_headers)
    return app


def init_app(app: Flask) -> None:
    """Open the store named by the settings once, unless the caller passed one in, and keep
    it in the app's one :class:`~cop_graph.web.state.WebState`."""
    from cop_graph.web.state import WebState, install_state

    store = app.config.get("STORE") or open_app_store(app.config["SETTINGS"])
    install_state(app, WebState(settings=app.config["SETTINGS"], store=store))


def open_app_store(settings):
    """The store as the web app reads it.

    A remote store waits for each query no longer than the endpoint's time limit (plus a
    second for the answer to travel), so a question the app has given up on frees its thread;
    an on-disk store keeps a copy in memory for reading unless the settings say not to.
    """
    return open_store(
        settings.store,
        query_timeout=settings.query_timeout + 1,
        memory_reads=settings.memory_reads,
    )
