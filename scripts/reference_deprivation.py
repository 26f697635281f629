"""Deprivation figures (English Indices of Deprivation 2025) for GM, localities and wards.

Coordinators ask "how deprived is the place this community works in?" and CORE20PLUS5 asks
about the most deprived 20% of neighbourhoods nationally; both need figures per ward, which
nobody publishes. IMD figures are per LSOA, so each LSOA is assigned to the May 2023 ward
holding the largest share of its area (see :func:`lsoa_wards`) and counted there.

Two average scores, two properties, because they are different measures: MHCLG's published
average score of a local authority district is population-weighted
(``cop:imdWeightedAverageScore``, localities only); the plain mean of a place's LSOA scores
(``cop:imdMeanLsoaScore``) is worked out here for every place, as no population figures are
among the sources. Every place with figures names the datasets they come from.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from rdflib import Graph, Literal, URIRef
from reference_geometry import best_fit
from reference_places import TRAFFORD_LOCALITIES, WARDS, trafford_localities, ward_iris
from reference_rdf import GM, Sources, derived_from, locality_iri, new_graph

from cop_graph.namespaces import COP, XSD

__all__ = ["build_deprivation", "lsoa_wards"]

IMD_FILE = "gm/deprivation/gm_imd2025_lsoa21.csv"
LAD_SUMMARIES = "gm/deprivation/gm_iod2025_lad_summaries.csv"
LSOA_BOUNDARIES = "gm/boundaries/gm_lsoa_2021_bsc.geojson"
SHARE_PLACES = Decimal("0.0001")
SCORE_PLACES = Decimal("0.001")


def imd_rows(sources: Sources) -> dict[str, dict[str, str]]:
    """The IMD 2025 row of each GM LSOA by code, after checking the CORE20 flag."""
    rows = {row["lsoa21_code"]: row for row in sources.rows(IMD_FILE)}
    for code, row in rows.items():
        if (row["core20"] == "True") != (int(row["IMD_decile"]) <= 2):
            raise ValueError(f"{IMD_FILE}: LSOA {code} has a CORE20 flag that its decile denies")
    return rows


def lsoa_wards(sources: Sources) -> dict[str, str]:
    """Each 2021 LSOA's May 2023 ward (ONS codes), by the largest share of the LSOA's area.

    ONS's best-fit lookup stops at May 2022 wards, which six GM localities have since
    redrawn. Candidates are limited to wards of the LSOA's own local authority.
    """
    imd = imd_rows(sources)
    lsoas = sources.areas(LSOA_BOUNDARIES)
    if set(lsoas) != set(imd):
        raise ValueError(f"{LSOA_BOUNDARIES} and {IMD_FILE} list different LSOAs")
    wards_of: dict[str, set[str]] = {}
    for code, (properties, _) in sources.wards.items():
        wards_of.setdefault(properties["local_authority_area_code"], set()).add(code)
    allowed = {code: frozenset(wards_of[row["lad_code"]]) for code, row in imd.items()}
    return best_fit(
        {code: shape for code, (_, shape) in lsoas.items()},
        {code: shape for code, (_, shape) in sources.wards.items()},
        allowed,
    )


def add_figures(graph: Graph, place: URIRef, rows: list[dict[str, str]]) -> None:
    """LSOA count, CORE20 count and share, and the plain mean IMD score of ``rows``."""
    count = len(rows)
    core20 = sum(row["core20"] == "True" for row in rows)
    share = (Decimal(core20) / Decimal(count)).quantize(SHARE_PLACES, ROUND_HALF_UP)
    graph.add((place, COP.lsoaCount, Literal(count)))
    graph.add((place, COP.core20LsoaCount, Literal(core20)))
    graph.add((place, COP.core20Share, decimal(share)))
    total = sum(Decimal(row["IMD_score"]) for row in rows)
    graph.add((place, COP.imdMeanLsoaScore, decimal(total / count, SCORE_PLACES)))


def decimal(value: Decimal | str, places: Decimal | None = None) -> Literal:
    """An ``xsd:decimal`` literal, rounded to ``places`` when given."""
    if places is not None:
        value = Decimal(value).quantize(places, ROUND_HALF_UP)
    return Literal(str(value), datatype=XSD.decimal)


def build_deprivation(sources: Sources) -> Graph:
    """Deprivation figures for GM, every locality, every ward and Trafford's localities."""
    graph = new_graph(sources, IMD_FILE, LAD_SUMMARIES, LSOA_BOUNDARIES, WARDS, TRAFFORD_LOCALITIES)
    imd = imd_rows(sources)
    add_figures(graph, GM, list(imd.values()))
    derived_from(graph, GM, sources, IMD_FILE)
    add_locality_figures(graph, sources, imd.values())

    in_ward: dict[str, list[dict[str, str]]] = {}
    for lsoa, ward in lsoa_wards(sources).items():
        in_ward.setdefault(ward, []).append(imd[lsoa])
    for code, ward in ward_iris(sources).items():
        if code not in in_ward:
            raise ValueError(f"the ward {code} holds the larger part of no LSOA")
        add_figures(graph, ward, in_ward[code])
        derived_from(graph, ward, sources, IMD_FILE, LSOA_BOUNDARIES, WARDS)
    for place, (_, codes) in trafford_localities(sources).items():
        add_figures(graph, place, [row for code in codes for row in in_ward[code]])
        derived_from(graph, place, sources, IMD_FILE, LSOA_BOUNDARIES, WARDS, TRAFFORD_LOCALITIES)
    return graph


def add_locality_figures(graph: Graph, sources: Sources, imd: Iterable[dict[str, str]]) -> None:
    """Counts and mean from the LSOAs; weighted average score and its rank as published."""
    in_locality: dict[str, list[dict[str, str]]] = {}
    for row in imd:
        in_locality.setdefault(row["lad_code"], []).append(row)
    summaries = {
        row["area_code"]: row
        for row in sources.rows(LAD_SUMMARIES)
        if row["index_domain"] == "Index of Multiple Deprivation"
    }
    for row in sources.localities:
        locality = locality_iri(row["lad_name"])
        add_figures(graph, locality, in_locality[row["lad_code"]])
        summary = summaries[row["lad_code"]]
        graph.add((locality, COP.imdWeightedAverageScore, decimal(summary["average_score"])))
        rank = int(summary["rank_average_score"])
        graph.add((locality, COP.imdRankOfAverageScore, Literal(rank)))
        derived_from(graph, locality, sources, IMD_FILE, LAD_SUMMARIES)
