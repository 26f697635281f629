"""Accounts: hashed passwords in their own file, roles, who coordinates which community, an
old file brought up to date, and the brake on guessing."""

from __future__ import annotations

import sqlite3
import stat

import pytest
from werkzeug.security import generate_password_hash

from cop_graph.errors import UsageError
from cop_graph.store.accounts import Accounts, AttemptLimiter

PASSWORD = "a long enough secret"


@pytest.fixture
def accounts(tmp_path):
    return Accounts(tmp_path / "var" / "accounts.sqlite3")


def test_an_account_signs_in_with_its_password_only(accounts):
    accounts.add("Sam", PASSWORD)
    assert accounts.check("sam", PASSWORD).name == "sam"
    assert accounts.check(" SAM ", PASSWORD).name == "sam"
    assert accounts.check("sam", PASSWORD + "!") is None
    assert accounts.check("nobody", PASSWORD) is None


def test_passwords_are_stored_hashed_in_a_private_file(accounts):
    accounts.add("sam", PASSWORD)
    with sqlite3.connect(accounts.path) as db:
        (stored,) = db.execute("SELECT password_hash FROM accounts").fetchone()
    assert PASSWORD not in stored and stored.startswith("scrypt:")
    assert PASSWORD.encode() not in accounts.path.read_bytes()
    assert stat.S_IMODE(accounts.path.stat().st_mode) == 0o600


def test_names_are_unique_and_well_formed_and_passwords_long_enough(accounts):
    accounts.add("sam", PASSWORD)
    with pytest.raises(UsageError, match='already an account called "sam"'):
        accounts.add("SAM", PASSWORD)
    with pytest.raises(UsageError, match="a user name is"):
        accounts.add("sam smith", PASSWORD)
    with pytest.raises(UsageError, match="at least 10 characters"):
        accounts.add("alex", "short")


def test_accounts_are_listed_and_removed(accounts):
    assert accounts.list() == [] and not accounts.path.exists()  # nothing written to read
    accounts.add("sam", PASSWORD)
    accounts.add("alex", PASSWORD)
    assert [a.name for a in accounts.list()] == ["alex", "sam"]
    assert accounts.exists("Alex")
    assert accounts.remove("alex") is True
    assert accounts.remove("alex") is False
    assert [a.name for a in accounts.list()] == ["sam"]
    assert accounts.check("alex", PASSWORD) is None


