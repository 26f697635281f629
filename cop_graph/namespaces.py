"""The project's vocabulary as Python names.

``COP`` is a closed namespace: a misspelt term (``COP.sharePractice``) fails at import
time instead of silently minting a new IRI. The term list here and ``ontology/*.ttl`` must
agree exactly; ``tests/test_ontology.py`` checks both directions. Standard vocabularies are
imported from ``rdflib.namespace``, never redeclared.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    GEO,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
)

__all__ = [
    "BASE",
    "BIBO",
    "COP",
    "DCAT",
    "DCTERMS",
    "FOAF",
    "GEO",
    "GRAPH",
    "ID",
    "ONS",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SH",
    "SKOS",
    "TIME",
    "WD",
    "XSD",
]

BASE = "https://w3id.org/cop-graph/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "id/graph/")
ONS = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")
WD = Namespace("http://www.wikidata.org/entity/")
#: the Bibliographic Ontology (not in rdflib.namespace): bibo:locator says where in the
#: framework document a term comes from
BIBO = Namespace("http://purl.org/ontology/bibo/")

#: the framework's steps and roles whose questions are terms of their own, and how many each
#: has: cop:<Step>Question<n> for a step's n-th question, cop:<Role>Question for a role's one
_STEP_QUESTIONS = (
    ("IdentifyPurposeAndScope", 3),
    ("FindAndInviteMembers", 7),
    ("CreateTheSpace", 2),
    ("EstablishNorms", 4),
    ("NurtureBelonging", 3),
    ("FacilitateLearning", 9),
    ("MonitorAndEvaluate", 4),
)
_ROLES_WITH_A_QUESTION = (
    "AgendaActivist",
    "CommunityKeeper",
    "CriticalFriend",
    "ValueDetective",
    "ExternalMessenger",
    "SocialReporter",
    "OrganizationalBroker",
)


class COP(DefinedNamespace):
    """Terms of the Communities of Purpose ontology (``ontology/cop.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # --- classes: communities and what they share
    CommunityOfPurpose: URIRef
    Domain: URIRef
    Practice: URIRef
    Resource: URIRef
    ResourceType: URIRef
    Principle: URIRef
    SuccessFactor: URIRef
    CommunityRole: URIRef
    EssentialElement: URIRef
    FrameworkStep: URIRef
    GuidingQuestion: URIRef
    DevelopmentStep: URIRef
    StepAssessment: URIRef
    StepStatus: URIRef
    Openness: URIRef
    BlueprintChapter: URIRef
    Aim: URIRef
    Outcome: URIRef
    Indicator: URIRef
    Observation: URIRef
    Space: URIRef
    Event: URIRef
    Partnership: URIRef
    Programme: URIRef
    # --- classes: places
    Place: URIRef
    Region: URIRef
    Locality: URIRef
    Ward: URIRef
    Neighbourhood: URIRef
    # --- classes: organisations
    PrimaryCareNetwork: URIRef
    VCSEOrganisation: URIRef
    LocalAuthority: URIRef
    CombinedAuthority: URIRef
    NHSBody: URIRef
    GPPractice: URIRef

    # --- properties of a community
    hasDomain: URIRef
    sharesPractice: URIRef
    adoptsPrinciple: URIRef
    alignsWithChapter: URIRef
    pursuesAim: URIRef
    operatesIn: URIRef
    meetsIn: URIRef
    purpose: URIRef
    openness: URIRef
    hasNorm: URIRef
    # --- places and organisations
    withinPlace: URIRef
    comprises: URIRef
    gssCode: URIRef
    odsCode: URIRef
    basedIn: URIRef
    servesPlace: URIRef
    partner: URIRef
    partOfProgramme: URIRef
    # --- deprivation (English Indices of Deprivation 2025)
    lsoaCount: URIRef
    core20LsoaCount: URIRef
    core20Share: URIRef
    imdAverageScore: URIRef  # deprecated: two measures, see the two below
    imdWeightedAverageScore: URIRef
    imdMeanLsoaScore: URIRef
    imdRankOfAverageScore: URIRef
    # --- framework
    stepNumber: URIRef
    guidingQuestion: URIRef
    hasGuidingQuestion: URIRef
    mapsToStep: URIRef
    successFactor: URIRef
    # --- assessments
    assessedCommunity: URIRef
    assessedStep: URIRef
    stepStatus: URIRef
    # --- outcomes and measures
    outcomeOf: URIRef
    measuredBy: URIRef
    indicator: URIRef
    value: URIRef
    observedFor: URIRef
    unit: URIRef
    higherIsBetter: URIRef
    # --- resources, events, spaces
    producedBy: URIRef
    aboutPractice: URIRef
    heldBy: URIRef
    resourceType: URIRef
    eventOf: URIRef
    virtual: URIRef
    # --- people and privacy
    publicProfile: URIRef
    # --- provenance of named graphs
    illustrative: URIRef
    graphKind: URIRef
    tripleCount: URIRef
    checksum: URIRef
    # --- where reference datasets come from
    retrieved: URIRef
    unrecorded: URIRef

    # --- individuals: openness and step status
    Open: URIRef
    Contained: URIRef
    NotStarted: URIRef
    InProgress: URIRef
    Established: URIRef
    # --- individuals: concept schemes and collections
    EssentialElements: URIRef
    FrameworkSteps: URIRef
    DevelopmentSteps: URIRef
    CommunityRoles: URIRef
    WengerRoles: URIRef
    FairerHealthForAllPrinciples: URIRef
    WheatleyPrinciples: URIRef
    CriticalSuccessFactors: URIRef
    BlueprintChapters: URIRef
    DeliveryChapters: URIRef
    EnablingChapters: URIRef
    Aims: URIRef
    OpennessLevels: URIRef
    StepStatuses: URIRef
    ResourceTypes: URIRef
    UsefulResources: URIRef
    # --- individuals: the framework document, and the project for what it added itself
    FrameworkDocument: URIRef
    CopGraphProject: URIRef
    # --- individuals: things the framework document names
    Allan2008: URIRef
    Core20Plus5: URIRef
    GettingStartedOffer: URIRef
    FacilitatedWorkshops: URIRef
    EasyToUseToolkit: URIRef
    OngoingCoachingSupport: URIRef
    # --- individuals: the three essential elements
    DomainElement: URIRef
    CommunityElement: URIRef
    PracticeAndPurposeElement: URIRef
    # --- individuals: the seven framework steps
    IdentifyPurposeAndScope: URIRef
    FindAndInviteMembers: URIRef
    CreateTheSpace: URIRef
    EstablishNorms: URIRef
    NurtureBelonging: URIRef
    FacilitateLearning: URIRef
    MonitorAndEvaluate: URIRef
    # --- individuals: the seven key steps of developing a community
    DefineTheDomain: URIRef
    EngagePotentialMembers: URIRef
    CreateSharedSpace: URIRef
    AgreeWaysOfWorking: URIRef
    FacilitateInteractions: URIRef
    FosterLearning: URIRef
    EvaluateAndAdapt: URIRef
    # --- individuals: Wenger's seven roles, plus member and host
    AgendaActivist: URIRef
    CommunityKeeper: URIRef
    CriticalFriend: URIRef
    ValueDetective: URIRef
    ExternalMessenger: URIRef
    SocialReporter: URIRef
    OrganizationalBroker: URIRef
    Member: URIRef
    Facilitator: URIRef
    # --- individuals: Fairer Health for All principles
    PeoplePower: URIRef
    ProportionateUniversalism: URIRef
    EveryonesBusiness: URIRef
    Representation: URIRef
    HealthCreating: URIRef
    # --- individuals: Wheatley's ten principles of healthy communities
    PeopleSupportWhatTheyCreate: URIRef
    PeopleActResponsiblyWhenTheyCare: URIRef
    ConversationIsHowWeThink: URIRef
    ChangeWhoIsInTheConversation: URIRef
    LeadersFromAnywhere: URIRef
    FocusOnWhatIsWorking: URIRef
    WisdomResidesWithinUs: URIRef
    FailureInTheMiddle: URIRef
    TogetherWeCanHandleAnything: URIRef
    GenerosityForgivenessLove: URIRef
    # --- individuals: PCN-VCSE critical success factors
    Consensus: URIRef
    Equality: URIRef
    Leadership: URIRef
    Agreement: URIRef
    StructuredTeamBuilding: URIRef
    Flexibility: URIRef
    Appraisal: URIRef
    # --- individuals: Primary Care Blueprint chapters
    DemandAccessAndCapacity: URIRef
    HealthInequalities: URIRef
    Prevention: URIRef
    Sustainability: URIRef
    IntegratedWorkingInNeighbourhoods: URIRef
    Digital: URIRef
    Estates: URIRef
    QualityImprovementAndInnovation: URIRef
    Workforce: URIRef
    # --- individuals: the five aims
    SharedLearningOnWorkforceModels: URIRef
    CoreNeighbourhoodFunctions: URIRef
    SystemRoleInCommissioning: URIRef
    EvaluatingFunctions: URIRef
    CareInterfaceModels: URIRef
    # --- individuals: resource types
    SharedResource: URIRef
    Tool: URIRef
    Method: URIRef
    Story: URIRef
    Experience: URIRef
    Insight: URIRef
    Document: URIRef
    # --- individuals: the useful resources the framework recommends
    ConditionsForCommunities: URIRef
    SupportingPioneeringLeaders: URIRef
    IntroductionToCommunitiesOfPractice: URIRef
    OrganizationalFrontier: URIRef
    HealthEducationEnglandCoP: URIRef
    NationalVoicesCoP: URIRef

    # --- individuals: the guiding questions, named by rule from their step or role
    _extras = [
        *(f"{step}Question{n}" for step, count in _STEP_QUESTIONS for n in range(1, count + 1)),
        *(f"{role}Question" for role in _ROLES_WITH_A_QUESTION),
    ]


#: Prefixes predeclared for every query the CLI and endpoint run, and used by serialisers.
PREFIXES: dict[str, str] = {
    "cop": str(COP._NS),
    "id": str(ID),
    "bibo": str(BIBO),
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "geo": str(GEO),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SDO),
    "sh": str(SH),
    "skos": str(SKOS),
    "time": str(TIME),
    "xsd": str(XSD),
    "ons": str(ONS),
    "wd": str(WD),
}


def sparql_prologue() -> str:
    """The ``PREFIX`` lines for :data:`PREFIXES`, to put before a user's query."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
