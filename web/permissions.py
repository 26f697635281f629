"""Who may do what: the one place that decides, so every view, form and JSON twin agrees.

The rules (issue 14):

- an **administrator** may do everything;
- a **coordinator** may edit the communities it coordinates (recorded in the accounts file,
  see :class:`cop_graph.store.accounts.Accounts`), import workbooks, remove its own imports
  and undo its own changes;
- a **viewer**, and anyone not signed in, reads only.

The checks take an :class:`~cop_graph.store.accounts.Account` (or None for an anonymous
visitor), which carries its role and communities, so they are plain functions of their
arguments; views get the account from :func:`cop_graph.web.auth.current_account`. The
sentences for a refusal live here too, so a page and its JSON twin say the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cop_graph.store.accounts import ADMINISTRATOR, COORDINATOR, Account
from cop_graph.web.state import app_state

__all__ = [
    "edit_refusal",
    "edit_refusal_for",
    "is_administrator",
    "may_edit_community",
    "may_import",
    "may_remove_import",
    "may_undo",
    "removal_refusal",
    "upload_refusal",
    "undo_refusal",
]


def is_administrator(account: Account | None) -> bool:
    """Whether ``account`` is an administrator (who may do everything)."""
    return account is not None and account.role == ADMINISTRATOR


def _is_coordinator(account: Account | None) -> bool:
    return account is not None and account.role == COORDINATOR


def may_import(account: Account | None) -> bool:
    """Whether ``account`` may import workbooks and save self-assessments (viewers may not)."""
    return is_administrator(account) or _is_coordinator(account)


def may_edit_community(account: Account | None, community_iri: str) -> bool:
    """Whether ``account`` may change the community ``community_iri``: its coordinators and
    administrators may."""
    if is_administrator(account):
        return True
    return _is_coordinator(account) and str(community_iri) in account.communities


def may_remove_import(account: Account | None, record) -> bool:
    """Whether ``account`` may remove the import ``record`` (a catalogue
    :class:`~cop_graph.queries.catalogue.GraphRecord` or its dict): its uploader, recorded
    as the record's ``who``, and administrators may."""
    if is_administrator(account):
        return True
    return _is_coordinator(account) and _is_by(account, record)


def may_undo(account: Account | None, change) -> bool:
    """Whether ``account`` may undo ``change`` (anything with a ``who``, such as a history
    entry): its author and administrators may."""
    if is_administrator(account):
        return True
    return _is_coordinator(account) and _is_by(account, change)


def edit_refusal(coordinators: Iterable[str]) -> str:
    """The sentence for someone who may not edit a community, naming whom to ask.

    >>> edit_refusal(["sam", "alex"])
    'Ask sam or alex to change this community, or an administrator.'
    >>> edit_refusal([])
    'Ask an administrator to change this community.'
    """
    names = list(coordinators)
    if not names:
        return "Ask an administrator to change this community."
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"Ask {joined} to change this community, or an administrator."


def edit_refusal_for(account: Account | None, community_iri: str) -> str | None:
    """None when ``account`` may edit the community ``community_iri``, else the sentence
    naming its coordinators (read from the app's accounts file), for the edit form and its
    JSON twin to show (a refused save answers 403 with it)."""
    if may_edit_community(account, community_iri):
        return None
    return edit_refusal(app_state().accounts.coordinators_of(str(community_iri)))


def upload_refusal(account: Account | None, communities: dict) -> str | None:
    """None when ``account`` may save a workbook changing ``communities`` (IRI → name), else
    the sentence saying why not.

    A workbook is an edit of every community it changes, so the rule is the edit form's,
    except that a community nobody coordinates yet (a new one, or one recorded before
    coordinators were) may be recorded by any coordinator, who then coordinates it.
    """
    if not may_import(account):
        return "A viewer's account reads only: ask an administrator to make it a coordinator's."
    accounts = app_state().accounts
    for community, name in communities.items():
        coordinators = accounts.coordinators_of(str(community))
        if coordinators and not may_edit_community(account, community):
            ask = edit_refusal(coordinators)
            ask = ask[:1].lower() + ask[1:]
            return f"This workbook changes {name}, which you do not coordinate: {ask}"
    return None


def removal_refusal(record) -> str:
    """The sentence for someone who may not remove an import.

    >>> removal_refusal({"who": "sam"})
    'Only sam, who imported it, or an administrator can remove this import.'
    """
    who = _who(record) or "its uploader"
    return f"Only {who}, who imported it, or an administrator can remove this import."


def undo_refusal(change) -> str:
    """The sentence for someone who may not undo a change.

    >>> undo_refusal({"who": "sam"})
    'Only sam, who made this change, or an administrator can undo it.'
    """
    who = _who(change) or "its author"
    return f"Only {who}, who made this change, or an administrator can undo it."


def _is_by(account: Account, thing) -> bool:
    """Whether ``thing`` was made by ``account`` (a thing recording no author is nobody's)."""
    who = _who(thing)
    return bool(who) and who == account.name


def _who(thing) -> str:
    if isinstance(thing, Mapping):
        return str(thing.get("who") or "")
    return str(getattr(thing, "who", "") or "")
