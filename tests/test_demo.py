"""The illustrative demo dataset: reproducible, clearly invented, and rich enough to show.

The committed ``data/demo/demo.ttl`` is checked as it is shipped; the checks that need the
real GM source files (rebuilding, real ward names, real organisations' names) are skipped
only where those files are missing.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from cop_graph import namespaces as ns
from cop_graph.ids import mint
from cop_graph.namespaces import COP, DCTERMS, FOAF, ORG, RDF, RDFS

REPO = Path(__file__).resolve().parents[1]
DEMO_FILE = REPO / "data" / "demo" / "demo.ttl"
README = REPO / "data" / "demo" / "README.md"


def _load_script():
    """``scripts/build_demo.py`` as a module (scripts are not a package)."""
    spec = importlib.util.spec_from_file_location("build_demo", REPO / "scripts" / "build_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


build_demo = _load_script()

# SDO and XSD are used as ``ns.SDO``/``ns.XSD``: as module globals, pytest's collector probes
# them for attributes and rdflib warns about each unknown name.
LOCALITY_SLUGS = [name.lower() for name in build_demo.LOCALITIES]
WENGER = set(build_demo.WENGER_ROLES)
ROLES = WENGER | {COP.Member, COP.Facilitator}
PREFIX = "Illustrative example: "
MARKER = " (illustrative)"
#: the real PCN list the reference data is built from
PCNS_FILE = "nhs/gm_pcns_2026-08.csv"


@pytest.fixture(scope="module")
def demo() -> Graph:
    return Graph().parse(DEMO_FILE)


def _source(relative: str) -> Path:
    path = build_demo.source_file(relative)
    if path is None:
        pytest.skip(f"the GM source file {relative} is not available here")
    return path


def locality_of(place: URIRef) -> str:
    """The locality slug a place IRI belongs to: wards and neighbourhoods start with it."""
    slug = str(place).rsplit("/", 1)[1]
    return next(loc for loc in LOCALITY_SLUGS if slug == loc or slug.startswith(loc + "-"))


def communities(demo: Graph) -> list[URIRef]:
    return sorted(demo.subjects(RDF.type, COP.CommunityOfPurpose))


def localities_of(demo: Graph, community: URIRef) -> set[str]:
    return {locality_of(place) for place in demo.objects(community, COP.operatesIn)}


def latest_assessments(demo: Graph) -> dict[URIRef, date]:
    latest: dict[URIRef, date] = {}
    for assessment in demo.subjects(RDF.type, COP.StepAssessment):
        community = demo.value(assessment, COP.assessedCommunity)
        when = demo.value(assessment, DCTERMS.date).toPython()
        latest[community] = max(when, latest.get(community, when))
    return latest


# --- reproducible ------------------------------------------------------------------------


def test_rebuilding_gives_identical_bytes():
    _source(build_demo.WARDS_FILE)
    rebuilt = build_demo.serialise(build_demo.build())
    assert rebuilt == DEMO_FILE.read_bytes(), (
        "data/demo/demo.ttl is out of date: run python scripts/build_demo.py"
    )


def test_readme_counts_match_the_data(demo):
    table = dict(re.findall(r"^\| ([^|]+?) \| (\d+) \|$", README.read_text(), re.M))
    counts = build_demo.count_things(demo)
    assert {heading: int(n) for heading, n in table.items()} == counts


# --- clearly invented ----------------------------------------------------------------------


def test_every_thing_described_is_marked_illustrative(demo):
    unmarked = {s for s in demo.subjects() if (s, COP.illustrative, Literal(True)) not in demo}
    assert not unmarked


def test_every_thing_has_exactly_one_label(demo):
    assert all(len(list(demo.objects(s, RDFS.label))) == 1 for s in set(demo.subjects()))


def test_no_blank_nodes(demo):
    assert not [t for t in demo if any(isinstance(term, BNode) for term in t)]


def test_invented_names_are_not_names_of_real_organisations(demo):
    real = set()
    for relative, column in (
        (PCNS_FILE, "pcn_name"),
        ("nhs/gm_gp_practices_pcn_2026-08.csv", "practice_name"),
        ("gm_local_authorities.csv", "council_name"),
        ("gm_bodies.csv", "body"),
    ):
        with _source(relative).open(encoding="utf-8", newline="") as rows:
            real |= {row[column].strip().lower() for row in csv.DictReader(rows)}
    labels = {str(demo.value(s, RDFS.label)).removesuffix(MARKER).lower() for s in _named(demo)}
    assert not labels & real


def _named(demo: Graph) -> list[URIRef]:
    """The invented things whose names could be mistaken for real ones'."""
    return [
        *communities(demo),
        *demo.subjects(RDF.type, COP.VCSEOrganisation),
        *demo.subjects(RDF.type, ORG.Organization),
        *demo.subjects(RDF.type, COP.Partnership),
        *demo.subjects(RDF.type, COP.Neighbourhood),
    ]


