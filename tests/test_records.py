"""A community's record replaces its earlier one: uploads never merge, whatever the file's name."""

from __future__ import annotations

import re

from workbooks import GOOD, replace_cell, with_rows, xlsx

from cop_graph.ids import mint
from cop_graph.ingest.history import list_changes
from cop_graph.ingest.importer import import_workbook
from cop_graph.ingest.records import replace_records
from cop_graph.namespaces import COP, ORG, RDFS
from cop_graph.queries.catalogue import list_graphs
from cop_graph.scope import Scope

HALLIWELL = mint("community", "halliwell-walkers")
STARTER = "SELECT ?community ?name WHERE { ?community a cop:CommunityOfPurpose ; rdfs:label ?name }"


def public(store):
    """The public statements, as one rdflib graph (what pages and the endpoint read)."""
    return store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graph=Scope.public(store).dataset()
    )


def members_and_practices(store):
    data = public(store)
    memberships = set(data.subjects(ORG.organization, HALLIWELL))
    members = {(data.value(m, ORG.member), data.value(m, ORG.role)) for m in memberships}
    return members, set(data.objects(HALLIWELL, COP.sharesPractice))


def renamed(sheets: dict, name: str) -> dict:
    """``sheets`` with the community (ID kept) called ``name`` on every sheet."""
    sheets = replace_cell(sheets, "Communities", 2, "Name", name)
    sheets = replace_cell(sheets, "Memberships", 2, "Community", name)
    return replace_cell(sheets, "Progress", 2, "Community", name)


def fourth_version() -> dict:
    """Renamed, a new member who agreed to be named, Sam gone, another practice only."""
    sheets = renamed(replace_cell(GOOD, "Communities", 2, "ID", "halliwell-walkers"),
                     "Halliwell walking group")  # fmt: skip
    sheets = replace_cell(sheets, "Communities", 2, "Practices", "Walking football")
    sheets = with_rows(sheets, "Practices", ["Walking football"])
    sheets = with_rows(sheets, "People", ["p2", "Alex Jones", "", "yes"])
    sheets["Memberships"][1] = ["Halliwell walking group", "Alex Jones", "Agenda activist", ""]
    return sheets


def test_four_uploads_leave_exactly_the_last_record(seeded_store):
    store = seeded_store
    import_workbook(store, xlsx(GOOD), filename="halliwell.xlsx", who="sam")
    # a new role and a new practice, under another file name
    second = replace_cell(GOOD, "Memberships", 2, "Role", "Agenda activist")
    second = replace_cell(second, "Communities", 2, "Practices", "Health walks; Walking football")
    second = with_rows(second, "Practices", ["Walking football"])
    import_workbook(store, xlsx(second), filename="Halliwell update.xlsx", who="sam")
    members, practices = members_and_practices(store)
    assert members == {(mint("person", "p1"), COP.AgendaActivist)}
    assert practices == {mint("practice", "health-walks"), mint("practice", "walking-football")}
    # a rename, named by the workbook's own setting
    third = with_rows(renamed(second, "Halliwell walkers group"), "About", ["Setting", "Value"],
                      ["Workbook name", "Bolton walks"])  # fmt: skip
    import_workbook(store, xlsx(third), filename="anything.xlsx", who="sam")
    result = import_workbook(store, xlsx(fourth_version()), filename="final.xlsx", who="sam")
    assert "renamed the community to Halliwell walking group" in result.readable()
    assert "added member Alex Jones (Agenda activist)" in result.readable()

    data = public(store)
    assert [str(o) for o in data.objects(HALLIWELL, RDFS.label)] == ["Halliwell walking group"]
    members, practices = members_and_practices(store)
    assert members == {(mint("person", "p2"), COP.AgendaActivist)}
    assert practices == {mint("practice", "walking-football")}
    rows = store.query(STARTER, default_graph=Scope.public(store).dataset())
    listed = [str(name) for community, name in rows if community == HALLIWELL]
    assert listed == ["Halliwell walking group"]
    # the self-assessment is the last upload's only
    assessments = list(data.subjects(COP.assessedCommunity, HALLIWELL))
    assert len(assessments) == 1


