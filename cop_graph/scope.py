"""What a reader may see: which named graphs, and which facts about people.

Why one module: the rule that keeps people's personal data private is applied twice, once
when data enters the store and once when it is read, and both halves must agree. Data enters
through :func:`partition`, which puts every fact about a person who has not agreed to be named
(``cop:publicProfile true``), and every contact detail of anyone, in the graph's private part
(:func:`private_graph_of`). Readers then ask for a :class:`Scope`: pages, search, pictures,
counts, analyses, dumps, the SPARQL endpoint and public exports read :meth:`Scope.public`,
which never holds a private graph, so a non-consenting person's name is simply not there to
be found, whatever a query asks. Signed-in coordinators and ``--include-private`` read
:meth:`Scope.everything`. Staging graphs (half-made commits) and the history of changes
(:data:`HISTORY`: account names, earlier facts) are in no scope.

Pages still say *how* to show a person they may not name ("A person (name not shown)"); they
ask :func:`may_be_named`, so that too is decided here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from cop_graph.namespaces import COP, FOAF, GRAPH, RDF, SDO
from cop_graph.store.base import CATALOGUE, STAGING

__all__ = [
    "ANONYMOUS_FACTS",
    "CONTACT_PROPERTIES",
    "VALUES_READ",
    "is_private_fact",
    "people_and_consent",
    "Scope",
    "consenting_people",
    "gave_consent",
    "HISTORY",
    "is_history",
    "is_private",
    "is_staging",
    "may_be_named",
    "partition",
    "private_graph_of",
    "split_private",
]

Triple = tuple[Node, Node, Node]

# -- graphs ---------------------------------------------------------------------------------

#: how the name of a graph's private part ends
PRIVATE_SUFFIX = "/private"
#: public graphs about graphs and rules rather than things: the catalogue and the shapes
_RECORDS_AND_RULES = frozenset({CATALOGUE, GRAPH.shapes})
#: the vocabulary: classes and properties, with the names pages show for them
_VOCABULARY = frozenset({GRAPH.ontology})
#: a graph that never holds anything, to read "no graphs at all"
_NOTHING = GRAPH.none
#: prefix of the graphs recording each change (who, when, the facts before): never public,
#: since they name accounts and keep earlier facts about people (see cop_graph.ingest.history)
HISTORY = str(GRAPH) + "history/"


def private_graph_of(graph: URIRef) -> URIRef:
    """The graph holding the private part (people's personal data) of ``graph``.

    >>> str(private_graph_of(GRAPH.demo))
    'https://w3id.org/cop-graph/id/graph/demo/private'
    """
    return URIRef(str(graph) + PRIVATE_SUFFIX)


def is_private(graph: URIRef | str) -> bool:
    """Whether ``graph`` holds personal data that only signed-in coordinators may see."""
    return str(graph).endswith(PRIVATE_SUFFIX)


def is_staging(graph: URIRef | str) -> bool:
    """Whether ``graph`` is half of a commit in progress (or left by a crash): never read."""
    return str(graph).startswith(STAGING)


def is_history(graph: URIRef | str) -> bool:
    """Whether ``graph`` records a change (account names, earlier facts): in no reader's scope,
    read only by the history's own functions."""
    return str(graph).startswith(HISTORY)


def _hidden(graph: URIRef | str) -> bool:
    return is_staging(graph) or is_history(graph)


@dataclass(frozen=True)
class Scope:
    """The named graphs one reader may see; queries read their union and name only them.

    >>> from cop_graph.store import open_store
    >>> Scope.public(open_store("memory:")).graphs
    ()
    """

    graphs: tuple[URIRef, ...]
    #: whether the private parts of graphs are in (people's names without consent, contacts)
    private: bool = False

    @classmethod
    def public(cls, store) -> Scope:
        """What anyone may read: every named graph but private and staging ones."""
        names = store.named_graphs()
        return cls(tuple(URIRef(g) for g in names if not is_private(g) and not _hidden(g)))

    @classmethod
    def everything(cls, store) -> Scope:
        """What signed-in coordinators (and ``--include-private``) read: all but staging and
        the history."""
        names = store.named_graphs()
        return cls(tuple(URIRef(g) for g in names if not _hidden(g)), private=True)

    @classmethod
    def of(cls, graphs: Iterable[URIRef | str], *, private: bool = False) -> Scope:
        """Only ``graphs`` (private parts left out unless ``private``; staging and the history
        never)."""
        chosen = [URIRef(g) for g in graphs if not _hidden(g)]
        return cls(tuple(g for g in chosen if private or not is_private(g)), private=private)

    def about_things(self) -> Scope:
        """The graphs holding facts about things and the vocabulary that names them: the
        same without the catalogue of graphs and the data rules (pages, search, counts)."""
        return Scope(tuple(g for g in self.graphs if g not in _RECORDS_AND_RULES), self.private)

    def data(self) -> Scope:
        """Only the graphs of data: without the catalogue, the rules and the vocabulary
        (what ``cop-graph validate`` checks, what a workbook holds)."""
        kept = self.about_things().graphs
        return Scope(tuple(g for g in kept if g not in _VOCABULARY), self.private)

    def without(self, graphs: Iterable[URIRef | str]) -> Scope:
        """The same less ``graphs`` (say, those a change is about to replace)."""
        left_out = {str(g) for g in graphs}
        return Scope(tuple(g for g in self.graphs if str(g) not in left_out), self.private)

    @property
    def iris(self) -> tuple[str, ...]:
        """The graphs' IRIs as text (for protocol parameters and worker processes)."""
        return tuple(str(g) for g in self.graphs)

    def __contains__(self, graph: object) -> bool:
        return URIRef(str(graph)) in self.graphs

    def dataset(self) -> list[URIRef]:
        """The graphs to hand the engine: never an empty list, which some engines read as
        "every graph"; a graph that cannot exist stands for "none"."""
        return list(self.graphs) or [_NOTHING]


# -- people ---------------------------------------------------------------------------------

_TRUE = Literal(True)
#: facts that stay private even for a person with a public profile
CONTACT_PROPERTIES = frozenset(
    {
        FOAF.mbox,
        FOAF.mbox_sha1sum,
        FOAF.phone,
        SDO.email,
        SDO.telephone,
        SDO.address,
        SDO.birthDate,
    }
)
#: facts about a person that are public whatever their consent: that they are a person
#: (so members can be counted by role), their consent itself, and that they are invented
#: (``cop:illustrative``: it says nothing about anyone real, and an invented person's public
#: traces must keep the mark)
ANONYMOUS_FACTS = frozenset({RDF.type, COP.publicProfile, COP.illustrative})
#: the only properties whose values :func:`partition` reads (a person's kind and consent):
#: a caller holding facts in other terms may pass any other value through unconverted
VALUES_READ = frozenset({RDF.type, COP.publicProfile})


def gave_consent(value: Node | str | bool | None) -> bool:
    """Whether a ``cop:publicProfile`` value says yes (a term, or its text from a text answer).

    >>> gave_consent(Literal(True)), gave_consent("true"), gave_consent(Literal(False))
    (True, True, False)
    """
    if isinstance(value, Literal):
        return value == _TRUE
    return value is True or value in ("true", "1")


def may_be_named(is_person: bool, consented: bool) -> bool:
    """Whether a thing may be shown by its name: anything but a person, and a person only when
    their record says they agreed (``cop:publicProfile true``)."""
    return not is_person or consented


def consenting_people(*graphs: Iterable[Triple]) -> set[Node]:
    """People whose record says ``cop:publicProfile true`` in any of ``graphs``."""
    people: set[Node] = set()
    consenting: set[Node] = set()
    # looked up once: rdflib finds a namespace's term anew on each access, and this runs
    # over every fact of a load
    kind, person, public_profile = RDF.type, FOAF.Person, COP.publicProfile
    for graph in graphs:
        for subject, predicate, value in graph:
            if predicate == kind and value == person:
                people.add(subject)
            elif predicate == public_profile and gave_consent(value):
                consenting.add(subject)
    return people & consenting


def people_and_consent(
    data: Iterable[Triple], context: Iterable[Triple] = ()
) -> tuple[set[Node], set[Node]]:
    """The people ``data`` and ``context`` name (their ``rdf:type``), and those of them who
    may be named: consent stated in ``data`` wins over what the store said before (it may
    have been withdrawn). Only each fact's kind and consent are read (:data:`VALUES_READ`).
    """
    data = list(data)
    context = list(context)
    kind, person, public_profile = RDF.type, FOAF.Person, COP.publicProfile
    people = {s for s, p, o in (*data, *context) if p == kind and o == person}
    stated_in_data = {s for s, p, _ in data if p == public_profile}
    public_people = consenting_people(data) | (consenting_people(context, data) - stated_in_data)
    return people, public_people


def is_private_fact(predicate: Node, is_person: bool, consented: bool) -> bool:
    """Whether a fact goes to the private part: a person's contact details always, and
    anything but their kind and consent when they have not agreed to be named."""
    return is_person and (
        predicate in CONTACT_PROPERTIES
        or (not may_be_named(is_person, consented) and predicate not in ANONYMOUS_FACTS)
    )


def partition(
    data: Iterable[Triple], context: Iterable[Triple] = ()
) -> tuple[list[Triple], list[Triple]]:
    """Split ``data`` into (public, private) lists of triples.

    ``context`` is what the store already knows about the people in ``data`` (their type
    and consent), so that facts added about an existing person are split correctly. Works
    on plain triples, so a million-fact load never needs an rdflib Graph.
    """
    data = list(data)
    people, public_people = people_and_consent(data, context)
    public, private = [], []
    for triple in data:
        subject, predicate, _ = triple
        if is_private_fact(predicate, subject in people, subject in public_people):
            private.append(triple)
        else:
            public.append(triple)
    return public, private


def split_private(data: Graph, context: Graph | None = None) -> tuple[Graph, Graph]:
    """Split ``data`` into (public, private) Graphs; see :func:`partition`.

    >>> g = Graph()
    >>> ann, bob = URIRef("http://example.org/ann"), URIRef("http://example.org/bob")
    >>> for person, consent in ((ann, True), (bob, False)):
    ...     _ = g.add((person, RDF.type, FOAF.Person))
    ...     _ = g.add((person, COP.publicProfile, Literal(consent)))
    ...     _ = g.add((person, FOAF.name, Literal(str(person)[-3:])))
    ...     _ = g.add((person, FOAF.mbox, URIRef("mailto:x@example.org")))
    >>> public, private = split_private(g)
    >>> sorted(str(o) for o in public.objects(None, FOAF.name))
    ['ann']
    >>> len(private)
    3
    """
    public, private = partition(data, context if context is not None else ())
    return _graph_of(public), _graph_of(private)


def _graph_of(triples: list[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph
