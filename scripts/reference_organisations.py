"""Organisations for the reference data: councils and GM bodies, the NHS map, the seed's names.

Three outputs, because they come from three kinds of source with different lifetimes: the
councils and GM-wide bodies change rarely; the PCN and GP practice list is a monthly NHS
extract; the framework document's organisations are hand-curated from one document.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from reference_rdf import (
    GM,
    Minted,
    Sources,
    add_labelled,
    derived_from,
    locality_iri,
    new_graph,
)

from cop_graph.ids import KINDS, mint, slugify
from cop_graph.namespaces import COP, DCTERMS, ID, ORG, OWL, SDO, SKOS, WD

__all__ = [
    "build_framework_organisations",
    "build_nhs",
    "build_organisations",
    "readable_name",
]

LOCALITIES = "gm/gm_local_authorities.csv"
BODIES = "gm/gm_bodies.csv"
PRACTICES = "gm/nhs/gm_gp_practices_pcn_2026-08.csv"
PCNS = "gm/nhs/gm_pcns_2026-08.csv"
SEED = "seed_organisations.csv"
#: the PCN code the NHS file gives a practice that belongs to no PCN
UNALLOCATED = "U"
#: classes for GM-wide bodies by the ``type`` column of gm_bodies.csv
BODY_CLASSES = {
    "combined authority": COP.CombinedAuthority,
    "integrated care board": COP.NHSBody,
    "passenger transport executive": ORG.Organization,
    "local resilience forum": ORG.Organization,
}

#: names in PCN titles that are acronyms, not words, so stay in capitals
PCN_ACRONYMS = frozenset({"TABA", "LIGA", "SWAN"})
#: abbreviations of ordinary words, written the usual way
ABBREVIATIONS = {
    "CTR": "Ctr",
    "CTRS": "Ctrs",
    "DR": "Dr",
    "DRS": "Drs",
    "GPS": "GPs",
    "LTD": "Ltd",
    "PTNRS": "Ptnrs",
    "RD": "Rd",
    "ST": "St",
}
SMALL_WORDS = frozenset({"and", "at", "by", "for", "in", "of", "on", "the", "to", "upon", "with"})
WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def readable_name(name: str, acronyms: frozenset[str] = frozenset()) -> str:
    """An NHS name in capitals, written as people write it.

    Words without vowels (PCN, HWL, MCR, initials such as KK) are abbreviations and stay
    in capitals, as do the given ``acronyms``; short joining words are lower case.

    >>> readable_name("H-BLACKLEY HARPURHEY & CHARLESTOWN PCN")
    'H-Blackley Harpurhey & Charlestown PCN'
    >>> readable_name("BRAMHALL AND CHEADLE HULME PCN LTD")
    'Bramhall and Cheadle Hulme PCN Ltd'
    >>> readable_name("DR KK CHAN & PARTNERS"), readable_name("ST. ANDREW'S HOUSE SURGERY")
    ('Dr KK Chan & Partners', "St. Andrew's House Surgery")
    """

    def rewrite(match: re.Match[str]) -> str:
        word = match.group()
        upper = word.upper()
        if upper in ABBREVIATIONS:
            return ABBREVIATIONS[upper]
        if upper in acronyms or (len(word) > 1 and not set(upper) & set("AEIOUY")):
            return upper
        if match.start() > 0 and word.lower() in SMALL_WORDS:
            return word.lower()
        return upper[0] + word[1:].lower()

    return WORD.sub(rewrite, name)


def add_names(graph: Graph, iri: URIRef, kind: URIRef, name: str, acronyms=frozenset()) -> None:
    """The readable name as the label, the NHS file's capitals as ``skos:altLabel``."""
    add_labelled(graph, iri, kind, readable_name(name, acronyms))
    graph.add((iri, SKOS.altLabel, Literal(name)))


def build_organisations(sources: Sources, minted: Minted) -> Graph:
    """The ten councils, and the GM-wide bodies that have no NHS code."""
    graph = new_graph(sources, LOCALITIES, BODIES)
    for row in sources.localities:
        name = row["council_name"]
        council = minted("organisation", name, what=name)
        add_labelled(graph, council, COP.LocalAuthority, name)
        derived_from(graph, council, sources, LOCALITIES)
        graph.add((council, OWL.sameAs, WD[row["council_wikidata_qid"]]))
        graph.add((council, COP.servesPlace, locality_iri(row["lad_name"])))
        graph.add((council, COP.basedIn, locality_iri(row["lad_name"])))
    for row in sources.rows(BODIES):
        if row["ods_code"]:
            continue  # NHS bodies are in nhs.ttl
        body = minted("organisation", row["body"], what=row["body"])
        add_labelled(graph, body, BODY_CLASSES[row["type"]], row["body"])
        derived_from(graph, body, sources, BODIES)
        graph.add(
            (body, DCTERMS.description, Literal(f"The {row['type']} for Greater Manchester."))
        )
        graph.add((body, COP.servesPlace, GM))
        if row["wikidata_qid"]:
            graph.add((body, OWL.sameAs, WD[row["wikidata_qid"]]))
        if row["type"] == "local resilience forum":  # the code is the forum's own area
            graph.add((body, COP.gssCode, Literal(row["ons_gss_code"])))
    return graph


