"""The session cookie's key: generated once, kept in the data folder readable by its owner only,
and the same after a restart."""

from __future__ import annotations

import re
import stat

import pytest

from cop_graph.config import load_settings
from cop_graph.errors import UsageError
from cop_graph.store.accounts import Accounts
from cop_graph.store.secret_key import FILE_NAME, kept_secret_key
from cop_graph.web import create_app

PASSWORD = "a long enough secret"


def test_the_key_is_made_once_with_mode_0600_and_read_back(tmp_path):
    key = kept_secret_key(tmp_path / "data")
    path = tmp_path / "data" / FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert kept_secret_key(tmp_path / "data") == key
    assert [p.name for p in path.parent.iterdir()] == [FILE_NAME]  # no draft left behind


def test_a_key_file_others_can_read_is_refused_in_plain_words(tmp_path):
    kept_secret_key(tmp_path)
    (tmp_path / FILE_NAME).chmod(0o644)
    with pytest.raises(UsageError, match=r"can be read or changed by other users.*chmod 600"):
        kept_secret_key(tmp_path)


def test_an_empty_key_file_is_refused(tmp_path):
    (tmp_path / FILE_NAME).touch(mode=0o600)
    with pytest.raises(UsageError, match="is empty"):
        kept_secret_key(tmp_path)


def test_the_app_uses_the_kept_key_unless_one_is_set(seeded_store, tmp_path):
    settings = load_settings({}, store="memory:", data=str(tmp_path))
    app = create_app({"TESTING": True, "STORE": seeded_store, "SETTINGS": settings})
    assert app.config["SECRET_KEY"] == (tmp_path / FILE_NAME).read_text().strip()
    chosen = load_settings({}, store="memory:", data=str(tmp_path), secret_key="chosen key")
    app = create_app({"TESTING": True, "STORE": seeded_store, "SETTINGS": chosen})
    assert app.config["SECRET_KEY"] == "chosen key"


def _app(store, data, **options):
    settings = load_settings({}, store="memory:", data=str(data), **options)
    return create_app({"TESTING": True, "STORE": store, "SETTINGS": settings})


def _sign_in(client) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "name": "sam", "password": PASSWORD}
    assert client.post("/sign-in", data=form).status_code == 302


def test_a_session_cookie_from_before_a_restart_is_accepted_after_it(seeded_store, tmp_path):
    Accounts(tmp_path / "accounts.sqlite3").add("sam", PASSWORD)
    before = _app(seeded_store, tmp_path).test_client()
    _sign_in(before)
    assert before.get("/imports").status_code == 200
    cookie = before.get_cookie("session").value
    after = _app(seeded_store, tmp_path).test_client()  # the server started again
    after.set_cookie("session", cookie)
    assert after.get("/imports").status_code == 200
    accounts = str(tmp_path / "accounts.sqlite3")  # the same accounts, another key: refused
    elsewhere = _app(seeded_store, tmp_path / "another", accounts=accounts).test_client()
    elsewhere.set_cookie("session", cookie)
    assert elsewhere.get("/imports").status_code == 302
