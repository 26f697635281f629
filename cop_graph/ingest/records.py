"""A community's record, and replacing it as a whole: a newer record never merges with an older.

Why: coordinators describe their community again and again (a workbook uploaded again, under
another file name, or a form saved). If the new description were added to the old, a member
who left would stay, a renamed community would have two names, and a practice dropped would
still be shared. So each save of a community replaces its *record*:

- every fact whose subject is the community, and
- every fact about the things that exist only for it, found by the property linking them to
  it (:data:`RECORD_LINKS`): its memberships (``org:organization``), self-assessments
  (``cop:assessedCommunity``), outcomes (``cop:outcomeOf``), observations
  (``cop:observedFor``), events (``cop:eventOf``) and the resources it produced
  (``cop:producedBy``).

Shared things (people, organisations, places, practices, domains, indicators, spaces) are not
part of any community's record: they stay where they are. Records are replaced in every graph
that holds communities' records (:data:`REPLACEABLE_KINDS`: imports, form saves,
self-assessments, loaded files and the demo), never in the ontology, the rules or the
reference data; so a community keeps one record wherever it was first written (a demo
community edited in the form leaves the demo graph). The old record leaves those graphs
in the same atomic commit that saves the new one; a graph left with nothing is removed with
its private part. Every such commit is recorded in the history and can be undone
(:mod:`cop_graph.ingest.history`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from cop_graph import queries
from cop_graph.errors import ValidationFailed
from cop_graph.ingest.change_lines import Namer, describe
from cop_graph.ingest.context import context_of
from cop_graph.ingest.history import RecordChange, commit_recorded, staged_change, stored
from cop_graph.ingest.load import graph_change
from cop_graph.namespaces import COP, ORG, RDF, XSD
from cop_graph.queries.catalogue import DATA_KINDS, graph_iri, list_graphs
from cop_graph.scope import (
    PRIVATE_SUFFIX,
    is_history,
    is_private,
    private_graph_of,
)
from cop_graph.store import Change
from cop_graph.validate import validate

__all__ = [
    "RECORD_LINKS",
    "REPLACEABLE_KINDS",
    "RecordChange",
    "Replacement",
    "communities_in",
    "plan_replacement",
    "record_of",
    "records_of",
    "replace_records",
]

#: properties linking a thing that exists only for a community to it (thing → community)
RECORD_LINKS = frozenset(
    {
        ORG.organization,
        COP.assessedCommunity,
        COP.outcomeOf,
        COP.observedFor,
        COP.eventOf,
        COP.producedBy,
    }
)
#: kinds of graph (their catalogue's ``cop:graphKind``) whose community records are replaced
REPLACEABLE_KINDS = DATA_KINDS


def communities_in(data: Iterable) -> list[URIRef]:
    """The communities ``data`` describes (the subjects it types as communities)."""
    kind, community = RDF.type, COP.CommunityOfPurpose
    found = {s for s, p, o in data if p == kind and o == community}
    return sorted(found)


def record_of(data: Iterable, community: URIRef) -> set:
    """The facts of ``community``'s record in ``data`` (see the module's docstring)."""
    return records_of(data, [community])[community]


def records_of(data: Iterable, communities: Iterable[URIRef]) -> dict[URIRef, set]:
    """The facts of each community's record in ``data``, read in one pass."""
    owner = {c: c for c in communities}
    records: dict[URIRef, set] = {c: set() for c in owner}
    if not records:
        return records
    data = list(data)
    owner.update({s: o for s, p, o in data if p in RECORD_LINKS and o in owner})
    for triple in data:
        if triple[0] in owner:
            records[owner[triple[0]]].add(triple)
    return records


@dataclass
class Replacement:
    """What saving a record into ``graph`` replaces: the old records' facts in each other
    graph, and the store's facts the new data links to without them (for validation)."""

    graph: URIRef
    #: per other graph holding part of an old record: the facts that go from it
    stale: dict[URIRef, set] = field(default_factory=dict)
    #: per community: its whole old record (in every replaceable graph, ``graph`` included)
    old: dict[URIRef, set] = field(default_factory=dict)
    context: Graph = field(default_factory=Graph)


def plan_replacement(store, data: Iterable, graph: URIRef) -> Replacement:
    """Find the old records of the communities ``data`` describes, to replace with ``data``
    saved as ``graph``; and what ``data`` links to in the store once they are gone."""
    data = data if isinstance(data, Graph | set) else set(data)
    targets = {graph, private_graph_of(graph)}
    kinds = {URIRef(r.graph): r.kind for r in list_graphs(store)}
    replaceable = {g for g, kind in kinds.items() if kind in REPLACEABLE_KINDS}
    replaceable |= {private_graph_of(g) for g in replaceable} | targets
    plan = Replacement(graph)
    elsewhere = set()
    stale: dict[URIRef, set] = defaultdict(set)
    communities = communities_in(data)
    # only communities the store already describes can have an old record to look for
    described = {s for s, _, _ in store.outgoing(communities)} if communities else set()
    for community in communities:
        old = plan.old.setdefault(community, set())
        if community not in described:
            continue
        for row in queries.run(store, "list_record_facts", community=community):
            where, triple = row[0], tuple(row[1:])
            if where not in replaceable or is_history(where):
                elsewhere.add(triple)
                continue
            old.add(triple)
            if where not in targets:
                stale[where].add(triple)
    plan.stale = dict(stale)
    plan.context = context_of(store, data, targets)
    for triple in set().union(*stale.values()) - elsewhere if stale else ():
        plan.context.remove(triple)
    return plan


