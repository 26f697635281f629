"""Gaps: places without a community in a domain or chapter, most deprived first."""

from __future__ import annotations

import pytest

from cop_graph.analysis.example import store_with
from cop_graph.analysis.gaps import coverage_gaps, unique_practices
from cop_graph.analysis.network import knowledge_graph

ID = "https://w3id.org/cop-graph/id/"

# Wards Poorest (CORE20 share 0.9), Middle (0.4) and Unknown (no figure) in locality North; ward
# Far in South. Domains Health and Money; one chapter, Prevention.
#   Carers   Middle, Far   Health, Prevention, practice knitting
#   Savers   Poorest       Money,              practice budgeting
#   Helpers  South         Health,             practice budgeting
SMALL = """
place:north a cop:Locality ; rdfs:label "North" .
place:south a cop:Locality ; rdfs:label "South" .
place:poorest a cop:Ward ; rdfs:label "Poorest" ; cop:withinPlace place:north ;
  cop:core20Share 0.9 .
place:middle a cop:Ward ; rdfs:label "Middle" ; cop:withinPlace place:north ; cop:core20Share 0.4 .
place:unknown a cop:Ward ; rdfs:label "Unknown" ; cop:withinPlace place:north .
place:far a cop:Ward ; rdfs:label "Far" ; cop:withinPlace place:south ; cop:core20Share 0.1 .
domain:health a cop:Domain ; rdfs:label "Health" .
domain:money a cop:Domain ; rdfs:label "Money" .
cop:Prevention a cop:BlueprintChapter ; rdfs:label "Prevention" .
practice:knitting a cop:Practice ; rdfs:label "Knitting" .
practice:budgeting a cop:Practice ; rdfs:label "Budgeting" .
community:carers a cop:CommunityOfPurpose ; rdfs:label "Carers" ;
  cop:operatesIn place:middle, place:far ; cop:hasDomain domain:health ;
  cop:alignsWithChapter cop:Prevention ; cop:sharesPractice practice:knitting .
community:savers a cop:CommunityOfPurpose ; rdfs:label "Savers" ;
  cop:operatesIn place:poorest ; cop:hasDomain domain:money ;
  cop:sharesPractice practice:budgeting .
community:helpers a cop:CommunityOfPurpose ; rdfs:label "Helpers" ;
  cop:operatesIn place:south ; cop:hasDomain domain:health ; cop:sharesPractice practice:budgeting .
"""


@pytest.fixture(scope="module")
def kg():
    return knowledge_graph(store_with(SMALL))


def _summary(rows):
    return [
        (
            r["label"],
            r["core20"],
            r["communities"],
            [d["label"] for d in r["missing_domains"]],
            [c["label"] for c in r["missing_chapters"]],
        )
        for r in rows
    ]


def test_ward_gaps_most_deprived_first_and_places_without_a_figure_last(kg):
    assert _summary(coverage_gaps(kg, "ward")) == [
        ("Poorest", 0.9, 1, ["Health"], ["Prevention"]),
        ("Middle", 0.4, 1, ["Money"], []),
        ("Far", 0.1, 1, ["Money"], []),
        ("Unknown", None, 0, ["Health", "Money"], ["Prevention"]),
    ]


def test_locality_gaps_count_the_wards_in_the_locality(kg):
    assert _summary(coverage_gaps(kg, "locality")) == [
        ("South", None, 2, ["Money"], []),
    ]


def test_practices_found_in_both_localities_are_not_unique(kg):
    # knitting: Carers in North (Middle) and South (Far); budgeting: Savers north, Helpers south
    assert unique_practices(kg) == []


def test_a_practice_in_one_locality_is_offered_to_the_others():
    kg = knowledge_graph(store_with(SMALL.replace("place:middle, place:far", "place:middle")))
    [row] = unique_practices(kg)
    assert (row["label"], row["locality_label"]) == ("Knitting", "North")
    assert row["communities"] == [{"iri": ID + "community/carers", "label": "Carers"}]
