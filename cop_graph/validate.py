"""Checking data against the project's SHACL shapes before it is saved.

This is the only module that calls pyshacl, so the safety rules live in one place:

* the shapes come only from the trusted ``shapes/`` files, never from the data: with no
  separate shapes graph pyshacl would treat uploaded data as shapes and run the SPARQL in it;
* every triple that mentions the SHACL namespace is dropped from the data first, so an upload
  cannot smuggle in shapes or SPARQL constraints at all;
* validation runs on a small, plain rdflib graph (the change, what it links to, and the
  ontology), never on the store: pyshacl over a store-backed graph is slow and wrong about
  ``sh:in`` (rdflib #2123), and a change should cost the same whatever the store's size.
* the focus nodes are picked out of pyshacl's results here, not passed to pyshacl: pyshacl
  0.40 applies its ``focus_nodes`` option to nested shapes too, so every ``sh:node``,
  ``sh:or`` and ``sh:qualifiedValueShape`` check on a value silently passes. Validating the
  small merged graph whole and keeping the focus nodes' results costs little and is right.

Results come back as plain values (:class:`ValidationResult`) that the loader, the command
line and the web pages turn into sentences a coordinator can act on.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from cop_graph.files.ontology import ontology_graph, shapes_graph
from cop_graph.namespaces import RDF, RDFS, SH

__all__ = [
    "ValidationReport",
    "ValidationResult",
    "ontology_graph",
    "shapes_graph",
    "validate",
]

_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_SH = str(SH)

Triple = tuple[Node, Node, Node]

#: rdflib's SPARQL parser is not thread-safe (rdflib #1282) and the parsed SPARQL constraints
#: are shared between runs, so validations under a threaded web server take turns.
_PYSHACL_LOCK = threading.Lock()


@dataclass(frozen=True)
class ValidationResult:
    """One problem found: what it is about, which property, the value at fault, and why."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str  # "Violation" | "Warning" | "Info"
    shape: Node | None  # the shape that reported it (sh:sourceShape)
    node_shape: Node | None = None  # for a property shape, the node shape it belongs to

    def sort_key(self) -> tuple[str, str, str, str, str]:
        """Thing, property, message: the same data always gives the same order."""
        return (
            str(self.focus),
            str(self.path or ""),
            self.message,
            self.severity,
            str(self.shape or ""),
        )


@dataclass
class ValidationReport:
    """All the results of one validation, most useful first: by thing, property, message."""

    results: list[ValidationResult]

    @property
    def conforms(self) -> bool:
        """True when nothing blocks saving (warnings and notes do not)."""
        return not self.violations

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    def lines(self, labels: Graph) -> list[str]:
        """One plain-English sentence per result, naming the thing by its kind and name.

        ``labels`` holds the names (``rdfs:label``) of the things and, optionally, of their
        kinds; kinds not named there are looked up in the ontology.
        """
        return [_sentence(result, labels) for result in self.results]

    def to_json(self) -> list[dict]:
        """The results as JSON-ready dictionaries (terms as strings, missing ones as None)."""
        return [
            {
                "focus": _text(r.focus),
                "path": _text(r.path),
                "value": _text(r.value),
                "message": r.message,
                "severity": r.severity,
                "shape": _text(r.shape),
                "node_shape": _text(r.node_shape),
            }
            for r in self.results
        ]


def validate(
    data: Graph,
    *,
    context: Graph | None = None,
    focus_nodes: Iterable[Node] | None = None,
) -> ValidationReport:
    """Check ``data`` (what is being added or changed) against the shapes.

    ``context`` is what the data links to, read from the store by the caller (the places,
    roles and communities it names), so that links can be checked without the whole store.
    Only ``focus_nodes`` are checked; by default the things ``data`` says something about.
    """
    data = _without_shacl(data)
    focus = set(data.subjects(unique=True) if focus_nodes is None else focus_nodes)
    if not focus:
        return ValidationReport([])
    merged = _QueryCachingGraph()
    merged += data
    if context is not None:
        merged += _without_shacl(context)
    _add_ontology_about(merged)
    with _PYSHACL_LOCK:
        _, results_graph, _ = pyshacl.validate(
            merged,
            shacl_graph=shapes_graph(),
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,  # ``merged`` is ours to spend: saves pyshacl a copy
        )
    return ValidationReport(_results(results_graph, merged, focus))


# --- preparing the input ---------------------------------------------------------------


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


