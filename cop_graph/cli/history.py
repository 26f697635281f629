"""The history of changes: ``history`` lists them, ``undo`` puts back what one changed.

Whoever runs these commands holds the store, so they count as an administrator: they may
undo anyone's change. The history names accounts, so it is shown here and to signed-in
users only, never in the public data.
"""

from __future__ import annotations

import json

import click
from rdflib import URIRef

from cop_graph.cli.context import Context, handles_errors

__all__ = ["history", "undo"]


@click.command()
@click.option("--community", help="Only changes to this community: its IRI or its name.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
@handles_errors
def history(obj: Context, community: str | None, fmt: str):
    """List the recorded changes, newest first: id, when, who and what each changed."""
    from cop_graph.ingest.history import list_changes

    chosen = _community(obj.store, community) if community else None
    entries = list_changes(obj.store, chosen)
    if fmt == "json":
        click.echo(json.dumps([_json(entry, chosen) for entry in entries], indent=2))
        return
    if not entries:
        click.echo("No changes recorded" + (" for that community." if community else "."))
    for entry in entries:
        when = f"{entry.when:%Y-%m-%dT%H:%MZ}"
        lines = _lines(entry, chosen)
        for line in lines:
            click.echo(f"{entry.id:>4}  {when}  {entry.who}  {entry.kind}: {line}")


def _lines(entry, community: URIRef | None) -> list[str]:
    if community is not None:
        return entry.lines.get(str(community), []) or [entry.summary]
    return [line for lines in entry.lines.values() for line in lines] or [entry.summary]


def _json(entry, community: URIRef | None) -> dict:
    return {
        "id": entry.id,
        "when": entry.when.isoformat(),
        "who": entry.who,
        "kind": entry.kind,
        "summary": entry.summary,
        "lines": _lines(entry, community),
    }


def _community(store, given: str) -> URIRef:
    from cop_graph import queries
    from cop_graph.errors import UsageError
    from cop_graph.ids import mint, slugify

    if given.startswith(("http://", "https://")):
        return URIRef(given)
    rows = queries.run(store, "find_community_by_name", wanted=_literal(given))
    found = sorted({row[0] for row in rows})
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise UsageError(f'more than one community is called "{given}": give its IRI instead')
    if slugify(given):
        return mint("community", given)
    raise UsageError(f'no community is called "{given}": give its name or IRI')


def _literal(text: str):
    from rdflib import Literal

    return Literal(text.strip())


@click.command()
@click.argument("change_id", metavar="CHANGE_ID")
@click.option("--who", help="Who is undoing it (recorded in the history; default: you).")
@click.pass_obj
@handles_errors
def undo(obj: Context, change_id: str, who: str | None):
    """Undo the change CHANGE_ID (see 'cop-graph history'): put back exactly the facts the
    graphs it touched held before it. A later change to the same graphs must be undone first."""
    from cop_graph.ingest.history import default_who, undo_change

    result = undo_change(obj.store, change_id, who=who or default_who(), is_admin=True)
    click.echo(f"Undid change {change_id} as change {result.change_id}: {result.summary()}.")
    for line in result.readable():
        click.echo(f"  - {line}")