def test_invented_communities_organisations_and_neighbourhoods_say_so_in_their_names(demo):
    for thing in _named(demo):
        assert str(demo.value(thing, RDFS.label)).endswith(MARKER), thing


# --- communities -----------------------------------------------------------------------------


def test_about_thirty_communities(demo):
    assert 25 <= len(communities(demo)) <= 35


def test_communities_cover_all_ten_localities(demo):
    covered = set().union(*(localities_of(demo, c) for c in communities(demo)))
    assert covered == set(LOCALITY_SLUGS)


@pytest.mark.parametrize("prop", [COP.hasDomain, COP.operatesIn, COP.sharesPractice])
def test_every_community_has(demo, prop):
    assert all(demo.value(c, prop) is not None for c in communities(demo))


def test_every_community_description_says_it_is_invented(demo):
    for community in communities(demo):
        description = demo.value(community, DCTERMS.description)
        assert str(description).startswith(PREFIX), community


def test_community_values_are_of_the_right_kind(demo):
    for community in communities(demo):
        assert demo.value(community, COP.openness) in {COP.Open, COP.Contained}
        for domain in demo.objects(community, COP.hasDomain):
            assert (domain, RDF.type, COP.Domain) in demo
        for practice in demo.objects(community, COP.sharesPractice):
            assert (practice, RDF.type, COP.Practice) in demo
        founded = demo.value(community, ns.SDO.foundingDate)
        assert founded.datatype == ns.XSD.date
        assert date(2022, 1, 1) <= founded.toPython() <= date(2026, 12, 31)


def test_some_practices_are_shared_across_localities_and_some_are_not(demo):
    localities_by_practice: dict[URIRef, set[str]] = defaultdict(set)
    for community in communities(demo):
        for practice in demo.objects(community, COP.sharesPractice):
            localities_by_practice[practice] |= localities_of(demo, community)
    spread = sorted(len(found) for found in localities_by_practice.values())
    assert spread[0] == 1, "no practice is found in only one locality"
    assert spread[-1] >= 2, "no practice is shared by communities in different localities"


# --- places ------------------------------------------------------------------------------------


def test_every_place_referred_to_is_real_or_an_invented_neighbourhood(demo):
    wards = build_demo.read_wards(_source(build_demo.WARDS_FILE))
    real_wards = {mint("place", loc, ward) for loc, names in wards.items() for ward in names}
    with _source("neighbourhoods/trafford_ward23_to_locality.csv").open(encoding="utf-8") as rows:
        trafford = {
            mint("place", "Trafford", row["trafford_locality"]) for row in csv.DictReader(rows)
        }
    localities = {mint("place", slug) for slug in LOCALITY_SLUGS}
    invented = set(demo.subjects(RDF.type, COP.Neighbourhood))
    place_properties = (COP.operatesIn, COP.withinPlace, COP.basedIn, COP.servesPlace)
    referred = {o for p in place_properties for o in demo.objects(None, p)}
    assert referred - real_wards - trafford - localities - invented == set()
    assert set(demo.objects(None, COP.comprises)) <= real_wards


