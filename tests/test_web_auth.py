"""Signing in: safe cookies, CSRF on every form, a brake on guessing, public pages stay open."""

from __future__ import annotations

import functools
import logging
import re
import tempfile
from pathlib import Path

import pytest

from cop_graph.config import load_settings
from cop_graph.store.accounts import Accounts
from cop_graph.web import create_app

PASSWORD = "a long enough secret"


@functools.cache
def _accounts_with_sam() -> bytes:
    """An accounts file holding "sam", made once: hashing a password takes a while on purpose."""
    with tempfile.TemporaryDirectory() as folder:
        accounts = Accounts(Path(folder) / "accounts.sqlite3")
        accounts.add("sam", PASSWORD)
        return accounts.path.read_bytes()


def make_app(store, tmp_path, **settings):
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    if not accounts.path.exists():
        accounts.path.write_bytes(_accounts_with_sam())
    options = {"store": "memory:", "accounts": str(accounts.path), **settings}
    return create_app({"TESTING": True, "STORE": store, "SETTINGS": load_settings({}, **options)})


@pytest.fixture
def web(seeded_store, tmp_path):
    return make_app(seeded_store, tmp_path).test_client()


def token(client, path="/sign-in") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, name="sam", password=PASSWORD, next_page=None):
    form = {"csrf_token": token(client), "name": name, "password": password}
    if next_page:
        form["next"] = next_page
    return client.post("/sign-in", data=form)


def test_anonymous_visitors_read_public_pages_and_are_sent_to_sign_in(web):
    home = web.get("/")
    assert home.status_code == 200 and 'href="/sign-in"' in home.get_data(as_text=True)
    response = web.get("/imports")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in?next=/imports")
    api = web.get("/api/imports")
    assert api.status_code == 401 and api.json == {
        "ok": False, "error": "Sign in as a coordinator first.", "status": 401,
        "title": "Sign in first"}  # fmt: skip
    assert web.get("/assessment").status_code == 302


def test_signing_in_and_out(web):
    response = sign_in(web, next_page="/assessment")
    assert response.status_code == 302 and response.headers["Location"] == "/assessment"
    page = web.get("/imports").get_data(as_text=True)
    assert "Sign out (sam)" in page
    assert web.post("/sign-out", data={"csrf_token": token(web, "/imports")}).status_code == 302
    assert web.get("/imports").status_code == 302


def test_a_wrong_password_is_refused_in_plain_words(web, caplog):
    caplog.set_level(logging.DEBUG)
    response = sign_in(web, password="not the password")
    assert response.status_code == 401
    assert "The name or password is not right." in response.get_data(as_text=True)
    assert "not the password" not in caplog.text and PASSWORD not in caplog.text


def test_sign_in_attempts_are_limited(web):
    for _ in range(5):
        assert sign_in(web, password="guess").status_code == 401
    response = sign_in(web)  # even the right password waits now
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused(web):
    response = web.post("/sign-in", data={"name": "sam", "password": PASSWORD})
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)
    sign_in(web)
    assert web.post("/imports", data={}).status_code == 400
    assert web.post("/imports/remove", data={"graph": "x"}).status_code == 400
    assert web.post("/sign-out").status_code == 400


def test_the_sparql_protocol_still_takes_posts_without_a_token(web):
    response = web.post("/sparql", data={"query": "ASK {}"},
                        headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert response.status_code == 200


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example/", "javascript:x", "/\\evil.example"]
)
def test_sign_in_never_sends_people_to_another_site(web, target):
    response = sign_in(web, next_page=target)
    assert response.headers["Location"] == "/imports"


def cookie_of(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_the_session_cookie_is_http_only_same_site_and_secure(seeded_store, tmp_path):
    client = make_app(seeded_store, tmp_path, cookie_secure="always").test_client()
    cookie = cookie_of(sign_in(client))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_secure_cookies_can_be_turned_off_for_local_development(seeded_store, tmp_path):
    client = make_app(seeded_store, tmp_path, cookie_secure="never").test_client()
    assert "Secure" not in cookie_of(sign_in(client))


def test_auto_secure_cookies_follow_the_request(seeded_store, tmp_path):
    app = make_app(seeded_store, tmp_path)  # "auto" is the default
    plain = app.test_client()
    assert "Secure" not in cookie_of(sign_in(plain))
    secure = app.test_client()
    page = secure.get("/sign-in", base_url="https://localhost").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = secure.post("/sign-in", base_url="https://localhost", headers={
        "Referer": "https://localhost/sign-in"},
        data={"csrf_token": csrf, "name": "sam", "password": PASSWORD})  # fmt: skip
    assert "Secure" in cookie_of(response)


def test_a_removed_account_is_signed_out(seeded_store, tmp_path):
    client = make_app(seeded_store, tmp_path).test_client()
    sign_in(client)
    assert client.get("/imports").status_code == 200
    Accounts(tmp_path / "accounts.sqlite3").remove("sam")
    assert client.get("/imports").status_code == 302


def test_an_unknown_cookie_secure_setting_is_refused(seeded_store, tmp_path):
    with pytest.raises(ValueError, match="cookie_secure"):
        make_app(seeded_store, tmp_path, cookie_secure="sometimes")


def test_views_know_the_signed_in_accounts_role_and_communities(seeded_store, tmp_path):
    from cop_graph.web.auth import current_account

    app = make_app(seeded_store, tmp_path)
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    community = "https://w3id.org/cop-graph/id/community/halliwell-walkers"
    accounts.add_coordinator("sam", community)
    client = app.test_client()
    sign_in(client)
    with client:
        client.get("/imports")
        account = current_account()
        assert (account.name, account.role) == ("sam", "coordinator")
        assert account.communities == {community}
    accounts.set_role("sam", "viewer")  # holds from the next request, without signing in again
    with client:
        client.get("/imports")
        assert current_account().role == "viewer"
    with app.test_client() as anonymous:
        anonymous.get("/")
        assert current_account() is None
