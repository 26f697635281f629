"""The edit form's record: read from the store, posted back, saved through the importer.

A form save must check, replace and record exactly as an upload does; these tests drive
:mod:`cop_graph.ingest.editing` with posted fields as a browser would send them.
"""

from __future__ import annotations

import pytest

from cop_graph import queries
from cop_graph.ids import mint
from cop_graph.ingest.editing import community_form, edit_graph_name, save_community
from cop_graph.ingest.history import list_changes, undo_change
from cop_graph.namespaces import COP, ORG, RDF, RDFS
from cop_graph.queries.catalogue import graph_iri
from cop_graph.workbook import sheets as S
from cop_graph.workbook.form import (
    GROUPS,
    cell_name,
    field_for,
    form_from_fields,
    new_form,
)
from cop_graph.workbook.report import ImportRejected, Problem

BOLTON = mint("community", "bolton-health-walks-network")


def posted(form) -> dict[str, list[str]]:
    """The fields a browser posts for ``form`` as shown (with its empty rows)."""
    shown = form.with_blank_rows()
    fields: dict[str, list[str]] = {}
    for column in S.COMMUNITIES.columns:
        fields[cell_name(S.COMMUNITIES, column)] = list(shown.cells.get(column.key, []))
    for sheet in GROUPS:
        rows = shown.groups[sheet.name]
        fields[f"{sheet.name.lower()}.count"] = [str(len(rows))]
        for number, row in enumerate(rows):
            for column in sheet.columns:
                fields[cell_name(sheet, column, number)] = [row.get(column.key, "")]
    return fields


def read(fields, base):
    return form_from_fields(lambda name: fields.get(name, []), base)


def facts_of(store, graph):
    return set(store.graph(graph_iri(graph)))


def test_an_unchanged_form_changes_nothing(demo_store):
    form = community_form(demo_store, BOLTON)
    result = save_community(demo_store, read(posted(form), form), who="sam")
    assert (result.added, result.removed, result.change_id) == (0, 0, None)
    assert result.summary() == "no changes"


def test_adding_a_practice_and_removing_a_member_replaces_the_record(demo_store):
    before = demo_store.count()
    form = community_form(demo_store, BOLTON)
    fields = posted(form)
    fields["community.practices"].append("Social prescribing")
    members = form.groups[S.MEMBERSHIPS.name]
    gone = members[0]["member"]
    fields["memberships.0.remove"] = ["yes"]
    preview = save_community(demo_store, read(fields, form), who="sam", dry_run=True)
    assert demo_store.count() == before  # a preview writes nothing
    lines = preview.lines[BOLTON]
    assert "added practice Social prescribing" in lines
    assert any(line.startswith(f"removed member {gone}") for line in lines)

    saved = save_community(demo_store, read(fields, form), who="sam")
    assert saved.summary() == f"{saved.added} fact added, {saved.removed} removed"
    assert saved.change_id is not None
    rows = queries.run(demo_store, "list_record_facts", community=BOLTON)
    graphs = {str(row[0]) for row in rows}
    assert graphs and all("/graph/demo" not in g for g in graphs), "the record left the demo"
    assert str(saved.graph).endswith("/graph/" + edit_graph_name("bolton-health-walks-network"))
    again = community_form(demo_store, BOLTON)
    assert len(again.groups[S.MEMBERSHIPS.name]) == len(members) - 1
    assert "Social prescribing" in again.cells["practices"]
    # unchanged after the save: no changes
    assert (
        save_community(demo_store, read(posted(again), again), who="sam").summary() == "no changes"
    )


def test_undo_of_a_form_save_restores_the_earlier_facts(demo_store):
    quads = set(demo_store.native)
    form = community_form(demo_store, BOLTON)
    fields = posted(form)
    fields["memberships.1.remove"] = ["yes"]
    saved = save_community(demo_store, read(fields, form), who="sam")
    undo_change(demo_store, saved.change_id, who="sam", is_admin=False)
    data = {q for q in demo_store.native if "/graph/history/" not in q.graph_name.value}
    data = {q for q in data if "/graph/catalogue" not in q.graph_name.value}
    before = {q for q in quads if "/graph/catalogue" not in q.graph_name.value}
    assert data == {q for q in before if "/graph/history/" not in q.graph_name.value}


def test_a_renamed_community_has_one_name(demo_store):
    form = community_form(demo_store, BOLTON)
    fields = posted(form)
    fields["community.name"] = ["East Bolton walkers (illustrative)"]
    result = save_community(demo_store, read(fields, form), who="sam")
    assert "renamed the community to East Bolton walkers (illustrative)" in result.lines[BOLTON]
    names = set(demo_store.outgoing([BOLTON]).objects(BOLTON, RDFS.label))
    assert [str(n) for n in names] == ["East Bolton walkers (illustrative)"]