def test_invented_neighbourhoods_are_made_of_wards_of_their_own_locality(demo):
    neighbourhoods = list(demo.subjects(RDF.type, COP.Neighbourhood))
    assert 3 <= len(neighbourhoods) <= 5
    for neighbourhood in neighbourhoods:
        locality = demo.value(neighbourhood, COP.withinPlace)
        wards = list(demo.objects(neighbourhood, COP.comprises))
        assert 2 <= len(wards) <= 4
        assert {locality_of(w) for w in wards} == {locality_of(locality)}


def test_a_misspelt_ward_stops_the_build():
    builder = build_demo.DemoBuilder({"Bolton": ["Astley Bridge"]})
    with pytest.raises(ValueError, match="'Astley Brigde' is not a May 2023 ward of Bolton"):
        builder.ward("Bolton", "Astley Brigde")


# --- people, organisations and roles -------------------------------------------------------


def test_people_with_and_without_consent(demo):
    people = list(demo.subjects(RDF.type, FOAF.Person))
    consent = [demo.value(p, COP.publicProfile) for p in people]
    assert all(c is not None and c.datatype == ns.XSD.boolean for c in consent)
    assert {c.toPython() for c in consent} == {True, False}


def test_person_iris_never_contain_their_names(demo):
    for person in demo.subjects(RDF.type, FOAF.Person):
        iri = str(person).lower()
        for part in str(demo.value(person, FOAF.name)).lower().split():
            assert part not in iri, person


def test_contact_details_are_example_addresses(demo):
    addresses = [str(a) for a in demo.objects(None, FOAF.mbox)]
    assert addresses
    assert all(re.fullmatch(r"mailto:[a-z-]+\.[a-z-]+@example\.org", a) for a in addresses)


def test_every_membership_is_complete_and_uses_a_known_role(demo):
    for membership in demo.subjects(RDF.type, ORG.Membership):
        for prop in (ORG.organization, ORG.member, ORG.role):
            assert len(list(demo.objects(membership, prop))) == 1, (membership, prop)
        assert demo.value(membership, ORG.role) in ROLES
        assert (demo.value(membership, ORG.organization), RDF.type, COP.CommunityOfPurpose) in demo


def test_organisations_are_members_too(demo):
    members = set(demo.objects(None, ORG.member))
    assert members & set(demo.subjects(RDF.type, COP.VCSEOrganisation))
    assert members & set(demo.subjects(RDF.type, ORG.Organization)), "no invented PCN is a member"


def test_every_member_and_partner_is_invented_in_this_file(demo):
    """A real organisation said to belong to an invented community would be a false statement
    about it: members and partners are all things this file invents (and marks)."""
    for prop in (ORG.member, COP.partner):
        for thing in demo.objects(None, prop):
            assert (thing, COP.illustrative, Literal(True)) in demo, (prop, thing)


def test_member_organisations_are_in_the_communitys_locality(demo):
    for membership in demo.subjects(RDF.type, ORG.Membership):
        member = demo.value(membership, ORG.member)
        if (member, RDF.type, FOAF.Person) not in demo:
            community = demo.value(membership, ORG.organization)
            assert locality_of(demo.value(member, COP.basedIn)) in localities_of(demo, community)


def test_role_coverage_varies_between_communities(demo):
    roles_of: dict[URIRef, set[URIRef]] = {c: set() for c in communities(demo)}
    for membership in demo.subjects(RDF.type, ORG.Membership):
        roles_of[demo.value(membership, ORG.organization)].add(demo.value(membership, ORG.role))
    wenger = [roles & WENGER for roles in roles_of.values()]
    assert any(found == WENGER for found in wenger), "no community fills all seven roles"
    no_reporter = [f for f in wenger if f and COP.SocialReporter not in f]
    assert len(no_reporter) >= 3, "several communities should lack a social reporter"
    assert any(not found for found in wenger), "some community should have no Wenger role"


