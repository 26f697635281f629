"""Every demo community goes out as its workbook and back in to the same facts.

For each community: its record (its own statements and those of the things that hang on
it, and its members' facts) is taken out of the store, the community's downloaded workbook
is imported into what is left, and the record read again must be the same graph, fact for
fact (rdflib's isomorphism), both as the public sees it and with people's private facts.
"""

from __future__ import annotations

import io

import openpyxl
import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from workbooks import GOOD, xlsx

from cop_graph.errors import UsageError
from cop_graph.files.terms import to_oxigraph
from cop_graph.ids import mint
from cop_graph.ingest.importer import import_workbook
from cop_graph.namespaces import COP, RDF
from cop_graph.queries.catalogue import graph_iri
from cop_graph.resources import demo_files
from cop_graph.scope import private_graph_of
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.workbook.community import community_record, community_workbook
from cop_graph.workbook.sheets import SHEETS


def _demo_communities() -> list[str]:
    demo = Graph()
    for path in demo_files():
        demo.parse(path)
    return sorted(str(c) for c in demo.subjects(RDF.type, COP.CommunityOfPurpose))


DEMO_COMMUNITIES = _demo_communities()


def _store(nquads: bytes) -> OxigraphStore:
    store = OxigraphStore(None)
    store.native.load(nquads, format=ox.RdfFormat.N_QUADS)
    return store


def _take_out(store: OxigraphStore, facts: Graph) -> None:
    """Remove ``facts`` from every graph of ``store`` (the community as if never recorded)."""
    for s, p, o in facts:
        pattern = (to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), None)
        for quad in list(store.native.quads_for_pattern(*pattern)):
            store.native.remove(quad)


def _explain(before: Graph, after: Graph) -> str:
    _, lost, gained = graph_diff(to_isomorphic(before), to_isomorphic(after))
    show = lambda g: sorted(t.n3() for triple in g for t in [triple[1]])[:5]  # noqa: E731
    return f"lost {len(lost)} {show(lost)}, gained {len(gained)} {show(gained)}"


def test_the_demo_has_communities_to_go_round():
    assert len(DEMO_COMMUNITIES) >= 30


@pytest.mark.parametrize("community", DEMO_COMMUNITIES, ids=lambda c: c.rsplit("/", 1)[-1])
def test_a_community_goes_through_its_workbook_and_back_unchanged(demo_nquads, community):
    community = mint("community", community.rsplit("/", 1)[-1])
    store = _store(demo_nquads)
    before = community_record(store, community, include_private=True)
    public_before = community_record(store, community)
    assert len(before.facts) > 20 and len(before.people) > 0 and len(before.things) > 0
    data = community_workbook(store, community, include_private=True)
    _take_out(store, before.facts + before.people + before.things)
    assert (community, RDF.type, COP.CommunityOfPurpose) not in store.graph(graph_iri("demo"))
    result = import_workbook(store, data, filename="downloaded.xlsx")
    after = community_record(store, community, include_private=True)
    public_after = community_record(store, community)
    for was, now in ((before.facts, after.facts), (before.people, after.people),
                     (before.things, after.things), (public_before.facts, public_after.facts),
                     (public_before.people, public_after.people)):  # fmt: skip
        assert isomorphic(was, now), _explain(was, now)
    assert set(after.graphs) <= {result.graph, private_graph_of(result.graph)}
    store.close()


WALKS = mint("community", "bolton-health-walks-network")


def cells(data: bytes) -> dict[str, list[list[str]]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {
        sheet.title: [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in book.worksheets
    }


def everything(sheets: dict[str, list[list[str]]]) -> str:
    """The text of the data sheets (not the read-me and its made-up examples)."""
    return "\n".join("\t".join(r) for name, rows in sheets.items() if name in DATA for r in rows)


DATA = {sheet.name for sheet in SHEETS}


def test_the_public_workbook_names_only_people_who_agreed(demo_store):
    private = cells(community_workbook(demo_store, WALKS, include_private=True))
    public = cells(community_workbook(demo_store, WALKS))
    assert "Callum Rahman" in everything(private)
    assert "callum.rahman@example.org" in everything(private)
    assert "Callum Rahman" not in everything(public)
    assert "@example.org" not in everything(public)
    members = [row[1] for row in public["Memberships"][1:]]
    assert "p001" in members  # a member who did not agree is written by their ID
    assert all(row[1] for row in public["People"][1:])  # every People row has its name


def test_the_workbook_is_named_after_the_import_it_came_from(seeded_store):
    first = import_workbook(seeded_store, xlsx(GOOD), filename="Halliwell walks v2.xlsx")
    data = community_workbook(seeded_store, mint("community", "halliwell-walkers"),
                              include_private=True)  # fmt: skip
    about = dict(row[:2] for row in cells(data)["About"][1:])
    assert about["Workbook name"] == str(first.graph).rsplit("/", 1)[-1] == "halliwell-walks"
    again = import_workbook(seeded_store, data, filename="downloaded (1).xlsx")
    assert again.graph == first.graph


def test_there_is_no_workbook_for_an_unknown_community(demo_store):
    with pytest.raises(UsageError, match="there is no community"):
        community_workbook(demo_store, mint("community", "nobody-here"))


def test_a_downloaded_workbook_uploaded_unchanged_changes_nothing(seeded_store):
    first = import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx")
    community = mint("community", "halliwell-walkers")
    before = community_record(seeded_store, community, include_private=True)
    data = community_workbook(seeded_store, community, include_private=True)
    again = import_workbook(seeded_store, data, filename="halliwell (downloaded).xlsx")
    assert again.graph == first.graph
    assert (again.added, again.removed) == (0, 0)
    after = community_record(seeded_store, community, include_private=True)
    assert isomorphic(before.facts + before.people, after.facts + after.people)
