"""Removing an import: first say what will go, then take it all out as one undoable change.

Why a plan before the removal: a coordinator confirms a removal having seen what it takes
away (the import's communities and other things, how many facts), and the same plan is what
is then removed, so the page cannot promise less than the removal does.

Why more than the import's own graphs: a community's self-assessment lives in its own graph
(``assessment/<community>``, see :mod:`cop_graph.ingest.assessment`). Left behind when the
import that recorded the community goes, it would keep the community's address alive with
assessments and principles but no name: a ghost in the sources list and on its page. So the
self-assessments of the communities that no other graph still describes go with the import,
and come back with it on undo. A community another graph still describes (a later workbook,
the demo) keeps its self-assessment.

The removal is committed through :func:`cop_graph.ingest.history.commit_recorded`, so it is
in the history and :func:`cop_graph.ingest.history.undo_change` puts back exactly what went.
Who may remove what is not decided here (see ``cop_graph.web.permissions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from cop_graph.ingest.assessment import graph_name as assessment_graph_name
from cop_graph.ingest.history import commit_recorded
from cop_graph.namespaces import COP, FOAF, RDF, RDFS
from cop_graph.queries.catalogue import GraphRecord, graph_iri, list_graphs
from cop_graph.scope import gave_consent, may_be_named, private_graph_of
from cop_graph.store import Change

__all__ = ["RemovalPlan", "plan_removal", "remove_planned"]

#: at most this many other things are named on the confirmation page (the rest counted)
NAMED_AT_MOST = 40


@dataclass(frozen=True)
class RemovalPlan:
    """Everything a removal of one import takes away, for the confirmation page and its twin."""

    record: GraphRecord
    #: every graph that goes: the import, its private part, self-assessments going with it
    graphs: list[URIRef]
    #: facts in those graphs (public and private)
    facts: int
    #: the import's communities: [{"iri", "name"}]
    communities: list[dict]
    #: other things it describes: [{"iri", "name", "kind"}], people named only with consent
    things: list[dict] = field(default_factory=list)
    #: how many more things there are than :attr:`things` names, people not named included
    unnamed: int = 0
    #: names of the communities whose self-assessment goes too
    assessments: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "graph": self.record.graph,
            "title": self.record.title,
            "sources": self.record.sources,
            "who": self.record.who,
            "when": self.record.when,
            "facts": self.facts,
            "communities": self.communities,
            "things": self.things,
            "unnamed": self.unnamed,
            "assessments_removed": self.assessments,
            "graphs": [str(g) for g in self.graphs],
        }


def plan_removal(store, graph: str | URIRef) -> RemovalPlan | None:
    """What removing the import ``graph`` would take away, or None if it is not an import."""
    record = next(
        (r for r in list_graphs(store) if r.graph == str(graph) and r.kind == "import"), None
    )
    if record is None:
        return None
    graph = URIRef(record.graph)
    own = [graph, private_graph_of(graph)]
    public = store.graph(graph)
    data = public + store.graph(private_graph_of(graph))
    communities = sorted(set(data.subjects(RDF.type, COP.CommunityOfPurpose)))
    still_described = store.outgoing(communities, exclude=own) if communities else Graph()
    orphans = [
        c for c in communities if (c, RDF.type, COP.CommunityOfPurpose) not in still_described
    ]
    present = set(store.named_graphs())
    extra, assessed = [], []
    for community in orphans:
        assessment = graph_iri(assessment_graph_name(community))
        going = [g for g in (assessment, private_graph_of(assessment)) if g in present]
        if going:
            extra += going
            assessed.append(_name(data, community))
    graphs = own + extra
    things, unnamed = _things(store, data, public, set(communities))
    return RemovalPlan(
        record=record,
        graphs=graphs,
        facts=sum(store.count(name) for name in graphs),
        communities=sorted(
            ({"iri": str(c), "name": _name(data, c)} for c in communities),
            key=lambda c: c["name"].casefold(),
        ),
        things=things,
        unnamed=unnamed,
        assessments=sorted(assessed, key=str.casefold),
    )


def remove_planned(store, plan: RemovalPlan, *, who: str) -> str:
    """Remove every graph of ``plan`` as one recorded change; the change's id (for undo)."""
    short = plan.record.graph.rsplit("/graph/", 1)[-1]
    said = f"removed the import {short}"
    lines = {URIRef(c["iri"]): [said] for c in plan.communities}
    for community in plan.communities:
        if community["name"] in plan.assessments:
            lines[URIRef(community["iri"])].append("removed its self-assessment")
    return commit_recorded(
        store, Change(drop=list(plan.graphs)), who=who, kind="remove", summary=said, lines=lines
    )


def _name(data: Graph, thing) -> str:
    return str(data.value(thing, RDFS.label) or thing)


def _things(store, data: Graph, public: Graph, communities: set) -> tuple[list[dict], int]:
    """The things ``data`` describes, but its communities, by name where that is public: a
    name kept in the private graph is not shown, and a person is named only if they agreed."""
    kinds = {}
    typed = {(s, o) for s, o in data.subject_objects(RDF.type) if s not in communities}
    classes = {o for _, o in typed}
    about_classes = store.outgoing(classes) if classes else Graph()
    for cls in classes:
        label = about_classes.value(cls, RDFS.label)
        kinds[cls] = str(label) if label else re.split(r"[#/]", str(cls))[-1]
    named, hidden = {}, set()
    # the project's own class first (a practice is also a skos:Concept): it says more
    for thing, cls in sorted(typed, key=lambda t: (t[0], not str(t[1]).startswith(str(COP)))):
        is_person = (thing, RDF.type, FOAF.Person) in data
        consented = gave_consent(data.value(thing, COP.publicProfile))
        label = public.value(thing, RDFS.label)
        if label is None or not may_be_named(is_person, consented):
            hidden.add(thing)
        elif thing not in named:
            named[thing] = {"iri": str(thing), "name": str(label), "kind": kinds[cls]}
    hidden -= set(named)
    ordered = sorted(named.values(), key=lambda t: (t["kind"].casefold(), t["name"].casefold()))
    return ordered[:NAMED_AT_MOST], len(ordered[NAMED_AT_MOST:]) + len(hidden)