def test_some_people_belong_to_communities_in_two_localities(demo):
    localities_of_person: dict[URIRef, set[str]] = defaultdict(set)
    for membership in demo.subjects(RDF.type, ORG.Membership):
        member = demo.value(membership, ORG.member)
        if (member, RDF.type, FOAF.Person) in demo:
            community = demo.value(membership, ORG.organization)
            localities_of_person[member] |= localities_of(demo, community)
    assert any(len(found) >= 2 for found in localities_of_person.values())


# --- progress and outcomes ------------------------------------------------------------------


def test_assessments_use_the_known_steps_and_statuses(demo):
    assessments = list(demo.subjects(RDF.type, COP.StepAssessment))
    assert assessments
    for assessment in assessments:
        for prop in (COP.assessedCommunity, COP.assessedStep, COP.stepStatus, DCTERMS.date):
            assert len(list(demo.objects(assessment, prop))) == 1, (assessment, prop)
        assert demo.value(assessment, COP.assessedStep) in build_demo.STEPS
        assert demo.value(assessment, COP.stepStatus) in build_demo.STATUSES
        assert demo.value(assessment, DCTERMS.date).datatype == ns.XSD.date


def test_progress_through_a_step_never_goes_backwards(demo):
    history: dict[tuple, list[tuple[date, int]]] = defaultdict(list)
    for assessment in demo.subjects(RDF.type, COP.StepAssessment):
        key = (
            demo.value(assessment, COP.assessedCommunity),
            demo.value(assessment, COP.assessedStep),
        )
        level = build_demo.STATUSES.index(demo.value(assessment, COP.stepStatus))
        history[key].append((demo.value(assessment, DCTERMS.date).toPython(), level))
    for key, entries in history.items():
        levels = [level for _, level in sorted(entries)]
        assert levels == sorted(levels), key
    assert any(len({lv for _, lv in e}) > 1 for e in history.values()), "nobody made progress"


def test_most_communities_are_assessed_and_a_few_are_out_of_date(demo):
    latest = latest_assessments(demo)
    assert len(latest) >= 0.8 * len(communities(demo))
    newest = max(latest.values())  # "now", as far as the data is concerned
    out_of_date = [c for c, when in latest.items() if newest - when > timedelta(days=365)]
    assert 1 <= len(out_of_date) <= 5


def test_observations_are_dated_decimal_values_of_described_indicators(demo):
    observations = list(demo.subjects(RDF.type, COP.Observation))
    assert observations
    for observation in observations:
        value = demo.value(observation, COP.value)
        assert value.datatype == ns.XSD.decimal
        assert demo.value(observation, DCTERMS.date).datatype == ns.XSD.date
        indicator = demo.value(observation, COP.indicator)
        assert demo.value(indicator, COP.unit) is not None
        assert demo.value(indicator, COP.higherIsBetter).datatype == ns.XSD.boolean
        community = demo.value(observation, COP.observedFor)
        assert (community, RDF.type, COP.CommunityOfPurpose) in demo


def test_every_outcome_belongs_to_a_community_and_is_measured(demo):
    for outcome in demo.subjects(RDF.type, COP.Outcome):
        assert (demo.value(outcome, COP.outcomeOf), RDF.type, COP.CommunityOfPurpose) in demo
        assert demo.value(outcome, COP.measuredBy) is not None


def test_resources_are_kept_by_communities_in_more_than_one_locality(demo):
    resources = list(demo.subjects(RDF.type, COP.Resource))
    assert resources
    for resource in resources:
        assert demo.value(resource, COP.resourceType) in {
            COP.Tool,
            COP.Method,
            COP.Story,
            COP.Insight,
            COP.Document,
        }
        assert demo.value(resource, COP.aboutPractice) is not None
    spread = [
        set().union(*(localities_of(demo, c) for c in demo.objects(r, COP.heldBy)))
        for r in resources
    ]
    assert any(len(found) >= 2 for found in spread)
