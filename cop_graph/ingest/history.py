"""The history of changes: who changed which graphs, when, what it did, and how to undo it.

Why: a coordinator's upload or edit replaces a community's record, and a removal drops an
import; both must be undoable by their author or an administrator, restoring exactly the
facts there were before. So every change is committed through :func:`commit_recorded`,
which adds to the same atomic :class:`~cop_graph.store.Change` one new graph
``graph/history/<id>`` holding a PROV-O activity: who (the account name, a literal), when,
what kind, a short readable summary per community, the graphs it touched (``prov:used``)
with a checksum of each one's content after the change (``prov:generated``), and the earlier
content of those graphs and their catalogue records as one N-Quads literal (``rdf:value``).
A literal rather than copied triples, so earlier facts never show in what a query or a
validation reads about the things they describe.

History graphs are in no reader's scope (:func:`cop_graph.scope.is_history`): they name
accounts and keep earlier facts about people.
"""

from __future__ import annotations

import getpass
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from cop_graph import queries
from cop_graph.errors import CopGraphError, UsageError
from cop_graph.files.terms import to_oxigraph, to_rdflib
from cop_graph.namespaces import COP, DCTERMS, PROV, RDF, RDFS, XSD
from cop_graph.scope import HISTORY, Scope, is_history, private_graph_of
from cop_graph.store import Change
from cop_graph.store.base import CATALOGUE
from cop_graph.store.oxigraph import BULK_FROM
from cop_graph.store.staged import StagedTriples

__all__ = [
    "ChangeEntry",
    "CommunityChange",
    "RecordChange",
    "UndoRefused",
    "canonical",
    "checksum",
    "commit_recorded",
    "community_changes",
    "community_history",
    "default_who",
    "list_changes",
    "remove_import",
    "staged_change",
    "stored",
    "undo_change",
]


class UndoRefused(CopGraphError):
    """A change cannot be undone: someone else's, or later changes touched the same graphs."""

    exit_code = 1


@dataclass(frozen=True)
class RecordChange:
    """What a change would do (``dry_run``) or did: facts added and removed, in words."""

    graph: URIRef | None
    added: int
    removed: int
    #: per community (its IRI): short lines such as "added practice Health walks"
    lines: dict[URIRef, list[str]] = field(default_factory=dict)
    dry_run: bool = False
    #: the history's id of the change, once saved (None for a dry run or no change)
    change_id: str | None = None
    triples: int = 0
    private_triples: int = 0
    #: the communities' names (as the new record gives them), for headings over the lines
    names: dict[URIRef, str] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return not self.added and not self.removed

    def summary(self) -> str:
        """ "3 facts added, 1 removed", "would add 3 facts, remove 1" or "no changes"."""
        if self.unchanged:
            return "no changes"
        facts = "fact" if self.added == 1 else "facts"
        if self.dry_run:
            return f"would add {self.added} {facts}, remove {self.removed}"
        return f"{self.added} {facts} added, {self.removed} removed"

    def readable(self) -> list[str]:
        """Every line of :attr:`lines`, in order."""
        return [line for lines in self.lines.values() for line in lines]


@dataclass(frozen=True)
class ChangeEntry:
    """One recorded change, for listing (the CLI) and for a community's page."""

    id: str
    when: datetime
    who: str
    kind: str
    summary: str
    #: per community (IRI text): what the change did to it
    lines: dict[str, list[str]]
    #: for an undo, the id of the change it undid
    undoes: str | None = None

    def short_lines(self, community: str | None = None) -> list[str]:
        """ "12 Nov: sam added practice Health walks", one per line (of ``community``)."""
        day = f"{self.when.day} {self.when:%b}"
        chosen = [self.lines.get(community, [])] if community else list(self.lines.values())
        lines = [line for group in chosen for line in group] or [self.summary]
        return [f"{day}: {self.who} {line}" for line in lines]


