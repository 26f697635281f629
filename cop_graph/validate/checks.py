"""Running the compiled checks where the data is: a pyoxigraph store in memory, the *staging*.

A check needs three things side by side: the data being saved, what it links to as the store
holds it now (the *context*), and the ontology terms it names. Each goes into its own graph of
a :class:`Staging` store; the queries read their union. The loader can fill a staging store
straight from the files it parses, without rdflib, and :func:`cop_graph.validate.validate`
fills one from rdflib graphs: both then run :meth:`Staging.check`.

Only the things the data says something about are checked (or the ``focus`` a caller names):
one fact per thing and targeted class goes into a graph of its own first (see
:mod:`cop_graph.validate.compiled`), so what the context and the ontology hold is read only
where a rule follows a link into them.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from cop_graph.files.ontology import ontology_native
from cop_graph.files.terms import Triple, to_oxigraph, to_rdflib
from cop_graph.namespaces import RDF, RDFS, SH
from cop_graph.validate.compiled import TARGET, Check, compiled_checks, target_classes
from cop_graph.validate.prepare import index_statements, owning_node_shape
from cop_graph.validate.report import ValidationResult

__all__ = ["CONTEXT", "DATA", "ONTOLOGY", "Staging"]

#: the graphs of a staging store
DATA = ox.NamedNode("urn:x-cop-graph:validate:data")
CONTEXT = ox.NamedNode("urn:x-cop-graph:validate:context")
ONTOLOGY = ox.NamedNode("urn:x-cop-graph:validate:ontology")
TARGETS = ox.NamedNode("urn:x-cop-graph:validate:targets")

_TARGET = ox.NamedNode(TARGET)
#: threads running the checks: one per core (more only add switching)
_THREADS = max(1, min(4, os.cpu_count() or 1))
_SH = str(SH)
_TYPED = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?this ?class WHERE {{
    VALUES ?class {{ {classes} }}
    ?this rdf:type/rdfs:subClassOf* ?class .
}}
"""
_DATA_SUBJECTS = "SELECT DISTINCT ?s WHERE {{ GRAPH <{data}> {{ ?s ?p ?o }} }}"


