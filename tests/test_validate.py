"""validate(): what it checks, what it refuses to run, and how it words what it finds."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import rdflib.plugins.sparql.evaluate as sparql_evaluate
from rdflib import BNode, Graph, Literal, URIRef

import cop_graph.validate.reference as reference_module
from cop_graph.namespaces import COP, DCTERMS, ORG, RDF, RDFS, SH
from cop_graph.validate import (
    Staging,
    ValidationReport,
    ValidationResult,
    ontology_graph,
    shapes_graph,
    validate,
)

CASES = Path(__file__).parent / "shapes"
ID = "https://w3id.org/cop-graph/id/"
COMMUNITY = URIRef(ID + "community/bolton-walking-together")
PERSON = URIRef(ID + "person/p0001")
ROLES_ADVICE = COP._NS["CommunityRolesAdviceShape"]
ASSESSMENT_ADVICE = COP._NS["CommunityAssessmentAdviceShape"]
PREFIXES = """
@prefix cop: <https://w3id.org/cop-graph/ontology#> .
@prefix community: <https://w3id.org/cop-graph/id/community/> .
@prefix domain: <https://w3id.org/cop-graph/id/domain/> .
@prefix place: <https://w3id.org/cop-graph/id/place/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
"""


@pytest.fixture(scope="module")
def context() -> Graph:
    return Graph().parse(CASES / "context.ttl", format="turtle")


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def about(graph: Graph, subject: URIRef) -> Graph:
    """What ``graph`` says about ``subject``, as a graph of its own."""
    found = Graph()
    for triple in graph.triples((subject, None, None)):
        found.add(triple)
    return found


def community_only(context: Graph) -> Graph:
    """The context's community as the data, everything else it links to as context."""
    return about(context, COMMUNITY)


def shapes_of(results: list[ValidationResult]) -> set:
    return {r.shape for r in results}


def membership(graph: Graph, role: URIRef) -> URIRef:
    node = URIRef(ID + f"membership/{role.fragment.lower()}")
    graph.add((node, RDF.type, ORG.Membership))
    graph.add((node, RDFS.label, Literal(f"{role.fragment} membership")))
    graph.add((node, ORG.member, PERSON))
    graph.add((node, ORG.organization, COMMUNITY))
    graph.add((node, ORG.role, role))
    return node


def assessment(graph: Graph, days_ago: int) -> URIRef:
    node = URIRef(ID + f"assessment/a-{days_ago}")
    when = date.today() - timedelta(days=days_ago)
    graph.add((node, RDF.type, COP.StepAssessment))
    graph.add((node, RDFS.label, Literal(f"Assessment of {when}")))
    graph.add((node, COP.assessedCommunity, COMMUNITY))
    graph.add((node, COP.assessedStep, COP.IdentifyPurposeAndScope))
    graph.add((node, COP.stepStatus, COP.InProgress))
    graph.add((node, DCTERMS.date, Literal(when)))  # a Python date becomes an xsd:date
    return node


# --- advice -----------------------------------------------------------------------------


def test_advice_is_given_as_warnings_that_do_not_stop_saving(context):
    report = validate(community_only(context), context=context)
    assert report.conforms
    assert report.violations == []
    assert shapes_of(report.warnings) == {ROLES_ADVICE, ASSESSMENT_ADVICE}
    assert all(r.focus == COMMUNITY and r.path is None for r in report.warnings)


def test_a_member_in_one_of_wengers_roles_satisfies_the_roles_advice(context):
    data = community_only(context)
    membership(data, COP.CommunityKeeper)
    assert ROLES_ADVICE not in shapes_of(validate(data, context=context).warnings)


def test_plain_members_and_hosts_are_not_wengers_roles(context):
    data = community_only(context)
    membership(data, COP.Member)
    membership(data, COP.Facilitator)
    report = validate(data, context=context)
    assert report.violations == []
    assert ROLES_ADVICE in shapes_of(report.warnings)


@pytest.mark.parametrize(
    ("days_ago", "advised"),
    [(0, False), (30, False), (330, False), (400, True), (800, True)],
)
def test_assessment_advice_depends_on_the_latest_assessment_being_within_a_year(
    context, days_ago, advised
):
    data = community_only(context)
    assessment(data, days_ago)
    report = validate(data, context=context)
    assert report.violations == []
    assert (ASSESSMENT_ADVICE in shapes_of(report.warnings)) is advised


def test_each_community_gets_its_own_answer_in_one_run(context):
    data = community_only(context)
    assessment(data, 10)
    other = URIRef(ID + "community/never-assessed")
    for _, predicate, obj in context.triples((COMMUNITY, None, None)):
        data.add((other, predicate, obj))
    report = validate(data, context=context)
    advised = {r.focus for r in report.warnings if r.shape == ASSESSMENT_ADVICE}
    assert advised == {other}


def test_one_recent_assessment_is_enough_whatever_older_ones_say(context):
    data = community_only(context)
    assessment(data, 900)
    assessment(data, 60)
    assert ASSESSMENT_ADVICE not in shapes_of(validate(data, context=context).warnings)


