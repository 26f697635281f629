"""Explained paths: shortest first, at most k, every step a true fact in words."""

from __future__ import annotations

import pytest

from cop_graph.analysis.example import store_with
from cop_graph.analysis.network import knowledge_graph
from cop_graph.analysis.paths import explained_paths, find_things, resolve
from cop_graph.errors import UsageError

ID = "https://w3id.org/cop-graph/id/"

# Walkers and Striders both work in Central (one route of two facts) and share walking
# (another); Loners are tied to nothing. Two places are called "Central".
SMALL = """
place:wigan a cop:Locality ; rdfs:label "Wigan" .
place:central a cop:Ward ; rdfs:label "Central" ; cop:withinPlace place:wigan .
place:other-central a cop:Ward ; rdfs:label "Central" .
practice:walking a cop:Practice ; rdfs:label "Walking" .
cop:Member a cop:CommunityRole ; rdfs:label "Member" .
community:walkers a cop:CommunityOfPurpose ; rdfs:label "Walkers" ;
  cop:operatesIn place:central ; cop:sharesPractice practice:walking .
community:striders a cop:CommunityOfPurpose ; rdfs:label "Striders" ;
  cop:operatesIn place:central ; cop:sharesPractice practice:walking .
community:loners a cop:CommunityOfPurpose ; rdfs:label "Loners" .
person:1 a foaf:Person ; cop:publicProfile false .
membership:1 org:organization community:walkers ; org:member person:1 ; org:role cop:Member .
"""


@pytest.fixture(scope="module")
def kg():
    return knowledge_graph(store_with(SMALL))


def test_two_shortest_paths_each_explained(kg):
    found = explained_paths(kg, ID + "community/walkers", ID + "community/striders", k=5)
    assert [p["length"] for p in found] == [2, 2]
    assert sorted(p["explanation"] for p in found) == [
        "Walkers operates in Central; Striders operates in Central",
        "Walkers shares the practice Walking; Striders shares the practice Walking",
    ]
    assert [n["label"] for n in found[0]["nodes"]][::2] == ["Walkers", "Striders"]


def test_at_most_k_paths(kg):
    assert len(explained_paths(kg, ID + "community/walkers", ID + "community/striders", k=1)) == 1


def test_longer_paths_follow_how_places_nest(kg):
    [path] = explained_paths(kg, ID + "community/walkers", ID + "place/wigan", k=1)
    assert path["steps"] == ["Walkers operates in Central", "Central is within Wigan"]


def test_people_without_a_public_profile_appear_by_role_and_without_iri(kg):
    [path] = explained_paths(kg, ID + "person/1", ID + "community/walkers", k=1)
    assert path["steps"] == ["a person (name not public) is a member of Walkers (as Member)"]
    assert path["nodes"][0]["iri"] is None


def test_nothing_connects_a_community_with_no_ties(kg):
    assert explained_paths(kg, ID + "community/loners", ID + "community/walkers") == []


def test_unknown_ends_are_usage_errors(kg):
    with pytest.raises(UsageError, match="not something the paths can start or end at"):
        explained_paths(kg, ID + "community/nobody", ID + "community/walkers")


def test_find_things_offers_names_that_start_with_the_text_first(kg):
    assert [t["label"] for t in find_things(kg, "al")] == [
        "Central",
        "Central",
        "Walkers",
        "Walking",
    ]
    assert all(t["kind"] != "person" for t in find_things(kg, ""))


def test_resolve_a_name_or_say_why_not(kg):
    assert resolve(kg, "striders") == ID + "community/striders"
    assert resolve(kg, ID + "place/central") == ID + "place/central"
    with pytest.raises(UsageError, match='"Central" names more than one thing'):
        resolve(kg, "Central")
    with pytest.raises(UsageError, match='nothing is called "Nowhere"'):
        resolve(kg, "Nowhere")
