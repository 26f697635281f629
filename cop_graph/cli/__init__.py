"""The ``cop-graph`` command line: parse options, call the library, format the answer.

Exit codes: 0 success, 1 the data does not conform to the rules, 2 a usage or load error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rdflib import Literal, URIRef

from cop_graph import queries
from cop_graph.cli.context import Context, handles_errors
from cop_graph.cli.serve import serve
from cop_graph.errors import UsageError
from cop_graph.namespaces import PREFIXES
from cop_graph.pages.formatting import FORMATS, render_select
from cop_graph.queries.catalogue import list_graphs, resolve_graph
from cop_graph.store import SelectResult

EXPORT_FORMATS = {
    "ttl": "turtle",
    "trig": "trig",
    "nq": "nquads",
    "nt": "ntriples",
    "jsonld": "jsonld",
}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    envvar="COP_GRAPH_STORE",
    help="The store: a folder (default var/store), 'memory:' or a SPARQL server's query URL.",
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
def cli(ctx: click.Context, store: str | None, wait: float | None):
    """cop-graph: a knowledge graph of Communities of Purpose across Greater Manchester."""
    ctx.obj = Context(store, wait)
    ctx.call_on_close(ctx.obj.close)


@cli.command()
@click.option("--if-empty", is_flag=True, help="Do nothing if the store already holds data.")
@click.option("--no-demo", is_flag=True, help="Leave out the illustrative demo data.")
@click.pass_obj
@handles_errors
def init(obj: Context, if_empty: bool, no_demo: bool):
    """Load the ontology, the data rules, GM reference data and the demo data."""
    from cop_graph.ingest.load import init_store

    if obj.store.count() and if_empty:
        click.echo(f"The store at {obj.settings.store} already holds data; nothing to do.")
        return
    for result in init_store(obj.store, demo=not no_demo):
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

    result = load_files(obj.store, files, name=name, title=title, who=who)
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

    if files:
        labels, report = check_files(obj.store, files)
    else:
        labels = _public_and_private_data(obj.store)
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


def _parse_param(text: str):
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise UsageError(f'"{text}" is not a parameter; write name=value')
    if value.startswith("<") and value.endswith(">"):
        return name, URIRef(value[1:-1])
    if value.startswith(("http://", "https://", "mailto:")):
        return name, URIRef(value)
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES:
        return name, URIRef(PREFIXES[prefix] + local)
    return name, Literal(value)


@cli.command()
@click.argument("text", required=False)
@click.option("--file", "file", type=click.Path(exists=True, path_type=Path), help="Query file.")
@click.option("--name", help="A named query (see 'cop-graph queries').")
@click.option("--param", "params", multiple=True, help="name=value for the query, repeatable.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "turtle"]),
    default=None,
    help="table (default), csv or json for SELECT; turtle for CONSTRUCT.",
)
@click.pass_obj
@handles_errors
def query(obj: Context, text, file, name, params, fmt):
    """Run a SPARQL query; the usual prefixes (cop:, rdfs:, skos:, org: …) are predeclared."""
    given = [x for x in (text, file, name) if x]
    if len(given) != 1:
        raise UsageError("give exactly one of: the query text, --file or --name")
    bindings = dict(_parse_param(p) for p in params)
    if name:
        result = queries.run(obj.store, name, **bindings)
    else:
        sparql = file.read_text(encoding="utf-8") if file else text
        result = obj.store.query(sparql, bindings or None)
    if isinstance(result, SelectResult):
        click.echo(render_select(result, fmt if fmt in FORMATS else "table"))
    elif isinstance(result, bool):
        click.echo("yes" if result else "no")
    else:
        click.echo(result.serialize(format="turtle"))


@cli.command("queries")
@click.pass_obj
def list_queries(obj: Context):
    """List the named queries and what each answers."""
    for name in queries.names() + queries.names("examples"):
        click.echo(f"{name}: {queries.get(name).summary or queries.get(name).title}")


@cli.command("examples")
@click.option("--audience", type=click.Choice(["coordinators", "researchers"]), help="Only these.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def list_examples(audience: str | None, fmt: str):
    """List the example questions; run one with 'cop-graph query --name examples/NAME'."""
    listed = [queries.get(name) for name in queries.names("examples")]
    listed = [q for q in listed if audience in (None, q.audience)]
    if fmt == "json":
        keys = ("name", "title", "description", "audience", "params")
        click.echo(json.dumps([{k: getattr(q, k) for k in keys} for q in listed], indent=2))
        return
    for q in listed:
        click.echo(f"{q.name}  ({q.audience})\n  {q.title}: {q.description}")
        for param, meaning in q.params.items():
            click.echo(f"  --param {param}=…  {meaning}")


@cli.command()
@click.argument("name", required=False)
@click.option("--place", help="A place (IRI or name).")
@click.option("--practice", help="A practice (IRI or name).")
@click.option("--community", help="A community (IRI or name).")
@click.option("--from", "source", help="Where paths start (IRI or name).")
@click.option("--to", "target", help="Where paths end (IRI or name).")
@click.option("--level", help="ward, neighbourhood, pcn, locality, region or recorded.")
@click.option("--k", help="How many paths at most.")
@click.option("--top", help="How many rows to list.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.option(
    "--export",
    "export_format",
    type=click.Choice(["graphml", "gexf", "csv"]),
    help="Write the graph the analysis works on (for Gephi and other tools) instead.",
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File (default: screen).")
@click.pass_obj
@handles_errors
def analyse(obj: Context, name, fmt, export_format, output, source, target, **options):
    """Run the connection analysis NAME; without NAME, list the analyses."""
    from cop_graph.analysis import reports
    from cop_graph.analysis.tables import as_select

    if not name:
        for analysis in reports.ANALYSES.values():
            click.echo(f"{analysis.name}: {analysis.summary}")
        return
    options.update({"from": source, "to": target})
    if export_format:
        data = reports.export_graph(obj.store, name, export_format, options)
    else:
        result = reports.run(obj.store, name, options)
        text = (
            json.dumps(result.data, indent=2, ensure_ascii=False)
            if fmt == "json"
            else render_select(as_select(result.columns, result.rows), fmt)
        )
        data = (text + "\n").encode("utf-8")
    if output:
        output.write_bytes(data)
        click.echo(f"Wrote {output}", err=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice([*sorted(EXPORT_FORMATS), "xlsx"]), default="ttl"
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File (default: screen).")
@click.option("--graph", "graphs", multiple=True, help="Only this graph (repeatable).")
@click.option("--include-private", is_flag=True, help="Include people's private data.")
@click.pass_obj
@handles_errors
def export(obj: Context, fmt: str, output: Path | None, graphs, include_private: bool):
    """Write the data as Turtle, TriG, N-Quads, N-Triples or JSON-LD (public data by default).

    xlsx writes a coordinators' workbook (by default of every import and the demo data)
    that imports back to the same graph.
    """
    from cop_graph.scope import Scope

    if fmt == "xlsx":
        _export_workbook(obj, output, graphs, include_private)
        return
    readable = Scope.everything(obj.store) if include_private else Scope.public(obj.store)
    names = [n for n in map(resolve_graph, graphs) if n in readable] if graphs else readable.graphs
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
    """Remove GRAPH (its IRI, or a short name such as load/my-file) and its private part."""
    from cop_graph.scope import private_graph_of

    name = resolve_graph(graph)
    if name not in obj.store.named_graphs():
        raise UsageError(f"there is no graph {name}; 'cop-graph graphs' lists them")
    obj.store.drop([name, private_graph_of(name)])
    click.echo(f"Removed {name}")


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


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
@handles_errors
def template(obj: Context, file: Path):
    """Write a blank workbook for coordinators to fill in: FILE.xlsx, or FILE.zip of CSV files."""
    from cop_graph.workbook.template import template_csv_zip, template_xlsx

    if file.suffix.lower() not in (".xlsx", ".zip"):
        raise UsageError("the template's file name must end in .xlsx or .zip")
    store = obj.store if obj.store_exists() else None
    file.write_bytes(template_xlsx(store) if file.suffix.lower() == ".xlsx" else template_csv_zip())
    click.echo(f"Wrote {file}")


@cli.command("import")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the workbook without saving anything.")
@click.option("--graph", "name", help="Graph name (default: from the workbook), e.g. import/x.")
@click.option("--who", help="Who is importing (recorded with the data).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
@handles_errors
def import_(obj: Context, workbook: Path, dry_run: bool, name, who, fmt: str):
    """Import a coordinators' WORKBOOK: an .xlsx file, a folder of .csv files or a .zip of them.

    Everything is saved as one graph, or nothing is and every problem is listed by sheet, row
    and column. Importing a newer version of the same workbook replaces the earlier one.
    """
    from cop_graph.ingest.importer import import_workbook
    from cop_graph.workbook.report import ImportRejected

    try:
        result = import_workbook(
            obj.store,
            workbook,
            who=who,
            dry_run=dry_run,
            name=name,
            max_bytes=obj.settings.max_upload_bytes,
        )
    except ImportRejected as rejected:
        if fmt == "json":
            problems = [p.to_json() for p in rejected.problems]
            click.echo(json.dumps({"ok": False, "problems": problems}, indent=2))
        else:
            click.echo(f"Not saved: {rejected}", err=True)
            for line in rejected.lines():
                click.echo(f"  - {line}", err=True)
        sys.exit(rejected.exit_code)
    if fmt == "json":
        advice = [p.to_json() for p in result.advice]
        click.echo(
            json.dumps(
                {
                    "ok": True,
                    "graph": str(result.graph),
                    "rows": result.rows,
                    "triples": result.triples,
                    "dry_run": dry_run,
                    "advice": advice,
                },
                indent=2,
            )
        )
        return
    verb = "would save" if dry_run else "saved"
    click.echo(
        f"{workbook.name}: {result.rows} rows, {verb} {result.triples} facts in {result.graph}"
    )
    if result.private_triples:
        click.echo(f"{result.private_triples} facts about people were kept private.")
    for problem in result.advice:
        click.echo(f"  - {problem.sentence()}")


@cli.group()
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


cli.add_command(serve)


def main():
    """Console-script entry point."""
    cli(prog_name="cop-graph")
