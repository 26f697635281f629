"""Coordinators' workbooks: a blank ``template``, ``import`` of a filled-in one, and one
community's record written as a workbook (``export --format xlsx --community IRI``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cop_graph.cli.context import Context, handles_errors
from cop_graph.cli.progress_bar import terminal_progress
from cop_graph.errors import UsageError

__all__ = ["export_community", "import_", "template"]


@click.command()
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


@click.command("import")
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
    and column. Importing a newer version of the same workbook replaces the earlier one, and
    each community it describes replaces that community's earlier record (from any workbook):
    the command says what was added and removed, or with --dry-run what would be.
    """
    from cop_graph.ingest.importer import import_workbook
    from cop_graph.workbook.report import ImportRejected

    store = obj.store
    try:
        with terminal_progress() as progress:
            result = import_workbook(
                store,
                workbook,
                who=who,
                dry_run=dry_run,
                name=name,
                max_bytes=obj.settings.max_upload_bytes,
                progress=progress,
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
                    "added": result.added,
                    "removed": result.removed,
                    "changes": result.readable(),
                    "change": result.change_id,
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
    change = f" (change {result.change_id}: 'cop-graph undo {result.change_id}' undoes it)"
    click.echo(result.summary().capitalize() + (change if result.change_id else "") + ".")
    for line in result.readable():
        click.echo(f"  * {line}")
    for problem in result.advice:
        click.echo(f"  - {problem.sentence()}")


def export_community(obj: Context, fmt: str, output: Path | None, community: str, private: bool):
    """Write ``community``'s record as the workbook the importer takes (people's names and
    emails only with ``private``), to start its next update from."""
    from rdflib import URIRef

    from cop_graph.workbook.community import community_workbook

    if fmt != "xlsx":
        raise UsageError("--community writes a workbook: use it with --format xlsx")
    from cop_graph.ids import mint, slugify

    if not community.startswith(("http://", "https://")):
        if not community or slugify(community) != community:
            raise UsageError("--community takes the community's IRI or ID, such as " + _EXAMPLE)
        community = str(mint("community", community))
    if output is None and sys.stdout.isatty():
        raise UsageError("a workbook cannot be shown on screen: give a file with --output")
    data = community_workbook(obj.store, URIRef(community), include_private=private)
    if output:
        output.write_bytes(data)
        click.echo(f"Wrote {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


_EXAMPLE = "bolton-health-walks-network"
