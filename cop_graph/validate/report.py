"""What a validation found, as plain values, and the sentences a coordinator reads about it.

Both engines (:mod:`cop_graph.validate.checks`, the shapes compiled to SPARQL, and
:mod:`cop_graph.validate.reference`, pyshacl) give their answers in these terms, so the
loader, the command line and the pages never know which one ran.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from cop_graph.files.ontology import ontology_graph, shapes_graph
from cop_graph.namespaces import RDF, RDFS, SH

__all__ = ["DEFAULT_MESSAGE", "SEVERITIES", "ValidationReport", "ValidationResult"]

#: how SHACL's severities are spoken of
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
#: what a result says when its shape gives no message of its own
DEFAULT_MESSAGE = "This does not follow the rules for this kind of thing."


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

    def sort_key(self) -> tuple[str, str, str, str, str, str]:
        """Thing, property, message, value: the same data always gives the same order."""
        return (
            str(self.focus),
            str(self.path or ""),
            self.message,
            self.severity,
            str(self.shape or ""),
            str(self.value or ""),
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
