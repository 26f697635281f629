"""The project's shapes compiled to SPARQL, once, so that pyoxigraph can run the checks.

Each (node shape, constraint) becomes one SELECT that returns the things at fault (and the
value at fault, where SHACL reports one). One query walks every thing of a kind at once, in
the engine, instead of a Python loop per thing: on a 1,000-row workbook that is 1 s where
pyshacl takes 17 s (``benchmarks/README.md``, "Validation engines"), with the same verdicts.

The things to check are not found by each query again: :mod:`cop_graph.validate.checks`
writes one fact ``<thing> <TARGET> <class>`` per thing to check and each class a shape
targets, and every query starts from those facts. So a query costs what the things checked
cost, whatever else the staging store holds (what they link to, the ontology).

Nested shapes (``sh:node``, ``sh:or``, ``sh:qualifiedValueShape``) become boolean
expressions with ``EXISTS``; the shapes' own SPARQL constraints are joined with the target.

Only what ``shapes/cop-shapes.ttl`` uses is compiled: single-IRI paths, ``sh:targetClass``,
and the constraints listed in :meth:`_Compiler.value_test` and :meth:`_Compiler.property_checks`.
Anything else (``sh:closed``, ``sh:xone``, a path expression, ``sh:qualifiedMaxCount``…)
raises :class:`NotImplementedError` when the shapes are compiled, so a new kind of rule can
never be skipped silently; ``tests/test_validate_engines.py`` holds the verdicts to pyshacl's.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from cop_graph.files.ontology import shapes_graph
from cop_graph.namespaces import RDF, SH
from cop_graph.validate.report import DEFAULT_MESSAGE, SEVERITIES

__all__ = ["TARGET", "Check", "compiled_checks", "target_classes"]

#: the predicate of the staging facts that say which things to check as instances of what
TARGET = "urn:x-cop-graph:validate:target"

#: what a constraint may say beside its constraint parameters
_NOT_PARAMETERS = {
    SH.message,
    SH.path,
    SH.severity,
    SH.name,
    SH.description,
    SH.targetClass,
    SH.property,
    SH.sparql,
    SH.deactivated,
    SH.order,
    SH.group,
    RDF.type,
}
_XSD = "http://www.w3.org/2001/XMLSchema#"
#: datatypes whose ill-formed literals fail ``sh:datatype`` (SPARQL casts them to check)
_CASTABLE = {"integer", "decimal", "double", "float", "boolean", "date", "dateTime"}
_COMPARISONS = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
_BUILT_IN_PREFIXES = {
    "rdf": str(RDF),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": _XSD,
}


@dataclass(frozen=True)
class Check:
    """One compiled query and what its answers mean.

    The query selects ``?this`` (the thing at fault) and, when ``reports_value``, ``?value``.
    """

    query: str
    shape: Node  # the shape a result names (sh:sourceShape), a term of the shapes graph
    path: URIRef | None
    severity: str
    message: str
    reports_value: bool = False
    #: the classes whose things it checks: it has nothing to say where none is marked
    classes: frozenset = frozenset()


@cache
def compiled_checks() -> tuple[Check, ...]:
    """Every check the trusted shapes make, compiled once per process."""
    return tuple(compile_shapes(shapes_graph()))


@cache
def target_classes() -> frozenset[URIRef]:
    """Every class some active shape targets: the things of these kinds get checked."""
    shapes = shapes_graph()
    return frozenset(
        target
        for shape, target in shapes.subject_objects(SH.targetClass)
        if not _deactivated(shapes, shape)
    )


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every check ``shapes`` make, as SPARQL text for pyoxigraph."""
    compiler = _Compiler(shapes)
    prefixes = compiler.prefixes()
    return [replace(c, query=prefixes + c.query) for c in compiler.checks()]


