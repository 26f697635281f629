"""The graphs built from the store: what goes in, what stays out, and the projections."""

from __future__ import annotations

import io

import networkx as nx
import pyoxigraph as ox
import pytest

from cop_graph.analysis.example import EXAMPLE_TURTLE, example_store, store_with
from cop_graph.analysis.network import (
    PRIVATE_PERSON,
    AreaIndex,
    community_graph,
    knowledge_graph,
    place_practice_graph,
    shared_practice_graph,
)
from cop_graph.errors import UsageError
from cop_graph.store.oxigraph import OxigraphStore

ID = "https://w3id.org/cop-graph/id/"
WALKERS, GROWERS, STRIDERS = (
    ID + "community/wigan-walkers",
    ID + "community/pemberton-growers",
    ID + "community/halliwell-striders",
)
HEALTH_WALKS, SOCIAL_PRESCRIBING = ID + "practice/health-walks", ID + "practice/social-prescribing"


@pytest.fixture(scope="module")
def kg():
    return knowledge_graph(example_store())


def test_things_have_kinds_labels_and_figures(kg):
    assert kg.nodes[WALKERS]["kind"] == "community"
    assert kg.nodes[WALKERS]["label"] == "Wigan Walkers"
    assert kg.nodes[ID + "place/wigan-central"]["types"] == ("ward",)
    assert kg.nodes[ID + "place/wigan-central"]["core20"] == 0.5
    assert kg.nodes[ID + "organisation/u00001"]["types"] == ("pcn",)
    assert kg.nodes["https://w3id.org/cop-graph/ontology#CreateTheSpace"]["step"] == 3


def test_memberships_carry_the_role(kg):
    edges = kg.get_edge_data(ID + "person/0001", WALKERS)
    assert edges == {
        "member_of": {"roles": ("https://w3id.org/cop-graph/ontology#SocialReporter",)}
    }


def test_a_member_holding_two_roles_keeps_both():
    store = store_with(
        EXAMPLE_TURTLE
        + "membership:9 org:organization community:wigan-walkers ; org:member person:0001 ;"
        " org:role cop:CommunityKeeper ."
    )
    edges = knowledge_graph(store).get_edge_data(ID + "person/0001", WALKERS)
    assert [role.rsplit("#", 1)[1] for role in edges["member_of"]["roles"]] == [
        "CommunityKeeper",
        "SocialReporter",
    ]


def test_only_the_latest_assessment_of_a_step_is_kept(kg):
    step = "https://w3id.org/cop-graph/ontology#FindAndInviteMembers"
    assert kg.get_edge_data(WALKERS, step) == {
        "assessed": {
            "status": "https://w3id.org/cop-graph/ontology#Established",
            "date": "2025-06-01",
        }
    }


def test_names_of_people_without_consent_never_reach_the_graph():
    # the name is in the private graph, where the loader puts it, and (wrongly) in the public one
    store = store_with(
        EXAMPLE_TURTLE + 'person:0001 rdfs:label "Leaked Name" .',
        private='person:0001 rdfs:label "Private Name" ; foaf:name "Private Name" .',
    )
    graph = knowledge_graph(store)
    assert graph.nodes[ID + "person/0001"]["label"] == PRIVATE_PERSON
    labels = {data["label"] for _, data in graph.nodes(data=True)}
    assert not {"Leaked Name", "Private Name"} & labels
    assert graph.nodes[ID + "person/0002"]["label"] == "Ann Example"


def test_the_private_graph_is_never_read():
    store = store_with(
        EXAMPLE_TURTLE, private="community:wigan-walkers cop:operatesIn place:bolton ."
    )
    places = {
        t for _, t, k in knowledge_graph(store).out_edges(WALKERS, keys=True) if k == "operates_in"
    }
    assert places == {ID + "place/wigan-central"}


def test_facts_about_things_of_no_known_kind_are_left_out():
    store = store_with(EXAMPLE_TURTLE + "id:space\\/hall cop:withinPlace place:wigan .")
    assert ID + "space/hall" not in knowledge_graph(store)


