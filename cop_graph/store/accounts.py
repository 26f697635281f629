"""Accounts: user names, hashed passwords, roles, who coordinates which community, the
sessions signed in, and a brake on guessing.

Accounts live in a small SQLite file named by the ``accounts`` setting, apart from the
graph: the public data can be dumped, copied and served without ever carrying a password
hash. Passwords are hashed with werkzeug's ``generate_password_hash`` (scrypt, salted) and
never stored or logged as given. Checking a name that does not exist costs as much as
checking a wrong password, so timing does not tell which names exist.

Each account has a role (:data:`ROLES`: ``viewer`` reads, ``coordinator`` keeps its own
communities and imports, ``administrator`` may do everything) and a list of the communities
it coordinates. Both are kept here, never in the graph: account names are personal data, and
the graph is published. What a role allows is decided in ``cop_graph.web.permissions``.
Files made before roles existed are brought up to date when opened: every account in them
becomes a coordinator, which is what they could do then.

Sessions live here too, so that one can be ended before it expires: the sign-in cookie holds
only a random session id, and this file the account it belongs to and when it began and was
last used (as a hash of the id: the file alone does not let anyone take over a session).
Signing out ends one session; a new password, removing the account (the rows go with it) or
an administrator (``cop-graph user end-sessions``) end all of an account's sessions.
"""

from __future__ import annotations

import hashlib
import re
import secrets
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

__all__ = [
    "ADMINISTRATOR",
    "COORDINATOR",
    "MIN_PASSWORD_LENGTH",
    "ROLES",
    "VIEWER",
    "Account",
    "Accounts",
    "AttemptLimiter",
    "SignedIn",
]

MIN_PASSWORD_LENGTH = 10
VIEWER = "viewer"
COORDINATOR = "coordinator"
ADMINISTRATOR = "administrator"
#: every role, from the one allowed least to the one allowed most
ROLES = (VIEWER, COORDINATOR, ADMINISTRATOR)
_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'coordinator'
);
CREATE TABLE IF NOT EXISTS coordinators (
    account TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    community TEXT NOT NULL,
    PRIMARY KEY (account, community)
);
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    started REAL NOT NULL,
    last_seen REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_of_account ON sessions (account);
