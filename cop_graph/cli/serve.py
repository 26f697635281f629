"""``cop-graph serve``: the web app under waitress, as the owner of the store.

While it runs, other ``cop-graph`` commands on the same on-disk store work through it: once
the server listens, it writes its address and a fresh random token into the owner record
beside the store (see :mod:`cop_graph.store.owner`) and opens its store API
(``web/store_api.py``) to that token; meanwhile it builds the analyses' graphs, so that pages
and ``cop-graph analyse`` answer without building them. Stopping it (Ctrl+C, or SIGTERM from
a service manager) finishes the requests under way, then flushes the store and removes the
record.
"""

from __future__ import annotations

import secrets
import signal
import threading
from contextlib import contextmanager

import click

from cop_graph.cli.context import Context, handles_errors
from cop_graph.errors import UsageError

__all__ = ["serve"]


@click.command()
@click.option("--host", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port (default 5000; 0 picks a free one).")
@click.pass_obj
@handles_errors
def serve(obj: Context, host: str | None, port: int | None):
    """Serve the web browser and API with a production WSGI server (waitress).

    Other cop-graph commands keep working on the same store while it runs: they go through
    the server.
    """
    from waitress.server import create_server

    from cop_graph.web import create_app
    from cop_graph.web.store_api import authorise

    settings = obj.settings
    opened = obj.open_for_serving()
    app = create_app({"STORE": opened.store, "SETTINGS": settings})
    host = host or settings.host
    port = settings.port if port is None else port
    try:
        server = create_server(app, host=host, port=port, threads=settings.threads)
    except OSError as error:
        raise UsageError(f"cannot listen on {host} port {port}: {error.strerror}") from error
    where = _listening(server)
    if opened.claim is not None:
        token = secrets.token_urlsafe(32)
        authorise(app, token)
        opened.claim.publish(f"{_local_url(*where)}/_store/query", token)
    click.echo(f"Serving {settings.store} on http://{host}:{where[1]}/ (Ctrl+C to stop)")
    threading.Thread(target=_build_ahead, args=(app,), name="analysis-graphs", daemon=True).start()
    with _stopped_by_sigterm():
        server.run()


def _build_ahead(app) -> None:
    """Build the analyses' graphs while the server already answers (see
    :func:`cop_graph.web.analysis.build_graphs_ahead`), and say when they are ready."""
    from cop_graph.web.analysis import build_graphs_ahead

    try:
        seconds = build_graphs_ahead(app)
    except Exception as error:  # the first request that needs them builds them instead
        # the error's type only: its text could quote the data
        click.echo(
            f"Could not build the analyses' graphs ahead ({type(error).__name__}).", err=True
        )
        return
    click.echo(f"The analyses' graphs are built ({seconds:.1f} s).", err=True)


def _listening(server) -> tuple[str, int]:
    """The first address and port waitress listens on."""
    listening = getattr(server, "effective_listen", None)
    if listening:
        return listening[0][0], listening[0][1]
    return server.effective_host, server.effective_port


def _local_url(host: str, port: int) -> str:
    """How a program on this machine reaches a server listening on ``host``."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@contextmanager
def _stopped_by_sigterm():
    """Let SIGTERM stop the server as Ctrl+C does, so that the store is closed properly."""

    def stop(signum, frame):
        raise SystemExit(0)  # waitress's loop takes this as the signal to shut down

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (an embedding program): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
