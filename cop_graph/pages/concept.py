"""Pages of the framework's concepts: principles, roles, steps and Blueprint chapters.

Each shows its definition and guiding questions from the framework document, and who adopts
or fills it: the communities that adopted a principle, filled a role, or assessed a step.
"""

from __future__ import annotations

from rdflib import URIRef

from cop_graph.namespaces import COP
from cop_graph.pages.community import count_phrase
from cop_graph.pages.display import thing, value
from cop_graph.pages.public import PublicData
from cop_graph.pages.sections import take_facts, take_linked

__all__ = ["add_concept_sections"]


def add_concept_sections(data: PublicData, iri: URIRef, page: dict) -> dict:
    """Add guiding questions and who adopts, fills or works on the concept."""
    page["template"] = "concept"
    page["questions"] = take_facts(page, COP.guidingQuestion)
    types = set(page["types"])
    page["adopted_by"] = take_linked(page, COP.adoptsPrinciple)["values"]
    page["chapter_of"] = take_linked(page, COP.alignsWithChapter)["values"]
    page["role_in"] = []
    page["step_status"] = []
    if str(COP.CommunityRole) in types:
        page["role_in"] = [
            {
                **thing(row["community"], row.get("communityLabel")),
                "phrase": count_phrase(int(row["members"]), page["label"]),
            }
            for row in data.rows("page_role_communities", role=iri)
        ]
    if str(COP.FrameworkStep) in types:
        take_linked(page, COP.assessedStep)
        page["step_status"] = [
            {
                **thing(row["community"], row.get("communityLabel")),
                "status": thing(row["status"], row.get("statusLabel")),
                "date": value(row["date"])["text"],
            }
            for row in data.rows("page_step_communities", step=iri)
        ]
    return page
