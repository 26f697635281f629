"""Coordinators' accounts: user names and hashed passwords, and a brake on guessing.

Accounts live in a small SQLite file named by the ``accounts`` setting, apart from the
graph: the public data can be dumped, copied and served without ever carrying a password
hash. Passwords are hashed with werkzeug's ``generate_password_hash`` (scrypt, salted) and
never stored or logged as given. Checking a name that does not exist costs as much as
checking a wrong password, so timing does not tell which names exist.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from cop_graph.errors import UsageError

__all__ = ["MIN_PASSWORD_LENGTH", "Account", "Accounts", "AttemptLimiter"]

MIN_PASSWORD_LENGTH = 10
_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created TEXT NOT NULL
)
"""
#: compared against when the name is unknown, so that both cases take the same time
_DUMMY_HASH = generate_password_hash("not a password of anyone")


@dataclass(frozen=True)
class Account:
    """One coordinator's account as listed (the hash never leaves this module)."""

    name: str
    created: str


class Accounts:
    """The accounts file at ``path`` (created, readable by its owner only, on first write)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch(mode=0o600)
        connection = sqlite3.connect(self.path)
        connection.execute(_SCHEMA)
        return connection

    @staticmethod
    def normalise(name: str) -> str:
        """Names are compared without regard to case or surrounding spaces."""
        return name.strip().casefold()

    def add(self, name: str, password: str) -> Account:
        """Create an account; refuses a taken or malformed name and a short password."""
        name = self.normalise(name)
        if not _NAME.match(name):
            raise UsageError(
                "a user name is 1 to 64 letters, digits, dots, dashes, underscores or @, "
                "starting with a letter or digit"
            )
        if len(password) < MIN_PASSWORD_LENGTH:
            raise UsageError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
        created = datetime.now(UTC).replace(microsecond=0).isoformat()
        try:
            with closing(self._connect()) as db, db:
                db.execute(
                    "INSERT INTO accounts (name, password_hash, created) VALUES (?, ?, ?)",
                    (name, generate_password_hash(password), created),
                )
        except sqlite3.IntegrityError:
            raise UsageError(f'there is already an account called "{name}"') from None
        return Account(name, created)

    def remove(self, name: str) -> bool:
        """Delete an account; False if there was none of that name."""
        if not self.path.exists():
            return False
        with closing(self._connect()) as db, db:
            cursor = db.execute("DELETE FROM accounts WHERE name = ?", (self.normalise(name),))
        return cursor.rowcount > 0

    def list(self) -> list[Account]:
        """Every account, by name."""
        if not self.path.exists():
            return []
        with closing(self._connect()) as db:
            rows = db.execute("SELECT name, created FROM accounts ORDER BY name").fetchall()
        return [Account(name, created) for name, created in rows]

    def exists(self, name: str) -> bool:
        """Whether there is an account called ``name``."""
        if not self.path.exists():
            return False
        with closing(self._connect()) as db:
            query = "SELECT 1 FROM accounts WHERE name = ?"
            return db.execute(query, (self.normalise(name),)).fetchone() is not None

    def check(self, name: str, password: str) -> Account | None:
        """The account if ``password`` is its password, else None."""
        row = None
        if self.path.exists():
            with closing(self._connect()) as db:
                row = db.execute(
                    "SELECT name, password_hash, created FROM accounts WHERE name = ?",
                    (self.normalise(name),),
                ).fetchone()
        if row is None:
            check_password_hash(_DUMMY_HASH, password)
            return None
        return Account(row[0], row[2]) if check_password_hash(row[1], password) else None


class AttemptLimiter:
    """At most ``limit`` failed sign-ins per key (a name, an address) in ``window`` seconds.

    Kept in memory: one server process serves the app (the on-disk store allows one), and
    a restart forgetting the count is no help to a guesser who must wait for it.

    >>> clock = [0.0]
    >>> limiter = AttemptLimiter(limit=2, window=60, clock=lambda: clock[0])
    >>> limiter.failed("sam"); limiter.failed("sam"); limiter.blocked("sam")
    True
    >>> clock[0] = 61.0; limiter.blocked("sam")
    False
    """

    def __init__(self, limit: int = 5, window: float = 15 * 60, clock: Callable = time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str) -> deque:
        failures = self._failures[key]
        while failures and failures[0] <= self.clock() - self.window:
            failures.popleft()
        return failures

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key)) >= self.limit

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(self.clock())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