def default_who() -> str:
    """The name of whoever runs the command (the CLI's user), for changes made without one."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def history_graph(change_id: str) -> URIRef:
    """The graph recording change ``change_id``."""
    return URIRef(f"{HISTORY}{change_id}")


def activity_of(change_id: str) -> URIRef:
    """The PROV-O activity of change ``change_id`` (in its history graph)."""
    return URIRef(f"{HISTORY}{change_id}#change")


def canonical(triples) -> set[str]:
    """``triples`` as text in the form the store keeps them, to compare what was put with what
    is read back: the store writes values canonically ("042" becomes "42"), and a store may
    rename blank nodes, so every blank node reads as one."""
    return _stage(ox.Store(), ox.DefaultGraph(), triples, _converter())


def staged_change(change: Change) -> tuple[Change, dict[URIRef, set[str]]]:
    """``change`` with its graphs' facts in pyoxigraph's terms, and each graph's content in
    :func:`canonical`'s form.

    Each fact is converted once, into a store in memory that writes values as the store
    will: its content gives the canonical text, and a large change is committed from it as
    it is (:class:`~cop_graph.store.staged.StagedTriples`), so a 600,000-fact import is not
    converted again to be written. A small change keeps its triples as they were, so it is
    written as before, in one atomic insert.
    """
    scratch, native = ox.Store(), _converter()
    put: dict[URIRef, object] = {}
    after: dict[URIRef, set[str]] = {}
    for name, triples in change.put.items():
        graph = ox.NamedNode(str(name))
        after[name] = _stage(scratch, graph, triples, native)
        put[name] = StagedTriples(scratch, graph)
    if len(scratch) < BULK_FROM:
        put = dict(change.put)
    return Change(put=put, drop=list(change.drop), catalogue=change.catalogue), after


def _stage(scratch: ox.Store, graph, triples, native) -> set[str]:
    """Add ``triples`` to ``graph`` in ``scratch``; return its content in canonical form."""
    scratch.bulk_extend(ox.Quad(native(s), native(p), native(o), graph) for s, p, o in triples)
    return {_text(quad) for quad in scratch.quads_for_pattern(None, None, None, graph)}


def _converter():
    """:func:`to_oxigraph` remembering each term it converted: a change names the same
    things, properties and values over and over."""
    converted: dict = {}

    def native(term):
        found = converted.get(term)
        if found is None:
            found = converted[term] = to_oxigraph(term)
        return found

    return native


def _text(quad) -> str:
    """One fact as text, every blank node as ``_:b`` (written out: this runs on every fact)."""
    subject, obj = quad.subject, quad.object
    subject = "_:b" if isinstance(subject, ox.BlankNode) else str(subject)
    obj = "_:b" if isinstance(obj, ox.BlankNode) else str(obj)
    return f"{subject} {quad.predicate} {obj}"


def stored(store, graphs) -> dict[URIRef, set[str]]:
    """The content of each of ``graphs`` as the store holds it now, in :func:`canonical`'s
    form (read as N-Quads: no rdflib terms are made, which costs more than the reading)."""
    found: dict[URIRef, set[str]] = {URIRef(g): set() for g in graphs}
    for quad in _dumped(store, list(found)):
        found[URIRef(quad.graph_name.value)].add(_text(quad))
    return found


def _dumped(store, graphs: list[URIRef]) -> list:
    existing = set(store.named_graphs())
    present = [g for g in graphs if g in existing]
    if not present:
        return []
    out = io.BytesIO()
    store.dump(out, "nquads", present)
    return list(ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS))


def checksum(texts: set[str]) -> str:
    """A checksum of a graph's content (as :func:`canonical` gives it), whatever its order."""
    return hashlib.sha256("\n".join(sorted(texts)).encode()).hexdigest()


def commit_recorded(
    store,
    change: Change,
    *,
    who: str,
    kind: str,
    summary: str,
    lines: dict[URIRef, list[str]] | None = None,
    undoes: URIRef | None = None,
    after: dict[URIRef, set[str]] | None = None,
) -> str:
    """Commit ``change`` together with its record in the history; return the change's id.

    ``after`` is each put graph's content in :func:`canonical`'s form when the caller has it.
    """
    put = {
        name: triples if isinstance(triples, StagedTriples) else list(triples)
        for name, triples in change.put.items()
    }
    after = after or {}
    touched = list(dict.fromkeys([*put, *change.drop]))
    change_id = _next_id(store)
    activity = activity_of(change_id)
    entry = Graph()
    entry.add((activity, RDF.type, PROV.Activity))
    entry.add((activity, DCTERMS.identifier, Literal(change_id)))
    entry.add((activity, DCTERMS.type, Literal(kind)))
    entry.add((activity, RDFS.label, Literal(summary)))
    now = datetime.now(UTC).replace(microsecond=0)
    entry.add((activity, PROV.startedAtTime, Literal(now, datatype=XSD.dateTime)))
    entry.add((activity, PROV.wasAssociatedWith, Literal(who)))
    entry.add((activity, RDF.value, Literal(_before(store, touched))))
    for name in touched:
        entry.add((activity, PROV.used, name))
        made = BNode()
        content = after[name] if name in after else canonical(put.get(name, ()))
        entry.add((activity, PROV.generated, made))
        entry.add((made, PROV.specializationOf, name))
        entry.add((made, DCTERMS.identifier, Literal(checksum(content))))
    for community, said in (lines or {}).items():
        part = BNode()
        entry.add((activity, DCTERMS.hasPart, part))
        entry.add((part, DCTERMS.subject, community))
        entry.add((part, RDFS.label, Literal("\n".join(said))))
    if undoes is not None:
        entry.add((activity, PROV.wasInformedBy, undoes))
    put[history_graph(change_id)] = entry
    store.commit(Change(put=put, drop=list(change.drop), catalogue=change.catalogue))
    return change_id


