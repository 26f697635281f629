"""Rate limits per client address (web/limits.py): pages, the SPARQL endpoint's requests and
query seconds, sign-in and forms; 429 with Retry-After in the one error shape; trusted proxies
and exempt addresses. Each test makes its own app, with limits low enough to meet quickly."""

from __future__ import annotations

import pytest
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from test_web_auth import make_app, token

from cop_graph.config import Settings, load_settings
from cop_graph.web import create_app
from cop_graph.web.limits import QueryBudget, networks, resolve_client

ASK = {"query": "ASK { ?s ?p ?o }"}
JSON = {"Accept": "application/json"}


def _client(app, address: str):
    """A test client of ``app`` whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _until_refused(send, most: int) -> int:
    """How many requests ``send()`` made until the first 429 (0 if none in ``most``)."""
    for n in range(1, most + 1):
        if send().status_code == 429:
            return n
    return 0


def test_the_default_app_has_rate_limits_on():
    settings = Settings()
    assert settings.rate_limits is True
    assert settings.rate_limit_exempt == "" and settings.trusted_proxies == ""
    assert load_settings({"COP_GRAPH_RATE_LIMIT_SPARQL": "5 per minute"}).rate_limit_sparql == (
        "5 per minute"
    )


def test_a_request_past_the_limit_gets_429_with_retry_after_as_a_page(seeded_store, tmp_path):
    app = make_app(seeded_store, tmp_path, rate_limit_pages="3 per minute")
    web = _client(app, "203.0.113.1")
    assert [web.get("/ontology").status_code for _ in range(3)] == [200, 200, 200]
    refused = web.get("/ontology")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.mimetype == "text/html"
    page = refused.get_data(as_text=True)
    assert "Too many requests" in page and "Try again in" in page


def test_a_request_past_the_limit_gets_429_with_retry_after_as_json(seeded_store, tmp_path):
    app = make_app(seeded_store, tmp_path, rate_limit_pages="2 per minute")
    web = _client(app, "203.0.113.2")
    for _ in range(2):
        assert web.get("/ontology", headers=JSON).status_code == 200
    refused = web.get("/ontology", headers=JSON)
    assert refused.status_code == 429 and refused.mimetype == "application/json"
    body = refused.json
    assert body["ok"] is False and body["status"] == 429 and body["title"] == "Too many requests"
    assert body["error"].startswith("Too many requests from your address")
    assert body["retry_after"] == int(refused.headers["Retry-After"])


def test_with_the_defaults_a_sparql_flood_meets_429_and_another_address_is_answered(
    seeded_store, tmp_path
):
    app = make_app(seeded_store, tmp_path)  # the default limits
    flooder = _client(app, "198.51.100.20")
    refused_at = _until_refused(lambda: flooder.get("/sparql", query_string=ASK), most=600)
    assert refused_at, "600 questions a minute from one address were all answered"
    refused = flooder.get("/sparql", query_string=ASK)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert refused.json["error"].startswith("Too many questions to the SPARQL endpoint")
    other = _client(app, "198.51.100.21").get("/sparql", query_string=ASK, headers=JSON)
    assert other.status_code == 200 and other.json["boolean"] is True


def test_a_client_spending_its_query_seconds_is_refused_and_another_is_still_served(
    seeded_store, tmp_path
):
    # one millisecond of query time a minute: any query spends it all
    app = make_app(seeded_store, tmp_path, rate_limit_sparql_seconds=0.001)
    heavy = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    flooder, other = _client(app, "192.0.2.10"), _client(app, "192.0.2.11")
    assert flooder.get("/sparql", query_string=heavy, headers=JSON).status_code == 200
    refused = flooder.get("/sparql", query_string=heavy, headers=JSON)
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "query time" in refused.json["error"]
    assert flooder.get("/ontology").status_code == 200  # its pages are another count
    assert other.get("/ontology").status_code == 200
    answered = other.get("/sparql", query_string=ASK, headers=JSON)
    assert answered.status_code == 200 and answered.json["boolean"] is True


def test_quick_questions_fit_in_the_query_seconds(seeded_store, tmp_path):
    app = make_app(seeded_store, tmp_path, rate_limit_sparql_seconds=1000.0)
    web = _client(app, "192.0.2.12")
    assert {web.get("/sparql", query_string=ASK).status_code for _ in range(5)} == {200}


def test_the_query_budget_counts_seconds_per_client():
    budget = QueryBudget(FixedWindowRateLimiter(MemoryStorage()), seconds_per_minute=2)
    budget.spend("a", 1.5)
    assert budget.wait_for("a") is None
    budget.spend("a", 0.6)
    assert 1 <= budget.wait_for("a") <= 60
    assert budget.wait_for("b") is None


def test_sign_in_forms_have_a_stricter_limit(seeded_store, tmp_path):
    app = make_app(seeded_store, tmp_path, rate_limit_sign_in="2 per minute")
    web = _client(app, "203.0.113.3")
    form = {"csrf_token": token(web), "name": "nobody", "password": "not it"}
    assert [web.post("/sign-in", data=form).status_code for _ in range(2)] == [401, 401]
    refused = web.post("/sign-in", data=form)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Too many attempts to sign in from your address" in refused.get_data(as_text=True)
    assert web.get("/sign-in").status_code == 200  # the page itself is only a page


def test_forms_and_uploads_have_a_stricter_limit(seeded_store, tmp_path):
    app = make_app(seeded_store, tmp_path, rate_limit_forms="2 per minute")
    web = _client(app, "203.0.113.4")
    form = {"csrf_token": token(web), "name": "nobody", "password": "not it"}
    assert [web.post("/sign-in", data=form).status_code for _ in range(2)] == [401, 401]
    refused = web.post("/sign-in", data=form, headers=JSON)
    assert refused.status_code == 429 and refused.json["error"].startswith("Too many forms")
    # SPARQL questions sent by POST are not forms
    assert web.post("/sparql", data=ASK, headers=JSON).status_code == 200


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(seeded_store, tmp_path):
    app = make_app(seeded_store, tmp_path, rate_limit_pages="2 per minute")
    web = _client(app, "203.0.113.5")
    statuses = [
        web.get("/ontology", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]  # a new header each time is still one client


def test_x_forwarded_for_from_a_trusted_proxy_names_the_client(seeded_store, tmp_path):
    app = make_app(
        seeded_store, tmp_path, rate_limit_pages="2 per minute", trusted_proxies="10.0.0.0/8"
    )
    proxy = _client(app, "10.1.2.3")

    def via_proxy(client: str) -> int:
        return proxy.get("/ontology", headers={"X-Forwarded-For": client}).status_code

    assert [via_proxy("198.51.100.7") for _ in range(3)] == [200, 200, 429]
    assert via_proxy("198.51.100.8") == 200  # another client behind the same proxy
    # a client's own forged hop, left of what the proxy added, changes nothing
    assert via_proxy("1.2.3.4, 198.51.100.7") == 429


def test_exempt_addresses_are_not_limited(seeded_store, tmp_path):
    app = make_app(
        seeded_store,
        tmp_path,
        rate_limit_pages="2 per minute",
        rate_limit_sparql_seconds=0.001,
        rate_limit_exempt="192.0.2.0/24, 2001:db8::1",
    )
    exempt, other = _client(app, "192.0.2.99"), _client(app, "203.0.113.6")
    assert {exempt.get("/ontology").status_code for _ in range(5)} == {200}
    assert {exempt.get("/sparql", query_string=ASK).status_code for _ in range(3)} == {200}
    assert [other.get("/ontology").status_code for _ in range(3)] == [200, 200, 429]


def test_the_store_owners_api_is_not_limited(seeded_store, tmp_path):
    app = make_app(seeded_store, tmp_path, rate_limit_pages="1 per minute")
    web = _client(app, "127.0.0.1")
    # without the token it is refused, but never for being too many
    assert 429 not in {web.get("/_store/query").status_code for _ in range(3)}


@pytest.mark.parametrize("setting", ["trusted_proxies", "rate_limit_exempt"])
def test_a_malformed_address_setting_is_refused_in_plain_words(seeded_store, setting):
    settings = load_settings({}, store="memory:", **{setting: "10.0.0.1, not-an-address"})
    with pytest.raises(ValueError, match=f'the {setting} setting holds "not-an-address"'):
        create_app({"TESTING": True, "STORE": seeded_store, "SETTINGS": settings})


def test_the_client_address_is_read_from_the_right_past_trusted_proxies():
    proxies = networks("10.0.0.0/8, ::1", "trusted_proxies")
    assert resolve_client("10.0.0.1", "203.0.113.9, 10.0.0.7", proxies) == "203.0.113.9"
    assert resolve_client("::1", "203.0.113.9", proxies) == "203.0.113.9"
    assert resolve_client("10.0.0.1", "not an address", proxies) == "10.0.0.1"
    assert resolve_client("10.0.0.1", "", proxies) == "10.0.0.1"
    assert resolve_client("10.0.0.1", "10.0.0.2, 10.0.0.3", proxies) == "10.0.0.2"
    assert resolve_client("::ffff:10.0.0.1", "203.0.113.9", proxies) == "203.0.113.9"
    assert resolve_client("203.0.113.1", "10.0.0.2", proxies) == "203.0.113.1"
