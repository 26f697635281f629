"""Who to learn from: kindred, elsewhere and further along, each condition tested alone."""

from __future__ import annotations

import pytest

from cop_graph.analysis.example import store_with
from cop_graph.analysis.learn_from import learn_from
from cop_graph.analysis.network import knowledge_graph
from cop_graph.errors import UsageError

ID = "https://w3id.org/cop-graph/id/"

# Me: ward M1 (locality North), domain Health, practice walking, 1 step established.
#   Mentor     ward S1 (South)  Health + walking   3 steps   → yes, two things in common
#   Cousin     ward N2 (North)  walking            2 steps   → yes (elsewhere as recorded)
#   Neighbour  ward M1          Health             3 steps   → no: same place
#   Stranger   ward S1          other domain       3 steps   → no: nothing in common
#   Peer       ward S1          Health             1 step    → no: not further along
SMALL = """
place:north a cop:Locality . place:south a cop:Locality .
place:m1 a cop:Ward ; cop:withinPlace place:north .
place:n2 a cop:Ward ; cop:withinPlace place:north .
place:s1 a cop:Ward ; cop:withinPlace place:south .
domain:health a cop:Domain . domain:other a cop:Domain . practice:walking a cop:Practice .
cop:IdentifyPurposeAndScope a cop:FrameworkStep ; cop:stepNumber 1 .
cop:FindAndInviteMembers a cop:FrameworkStep ; cop:stepNumber 2 .
cop:CreateTheSpace a cop:FrameworkStep ; cop:stepNumber 3 .
"""
COMMUNITIES = {
    "me": ("m1", "domain:health", "practice:walking", 1),
    "mentor": ("s1", "domain:health", "practice:walking", 3),
    "cousin": ("n2", "domain:other", "practice:walking", 2),
    "neighbour": ("m1", "domain:health", "", 3),
    "stranger": ("s1", "domain:other", "", 3),
    "peer": ("s1", "domain:health", "", 1),
}
STEPS = ("IdentifyPurposeAndScope", "FindAndInviteMembers", "CreateTheSpace")


def _community(name, place, domain, practice, established):
    text = f'community:{name} a cop:CommunityOfPurpose ; rdfs:label "{name.title()}" ;'
    text += f" cop:operatesIn place:{place} ; cop:hasDomain {domain} "
    text += f"; cop:sharesPractice {practice} .\n" if practice else ".\n"
    for step in STEPS[:established]:
        text += (
            f"[] cop:assessedCommunity community:{name} ; cop:assessedStep cop:{step} ;"
            ' cop:stepStatus cop:Established ; dcterms:date "2025-01-01"^^xsd:date .\n'
        )
    return text


@pytest.fixture(scope="module")
def kg():
    data = SMALL + "".join(_community(name, *row) for name, row in COMMUNITIES.items())
    return knowledge_graph(store_with(data))


def test_kindred_communities_elsewhere_further_along_most_in_common_first(kg):
    rows = learn_from(kg, ID + "community/me")
    assert [(r["label"], r["ahead_by"]) for r in rows] == [("Mentor", 2), ("Cousin", 1)]
    assert [p["iri"] for p in rows[0]["shared_practices"]] == [ID + "practice/walking"]
    assert [d["iri"] for d in rows[0]["shared_domains"]] == [ID + "domain/health"]


def test_elsewhere_judged_at_locality_level_leaves_out_the_same_locality(kg):
    rows = learn_from(kg, ID + "community/me", level="locality")
    assert [r["label"] for r in rows] == ["Mentor"]


def test_only_communities_can_ask(kg):
    with pytest.raises(UsageError, match="is not a community"):
        learn_from(kg, ID + "place/m1")
