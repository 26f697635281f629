"""A tiny worked example for the analyses' doctests, small enough to check every answer by hand.

Two localities (Wigan, Bolton) with four wards, one neighbourhood and two PCN areas; three
communities, three practices, two domains; one organisation and two people, one of whom
agreed to show their name; a few step assessments. It goes through a real in-memory store,
so the doctests also exercise the named query that builds the knowledge graph.

    Wigan Walkers        Wigan Central   health walks, social prescribing   healthy ageing
    Pemberton Growers    Pemberton       community gardening, social presc.  mental health
    Halliwell Striders   Halliwell       health walks                        healthy ageing

Age UK Wigan belongs to the Walkers and the Growers; a person without a public profile is the
Walkers' social reporter and a Striders member; Ann Example keeps the Growers' community.
"""

from __future__ import annotations

from functools import cache

import networkx as nx
from rdflib import Graph

from cop_graph.analysis.network import knowledge_graph
from cop_graph.namespaces import GRAPH, ID, PREFIXES
from cop_graph.scope import private_graph_of
from cop_graph.store import Change, open_store

__all__ = [
    "EXAMPLE_TURTLE",
    "example_graph",
    "example_knowledge_graph",
    "example_store",
    "store_with",
    "turtle_graph",
]

EXAMPLE_TURTLE = """

place:greater-manchester a cop:Region ; rdfs:label "Greater Manchester" .
place:wigan a cop:Locality ; rdfs:label "Wigan" ;
  cop:withinPlace place:greater-manchester ; cop:core20Share 0.3 .
place:bolton a cop:Locality ; rdfs:label "Bolton" ;
  cop:withinPlace place:greater-manchester ; cop:core20Share 0.35 .
place:wigan-central a cop:Ward ; rdfs:label "Wigan Central" ;
  cop:withinPlace place:wigan ; cop:core20Share 0.5 .
place:wigan-pemberton a cop:Ward ; rdfs:label "Pemberton" ;
  cop:withinPlace place:wigan ; cop:core20Share 0.75 .
place:bolton-halliwell a cop:Ward ; rdfs:label "Halliwell" ;
  cop:withinPlace place:bolton ; cop:core20Share 0.9 .
place:bolton-smithills a cop:Ward ; rdfs:label "Smithills" ;
  cop:withinPlace place:bolton ; cop:core20Share 0.1 .
place:wigan-town a cop:Neighbourhood ; rdfs:label "Wigan Town" ;
  cop:withinPlace place:wigan ; cop:comprises place:wigan-central, place:wigan-pemberton .
organisation:u00001 a cop:PrimaryCareNetwork ; rdfs:label "Wigan Central PCN" ;
  cop:servesPlace place:wigan-central, place:wigan-pemberton .
organisation:u00002 a cop:PrimaryCareNetwork ; rdfs:label "Bolton North PCN" ;
  cop:servesPlace place:bolton-halliwell, place:bolton-smithills .
organisation:age-uk-wigan a cop:VCSEOrganisation ; rdfs:label "Age UK Wigan" ;
  cop:basedIn place:wigan .

practice:health-walks a cop:Practice ; rdfs:label "Health walks" .
practice:social-prescribing a cop:Practice ; rdfs:label "Social prescribing" .
practice:community-gardening a cop:Practice ; rdfs:label "Community gardening" .
domain:healthy-ageing a cop:Domain ; rdfs:label "Healthy ageing" .
domain:mental-health a cop:Domain ; rdfs:label "Mental health" .
cop:Prevention a cop:BlueprintChapter ; rdfs:label "Prevention" .
cop:HealthInequalities a cop:BlueprintChapter ; rdfs:label "Health inequalities" .
cop:SocialReporter a cop:CommunityRole ; rdfs:label "Social reporter" .
cop:CommunityKeeper a cop:CommunityRole ; rdfs:label "Community keeper" .
cop:OrganizationalBroker a cop:CommunityRole ; rdfs:label "Organizational broker" .
cop:Member a cop:CommunityRole ; rdfs:label "Member" .
cop:IdentifyPurposeAndScope a cop:FrameworkStep ; cop:stepNumber 1 ; rdfs:label "Purpose" .
cop:FindAndInviteMembers a cop:FrameworkStep ; cop:stepNumber 2 ; rdfs:label "Members" .
cop:CreateTheSpace a cop:FrameworkStep ; cop:stepNumber 3 ; rdfs:label "Space" .
cop:Established a cop:StepStatus ; rdfs:label "Established" .
cop:InProgress a cop:StepStatus ; rdfs:label "In progress" .

community:wigan-walkers a cop:CommunityOfPurpose ; rdfs:label "Wigan Walkers" ;
  cop:operatesIn place:wigan-central ; cop:hasDomain domain:healthy-ageing ;
  cop:sharesPractice practice:health-walks, practice:social-prescribing ;
  cop:alignsWithChapter cop:Prevention .
community:pemberton-growers a cop:CommunityOfPurpose ; rdfs:label "Pemberton Growers" ;
  cop:operatesIn place:wigan-pemberton ; cop:hasDomain domain:mental-health ;
  cop:sharesPractice practice:community-gardening, practice:social-prescribing .
community:halliwell-striders a cop:CommunityOfPurpose ; rdfs:label "Halliwell Striders" ;
  cop:operatesIn place:bolton-halliwell ; cop:hasDomain domain:healthy-ageing ;
  cop:sharesPractice practice:health-walks ; cop:alignsWithChapter cop:Prevention .

person:0001 a foaf:Person ; cop:publicProfile false .
person:0002 a foaf:Person ; cop:publicProfile true ; rdfs:label "Ann Example" .
membership:1 a org:Membership ; org:organization community:wigan-walkers ;
  org:member organisation:age-uk-wigan ; org:role cop:OrganizationalBroker .
membership:2 a org:Membership ; org:organization community:pemberton-growers ;
  org:member organisation:age-uk-wigan ; org:role cop:Member .
membership:3 a org:Membership ; org:organization community:wigan-walkers ;
  org:member person:0001 ; org:role cop:SocialReporter .
membership:4 a org:Membership ; org:organization community:halliwell-striders ;
  org:member person:0001 ; org:role cop:Member .
membership:5 a org:Membership ; org:organization community:pemberton-growers ;
  org:member person:0002 ; org:role cop:CommunityKeeper .

assessment:1 cop:assessedCommunity community:wigan-walkers ;
  cop:assessedStep cop:IdentifyPurposeAndScope ; cop:stepStatus cop:Established ;
  dcterms:date "2025-01-10"^^xsd:date .
assessment:2 cop:assessedCommunity community:wigan-walkers ;
  cop:assessedStep cop:FindAndInviteMembers ; cop:stepStatus cop:InProgress ;
  dcterms:date "2025-01-10"^^xsd:date .
assessment:3 cop:assessedCommunity community:wigan-walkers ;
  cop:assessedStep cop:FindAndInviteMembers ; cop:stepStatus cop:Established ;
  dcterms:date "2025-06-01"^^xsd:date .
assessment:4 cop:assessedCommunity community:wigan-walkers ;
  cop:assessedStep cop:CreateTheSpace ; cop:stepStatus cop:InProgress ;
  dcterms:date "2025-06-01"^^xsd:date .
assessment:5 cop:assessedCommunity community:pemberton-growers ;
  cop:assessedStep cop:IdentifyPurposeAndScope ; cop:stepStatus cop:InProgress ;
  dcterms:date "2025-03-01"^^xsd:date .
assessment:s1 cop:assessedCommunity community:halliwell-striders ;
  cop:assessedStep cop:IdentifyPurposeAndScope ; cop:stepStatus cop:Established ;
  dcterms:date "2025-05-01"^^xsd:date .
assessment:s2 cop:assessedCommunity community:halliwell-striders ;
  cop:assessedStep cop:FindAndInviteMembers ; cop:stepStatus cop:Established ;
  dcterms:date "2025-05-01"^^xsd:date .
assessment:s3 cop:assessedCommunity community:halliwell-striders ;
  cop:assessedStep cop:CreateTheSpace ; cop:stepStatus cop:Established ;
  dcterms:date "2025-05-01"^^xsd:date .
"""


