"""Coordinators' accounts: hashed passwords in their own file, and the brake on guessing."""

from __future__ import annotations

import sqlite3
import stat

import pytest

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
    assert "sam  (created" in runner.invoke(cli, ["user", "list"]).output
    result = runner.invoke(cli, ["user", "add", "sam", "--password", PASSWORD])
    assert result.exit_code == 2 and "already an account" in result.output
    assert runner.invoke(cli, ["user", "remove", "sam"]).exit_code == 0
    result = runner.invoke(cli, ["user", "remove", "sam"])
    assert result.exit_code == 2 and 'no account called "sam"' in result.output
