"""Who may do what: each role against each action, in the one module that decides."""

from __future__ import annotations

import pytest

from cop_graph.queries.catalogue import GraphRecord
from cop_graph.store.accounts import Account
from cop_graph.web.permissions import (
    edit_refusal,
    may_edit_community,
    may_import,
    may_remove_import,
    may_undo,
    removal_refusal,
)

OURS = "https://w3id.org/cop-graph/id/community/halliwell-walkers"
THEIRS = "https://w3id.org/cop-graph/id/community/wigan-walkers"


def account(name: str, role: str) -> Account:
    return Account(name, "2026-01-01T00:00:00+00:00", role, frozenset({OURS}))


def record(who: str) -> GraphRecord:
    return GraphRecord(
        graph="https://w3id.org/cop-graph/id/graph/import/halliwell", title="Workbook",
        kind="import", who=who, when="2026-01-01T00:00:00Z", triples=10, checksum="",
        illustrative=False, sources="halliwell.xlsx",
    )  # fmt: skip


#: (role, action on something of the account's own, on someone else's): allowed?
TABLE = [
    ("administrator", "edit", True, True),
    ("administrator", "remove import", True, True),
    ("administrator", "undo", True, True),
    ("administrator", "import", True, True),
    ("coordinator", "edit", True, False),
    ("coordinator", "remove import", True, False),
    ("coordinator", "undo", True, False),
    ("coordinator", "import", True, True),
    ("viewer", "edit", False, False),
    ("viewer", "remove import", False, False),
    ("viewer", "undo", False, False),
    ("viewer", "import", False, False),
    (None, "edit", False, False),
    (None, "remove import", False, False),
    (None, "undo", False, False),
    (None, "import", False, False),
]


def allowed(who: Account | None, action: str, own: bool) -> bool:
    author = "sam" if own else "alex"
    if action == "edit":
        return may_edit_community(who, OURS if own else THEIRS)
    if action == "remove import":
        return may_remove_import(who, record(author))
    if action == "undo":
        return may_undo(who, {"who": author})
    return may_import(who)


@pytest.mark.parametrize(("role", "action", "on_own", "on_others"), TABLE)
def test_each_role_may_do_what_the_table_says(role, action, on_own, on_others):
    who = account("sam", role) if role else None
    assert allowed(who, action, own=True) is on_own
    assert allowed(who, action, own=False) is on_others


def test_a_second_coordinator_may_not_touch_the_first_ones_community_or_import():
    alex = Account("alex", "2026-01-01T00:00:00+00:00", "coordinator", frozenset({THEIRS}))
    assert not may_edit_community(alex, OURS)
    assert not may_remove_import(alex, record("sam"))
    assert may_remove_import(alex, {"who": "alex"})  # the dict of a listed record is the same


def test_a_change_of_role_takes_away_what_the_role_allowed():
    demoted = Account("sam", "2026-01-01T00:00:00+00:00", "viewer", frozenset({OURS}))
    assert not may_edit_community(demoted, OURS)  # still listed, but a viewer reads only


def test_an_import_with_no_recorded_uploader_belongs_to_nobody_but_administrators():
    assert not may_remove_import(Account("", "x", "coordinator"), record(""))
    assert may_remove_import(account("ada", "administrator"), record(""))


def test_the_refusals_say_whom_to_ask():
    assert edit_refusal(["sam"]) == "Ask sam to change this community, or an administrator."
    assert edit_refusal(["a", "b", "c"]).startswith("Ask a, b or c to change")
    assert "sam, who imported it" in removal_refusal(record("sam"))


def test_the_edit_form_is_told_whom_to_ask(seeded_store, tmp_path):
    from test_web_auth import make_app

    from cop_graph.store.accounts import Accounts
    from cop_graph.web.permissions import edit_refusal_for

    app = make_app(seeded_store, tmp_path)
    Accounts(tmp_path / "accounts.sqlite3").add_coordinator("sam", OURS)
    alex = Account("alex", "2026-01-01T00:00:00+00:00", "coordinator", frozenset({THEIRS}))
    with app.test_request_context():
        assert edit_refusal_for(account("sam", "coordinator"), OURS) is None
        assert edit_refusal_for(alex, OURS) == (
            "Ask sam to change this community, or an administrator.")  # fmt: skip
        assert edit_refusal_for(alex, THEIRS) is None
        assert edit_refusal_for(None, THEIRS) == "Ask an administrator to change this community."