def test_an_invalid_save_writes_nothing_and_says_which_field(demo_store):
    before = demo_store.count()
    form = community_form(demo_store, BOLTON)
    fields = posted(form)
    fields["community.domains"] = []
    fields["community.operates-in"] = ["Boltn"]
    fields["memberships.0.role"] = ["Agenda activst"]
    with pytest.raises(ImportRejected) as rejected:
        save_community(demo_store, read(fields, form), who="sam")
    assert demo_store.count() == before
    placed = {field_for(p): p.message for p in rejected.value.problems}
    assert "community.domains" in placed
    assert "community.operates-in" in placed and "Boltn" in placed["community.operates-in"]
    assert 'did you mean "Agenda activist"' in placed["memberships.0.role"]


def test_a_new_community_is_made_from_the_form(seeded_store):
    form = new_form()
    fields = posted(form)
    fields["community.name"] = ["Halliwell walking group"]
    fields["community.domains"] = ["Physical activity"]
    fields["domains.0.name"] = ["Physical activity"]  # new to this store: defined in the form
    fields["community.operates-in"] = ["Halliwell"]
    fields["people.0.name"] = ["Sam Taylor"]
    fields["memberships.0.member"] = ["Sam Taylor"]
    fields["memberships.0.role"] = ["Community keeper"]
    created = read(fields, form)
    result = save_community(seeded_store, created, who="sam", new=True)
    halliwell = mint("community", "halliwell-walking-group")
    assert result.lines[halliwell] == ["added community Halliwell walking group"]
    assert result.graph == graph_iri("edit/halliwell-walking-group")
    data = seeded_store.graph(result.graph)
    assert (halliwell, RDF.type, COP.CommunityOfPurpose) in data
    membership = data.value(None, ORG.organization, halliwell)
    person = data.value(membership, ORG.member)
    assert "sam" not in str(person).casefold(), "people's IRIs never hold their names"
    assert [c.kind for c in list_changes(seeded_store, halliwell)] == ["edit"]

    with pytest.raises(ImportRejected) as taken:
        save_community(seeded_store, created, who="alex", new=True)
    assert "already recorded" in taken.value.problems[0].message
    assert field_for(taken.value.problems[0]) == "community.name"


@pytest.mark.parametrize(
    ("name", "words"), [("", "give the community a name"), ("!!!", "letter or digit")]
)
def test_a_new_community_needs_a_usable_name(seeded_store, name, words):
    fields = posted(new_form())
    fields["community.name"] = [name]
    with pytest.raises(ImportRejected) as rejected:
        save_community(seeded_store, read(fields, new_form()), who="sam", new=True)
    assert words in rejected.value.problems[0].message


def test_hostile_posts_are_bounded_and_cannot_change_the_community_id(demo_store):
    form = community_form(demo_store, BOLTON)
    fields = posted(form)
    fields["community.id"] = ["someone-else"]
    fields["memberships.count"] = ["99999999"]
    fields["community.practices"] = ["Health walks"] * 10_000
    read_back = read(fields, form)
    assert read_back.ident == "bolton-health-walks-network"
    assert len(read_back.groups[S.MEMBERSHIPS.name]) == 500
    assert len(read_back.cells["practices"]) == 200


def test_problems_find_their_fields():
    assert field_for(Problem("x", "Communities", 2, "Operates in")) == "community.operates-in"
    assert field_for(Problem("x", "Communities", 2, "ID")) == "community.name"
    assert field_for(Problem("x", "Memberships", 5, "Role")) == "memberships.3.role"
    assert field_for(Problem("x", "Memberships", 5)) == "memberships.3.member"
    assert field_for(Problem("x", "Progress", 2, "Step")) is None
    assert field_for(Problem("x")) is None


def test_facts_no_input_shows_are_kept_while_their_thing_stays(demo_store):
    from rdflib import Literal

    from cop_graph.namespaces import DCTERMS

    loaded = (BOLTON, DCTERMS.subject, Literal("walking for health"))
    demo_store.native.add(ox_quad(loaded, graph_iri("demo")))
    form = community_form(demo_store, BOLTON)
    assert loaded in form.beyond
    fields = posted(form)
    fields["community.practices"].append("Social prescribing")
    save_community(demo_store, read(fields, form), who="sam")
    assert loaded in demo_store.outgoing([BOLTON])


def ox_quad(triple, graph):
    import pyoxigraph as ox

    s, p, o = triple
    return ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)), ox.Literal(str(o)),
                   ox.NamedNode(str(graph)))  # fmt: skip