def _n3(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise NotImplementedError(f"cannot write {term!r} into a check")


def _deactivated(shapes: Graph, shape: Node) -> bool:
    return shapes.value(shape, SH.deactivated) == Literal(True)


class _Compiler:
    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self.fresh = itertools.count()

    def var(self) -> str:
        return f"?v{next(self.fresh)}"

    def params(self, shape: Node) -> dict[Node, Node]:
        """The constraint parameters ``shape`` gives (one value each in these shapes)."""
        found = {}
        for p, o in self.shapes.predicate_objects(shape):
            if p in _NOT_PARAMETERS or not str(p).startswith(str(SH)):
                continue
            if p in found:
                raise NotImplementedError(f"{p} given twice on {shape}")
            found[p] = o
        return found

    # --- a value against a constraint: a boolean SPARQL expression -------------------------

    def value_test(self, shape: Node, p: Node, o: Node, v: str) -> str | None:
        """The expression true when ``v`` meets the constraint ``p o`` of ``shape``; None if
        ``p`` constrains counts or pairs of values rather than each value."""
        if p == SH["class"]:
            return f"EXISTS {{ {v} rdf:type/rdfs:subClassOf* {_n3(o)} }}"
        if p == SH.datatype:
            test = f"isLiteral({v}) && datatype({v}) = {_n3(o)}"
            local = str(o).removeprefix(_XSD)
            if str(o).startswith(_XSD) and local in _CASTABLE:
                test += f" && COALESCE(xsd:{local}(STR({v})) = xsd:{local}(STR({v})), false)"
            return f"({test})"
        if p == SH.nodeKind:
            return {
                SH.IRI: f"isIRI({v})",
                SH.Literal: f"isLiteral({v})",
                SH.BlankNode: f"isBlank({v})",
                SH.BlankNodeOrIRI: f"(isBlank({v}) || isIRI({v}))",
                SH.BlankNodeOrLiteral: f"(isBlank({v}) || isLiteral({v}))",
                SH.IRIOrLiteral: f"(isIRI({v}) || isLiteral({v}))",
            }[o]
        if p == SH.pattern:
            flags = self.shapes.value(shape, SH.flags)
            extra = f", {Literal(str(flags)).n3()}" if flags else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {Literal(str(o)).n3()}{extra}))"
        if p == SH.flags:
            return "true"  # read with sh:pattern
        if p == SH["in"]:
            members = list(Collection(self.shapes, o))
            return "(" + " || ".join(f"sameTerm({v}, {_n3(m)})" for m in members) + ")"
        if p in _COMPARISONS:
            return f"COALESCE({v} {_COMPARISONS[p]} {_n3(o)}, false)"
        if p == SH.minLength:
            return f"(!isBlank({v}) && STRLEN(STR({v})) >= {int(o)})"
        if p == SH.maxLength:
            return f"(!isBlank({v}) && STRLEN(STR({v})) <= {int(o)})"
        if p == SH["or"]:
            members = Collection(self.shapes, o)
            return "(" + " || ".join(self.conforms(m, v) for m in members) + ")"
        if p == SH.node:
            return self.conforms(o, v)
        return None

    def conforms(self, shape: Node, v: str) -> str:
        """The expression true when ``v`` conforms to ``shape`` (a nested shape)."""
        tests = []
        for p, o in self.params(shape).items():
            test = self.value_test(shape, p, o, v)
            if test is None:
                raise NotImplementedError(f"{p} on a nested shape")
            tests.append(test)
        for prop in self.shapes.objects(shape, SH.property):
            tests.append(self.property_holds(prop, v))
        return "(" + " && ".join(tests or ["true"]) + ")"

    def values(self, v: str, path: str, n: int) -> str:
        """A pattern matching ``n`` different values of ``path`` on ``v``."""
        xs = [self.var() for _ in range(n)]
        where = " . ".join(f"{v} {path} {x}" for x in xs)
        different = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(xs, 2))
        return f"{where} FILTER({different})" if different else where

    def property_holds(self, prop: Node, v: str) -> str:
        """The expression true when ``v`` meets every constraint of the property shape."""
        path = _n3(self.path_of(prop))
        tests = []
        for p, o in self.params(prop).items():
            if p == SH.minCount:
                tests.append(f"EXISTS {{ {self.values(v, path, int(o))} }}")
            elif p == SH.maxCount:
                tests.append(f"NOT EXISTS {{ {self.values(v, path, int(o) + 1)} }}")
            elif p == SH.hasValue:
                tests.append(f"EXISTS {{ {v} {path} {_n3(o)} }}")
            else:
                x = self.var()
                test = self.value_test(prop, p, o, x)
                if test is None:
                    raise NotImplementedError(f"{p} on a nested property shape")
                tests.append(f"NOT EXISTS {{ {v} {path} {x} FILTER(!({test})) }}")
        return "(" + " && ".join(tests or ["true"]) + ")"

    def path_of(self, prop: Node) -> URIRef:
        path = self.shapes.value(prop, SH.path)
        if not isinstance(path, URIRef):
            raise NotImplementedError(f"the path {path!r} of {prop} (only single properties)")
        return path

    # --- top-level checks: one SELECT each ---------------------------------------------------

    def checks(self) -> list[Check]:
        found = []
        #: each property shape once, over every class of the node shapes that use it: the
        #: shared ones (a name, a description) would otherwise be checked once per kind
        classes_of_property: dict[Node, set] = {}
        for node_shape in sorted(set(self.shapes.subjects(SH.targetClass, None))):
            if _deactivated(self.shapes, node_shape):
                continue
            classes = set(self.shapes.objects(node_shape, SH.targetClass))
            target = _target(classes)
            severity = self.severity(node_shape)
            first = len(found)
            for p, o in self.params(node_shape).items():
                test = self.value_test(node_shape, p, o, "?this")
                if test is None:
                    raise NotImplementedError(f"{p} on a node shape")
                where = f"{target} FILTER(!({test}))"
                found.append(self.check(node_shape, node_shape, None, severity, where))
            for constraint in self.shapes.objects(node_shape, SH.sparql):
                if not _deactivated(self.shapes, constraint):
                    found.append(self.sparql_check(node_shape, constraint, target, severity))
            found[first:] = _for_classes(found[first:], classes)
            for prop in self.shapes.objects(node_shape, SH.property):
                if not _deactivated(self.shapes, prop):
                    classes_of_property.setdefault(prop, set()).update(classes)
        for prop in sorted(classes_of_property, key=str):
            classes = classes_of_property[prop]
            found.extend(_for_classes(self.property_checks(prop, _target(classes)), classes))
        return found

    def severity(self, shape: Node) -> str:
        return SEVERITIES[self.shapes.value(shape, SH.severity) or SH.Violation]

    def message(self, *shapes: Node) -> str:
        """The first English (or untagged) ``sh:message`` of ``shapes``, as pyshacl picks."""
        for shape in shapes:
            texts = self.shapes.objects(shape, SH.message)
            texts = [m for m in texts if m.language in (None, "en")]
            if texts:
                return str(sorted(texts)[0])
        return DEFAULT_MESSAGE

    def check(self, source, shape, path, severity, where, *, value=False) -> Check:
        selected = "?this ?value" if value else "?this"
        return Check(
            query=f"SELECT DISTINCT {selected} WHERE {{ {where} }}",
            shape=source,
            path=path,
            severity=severity,
            message=self.message(shape),
            reports_value=value,
        )

    def property_checks(self, prop: Node, target: str) -> list[Check]:
        path_term = self.path_of(prop)
        path = _n3(path_term)
        severity = self.severity(prop)
        params = self.params(prop)
        found = []
        for p, o in params.items():
            value = False
            if p == SH.minCount and int(o) == 1:
                # the common case as an anti-join: much cheaper than counting every value
                where = f"{target} MINUS {{ ?this {path} ?value }}"
            elif p == SH.maxCount and int(o) == 1:
                where = (
                    f"{target} ?this {path} ?one . ?this {path} ?other "
                    "FILTER(!sameTerm(?one, ?other))"
                )
            elif p in (SH.minCount, SH.maxCount):
                op = "<" if p == SH.minCount else ">"
                where = (
                    f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {target} "
                    f"OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this }} "
                    f"FILTER(?n {op} {int(o)})"
                )
            elif p == SH.hasValue:
                where = f"{target} FILTER NOT EXISTS {{ ?this {path} {_n3(o)} }}"
            elif p == SH.lessThanOrEquals:
                value = True
                where = (
                    f"{target} ?this {path} ?value . ?this {_n3(o)} ?other "
                    "FILTER(!COALESCE(?value <= ?other, false))"
                )
            elif p == SH.qualifiedValueShape:
                low = params.get(SH.qualifiedMinCount)
                if SH.qualifiedMaxCount in params or low is None:
                    raise NotImplementedError("sh:qualifiedMaxCount")
                test = self.conforms(o, "?value")
                where = (
                    f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {target} "
                    f"OPTIONAL {{ ?this {path} ?value FILTER({test}) }} }} GROUP BY ?this }} "
                    f"FILTER(?n < {int(low)})"
                )
            elif p in (SH.qualifiedMinCount, SH.qualifiedValueShapesDisjoint, SH.flags):
                continue
            else:
                test = self.value_test(prop, p, o, "?value")
                if test is None:
                    raise NotImplementedError(f"{p} on {prop}")
                value = True
                where = f"{target} ?this {path} ?value FILTER(!({test}))"
            found.append(self.check(prop, prop, path_term, severity, where, value=value))
        return found

    def sparql_check(self, node_shape: Node, constraint: Node, target: str, severity: str):
        """The constraint's own SELECT, its ``$this`` joined with the target."""
        text = str(self.shapes.value(constraint, SH.select))
        body = text[text.index("{", text.upper().index("WHERE")) + 1 : text.rindex("}")]
        body = _faster_absence(re.sub(r"\$this\b", "?this", body))
        return Check(
            query=f"SELECT DISTINCT ?this WHERE {{ {target} {body} }}",
            shape=node_shape,
            path=None,
            severity=severity,
            message=self.message(constraint, node_shape),
        )

    def prefixes(self) -> str:
        declared = dict(_BUILT_IN_PREFIXES)
        for declaration in self.shapes.objects(None, SH.declare):
            prefix = self.shapes.value(declaration, SH.prefix)
            declared[str(prefix)] = str(self.shapes.value(declaration, SH.namespace))
        return "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(declared.items()))


