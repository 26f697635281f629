"""What every command shares: the settings, the store opened on first use, and the package's
errors turned into one-sentence messages and the documented exit codes.

An on-disk store is opened through :mod:`cop_graph.store.owner`, so commands work while
``cop-graph serve`` runs: a command finding the store held by the server works through the
server's store API (saying so on stderr), and one finding it held by another command waits
for it (saying whom it waits for) up to the ``--wait`` time, then exits 2. ``user`` commands
never open the store: accounts live in their own file, which the server reads per request.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from cop_graph.config import default_data_folder, load_settings
from cop_graph.errors import CopGraphError, ValidationFailed
from cop_graph.store import Store, open_store
from cop_graph.store.owner import Opened, open_owned

__all__ = ["Context", "handles_errors", "on_disk"]


class Context:
    """The settings, and the store opened on first use (closed when the command ends)."""

    def __init__(
        self, store_location: str | None, wait: float | None = None, data: str | None = None
    ):
        self.settings = load_settings(store=store_location, store_wait=wait, data=data)
        self._opened: Opened | None = None

    @property
    def store(self) -> Store:
        if self._opened is None:
            self._opened = self._open(serving=False)
        return self._opened.store

    def open_for_serving(self) -> Opened:
        """The store opened as the web app reads it, held by this process.

        An on-disk store another server holds is refused rather than worked through (one
        server per store); one another command holds is waited for, as commands wait.
        """
        if self._opened is None:
            self._opened = self._open(serving=True)
            store = self._opened.store
            if self._opened.claim is not None and self.settings.memory_reads:
                click.echo("Reading the store into memory…", err=True)
                store.keep_copy_in_memory()
        return self._opened

    def _open(self, *, serving: bool) -> Opened:
        location = self.settings.store
        if on_disk(location):
            _point_to_the_old_default(self.settings)
            return open_owned(
                location,
                click.get_current_context().command_path,
                wait=self.settings.store_wait,
                say=lambda message: click.echo(message, err=True),
                through_server=not serving,
            )
        if serving:
            from cop_graph.web import open_app_store

            return Opened(open_app_store(self.settings))
        return Opened(open_store(location))

    def store_exists(self) -> bool:
        """Whether there is a store to read (for commands that can do without one)."""
        location = self.settings.store
        return not on_disk(location) or Path(location).is_dir()

    def close(self) -> None:
        if self._opened is not None:
            opened, self._opened = self._opened, None
            opened.close()


def _point_to_the_old_default(settings) -> None:
    """Say where the store used to be by default (``var/store`` under the working folder),
    when there is one there and none yet in the default data folder: the move to one data
    folder would otherwise look like an empty store."""
    old = Path("var") / "store"
    store = Path(settings.store)
    if settings.data == str(default_data_folder()) and not store.exists() and old.is_dir():
        click.echo(
            f"Note: there is no store in {store} yet, but there is one in {old.resolve()} "
            "(where stores were kept before the data folder): give --data "
            f"{old.parent.resolve()} (or COP_GRAPH_DATA) to use it.",
            err=True,
        )


def on_disk(location: str) -> bool:
    """Whether ``location`` names an embedded on-disk store (a folder, not memory or a URL)."""
    return location != "memory:" and not location.startswith(("http://", "https://"))


def handles_errors(command):
    """Turn the package's errors into one-sentence messages and the documented exit codes."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ValidationFailed as failure:
            click.echo(f"Not saved: {failure}", err=True)
            for line in failure.lines():
                click.echo(f"  - {line}", err=True)
            sys.exit(failure.exit_code)
        except CopGraphError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper
