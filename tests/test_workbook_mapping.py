"""Rows to RDF: stable IRIs, references by ID, name or code, and problems where they are."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from workbooks import GOOD, replace_cell, with_rows, xlsx

from cop_graph.ids import mint
from cop_graph.namespaces import COP, FOAF, ORG, RDF, RDFS, SDO
from cop_graph.workbook.mapping import map_workbook
from cop_graph.workbook.read import read_workbook
from cop_graph.workbook.tables import Origin

HALLIWELL = mint("community", "halliwell-walkers")
BOLTON = mint("place", "bolton")
ASTLEY_BRIDGE = mint("place", "bolton", "astley bridge")


def mapped(store, sheets, **settings):
    workbook = read_workbook(xlsx(sheets), filename="test.xlsx")
    workbook.settings.update(settings)
    assert workbook.problems == []
    return map_workbook(workbook, store, people_prefix="test")


def sentences(result) -> list[str]:
    return [p.sentence() for p in result.problems]


def test_a_good_workbook_maps_to_the_model(seeded_store):
    result = mapped(seeded_store, GOOD)
    assert result.problems == []
    data = result.data
    assert (HALLIWELL, RDF.type, COP.CommunityOfPurpose) in data
    assert (HALLIWELL, RDFS.label, Literal("Halliwell walkers", lang="en")) in data
    assert set(data.objects(HALLIWELL, COP.operatesIn)) == {BOLTON, ASTLEY_BRIDGE}
    assert (HALLIWELL, COP.adoptsPrinciple, COP.PeoplePower) in data
    assert (
        HALLIWELL,
        SDO.foundingDate,
        Literal("2024-03-31", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")),
    ) in data
    membership = mint("membership", "halliwell-walkers", "p1", "Community keeper")
    assert (membership, ORG.role, COP.CommunityKeeper) in data
    assert (
        membership,
        RDFS.label,
        Literal("Community keeper in the Halliwell walkers", lang="en"),
    ) in data
    person = mint("person", "p1")
    assert (person, FOAF.mbox, URIRef("mailto:sam@example.org")) in data
    assert (person, COP.publicProfile, Literal(False)) in data
    assessment = mint("assessment", "halliwell-walkers", "1", "2025-01-01")
    assert (assessment, COP.assessedStep, COP.IdentifyPurposeAndScope) in data


def test_the_same_workbook_always_gives_the_same_graph(seeded_store):
    first, second = mapped(seeded_store, GOOD).data, mapped(seeded_store, GOOD).data
    assert set(first) == set(second)


def test_facts_remember_the_cell_they_came_from(seeded_store):
    result = mapped(seeded_store, GOOD)
    assert result.cells[(HALLIWELL, COP.operatesIn)] == Origin(
        "Communities", 2, "Operates in", "Bolton; Astley Bridge"
    )
    assert result.rows[HALLIWELL] == Origin("Communities", 2, "Name", "Halliwell walkers")


def test_people_without_an_id_get_iris_that_do_not_contain_their_names(seeded_store):
    sheets = replace_cell(GOOD, "People", 2, "ID", None)
    data = mapped(seeded_store, sheets).data
    people = set(data.subjects(RDF.type, FOAF.Person))
    assert people == {mint("person", "test", "row-2")}
    assert all("sam" not in str(p).lower() for p in people)


@pytest.mark.parametrize(
    "reference",
    ["Bolton", "BOLTON", "bolton", "E08000001", "https://w3id.org/cop-graph/id/place/bolton"],
)
def test_recorded_places_are_found_by_name_in_any_case_by_id_code_or_iri(seeded_store, reference):
    sheets = replace_cell(GOOD, "Communities", 2, "Operates in", reference)
    result = mapped(seeded_store, sheets)
    assert result.problems == []
    assert set(result.data.objects(HALLIWELL, COP.operatesIn)) == {BOLTON}


def test_a_primary_care_network_is_found_by_its_ods_code(seeded_store):
    sheets = with_rows(GOOD, "Memberships", ["Halliwell walkers", "U46071", "Member"])
    result = mapped(seeded_store, sheets)
    assert result.problems == []
    member = mint("membership", "halliwell-walkers", "u46071", "Member")
    assert (member, ORG.member, mint("organisation", "u46071")) in result.data


def test_a_misspelt_role_gets_a_did_you_mean(seeded_store):
    sheets = replace_cell(GOOD, "Memberships", 2, "Role", "Agenda activst")
    assert sentences(mapped(seeded_store, sheets)) == [
        'Memberships row 2, column "Role": "Agenda activst" is not a role; did you mean '
        '"Agenda activist"?'
    ]


def test_an_unknown_choice_far_from_any_lists_the_choices(seeded_store):
    sheets = replace_cell(GOOD, "Progress", 2, "Status", "Half done")
    (sentence,) = sentences(mapped(seeded_store, sheets))
    assert sentence.endswith("Choose one of: Not started, In progress, Established.")


def test_a_misspelt_place_gets_a_did_you_mean_and_where_to_add_it(seeded_store):
    sheets = replace_cell(GOOD, "Communities", 2, "Operates in", "Boltn")
    (sentence,) = sentences(mapped(seeded_store, sheets))
    assert sentence == (
        'Communities row 2, column "Operates in": "Boltn" is not a place in this workbook or '
        'already recorded; did you mean "Bolton"? If it is new, add it to the Places sheet.'
    )


def test_a_name_shared_by_two_recorded_wards_asks_for_the_id(seeded_store):
    sheets = replace_cell(GOOD, "Communities", 2, "Operates in", "Brooklands")
    (sentence,) = sentences(mapped(seeded_store, sheets))
    assert '"Brooklands" could mean 2 different places' in sentence
    assert "Write the ID of the one you mean instead." in sentence


def test_references_to_workbook_rows_come_before_the_store(seeded_store):
    sheets = with_rows(GOOD, "Domains", ["Bolton"])  # a domain called like a locality
    sheets = replace_cell(sheets, "Communities", 2, "Domains", "Bolton")
    result = mapped(seeded_store, sheets)
    assert set(result.data.objects(HALLIWELL, COP.hasDomain)) == {mint("domain", "bolton")}


def test_duplicate_ids_and_names_are_reported(seeded_store):
    sheets = with_rows(GOOD, "People", ["p1", "Alex Doe", "", ""])
    sheets = with_rows(sheets, "Domains", ["walking for health"])
    found = sentences(mapped(seeded_store, sheets))
    assert (
        'People row 3, column "ID": the ID "p1" is also used in People row 2: each row '
        "needs its own ID" in found
    )
    assert any(
        s.startswith(
            'Domains row 3, column "Name": the name "walking for health" is '
            "also used in Domains row 2"
        )
        for s in found
    )


def test_a_repeated_link_row_is_reported(seeded_store):
    row = ["Halliwell walkers", "Sam Taylor", "Community keeper", "01/02/2024"]
    found = sentences(mapped(seeded_store, with_rows(GOOD, "Memberships", row)))
    assert found == ["Memberships row 3: this row repeats Memberships row 2: remove one of them"]


def test_required_cells_and_bad_values_are_each_reported(seeded_store):
    sheets = replace_cell(GOOD, "Communities", 2, "Domains", None)
    sheets = replace_cell(sheets, "Communities", 2, "Founded", "03/04/24")
    found = sentences(mapped(seeded_store, sheets))
    assert 'Communities row 2, column "Domains": "Domains" is required: fill it in' in found
    assert any(
        s.startswith(
            'Communities row 2, column "Founded": "03/04/24" could be read in more than one way'
        )
        for s in found
    )


def test_circular_within_is_reported(seeded_store):
    sheets = with_rows(
        GOOD, "Places",
        ["Type", "Name", "Within"],
        ["Neighbourhood", "North", "South"],
        ["Neighbourhood", "South", "North"],
        ["Neighbourhood", "Fine", "Bolton"],
    )  # fmt: skip
    found = sentences(mapped(seeded_store, sheets))
    assert len(found) == 2
    assert found[0].startswith(
        'Places row 2, column "Within": "North" lies within "South" lies '
        'within "North": a place cannot lie within itself'
    )


def test_a_place_that_would_contain_a_recorded_place_it_lies_in_is_circular(seeded_store):
    sheets = with_rows(
        GOOD,
        "Places",
        ["ID", "Type", "Name", "Within"],
        ["bolton", "Locality", "Bolton", "Astley Bridge"],
    )
    found = sentences(mapped(seeded_store, sheets))
    assert any("a place cannot lie within itself" in s for s in found)


def test_an_id_outside_the_graphs_namespace_is_refused(seeded_store):
    sheets = replace_cell(GOOD, "People", 2, "ID", "https://evil.example/person")
    found = sentences(mapped(seeded_store, sheets))
    assert found[0].startswith(
        'People row 2, column "ID": "https://evil.example/person" is not an ID this graph can use'
    )


def test_made_up_examples_mark_every_thing(seeded_store):
    data = mapped(seeded_store, GOOD, **{"made-up examples": "yes"}).data
    typed = set(data.subjects(RDF.type, None))
    assert typed and all((t, COP.illustrative, Literal(True)) in data for t in typed)


def test_a_measurement_needs_indicator_value_and_date(seeded_store):
    sheets = with_rows(
        GOOD, "Outcomes",
        ["Community", "Outcome", "Indicator", "Value", "Date"],
        ["Halliwell walkers", "More walkers", "Regular walkers", "12", None],
    )  # fmt: skip
    sheets = with_rows(sheets, "Indicators", ["Name", "Unit"], ["Regular walkers", "people"])
    found = sentences(mapped(seeded_store, sheets))
    assert found == [
        'Outcomes row 2, column "Date": a measurement needs an Indicator, a Value '
        "and a Date: fill in all three, or leave Value and Date blank"
    ]


def test_a_partnership_records_the_success_factors_it_works_on(seeded_store):
    header = ["Name", "Partners", "Success factors"]
    row = ["Halliwell partnership", "Afrocats; 10GM", "Consensus; structured team building"]
    sheets = with_rows(GOOD, "Partnerships", header, row)
    result = mapped(seeded_store, sheets)
    assert result.problems == []
    (partnership,) = result.data.subjects(RDF.type, COP.Partnership)
    assert set(result.data.objects(partnership, COP.successFactor)) == {
        COP.Consensus,
        COP.StructuredTeamBuilding,
    }
    principle = with_rows(GOOD, "Partnerships", header, ["P", "Afrocats", "People Power"])
    assert "critical success factor" in " ".join(sentences(mapped(seeded_store, principle)))


def test_a_progress_date_in_the_future_is_refused_in_its_cell(seeded_store):
    from datetime import date

    future = date.fromordinal(date.today().toordinal() + 30).isoformat()
    result = mapped(seeded_store, replace_cell(GOOD, "Progress", 2, "Date", future))
    assert [(p.sheet, p.row, p.column) for p in result.problems] == [("Progress", 2, "Date")]
    assert f'"{future}" is in the future' in result.problems[0].message
    assert not set(result.data.subjects(RDF.type, COP.StepAssessment))
