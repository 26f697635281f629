"""``cop-graph demo``: load the illustrative demo data, or take it out of a real deployment.

Why a command of its own: a site that started with the demo (``make serve`` loads it on first
run) must be able to drop every invented thing before real communities are shown beside it,
without stopping the server. ``cop-graph demo --remove`` removes the demo graph and every other
graph the catalogue records as illustrative (workbooks imported as made-up examples), with
their private parts, in one atomic change; while ``cop-graph serve`` runs, the change goes
through the server's store API, and its pages, analyses and SPARQL endpoint leave the data out
at once. To keep the data but hide it from the pages, set ``COP_GRAPH_SHOW_ILLUSTRATIVE=false``.
"""

from __future__ import annotations

import click

from cop_graph.cli.context import Context, handles_errors

__all__ = ["demo"]


@click.command()
@click.option(
    "--remove",
    is_flag=True,
    help="Remove the demo data and every other graph recorded as illustrative (invented), "
    "instead of loading it. Works while 'cop-graph serve' runs.",
)
@click.pass_obj
@handles_errors
def demo(obj: Context, remove: bool):
    """Load (or reload) the illustrative demo data, or remove it with --remove."""
    if remove:
        _remove(obj)
        return
    from cop_graph.ingest.load import load_demo

    result = load_demo(obj.store)
    click.echo(f"{result.graph}: {result.triples} facts saved (illustrative: all invented)")


def _remove(obj: Context) -> None:
    from cop_graph.pages.public import illustrative_graphs

    present = {str(graph) for graph in obj.store.named_graphs()}
    graphs = [graph for graph in illustrative_graphs(obj.store) if str(graph) in present]
    if not graphs:
        click.echo("The store holds no illustrative data; nothing to remove.")
        return
    obj.store.drop(graphs)
    for graph in graphs:
        click.echo(f"Removed {graph}")
