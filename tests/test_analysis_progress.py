"""Framework progress: the latest assessment of each step decides a community's position."""

from __future__ import annotations

import pytest

from cop_graph.analysis.example import store_with
from cop_graph.analysis.network import knowledge_graph
from cop_graph.analysis.progress import distribution, positions

STEPS = """
cop:IdentifyPurposeAndScope a cop:FrameworkStep ; cop:stepNumber 1 ; rdfs:label "One" .
cop:FindAndInviteMembers a cop:FrameworkStep ; cop:stepNumber 2 ; rdfs:label "Two" .
cop:CreateTheSpace a cop:FrameworkStep ; cop:stepNumber 3 ; rdfs:label "Three" .
community:a a cop:CommunityOfPurpose ; rdfs:label "A" .
community:b a cop:CommunityOfPurpose ; rdfs:label "B" .
community:never a cop:CommunityOfPurpose ; rdfs:label "Never assessed" .
"""


def _assessment(name, community, step, status, date):
    return (
        f"assessment:{name} cop:assessedCommunity community:{community} ;"
        f" cop:assessedStep cop:{step} ; cop:stepStatus cop:{status} ;"
        f' dcterms:date "{date}"^^xsd:date .\n'
    )


# A: step 1 established, step 2 went back from established to in progress (the later
# assessment wins), step 3 established. B: step 1 not started.
SMALL = STEPS + "".join(
    _assessment(*args)
    for args in (
        ("a1", "a", "IdentifyPurposeAndScope", "Established", "2025-01-01"),
        ("a2", "a", "FindAndInviteMembers", "Established", "2025-01-01"),
        ("a3", "a", "FindAndInviteMembers", "InProgress", "2025-09-01"),
        ("a4", "a", "CreateTheSpace", "Established", "2025-09-01"),
        ("b1", "b", "IdentifyPurposeAndScope", "NotStarted", "2025-02-01"),
    )
)


@pytest.fixture(scope="module")
def kg():
    return knowledge_graph(store_with(SMALL))


def test_positions_use_the_latest_assessment_of_each_step(kg):
    rows = {row["label"]: row for row in positions(kg)}
    assert [s["status"] for s in rows["A"]["steps"]] == [
        "established",
        "in_progress",
        "established",
    ]
    assert rows["A"]["steps"][1]["date"] == "2025-09-01"
    assert (rows["A"]["established"], rows["A"]["current_step"]) == (2, 2)
    assert (rows["B"]["established"], rows["B"]["current_step"]) == (0, 1)
    assert [s["status"] for s in rows["Never assessed"]["steps"]] == [None, None, None]


def test_distribution_across_greater_manchester(kg):
    spread = distribution(kg)
    assert [(s["number"], s["counts"]) for s in spread["steps"]] == [
        (1, {"not_started": 1, "in_progress": 0, "established": 1, "not_assessed": 1}),
        (2, {"not_started": 0, "in_progress": 1, "established": 0, "not_assessed": 2}),
        (3, {"not_started": 0, "in_progress": 0, "established": 1, "not_assessed": 2}),
    ]
    assert [r["communities"] for r in spread["established"]] == [2, 0, 1, 0]
