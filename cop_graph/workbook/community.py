"""One community's record as the workbook the importer takes: download, edit, upload.

A coordinator starts the next update of their community from what is recorded, not from
a blank template: the community's row, its memberships, self-assessments, outcomes and
their measurements, events, the resources it holds or made, the spaces it meets in, and
(for readers who may see them) its members' rows on the People sheet. Everything else the
record refers to (domains, practices, places, organisations, indicators, other communities)
is written by name or ID and found again in the store on the way back, so uploading the
workbook unchanged gives the same facts.

The workbook's name (About sheet) is the import the community came from, when it came from
one, so uploading it again replaces that import rather than adding a second copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from cop_graph import queries
from cop_graph.errors import UsageError
from cop_graph.namespaces import COP, FOAF, ID, RDF, RDFS
from cop_graph.scope import Scope, is_private, private_graph_of

__all__ = ["Record", "community_record", "community_rows", "community_workbook", "workbook_name"]


@dataclass
class Record:
    """A community's facts as a reader may see them, and the graphs they are in."""

    community: URIRef
    #: the community's statements and those of the things that hang on it
    facts: Graph = field(default_factory=Graph)
    #: what is recorded about the people who are its members (names only when readable)
    people: Graph = field(default_factory=Graph)
    #: things the record refers to that were recorded with the community, in the same graph
    #: (a domain, a neighbourhood, an organisation its workbook added): importing the
    #: workbook again replaces that graph, so they must come back with it
    things: Graph = field(default_factory=Graph)
    #: graph → how many of the record's facts it holds
    graphs: dict[URIRef, int] = field(default_factory=dict)
    #: the graphs that say the community is one (where its record was recorded)
    homes: set[URIRef] = field(default_factory=set)
    #: those of :attr:`homes` that say no other community is one: the community's own
    own: set[URIRef] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.facts)


def community_record(store, community: URIRef, *, include_private: bool = False) -> Record:
    """The facts of ``community``'s record; people's private facts only if ``include_private``.

    Read from the data graphs only (imports, loads, the demo, self-assessments): the
    ontology and the rules are nobody's record.
    """
    scope = (Scope.everything(store) if include_private else Scope.public(store)).data()
    found = queries.run(store, "workbook_community_record", scope=scope, community=community)
    record = Record(community)
    homes = set()
    for row in found.dicts():
        part = record.facts if str(row["part"]) == "record" else record.people
        triple = (row["s"], row["p"], row["o"])
        part.add(triple)
        graph = URIRef(str(row["graph"]))
        record.graphs[graph] = record.graphs.get(graph, 0) + 1
        if triple == (community, RDF.type, COP.CommunityOfPurpose):
            homes |= {graph, private_graph_of(graph)}
            record.homes.add(graph)
    readable = set(scope.graphs)
    record.own = {g for g in record.homes if _only_community_of(store, g) == community}
    _add_things_recorded_alongside(store, scope, record, homes & readable)
    _add_the_rest_of_own_graphs(store, record, readable)
    return record


def _only_community_of(store, graph: URIRef) -> URIRef | None:
    rows = queries.run(store, "workbook_graph_communities", graph=graph).dicts()
    return rows[0]["community"] if len(rows) == 1 else None


def _add_the_rest_of_own_graphs(store, record: Record, readable: set) -> None:
    """Add to ``record.things`` everything else the community's own graphs hold (an
    organisation that was a member, a practice no longer shared): saving the record again
    rewrites those graphs, so what they hold must come back or it would be lost."""
    held = set(record.facts) | set(record.people) | set(record.things)
    for graph in sorted(record.own):
        for part in (graph, private_graph_of(graph)):
            if part in readable:
                for triple in store.graph(part):
                    if triple not in held:
                        record.things.add(triple)


def _add_things_recorded_alongside(store, scope: Scope, record: Record, homes: set) -> None:
    """Add to ``record.things`` what its facts refer to that ``homes`` describe, following
    those things' own references in turn (a neighbourhood's wards, a domain's broader one)."""
    seen = set(record.facts.subjects()) | set(record.people.subjects())
    frontier = _referred(record.facts + record.people, seen)
    while frontier:
        found = Graph()
        for thing in sorted(frontier):
            seen.add(thing)
            rows = queries.run(store, "workbook_thing_facts", scope=scope, thing=thing).dicts()
            kept = [r for r in rows if URIRef(str(r["graph"])) in homes]
            types = {r["o"] for r in kept if r["p"] == RDF.type}
            if not types or COP.CommunityOfPurpose in types:
                continue  # recorded elsewhere, or another community: written by name or ID
            for row in kept:
                found.add((thing, row["p"], row["o"]))
        record.things += found
        frontier = _referred(found, seen)


def _referred(facts: Graph, seen: set) -> set[URIRef]:
    """The things of this site that ``facts`` refer to and that are not in ``seen``."""
    return {
        o
        for o in facts.objects()
        if isinstance(o, URIRef) and str(o).startswith(str(ID)) and o not in seen
    }


def workbook_name(record: Record) -> str:
    """The About sheet's workbook name: the import the community's record came from, if one
    import says it is a community and no other is, else the community's own ID (so that
    uploading it replaces that import, never other communities recorded with it)."""
    prefix = f"{ID}graph/import/"
    imports = [
        str(g).removeprefix(prefix)
        for g in record.own
        if str(g).startswith(prefix) and not is_private(g)
    ]
    if len(imports) == 1:
        return imports[0]
    return str(record.community).rstrip("/").rsplit("/", 1)[-1]


def community_rows(store, community: URIRef, *, include_private: bool = False):
    """The record of ``community`` as the rows of the importer's sheets (an
    :class:`~cop_graph.workbook.export.Exported`), for a workbook or the edit form.

    Without ``include_private`` people are named only where they agreed to be
    (``cop:publicProfile``); other members are written by their IDs, which hold no names.
    Raises :class:`UsageError` when the store records no such community.
    """
    from cop_graph.workbook.export import export_rows

    record = community_record(store, community, include_private=include_private)
    if (community, RDF.type, COP.CommunityOfPurpose) not in record.facts:
        raise UsageError(f"there is no community {community}")
    data = Graph()
    data += record.facts
    data += record.things
    named = set(record.people.subjects(RDFS.label, None))
    for triple in record.people:
        if triple[0] in named:  # a People row needs a name; unnamed members go by their IDs
            data.add(triple)
    for person in set(data.subjects(RDF.type, FOAF.Person)) - set(data.subjects(RDFS.label)):
        data.remove((person, None, None))  # kept in the store: only its name is not readable
    return export_rows(
        store, (), name=workbook_name(record), data=data, people_names=include_private
    )


def community_workbook(
    store, community: URIRef, *, include_private: bool = False, fmt: str = "xlsx"
) -> bytes:
    """The record of ``community`` as an XLSX workbook (or a zip of CSV files, ``fmt="zip"``),
    read as :func:`community_rows` reads it."""
    from cop_graph.workbook.template import to_csv_zip, to_xlsx

    exported = community_rows(store, community, include_private=include_private)
    if fmt == "zip":
        return to_csv_zip(exported.rows, exported.settings)
    return to_xlsx(exported.rows, exported.settings, store=store)
