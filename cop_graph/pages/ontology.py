"""The ontology page: the kinds of thing, the links between them, and the framework's lists.

Everything here is read from the ontology graph itself (labels, definitions, domains and
ranges, concept schemes), so the page never disagrees with ``ontology/*.ttl``.
"""

from __future__ import annotations

from cop_graph.pages.display import thing
from cop_graph.pages.public import PublicData

__all__ = ["ontology_page"]

_OWL = "http://www.w3.org/2002/07/owl#"
_SECTIONS = {
    _OWL + "Class": "classes",
    _OWL + "ObjectProperty": "links",
    _OWL + "DatatypeProperty": "values",
    _OWL + "AnnotationProperty": "values",
}


def ontology_page(data: PublicData) -> dict:
    """Classes, properties and concept schemes, each sorted by name."""
    terms: dict[str, dict] = {}
    for row in data.rows("page_ontology_terms"):
        term = terms.setdefault(
            str(row["term"]),
            {
                **thing(row["term"], row.get("label")),
                "section": _SECTIONS[str(row["kind"])],
                "definition": str(row.get("definition", "")),
                "parents": {},
                "domains": {},
                "ranges": {},
            },
        )
        for key, value, label in (
            ("parents", "parent", "parentLabel"),
            ("domains", "domain", "domainLabel"),
            ("ranges", "range", "rangeLabel"),
        ):
            if value in row:
                term[key][str(row[value])] = thing(row[value], row.get(label))
    page = {"classes": [], "links": [], "values": [], "schemes": _schemes(data)}
    for term in sorted(terms.values(), key=lambda t: t["label"].lower()):
        for key in ("parents", "domains", "ranges"):
            term[key] = sorted(term[key].values(), key=lambda t: t["label"].lower())
        page[term.pop("section")].append(term)
    return page


def _schemes(data: PublicData) -> list[dict]:
    schemes: dict[str, dict] = {}
    for row in data.rows("page_ontology_schemes"):
        scheme = schemes.setdefault(
            str(row["scheme"]),
            {
                **thing(row["scheme"], row.get("schemeLabel")),
                "definition": str(row.get("schemeDefinition", "")),
                "source": _whose(row.get("schemeFromDocument"), row.get("schemeByProject")),
                "locator": str(row.get("schemeLocator", "")),
                "concepts": {},
            },
        )
        if "concept" in row:
            scheme["concepts"][str(row["concept"])] = {
                **thing(row["concept"], row.get("conceptLabel")),
                "definition": str(row.get("definition", "")),
                "notation": str(row.get("notation", "")),
                "by_project": _true(row.get("conceptByProject")),
            }
    result = []
    for scheme in sorted(schemes.values(), key=lambda s: s["label"].lower()):
        scheme["concepts"] = sorted(scheme["concepts"].values(), key=_concept_order)
        result.append(scheme)
    return result


def _true(term) -> bool:
    return term is not None and bool(term.toPython())


def _whose(from_document, by_project) -> str:
    """Whose a scheme is: "document", "project", or "" when the graph does not say."""
    if _true(from_document):
        return "document"
    return "project" if _true(by_project) else ""


def _concept_order(concept: dict) -> tuple:
    notation = concept["notation"]
    return (0, int(notation), "") if notation.isdigit() else (1, 0, concept["label"].lower())
