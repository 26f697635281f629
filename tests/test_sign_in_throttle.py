"""The brake on guessing passwords (web/sign_in_throttle.py): counted per (name, address), per
address and per name, so that a flood of wrong passwords from one address cannot lock the real
user out from theirs; every refusal says when to try again and is logged without the password
or the name."""

from __future__ import annotations

import logging

import pytest
from test_web_auth import PASSWORD, make_app, token

from cop_graph.store.accounts import AttemptLimiter
from cop_graph.web.sign_in_throttle import SignInThrottle
from cop_graph.web.state import state_of

ATTACKER, USER = "203.0.113.66", "198.51.100.5"
JSON = {"Accept": "application/json"}


@pytest.fixture
def app(seeded_store, tmp_path):
    # the requests-per-minute limits are tested in test_rate_limits.py; here only the brake
    return make_app(seeded_store, tmp_path, rate_limits=False)


def _client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _sign_in(client, password: str, name: str = "sam", headers=None):
    form = {"csrf_token": token(client), "name": name, "password": password}
    return client.post("/sign-in", data=form, headers=headers or {})


def test_a_wrong_password_flood_from_one_address_does_not_stop_the_user_from_theirs(app):
    attacker = _client(app, ATTACKER)
    statuses = [_sign_in(attacker, f"guess {n}").status_code for n in range(12)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    assert _sign_in(attacker, PASSWORD).status_code == 429  # even the right one, from there
    signed_in = _sign_in(_client(app, USER), PASSWORD)
    assert signed_in.status_code == 302


def test_a_refusal_has_retry_after_as_a_page_and_as_json(app):
    attacker = _client(app, ATTACKER)
    for n in range(5):
        _sign_in(attacker, f"guess {n}")
    page = _sign_in(attacker, "guess again")
    assert page.status_code == 429 and page.mimetype == "text/html"
    assert 14 * 60 <= int(page.headers["Retry-After"]) <= 15 * 60
    text = page.get_data(as_text=True)
    assert "Too many attempts to sign in as this name from your address." in text
    assert "Try again in 15 minutes." in text
    program = _sign_in(attacker, "guess again", headers=JSON)
    assert program.status_code == 429 and program.mimetype == "application/json"
    assert program.json["ok"] is False and program.json["status"] == 429
    assert program.json["retry_after"] == int(program.headers["Retry-After"])
    assert program.json["error"].startswith("Too many attempts to sign in as this name")


def test_one_address_guessing_many_names_is_stopped(app):
    attacker = _client(app, ATTACKER)
    statuses = [_sign_in(attacker, "guess", name=f"name{n}").status_code for n in range(21)]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429
    refused = _sign_in(attacker, PASSWORD)  # a name it has not tried: the address is stopped
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "from your address" in refused.get_data(as_text=True)
    assert _sign_in(_client(app, USER), PASSWORD).status_code == 302


def test_a_name_guessed_from_many_addresses_is_slowed_not_locked(app):
    now = [0.0]
    state_of(app).sign_in_brakes = SignInThrottle(per_name=3, clock=lambda: now[0])
    for n in range(3):
        assert _sign_in(_client(app, f"192.0.2.{n + 1}"), "guess").status_code == 401
    user = _client(app, USER)
    assert _sign_in(user, "a typo").status_code == 401  # the one attempt of these 10 seconds
    slowed = _sign_in(user, PASSWORD)
    assert slowed.status_code == 429 and 1 <= int(slowed.headers["Retry-After"]) <= 10
    assert "slowed down" in slowed.get_data(as_text=True)
    now[0] = 11.0
    assert _sign_in(user, PASSWORD).status_code == 302


def test_refusals_are_logged_without_the_password_or_the_name(app, caplog):
    caplog.set_level(logging.INFO)
    attacker = _client(app, ATTACKER)
    for n in range(6):
        _sign_in(attacker, f"secret guess {n}")
    failed = [r for r in caplog.records if "Sign-in failed" in r.getMessage()]
    refused = [r for r in caplog.records if "Sign-in refused" in r.getMessage()]
    assert len(failed) == 5 and len(refused) == 1
    assert ATTACKER in refused[0].getMessage() and "#" in refused[0].getMessage()
    assert "secret guess" not in caplog.text and "sam" not in caplog.text


def test_a_success_forgets_only_that_addresses_failures_for_that_name():
    now = [0.0]
    throttle = SignInThrottle(per_pair=2, per_address=4, clock=lambda: now[0])
    throttle.failed("sam", USER)
    throttle.failed("alex", USER)
    throttle.succeeded("sam", USER)
    throttle.failed("sam", USER)
    assert throttle.refusal("sam", USER) is None  # one failure for sam since the success
    throttle.failed("kim", USER)  # the address's fourth failure across names
    refusal = throttle.refusal("sam", USER)
    assert refusal is not None and refusal.reason.endswith("from your address.")
    now[0] = 15 * 60 + 1
    assert throttle.refusal("sam", USER) is None


def test_the_slowed_name_lets_one_attempt_through_each_interval():
    now = [0.0]
    throttle = SignInThrottle(per_name=2, slow_interval=10, clock=lambda: now[0])
    throttle.failed("sam", "192.0.2.1")
    throttle.failed("sam", "192.0.2.2")
    assert throttle.refusal("sam", "192.0.2.3") is None
    refusal = throttle.refusal("sam", "192.0.2.4")
    assert refusal is not None and refusal.wait == 10
    now[0] = 9.5
    assert throttle.refusal("sam", "192.0.2.4").wait == 1
    now[0] = 10.5
    assert throttle.refusal("sam", "192.0.2.4") is None


def test_the_counts_forget_stale_keys_so_many_names_cannot_fill_the_memory():
    now = [0.0]
    limiter = AttemptLimiter(limit=2, window=60, clock=lambda: now[0])
    limiter.PRUNE_AT = 3
    for name in ("a", "b", "c"):
        limiter.failed(name)
    now[0] = 61.0  # their failures are out of the window
    limiter.failed("d")
    limiter.failed("d")
    assert limiter.blocked("d") and not limiter.blocked("a")
    assert len(limiter._failures) == 1


def test_take_counts_an_attempt_only_when_the_key_is_not_blocked():
    limiter = AttemptLimiter(limit=1, window=10, clock=lambda: 0.0)
    assert limiter.take("sam") is True
    assert limiter.take("sam") is False
    assert limiter.retry_after("sam") == 10.0 and limiter.retry_after("alex") == 0.0