def _for_classes(checks: list[Check], classes: set) -> list[Check]:
    return [replace(check, classes=frozenset(classes)) for check in checks]


def _target(classes: set) -> str:
    """The pattern binding ``?this`` to each thing marked to check as one of ``classes``."""
    if len(classes) == 1:
        return f"?this <{TARGET}> {_n3(next(iter(classes)))} ."
    values = " ".join(_n3(c) for c in sorted(classes))
    return f"VALUES ?class {{ {values} }} ?this <{TARGET}> ?class ."


_ABSENCE = re.compile(r"^\s*FILTER\s+NOT\s+EXISTS\s*\{(?P<inner>.*)\}\s*$", re.DOTALL)


def _faster_absence(body: str) -> str:
    """``FILTER NOT EXISTS { … ?this … }`` as ``MINUS { … }`` when they mean the same.

    pyoxigraph runs a correlated ``FILTER NOT EXISTS`` for each target row (2.0 s at 100k
    facts) and ``MINUS`` as one anti-join (0.05 s). They agree when the whole body is that
    one group, the group mentions ``?this`` (the only variable it shares with the target)
    and uses no other variable of the target (``?class``). Anything else is left alone.
    """
    found = _ABSENCE.match(body)
    if not found:
        return body
    inner = found["inner"]
    if "{" in inner or "}" in inner or "?this" not in inner or "?class" in inner:
        return body  # a group of its own inside, or not the shape this rewrite is known for
    return f" MINUS {{{inner}}} "
