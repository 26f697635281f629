"""The committed reference data: reproducible from its sources, complete, and well formed.

The build runs once per test session (about four seconds); the checks run SPARQL over an
rdflib graph of the committed files, so they test what the app actually loads.
"""

from __future__ import annotations

import csv
import doctest
import re
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph

from cop_graph.ids import KINDS
from cop_graph.namespaces import COP, ID, ORG, RDF, RDFS, sparql_prologue

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
SOURCES = ROOT / "data" / "sources"
REFERENCE = ROOT / "data" / "reference"
sys.path.insert(0, str(SCRIPTS))

import build_reference  # noqa: E402
import reference_deprivation  # noqa: E402
import reference_geometry  # noqa: E402
import reference_organisations  # noqa: E402
import reference_rdf  # noqa: E402

LOCALITIES = "bolton bury manchester oldham rochdale salford stockport tameside trafford wigan"
UNCHANGED_IN_2023 = {"Bury", "Manchester", "Rochdale", "Salford"}
GM = ID["place/greater-manchester"]
TRAFFORD = ID["place/trafford"]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reference")
    build_reference.write(build_reference.build(SOURCES), folder)
    return folder


@pytest.fixture(scope="module")
def graph() -> Graph:
    union = Graph()
    for path in sorted(REFERENCE.glob("*.ttl")):
        union.parse(path, format="turtle")
    return union


def select(graph: Graph, query: str) -> list[tuple]:
    return [tuple(row) for row in graph.query(sparql_prologue() + query)]


def count(graph: Graph, query: str) -> int:
    return int(select(graph, query)[0][0])


def test_rebuilding_gives_the_committed_files_byte_for_byte(rebuilt):
    committed = sorted(path.name for path in REFERENCE.glob("*.ttl"))
    assert sorted(path.name for path in rebuilt.glob("*.ttl")) == committed
    for name in committed:
        assert (rebuilt / name).read_bytes() == (REFERENCE / name).read_bytes(), (
            f"data/reference/{name} is out of date: run scripts/build_reference.py"
        )


def test_every_file_starts_with_the_description_of_the_reference_graph():
    for path in REFERENCE.glob("*.ttl"):
        body = [line for line in path.read_text().splitlines() if line and line[0] != "@"]
        assert body[0] == f"<{ID}graph/reference> a dcat:Dataset ;", path.name


def test_the_ten_localities_have_the_iris_and_codes_design_md_fixes(graph):
    rows = select(
        graph,
        "SELECT ?place ?code ?same WHERE { ?place a cop:Locality ; "
        "cop:gssCode ?code ; owl:sameAs ?same ; cop:withinPlace ?gm }",
    )
    expected = {
        (ID[f"place/{name}"], f"E0800000{number}" if number < 10 else "E08000010")
        for number, name in enumerate(LOCALITIES.split(), start=1)
    }
    assert {(place, str(code)) for place, code, _ in rows} == expected
    for _, code, same in rows:
        assert str(same) == f"http://statistics.data.gov.uk/id/statistical-geography/{code}"


def test_215_wards_each_within_one_locality(graph):
    rows = select(
        graph,
        "SELECT ?ward (COUNT(?locality) AS ?n) WHERE { ?ward a cop:Ward . "
        "OPTIONAL { ?ward cop:withinPlace ?locality . ?locality a cop:Locality } "
        "} GROUP BY ?ward",
    )
    assert len(rows) == 215
    assert {int(n) for _, n in rows} == {1}


def test_trafford_has_four_council_defined_localities_made_of_its_21_wards(graph):
    rows = select(
        graph,
        "SELECT ?hood ?ward WHERE { ?hood a cop:Neighbourhood ; "
        f"cop:withinPlace <{TRAFFORD}> ; cop:comprises ?ward . "
        f"?ward cop:withinPlace <{TRAFFORD}> }}",
    )
    assert len({hood for hood, _ in rows}) == 4
    assert len({ward for _, ward in rows}) == len(rows) == 21
    assert (ID["place/trafford-central"], RDFS.label, None) in graph