def test_a_partnership_with_one_known_partner_is_advised_not_refused(context):
    data = turtle("""
        <https://w3id.org/cop-graph/id/partnership/p> a cop:Partnership ;
            rdfs:label "Lead partner only" ;
            cop:partner <https://w3id.org/cop-graph/id/organisation/bolton-cvs> .
    """)
    report = validate(data, context=context)
    assert report.conforms
    assert shapes_of(report.warnings) == {COP._NS["PartnershipShape-partnerCount"]}


# --- what is checked --------------------------------------------------------------------


def test_empty_data_conforms_without_running_anything():
    report = validate(Graph())
    assert report.results == []
    assert report.conforms


def test_only_the_data_is_reported_not_what_it_links_to(context):
    broken_context = context + turtle("place:bolton rdfs:label 'A second name' .")
    data = turtle(
        "community:new a cop:CommunityOfPurpose ; rdfs:label 'New' ;"
        " cop:hasDomain domain:healthy-ageing ; cop:operatesIn place:bolton ."
    )
    report = validate(data, context=broken_context)
    assert report.violations == []
    assert {r.focus for r in report.results} == {URIRef(ID + "community/new")}


def test_focus_nodes_limit_the_report_but_not_the_checks_on_values():
    data = turtle("""
        community:a a cop:CommunityOfPurpose ; rdfs:label "A" ;
            foaf:homepage <javascript:alert(1)> .
        community:b a cop:CommunityOfPurpose .
    """)
    a = URIRef(ID + "community/a")
    report = validate(data, focus_nodes=[a])
    assert {r.focus for r in report.results} == {a}
    # the home page check is a nested shape: pyshacl's own focus option would skip it
    assert COP._NS["OrganisationShape-homepage"] in shapes_of(report.violations)


def test_things_without_a_name_of_their_own_are_checked_too(context):
    data = Graph()
    node = BNode()
    data.add((node, RDF.type, ORG.Membership))
    data.add((node, ORG.organization, COMMUNITY))
    report = validate(data, context=context)
    assert {r.focus for r in report.violations} == {node}
    # a membership needs no name of its own (pages make one from its parts), only its parts
    assert {r.path for r in report.violations} == {ORG.member, ORG.role}
    assert all(line.startswith("Membership (no identifier): ") for line in report.lines(data))


def test_a_shared_rule_reports_the_shape_of_the_kind_of_thing(context):
    data = turtle("""
        community:nameless a cop:CommunityOfPurpose ;
            cop:hasDomain domain:healthy-ageing ; cop:operatesIn place:bolton .
    """)
    (label,) = [r for r in validate(data, context=context).violations]
    assert label.shape == COP._NS["LabelShape"]
    assert label.node_shape == COP._NS["OrganisationShape"]


def test_the_whole_ontology_follows_the_shapes():
    ontology = ontology_graph()
    report = validate(ontology)
    assert report.violations == [], "\n".join(report.lines(ontology))


# --- shapes and SPARQL in uploads are never used ----------------------------------------


INJECTED_SHAPE = """
    community:evil a cop:CommunityOfPurpose ; rdfs:label "Evil" ;
        cop:hasDomain domain:healthy-ageing ; cop:operatesIn place:bolton .
    community:InjectedShape a sh:NodeShape ;
        sh:targetClass cop:CommunityOfPurpose ;
        sh:property [ sh:path rdfs:label ; sh:minCount 5 ; sh:message "injected" ] ;
        sh:sparql [
            sh:message "injected SPARQL ran" ;
            sh:select "SELECT $this WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }" ;
        ] , [
            sh:message "injected SPARQL ran past a text check" ;
            sh:select "SELECT $this WHERE { SERV\\u0049CE <http://127.0.0.1:9/q> { ?s ?p ?o } }" ;
        ] .
"""


@pytest.fixture
def service_calls(monkeypatch) -> list:
    """Record (and stop) every SERVICE call rdflib's SPARQL engine would make."""
    calls = []

    def refuse(ctx, part):
        calls.append(part)
        raise RuntimeError("SERVICE must never be called")

    monkeypatch.setattr(sparql_evaluate, "evalServiceQuery", refuse)
    return calls


def test_service_calls_are_really_caught_by_the_fixture(service_calls):
    injected = turtle(INJECTED_SHAPE)
    queries = [str(q) for q in injected.objects(None, SH.select)]
    assert len(queries) == 2
    for query in queries:
        with pytest.raises(RuntimeError):
            Graph().query(query.replace("$this", "?this"))
    assert len(service_calls) == 2


