"""The brake on guessing passwords, which an attacker cannot turn against the real user.

Counting failures per name alone would let anyone who knows a coordinator's name lock them out
from everywhere with a few wrong passwords. So the brake counts failed sign-ins (a wrong name or
password; a refused attempt is not counted again) three ways, each over 15 minutes:

- per name *and* address: after 5 failures, that address may not try that name again until the
  oldest of them is 15 minutes old;
- per address, across names: after 20 failures, that address waits (guessing many names);
- per name, across addresses: past 100 failures (only many addresses together reach it), the
  name is *slowed*, not locked: one attempt every 10 seconds is let through, from any address.

The real user, from their own address, is never refused because of someone else's guesses,
except for at most the slow-down's few seconds during a wide attack. Every refusal says how
long to wait. The counts are kept in memory, per server process
(:class:`~cop_graph.store.accounts.AttemptLimiter`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from cop_graph.store.accounts import AttemptLimiter

__all__ = ["Refusal", "SignInThrottle"]

#: the minutes over which failures are counted
WINDOW = 15 * 60


@dataclass(frozen=True)
class Refusal:
    """Why an attempt to sign in is refused, in words for the visitor, and how many seconds
    to wait."""

    reason: str
    wait: int


class SignInThrottle:
    """Failed sign-ins counted per (name, address), per address and per name.

    >>> clock = [0.0]
    >>> throttle = SignInThrottle(per_pair=2, per_name=3, clock=lambda: clock[0])
    >>> for _ in range(2):
    ...     throttle.failed("sam", "192.0.2.1")
    >>> throttle.refusal("sam", "192.0.2.1").wait
    900
    >>> throttle.refusal("sam", "198.51.100.7") is None  # the real user, from elsewhere
    True
    """

    def __init__(
        self,
        per_pair: int = 5,
        per_address: int = 20,
        per_name: int = 100,
        slow_interval: float = 10.0,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.pairs = AttemptLimiter(per_pair, window, clock)
        self.addresses = AttemptLimiter(per_address, window, clock)
        self.names = AttemptLimiter(per_name, window, clock)
        #: a name past ``per_name`` failures lets one attempt through each ``slow_interval``
        self.slowed = AttemptLimiter(1, slow_interval, clock)

    @staticmethod
    def _pair(name: str, address: str) -> str:
        return f"{address} {name}"  # a name holds no space (accounts.py), an address neither

    def refusal(self, name: str, address: str) -> Refusal | None:
        """Why ``name`` may not be tried from ``address`` now, or None when it may (a slowed
        name's attempt is then counted as its one for the interval)."""
        wait = self.pairs.retry_after(self._pair(name, address))
        if wait > 0:
            return Refusal(
                "Too many attempts to sign in as this name from your address.", _up(wait)
            )
        wait = self.addresses.retry_after(address)
        if wait > 0:
            return Refusal("Too many attempts to sign in from your address.", _up(wait))
        if self.names.blocked(name) and not self.slowed.take(name):
            message = (
                "Many attempts to sign in as this name have failed lately, so attempts are "
                "slowed down."
            )
            return Refusal(message, _up(self.slowed.retry_after(name)))
        return None

    def failed(self, name: str, address: str) -> None:
        """Count a wrong name or password for ``name`` from ``address``."""
        self.pairs.failed(self._pair(name, address))
        self.addresses.failed(address)
        self.names.failed(name)

    def succeeded(self, name: str, address: str) -> None:
        """Forget the failures of ``name`` from ``address`` (the address's count across names,
        and the name's across addresses, stay: a guesser's own account must not reset them)."""
        self.pairs.succeeded(self._pair(name, address))


def _up(seconds: float) -> int:
    return max(1, math.ceil(seconds))