@pytest.mark.parametrize(
    ("place", "level", "areas"),
    [
        ("wigan-central", "recorded", {"wigan-central"}),
        ("wigan-central", "ward", {"wigan-central"}),
        ("wigan-central", "locality", {"wigan"}),
        ("wigan-central", "region", {"greater-manchester"}),
        ("wigan-central", "neighbourhood", {"wigan-town"}),
        ("wigan-pemberton", "neighbourhood", {"wigan-town"}),
        ("bolton-halliwell", "neighbourhood", set()),
        ("wigan", "ward", set()),
    ],
)
def test_a_place_lies_in_the_areas_that_contain_it(kg, place, level, areas):
    assert AreaIndex(kg, level).of_place(ID + "place/" + place) == {
        ID + "place/" + a for a in areas
    }


def test_a_place_lies_in_the_area_of_the_pcns_serving_it(kg):
    assert AreaIndex(kg, "pcn").of_place(ID + "place/bolton-halliwell") == {
        ID + "organisation/u00002"
    }
    assert AreaIndex(kg, "pcn").of_place(ID + "place/wigan") == set()


def test_an_unknown_level_is_a_usage_error(kg):
    with pytest.raises(UsageError, match='there is no level "street"'):
        place_practice_graph(kg, "street")


def test_place_practice_graph_lists_the_communities_as_evidence(kg):
    table = place_practice_graph(kg, "locality")
    wigan = ID + "place/wigan"
    assert table[wigan][SOCIAL_PRESCRIBING] == {
        "communities": (GROWERS, WALKERS),
        "weight": 2,
    }
    assert table.nodes[wigan]["kind"] == "place"
    assert set(table[ID + "place/bolton"]) == {HEALTH_WALKS}


def test_shared_practice_graph_links_places_with_their_evidence(kg):
    shared = shared_practice_graph(place_practice_graph(kg))
    assert sorted(map(sorted, shared.edges)) == [
        [ID + "place/bolton-halliwell", ID + "place/wigan-central"],
        [ID + "place/wigan-central", ID + "place/wigan-pemberton"],
    ]
    link = shared[ID + "place/wigan-central"][ID + "place/wigan-pemberton"]
    assert link["evidence"] == {SOCIAL_PRESCRIBING: (GROWERS, WALKERS)}
    assert link["weight"] == 1


def test_community_graph_links_what_communities_share(kg):
    graph = community_graph(kg)
    assert graph[WALKERS][GROWERS] == {
        "members": (ID + "organisation/age-uk-wigan",),
        "practices": (SOCIAL_PRESCRIBING,),
        "places": (),
        "weight": 2,
    }
    assert graph[WALKERS][STRIDERS]["members"] == (ID + "person/0001",)
    assert not graph.has_edge(GROWERS, STRIDERS)
    assert graph.nodes[STRIDERS]["localities"] == (ID + "place/bolton",)
    assert graph.graph["members"][ID + "person/0001"] == {
        "kind": "person",
        "label": PRIVATE_PERSON,
        "public": False,
    }


def _reloaded(store) -> OxigraphStore:
    """The same data in a new store, loaded in reverse order (so internal ids differ)."""
    out = io.BytesIO()
    store.dump(out, "nquads")
    lines = out.getvalue().decode().splitlines()
    fresh = OxigraphStore(None)
    fresh.native.load("\n".join(reversed(lines)).encode(), format=ox.RdfFormat.N_QUADS)
    return fresh


def test_the_graphs_are_the_same_every_time_and_after_reloading():
    store = example_store()
    first, again, reloaded = (knowledge_graph(s) for s in (store, store, _reloaded(store)))
    for other in (again, reloaded):
        assert list(first.nodes(data=True)) == list(other.nodes(data=True))
        assert list(first.edges(keys=True, data=True)) == list(other.edges(keys=True, data=True))
        assert nx.utils.graphs_equal(community_graph(first), community_graph(other))