def replace_records(
    store,
    data: Iterable,
    *,
    name: str,
    who: str,
    title: str | None = None,
    kind: str = "edit",
    sources: list[str] = (),
    checksum: str | None = None,
    illustrative: bool = False,
    dry_run: bool = False,
    check: bool = True,
    plan: Replacement | None = None,
) -> RecordChange:
    """Save ``data`` as the graph ``name`` (``import/…``, ``edit/…``), replacing the records of
    the communities it describes wherever else they were, in one recorded, undoable commit.

    Returns what was (or, with ``dry_run``, would be) added and removed, in facts and in
    words per community. Nothing is written when the store would hold the same facts after
    (a record saved again unchanged, even under another name, stays where it is). Raises
    :class:`ValidationFailed` (nothing written) when ``data`` does not conform.
    """
    graph = graph_iri(name)
    data = data if isinstance(data, Graph | set) else set(data)
    plan = plan or plan_replacement(store, data, graph)
    if check:
        checked = data if isinstance(data, Graph) else _graph(data)
        report = validate(checked, context=plan.context)
        if not report.conforms:
            raise ValidationFailed(report, source=", ".join(sources), labels=checked + plan.context)
    change, loaded = graph_change(
        store, data, name=name, title=title or f"Record saved as {name}", kind=kind,
        sources=sources, checksum=checksum, who=who, illustrative=illustrative, check=False,
        context=plan.context,
    )  # fmt: skip
    change = _with_old_records_removed(store, change, plan)
    touched = [*change.put, *change.drop]
    before = stored(store, touched)
    change, put = staged_change(change)
    after = {g: put.get(g, set()) for g in touched}
    was, will_be = set().union(*before.values()), set().union(*after.values())
    namer = Namer(store, data)
    communities = list(plan.old)  # every community data describes, old record or none
    namer.look_up(communities)
    # a community with no old record reads "added community …": its new record is not read
    new_records = records_of(data, [c for c in communities if plan.old[c]])
    lines = {c: describe(namer, c, plan.old[c], new_records.get(c, set())) for c in communities}
    result = RecordChange(
        graph, len(will_be - was), len(was - will_be), lines, dry_run, None,
        loaded.triples, loaded.private_triples,
        {c: namer.name(c) or str(c) for c in communities},
    )  # fmt: skip
    if dry_run or was == will_be:  # the same facts, wherever they are held: nothing to record
        return result
    summary = f"{kind} {name}: {result.summary()}"
    change_id = commit_recorded(
        store, change, who=who, kind=kind, summary=summary, lines=lines, after=after
    )
    return RecordChange(**{**result.__dict__, "change_id": change_id})


def _with_old_records_removed(store, change: Change, plan: Replacement) -> Change:
    """``change`` with the old records taken out of the other graphs holding them.

    Facts those graphs share with the new graph (a practice or person both workbooks define)
    leave them too, so nothing is held twice; a graph left with nothing goes, with its
    private part when that is left with nothing either.
    """
    put, drop = dict(change.put), list(change.drop)
    catalogue = Graph()
    if change.catalogue is not None:
        catalogue += change.catalogue
    restated = {t for triples in change.put.values() for t in triples}
    publics = {g for g in plan.stale if not is_private(g)}
    publics |= {URIRef(str(g).removesuffix(PRIVATE_SUFFIX)) for g in plan.stale if is_private(g)}
    for where in sorted(publics):
        private = private_graph_of(where)
        left = _left(store, where, plan, restated)
        left_private = _left(store, private, plan, restated)
        for name, facts in ((where, left), (private, left_private)):
            if not facts:
                drop.append(name)
                continue
            put[name] = facts
            record = queries.run(store, "show_graph_record", graph=name)
            record.set((name, COP.tripleCount, Literal(len(facts), datatype=XSD.integer)))
            catalogue += record
    drop = [g for g in dict.fromkeys(drop) if g not in put]
    return Change(put=put, drop=drop, catalogue=catalogue)


def _left(store, graph: URIRef, plan: Replacement, restated: set) -> list:
    stale = plan.stale.get(graph, set())
    return [t for t in store.graph(graph) if t not in stale and t not in restated]


def _graph(triples) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph
