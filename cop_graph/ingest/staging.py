"""A load checked where it was parsed: files into a pyoxigraph store in memory, then the store.

Loading through rdflib costs many times the engine's own load: every fact becomes rdflib
terms, passes through Python sets and graphs, and is converted back to be written. Here the
files are parsed by pyoxigraph into the data graph of a validation :class:`Staging` store;
what the data links to is read from the store into its context graph; the compiled checks run
there (:mod:`cop_graph.validate.checks`); people's private facts move to a graph of their
own there; and the commit copies both graphs across in pyoxigraph's terms
(:class:`~cop_graph.store.staged.StagedTriples`). Only the small parts that need the
project's Python rules — memberships written in other standard forms, people's facts — are
read out as rdflib terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from string import Template

import pyoxigraph as ox
from rdflib import Graph, URIRef

from cop_graph.errors import ValidationFailed
from cop_graph.files.rdf import read_rdf_into
from cop_graph.files.terms import Triple, to_oxigraph, to_rdflib
from cop_graph.ingest.context import native_context
from cop_graph.ingest.org_forms import normalise_memberships
from cop_graph.namespaces import COP, FOAF, ORG, RDF, RDFS, SDO, SH
from cop_graph.progress import SILENT, Progress
from cop_graph.scope import VALUES_READ, is_private_fact, people_and_consent
from cop_graph.store import Store
from cop_graph.store.staged import StagedTriples
from cop_graph.validate import Staging, ValidationReport
from cop_graph.validate.checks import CONTEXT

__all__ = ["StagedLoad"]

# queries on the staging store: $data is the data graph, $graph another one, $sh SHACL's
# namespace; a fact mentions SHACL when an IRI in it is SHACL's (as prepare.mentions_shacl)
_MENTIONS_SHACL = """FILTER(
    STRSTARTS(STR(?p), "$sh") || (isIRI(?s) && STRSTARTS(STR(?s), "$sh"))
    || (isIRI(?o) && STRSTARTS(STR(?o), "$sh")))"""
_NO_SHACL = Template(f"""
DELETE {{ GRAPH <$graph> {{ ?s ?p ?o }} }} WHERE {{
    GRAPH <$graph> {{ ?s ?p ?o }}
    {_MENTIONS_SHACL}
}}""")
_SHACL_FACTS = Template(f"""
SELECT ?s ?p ?o WHERE {{
    GRAPH <$data> {{ ?s ?p ?o }}
    {_MENTIONS_SHACL}
}}""")
_OTHER_MEMBERSHIP_FORMS = Template(f"""
PREFIX org: <{ORG}>
ASK {{ GRAPH <$data> {{
    {{ ?s org:memberOf ?o }} UNION {{ ?s <{SDO.member}> ?o }} UNION {{ ?s org:hasMembership ?o }}
    UNION {{ ?m a org:Membership FILTER NOT EXISTS {{ ?m org:role ?r }} }}
}} }}""")
_PEOPLE = f"SELECT DISTINCT ?s WHERE {{ ?s a <{FOAF.Person}> }}"
_COUNT = Template("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <$graph> { ?s ?p ?o } }")
#: the facts :func:`normalise_memberships` reads and rewrites
_MEMBERSHIP_PREDICATES = (ORG.memberOf, SDO.member, ORG.hasMembership, ORG.organization, ORG.role)
_MEMBERSHIP_KINDS = (COP.CommunityOfPurpose, ORG.Membership)
#: the properties whose values decide who is a person and who consented
_VALUES_READ = tuple(ox.NamedNode(str(p)) for p in sorted(VALUES_READ))


@dataclass(frozen=True)
class _Survey:
    """The terms a load's data names (pyoxigraph's), as :meth:`StagedLoad._survey` read them."""

    subjects: set
    named_subjects: set
    named_objects: set
    predicates: set

    def names_iri_in(self, namespace: str) -> bool:
        """Whether a subject, property or linked thing is an IRI in ``namespace``."""
        return any(
            term.value.startswith(namespace)
            for terms in (self.named_subjects, self.named_objects, self.predicates)
            for term in terms
        )


class StagedLoad:
    """One load's files in a staging store, from parsing to the change to commit."""

    def __init__(
        self,
        paths: Iterable[Path],
        graph: URIRef,
        private_graph: URIRef,
        progress: Progress = SILENT,
    ):
        #: the data and its private part wait under the names they will have in the store,
        #: so that writing them copies each fact as it is
        self.data = ox.NamedNode(str(graph))
        self.private_data = ox.NamedNode(str(private_graph))
        #: the same names, as the store calls them
        self.data_graph, self.private_graph = graph, private_graph
        self.staging = Staging(self.data)
        self.store = self.staging.store
        #: what preparing the data took out of the files' facts and put in (data graph only;
        #: people's private facts are moved later, see :meth:`private`): for a store that
        #: wrote the files as they are while they were checked
        self.removed: list[ox.Quad] = []
        #: what the data names, as :meth:`survey` last read it (None once the data changed)
        self._surveyed: _Survey | None = None
        self.added: list[ox.Quad] = []
        paths = list(paths)
        what = paths[0].name if len(paths) == 1 else f"{len(paths)} files"
        progress.step(f"Reading {what}", total=len(paths))
        for path in paths:
            read_rdf_into(path, self.store, self.data)
            progress.advance()

    def _query(self, template: Template, **kwargs):
        return self.store.query(template.substitute(data=self.data.value, **kwargs))

    # --- preparing the data ------------------------------------------------------------

    def drop_shacl(self) -> None:
        """Remove every fact that mentions SHACL: uploaded data never brings its own rules.

        Whether any does is read from the terms the data names (see :meth:`survey`), so data
        without SHACL, nearly all of it, is not read again fact by fact.
        """
        if self.survey().names_iri_in(str(SH)):
            self._remove(
                ox.Quad(s, p, o, self.data) for s, p, o in self._query(_SHACL_FACTS, sh=SH)
            )

    def _remove(self, quads: Iterable[ox.Quad]) -> None:
        quads = list(quads)  # read in full before the store changes
        for quad in quads:
            self.store.remove(quad)
        self.removed += quads
        self._surveyed = None

    def _add(self, quads: Iterable[ox.Quad]) -> None:
        quads = list(quads)
        self.store.bulk_extend(quads)
        self.added += quads
        self._surveyed = None

    def normalise_memberships(self, store: Store) -> list[str]:
        """Rewrite memberships written in other standard forms (see :mod:`.org_forms`).

        Only the facts the rewrite reads are taken out as rdflib terms, and only when the
        data holds one of the other forms at all.
        """
        if not self._query(_OTHER_MEMBERSHIP_FORMS):
            return []
        native = set()
        for predicate in _MEMBERSHIP_PREDICATES:
            native.update(self._facts(None, predicate, None))
        for kind in _MEMBERSHIP_KINDS:
            native.update(self._facts(None, RDF.type, kind))
        before = {_rdflib(triple) for triple in native}
        after, notes = normalise_memberships(before, store)
        self._remove(ox.Quad(*(to_oxigraph(t) for t in fact), self.data) for fact in before - after)
        self._add(ox.Quad(*(to_oxigraph(t) for t in fact), self.data) for fact in after - before)
        return notes

    def _facts(self, subject, predicate, obj):
        def native(term):
            return None if term is None else to_oxigraph(term)

        for quad in self.store.quads_for_pattern(
            native(subject), native(predicate), native(obj), self.data
        ):
            yield quad.triple

    def survey(self) -> _Survey:
        """What the data's facts name, read in one pass over them (half the time of asking
        the store for each in turn) and kept until the data changes."""
        if self._surveyed is None:
            self._surveyed = self._survey()
        return self._surveyed

    def _survey(self) -> _Survey:
        subjects: set = set()
        objects: set = set()
        predicates: set = set()
        named = ox.NamedNode
        for quad in self.store.quads_for_pattern(None, None, None, self.data):
            subjects.add(quad.subject)
            predicates.add(quad.predicate)
            if type(quad.object) is named:
                objects.add(quad.object)
        return _Survey(subjects, {s for s in subjects if type(s) is named}, objects, predicates)

    def add_context(self, store: Store, replacing: Iterable[URIRef]) -> None:
        """Read what the data links to from ``store`` (leaving out the graphs it replaces),
        and the ontology terms the data and its context name: what the checks need."""
        survey = self.survey()
        iris = survey.named_subjects | survey.named_objects
        context = native_context(store, iris, survey.named_subjects, replacing)
        self._add_context(context)
        terms = {node.value for node in iris}
        terms.update(predicate.value for predicate in survey.predicates)
        terms.update(t.object.value for t in context if isinstance(t.object, ox.NamedNode))
        terms.update(t.predicate.value for t in context)
        self.staging.add_ontology(terms)

    def add_people_context(self, store: Store, replacing: Iterable[URIRef]) -> None:
        """Read only what the store says about the data's own things: all that splitting off
        people's private facts needs (who is a person, who consented) when nothing is checked."""
        subjects = self.survey().named_subjects
        self._add_context(store.outgoing_native(subjects, exclude=list(replacing)))

    def _add_context(self, context: Iterable[ox.Triple]) -> None:
        self.store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, CONTEXT) for t in context)
        self.store.update(_NO_SHACL.substitute(graph=CONTEXT.value, sh=SH))

    # --- checking ----------------------------------------------------------------------

    def check(self, source: str) -> ValidationReport:
        """The compiled checks on the data's things; raises :class:`ValidationFailed` (naming
        ``source``) when a rule is broken. The report's advice is for the caller to give."""
        report = ValidationReport(self.staging.check(subjects=self.survey().subjects))
        if not report.conforms:
            raise ValidationFailed(report, source=source, labels=self.labels(report))
        return report

    def labels(self, report: ValidationReport) -> Graph:
        """The names and kinds of the things a report speaks of, to word its sentences."""
        found = Graph()
        things = {r.focus for r in report.results} | {
            r.value for r in report.results if isinstance(r.value, URIRef)
        }
        for thing in things:
            for predicate in (RDFS.label, RDF.type):
                for quad in self.store.quads_for_pattern(
                    to_oxigraph(thing), to_oxigraph(predicate), None, None
                ):
                    found.add(_rdflib(quad.triple))
        return found

    # --- splitting and writing ----------------------------------------------------------

    def split_private(self) -> None:
        """Move people's facts that are not public from the data graph to the private one,
        in the staging store, by the rules of :mod:`cop_graph.scope` (``partition``'s own
        two steps: who is a person and who consented, then which facts are private).

        Only people's kinds and consent become rdflib terms; each of their other facts is
        judged by its property alone, so a million-fact load converts almost nothing.
        """
        people = [row[0] for row in self.store.query(_PEOPLE, use_default_graph_as_union=True)]
        stated: list[Triple] = []
        known: list[Triple] = []
        for person in people:
            for predicate in _VALUES_READ:
                stated += map(_rdflib, self._triples(person, predicate, self.data))
                known += map(_rdflib, self._triples(person, predicate, CONTEXT))
        persons, consented = people_and_consent(stated, known)
        private = []
        for person in people:
            subject = to_rdflib(person)
            is_person, is_public = subject in persons, subject in consented
            private += (
                quad
                for quad in self.store.quads_for_pattern(person, None, None, self.data)
                if is_private_fact(to_rdflib(quad.predicate), is_person, is_public)
            )
        for quad in private:
            self.store.remove(quad)
        self.store.bulk_extend(
            ox.Quad(quad.subject, quad.predicate, quad.object, self.private_data)
            for quad in private
        )

    def _triples(self, subject, predicate, graph: ox.NamedNode):
        for quad in self.store.quads_for_pattern(subject, predicate, None, graph):
            yield quad.triple

    def counts(self) -> tuple[int, int]:
        """How many public and private facts the load holds."""
        return self._count(self.data), self._count(self.private_data)

    def _count(self, graph: ox.NamedNode) -> int:
        (row,) = self.store.query(_COUNT.substitute(graph=graph.value))
        return int(row[0].value)

    def public(self) -> StagedTriples:
        return StagedTriples(self.store, self.data)

    def private(self) -> StagedTriples:
        return StagedTriples(self.store, self.private_data)


def _rdflib(triple: ox.Triple) -> Triple:
    return to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)
