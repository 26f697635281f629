"""The fixed lists a workbook chooses from: roles, steps, statuses, principles, chapters…

They are read from the ontology graph (``ontology/*.ttl``, the same triples the store's
ontology graph holds), never typed out here, so a renamed role or a new principle reaches
the template's drop-down lists and the importer at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Literal, URIRef

from cop_graph.files.ontology import ontology_graph
from cop_graph.namespaces import COP, ORG, RDF, RDFS, SKOS

__all__ = ["LISTS", "Choice", "choices", "find_choice"]


@dataclass(frozen=True)
class Choice:
    """One entry of a list: the term, its name, and other ways of writing it."""

    iri: URIRef
    label: str
    #: also accepted, compared without regard to case: a step's number, the term's local name,
    #: the framework document's own words for it (its alternative label)
    aliases: tuple[str, ...] = ()


#: list name → (what one entry is called in messages, the concept scheme or class listed)
LISTS: dict[str, tuple[str, URIRef]] = {
    "role": ("role", COP.CommunityRoles),
    "step": ("framework step", COP.FrameworkStep),
    "status": ("status", COP.StepStatuses),
    "principle": ("principle", COP.Principle),
    "success factor": ("critical success factor", COP.CriticalSuccessFactors),
    "chapter": ("Blueprint chapter", COP.BlueprintChapter),
    "openness": ("openness", COP.OpennessLevels),
    "aim": ("aim", COP.Aims),
    "resource type": ("type of resource", COP.ResourceTypes),
    "place type": ("type of place", COP.Place),
    "organisation type": ("type of organisation", ORG.Organization),
}

#: classes the Type columns do not offer: regions and communities have sheets of their own
_NOT_OFFERED = {COP.Place, COP.Region, COP.CommunityOfPurpose}


def _name(term: URIRef) -> str:
    graph = ontology_graph()
    names = [*graph.objects(term, SKOS.prefLabel), *graph.objects(term, RDFS.label)]
    english = [n for n in names if isinstance(n, Literal) and n.language in (None, "en")]
    text = str(english[0]) if english else term.split("#")[-1].split("/")[-1]
    return text[:1].upper() + text[1:]


def _order(term: URIRef) -> tuple:
    graph = ontology_graph()
    number = graph.value(term, COP.stepNumber) or graph.value(term, SKOS.notation)
    scheme = str(graph.value(term, SKOS.inScheme) or "")
    return (
        scheme,
        int(number) if number is not None and str(number).isdigit() else 99,
        _name(term),
    )


def _local_name(term: URIRef) -> str:
    return term.split("#")[-1]


@cache
def choices(list_name: str) -> tuple[Choice, ...]:
    """The entries of the list ``list_name`` (a key of :data:`LISTS`), in the framework's order.

    >>> [c.label for c in choices("status")]
    ['Not started', 'In progress', 'Established']
    """
    graph = ontology_graph()
    _, source = LISTS[list_name]
    if list_name in ("place type", "organisation type"):
        terms = [
            cls
            for cls in graph.transitive_subjects(RDFS.subClassOf, source)
            if cls not in _NOT_OFFERED and cls != source
        ]
        entries = [Choice(cls, _name(cls), (_local_name(cls),)) for cls in terms]
        if list_name == "organisation type":
            entries.append(Choice(ORG.Organization, "Other organisation"))
        return tuple(sorted(entries, key=lambda c: c.label))
    if (source, RDF.type, SKOS.ConceptScheme) in graph:
        terms = set(graph.subjects(SKOS.inScheme, source))
    else:
        terms = set(graph.subjects(RDF.type, source))
    entries = []
    for term in sorted(terms, key=_order):
        # the framework document's own words for it too ("Agenda activists", "tools")
        aliases = [_local_name(term), *(str(a) for a in graph.objects(term, SKOS.altLabel))]
        if list_name == "step":
            aliases.append(str(graph.value(term, COP.stepNumber)))
        entries.append(Choice(term, _name(term), tuple(aliases)))
    return tuple(entries)


def find_choice(list_name: str, text: str) -> Choice | None:
    """The entry of ``list_name`` that ``text`` names (its name, number or local name).

    >>> find_choice("step", "3").label
    'Creating the space'
    >>> find_choice("role", "SOCIAL REPORTER").iri.endswith("SocialReporter")
    True
    >>> find_choice("role", "Social reporters").label
    'Social reporter'
    """
    return _index(list_name).get(" ".join(text.split()).casefold())


@cache
def _index(list_name: str) -> dict[str, Choice]:
    """Every accepted spelling (any case) of the entries of ``list_name``."""
    index = {}
    for choice in reversed(choices(list_name)):
        for text in (*choice.aliases, choice.label):
            index[text.casefold()] = choice
    return index