def test_a_dry_run_says_what_would_change_and_writes_nothing(seeded_store):
    import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx", who="sam")
    graphs = seeded_store.named_graphs()
    facts = seeded_store.count()
    second = replace_cell(GOOD, "Communities", 2, "Practices", "Walking football")
    second = with_rows(second, "Practices", ["Walking football"])
    result = import_workbook(
        seeded_store, xlsx(second), filename="other name.xlsx", who="sam", dry_run=True
    )
    assert (seeded_store.named_graphs(), seeded_store.count()) == (graphs, facts)
    assert result.lines == {
        HALLIWELL: ["added practice Walking football", "removed practice Health walks"]
    }
    # the new practice's own facts and the link are added; the old link goes
    assert result.removed == 1 and result.added >= 2
    assert result.summary() == f"would add {result.added} facts, remove 1"
    assert result.change_id is None


def test_an_identical_upload_changes_nothing(seeded_store):
    first = import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx", who="sam")
    assert first.summary() == f"{first.added} facts added, 0 removed" and first.added > 10
    assert first.readable() == ["added community Halliwell walkers"]
    before = (seeded_store.named_graphs(), seeded_store.count())
    again = import_workbook(seeded_store, xlsx(GOOD), filename="halliwell (2).xlsx", who="sam")
    assert again.summary() == "no changes" and again.change_id is None and not again.readable()
    assert (seeded_store.named_graphs(), seeded_store.count()) == before
    assert len(list_changes(seeded_store)) == 1


def test_people_who_did_not_agree_are_named_by_their_role_only(seeded_store):
    import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx", who="sam")
    second = replace_cell(GOOD, "Memberships", 2, "Role", "Agenda activist")
    result = import_workbook(seeded_store, xlsx(second), filename="halliwell.xlsx", who="sam")
    assert result.lines[HALLIWELL] == [
        "added a member (Agenda activist)",
        "removed a member (Community keeper)",
    ]
    assert not any("Sam" in line for line in result.readable())


def test_a_workbook_moving_a_community_leaves_no_empty_import_behind(seeded_store):
    only_community = {k: v for k, v in GOOD.items() if k != "Memberships"}
    import_workbook(seeded_store, xlsx(only_community), filename="first.xlsx", who="sam")
    described = replace_cell(only_community, "Communities", 2, "Founded", "01/04/2024")
    import_workbook(seeded_store, xlsx(described), filename="second.xlsx", who="sam")
    imports = [r.graph.rsplit("/graph/", 1)[-1] for r in list_graphs(seeded_store)
               if r.kind == "import"]  # fmt: skip
    assert imports == ["import/second"]


def test_replace_records_saves_a_form_like_record(seeded_store):
    import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx", who="sam")
    record = public(seeded_store)
    record.remove((HALLIWELL, COP.adoptsPrinciple, None))
    ours = {t for t in record if t[0] == HALLIWELL}
    result = replace_records(seeded_store, ours, name="edit/halliwell-walkers", who="sam")
    assert result.lines[HALLIWELL][0] == "removed principle People Power"
    assert "removed a member (Community keeper)" in result.lines[HALLIWELL]
    data = public(seeded_store)
    assert not set(data.objects(HALLIWELL, COP.adoptsPrinciple))
    # the form's record holds the community's own facts: its memberships went with the old one
    assert not set(data.subjects(ORG.organization, HALLIWELL))


def test_the_upload_page_says_what_changes_before_and_after(seeded_store, tmp_path):
    from test_web_auth import make_app, sign_in
    from test_web_imports import upload

    web = make_app(seeded_store, tmp_path).test_client()
    sign_in(web)
    first = upload(web, xlsx(GOOD)).get_data(as_text=True)
    assert re.search(r"\d+ facts added, 0 removed\s*\(change 1 in the history\)", first)
    assert "<li>added community Halliwell walkers</li>" in first
    second = replace_cell(GOOD, "Communities", 2, "Practices", "Walking football")
    second = with_rows(second, "Practices", ["Walking football"])
    facts = seeded_store.count()
    preview = upload(web, xlsx(second), filename="update.xlsx", dry_run="yes")
    page = preview.get_data(as_text=True)
    assert seeded_store.count() == facts
    assert re.search(r"it\s+would add \d+ facts, remove 1\.", page)
    assert "<li>added practice Walking football</li>" in page
    assert "<li>removed practice Health walks</li>" in page
    answer = upload(
        web, xlsx(second), filename="update.xlsx", headers={"Accept": "application/json"}
    )
    body = answer.get_json()
    assert body["removed"] == 1 and body["change"] == "2"
    assert body["changes"] == [{"iri": str(HALLIWELL), "name": "Halliwell walkers",
                                "lines": ["added practice Walking football",
                                          "removed practice Health walks"]}]  # fmt: skip
    same = upload(web, xlsx(second), filename="update.xlsx").get_data(as_text=True)
    assert re.search(r'id="import-changes-summary">No changes\.', same)
