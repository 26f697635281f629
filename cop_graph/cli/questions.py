"""Asking the graph: ``query``, ``queries``, ``examples`` and ``analyse``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pyoxigraph as ox
from rdflib import Literal, URIRef

from cop_graph import queries
from cop_graph.cli.context import Context, handles_errors, on_disk
from cop_graph.cli.names import named_columns, resolve_params
from cop_graph.cli.progress_bar import terminal_progress
from cop_graph.cli.site import analysis_path, ask_site, running_site
from cop_graph.errors import UsageError
from cop_graph.namespaces import PREFIXES
from cop_graph.pages.formatting import FORMATS, render_raw, render_select
from cop_graph.sparql.examples import required_parameters
from cop_graph.store import RawSolutions
from cop_graph.store.answers import convert_answer

__all__ = ["analyse", "list_examples", "list_queries", "query"]

#: how a SELECT answer can be written by pyoxigraph itself, besides FORMATS
_RESULTS_FORMATS = {"tsv": ox.QueryResultsFormat.TSV}
#: how a CONSTRUCT or DESCRIBE answer can be written
_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}


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


@click.command()
@click.argument("text", required=False)
@click.option("--file", "file", type=click.Path(exists=True, path_type=Path), help="Query file.")
@click.option("--name", help="A named query (see 'cop-graph queries').")
@click.option("--param", "params", multiple=True, help="name=value for the query, repeatable.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, *_RESULTS_FORMATS, *_RDF_FORMATS]),
    default=None,
    help="table (default), csv, json or tsv (SPARQL's, terms as in N-Triples) for SELECT; "
    "turtle (default) or ntriples for CONSTRUCT and DESCRIBE.",
)
@click.pass_obj
@handles_errors
def query(obj: Context, text, file, name, params, fmt):
    """Run a SPARQL query; the usual prefixes (cop:, rdfs:, skos:, org: …) are predeclared."""
    given = [x for x in (text, file, name) if x]
    if len(given) != 1:
        raise UsageError("give exactly one of: the query text, --file or --name")
    bindings = resolve_params(obj.store, dict(_parse_param(p) for p in params))
    if name:
        _check_required(name, bindings)
        result = queries.run(obj.store, name, raw=True, **bindings)
    else:
        sparql = file.read_text(encoding="utf-8") if file else text
        result = obj.store.query_raw(sparql, bindings or None)
    # the answer stays in the engine's terms except in a table, which shows names beside
    # addresses: a large answer then costs little more than the query itself
    if isinstance(result, RawSolutions) and fmt in _RESULTS_FORMATS:
        click.echo(result.serialize(_RESULTS_FORMATS[fmt]).decode("utf-8").rstrip("\n"))
    elif isinstance(result, RawSolutions):
        fmt = fmt if fmt in FORMATS else "table"
        if fmt == "table":
            click.echo(render_select(named_columns(obj.store, convert_answer(result)), fmt))
        else:
            click.echo(render_raw(result, fmt))
    elif isinstance(result, bool):
        click.echo("yes" if result else "no")
    else:
        written = result.serialize(_RDF_FORMATS.get(fmt, ox.RdfFormat.TURTLE), PREFIXES)
        click.echo(written.decode("utf-8"))


def _check_required(name: str, bindings: dict) -> None:
    """Refuse a named question run without a parameter it cannot answer without (an example's
    ``# required:`` line): an ASK with nothing bound would answer "yes" to nothing asked."""
    try:
        named = queries.get(name)
    except UsageError:
        return  # the run itself says the name is unknown
    missing = [p for p in required_parameters(named) if p not in bindings]
    if missing:
        needed = " ".join(f"--param {p}=…" for p in missing)
        raise UsageError(f"the question {name} needs {needed} (see 'cop-graph examples')")


@click.command("queries")
@click.pass_obj
def list_queries(obj: Context):
    """List the named queries and what each answers."""
    for name in queries.names() + queries.names("examples"):
        click.echo(f"{name}: {queries.get(name).summary or queries.get(name).title}")


@click.command("examples")
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


@click.command()
@click.argument("name", required=False)
@click.option("--place", help="A place (IRI or name).")
@click.option("--practice", help="A practice (IRI or name).")
@click.option("--community", help="A community (IRI or name).")
@click.option("--locality", help="Only this locality (IRI or name), where the analysis takes one.")
@click.option("--domain", help="Only this domain (IRI or name), where the analysis takes one.")
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
    """Run the connection analysis NAME; without NAME, list the analyses.

    While 'cop-graph serve' runs on the same store, the answer comes from the site, which
    keeps the graphs built and remembers answers until the data changes.
    """
    if not name:
        from cop_graph.analysis import reports

        if export_format or output:
            wanted = f"--export {export_format}" if export_format else f"--output {output}"
            raise UsageError(
                f"{wanted} needs the name of the analysis to write, such as "
                f"'cop-graph analyse shared-practice {wanted}'; the analyses are: "
                + ", ".join(reports.ANALYSES)
            )
        for analysis in reports.ANALYSES.values():
            click.echo(f"{analysis.name}: {analysis.summary}")
        return
    options.update({"from": source, "to": target})
    if export_format:
        data = _from_site(obj, analysis_path(name, export_format), options)
        if data is None:
            from cop_graph.analysis import reports

            data = reports.export_graph(obj.store, name, export_format, options)
    else:
        data = _from_site(obj, analysis_path(name), {**options, "format": fmt})
        if data is None:
            data = _worked_out(obj, name, options, fmt)
    if output:
        output.write_bytes(data)
        click.echo(f"Wrote {output}", err=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def _from_site(obj: Context, path: str, params: dict) -> bytes | None:
    """The running site's answer, when a site holds the store (see :mod:`cop_graph.cli.site`)
    and answers; else None, and the command works it out itself."""
    site = running_site(obj.settings.store) if on_disk(obj.settings.store) else None
    if site is None:
        return None
    told: list[str] = []
    with terminal_progress() as progress:
        progress.step("Asking the running site")
        sent = ask_site(site, path, params, say=told.append)
    for message in told:  # said once the bar is gone, so that it stays on the screen
        _say(message)
    return sent


def _worked_out(obj: Context, name: str, options: dict, fmt: str) -> bytes:
    """The analysis's answer as the command prints it, worked out in this process."""
    from cop_graph.analysis import reports
    from cop_graph.pages.analysis_text import answer_text

    store = obj.store
    with terminal_progress() as progress:
        result = reports.run(store, name, options, progress=progress)
    return answer_text(result, fmt).encode("utf-8")


def _say(message: str) -> None:
    click.echo(message, err=True)