def turtle_graph(turtle: str) -> Graph:
    """Parse Turtle written with the project's prefixes (``cop:``, ``id:`` …) and the kind
    prefixes of the example (``place:``, ``community:`` …), which need no declaring."""
    kinds = ("place", "organisation", "practice", "domain", "community", "person", "membership",
             "assessment")  # fmt: skip
    prologue = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())
    prologue += "".join(f"@prefix {kind}: <{ID}{kind}/> .\n" for kind in kinds)
    return Graph().parse(data=prologue + turtle, format="turtle")


def store_with(turtle: str, private: str = ""):
    """A fresh in-memory store holding ``turtle`` in the demo graph (``private`` in its private
    part), for small hand-made examples."""
    store = open_store("memory:")
    put = {GRAPH.demo: turtle_graph(turtle)}
    if private:
        put[private_graph_of(GRAPH.demo)] = turtle_graph(private)
    store.commit(Change(put=put))
    return store


def example_graph() -> Graph:
    """The example as an rdflib graph."""
    return turtle_graph(EXAMPLE_TURTLE)


def example_store():
    """A fresh in-memory store holding the example in the demo graph."""
    return store_with(EXAMPLE_TURTLE)


@cache
def _cached_knowledge_graph() -> nx.MultiDiGraph:
    return knowledge_graph(example_store())


def example_knowledge_graph() -> nx.MultiDiGraph:
    """The knowledge graph of the example (a copy: callers may change it).

    >>> kg = example_knowledge_graph()
    >>> kg.nodes["https://w3id.org/cop-graph/id/person/0001"]["label"]
    'a person (name not public)'
    >>> kg.nodes["https://w3id.org/cop-graph/id/person/0002"]["label"]
    'Ann Example'
    """
    return _cached_knowledge_graph().copy()