def test_65_pcns_each_serving_one_locality(graph):
    rows = select(
        graph,
        "SELECT ?pcn (COUNT(?place) AS ?n) WHERE { ?pcn a cop:PrimaryCareNetwork "
        "OPTIONAL { ?pcn cop:servesPlace ?place . ?place a cop:Locality } "
        "} GROUP BY ?pcn",
    )
    assert len(rows) == 65
    assert {int(n) for _, n in rows} == {1}


def test_406_practices_405_of_them_in_a_pcn_of_their_own_locality(graph):
    practices = set(graph.subjects(RDF.type, COP.GPPractice))
    assert len(practices) == 406
    pcns = {practice: graph.value(practice, ORG.memberOf) for practice in practices}
    in_a_pcn = {practice for practice, pcn in pcns.items() if pcn is not None}
    assert len(in_a_pcn) == 405
    for practice in in_a_pcn:
        assert (pcns[practice], RDF.type, COP.PrimaryCareNetwork) in graph, practice
        here = graph.value(practice, COP.basedIn)
        assert (pcns[practice], COP.servesPlace, here) in graph, practice


def test_every_ward_and_locality_has_deprivation_figures(graph):
    rows = select(
        graph,
        """
        SELECT ?place ?lsoas ?core20 ?share ?score WHERE {
          ?place a ?kind . VALUES ?kind { cop:Ward cop:Locality cop:Neighbourhood }
          OPTIONAL { ?place cop:lsoaCount ?lsoas ; cop:core20LsoaCount ?core20 ;
                            cop:core20Share ?share ; cop:imdAverageScore ?score } }""",
    )
    assert len(rows) == 215 + 10 + 4
    for place, lsoas, core20, share, score in rows:
        assert None not in (lsoas, core20, share, score), f"{place} has no deprivation figures"
        assert int(lsoas) >= 1 and 0 <= int(core20) <= int(lsoas)
        assert 0 <= share.toPython() <= 1
        assert share.toPython() == (Decimal(int(core20)) / int(lsoas)).quantize(Decimal("0.0001"))
        assert isinstance(share.toPython(), Decimal) and isinstance(score.toPython(), Decimal)


def test_lsoa_counts_add_up_to_the_1702_lsoas_of_gm(graph):
    for kind in ("cop:Locality", "cop:Ward"):
        total = count(graph, f"SELECT (SUM(?n) AS ?t) WHERE {{ ?p a {kind} ; cop:lsoaCount ?n }}")
        assert total == 1702, kind
    assert count(graph, f"SELECT ?n WHERE {{ <{GM}> cop:lsoaCount ?n }}") == 1702
    ranks = select(
        graph, "SELECT ?rank WHERE { ?p a cop:Locality ; cop:imdRankOfAverageScore ?rank }"
    )
    assert len(ranks) == 10 and all(int(rank) >= 1 for (rank,) in ranks)


def test_codes_are_well_formed(graph):
    for (code,) in select(graph, "SELECT ?code WHERE { ?x cop:gssCode ?code }"):
        assert re.fullmatch(r"E\d{8}", str(code)), code
    patterns = {
        COP.GPPractice: r"[A-Z]\d{5}",
        COP.PrimaryCareNetwork: r"U\d{5}",
        COP.NHSBody: r"Q[A-Z0-9]{2}",
    }
    rows = select(graph, "SELECT ?kind ?code WHERE { ?x a ?kind ; cop:odsCode ?code }")
    assert len(rows) == 406 + 65 + 1
    for kind, code in rows:
        assert re.fullmatch(patterns[kind], str(code)), (kind, code)