@cache
def _ontology_index() -> tuple[list[Triple], dict[Node, list[Triple]]]:
    """The class hierarchy, and for each term the ontology's statements that mention it."""
    hierarchy, about = [], defaultdict(list)
    for triple in ontology_graph():
        subject, predicate, obj = triple
        if predicate == RDFS.subClassOf:
            hierarchy.append(triple)
        about[subject].append(triple)
        # not "everything typed X" for a class X the data mentions: only what X is itself
        if isinstance(obj, URIRef) and predicate != RDF.type:
            about[obj].append(triple)
    return hierarchy, dict(about)


def _add_ontology_about(graph: Graph) -> None:
    """Add the ontology the checks need: the class hierarchy and the fixed terms used.

    Adding the whole ontology would have every role, step and principle checked on each
    call; the terms the data names (a role, a step, a status) are enough.
    """
    hierarchy, about = _ontology_index()
    terms = {term for triple in graph for term in triple if isinstance(term, URIRef)}
    for triple in hierarchy:
        graph.add(triple)
    for term in terms:
        for triple in about.get(term, ()):
            graph.add(triple)


def _mentions_shacl(triple: Triple) -> bool:
    return any(isinstance(term, URIRef) and str(term).startswith(_SH) for term in triple)


def _without_shacl(graph: Graph) -> Graph:
    clean = Graph()
    for triple in graph:
        if not _mentions_shacl(triple):
            clean.add(triple)
    return clean


# --- reading pyshacl's answer ----------------------------------------------------------


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
            found.add(
                ValidationResult(
                    focus=focus,
                    path=results_graph.value(node, SH.resultPath),
                    value=value,
                    message=_message(results_graph, node),
                    severity=_SEVERITIES.get(results_graph.value(node, SH.resultSeverity), "Info"),
                    shape=shape,
                    node_shape=_node_shape(shape, focus, data),
                )
            )
    return sorted(found, key=ValidationResult.sort_key)


def _message(results_graph: Graph, result: Node) -> str:
    messages = list(results_graph.objects(result, SH.resultMessage))
    english = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
    chosen = sorted(english or messages)
    return str(chosen[0]) if chosen else "This does not follow the rules for this kind of thing."


def _node_shape(shape: Node | None, focus: Node, data: Graph) -> Node | None:
    """The node shape a result belongs to, for property shapes shared by several of them."""
    shapes = shapes_graph()
    if shape is None or (shape, SH.path, None) not in shapes:
        return shape
    owners = sorted(shapes.subjects(SH.property, shape))
    if len(owners) <= 1:
        return owners[0] if owners else None
    kinds = {
        kind
        for direct in data.objects(focus, RDF.type)
        for kind in data.transitive_objects(direct, RDFS.subClassOf)
    }
    for owner in owners:
        if any(target in kinds for target in shapes.objects(owner, SH.targetClass)):
            return owner
    return owners[0]


# --- sentences -------------------------------------------------------------------------


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _label(term: Node, *graphs: Graph) -> str | None:
    for graph in graphs:
        names = list(graph.objects(term, RDFS.label))
        english = [n for n in names if isinstance(n, Literal) and n.language in (None, "en")]
        chosen = sorted(english or names)
        if chosen:
            return str(chosen[0])
    return None


def _class_name(kind: Node, labels: Graph) -> str | None:
    """A class's name; classes reused from other vocabularies are named by their shape."""
    name = _label(kind, labels, ontology_graph())
    if name is not None:
        return name
    shapes = shapes_graph()
    for shape in sorted(shapes.subjects(SH.targetClass, kind)):
        if name := _label(shape, shapes):
            return name
    return None


def _kind(focus: Node, labels: Graph) -> str:
    """The name of the most specific kind of ``focus`` that has a name, e.g. "Ward"."""
    sources = (labels, ontology_graph())
    names = {k: _class_name(k, labels) for k in sorted(set(labels.objects(focus, RDF.type)))}
    named = [k for k, name in names.items() if name]
    broader = {
        parent
        for k in named
        for graph in sources
        for parent in graph.transitive_objects(k, RDFS.subClassOf)
        if parent != k
    }
    specific = [k for k in named if k not in broader] or named
    if not specific:
        return "Record"
    name = names[specific[0]]
    return name[:1].upper() + name[1:]


def _sentence(result: ValidationResult, labels: Graph) -> str:
    kind = _kind(result.focus, labels)
    name = _label(result.focus, labels)
    where = " (no identifier)" if isinstance(result.focus, BNode) else f" ({result.focus})"
    who = f'{kind} "{name}"{where}' if name else f"{kind}{where}"
    if result.severity == "Warning":
        who = f"Advice for {who}"
    sentence = f"{who}: {result.message}"
    if result.value is not None and result.value != result.focus:
        shown = _label(result.value, labels, ontology_graph())
        sentence += f' (given: "{shown or result.value}")'
    return sentence
