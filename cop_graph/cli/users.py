"""``cop-graph user``: accounts, their roles and the communities they coordinate, kept in
their own file rather than the store, so these commands never wait for the store or a
running server."""

from __future__ import annotations

import click

from cop_graph.cli.context import Context, handles_errors
from cop_graph.errors import UsageError
from cop_graph.namespaces import ID

__all__ = ["user"]


ROLE_HELP = (
    "viewer (reads only), coordinator (keeps its own communities and imports) "
    "or administrator (may do everything)."
)


@click.group()
def user():
    """Manage accounts, their roles and the communities they coordinate (for signing in to the
    web pages)."""


def _accounts(ctx: click.Context):
    # imported here: it hashes a password as it loads, which other commands need not wait for
    from cop_graph.store.accounts import Accounts

    return Accounts(ctx.find_object(Context).settings.accounts)


@user.command("add")
@click.argument("name")
@click.password_option(help="The password (asked for when not given).")
@click.option("--role", default="coordinator", show_default=True, help="The role: " + ROLE_HELP)
@click.pass_context
@handles_errors
def user_add(ctx: click.Context, name: str, password: str, role: str):
    """Create an account called NAME."""
    account = _accounts(ctx).add(name, password, role)
    click.echo(f'Added the account "{account.name}" ({account.role}).')


@user.command("role", help="Give the account NAME the role ROLE: " + ROLE_HELP)
@click.argument("name")
@click.argument("role")
@click.pass_context
@handles_errors
def user_role(ctx: click.Context, name: str, role: str):
    account = _accounts(ctx).set_role(name, role)
    click.echo(f'The account "{account.name}" is now {_a(account.role)}.')


@user.command("coordinates")
@click.argument("name")
@click.argument("community")
@click.option("--stop", is_flag=True, help="Stop NAME coordinating COMMUNITY instead.")
@click.pass_context
@handles_errors
def user_coordinates(ctx: click.Context, name: str, community: str, stop: bool):
    """Record that NAME coordinates COMMUNITY (its address, e.g.
    https://w3id.org/cop-graph/id/community/halliwell-walkers, or the part after /id/)."""
    community = _community_iri(community)
    accounts = _accounts(ctx)
    if stop:
        if not accounts.remove_coordinator(name, community):
            raise UsageError(f'"{name}" was not recorded as coordinating {community}')
        click.echo(f'"{accounts.normalise(name)}" no longer coordinates {community}.')
        return
    accounts.add_coordinator(name, community)
    click.echo(f'"{accounts.normalise(name)}" coordinates {community}.')


@user.command("remove")
@click.argument("name")
@click.pass_context
@handles_errors
def user_remove(ctx: click.Context, name: str):
    """Delete the account called NAME (which signs it out everywhere)."""
    if not _accounts(ctx).remove(name):
        raise UsageError(f"there is no account called \"{name}\"; 'cop-graph user list' lists them")
    click.echo(f'Removed the account "{name}" and ended its sessions.')


@user.command("password")
@click.argument("name")
@click.password_option(help="The new password (asked for when not given).")
@click.pass_context
@handles_errors
def user_password(ctx: click.Context, name: str, password: str):
    """Give the account NAME a new password, and sign it out everywhere."""
    ended = _accounts(ctx).set_password(name, password)
    click.echo(f'The account "{_normalised(name)}" has a new password; {_ended(ended)}.')


@user.command("sessions")
@click.argument("name")
@click.pass_context
@handles_errors
def user_sessions(ctx: click.Context, name: str):
    """List where the account NAME is signed in: each session's label, when it began and when
    it was last used (UTC)."""
    accounts = _accounts(ctx)
    if not accounts.exists(name):
        raise UsageError(f"there is no account called \"{name}\"; 'cop-graph user list' lists them")
    sessions = accounts.sessions(name)
    if not sessions:
        click.echo(f'"{_normalised(name)}" is not signed in anywhere.')
    for signed_in in sessions:
        click.echo(f"{signed_in.label}  began {signed_in.started}  last used {signed_in.last_seen}")


@user.command("end-sessions")
@click.argument("name")
@click.pass_context
@handles_errors
def user_end_sessions(ctx: click.Context, name: str):
    """Sign the account NAME out everywhere (its next request asks it to sign in again)."""
    accounts = _accounts(ctx)
    if not accounts.exists(name):
        raise UsageError(f"there is no account called \"{name}\"; 'cop-graph user list' lists them")
    click.echo(f'"{_normalised(name)}": {_ended(accounts.end_sessions(name))}.')


@user.command("list")
@click.pass_context
@handles_errors
def user_list(ctx: click.Context):
    """List the accounts with their roles, when each was created and the communities each
    coordinates."""
    accounts = _accounts(ctx).list()
    if not accounts:
        click.echo("There are no accounts yet; add one with 'cop-graph user add NAME'.")
    for account in accounts:
        click.echo(f"{account.name}  {account.role}  (created {account.created})")
        for community in sorted(account.communities):
            click.echo(f"    coordinates {community}")


def _normalised(name: str) -> str:
    from cop_graph.store.accounts import Accounts

    return Accounts.normalise(name)


def _ended(count: int) -> str:
    return {0: "no session was open", 1: "1 session ended"}.get(count, f"{count} sessions ended")


def _a(role: str) -> str:
    return ("an " if role[0] in "aeiou" else "a ") + role


def _community_iri(community: str) -> str:
    """A community's full address from its address or the part after ``/id/``."""
    community = community.strip()
    if community.startswith(("http://", "https://")):
        return community
    return f"{ID}{community.removeprefix('/').removeprefix('id/')}"
