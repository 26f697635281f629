"""Role coverage: which of Wenger's seven roles each community has filled."""

from __future__ import annotations

from cop_graph.analysis.example import store_with
from cop_graph.analysis.network import knowledge_graph
from cop_graph.analysis.roles import WENGER_ROLES, role_coverage
from cop_graph.namespaces import COP

# Full has all seven roles among four people (three of them hold two roles each); Partial has
# a keeper (two people) and a third person who is a plain member and host; Empty has nobody.
SEVEN = ("AgendaActivist", "CommunityKeeper", "CriticalFriend", "ValueDetective",
         "ExternalMessenger", "SocialReporter", "OrganizationalBroker")  # fmt: skip
SMALL = (
    """
community:full a cop:CommunityOfPurpose ; rdfs:label "Full" .
community:partial a cop:CommunityOfPurpose ; rdfs:label "Partial" .
community:empty a cop:CommunityOfPurpose ; rdfs:label "Empty" .
cop:CommunityKeeper a cop:CommunityRole ; rdfs:label "Community keeper" .
membership:p1 org:organization community:partial ; org:member person:1 ;
  org:role cop:CommunityKeeper .
membership:p2 org:organization community:partial ; org:member person:2 ;
  org:role cop:CommunityKeeper .
membership:p3 org:organization community:partial ; org:member person:3 ; org:role cop:Member .
membership:p4 org:organization community:partial ; org:member person:3 ; org:role cop:Facilitator .
"""
    + "".join(
        f"membership:f{n} org:organization community:full ; org:member person:{1 + n // 2} ;"
        f" org:role cop:{role} .\n"
        for n, role in enumerate(SEVEN)
    )
    + "".join(f"person:{n} a foaf:Person .\n" for n in range(1, 5))
)


def test_which_roles_are_filled_and_missing():
    answer = role_coverage(knowledge_graph(store_with(SMALL)))
    rows = {row["label"]: row for row in answer["communities"]}
    assert list(rows) == ["Empty", "Full", "Partial"]
    assert len(rows["Full"]["filled"]) == 7 and rows["Full"]["missing"] == []
    assert rows["Full"]["members"] == 4
    assert [r["label"] for r in rows["Partial"]["filled"]] == ["Community keeper"]
    assert rows["Partial"]["holders"][str(COP.CommunityKeeper)] == 2
    assert rows["Partial"]["members"] == 3  # member and host count as members, not roles
    assert len(rows["Partial"]["missing"]) == 6
    assert rows["Empty"]["filled"] == [] and len(rows["Empty"]["missing"]) == 7
    assert answer["filled_by"][str(COP.CommunityKeeper)] == 2
    assert answer["filled_by"][str(COP.SocialReporter)] == 1


def test_the_seven_roles_in_the_framework_order():
    assert [role.rsplit("#", 1)[1] for role in WENGER_ROLES] == list(SEVEN)
