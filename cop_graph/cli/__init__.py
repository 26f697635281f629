"""The ``cop-graph`` command line: parse options, call the library, format the answer.

Exit codes: 0 success, 1 the data does not conform to the rules, 2 a usage or load error.
This module holds the group and the commands that manage the store's graphs; the others live
beside it (``questions``, ``workbooks``, ``users``, ``serve``, ``demo``), and ``context`` opens
the store for all of them (working through a running server, or waiting for another command).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cop_graph.cli.context import Context, handles_errors
from cop_graph.cli.demo import demo
from cop_graph.cli.history import history, undo
from cop_graph.cli.progress_bar import terminal_progress
from cop_graph.cli.questions import analyse, list_examples, list_queries, query
from cop_graph.cli.serve import serve
from cop_graph.cli.users import user
from cop_graph.cli.workbooks import import_, template
from cop_graph.errors import UsageError
from cop_graph.queries.catalogue import list_graphs, resolve_graph

EXPORT_FORMATS = {
    "ttl": "turtle",
    "trig": "trig",
    "nq": "nquads",
    "nt": "ntriples",
    "jsonld": "jsonld",
}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    envvar="COP_GRAPH_DATA",
    metavar="FOLDER",
    help="The folder holding every file cop-graph keeps: the store, the accounts and their "
    "sessions, the secret key (default: the user's data folder, e.g. ~/.local/share/cop-graph).",
)
@click.option(
    "--store",
    envvar="COP_GRAPH_STORE",
    help="The store: a folder (default DATA/store), 'memory:' or a SPARQL server's query URL.",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="How long to wait for the store while another command holds it (default 60). "
    "While 'cop-graph serve' runs, commands work through it without waiting.",
)
@click.version_option(package_name="cop-graph")
@click.pass_context
def cli(ctx: click.Context, data: str | None, store: str | None, wait: float | None):
    """cop-graph: a knowledge graph of Communities of Purpose across Greater Manchester."""
    ctx.obj = Context(store, wait, data=data)
    ctx.call_on_close(ctx.obj.close)


@cli.command()
@click.option(
    "--if-empty",
    is_flag=True,
    help="If the store already holds data, only bring its standard graphs up to date.",
)
@click.option("--no-demo", is_flag=True, help="Leave out the illustrative demo data.")
@click.pass_obj
@handles_errors
def init(obj: Context, if_empty: bool, no_demo: bool):
    """Load the ontology, the data rules, GM reference data and the demo data.

    With --if-empty on a store that holds data (what 'make serve' runs each time), nothing is
    added, but the standard graphs it holds are reloaded where this version ships changed
    files: an upgrade never leaves the previous version's reference or demo data in place.
    """
    from cop_graph.ingest.load import init_store, refresh_standard

    store = obj.store
    if store.count() and if_empty:
        with terminal_progress() as progress:
            refreshed = refresh_standard(store, progress=progress)
        for result in refreshed:
            click.echo(f"{result.graph}: updated to this version's files, {result.triples} facts")
        if not refreshed:
            click.echo(f"The store at {obj.settings.store} already holds data; nothing to do.")
        return
    with terminal_progress() as progress:
        results = init_store(store, demo=not no_demo, progress=progress)
    for result in results:
        click.echo(f"{result.graph}: {result.triples} facts saved")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", "name", help="Name of the graph to (re)place, e.g. load/my-community.")
@click.option("--title", help="A title for the catalogue.")
@click.option("--who", help="Who is loading (recorded with the data).")
@click.pass_obj
@handles_errors
def load(obj: Context, files: tuple[Path, ...], name: str | None, title: str | None, who):
    """Check FILES against the data rules and, if they conform, save them as one graph.

    Turtle, TriG, N-Triples, N-Quads, JSON-LD and RDF/XML are read. Loading a file of the
    same name again replaces the earlier load.
    """
    from cop_graph.ingest.load import load_files

    store = obj.store  # opened first: waiting for it is said on stderr, not under the bar
    with terminal_progress() as progress:
        result = load_files(store, files, name=name, title=title, who=who, progress=progress)
    click.echo(f"Saved {result.triples} facts in {result.graph}")
    if result.private_triples:
        click.echo(f"{result.private_triples} facts about people were kept private.")
    for line in result.advice:
        click.echo(f"  advice: {line}")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
@handles_errors
def validate(obj: Context, files: tuple[Path, ...], fmt: str):
    """Check FILES (or, with none, everything in the store) against the data rules."""
    from cop_graph.ingest.load import check_files
    from cop_graph.validate import validate as run_validation

    store = obj.store
    with terminal_progress() as progress:
        if files:
            labels, report = check_files(store, files, progress=progress)
        else:
            progress.step("Reading the store's data")
            labels = _public_and_private_data(store)
            progress.step("Checking against the data rules")
            report = run_validation(labels)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "results": report.to_json()}, indent=2))
    else:
        for line in report.lines(labels):
            click.echo(f"- {line}")
        verdict = "conforms" if report.conforms else "does not conform"
        click.echo(
            f"The data {verdict}: {len(report.violations)} problems, {len(report.warnings)} advice."
        )
    sys.exit(0 if report.conforms else 1)


def _public_and_private_data(store):
    """Every fact of the data graphs, private parts included (the rules check them whole)."""
    from rdflib import Graph

    from cop_graph.scope import Scope

    data = Graph()
    for name in Scope.everything(store).data().graphs:
        data += store.graph(name)
    return data


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice([*sorted(EXPORT_FORMATS), "xlsx"]), default="ttl"
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File (default: screen).")
@click.option("--graph", "graphs", multiple=True, help="Only this graph (repeatable).")
@click.option("--include-private", is_flag=True, help="Include people's private data.")
@click.option("--community", help="With --format xlsx: one community's record (IRI or ID).")
@click.pass_obj
@handles_errors
def export(obj: Context, fmt: str, output: Path | None, graphs, include_private: bool, community):
    """Write the data as Turtle, TriG, N-Quads, N-Triples or JSON-LD (public data by default).

    xlsx writes a coordinators' workbook (by default of every import and the demo data)
    that imports back to the same graph.
    """
    from cop_graph.scope import Scope

    if community is not None:
        from cop_graph.cli.workbooks import export_community

        export_community(obj, fmt, output, community, include_private)
        return
    if fmt == "xlsx":
        _export_workbook(obj, output, graphs, include_private)
        return
    readable = Scope.everything(obj.store) if include_private else Scope.public(obj.store)
    asked = [resolve_graph(g) for g in graphs]
    missing = [str(n) for n in asked if n not in obj.store.named_graphs()]
    if missing:
        # an export of nothing would look like success: say which graph is not there
        raise UsageError(f"there is no graph {', '.join(missing)}; 'cop-graph graphs' lists them")
    # a private graph asked for without --include-private is left out, as everywhere
    names = [n for n in asked if n in readable] if graphs else readable.graphs
    if output:
        with output.open("wb") as stream:
            obj.store.dump(stream, EXPORT_FORMATS[fmt], names)
        click.echo(f"Wrote {output}", err=True)
    else:
        obj.store.dump(sys.stdout.buffer, EXPORT_FORMATS[fmt], names)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
@handles_errors
def graphs(obj: Context, fmt: str):
    """List the named graphs with who loaded them, when, and from which files."""
    records = list_graphs(obj.store)
    if fmt == "json":
        click.echo(json.dumps([r.__dict__ for r in records], indent=2))
        return
    for r in records:
        tag = " (illustrative)" if r.illustrative else ""
        click.echo(
            f"{r.graph}\n  {r.title}{tag}\n  {r.kind}, {r.triples} facts, by {r.who} at "
            f"{r.when}" + (f", from {r.sources}" if r.sources else "")
        )


@cli.command()
@click.argument("graph")
@click.pass_obj
@handles_errors
def drop(obj: Context, graph: str):
    """Remove GRAPH (its IRI, or a short name such as load/my-file) and its private part.

    The removal is recorded in the history: 'cop-graph undo' with its number puts it back.
    """
    from cop_graph.ingest.history import default_who, remove_import
    from cop_graph.scope import is_history

    name = resolve_graph(graph)
    if name not in obj.store.named_graphs() or is_history(name):
        raise UsageError(f"there is no graph {name}; 'cop-graph graphs' lists them")
    removed = remove_import(obj.store, name, who=default_who())
    click.echo(
        f"Removed {name}: {removed.removed} facts (change {removed.change_id}: "
        f"'cop-graph undo {removed.change_id}' puts it back)"
    )


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
@handles_errors
def stats(obj: Context, fmt: str):
    """Count communities, people, organisations, places and practices."""
    from cop_graph.pages.summary import summary

    data = summary(obj.store)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return
    for name, value in data["counts"].items():
        click.echo(f"{name:<14}{value:>8}")
    click.echo(f"{'facts':<14}{data['triples']:>8}")
    click.echo(f"{'graphs':<14}{len(data['graphs']):>8}")


def _export_workbook(obj: Context, output: Path | None, graphs, include_private: bool):
    from cop_graph.workbook.export import export_workbook

    if output is None and sys.stdout.isatty():
        raise UsageError("a workbook cannot be shown on screen: give a file with --output")
    data, exported = export_workbook(
        obj.store, [resolve_graph(g) for g in graphs], include_private=include_private
    )
    if output:
        output.write_bytes(data)
        click.echo(f"Wrote {output}", err=True)
    else:
        sys.stdout.buffer.write(data)
    if len(exported.left_out):
        click.echo(
            f"Note: {len(exported.left_out)} facts have no column in the workbook and were left "
            "out" + ("" if include_private else " (add --include-private for people's names)"),
            err=True,
        )


for command in (query, list_queries, list_examples, analyse, template, import_, user, serve, demo):
    cli.add_command(command)
for command in (history, undo):
    cli.add_command(command)


def main():
    """Console-script entry point."""
    cli(prog_name="cop-graph")