def _next_id(store) -> str:
    numbers = [
        int(tail)
        for name in store.named_graphs()
        if is_history(name) and (tail := str(name)[len(HISTORY) :]).isdigit()
    ]
    return str(max(numbers, default=0) + 1)


def _before(store, graphs: list[URIRef]) -> str:
    """The content of ``graphs`` and their catalogue records now, as N-Quads text."""
    quads = _dumped(store, graphs)
    for name in graphs:
        record = queries.run(store, "show_graph_record", graph=name)
        quads += [ox.Quad(*(to_oxigraph(t) for t in (s, p, o, CATALOGUE))) for s, p, o in record]
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode()
    # in a fixed order, so that the same state is always recorded the same way
    return "".join(sorted(text.splitlines(keepends=True)))


def _parse_before(text: str) -> dict[URIRef, list]:
    by_graph: dict[URIRef, list] = defaultdict(list)
    for quad in ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS):
        by_graph[to_rdflib(quad.graph_name)].append(
            (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
        )
    return by_graph


def list_changes(store, community: URIRef | None = None) -> list[ChangeEntry]:
    """The recorded changes, newest first (only those about ``community`` if given)."""
    graphs = [name for name in store.named_graphs() if is_history(name)]
    if not graphs:
        return []
    rows = queries.run(store, "list_changes", scope=Scope(tuple(graphs), private=True))
    entries: dict[str, dict] = {}
    for row in rows.dicts():
        entry = entries.setdefault(
            str(row["id"]),
            {"id": str(row["id"]), "when": row["when"].toPython(), "who": str(row["who"]),
             "kind": str(row["kind"]), "summary": str(row["summary"]), "lines": {},
             "undoes": _change_id(row["undid"]) if "undid" in row else None},
        )  # fmt: skip
        if "community" in row:
            entry["lines"][str(row["community"])] = str(row["lines"]).split("\n")
    found = [ChangeEntry(**entry) for entry in entries.values()]
    if community is not None:
        found = [entry for entry in found if str(community) in entry.lines]
    return sorted(found, key=lambda entry: int(entry.id), reverse=True)


@dataclass(frozen=True)
class CommunityChange:
    """One recorded change as a community's page lists it: when, who, what it did to that
    community, and whether it undid another change or has been undone itself."""

    id: str
    when: datetime
    who: str
    kind: str
    summary: str
    #: what the change did to this community ("added practice Health walks")
    lines: list[str]
    #: the id of the change this one undid (for an undo), else None
    undoes: str | None = None
    #: the id of the undo that took this change back (and is itself still in force), else None
    undone_by: str | None = None

    @property
    def day(self) -> str:
        """ "12 Nov"."""
        return f"{self.when.day} {self.when:%b}"

    def short_lines(self) -> list[str]:
        """ "12 Nov: sam added practice Health walks", one per line."""
        return [f"{self.day}: {self.who} {line}" for line in self.lines or [self.summary]]

    def to_json(self) -> dict:
        return {"id": self.id, "when": self.when.isoformat(), "day": self.day, "who": self.who,
                "kind": self.kind, "summary": self.summary, "lines": self.lines,
                "undoes": self.undoes, "undone_by": self.undone_by}  # fmt: skip


def community_changes(store, community: URIRef, limit: int | None = 20) -> list[CommunityChange]:
    """A community's recorded changes, newest first (at most ``limit``), each with its own
    lines for that community and whether it has been undone.

    A change counts as undone when an undo of it is itself still in force (not undone in
    turn: undoing an undo puts the change back). An undo records the lines of the change it
    undid, so an undo of one of this community's changes is among them.
    """
    entries = list_changes(store, community)
    undoes = {entry.id: entry.undoes for entry in entries if entry.undoes is not None}
    undone_by: dict[str, str] = {}
    for entry in entries:  # newest first: an undo's own fate is known before its target's
        target = undoes.get(entry.id)
        if target is not None and entry.id not in undone_by:
            undone_by.setdefault(target, entry.id)
    chosen = entries if limit is None else entries[:limit]
    return [
        CommunityChange(
            id=entry.id,
            when=entry.when,
            who=entry.who,
            kind=entry.kind,
            summary=entry.summary,
            lines=[line for line in entry.lines.get(str(community), []) if line],
            undoes=undoes.get(entry.id),
            undone_by=undone_by.get(entry.id),
        )  # fmt: skip
        for entry in chosen
    ]


def _change_id(activity: URIRef) -> str:
    """The id of the change whose activity is ``activity`` (``…/history/12#change`` → 12)."""
    return str(activity)[len(HISTORY) :].removesuffix("#change")


def community_history(store, community: URIRef, limit: int = 20) -> list[str]:
    """A community's recent changes as short lines, newest first: "12 Nov: sam added
    practice Health walks"."""
    lines = []
    for change in community_changes(store, community, limit=None):
        lines += change.short_lines()
    return lines[:limit]


def undo_change(store, change_id: str, *, who: str, is_admin: bool) -> RecordChange:
    """Put back exactly the facts the graphs touched by change ``change_id`` held before it.

    Only the change's author or an administrator may; refused (nothing written) when a
    later change touched the same graphs and has not been undone first. The undo is itself
    a recorded change (so it too can be undone).
    """
    change_id = str(change_id).strip()
    entry = store.graph(history_graph(change_id)) if change_id.isdigit() else Graph()
    activity = activity_of(change_id)
    if not len(entry):
        raise UsageError(f"there is no change {change_id} in the history")
    if not is_admin and str(entry.value(activity, PROV.wasAssociatedWith)) != who:
        raise UndoRefused(
            f"change {change_id} can be undone only by the person who made it or an administrator"
        )
    touched = list(entry.objects(activity, PROV.used))
    now = stored(store, touched)
    for made in entry.objects(activity, PROV.generated):
        name = entry.value(made, PROV.specializationOf)
        if checksum(now[name]) != str(entry.value(made, DCTERMS.identifier)):
            later = _later_change(store, change_id, name)
            raise UndoRefused(
                f"change {later or 'made since'} changed {_short(name)} after change "
                f"{change_id}: undo it first"
            )
    before = _parse_before(str(entry.value(activity, RDF.value)))
    records = Graph()
    for triple in before.get(CATALOGUE, []):
        records.add(triple)
    put, drop = {}, []
    for name in touched:
        if name in before or (name, None, None) in records:
            put[name] = before.get(name, [])
        else:
            drop.append(name)
    now_facts = set().union(*now.values())
    then_facts = canonical(t for name in put for t in put[name])
    lines = {
        URIRef(community): [f"undid: {line}" for line in said]
        for community, said in _lines_of(entry, activity).items()
    }
    undo_id = commit_recorded(
        store,
        Change(put=put, drop=drop, catalogue=records),
        who=who,
        kind="undo",
        summary=f"undid change {change_id}",
        lines=lines,
        undoes=activity,
    )
    return RecordChange(
        None, len(then_facts - now_facts), len(now_facts - then_facts), lines, False, undo_id
    )


def _lines_of(entry: Graph, activity: URIRef) -> dict[str, list[str]]:
    return {
        str(entry.value(part, DCTERMS.subject)): str(entry.value(part, RDFS.label)).split("\n")
        for part in entry.objects(activity, DCTERMS.hasPart)
    }


def _later_change(store, change_id: str, graph: URIRef) -> str | None:
    """The newest change after ``change_id`` that touched ``graph``."""
    for entry_id in sorted(
        (str(n)[len(HISTORY) :] for n in store.named_graphs() if is_history(n)),
        key=lambda tail: int(tail) if tail.isdigit() else 0,
        reverse=True,
    ):
        if not entry_id.isdigit() or int(entry_id) <= int(change_id):
            continue
        entry = store.graph(history_graph(entry_id))
        if (activity_of(entry_id), PROV.used, graph) in entry:
            return entry_id
    return None


def _short(graph: URIRef) -> str:
    return str(graph).rsplit("/graph/", 1)[-1]


def remove_import(store, graph: URIRef, *, who: str) -> RecordChange:
    """Remove an import (its graph and private part) as one recorded, undoable change.

    Who may remove it is the caller's decision (the web app's permissions, the CLI's user).
    """
    graphs = [graph, private_graph_of(graph)]
    facts = set().union(*stored(store, graphs).values())
    communities = _communities(store.graph(graph))
    lines = {c: [f"removed the import {_short(graph)}"] for c in communities}
    change_id = commit_recorded(
        store,
        Change(drop=graphs),
        who=who,
        kind="remove",
        summary=f"removed the import {_short(graph)}",
        lines=lines,
    )
    return RecordChange(graph, 0, len(facts), lines, False, change_id)


def _communities(data: Graph) -> list[URIRef]:
    return sorted(data.subjects(RDF.type, COP.CommunityOfPurpose))
