"""The example SPARQL behind each page gives the same numbers as the analysis (golden tests)."""

from __future__ import annotations

from collections import Counter

import pytest

from cop_graph import queries
from cop_graph.analysis import reports
from cop_graph.analysis.example import EXAMPLE_TURTLE, store_with

ID = "https://w3id.org/cop-graph/id/"
# the example plus the collection of Wenger's roles, which the framework file normally brings
WENGER = (
    "cop:WengerRoles skos:member cop:AgendaActivist, cop:CommunityKeeper, cop:CriticalFriend,"
    " cop:ValueDetective, cop:ExternalMessenger, cop:SocialReporter, cop:OrganizationalBroker ."
)


@pytest.fixture(scope="module")
def example():
    return store_with(EXAMPLE_TURTLE + WENGER)


def _matrix_by_sparql(store) -> set[tuple]:
    rows = queries.run(store, "analysis_practice_matrix").dicts()
    return {(str(r["place"]), str(r["practice"]), int(r["communities"])) for r in rows}


def _matrix_by_analysis(store) -> set[tuple]:
    data = reports.run(store, "practice-matrix").data
    return {(p["place"], q, n) for p in data["places"] for q, n in p["counts"].items()}


def _gaps_by_sparql(store) -> set[tuple]:
    rows = queries.run(store, "analysis_places_without_domain").dicts()
    return {(str(r["ward"]), str(r["domain"])) for r in rows}


def _gaps_by_analysis(store) -> set[tuple]:
    places = reports.run(store, "gaps").data["places"]
    return {(row["place"], d["iri"]) for row in places for d in row["missing_domains"]}


def _roles_by_sparql(store) -> dict:
    rows = queries.run(store, "analysis_role_coverage").dicts()
    return {str(r["community"]): int(r["rolesFilled"]) for r in rows}


def _roles_by_analysis(store) -> dict:
    rows = reports.run(store, "roles").data["communities"]
    return {row["community"]: len(row["filled"]) for row in rows}


def _progress_by_sparql(store) -> Counter:
    rows = queries.run(store, "analysis_progress_distribution").dicts()
    names = {"NotStarted": "not_started", "InProgress": "in_progress", "Established": "established"}
    return Counter(
        {
            (int(r["stepNumber"]), names[str(r["status"]).rsplit("#", 1)[1]]): int(r["communities"])
            for r in rows
        }
    )


def _progress_by_analysis(store) -> Counter:
    steps = reports.run(store, "progress").data["distribution"]["steps"]
    return Counter(
        {
            (step["number"], status): count
            for step in steps
            for status, count in step["counts"].items()
            if status != "not_assessed" and count
        }
    )


PAIRS = {
    "practice matrix": (_matrix_by_sparql, _matrix_by_analysis),
    "wards without a domain": (_gaps_by_sparql, _gaps_by_analysis),
    "role coverage": (_roles_by_sparql, _roles_by_analysis),
    "progress": (_progress_by_sparql, _progress_by_analysis),
}


def test_worked_example_numbers(example):
    assert _matrix_by_sparql(example) >= {
        (ID + "place/wigan-central", ID + "practice/health-walks", 1),
        (ID + "place/wigan-pemberton", ID + "practice/social-prescribing", 1),
    }
    assert (ID + "place/bolton-smithills", ID + "domain/healthy-ageing") in _gaps_by_sparql(example)
    assert _roles_by_sparql(example) == {
        ID + "community/halliwell-striders": 0,
        ID + "community/pemberton-growers": 1,
        ID + "community/wigan-walkers": 2,
    }
    assert _progress_by_sparql(example) == Counter(
        {(1, "established"): 2, (1, "in_progress"): 1, (2, "established"): 2,
         (3, "established"): 1, (3, "in_progress"): 1}
    )  # fmt: skip


@pytest.mark.parametrize("what", list(PAIRS))
def test_sparql_and_analysis_agree_on_the_example(example, what):
    by_sparql, by_analysis = PAIRS[what]
    assert by_sparql(example) == by_analysis(example)


@pytest.mark.parametrize("what", list(PAIRS))
def test_sparql_and_analysis_agree_on_the_demo(demo_store, what):
    by_sparql, by_analysis = PAIRS[what]
    answer = by_sparql(demo_store)
    assert answer, "the demo data is meant to have an answer here"
    assert answer == by_analysis(demo_store)