def test_the_limiter_counts_failures_per_key_within_the_window():
    now = [0.0]
    limiter = AttemptLimiter(limit=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert not limiter.blocked("sam")
        limiter.failed("sam")
    assert limiter.blocked("sam") and not limiter.blocked("alex")
    now[0] = 59.0
    assert limiter.blocked("sam")
    now[0] = 61.0
    assert not limiter.blocked("sam")
    limiter.failed("sam")
    limiter.succeeded("sam")
    assert not limiter.blocked("sam")


def test_the_user_commands(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from cop_graph.cli import cli

    monkeypatch.setenv("COP_GRAPH_ACCOUNTS", str(tmp_path / "accounts.sqlite3"))
    runner = CliRunner()
    result = runner.invoke(cli, ["user", "add", "sam"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert "sam  coordinator  (created" in runner.invoke(cli, ["user", "list"]).output
    result = runner.invoke(cli, ["user", "add", "sam", "--password", PASSWORD])
    assert result.exit_code == 2 and "already an account" in result.output
    assert runner.invoke(cli, ["user", "remove", "sam"]).exit_code == 0
    result = runner.invoke(cli, ["user", "remove", "sam"])
    assert result.exit_code == 2 and 'no account called "sam"' in result.output


HALLIWELL = "https://w3id.org/cop-graph/id/community/halliwell-walkers"


def test_an_account_has_a_role_coordinator_by_default(accounts):
    assert accounts.add("sam", PASSWORD).role == "coordinator"
    assert accounts.add("ada", PASSWORD, role="Administrator").role == "administrator"
    assert accounts.check("ada", PASSWORD).role == "administrator"
    assert accounts.set_role("sam", "viewer").role == "viewer"
    assert [(a.name, a.role) for a in accounts.list()] == [
        ("ada", "administrator"), ("sam", "viewer")]  # fmt: skip
    with pytest.raises(UsageError, match='"owner" is not a role; a role is one of: viewer'):
        accounts.add("alex", PASSWORD, role="owner")
    with pytest.raises(UsageError, match='"owner" is not a role'):
        accounts.set_role("sam", "owner")
    with pytest.raises(UsageError, match='no account called "nobody"'):
        accounts.set_role("nobody", "viewer")
    assert not accounts.exists("alex")


def test_coordinators_are_recorded_per_community_and_go_with_their_account(accounts):
    accounts.add("sam", PASSWORD)
    accounts.add("alex", PASSWORD)
    assert accounts.add_coordinator("sam", HALLIWELL) is True
    assert accounts.add_coordinator("SAM", HALLIWELL) is False  # already
    assert accounts.claim("alex", [HALLIWELL, HALLIWELL + "-2"]) == [HALLIWELL + "-2"]
    assert accounts.coordinators_of(HALLIWELL) == ["sam"]
    assert accounts.get("alex").communities == {HALLIWELL + "-2"}
    assert accounts.others_coordinate("sam") and accounts.others_coordinate("alex")
    accounts.remove_coordinator("alex", HALLIWELL + "-2")
    assert not accounts.others_coordinate("sam") and accounts.others_coordinate("alex")
    with pytest.raises(UsageError, match='no account called "nobody"'):
        accounts.add_coordinator("nobody", HALLIWELL)
    assert accounts.remove_coordinator("sam", HALLIWELL) is True
    assert accounts.remove_coordinator("sam", HALLIWELL) is False
    accounts.add_coordinator("sam", HALLIWELL)
    accounts.remove("sam")
    assert accounts.coordinators_of(HALLIWELL) == []
    accounts.add("sam", PASSWORD)  # a new account of the same name inherits nothing
    assert accounts.get("sam").communities == frozenset()


def test_coordinators_are_kept_in_the_accounts_file(accounts):
    accounts.add("sam", PASSWORD)
    accounts.add_coordinator("sam", HALLIWELL)
    with sqlite3.connect(accounts.path) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert {"accounts", "coordinators"} <= tables


def test_an_accounts_file_from_before_roles_is_brought_up_to_date(accounts):
    accounts.path.parent.mkdir(parents=True)
    with sqlite3.connect(accounts.path) as db:  # the schema as it was before roles
        db.execute(
            "CREATE TABLE accounts (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, "
            "created TEXT NOT NULL)"
        )
        db.execute(
            "INSERT INTO accounts VALUES (?, ?, ?)",
            ("sam", generate_password_hash(PASSWORD), "2026-01-01T00:00:00+00:00"),
        )
    assert accounts.check("sam", PASSWORD).role == "coordinator"
    assert [(a.name, a.role, a.created) for a in accounts.list()] == [
        ("sam", "coordinator", "2026-01-01T00:00:00+00:00")]  # fmt: skip
    accounts.set_role("sam", "administrator")
    accounts.add("alex", PASSWORD, role="viewer")
    assert accounts.add_coordinator("alex", HALLIWELL)
    assert Accounts(accounts.path).get("sam").role == "administrator"  # opened again: kept


def test_the_role_and_coordinates_commands(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from cop_graph.cli import cli

    monkeypatch.setenv("COP_GRAPH_ACCOUNTS", str(tmp_path / "accounts.sqlite3"))
    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli, ["user", *args])

    result = run("add", "ada", "--role", "administrator", "--password", PASSWORD)
    assert result.exit_code == 0 and "(administrator)" in result.output, result.output
    assert run("add", "sam", "--password", PASSWORD).exit_code == 0
    result = run("role", "sam", "viewer")
    assert result.exit_code == 0 and 'The account "sam" is now a viewer.' in result.output
    result = run("role", "sam", "boss")
    assert result.exit_code == 2 and '"boss" is not a role' in result.output
    result = run("coordinates", "sam", "community/halliwell-walkers")
    assert result.exit_code == 0, result.output
    assert run("coordinates", "sam", HALLIWELL).exit_code == 0  # the full address is the same
    listing = run("list").output
    assert "sam  viewer  (created" in listing and f"coordinates {HALLIWELL}" in listing
    assert "ada  administrator" in listing
    assert run("coordinates", "sam", HALLIWELL, "--stop").exit_code == 0
    assert "coordinates" not in run("list").output
    result = run("coordinates", "sam", HALLIWELL, "--stop")
    assert result.exit_code == 2 and "was not recorded" in result.output
    result = run("coordinates", "nobody", HALLIWELL)
    assert result.exit_code == 2 and 'no account called "nobody"' in result.output
    assert PASSWORD not in listing
