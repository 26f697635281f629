"""W3C ORG data written as it is elsewhere: n-ary nodes without names, and the other ways of
saying who belongs to a community.

Each test loads a small Turtle file (written here, so what it relies on is in front of the
reader) into the reference store with :func:`cop_graph.ingest.load.load_files`, the function
``cop-graph load`` calls, then reads the pages and search through the web app's JSON twins.
"""

from __future__ import annotations

import pytest

from cop_graph import queries
from cop_graph.config import load_settings
from cop_graph.ingest.load import load_files
from cop_graph.scope import Scope
from cop_graph.web import create_app

PREFIXES = """
@prefix cop: <https://w3id.org/cop-graph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/cop-graph/id/> .
"""

COMMUNITY = """
<https://w3id.org/cop-graph/id/community/health-walks-wigan> a cop:CommunityOfPurpose ;
    rdfs:label "Health walks Wigan" ;
    cop:hasDomain <https://w3id.org/cop-graph/id/domain/orgtest-active-lives> ;
    cop:operatesIn <https://w3id.org/cop-graph/id/place/wigan> .

<https://w3id.org/cop-graph/id/domain/orgtest-active-lives> a cop:Domain, skos:Concept ;
    rdfs:label "Orgtest active lives" ; skos:prefLabel "Orgtest active lives" .

<https://w3id.org/cop-graph/id/person/orgtest-1> a foaf:Person ;
    rdfs:label "Sam Taylor" ; foaf:name "Sam Taylor" ; cop:publicProfile true .

<https://w3id.org/cop-graph/id/person/orgtest-2> a foaf:Person ;
    rdfs:label "Quinn Hidden" ; foaf:name "Quinn Hidden" ; cop:publicProfile false .
"""

UNNAMED = """
<https://w3id.org/cop-graph/id/membership/orgtest-1> a org:Membership ;
    org:member <https://w3id.org/cop-graph/id/person/orgtest-1> ;
    org:organization <https://w3id.org/cop-graph/id/community/health-walks-wigan> ;
    org:role cop:AgendaActivist .

<https://w3id.org/cop-graph/id/membership/orgtest-2> a org:Membership ;
    org:member <https://w3id.org/cop-graph/id/person/orgtest-2> ;
    org:organization <https://w3id.org/cop-graph/id/community/health-walks-wigan> ;
    org:role cop:CriticalFriend .

<https://w3id.org/cop-graph/id/assessment/orgtest-1> a cop:StepAssessment ;
    cop:assessedCommunity <https://w3id.org/cop-graph/id/community/health-walks-wigan> ;
    cop:assessedStep cop:FindAndInviteMembers ;
    cop:stepStatus cop:InProgress ;
    dcterms:date "2025-03-31"^^xsd:date .
"""

COMMUNITY_PAGE = "/api/id/community/health-walks-wigan"
SAM = "https://w3id.org/cop-graph/id/person/orgtest-1"


def _load(store, tmp_path, text: str, name: str = "orgtest"):
    path = tmp_path / f"{name}.ttl"
    path.write_text(PREFIXES + text, encoding="utf-8")
    return load_files(store, [path], who="tester")


@pytest.fixture
def client_of(seeded_store):
    def make():
        settings = load_settings({}, store="memory:")
        app = create_app({"TESTING": True, "STORE": seeded_store, "SETTINGS": settings})
        return app.test_client()

    return make


def _get(client, url: str, **query) -> dict:
    response = client.get(url, query_string=query)
    assert response.status_code == 200, url
    return response.get_json()


def _members(client) -> dict[str, list[str]]:
    page = _get(client, COMMUNITY_PAGE)
    return {
        group["role"]["label"]: [m["iri"] for m in group["named"] + group["organisations"]]
        + ["(unnamed)"] * group["unnamed"]
        for group in page["members"]
    }


