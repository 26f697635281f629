"""Checking data against the project's SHACL shapes before it is saved.

The checks run in pyoxigraph: the trusted shapes are compiled once to SPARQL
(:mod:`~cop_graph.validate.compiled`) and run over a small store in memory holding the change,
what it links to, and the ontology terms it names (:mod:`~cop_graph.validate.checks`). pyshacl
stays as the reference (:mod:`~cop_graph.validate.reference`): the tests hold the two to the same
verdicts and messages on every case of the shape suite, the demo and the bad-data corpus.

The safety rules live here, whichever engine runs:

* the shapes come only from the trusted ``shapes/`` files, never from the data;
* every fact that mentions the SHACL namespace is dropped from the data and the context
  first, so an upload cannot smuggle in shapes or SPARQL constraints at all;
* validation never runs over the store: it runs over the change and what the change links
  to, so a change costs the same whatever the store's size.

Results come back as plain values (:class:`ValidationResult`) that the loader, the command
line and the web pages turn into sentences a coordinator can act on.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph
from rdflib.term import Node

from cop_graph.files.ontology import ontology_graph, shapes_graph
from cop_graph.validate.checks import CONTEXT, DATA, Staging
from cop_graph.validate.prepare import without_shacl
from cop_graph.validate.report import ValidationReport, ValidationResult

__all__ = [
    "ENGINES",
    "Staging",
    "ValidationReport",
    "ValidationResult",
    "ontology_graph",
    "shapes_graph",
    "validate",
]

#: the engines :func:`validate` can run: the app's, and the reference it is judged against
ENGINES = ("sparql", "pyshacl")


def validate(
    data: Graph,
    *,
    context: Graph | None = None,
    focus_nodes: Iterable[Node] | None = None,
    engine: str = "sparql",
) -> ValidationReport:
    """Check ``data`` (what is being added or changed) against the shapes.

    ``context`` is what the data links to, read from the store by the caller (the places,
    roles and communities it names), so that links can be checked without the whole store.
    Only ``focus_nodes`` are checked; by default the things ``data`` says something about.
    ``engine`` is ``"sparql"`` (the compiled checks) or ``"pyshacl"`` (the reference).
    """
    if engine == "pyshacl":
        from cop_graph.validate.reference import pyshacl_results

        clean = without_shacl(data)
        focus = set(clean.subjects(unique=True) if focus_nodes is None else focus_nodes)
        if not focus:
            return ValidationReport([])
        context = without_shacl(context) if context is not None else Graph()
        return ValidationReport(pyshacl_results(clean, context, focus))
    if engine != "sparql":
        raise ValueError(f"no validation engine called {engine!r}: choose one of {ENGINES}")
    staging = Staging()
    staging.add_rdflib(DATA, data)
    if context is not None:
        staging.add_rdflib(CONTEXT, context)
    staging.add_ontology()
    return ValidationReport(staging.check(focus_nodes))