"""
#: files made before roles existed lack the column; their accounts were all coordinators
_ADD_ROLE = "ALTER TABLE accounts ADD COLUMN role TEXT NOT NULL DEFAULT 'coordinator'"
#: compared against when the name is unknown, so that both cases take the same time
_DUMMY_HASH = generate_password_hash("not a password of anyone")


@dataclass(frozen=True)
class Account:
    """One account as listed (the hash never leaves this module), with its role and the
    communities (IRIs) it coordinates."""

    name: str
    created: str
    role: str = COORDINATOR
    communities: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SignedIn:
    """One session of an account, as listed: a short label (the start of its id's hash,
    enough to tell sessions apart, useless for taking one over) and when it began and was
    last used (UTC)."""

    label: str
    started: str
    last_seen: str


#: a session's last use is written down at most this often (seconds), not on every request
_SEEN_EVERY = 60.0


class Accounts:
    """The accounts file at ``path`` (created, readable by its owner only, on first write)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch(mode=0o600)
        connection = sqlite3.connect(self.path)
        connection.execute("PRAGMA foreign_keys = ON")
        with connection:
            connection.executescript(_SCHEMA)
            columns = {row[1] for row in connection.execute("PRAGMA table_info(accounts)")}
            if "role" not in columns:
                connection.execute(_ADD_ROLE)
        return connection

    @staticmethod
    def _checked_role(role: str) -> str:
        role = role.strip().casefold()
        if role not in ROLES:
            raise UsageError(f'"{role}" is not a role; a role is one of: {", ".join(ROLES)}')
        return role

    @staticmethod
    def normalise(name: str) -> str:
        """Names are compared without regard to case or surrounding spaces."""
        return name.strip().casefold()

    def add(self, name: str, password: str, role: str = COORDINATOR) -> Account:
        """Create an account; refuses a taken or malformed name, a short password and an
        unknown role."""
        name = self.normalise(name)
        role = self._checked_role(role)
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
                    "INSERT INTO accounts (name, password_hash, created, role) VALUES (?, ?, ?, ?)",
                    (name, generate_password_hash(password), created, role),
                )
        except sqlite3.IntegrityError:
            raise UsageError(f'there is already an account called "{name}"') from None
        return Account(name, created, role)

    def remove(self, name: str) -> bool:
        """Delete an account; False if there was none of that name."""
        if not self.path.exists():
            return False
        with closing(self._connect()) as db, db:
            cursor = db.execute("DELETE FROM accounts WHERE name = ?", (self.normalise(name),))
        return cursor.rowcount > 0

    def list(self) -> list[Account]:
        """Every account, by name, with its role and communities."""
        if not self.path.exists():
            return []
        with closing(self._connect()) as db:
            rows = db.execute("SELECT name, created, role FROM accounts ORDER BY name").fetchall()
            led = db.execute("SELECT account, community FROM coordinators").fetchall()
        communities: dict[str, set[str]] = defaultdict(set)
        for account, community in led:
            communities[account].add(community)
        return [
            Account(name, created, role, frozenset(communities[name]))
            for name, created, role in rows
        ]

    def get(self, name: str) -> Account | None:
        """The account called ``name`` with its role and communities, or None."""
        if not self.path.exists():
            return None
        with closing(self._connect()) as db:
            return _account(db, self.normalise(name))

    def set_role(self, name: str, role: str) -> Account:
        """Give the account called ``name`` the role ``role``."""
        role = self._checked_role(role)
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                "UPDATE accounts SET role = ? WHERE name = ?", (role, self.normalise(name))
            )
        if cursor.rowcount == 0:
            raise _no_such_account(name)
        return self.get(name)

    def add_coordinator(self, name: str, community: str) -> bool:
        """Record that the account ``name`` coordinates ``community`` (an IRI); False if it
        already did."""
        name = self.normalise(name)
        try:
            with closing(self._connect()) as db, db:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO coordinators (account, community) VALUES (?, ?)",
                    (name, str(community)),
                )
        except sqlite3.IntegrityError:  # the foreign key: no such account
            raise _no_such_account(name) from None
        return cursor.rowcount > 0

    def remove_coordinator(self, name: str, community: str) -> bool:
        """The account ``name`` no longer coordinates ``community``; False if it did not."""
        if not self.path.exists():
            return False
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                "DELETE FROM coordinators WHERE account = ? AND community = ?",
                (self.normalise(name), str(community)),
            )
        return cursor.rowcount > 0

    def coordinators_of(self, community: str) -> list[str]:
        """The names of the accounts coordinating ``community``, sorted."""
        if not self.path.exists():
            return []
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT account FROM coordinators WHERE community = ? ORDER BY account",
                (str(community),),
            ).fetchall()
        return [name for (name,) in rows]

    def others_coordinate(self, name: str) -> bool:
        """Whether any account but ``name`` coordinates a community."""
        if not self.path.exists():
            return False
        with closing(self._connect()) as db:
            query = "SELECT 1 FROM coordinators WHERE account != ? LIMIT 1"
            return db.execute(query, (self.normalise(name),)).fetchone() is not None

    def claim(self, name: str, communities) -> list[str]:
        """Make ``name`` a coordinator of each of ``communities`` that nobody coordinates yet
        (the account that first records a community looks after it); the ones claimed."""
        claimed = [str(c) for c in communities if not self.coordinators_of(c)]
        for community in claimed:
            self.add_coordinator(name, community)
        return claimed

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
        return self.get(row[0]) if check_password_hash(row[1], password) else None

    def set_password(self, name: str, password: str, keep_session: str | None = None) -> int:
        """Give the account ``name`` a new password and end its sessions (all but
        ``keep_session``, the id of the session that asked for the change, if given): a
        stolen session does not outlive the password. The number of sessions ended."""
        if len(password) < MIN_PASSWORD_LENGTH:
            raise UsageError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
        name = self.normalise(name)
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                "UPDATE accounts SET password_hash = ? WHERE name = ?",
                (generate_password_hash(password), name),
            )
            if cursor.rowcount == 0:
                raise _no_such_account(name)
            return _end_sessions(db, name, keep_session)

    def start_session(self, name: str, max_idle: float, now: float | None = None) -> str:
        """A new session of the account ``name``: its random id, for the cookie. Sessions
        unused for ``max_idle`` seconds are cleared away on the way."""
        now = time.time() if now is None else now
        session_id = secrets.token_urlsafe(32)
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM sessions WHERE last_seen < ?", (now - max_idle,))
            try:
                db.execute(
                    "INSERT INTO sessions (id_hash, account, started, last_seen) "
                    "VALUES (?, ?, ?, ?)",
                    (_hashed(session_id), self.normalise(name), now, now),
                )
            except sqlite3.IntegrityError:  # the foreign key: no such account
                raise _no_such_account(name) from None
        return session_id

    def session_account(
        self, session_id: str, max_idle: float, now: float | None = None
    ) -> Account | None:
        """The account whose session has the id ``session_id``, noting that it was used; None
        when there is no such session (ended, or never begun) or it went unused for
        ``max_idle`` seconds (then it is ended)."""
        if not self.path.exists() or not isinstance(session_id, str):
            return None
        now = time.time() if now is None else now
        id_hash = _hashed(session_id)
        with closing(self._connect()) as db, db:
            row = db.execute(
                "SELECT account, last_seen FROM sessions WHERE id_hash = ?", (id_hash,)
            ).fetchone()
            if row is None:
                return None
            name, last_seen = row
            if last_seen < now - max_idle:
                db.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,))
                return None
            if now - last_seen >= _SEEN_EVERY:
                db.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", (now, id_hash))
            return _account(db, name)

    def end_session(self, session_id: str) -> bool:
        """End one session (signing out); False if there was none with that id."""
        if not self.path.exists():
            return False
        with closing(self._connect()) as db, db:
            cursor = db.execute("DELETE FROM sessions WHERE id_hash = ?", (_hashed(session_id),))
        return cursor.rowcount > 0

    def end_sessions(self, name: str, keep_session: str | None = None) -> int:
        """End every session of the account ``name`` but ``keep_session`` (an id), if given;
        the number ended."""
        if not self.path.exists():
            return 0
        with closing(self._connect()) as db, db:
            return _end_sessions(db, self.normalise(name), keep_session)

    def sessions(self, name: str) -> list[SignedIn]:
        """The sessions of the account ``name``, the most recently used first."""
        if not self.path.exists():
            return []
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT id_hash, started, last_seen FROM sessions WHERE account = ? "
                "ORDER BY last_seen DESC",
                (self.normalise(name),),
            ).fetchall()
        return [SignedIn(id_hash[:8], _utc(started), _utc(seen)) for id_hash, started, seen in rows]


