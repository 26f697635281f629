"""Rate limits per client address, so that one client cannot keep the site busy for everyone.

Flask-Limiter counts requests per address (the ``rate_limit_*`` settings in
:mod:`cop_graph.config`): every page and JSON twin, the SPARQL endpoint (its own count), sign-in
forms and every other form or upload (stricter). The SPARQL endpoint also has a budget of query
*seconds* a minute per address (:class:`QueryBudget`): a request spends the time it took, so a
client whose queries take long meets its limit sooner than one asking quick questions. The
counts are kept in the limiter's storage (memory for one server process; several processes
share one with ``rate_limit_storage``, such as Redis), the seconds budget in the same storage.

Every refusal is a 429 in the site's one error shape with ``Retry-After``. The client's address
is the direct peer's, unless that peer is a trusted proxy (:func:`client_address`); no address is
exempt unless the ``rate_limit_exempt`` setting lists it. The store owner's API (commands run
while the site serves, holding its secret token) is not limited.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask, g, request
from flask_limiter import ApplicationLimit, Limit, Limiter, RequestLimit
from limits import RateLimitItemPerMinute
from limits.strategies import RateLimiter

from cop_graph.web.errors import error_response
from cop_graph.web.state import app_state, state_of

__all__ = [
    "QueryBudget",
    "client_address",
    "init_limits",
    "networks",
    "resolve_client",
    "too_many",
]

log = logging.getLogger(__name__)

#: where the limits keep their rules in the app's state (``extras``)
_KEY = "limits"
#: the SPARQL protocol's own addresses, where queries of any cost are asked
_QUERY_ENDPOINTS = frozenset({"sparql.endpoint", "sparql.endpoint_slash"})
#: methods that only read, so are no form or upload
_READS = frozenset({"GET", "HEAD", "OPTIONS"})

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class _Rules:
    """What the limits of one app need at each request: the parsed address settings, the
    limiter (None when rate limits are off) and the SPARQL seconds budget."""

    trusted_proxies: tuple[_Network, ...]
    exempt: tuple[_Network, ...]
    limiter: Limiter | None = None
    budget: QueryBudget | None = None


def networks(text: str, setting: str) -> tuple[_Network, ...]:
    """The comma-separated addresses and networks of the setting ``setting``.

    >>> [str(n) for n in networks("10.0.0.1, 192.168.0.0/24", "trusted_proxies")]
    ['10.0.0.1/32', '192.168.0.0/24']
    >>> networks("10.0.0.300", "trusted_proxies")
    Traceback (most recent call last):
    ...
    ValueError: the trusted_proxies setting holds "10.0.0.300", not an address or a network
    """
    found = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            message = f'the {setting} setting holds "{part}", not an address or a network'
            raise ValueError(message) from None
    return tuple(found)


def _address(text: str):
    """``text`` as an IP address (an IPv4 address written as IPv6 read as IPv4), else None."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _within(text: str, among: Iterable[_Network]) -> bool:
    address = _address(text)
    return address is not None and any(address in network for network in among)


