"""pyshacl, kept as the reference the compiled checks are judged against.

pyshacl is a complete, well-known SHACL engine, but it walks every focus node in Python
and costs 10–50× the time pyoxigraph takes to read the same data (``benchmarks/README.md``,
"Validation engines"). The app checks with :mod:`cop_graph.validate.checks`; this engine is
what ``validate(..., engine="pyshacl")`` runs, so that the tests can show the two agree on
every case of the shape suite, the demo and the bad-data corpus.

Its traps, handled here:

* with no separate shapes graph pyshacl treats the data as shapes and runs the SPARQL in
  it: the shapes always come from the trusted files (the caller has also removed every
  fact mentioning SHACL);
* pyshacl 0.40 applies its ``focus_nodes`` option to nested shapes too, so every
  ``sh:node``, ``sh:or`` and ``sh:qualifiedValueShape`` check on a value silently passes:
  the small merged graph is validated whole and the focus nodes' results kept;
* rdflib's SPARQL parser is not thread-safe (rdflib #1282), and the parsed constraints are
  shared between runs: runs take turns.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import pyshacl
from rdflib import BNode, Graph, Literal
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from cop_graph.files.ontology import shapes_graph
from cop_graph.namespaces import RDF, RDFS, SH
from cop_graph.validate.prepare import ontology_about, owning_node_shape
from cop_graph.validate.report import DEFAULT_MESSAGE, SEVERITIES, ValidationResult

__all__ = ["pyshacl_results"]

_PYSHACL_LOCK = threading.Lock()


class _QueryCachingGraph(Graph):
    """A graph that parses each SPARQL text once.

    pyshacl hands rdflib the text of a SPARQL constraint once per focus node, and parsing
    costs rdflib several milliseconds each time; a prepared query gives the same answers.
    """

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=64)
def _prepared(text: str):
    return prepareQuery(text)


def pyshacl_results(data: Graph, context: Graph, focus: set[Node]) -> list[ValidationResult]:
    """pyshacl's top-level results about ``focus``, ``data`` and ``context`` already clean."""
    merged = _QueryCachingGraph()
    merged += data
    merged += context
    terms = {term for triple in merged for term in triple}
    for triple in ontology_about(terms):
        merged.add(triple)
    with _PYSHACL_LOCK:
        _, results_graph, _ = pyshacl.validate(
            merged,
            shacl_graph=shapes_graph(),
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,  # ``merged`` is ours to spend: saves pyshacl a copy
        )
    return _results(results_graph, merged, focus)


def _results(results_graph: Graph, data: Graph, focus_nodes: set[Node]) -> list[ValidationResult]:
    """The top-level results about ``focus_nodes`` (the nested ones only explain those)."""
    found = set()
    for report in results_graph.subjects(RDF.type, SH.ValidationReport):
        for node in results_graph.objects(report, SH.result):
            focus = results_graph.value(node, SH.focusNode)
            if focus not in focus_nodes:
                continue
            value = results_graph.value(node, SH.value)
            if isinstance(value, BNode) or value == focus:
                value = None  # SPARQL constraints report the thing itself as the value
            shape = results_graph.value(node, SH.sourceShape)
            kinds = {
                kind
                for direct in data.objects(focus, RDF.type)
                for kind in data.transitive_objects(direct, RDFS.subClassOf)
            }
            found.add(
                ValidationResult(
                    focus=focus,
                    path=results_graph.value(node, SH.resultPath),
                    value=value,
                    message=_message(results_graph, node),
                    severity=SEVERITIES.get(results_graph.value(node, SH.resultSeverity), "Info"),
                    shape=shape,
                    node_shape=owning_node_shape(shape, kinds),
                )
            )
    return sorted(found, key=ValidationResult.sort_key)


def _message(results_graph: Graph, result: Node) -> str:
    messages = list(results_graph.objects(result, SH.resultMessage))
    english = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
    chosen = sorted(english or messages)
    return str(chosen[0]) if chosen else DEFAULT_MESSAGE