def test_each_code_names_one_thing_and_each_thing_is_one_kind_of_place_or_body(graph):
    for prop in (COP.gssCode, COP.odsCode):
        codes = Counter(str(code) for code in graph.objects(None, prop))
        assert [code for code, n in codes.items() if n > 1] == [], prop
    kinds = {
        COP.Region,
        COP.Locality,
        COP.Ward,
        COP.Neighbourhood,
        COP.GPPractice,
        COP.PrimaryCareNetwork,
        COP.LocalAuthority,
        COP.NHSBody,
        COP.CombinedAuthority,
    }
    per_thing = Counter(thing for thing, kind in graph.subject_objects(RDF.type) if kind in kinds)
    assert [thing for thing, n in per_thing.items() if n > 1] == []


def test_no_blank_nodes_and_one_label_for_every_thing(graph):
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)
    for thing in set(graph.subjects(RDF.type, None)):
        assert len(list(graph.objects(thing, RDFS.label))) == 1, thing


def test_data_iris_are_minted_under_the_project_base(graph):
    allowed = KINDS | {"programme"}  # programme: see reference_organisations.seed_iri
    for thing in set(graph.subjects(RDF.type, None)):
        assert str(thing).startswith(str(ID)), thing
        assert str(thing)[len(ID) :].split("/")[0] in allowed, thing


def test_framework_partnerships_belong_to_fairer_health_for_all(graph):
    rows = select(
        graph,
        "SELECT ?site ?programme WHERE { ?site a cop:Partnership ; "
        f"cop:partOfProgramme ?programme ; cop:partner <{ID}organisation/10gm> ; "
        "dcterms:source cop:FrameworkDocument }",
    )
    assert len(rows) == 5
    assert {str(graph.value(programme, RDFS.label)) for _, programme in rows} == {
        "Fairer Health for All"
    }


def test_best_fit_wards_mostly_agree_with_ons_where_wards_did_not_change():
    """ONS's May 2022 best-fit is still valid in the four localities that kept their wards."""
    assigned = reference_deprivation.lsoa_wards(reference_rdf.Sources(SOURCES))
    lookup = SOURCES / "gm" / "lookups" / "gm_lsoa21_to_ward22_bestfit.csv"
    with lookup.open(encoding="utf-8", newline="") as handle:
        ons = [row for row in csv.DictReader(handle) if row["lad22nm"] in UNCHANGED_IN_2023]
    agreeing = sum(assigned[row["lsoa21cd"]] == row["wd22cd"] for row in ons)
    assert len(ons) == 711
    assert agreeing / len(ons) >= 0.9


def test_best_fit_breaks_ties_by_code_and_fails_on_no_overlap():
    from shapely.geometry import box

    wards = {"W2": box(0, 0, 1, 1), "W1": box(1, 0, 2, 1)}
    either = frozenset(wards)
    assert reference_geometry.best_fit({"L": box(0.5, 0, 1.5, 1)}, wards, {"L": either}) == {
        "L": "W1"
    }
    with pytest.raises(ValueError, match="the area L overlaps none"):
        reference_geometry.best_fit({"L": box(5, 5, 6, 6)}, wards, {"L": either})


def test_two_things_cannot_share_an_iri():
    minted = reference_rdf.Minted()
    minted("place", "Trafford", "Central", what="the neighbourhood Trafford Central")
    with pytest.raises(ValueError, match="the ward Central .* and the neighbourhood Trafford"):
        minted("place", "Trafford", "Central", what="the ward Central (E05000000)")


def test_every_source_file_is_listed_with_its_licence_and_in_the_readme():
    manifest = reference_rdf.Sources(SOURCES).manifest
    copied = {str(path.relative_to(SOURCES)) for path in (SOURCES / "gm").rglob("*.*")}
    assert copied == {name for name in manifest if name.startswith("gm/")}
    readme = (SOURCES / "README.md").read_text()
    for name, source in manifest.items():
        assert Path(name).name in readme, name
        assert name == "seed_organisations.csv" or "OGL-3.0" in source.licences


@pytest.mark.parametrize(
    "module", [reference_geometry, reference_organisations], ids=lambda module: module.__name__
)
def test_doctests_of_the_build_modules(module):
    assert doctest.testmod(module).failed == 0
