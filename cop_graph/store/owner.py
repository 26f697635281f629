"""Who holds the on-disk store, and how everyone else works alongside them.

RocksDB lets one process open the store, and pyoxigraph's read-only mode on a store that
another process writes is undefined behaviour. So the store has one owner at a time, and every
other program works through the owner or waits for it:

- Whoever opens the store writes an *owner record* beside it, ``<store>.owner.json``, readable
  by its user only: the process id, the command, since when, and, for ``cop-graph serve``, the
  local address of the server's store API and a random token for it. Closing the store
  removes the record; a record whose process is gone (killed) is stale, ignored and replaced.
- A program that finds the store locked reads the record. When the owner is a server that
  answers, the program works through the server's store API (``web/store_api.py``, answered by
  :mod:`cop_graph.store.served`), which speaks the SPARQL 1.1 protocols exactly as
  :class:`~cop_graph.store.remote.RemoteStore` expects: the program gets a ``RemoteStore`` and
  nothing else changes. Otherwise it waits for the lock, saying whom it waits for, up to a
  time limit.

The token is a secret of the user running the server: it lives only in the record (mode 0600)
and in the server's memory, and is never logged. A record written by another user is ignored.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path

import requests

from cop_graph.store.base import Store, StoreInUse
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.store.remote import RemoteStore

__all__ = ["Claim", "Opened", "Owner", "open_owned", "owner_file", "read_owner"]

#: how often a waiting program tries the lock again, in seconds
POLL_SECONDS = 0.25
#: how long a server may take to say it is there before it counts as not answering
PING_SECONDS = 5.0
#: time limit per request through the server: an import's commit may move a million facts
SERVER_TIMEOUT = 600.0

_PING = {"query": "ASK {}"}
_NOBODY_YET = object()


@dataclass(frozen=True)
class Owner:
    """What an owner record says: who holds the store, and how to reach it if it is a server."""

    pid: int
    command: str
    since: str
    #: the query URL of the server's store API (its siblings answer updates and graphs)
    api: str | None = None
    token: str | None = None

    def describe(self) -> str:
        return f"'{self.command}' (pid {self.pid}, since {self.since})"


def owner_file(store_path: str | Path) -> Path:
    """Where the owner record of the store at ``store_path`` lives: beside the folder."""
    folder = Path(store_path).absolute()
    return folder.with_name(folder.name + ".owner.json")


def read_owner(store_path: str | Path) -> Owner | None:
    """The owner of the store, or None when there is no record or its process is gone."""
    owner = _read(owner_file(store_path))
    return owner if owner is not None and _alive(owner.pid) else None


class Claim:
    """This process's owner record of one store: written on opening, removed on closing."""

    def __init__(self, store_path: str | Path, command: str):
        self.path = owner_file(store_path)
        self.owner = Owner(os.getpid(), command, datetime.now().isoformat(timespec="seconds"))
        _write(self.path, self.owner)

    def publish(self, api: str, token: str) -> None:
        """Say that the store API of this server answers at ``api`` and takes ``token``."""
        self.owner = replace(self.owner, api=api, token=token)
        _write(self.path, self.owner)

    def release(self) -> None:
        """Remove the record, unless another owner has replaced it meanwhile."""
        if _read(self.path) == self.owner:
            self.path.unlink(missing_ok=True)


@dataclass
class Opened:
    """A store opened by :func:`open_owned`, and what closing it must undo."""

    store: Store
    #: this process's record, when it holds the store itself
    claim: Claim | None = None
    #: the server this process works through, when it does not
    server: Owner | None = None
    session: requests.Session | None = None

    def close(self) -> None:
        try:
            self.store.close()
        finally:
            if self.session is not None:
                self.session.close()
            if self.claim is not None:
                self.claim.release()


def open_owned(
    path: str | Path,
    command: str,
    *,
    wait: float,
    say: Callable[[str], None],
    memory_reads: bool = False,
    through_server: bool = True,
) -> Opened:
    """Open the on-disk store at ``path`` as ``command``: hold it, work through it, or wait.

    ``say`` tells the person at the keyboard what is happening (once per new owner).
    ``through_server=False`` (for ``serve``) refuses a store another server holds rather
    than working through it. Raises :class:`StoreInUse` when ``wait`` seconds pass first.
    """
    deadline = time.monotonic() + wait
    told: object = _NOBODY_YET
    while True:
        try:
            store = OxigraphStore(path)
        except StoreInUse as in_use:
            owner = read_owner(path)
            if owner is not None and owner.api:
                if not through_server:
                    raise StoreInUse(
                        f"the store at {path} is already served by {owner.describe()}; "
                        "stop that server first"
                    ) from None
                opened = _through(owner)
                if opened is not None:
                    say(
                        f"The store is held by the running server (pid {owner.pid}); "
                        "working through it."
                    )
                    return opened
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StoreInUse(_still_held(path, owner, wait)) from in_use
            if owner != told:
                told = owner
                say(_waiting(path, owner, remaining))
            time.sleep(min(POLL_SECONDS, remaining))
            continue
        try:
            claim = Claim(path, command)
            if memory_reads:
                store.keep_copy_in_memory()
        except BaseException:
            store.close()
            raise
        return Opened(store, claim=claim)


def _through(owner: Owner) -> Opened | None:
    """A store working through the server ``owner``, or None if the server does not answer."""
    session = requests.Session()
    session.trust_env = False  # straight to the local server: no proxy ever sees the token
    session.headers["Authorization"] = f"Bearer {owner.token}"
    try:
        answer = session.post(owner.api, data=_PING, timeout=PING_SECONDS)
        if answer.status_code == 200:
            remote = RemoteStore(owner.api, session=session, timeout=SERVER_TIMEOUT)
            return Opened(remote, server=owner, session=session)
    except requests.RequestException:
        pass
    session.close()
    return None


def _waiting(path, owner: Owner | None, remaining: float) -> str:
    if owner is None:
        holder = "another program that has not said who it is"
    elif owner.api:
        holder = f"{owner.describe()}, which does not answer at {owner.api}"
    elif owner.command.endswith(" serve"):
        holder = f"{owner.describe()}, which is still starting"
    else:
        holder = owner.describe()
    return f"The store at {path} is held by {holder}; waiting up to {remaining:.0f} s for it…"


def _still_held(path, owner: Owner | None, waited: float) -> str:
    holder = owner.describe() if owner is not None else "another program"
    after = f" after {waited:g} seconds" if waited > 0 else ""
    return (
        f"the store at {path} is still held by {holder}{after}; try again when it has "
        "finished, or wait longer with --wait SECONDS"
    )


def _read(path: Path) -> Owner | None:
    """The record at ``path``, if there is one and this user wrote it.

    A record someone else wrote is ignored: it could send this user's commands, and the
    data they carry, to a server of theirs.
    """
    try:
        if path.stat().st_uid != os.getuid():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return Owner(
            pid=int(data["pid"]),
            command=str(data["command"]),
            since=str(data["since"]),
            api=data.get("api"),
            token=data.get("token"),
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _write(path: Path, owner: Owner) -> None:
    """Replace the record in one step, never readable by other users even for a moment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    draft.unlink(missing_ok=True)
    # a new file of our own, never one (or a link) that is already there
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump(asdict(owner), stream)
    os.replace(draft, path)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, killed but not yet reaped, does not)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")