def test_unnamed_memberships_and_assessments_load_and_are_named_from_their_parts(
    seeded_store, tmp_path, client_of
):
    result = _load(seeded_store, tmp_path, COMMUNITY + UNNAMED)
    assert not any("exactly one name" in line for line in result.advice)
    client = client_of()

    members = _members(client)
    assert members["Agenda activist"] == [SAM]
    assert members["Critical friend"] == ["(unnamed)"]

    membership = _get(client, "/api/id/membership/orgtest-1")
    assert membership["label"] == "Sam Taylor — Agenda activist in Health walks Wigan"
    hidden = _get(client, "/api/id/membership/orgtest-2")
    assert hidden["label"] == "A member — Critical friend in Health walks Wigan"
    assessment = _get(client, "/api/id/assessment/orgtest-1")
    assert assessment["label"] == "Step 2 self-assessment of Health walks Wigan, 2025-03-31"

    found = _get(client, "/api/search", q="Sam Taylor agenda activist")
    labels = [r["label"] for r in found["results"]]
    assert "Sam Taylor — Agenda activist in Health walks Wigan" in labels
    by_step = [r["label"] for r in _get(client, "/api/search", q="self-assessment")["results"]]
    assert "Step 2 self-assessment of Health walks Wigan, 2025-03-31" in by_step
    # a person who did not agree to be named is not named through a derived name either
    everything = _get(client, "/api/search", q="critical friend health walks")["results"]
    assert "A member — Critical friend in Health walks Wigan" in [r["label"] for r in everything]
    assert not any("Quinn" in r["label"] for r in everything)


def test_a_measurement_without_a_name_is_named_from_its_indicator_value_and_date(
    seeded_store, tmp_path, client_of
):
    _load(
        seeded_store,
        tmp_path,
        COMMUNITY
        + """
<https://w3id.org/cop-graph/id/indicator/orgtest-walkers> a cop:Indicator ;
    rdfs:label "Walkers per week" .
<https://w3id.org/cop-graph/id/observation/orgtest-1> a cop:Observation ;
    cop:indicator <https://w3id.org/cop-graph/id/indicator/orgtest-walkers> ;
    cop:value 42.0 ;
    dcterms:date "2025-03-31"^^xsd:date ;
    cop:observedFor <https://w3id.org/cop-graph/id/community/health-walks-wigan> .
""",
    )
    client = client_of()
    page = _get(client, "/api/id/observation/orgtest-1")
    assert page["label"] == "Walkers per week: 42 on 2025-03-31"
    found = [r["label"] for r in _get(client, "/api/search", q="walkers per week")["results"]]
    assert found[0] == "Walkers per week"  # the indicator itself first
    assert "Walkers per week: 42 on 2025-03-31" in found


@pytest.mark.parametrize(
    ("form", "triple"),
    [
        (
            "org:memberOf",
            "<https://w3id.org/cop-graph/id/person/orgtest-1> org:memberOf "
            "<https://w3id.org/cop-graph/id/community/health-walks-wigan> .",
        ),
        (
            "org:hasMembership",
            "<https://w3id.org/cop-graph/id/community/health-walks-wigan> org:hasMembership "
            "<https://w3id.org/cop-graph/id/membership/orgtest-9> .\n"
            "<https://w3id.org/cop-graph/id/membership/orgtest-9> "
            "org:member <https://w3id.org/cop-graph/id/person/orgtest-1> .",
        ),
        (
            "schema:member",
            "<https://w3id.org/cop-graph/id/community/health-walks-wigan> schema:member "
            "<https://w3id.org/cop-graph/id/person/orgtest-1> .",
        ),
    ],
)
def test_other_standard_forms_of_membership_load_and_show_the_member(
    seeded_store, tmp_path, client_of, form, triple
):
    result = _load(seeded_store, tmp_path, COMMUNITY + triple)
    assert any(f"written as {form} recorded as a membership" in line for line in result.advice)
    assert any("recorded with the role member" in line for line in result.advice)
    assert _members(client_of())["Member"] == [SAM]


def test_the_community_of_an_org_member_of_may_be_in_the_store_already(
    seeded_store, tmp_path, client_of
):
    _load(seeded_store, tmp_path, COMMUNITY, name="community")
    _load(
        seeded_store,
        tmp_path,
        "<https://w3id.org/cop-graph/id/person/orgtest-1> org:memberOf "
        "<https://w3id.org/cop-graph/id/community/health-walks-wigan> .",
        name="member",
    )
    assert _members(client_of())["Member"] == [SAM]


def test_the_analyses_count_roles_held_through_unnamed_memberships(seeded_store, tmp_path):
    _load(seeded_store, tmp_path, COMMUNITY + UNNAMED)
    rows = queries.run(
        seeded_store, "analysis_role_coverage", scope=Scope.public(seeded_store)
    ).dicts()
    (walks,) = [row for row in rows if str(row.get("label")) == "Health walks Wigan"]
    assert int(walks["rolesFilled"]) == 2  # agenda activist and critical friend
