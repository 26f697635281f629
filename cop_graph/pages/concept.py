"""Pages of the framework's concepts: principles, success factors, roles, steps, chapters…

Each shows its definition and guiding questions in the framework document's order, whose
words they are (the document's, with the part of it they come from, or the project's), and
who adopts or fills it: the communities that adopted a principle, filled a role, or assessed a
step, and the partnerships that work on a success factor.
"""

from __future__ import annotations

from rdflib import URIRef

from cop_graph.namespaces import BIBO, COP, DCTERMS, PROV
from cop_graph.pages.community import count_phrase
from cop_graph.pages.display import thing, value
from cop_graph.pages.public import PublicData
from cop_graph.pages.sections import take_facts, take_linked

__all__ = ["add_concept_sections", "provenance"]


def add_concept_sections(data: PublicData, iri: URIRef, page: dict) -> dict:
    """Add guiding questions, whose words these are, and who adopts, fills or works on it."""
    page["template"] = "concept"
    # the questions as things in order; their unordered plain-text copies would repeat them
    take_facts(page, COP.guidingQuestion)
    take_facts(page, COP.hasGuidingQuestion)
    page["questions"] = [
        {**thing(row["question"], row["text"]), "text": str(row["text"]),
         "position": int(row["position"])}
        for row in data.rows("page_concept_questions", concept=iri)
    ]  # fmt: skip
    page["provenance"] = provenance(page)
    types = set(page["types"])
    page["adopted_by"] = take_linked(page, COP.adoptsPrinciple)["values"]
    page["chapter_of"] = take_linked(page, COP.alignsWithChapter)["values"]
    page["partnerships"] = take_linked(page, COP.successFactor)["values"]
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


def provenance(page: dict) -> dict:
    """Whose words a page's thing is, read from its facts (which stay on the page).

    ``source`` is "document" (taken from the framework document, ``locator`` saying where),
    "project" (made up by the cop-graph project) or "" when the graph does not say.

    >>> provenance({"facts": [
    ...     {"property": str(DCTERMS.source), "values": [{"iri": str(COP.FrameworkDocument)}]},
    ...     {"property": str(BIBO.locator), "values": [{"text": "Getting Started, p. 13"}]}]})
    {'source': 'document', 'locator': 'Getting Started, p. 13'}
    """
    said = {fact["property"]: fact["values"] for fact in page.get("facts", [])}
    sources = {v.get("iri") for v in said.get(str(DCTERMS.source), [])}
    makers = {v.get("iri") for v in said.get(str(PROV.wasAttributedTo), [])}
    locator = next((v.get("text", "") for v in said.get(str(BIBO.locator), [])), "")
    if str(COP.FrameworkDocument) in sources:
        return {"source": "document", "locator": locator}
    if str(COP.CopGraphProject) in makers:
        return {"source": "project", "locator": locator}
    return {"source": "", "locator": ""}