class Staging:
    """A pyoxigraph store in memory holding one check's data, context and ontology terms."""

    def __init__(self, data: ox.NamedNode = DATA) -> None:
        self.store = ox.Store()
        #: the graph holding the data to check (a loader names it as the graph it will be)
        self.data = data
        self._blank: dict[BNode, ox.BlankNode] = {}
        self._named: dict[str, ox.NamedNode] = {}

    # --- filling it --------------------------------------------------------------------

    def add_rdflib(self, graph: ox.NamedNode, triples: Iterable[Triple]) -> None:
        """Add rdflib facts to one of the staging graphs, leaving out any mentioning SHACL.

        Written for speed (an import converts 60,000 facts here): terms are told apart by
        their exact type first and the SHACL test is inlined, as :func:`.prepare.mentions_shacl`.
        """
        term, sh, starts = self._term, _SH, str.startswith  # rdflib's own startswith is slow

        def clean(s, p, o) -> bool:
            return not (
                starts(p, sh)
                or (isinstance(s, URIRef) and starts(s, sh))
                or (isinstance(o, URIRef) and starts(o, sh))
            )

        self.store.bulk_extend(
            ox.Quad(term(s), term(p), term(o), graph) for s, p, o in triples if clean(s, p, o)
        )

    def add_ontology(self, terms: Iterable[str] | None = None) -> None:
        """Add the ontology's class hierarchy and what it says of ``terms`` (IRIs).

        By default the terms are every IRI added through :meth:`add_rdflib` so far. The
        ontology is indexed once per process in pyoxigraph's terms: a load names tens of
        thousands of things, few of which the ontology says anything about.
        """
        named = self._named if terms is None else terms
        hierarchy, about = _native_ontology()
        found = list(hierarchy)
        for iri in list(named):
            found += about.get(str(iri), ())  # a URIRef does not hash as its text does
        self.store.bulk_extend(found)

    def _term(self, term: Node):
        """The pyoxigraph term for an rdflib one; blank nodes get staging ids of their own.

        rdflib's blank node ids need not be valid in N-Triples (pyoxigraph refuses some), and
        the results must name the caller's own blank nodes: the map goes both ways.
        """
        kind = type(term)
        if kind is URIRef:
            found = self._named.get(term)
            if found is None:
                found = self._named[term] = ox.NamedNode(term)
            return found
        if kind is Literal:
            language, datatype = term.language, term.datatype
            if language:
                return ox.Literal(str(term), language=language)
            if datatype:
                return ox.Literal(str(term), datatype=to_oxigraph(datatype))
            return ox.Literal(str(term))
        if isinstance(term, BNode):
            found = self._blank.get(term)
            if found is None:
                found = self._blank[term] = ox.BlankNode()
            return found
        if isinstance(term, URIRef):  # a subclass of rdflib's term: as the term itself
            return self._term(URIRef(str(term)))
        if isinstance(term, Literal):
            return self._term(Literal(str(term), lang=term.language, datatype=term.datatype))
        raise TypeError(f"cannot check {term!r}")

    # --- checking it -------------------------------------------------------------------

    def data_subjects(self) -> set:
        """The things the data says something about (pyoxigraph terms)."""
        return {row[0] for row in self.store.query(_DATA_SUBJECTS.format(data=self.data.value))}

    def check(
        self, focus: Iterable[Node] | None = None, *, subjects: set | None = None
    ) -> list[ValidationResult]:
        """Every result of the compiled checks about ``focus`` (default: the data's things).

        ``focus`` holds rdflib terms; the answer names the caller's own terms. A caller that
        has the data's things already, in pyoxigraph's terms, gives them as ``subjects``.
        """
        if focus is not None:
            chosen = {self._term(n) for n in focus}
        else:
            chosen = self.data_subjects() if subjects is None else subjects
        kinds = self._mark_targets(chosen)
        if not kinds:
            return []
        back = self._back_map()
        found = set()
        marked = set().union(*kinds.values())
        # a check of kinds of which nothing is marked has nothing to say: not asked
        checks = [c for c in compiled_checks() if not c.classes or c.classes & marked]
        for check, rows in self._run(checks):
            for row in rows:
                this = row[0]
                value = row[1] if check.reports_value else None
                if value is not None and (isinstance(value, ox.BlankNode) or value == this):
                    value = None
                focus_term = back(this)
                found.add(
                    ValidationResult(
                        focus=focus_term,
                        path=check.path,
                        value=back(value),
                        message=check.message,
                        severity=check.severity,
                        shape=check.shape,
                        node_shape=owning_node_shape(check.shape, kinds[this]),
                    )
                )
        return sorted(found, key=ValidationResult.sort_key)

    def _run(self, checks: Iterable[Check]) -> Iterator[tuple[Check, list]]:
        """Each check with its answer rows, the queries running on several threads.

        pyoxigraph lets go of Python's lock while it evaluates a query, so on two cores the
        196 queries take about two thirds of the time they take one after the other (0.42 s
        against 0.62 s for a 100,000-fact load), and the cores a load leaves idle while the
        engine writes are put to work. Rows are read out in the worker, the results put
        together here.
        """
        checks = list(checks)

        def answer(check: Check) -> list:
            return list(self.store.query(check.query, use_default_graph_as_union=True))

        with ThreadPoolExecutor(max_workers=_THREADS) as pool:
            yield from zip(checks, pool.map(answer, checks), strict=True)

    def _mark_targets(self, chosen: set) -> dict:
        """Write one target fact per chosen thing and class a shape targets; their kinds."""
        classes = " ".join(f"<{c}>" for c in sorted(target_classes()))
        kinds = defaultdict(set)
        for this, kind in self.store.query(
            _TYPED.format(classes=classes), use_default_graph_as_union=True
        ):
            if this in chosen:
                kinds[this].add(URIRef(kind.value))
        self.store.bulk_extend(
            ox.Quad(this, _TARGET, ox.NamedNode(kind), TARGETS)
            for this, of_kinds in kinds.items()
            for kind in of_kinds
        )
        return kinds

    def _back_map(self):
        staged = {value: key for key, value in self._blank.items()}

        def back(term) -> Node | None:
            if term is None:
                return None
            if isinstance(term, ox.BlankNode) and term in staged:
                return staged[term]
            return to_rdflib(term)

        return back


@cache
def _native_ontology() -> tuple[tuple[ox.Quad, ...], dict[str, tuple[ox.Quad, ...]]]:
    """:func:`.prepare.ontology_about`'s index, as quads of the staging's ontology graph,
    made from the ontology in pyoxigraph's terms (no rdflib graph of it is needed)."""

    def quads(triples) -> tuple[ox.Quad, ...]:
        return tuple(ox.Quad(s, p, o, ONTOLOGY) for s, p, o in triples)

    hierarchy, about = index_statements(
        (t for t in ontology_native() if not _names_shacl(t)),
        sub_class_of=ox.NamedNode(str(RDFS.subClassOf)),
        rdf_type=ox.NamedNode(str(RDF.type)),
        is_iri=lambda term: isinstance(term, ox.NamedNode),
    )
    return quads(hierarchy), {term.value: quads(found) for term, found in about.items()}


def _names_shacl(triple: ox.Triple) -> bool:
    """:func:`.prepare.mentions_shacl` in pyoxigraph's terms."""
    return any(isinstance(t, ox.NamedNode) and t.value.startswith(_SH) for t in triple)
