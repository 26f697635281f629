"""Checks of the ontology files: documented terms, agreement with ``COP``, and the framework.

The ontology is the public contract researchers build on, and the framework schemes are
what coordinators pick from, so these tests pin both: every term is documented, the Python
namespace and the Turtle agree exactly, and every list in the framework document arrived
whole, in its own words.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from cop_graph import namespaces as ns
from cop_graph import queries
from cop_graph.namespaces import COP, DCTERMS, ONTOLOGY_IRI, ORG, OWL, PROV, RDF, RDFS, SKOS
from cop_graph.resources import ontology_files

COP_NS = str(COP._NS)
COP_TERMS = {COP[name] for name in (*COP.__annotations__, *COP._extras)}
CLASS_OR_PROPERTY = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)

#: the core vocabulary table of DESIGN.md, the public contract
DESIGN_CORE_TERMS = (
    # classes
    "CommunityOfPurpose", "Domain", "Practice", "Resource", "Principle", "CommunityRole",
    "FrameworkStep", "StepAssessment", "BlueprintChapter", "Outcome", "Indicator",
    "Observation", "Place", "Region", "Locality", "Ward", "Neighbourhood",
    "PrimaryCareNetwork", "VCSEOrganisation", "LocalAuthority", "NHSBody", "GPPractice",
    "Space", "Event", "Partnership",
    # properties of a community
    "hasDomain", "sharesPractice", "adoptsPrinciple", "alignsWithChapter", "operatesIn",
    "meetsIn", "purpose", "openness", "hasNorm",
    # places and organisations
    "withinPlace", "gssCode", "odsCode", "basedIn", "servesPlace",
    # assessments, outcomes and the rest
    "assessedCommunity", "assessedStep", "stepStatus", "outcomeOf", "measuredBy", "indicator",
    "value", "observedFor", "producedBy", "aboutPractice", "heldBy", "partner",
    "guidingQuestion", "publicProfile", "stepNumber",
    # individuals named in DESIGN.md
    "Open", "Contained", "NotStarted", "InProgress", "Established", "SocialReporter",
    "PeoplePower",
)  # fmt: skip


def _load(*paths) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _load(*ontology_files())


def _cop_subjects(graph: Graph) -> set[URIRef]:
    return {s for s in set(graph.subjects()) if isinstance(s, URIRef) and s.startswith(COP_NS)}


def _in_scheme(graph: Graph, scheme: URIRef) -> set[URIRef]:
    return set(graph.subjects(SKOS.inScheme, scheme))


def _english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    return [
        str(o) for o in graph.objects(subject, predicate) if getattr(o, "language", None) == "en"
    ]


# --- files and header ---------------------------------------------------------------------


def test_ontology_files_are_found_and_parse():
    names = {path.name for path in ontology_files()}
    assert {"cop.ttl", "framework.ttl"} <= names
    for path in ontology_files():
        assert len(_load(path)) > 100, path.name


def test_header_says_what_version_and_licence(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.modified).datatype == ns.XSD.date
    assert _english(ontology, ONTOLOGY_IRI, DCTERMS.title)
    assert _english(ontology, ONTOLOGY_IRI, DCTERMS.description)
    vann = "http://purl.org/vocab/vann/"
    assert str(ontology.value(ONTOLOGY_IRI, URIRef(vann + "preferredNamespaceUri"))) == COP_NS


# --- lint: every term documented --------------------------------------------------------------


def test_every_class_and_property_is_documented(ontology):
    problems = [
        f"{row.term} {row.problem}"
        for row in ontology.query(queries.get("lint_undocumented_terms").text)
    ]
    assert problems == []


def test_documentation_lint_catches_an_undocumented_term():
    graph = Graph()
    graph.add((COP.sharesPractice, RDF.type, OWL.ObjectProperty))
    graph.add((COP.sharesPractice, RDFS.label, Literal("shares practice", lang="fr")))
    rows = graph.query(queries.get("lint_undocumented_terms").text)
    assert {str(row.problem) for row in rows} == {
        "has no English rdfs:label",
        "has no English rdfs:comment or skos:definition",
        "has no rdfs:isDefinedBy",
    }


def test_terms_point_back_to_the_ontology(ontology):
    for term in COP_TERMS - {COP.FrameworkDocument}:
        assert ontology.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI, term


def test_every_property_has_domain_and_range_or_says_why_not(ontology):
    rows = list(ontology.query(queries.get("lint_properties_without_domain_or_range").text))
    for row in rows:
        assert row.comment is not None and f"no {row.missing}" in str(row.comment), (
            f"{row.property} has no rdfs:{row.missing} and its comment does not say why"
        )
    assert len(rows) <= 3, "most properties should have both a domain and a range"


def test_domain_and_range_lint_catches_a_bare_property():
    graph = Graph()
    graph.add((COP.heldBy, RDF.type, OWL.ObjectProperty))
    rows = graph.query(queries.get("lint_properties_without_domain_or_range").text)
    assert sorted(str(row.missing) for row in rows) == ["domain", "range"]


# --- agreement with cop_graph.namespaces.COP ---------------------------------------------------


def test_every_cop_term_is_defined_in_the_ontology(ontology):
    assert sorted(COP_TERMS - _cop_subjects(ontology)) == []


def test_every_cop_iri_in_the_ontology_is_a_cop_term(ontology):
    used = {
        node
        for triple in ontology
        for node in triple
        if isinstance(node, URIRef) and node.startswith(COP_NS)
    }
    assert sorted(used - COP_TERMS) == []


def test_each_term_is_described_in_one_file_only():
    seen: dict[URIRef, str] = {}
    for path in ontology_files():
        for term in _cop_subjects(_load(path)):
            assert term not in seen, f"{term} is described in {seen[term]} and {path.name}"
            seen[term] = path.name


def test_lower_case_terms_are_properties_and_capitalised_terms_classes_or_individuals(ontology):
    for term in COP_TERMS:
        name = term[len(COP_NS) :]
        types = set(ontology.objects(term, RDF.type))
        if name[0].islower():
            assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, term
        elif OWL.Class in types:
            assert not types - {OWL.Class}, f"{term} is both a class and something else"
        else:
            assert types, f"{term} has no type"
            assert not types & set(CLASS_OR_PROPERTY), term


def test_design_core_terms_exist(ontology):
    for name in DESIGN_CORE_TERMS:
        term = COP[name]
        assert (term, None, None) in ontology, name


# --- ties to reused vocabularies ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "parent"),
    [
        (COP.CommunityOfPurpose, ORG.Organization),
        (COP.CommunityRole, ORG.Role),
        (COP.CommunityRole, SKOS.Concept),
        (COP.Place, ns.GEO.Feature),
        (COP.Place, ns.SDO.Place),
        (COP.Ward, COP.Place),
        (COP.Neighbourhood, COP.Place),
        (COP.GPPractice, ORG.Organization),
        (COP.Resource, PROV.Entity),
        (COP.Resource, ns.SDO.CreativeWork),
        (COP.Event, ns.SDO.Event),
        (COP.Space, ns.SDO.Place),
        (COP.StepAssessment, PROV.Entity),
        (COP.Observation, PROV.Entity),
        (COP.Partnership, ORG.OrganizationalCollaboration),
        (COP.Programme, PROV.Activity),
        (COP.GuidingQuestion, ns.SDO.Question),
        (COP.SuccessFactor, SKOS.Concept),
    ],
)
def test_class_reuses_standard_vocabulary(ontology, cls, parent):
    assert (cls, RDFS.subClassOf, parent) in ontology


def test_concept_classes_are_skos_concepts(ontology):
    for name in (
        "Domain", "Practice", "Principle", "FrameworkStep", "DevelopmentStep",
        "BlueprintChapter", "Aim", "EssentialElement", "StepStatus", "Openness", "ResourceType",
    ):  # fmt: skip
        assert (COP[name], RDFS.subClassOf, SKOS.Concept) in ontology, name


def test_within_place_is_transitive_and_geosparql(ontology):
    assert (COP.withinPlace, RDF.type, OWL.TransitiveProperty) in ontology
    assert (COP.withinPlace, RDFS.subPropertyOf, ns.GEO.sfWithin) in ontology


def test_union_domains_are_well_formed(ontology):
    for prop in (COP.withinPlace, COP.gssCode, COP.basedIn, COP.stepNumber, COP.guidingQuestion,
                 COP.hasGuidingQuestion):  # fmt: skip
        domain = ontology.value(prop, RDFS.domain)
        assert isinstance(domain, BNode), prop
        members = list(ontology.items(ontology.value(domain, OWL.unionOf)))
        assert len(members) == 2, prop


# --- the framework, scheme by scheme ------------------------------------------------------------


def _whose(ontology: Graph, term: URIRef) -> str:
    if (term, DCTERMS.source, COP.FrameworkDocument) in ontology:
        return "document"
    if (term, PROV.wasAttributedTo, COP.CopGraphProject) in ontology:
        return "project"
    return ""


#: what the project made up rather than took from the framework document
PROJECT_TERMS = {
    COP.StepStatuses, COP.NotStarted, COP.InProgress, COP.Established,
    COP.OpennessLevels, COP.Open, COP.Contained,
    COP.CommunityRoles, COP.Member, COP.Facilitator,
    COP.Document, COP.DeliveryChapters,
}  # fmt: skip


def test_every_concept_has_one_english_label_and_says_whose_it_is(ontology):
    concepts = set(ontology.subjects(RDF.type, SKOS.Concept))
    # elements, steps, key steps, roles, principles, factors, chapters, aims, openness,
    # statuses, resource types, and CORE20PLUS5
    assert len(concepts) == 3 + 7 + 7 + 9 + 5 + 10 + 7 + 9 + 5 + 2 + 3 + 7 + 1
    for concept in concepts:
        labels = _english(ontology, concept, SKOS.prefLabel)
        assert len(labels) == 1, concept
        assert [str(o) for o in ontology.objects(concept, RDFS.label)] == labels, concept
        assert _whose(ontology, concept) == ("project" if concept in PROJECT_TERMS else "document")
        words = _english(ontology, concept, SKOS.definition) + _english(
            ontology, concept, RDFS.comment
        )
        assert words, concept
        if concept == COP.Core20Plus5:
            continue  # named in passing by the document, in no list of its own
        scheme = ontology.value(concept, SKOS.inScheme)
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology, concept
        assert (scheme, SKOS.hasTopConcept, concept) in ontology, concept


def test_every_scheme_and_collection_says_whose_it_is(ontology):
    groups = set(ontology.subjects(RDF.type, SKOS.ConceptScheme)) | set(
        ontology.subjects(RDF.type, SKOS.Collection)
    )
    assert len(groups) == 16
    for group in groups:
        assert _whose(ontology, group) == ("project" if group in PROJECT_TERMS else "document")
        assert _english(ontology, group, RDFS.label), group


def test_project_terms_never_claim_the_document_as_their_source(ontology):
    for term in PROJECT_TERMS:
        assert (term, DCTERMS.source, COP.FrameworkDocument) not in ontology, term
        assert (term, PROV.wasAttributedTo, COP.CopGraphProject) in ontology, term


def test_labels_are_unique_within_each_scheme(ontology):
    for scheme in ontology.subjects(RDF.type, SKOS.ConceptScheme):
        labels = [ontology.value(c, SKOS.prefLabel) for c in _in_scheme(ontology, scheme)]
        assert len(labels) == len(set(labels)), scheme


def test_framework_document(ontology):
    doc = COP.FrameworkDocument
    assert {COP.Resource, ns.SDO.CreativeWork} <= set(ontology.objects(doc, RDF.type))
    assert str(ontology.value(doc, DCTERMS.title)) == (
        "Leading Communities of Purpose for Fairer Health for All – Neighbourhood Working"
    )
    assert str(ontology.value(doc, DCTERMS.creator)) == "Collaborate Out Loud CIC"
    assert ontology.value(doc, DCTERMS.publisher) == ns.ID["organisation/collaborate-out-loud-cic"]
    # the document gives no date: none is invented, and a note says what is known
    assert ontology.value(doc, DCTERMS.date) is None and ontology.value(doc, DCTERMS.issued) is None
    note = " ".join(_english(ontology, doc, SKOS.editorialNote))
    assert "undated" in note and "December 2022" in note
    description = " ".join(_english(ontology, doc, DCTERMS.description))
    assert "Every concept scheme" not in description


def test_the_project_is_a_named_agent(ontology):
    project = COP.CopGraphProject
    assert {ns.FOAF.Project, PROV.Agent} <= set(ontology.objects(project, RDF.type))
    assert _english(ontology, project, RDFS.label) == ["cop-graph project"]


def test_three_essential_elements(ontology):
    elements = _in_scheme(ontology, COP.EssentialElements)
    assert elements == {COP.DomainElement, COP.CommunityElement, COP.PracticeAndPurposeElement}
    assert all((e, RDF.type, COP.EssentialElement) in ontology for e in elements)


FRAMEWORK_STEPS = [
    COP.IdentifyPurposeAndScope,
    COP.FindAndInviteMembers,
    COP.CreateTheSpace,
    COP.EstablishNorms,
    COP.NurtureBelonging,
    COP.FacilitateLearning,
    COP.MonitorAndEvaluate,
]


def test_seven_framework_steps_in_order_with_their_questions(ontology):
    assert _in_scheme(ontology, COP.FrameworkSteps) == set(FRAMEWORK_STEPS)
    questions_per_step = []
    for number, step in enumerate(FRAMEWORK_STEPS, start=1):
        assert (step, RDF.type, COP.FrameworkStep) in ontology
        assert ontology.value(step, COP.stepNumber) == Literal(number, datatype=ns.XSD.integer)
        assert str(ontology.value(step, SKOS.notation)) == str(number)
        questions = _english(ontology, step, COP.guidingQuestion)
        nodes = list(ontology.objects(step, COP.hasGuidingQuestion))
        assert sorted(questions) == sorted(str(ontology.value(n, RDFS.label)) for n in nodes)
        positions = sorted(int(ontology.value(n, ns.SDO.position)) for n in nodes)
        assert positions == list(range(1, len(nodes) + 1)), step
        assert all((n, RDF.type, COP.GuidingQuestion) in ontology for n in nodes)
        questions_per_step.append(len(questions))
    # transcribed from the framework's table, one value per question
    assert questions_per_step == [3, 7, 2, 4, 3, 9, 4]


def test_closing_sentences_are_scope_notes(ontology):
    with_note = {s for s in FRAMEWORK_STEPS if ontology.value(s, SKOS.scopeNote) is not None}
    assert with_note == {
        COP.IdentifyPurposeAndScope,
        COP.EstablishNorms,
        COP.NurtureBelonging,
        COP.FacilitateLearning,
    }


def test_no_question_holds_two_questions(ontology):
    for step in FRAMEWORK_STEPS:
        for question in _english(ontology, step, COP.guidingQuestion):
            assert question.count("?") <= 1, question


DEVELOPMENT_TO_FRAMEWORK = {
    COP.DefineTheDomain: COP.IdentifyPurposeAndScope,
    COP.EngagePotentialMembers: COP.FindAndInviteMembers,
    COP.CreateSharedSpace: COP.CreateTheSpace,
    COP.AgreeWaysOfWorking: COP.EstablishNorms,
    COP.FacilitateInteractions: COP.NurtureBelonging,
    COP.FosterLearning: COP.FacilitateLearning,
    COP.EvaluateAndAdapt: COP.MonitorAndEvaluate,
}


def test_seven_development_steps_each_mapped_as_the_project_reads_them(ontology):
    assert _in_scheme(ontology, COP.DevelopmentSteps) == set(DEVELOPMENT_TO_FRAMEWORK)
    for number, (key_step, framework_step) in enumerate(DEVELOPMENT_TO_FRAMEWORK.items(), 1):
        assert ontology.value(key_step, COP.stepNumber) == Literal(number, datatype=ns.XSD.integer)
        assert list(ontology.objects(key_step, COP.mapsToStep)) == [framework_step]
    assert (COP.mapsToStep, RDFS.subPropertyOf, SKOS.closeMatch) in ontology
    # the match is the project's reading, and both the property and the scheme say so
    assert "project" in str(ontology.value(COP.mapsToStep, RDFS.comment))
    assert "project's" in str(ontology.value(COP.DevelopmentSteps, RDFS.comment))


def test_a_sentence_the_document_leaves_unfinished_is_not_finished_here(ontology):
    definition = str(ontology.value(COP.AgreeWaysOfWorking, SKOS.definition))
    assert definition.endswith("between members of the community of purpose,")
    assert str(ontology.value(COP.AgreeWaysOfWorking, SKOS.prefLabel)) == (
        "Establish how to will work together"
    )


WENGER_ROLES = {
    COP.AgendaActivist,
    COP.CommunityKeeper,
    COP.CriticalFriend,
    COP.ValueDetective,
    COP.ExternalMessenger,
    COP.SocialReporter,
    COP.OrganizationalBroker,
}


def test_nine_roles_of_which_wengers_seven_have_questions(ontology):
    roles = _in_scheme(ontology, COP.CommunityRoles)
    assert roles == WENGER_ROLES | {COP.Member, COP.Facilitator}
    assert set(ontology.objects(COP.WengerRoles, SKOS.member)) == WENGER_ROLES
    assert ontology.value(COP.WengerRoles, DCTERMS.bibliographicCitation) is not None
    for role in WENGER_ROLES:
        assert len(_english(ontology, role, COP.guidingQuestion)) == 1, role
        (node,) = ontology.objects(role, COP.hasGuidingQuestion)
        assert ontology.value(node, ns.SDO.position) == Literal(1, datatype=ns.XSD.integer)
    assert _english(ontology, COP.AgendaActivist, SKOS.prefLabel) == ["Agenda activist"]
    assert _english(ontology, COP.AgendaActivist, SKOS.altLabel) == ["Agenda activists"]
    assert _english(ontology, COP.AgendaActivist, SKOS.definition) == [
        "driving the learning forward"
    ]
    assert _english(ontology, COP.Facilitator, SKOS.prefLabel) == ["Host or facilitator"]
    for role in (COP.Member, COP.Facilitator):
        assert not list(ontology.objects(role, COP.guidingQuestion)), role


@pytest.mark.parametrize(
    ("scheme", "cls", "count"),
    [
        (COP.FairerHealthForAllPrinciples, COP.Principle, 5),
        (COP.WheatleyPrinciples, COP.Principle, 10),
        (COP.CriticalSuccessFactors, COP.SuccessFactor, 7),
    ],
)
def test_principle_and_success_factor_schemes(ontology, scheme, cls, count):
    members = _in_scheme(ontology, scheme)
    assert len(members) == count
    assert all((p, RDF.type, cls) in ontology for p in members)
    notations = sorted(int(ontology.value(p, SKOS.notation)) for p in members)
    assert notations == list(range(1, count + 1))


def test_success_factors_belong_to_partnerships(ontology):
    for factor in _in_scheme(ontology, COP.CriticalSuccessFactors):
        assert (factor, RDF.type, COP.Principle) not in ontology, factor
    assert ontology.value(COP.successFactor, RDFS.domain) == COP.Partnership
    assert ontology.value(COP.successFactor, RDFS.range) == COP.SuccessFactor
    assert "partnership" in str(ontology.value(COP.CriticalSuccessFactors, RDFS.comment))


def test_principles_keep_the_framework_wording(ontology):
    assert _english(ontology, COP.EveryonesBusiness, SKOS.prefLabel) == ["Everyone's Business"]
    assert _english(ontology, COP.PeoplePower, SKOS.definition) == [
        "We will develop brave spaces that work with people and communities, building trust "
        "and collaboration."
    ]
    assert _english(ontology, COP.ConversationIsHowWeThink, SKOS.prefLabel) == [
        "Conversation is the way people have always thought"
    ]
    assert str(ontology.value(COP.GenerosityForgivenessLove, SKOS.notation)) == "10"


def test_nine_blueprint_chapters_five_and_four_enabling(ontology):
    chapters = _in_scheme(ontology, COP.BlueprintChapters)
    delivery = set(ontology.objects(COP.DeliveryChapters, SKOS.member))
    enabling = set(ontology.objects(COP.EnablingChapters, SKOS.member))
    assert len(chapters) == 9
    assert len(delivery) == 5 and len(enabling) == 4
    assert delivery | enabling == chapters
    assert COP.IntegratedWorkingInNeighbourhoods in delivery
    assert COP.Workforce in enabling


def test_five_aims_based_on_allan_2008_with_the_projects_short_labels(ontology):
    aims = _in_scheme(ontology, COP.Aims)
    assert len(aims) == 5
    for aim in aims:
        assert _english(ontology, aim, SKOS.definition), aim
        assert "project's" in " ".join(_english(ontology, aim, SKOS.editorialNote)), aim
    assert (COP.Aims, PROV.wasDerivedFrom, COP.Allan2008) in ontology
    citation = COP.Allan2008
    assert str(ontology.value(citation, DCTERMS.bibliographicCitation)) == (
        "Allan, B. (2008). Knowledge creation within a community of practice"
    )
    assert str(ontology.value(citation, DCTERMS.title)) == (
        "Knowledge creation within a community of practice"
    )
    assert ontology.value(citation, DCTERMS.issued) == Literal("2008", datatype=ns.XSD.gYear)
    assert (citation, RDF.type, DCTERMS.BibliographicResource) in ontology


def test_core20plus5_is_a_concept(ontology):
    concept = COP.Core20Plus5
    assert (concept, RDF.type, SKOS.Concept) in ontology
    assert _english(ontology, concept, SKOS.prefLabel) == ["CORE20PLUS5"]
    assert "test and learn sites" in str(ontology.value(concept, SKOS.scopeNote))


def test_the_getting_started_offer_has_its_three_items(ontology):
    offer = COP.GettingStartedOffer
    assert (offer, RDF.type, ns.SDO.Offer) in ontology
    assert ontology.value(offer, ns.SDO.offeredBy) == ns.ID["organisation/collaborate-out-loud-cic"]
    items = sorted(
        ontology.objects(offer, ns.SDO.itemOffered),
        key=lambda item: int(ontology.value(item, ns.SDO.position)),
    )
    assert items == [COP.FacilitatedWorkshops, COP.EasyToUseToolkit, COP.OngoingCoachingSupport]


def test_openness_statuses_and_resource_types(ontology):
    assert _in_scheme(ontology, COP.OpennessLevels) == {COP.Open, COP.Contained}
    statuses = _in_scheme(ontology, COP.StepStatuses)
    by_notation = sorted(statuses, key=lambda s: int(ontology.value(s, SKOS.notation)))
    assert by_notation == [COP.NotStarted, COP.InProgress, COP.Established]
    types = _in_scheme(ontology, COP.ResourceTypes)
    by_notation = sorted(types, key=lambda s: int(ontology.value(s, SKOS.notation)))
    # the document's six, in its order, then the project's one
    assert by_notation == [
        COP.SharedResource, COP.Tool, COP.Method, COP.Story, COP.Experience, COP.Insight,
        COP.Document,
    ]  # fmt: skip


def test_six_useful_resources_in_the_documents_order(ontology):
    listed = list(ontology.items(ontology.value(COP.UsefulResources, SKOS.memberList)))
    assert set(listed) == set(ontology.objects(COP.UsefulResources, SKOS.member))
    assert len(listed) == 6
    for position, resource in enumerate(listed, 1):
        assert ontology.value(resource, ns.SDO.position) == Literal(
            position, datatype=ns.XSD.integer
        )
        for predicate in (RDFS.label, DCTERMS.title, DCTERMS.description):
            assert ontology.value(resource, predicate) is not None, (resource, predicate)
        assert ontology.value(resource, COP.resourceType) == COP.Document
        assert ontology.value(resource, ns.SDO.url) is None, "no invented web addresses"
    creator = ontology.value(COP.IntroductionToCommunitiesOfPractice, DCTERMS.creator)
    assert str(creator) == "Etienne Wenger"
    # the document names only the journal the article appeared in, not its authors
    assert ontology.value(COP.OrganizationalFrontier, DCTERMS.creator) is None
