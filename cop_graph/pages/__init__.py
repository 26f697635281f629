"""Page data for the web browser: plain dicts built from named queries over public graphs.

Every HTML page and its JSON twin under ``/api/`` are rendered from the same dict, built
here. Builders read the store only through :class:`~cop_graph.pages.public.PublicData`, so
private graphs never reach a page.
"""

from __future__ import annotations

from rdflib import URIRef

from cop_graph.namespaces import COP, SKOS
from cop_graph.pages.care_area import CARE_KINDS, add_care_area_sections
from cop_graph.pages.community import add_community_sections
from cop_graph.pages.concept import add_concept_sections
from cop_graph.pages.entity import entity_page, memberships
from cop_graph.pages.place import add_place_sections
from cop_graph.pages.practice import add_practice_sections
from cop_graph.pages.public import PublicData

__all__ = ["PublicData", "page_for"]

_PLACES = {str(c) for c in (COP.Place, COP.Region, COP.Locality, COP.Ward, COP.Neighbourhood)}
_CONCEPTS = {
    str(c)
    for c in (
        COP.Principle,
        COP.CommunityRole,
        COP.FrameworkStep,
        COP.DevelopmentStep,
        COP.BlueprintChapter,
        COP.EssentialElement,
        COP.Aim,
        SKOS.Concept,
    )
}


def page_for(data: PublicData, iri: URIRef) -> dict | None:
    """The page data of ``iri`` with the sections its kind of thing has, or None if unknown."""
    page = entity_page(data, iri)
    if page is None:
        return None
    types = set(page["types"])
    if str(COP.CommunityOfPurpose) in types:
        return add_community_sections(data, iri, page)
    if types & _PLACES:
        return add_place_sections(data, iri, page)
    if types & set(CARE_KINDS):
        return add_care_area_sections(data, iri, page)
    if str(COP.Practice) in types:
        return add_practice_sections(data, iri, page)
    if types & _CONCEPTS:
        return add_concept_sections(data, iri, page)
    page["template"] = "thing"
    page["memberships"] = [] if page["anonymous"] else memberships(data, iri)
    if page["anonymous"]:
        page["memberships"] = _roles_only(memberships(data, iri))
    return page


def _roles_only(items: list[dict]) -> list[dict]:
    """Memberships of a person who is not named: the community and role only."""
    return [{**item, "member": None} for item in items]
