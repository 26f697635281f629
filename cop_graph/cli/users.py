"""``cop-graph user``: coordinators' accounts, kept in their own file rather than the store,
so these commands never wait for the store or a running server."""

from __future__ import annotations

import click

from cop_graph.cli.context import Context, handles_errors
from cop_graph.errors import UsageError

__all__ = ["user"]


@click.group()
def user():
    """Manage coordinators' accounts (for signing in to the web pages)."""


def _accounts(ctx: click.Context):
    from cop_graph.store.accounts import Accounts

    return Accounts(ctx.find_object(Context).settings.accounts)


@user.command("add")
@click.argument("name")
@click.password_option(help="The password (asked for when not given).")
@click.pass_context
@handles_errors
def user_add(ctx: click.Context, name: str, password: str):
    """Create an account called NAME."""
    account = _accounts(ctx).add(name, password)
    click.echo(f'Added the account "{account.name}".')


@user.command("remove")
@click.argument("name")
@click.pass_context
@handles_errors
def user_remove(ctx: click.Context, name: str):
    """Delete the account called NAME."""
    if not _accounts(ctx).remove(name):
        raise UsageError(f"there is no account called \"{name}\"; 'cop-graph user list' lists them")
    click.echo(f'Removed the account "{name}".')


@user.command("list")
@click.pass_context
@handles_errors
def user_list(ctx: click.Context):
    """List the accounts and when each was created."""
    accounts = _accounts(ctx).list()
    if not accounts:
        click.echo("There are no accounts yet; add one with 'cop-graph user add NAME'.")
    for account in accounts:
        click.echo(f"{account.name}  (created {account.created})")
