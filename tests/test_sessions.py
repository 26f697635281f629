"""Sessions kept beside the accounts: the cookie holds only an id, and a session can be ended
by signing out, a new password, removing the account or an administrator."""

from __future__ import annotations

import functools
import re
import sqlite3
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cop_graph.cli import cli
from cop_graph.config import load_settings
from cop_graph.store.accounts import Accounts
from cop_graph.web import create_app

PASSWORD = "a long enough secret"
HOUR = 3600.0


@functools.cache
def _accounts_with_sam_and_kim() -> bytes:
    """An accounts file holding "sam" and "kim", made once: hashing is slow on purpose."""
    with tempfile.TemporaryDirectory() as folder:
        accounts = Accounts(Path(folder) / "accounts.sqlite3")
        accounts.add("sam", PASSWORD)
        accounts.add("kim", PASSWORD, role="administrator")
        return accounts.path.read_bytes()


@pytest.fixture
def accounts(tmp_path) -> Accounts:
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    accounts.path.write_bytes(_accounts_with_sam_and_kim())
    return accounts


def app_on(store, data: Path):
    settings = load_settings({}, store="memory:", data=str(data), cookie_secure="never")
    return create_app({"TESTING": True, "STORE": store, "SETTINGS": settings})


def sign_in(client, name="sam") -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "name": name, "password": PASSWORD}
    assert client.post("/sign-in", data=form).status_code == 302


def signed_in(client) -> bool:
    response = client.get("/imports")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def admin(data: Path, *args: str):
    result = CliRunner().invoke(cli, ["--data", str(data), "user", *args])
    assert result.exit_code == 0, result.output
    return result.output


# -- the accounts file ---------------------------------------------------------------------------


def test_a_session_belongs_to_its_account_until_it_ends(accounts):
    session_id = accounts.start_session("Sam", max_idle=8 * HOUR)
    assert accounts.session_account(session_id, max_idle=8 * HOUR).name == "sam"
    assert accounts.session_account("made-up", max_idle=8 * HOUR) is None
    assert accounts.end_session(session_id) is True
    assert accounts.session_account(session_id, max_idle=8 * HOUR) is None
    assert accounts.end_session(session_id) is False


def test_a_session_unused_past_its_lifetime_expires_and_use_keeps_it_alive(accounts):
    session_id = accounts.start_session("sam", max_idle=8 * HOUR, now=1_000_000.0)
    assert accounts.session_account(session_id, 8 * HOUR, now=1_000_000.0 + 7 * HOUR)
    # used 7 hours in: still open 14 hours after it began, as long as it is used
    assert accounts.session_account(session_id, 8 * HOUR, now=1_000_000.0 + 14 * HOUR)
    assert accounts.session_account(session_id, 8 * HOUR, now=1_000_000.0 + 23 * HOUR) is None
    assert accounts.sessions("sam") == []  # the expired session is gone from the file


def test_the_file_keeps_a_hash_of_the_id_never_the_id(accounts):
    session_id = accounts.start_session("sam", max_idle=8 * HOUR)
    with sqlite3.connect(accounts.path) as db:
        kept = [row[0] for row in db.execute("SELECT id_hash FROM sessions")]
    assert len(kept) == 1 and session_id not in kept[0]
    assert session_id.encode() not in accounts.path.read_bytes()
    assert accounts.sessions("sam")[0].label == kept[0][:8]


def test_a_new_password_ends_every_session_but_the_one_kept(accounts):
    first, second, third = (accounts.start_session("sam", 8 * HOUR) for _ in range(3))
    other = accounts.start_session("kim", 8 * HOUR)
    assert accounts.set_password("sam", "another long secret", keep_session=second) == 2
    assert accounts.session_account(first, 8 * HOUR) is None
    assert accounts.session_account(third, 8 * HOUR) is None
    assert accounts.session_account(second, 8 * HOUR).name == "sam"
    assert accounts.session_account(other, 8 * HOUR).name == "kim"
    assert accounts.check("sam", "another long secret") is not None
    assert accounts.check("sam", PASSWORD) is None


def test_removing_an_account_ends_its_sessions(accounts):
    session_id = accounts.start_session("sam", 8 * HOUR)
    accounts.remove("sam")
    with sqlite3.connect(accounts.path) as db:
        assert db.execute("SELECT count(*) FROM sessions").fetchone() == (0,)
    assert accounts.session_account(session_id, 8 * HOUR) is None


# -- the web app -----------------------------------------------------------------------------------


