"""Plain words for the links between things, as a coordinator would say them.

The ontology's labels ("operates in", "within place") read well going forwards; pages also
need the way back ("Communities working here", "Places within"). Properties not listed here
fall back to their label from the ontology, so a new property still shows sensibly.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from cop_graph.namespaces import (
    BIBO,
    COP,
    DCTERMS,
    FOAF,
    GEO,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
)

__all__ = ["HIDDEN", "backward", "forward", "order_of"]

#: where a camel-case name breaks into words ("linkedTo", "ODSCode")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
#: property: (heading for its values, heading on the page of the thing it points to)
_WORDS: dict[URIRef, tuple[str, str]] = {
    RDF.type: ("Kind of thing", "Things of this kind"),
    COP.hasDomain: ("Domain", "Communities in this domain"),
    COP.purpose: ("Purpose", ""),
    COP.openness: ("Openness", "Communities with this openness"),
    COP.operatesIn: ("Operates in", "Communities working here"),
    COP.sharesPractice: ("Practices", "Practised by"),
    COP.adoptsPrinciple: ("Principles adopted", "Adopted by"),
    COP.alignsWithChapter: (
        "Primary Care Blueprint chapters",
        "Communities working on this chapter",
    ),
    COP.pursuesAim: ("Aims", "Pursued by"),
    COP.meetsIn: ("Meets in", "Communities meeting here"),
    COP.hasNorm: ("Ground rules", ""),
    COP.withinPlace: ("Part of", "Places within"),
    COP.comprises: ("Made up of", "Part of neighbourhood"),
    COP.basedIn: ("Based in", "Based here"),
    COP.servesPlace: ("Serves", "Served by"),
    COP.partner: ("Partners", "Partner in"),
    COP.partOfProgramme: ("Programme", "Partnerships in this programme"),
    COP.gssCode: ("ONS area code", ""),
    COP.odsCode: ("NHS organisation code", ""),
    COP.lsoaCount: ("Small areas (LSOAs)", ""),
    COP.core20LsoaCount: ("Small areas among England's most deprived 20%", ""),
    COP.core20Share: ("Share of small areas among England's most deprived 20% (CORE20)", ""),
    COP.imdMeanLsoaScore: ("Mean deprivation score of its small areas (IMD 2025, unweighted)", ""),
    COP.imdWeightedAverageScore: (
        "Average deprivation score, population-weighted (IMD 2025, as published)",
        "",
    ),
    COP.imdAverageScore: ("Average deprivation score (IMD 2025; older measure)", ""),
    COP.imdRankOfAverageScore: ("Deprivation rank among England's council areas (1 = most)", ""),
    COP.stepNumber: ("Step number", ""),
    COP.guidingQuestion: ("Guiding questions", ""),
    COP.hasGuidingQuestion: ("Guiding questions, in order", "Question of"),
    COP.successFactor: ("Critical success factors", "Partnerships working on it"),
    COP.mapsToStep: ("Matches framework step", "Matching key steps"),
    COP.assessedCommunity: ("Community", "Self-assessments"),
    COP.assessedStep: ("Framework step", "Self-assessments of this step"),
    COP.stepStatus: ("Status", "Self-assessments with this status"),
    COP.outcomeOf: ("Outcome of", "Outcomes"),
    COP.measuredBy: ("Measured by", "Measures outcomes"),
    COP.indicator: ("Indicator", "Observations"),
    COP.value: ("Value", ""),
    COP.observedFor: ("Observed for", "Observations"),
    COP.unit: ("Unit", ""),
    COP.higherIsBetter: ("Higher is better", ""),
    COP.producedBy: ("Produced by", "Resources produced"),
    COP.aboutPractice: ("About the practice", "Resources about this practice"),
    COP.heldBy: ("Kept by", "Resources kept"),
    COP.resourceType: ("Type of resource", "Resources of this type"),
    COP.eventOf: ("Event of", "Events"),
    COP.virtual: ("Online", ""),
    COP.publicProfile: ("Name shown publicly", ""),
    COP.illustrative: ("Illustrative (invented) data", ""),
    ORG.memberOf: ("Member of", "Members"),
    ORG.linkedTo: ("Linked with", "Organisations linked with it"),
    ORG.hasMember: ("Members", "Member of"),
    ORG.subOrganizationOf: ("Part of the organisation", "Parts of the organisation"),
    ORG.organization: ("Community or organisation", "Members"),
    ORG.member: ("Member", "Memberships"),
    ORG.role: ("Role", "Filled by"),
    FOAF.homepage: ("Website", ""),
    FOAF.name: ("Name", ""),
    SDO.url: ("Web address", ""),
    SDO.foundingDate: ("Started", ""),
    SDO.startDate: ("Starts", ""),
    SDO.endDate: ("Ends", ""),
    SDO.location: ("Where", "Events here"),
    SDO.postalCode: ("Postcode", ""),
    DCTERMS.date: ("Date", ""),
    DCTERMS.creator: ("Created by", ""),
    DCTERMS.source: ("Source", "Taken from it"),
    BIBO.locator: ("Where in the source", ""),
    PROV.wasAttributedTo: ("Made by", "What it made"),
    SDO.position: ("Place in the list", ""),
    SDO.itemOffered: ("Includes", "Part of"),
    SDO.offeredBy: ("Offered by", "Offers"),
    SKOS.altLabel: ("Also written", ""),
    SKOS.editorialNote: ("Editor's note", ""),
    DCTERMS.license: ("Licence", ""),
    SKOS.definition: ("Definition", ""),
    SKOS.scopeNote: ("Note", ""),
    SKOS.notation: ("Number", ""),
    SKOS.inScheme: ("In the set", "In this set"),
    SKOS.topConceptOf: ("Heads the set", "Top of the set"),
    SKOS.hasTopConcept: ("Contains", "In the set"),
    SKOS.member: ("Contains", "In the collection"),
    SKOS.broader: ("Broader", "Narrower"),
    SKOS.closeMatch: ("Close match", "Close match"),
    OWL.sameAs: ("Same as", "Same as"),
    RDFS.seeAlso: ("See also", "Mentioned by"),
    RDFS.subClassOf: ("A kind of", "Kinds"),
    RDFS.isDefinedBy: ("Defined by", "Defines"),
    PROV.wasDerivedFrom: ("Derived from", "Made from it"),
}

#: properties never listed as facts: shown elsewhere on the page, or of no use to a reader
HIDDEN = frozenset(
    {
        RDFS.label,
        SKOS.prefLabel,
        DCTERMS.title,
        DCTERMS.description,
        RDFS.comment,
        GEO.hasCentroid,
        COP.illustrative,
        # an RDF list of things already listed one by one (skos:member)
        SKOS.memberList,
    }
)

#: properties whose values come first on a page, in this order
_FIRST = [
    RDF.type,
    COP.hasDomain,
    COP.purpose,
    COP.operatesIn,
    COP.sharesPractice,
    COP.adoptsPrinciple,
    COP.alignsWithChapter,
    COP.withinPlace,
    COP.basedIn,
    COP.servesPlace,
    ORG.memberOf,
]


def forward(prop: URIRef, label: str | None = None) -> str:
    """The heading for the values of ``prop`` on the page of the thing that has them.

    >>> forward(COP.operatesIn)
    'Operates in'
    >>> forward(URIRef("http://example.org/likes"), "likes")
    'Likes'
    >>> forward(URIRef("http://example.org/hasAltLabel"))
    'Has alt label'
    """
    if prop in _WORDS:
        return _WORDS[prop][0]
    return _capitalised(label or _words(_local_name(prop)))


def backward(prop: URIRef, label: str | None = None) -> str:
    """The heading on the page of the thing ``prop`` points to, for the things pointing at it.

    >>> backward(COP.operatesIn)
    'Communities working here'
    >>> backward(URIRef("http://example.org/likes"), "likes")
    'Linked here as “likes”'
    """
    words = _WORDS.get(prop, ("", ""))[1]
    return words or f"Linked here as “{label or _words(_local_name(prop))}”"


def order_of(prop: URIRef) -> tuple[int, str]:
    """Sort key putting the most telling properties first, the rest by heading."""
    if prop in _FIRST:
        return (_FIRST.index(prop), "")
    return (len(_FIRST), forward(prop).lower())


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _words(name: str) -> str:
    """A property's local name as words, for a property with no label: a page never shows
    "linkedTo" or "AltLabel".

    >>> _words("linkedTo"), _words("AltLabel"), _words("ODSCode")
    ('linked to', 'alt label', 'ODS code')
    """
    spaced = _CAMEL.sub(" ", name.replace("_", " ").replace("-", " "))
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in spaced.split())


def _local_name(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text