def test_nothing_from_the_shacl_namespace_reaches_pyshacl(context, monkeypatch):
    seen = []
    real = reference_module.pyshacl.validate

    def spy(data_graph, **kwargs):
        seen.append(Graph() + data_graph)
        return real(data_graph, **kwargs)

    monkeypatch.setattr(reference_module.pyshacl, "validate", spy)
    validate(turtle(INJECTED_SHAPE), context=context + turtle(INJECTED_SHAPE), engine="pyshacl")
    (checked,) = seen
    assert len(checked) > 0
    assert not [t for t in checked if any(str(term).startswith(str(SH)) for term in t)]


def test_nothing_from_the_shacl_namespace_reaches_the_compiled_checks(context, monkeypatch):
    seen = []
    real = Staging.check

    def spy(staging, *args, **kwargs):
        seen.append([(q.subject, q.predicate, q.object) for q in staging.store])
        return real(staging, *args, **kwargs)

    monkeypatch.setattr(Staging, "check", spy)
    validate(turtle(INJECTED_SHAPE), context=context + turtle(INJECTED_SHAPE))
    (checked,) = seen
    assert len(checked) > 0
    assert not [t for t in checked if any(str(term).startswith(str(SH)) for term in t)]


def test_shapes_in_uploaded_data_have_no_effect(context, service_calls):
    data = turtle(INJECTED_SHAPE)
    report = validate(data, context=context)
    assert report.violations == []
    assert all("injected" not in r.message for r in report.results)
    assert service_calls == []


def test_shapes_in_the_context_have_no_effect_either(context, service_calls):
    injected = turtle(INJECTED_SHAPE)
    data = about(injected, URIRef(ID + "community/evil"))
    report = validate(data, context=context + injected)
    assert all("injected" not in r.message for r in report.results)
    assert service_calls == []


def test_shapes_come_only_from_the_trusted_files():
    shapes = shapes_graph()
    assert shapes is shapes_graph()
    assert (COP._NS["CommunityShape"], SH.targetClass, COP.CommunityOfPurpose) in shapes


# --- wording ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def invalid_reports(context) -> list[tuple[ValidationReport, Graph]]:
    """The report on every broken example, with the names to word it."""
    reports = []
    for path in sorted(CASES.glob("*-invalid-*.ttl")):
        data = Graph().parse(path, format="turtle")
        reports.append((validate(data, context=context), data + context))
    return reports


def test_lines_name_the_thing_and_say_what_is_wrong_in_plain_words(invalid_reports):
    jargon = re.compile(r"\b(iri|triples?|predicates?|nodes?|shacl)\b", re.IGNORECASE)
    count = 0
    for report, labels in invalid_reports:
        lines = report.lines(labels)
        assert len(lines) == len(report.results)
        for result, line in zip(report.results, lines, strict=True):
            names = list(labels.objects(result.focus, RDFS.label))
            assert not names or any(f'"{name}"' in line for name in names), line
            assert result.message in line
            assert not jargon.search(line.replace(str(result.focus), "")), line
            count += 1
    assert count > 50


def test_a_line_reads_like_a_sentence(context):
    data = turtle("""
        community:wigan-walking-group a cop:CommunityOfPurpose ;
            rdfs:label "Wigan Walking Group" ; cop:operatesIn place:bolton ;
            cop:openness cop:InProgress .
    """)
    lines = validate(data, context=context).lines(data + context)
    focus = ID + "community/wigan-walking-group"
    assert (
        f'Community of Purpose "Wigan Walking Group" ({focus}): '
        "A community needs at least one domain: the shared topic it is about, "
        "chosen from the recorded domains." in lines
    )
    assert (
        f'Community of Purpose "Wigan Walking Group" ({focus}): '
        "A community is either open or contained: choose one of the two. "
        '(given: "In progress")' in lines
    )
    assert any(line.startswith('Advice for Community of Purpose "Wigan') for line in lines)


def test_a_thing_of_unknown_kind_and_name_is_still_described():
    result = ValidationResult(
        focus=URIRef(ID + "resource/x"),
        path=None,
        value=Literal("12"),
        message="Something is wrong.",
        severity="Violation",
        shape=None,
    )
    (line,) = ValidationReport([result]).lines(Graph())
    assert line == f'Record ({ID}resource/x): Something is wrong. (given: "12")'


def test_json_is_plain_and_complete(invalid_reports):
    report, _ = invalid_reports[0]
    rows = json.loads(json.dumps(report.to_json()))
    assert len(rows) == len(report.results)
    assert set(rows[0]) == {"focus", "path", "value", "message", "severity", "shape", "node_shape"}
    assert all(isinstance(row["message"], str) and row["severity"] for row in rows)


def test_results_are_the_same_whatever_the_order_of_the_data(context):
    data = Graph().parse(CASES / "CommunityShape-invalid-07.ttl", format="turtle")
    reordered = Graph()
    for triple in sorted(data, key=lambda t: tuple(reversed([str(x) for x in t]))):
        reordered.add(triple)
    first = validate(data, context=context)
    again = validate(reordered, context=context)
    assert first.results == again.results
    assert first.lines(data + context) == again.lines(reordered + context)
    keys = [r.sort_key() for r in first.results]
    assert keys == sorted(keys)