def _account(db: sqlite3.Connection, name: str) -> Account | None:
    """The account called ``name`` (normalised) with its role and communities, or None."""
    row = db.execute("SELECT name, created, role FROM accounts WHERE name = ?", (name,)).fetchone()
    if row is None:
        return None
    led = db.execute("SELECT community FROM coordinators WHERE account = ?", (name,))
    return Account(*row, frozenset(community for (community,) in led))


def _hashed(session_id: str) -> str:
    """What the file keeps of a session id: its SHA-256, so that the file alone does not let
    anyone take over a session (the id is 256 random bits: no salt or slow hash is needed)."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def _end_sessions(db: sqlite3.Connection, name: str, keep_session: str | None) -> int:
    kept = _hashed(keep_session) if keep_session else ""
    cursor = db.execute("DELETE FROM sessions WHERE account = ? AND id_hash != ?", (name, kept))
    return cursor.rowcount


def _utc(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=0).isoformat()


def _no_such_account(name: str) -> UsageError:
    return UsageError(
        f'there is no account called "{Accounts.normalise(name)}"; '
        "'cop-graph user list' lists them"
    )


class AttemptLimiter:
    """At most ``limit`` failed sign-ins per key (a name, an address) in ``window`` seconds.

    Kept in memory: one server process serves the app (the on-disk store allows one), and
    a restart forgetting the count is no help to a guesser who must wait for it. Keys with no
    failure left in the window are forgotten, so guessing many names cannot fill the memory.

    >>> clock = [0.0]
    >>> limiter = AttemptLimiter(limit=2, window=60, clock=lambda: clock[0])
    >>> limiter.failed("sam"); limiter.failed("sam"); limiter.blocked("sam")
    True
    >>> limiter.retry_after("sam")
    60.0
    >>> clock[0] = 61.0; limiter.blocked("sam")
    False
    """

    #: how many keys are kept before those with no recent failure are dropped
    PRUNE_AT = 10_000

    def __init__(self, limit: int = 5, window: float = 15 * 60, clock: Callable = time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str) -> deque:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= self.clock() - self.window:
            failures.popleft()
        return failures

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key)) >= self.limit

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` is no longer blocked; 0 when it is not."""
        with self._lock:
            failures = self._recent(key)
            if len(failures) < self.limit:
                return 0.0
            return failures[len(failures) - self.limit] + self.window - self.clock()

    def failed(self, key: str) -> None:
        with self._lock:
            self._count(key)

    def take(self, key: str) -> bool:
        """Count an attempt for ``key`` unless it is blocked, in one step (two requests at once
        cannot both pass); whether it was counted."""
        with self._lock:
            if len(self._recent(key)) >= self.limit:
                return False
            self._count(key)
            return True

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _count(self, key: str) -> None:
        if key not in self._failures and len(self._failures) >= self.PRUNE_AT:
            for stale in [k for k in self._failures if not self._recent(k)]:
                del self._failures[stale]
        failures = self._recent(key)
        failures.append(self.clock())
        self._failures[key] = failures