def build_nhs(sources: Sources, minted: Minted) -> Graph:
    """NHS Greater Manchester ICB, its PCNs and GP practices (extract of 1 August 2026)."""
    graph = new_graph(sources, BODIES, PCNS, PRACTICES)
    icb = None
    for row in sources.rows(BODIES):
        if row["ods_code"]:
            icb = minted("organisation", row["ods_code"], what=row["body"])
            add_labelled(graph, icb, BODY_CLASSES[row["type"]], row["body"])
            derived_from(graph, icb, sources, BODIES)
            graph.add((icb, COP.odsCode, Literal(row["ods_code"])))
            graph.add((icb, COP.gssCode, Literal(row["ons_gss_code"])))
            graph.add((icb, COP.servesPlace, GM))

    practices = sources.rows(PRACTICES)
    for row in sources.rows(PCNS):
        code = row["pcn_code"]
        members = sum(practice["pcn_code"] == code for practice in practices)
        if members != int(row["n_practices"]):
            raise ValueError(f"{PCNS}: {code} lists {row['n_practices']} practices, not {members}")
        if code == UNALLOCATED:
            continue
        pcn = minted("organisation", code, what=f"the PCN {row['pcn_name']}")
        add_names(graph, pcn, COP.PrimaryCareNetwork, row["pcn_name"], PCN_ACRONYMS)
        derived_from(graph, pcn, sources, PCNS)
        graph.add((pcn, COP.odsCode, Literal(code)))
        graph.add((pcn, COP.servesPlace, locality_iri(row["locality"])))
        graph.add((pcn, ORG.linkedTo, icb))

    for row in practices:
        code = row["practice_code"]
        practice = minted("organisation", code, what=f"the GP practice {row['practice_name']}")
        add_names(graph, practice, COP.GPPractice, row["practice_name"])
        derived_from(graph, practice, sources, PRACTICES)
        graph.add((practice, COP.odsCode, Literal(code)))
        graph.add((practice, SDO.postalCode, Literal(row["practice_postcode"])))
        graph.add((practice, COP.basedIn, locality_iri(row["locality"])))
        if row["pcn_code"] != UNALLOCATED:
            graph.add((practice, ORG.memberOf, mint("organisation", row["pcn_code"])))
    return graph


def seed_iri(kind: str, key: str) -> URIRef:
    """The IRI of a thing the framework document names.

    ``cop_graph.ids`` has no ``programme`` kind yet; programmes follow the same pattern.
    """
    if kind == "programme" and kind not in KINDS:
        return ID[f"programme/{slugify(key)}"]
    return mint(kind, key)


def build_framework_organisations(sources: Sources, minted: Minted) -> Graph:
    """The organisations, programme and partnerships the framework document names.

    Each row of ``seed_organisations.csv`` quotes its sentence; the graph keeps only what
    the sentence says, sourced to the document (``cop:FrameworkDocument``) and derived from
    the project's file of them (the dataset whose licence and date apply).
    """
    graph = new_graph(sources, SEED)
    rows = sources.rows(SEED)
    iris = {row["key"]: seed_iri(row["kind"], row["key"]) for row in rows}
    for row in rows:
        thing = minted.claim(iris[row["key"]], row["label"])
        add_labelled(graph, thing, COP[row["type"]], row["label"])
        graph.add((thing, DCTERMS.description, Literal(row["description"])))
        graph.add((thing, DCTERMS.source, COP.FrameworkDocument))
        derived_from(graph, thing, sources, SEED)
        if row["serves_place"]:
            graph.add((thing, COP.servesPlace, mint("place", row["serves_place"])))
        for partner in filter(None, row["partners"].split(";")):
            graph.add((thing, COP.partner, iris[partner]))
        if row["programme"]:
            graph.add((thing, COP.partOfProgramme, iris[row["programme"]]))
    return graph