def test_the_cookie_holds_a_session_id_and_no_account_name(seeded_store, accounts, tmp_path):
    app = app_on(seeded_store, tmp_path)
    client = app.test_client()
    sign_in(client)
    cookie = client.get_cookie("session").value
    contents = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert set(contents) <= {"sid", "csrf_token", "_permanent"} and "sid" in contents
    assert "sam" not in repr(contents)
    assert [s.label for s in accounts.sessions("sam")]  # the account is kept in the file


def test_a_cookie_replayed_after_signing_out_is_refused(seeded_store, accounts, tmp_path):
    client = app_on(seeded_store, tmp_path).test_client()
    sign_in(client)
    cookie = client.get_cookie("session").value
    page = client.get("/imports").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    thief = app_on(seeded_store, tmp_path).test_client()
    thief.set_cookie("session", cookie)
    assert not signed_in(thief)


def test_a_session_ended_by_an_administrator_is_refused_on_its_next_request(
    seeded_store, accounts, tmp_path
):
    client = app_on(seeded_store, tmp_path).test_client()
    other = app_on(seeded_store, tmp_path).test_client()
    sign_in(client)
    sign_in(other, "kim")
    assert signed_in(client)
    listed = admin(tmp_path, "sessions", "sam")
    assert re.fullmatch(r"[0-9a-f]{8}  began \S+  last used \S+\n", listed)
    assert admin(tmp_path, "end-sessions", "sam") == '"sam": 1 session ended.\n'
    response = client.get("/imports")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    api = client.get("/api/imports")
    assert api.status_code == 401 and api.json["error"] == "Sign in as a coordinator first."
    assert signed_in(other)  # another account's session is left alone
    assert admin(tmp_path, "sessions", "sam") == '"sam" is not signed in anywhere.\n'


def test_a_session_is_refused_after_a_password_change(seeded_store, accounts, tmp_path):
    client = app_on(seeded_store, tmp_path).test_client()
    sign_in(client)
    output = admin(tmp_path, "password", "sam", "--password", "another long secret")
    assert output == 'The account "sam" has a new password; 1 session ended.\n'
    assert client.get("/api/imports").status_code == 401


def test_removing_the_account_signs_its_session_out(seeded_store, accounts, tmp_path):
    client = app_on(seeded_store, tmp_path).test_client()
    sign_in(client)
    admin(tmp_path, "remove", "sam")
    assert not signed_in(client)


def test_a_session_survives_a_restart(seeded_store, accounts, tmp_path):
    before = app_on(seeded_store, tmp_path).test_client()
    sign_in(before)
    after = app_on(seeded_store, tmp_path).test_client()  # a new app: the server restarted
    after.set_cookie("session", before.get_cookie("session").value)
    assert signed_in(after)


def test_sessions_of_an_unknown_account_are_a_usage_error(accounts, tmp_path):
    result = CliRunner().invoke(cli, ["--data", str(tmp_path), "user", "sessions", "nobody"])
    assert result.exit_code == 2 and 'there is no account called "nobody"' in result.output


# -- changing one's password on the site ------------------------------------------------------


def change_password(client, current=PASSWORD, new="another long secret", again=None):
    page = client.get("/account/password")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    form = {"csrf_token": token, "current": current, "new": new, "again": again or new}
    return client.post("/account/password", data=form)


def test_a_new_password_on_the_site_keeps_this_session_and_ends_the_others(
    seeded_store, accounts, tmp_path
):
    here, elsewhere = (app_on(seeded_store, tmp_path).test_client() for _ in range(2))
    sign_in(here)
    sign_in(elsewhere)
    response = change_password(here)
    assert response.status_code == 200
    assert "signed out everywhere else (1 other session ended)" in response.get_data(as_text=True)
    assert signed_in(here) and not signed_in(elsewhere)
    assert accounts.check("sam", "another long secret") is not None


def test_a_wrong_current_password_signs_the_session_out(seeded_store, accounts, tmp_path):
    client = app_on(seeded_store, tmp_path).test_client()
    sign_in(client)
    response = change_password(client, current="not the password")
    assert response.status_code == 403
    assert "The current password was not right" in response.get_data(as_text=True)
    assert not signed_in(client)
    assert accounts.check("sam", PASSWORD) is not None  # unchanged


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("another long secret", "a different secret", "differ"),
        ("short", None, "a password needs at least 10 characters"),
    ],
)
def test_a_refused_new_password_says_why_and_changes_nothing(
    seeded_store, accounts, tmp_path, new, again, message
):
    client = app_on(seeded_store, tmp_path).test_client()
    sign_in(client)
    response = change_password(client, new=new, again=again)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert signed_in(client) and accounts.check("sam", PASSWORD) is not None


def test_the_password_page_asks_anonymous_visitors_to_sign_in(seeded_store, accounts, tmp_path):
    response = app_on(seeded_store, tmp_path).test_client().get("/account/password")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