def resolve_client(peer: str, forwarded: str | None, trusted: Iterable[_Network]) -> str:
    """The client's address: ``peer`` (the direct peer), unless it is a trusted proxy, whose
    ``X-Forwarded-For`` (``forwarded``) is then read from the right, past other trusted
    proxies, to the first address that is not one.

    A client can write anything in the header, so only what a trusted proxy added counts; a
    hop that is not an address makes the answer the peer's own.

    >>> proxy = networks("10.0.0.0/8", "trusted_proxies")
    >>> resolve_client("203.0.113.9", "198.51.100.1", proxy)  # not a proxy: header ignored
    '203.0.113.9'
    >>> resolve_client("10.0.0.2", "198.51.100.1, 203.0.113.7, 10.0.0.5", proxy)
    '203.0.113.7'
    """
    trusted = tuple(trusted)
    if not forwarded or not _within(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if _address(hop) is None:
            return peer
        if not _within(hop, trusted):
            return str(_address(hop))
    return str(_address(hops[0])) if hops else peer


def client_address() -> str:
    """The address of the current request's client, as every limit and the sign-in brake
    count it (see :func:`resolve_client`)."""
    rules = _rules()
    peer = request.remote_addr or "unknown"
    forwarded = request.headers.get("X-Forwarded-For")
    return resolve_client(peer, forwarded, rules.trusted_proxies if rules else ())


def _rules() -> _Rules | None:
    return app_state().extras.get(_KEY)


def _is_exempt() -> bool:
    rules = _rules()
    return bool(rules and rules.exempt and _within(client_address(), rules.exempt))


class QueryBudget:
    """Seconds of query time a minute per client, spent as each query ends.

    Counted in milliseconds with the limiter's own strategy and storage (so several server
    processes share it when they share the storage). A request is refused once the client's
    minute is spent; the query that spends the last of it is not cut short, so a client asking
    several long queries at once can overrun its minute by them, and then waits longer.

    >>> from limits.storage import MemoryStorage
    >>> from limits.strategies import FixedWindowRateLimiter
    >>> budget = QueryBudget(FixedWindowRateLimiter(MemoryStorage()), seconds_per_minute=2)
    >>> budget.wait_for("a") is None
    True
    >>> budget.spend("a", 2.5)
    >>> 1 <= budget.wait_for("a") <= 60, budget.wait_for("b") is None
    (True, True)
    """

    def __init__(self, strategy: RateLimiter, seconds_per_minute: float):
        self.strategy = strategy
        amount = max(1, math.ceil(seconds_per_minute * 1000))
        self.item = RateLimitItemPerMinute(amount, namespace="QUERY-MS")

    def wait_for(self, client: str) -> int | None:
        """Seconds ``client`` must wait before its next query, or None when it may ask now."""
        if self.strategy.test(self.item, client):
            return None
        reset_at = self.strategy.get_window_stats(self.item, client).reset_time
        return max(1, math.ceil(reset_at - time.time()))

    def spend(self, client: str, seconds: float) -> None:
        """Count ``seconds`` of query time against ``client``'s minute."""
        self.strategy.hit(self.item, client, cost=max(1, math.ceil(seconds * 1000)))


#: what each kind of refusal says (the wait follows)
_TOO_MANY = {
    "sparql": "Too many questions to the SPARQL endpoint from your address in a short time.",
    "sign-in": "Too many attempts to sign in from your address in a short time.",
    "form": "Too many forms sent from your address in a short time.",
    "page": "Too many requests from your address in a short time.",
}


def init_limits(app: Flask) -> Limiter | None:
    """Read the address settings, and unless the ``rate_limits`` setting is off put the limits
    on ``app``. Called once every blueprint is registered (the limits name them)."""
    settings = app.config["SETTINGS"]
    trusted = networks(settings.trusted_proxies, "trusted_proxies")
    exempt = networks(settings.rate_limit_exempt, "rate_limit_exempt")
    if not settings.rate_limits:
        state_of(app).extras[_KEY] = _Rules(trusted, exempt)
        return None
    limiter = Limiter(
        key_func=client_address,
        default_limits=[Limit(settings.rate_limit_pages, on_breach=_answer("page"))],
        application_limits=[
            ApplicationLimit(
                settings.rate_limit_forms, exempt_when=_not_a_form, on_breach=_answer("form")
            )
        ],
        storage_uri=settings.rate_limit_storage,
        strategy="fixed-window",
        key_prefix="cop-graph",
        swallow_errors=True,  # a shared storage that is down lets requests through, logged
    )
    limiter.request_filter(_is_exempt)
    limiter.limit(settings.rate_limit_sparql, on_breach=_answer("sparql"))(app.blueprints["sparql"])
    limiter.limit(
        settings.rate_limit_sign_in,
        methods=["POST"],
        override_defaults=False,
        exempt_when=lambda: request.endpoint != "auth.sign_in",
        on_breach=_answer("sign-in"),
    )(app.blueprints["auth"])
    limiter.exempt(app.blueprints["store_api"])  # commands holding the server's token
    limiter.init_app(app)
    budget = QueryBudget(limiter.limiter, settings.rate_limit_sparql_seconds)
    state_of(app).extras[_KEY] = _Rules(trusted, exempt, limiter, budget)
    app.before_request(_check_query_budget)
    app.after_request(_spend_query_time)
    return limiter


def _not_a_form() -> bool:
    """The forms limit counts what changes things: not reads, nor SPARQL questions sent by
    POST (the endpoint has its own limits)."""
    return request.method in _READS or request.blueprint == "sparql"


def too_many(message: str, wait: int):
    """The 429 answer: ``message``, when to try again, and ``Retry-After``."""
    sentence = f"{message} Try again in {wait} second{'s' if wait != 1 else ''}."
    return error_response(429, sentence, headers={"Retry-After": str(wait)}, retry_after=wait)


def _answer(kind: str):
    """What Flask-Limiter answers when a limit of ``kind`` is met: the 429 in the site's error
    shape, saying how long to wait (errors.py sends an exception's own answer as it is)."""

    def breached(limit: RequestLimit):
        wait = max(1, math.ceil(limit.window.reset_time - time.time()))
        return too_many(_TOO_MANY[kind], wait)

    return breached


def _check_query_budget():
    """Refuse a SPARQL question from a client whose minute of query time is spent."""
    rules = _rules()
    if request.endpoint not in _QUERY_ENDPOINTS or rules is None or rules.budget is None:
        return None
    if _is_exempt():
        return None
    client = client_address()
    try:
        wait = rules.budget.wait_for(client)
    except rules.limiter.storage.base_exceptions:
        log.exception("The rate limits' storage could not be read; the query is let through")
        return None
    if wait is not None:
        log.info("SPARQL query time spent for %s; refused for %d s", client, wait)
        seconds = app_state().settings.rate_limit_sparql_seconds
        message = (
            f"The SPARQL endpoint has spent this minute's query time for your address "
            f"({seconds:g} seconds a minute)."
        )
        return too_many(message, wait)
    g.query_started = time.perf_counter()
    return None


def _spend_query_time(response):
    started = g.pop("query_started", None)
    rules = _rules()
    if started is not None and rules is not None and rules.budget is not None:
        try:
            rules.budget.spend(client_address(), time.perf_counter() - started)
        except rules.limiter.storage.base_exceptions:
            log.exception("The rate limits' storage could not be written")
    return response
