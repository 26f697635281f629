"""The compiled checks give pyshacl's results, word for word, on every case we have.

``cop_graph.validate`` checks with the shapes compiled to SPARQL and run by pyoxigraph;
pyshacl is the reference. A result is compared whole: the thing, the property, the value at
fault, the message, the severity, the shape and the node shape it belongs to. The cases: every
file of the shape suite with its context, the demo data with the reference data it links to
(advice only), the demo with every fifth fact dropped (over a thousand broken rules at once),
and the demo with its labels and types scrambled (values of the wrong kind everywhere).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from cop_graph import resources
from cop_graph.namespaces import RDF, RDFS
from cop_graph.validate import ValidationReport, validate
from cop_graph.validate.checks import DATA, Staging
from cop_graph.validate.compiled import compile_shapes

CASES = Path(__file__).parent / "shapes"
SUITE = sorted(p for p in CASES.glob("*.ttl") if p.name != "context.ttl")


def _both(data: Graph, context: Graph | None) -> tuple[ValidationReport, ValidationReport]:
    return (
        validate(data, context=context, engine="sparql"),
        validate(data, context=context, engine="pyshacl"),
    )


@pytest.fixture(scope="module")
def suite_context() -> Graph:
    return Graph().parse(CASES / "context.ttl")


@pytest.fixture(scope="module")
def demo() -> tuple[Graph, Graph]:
    data, context = Graph(), Graph()
    for path in resources.demo_files():
        data.parse(path)
    for path in resources.reference_files():
        context.parse(path)
    return data, context


@pytest.mark.parametrize("case", SUITE, ids=lambda p: p.stem)
def test_every_shape_suite_case_gets_pyshacls_results(case, suite_context):
    ours, reference = _both(Graph().parse(case), suite_context)
    assert ours.results == reference.results
    if "-invalid-" in case.name:
        assert ours.violations, "a broken case that reports nothing proves nothing"


def test_the_demo_gets_pyshacls_advice_and_no_violation(demo):
    data, context = demo
    ours, reference = _both(data, context)
    assert ours.results == reference.results
    assert ours.warnings and not ours.violations


def test_a_badly_broken_demo_gets_pyshacls_results(demo):
    data, context = demo
    kept = Graph()
    for n, triple in enumerate(sorted(data)):
        if n % 5:
            kept.add(triple)
    ours, reference = _both(kept, context)
    assert len(ours.violations) > 1000
    assert ours.results == reference.results


def test_values_of_the_wrong_kind_get_pyshacls_results(demo):
    """Names turned into links, links into text, dates into words: value checks everywhere."""
    data, context = demo
    scrambled = Graph()
    for n, (s, p, o) in enumerate(sorted(data)):
        if n % 7 == 0 and isinstance(o, URIRef) and p != RDF.type:
            o = Literal(str(o))
        elif n % 7 == 1 and isinstance(o, Literal):
            o = URIRef("https://example.org/not-a-value")
        elif n % 7 == 2 and p == RDFS.label:
            o = Literal("")
        scrambled.add((s, p, o))
    ours, reference = _both(scrambled, context)
    assert len(ours.violations) > 100
    assert ours.results == reference.results


def test_a_thing_with_a_blank_node_is_named_by_the_callers_own_term(suite_context):
    data = Graph().parse(
        data="""
        @prefix org: <http://www.w3.org/ns/org#> .
        [] a org:Membership ; org:member <https://w3id.org/cop-graph/id/person/p0001> .
        """,
        format="turtle",
    )
    ours, reference = _both(data, suite_context)
    assert ours.violations
    (blank,) = set(data.subjects(RDF.type, None))
    assert {r.focus for r in ours.results} == {blank}
    assert ours.results == reference.results


def test_only_the_named_focus_is_reported(demo):
    data, context = demo
    broken = Graph()
    for n, triple in enumerate(sorted(data)):
        if n % 5:
            broken.add(triple)
    everything = validate(broken, context=context)
    one = everything.violations[0].focus
    chosen = validate(broken, context=context, focus_nodes=[one])
    assert chosen.results and {r.focus for r in chosen.results} == {one}
    assert chosen.results == [r for r in everything.results if r.focus == one]


def test_a_rule_the_compiler_does_not_know_is_refused_not_skipped():
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .
        """,
        format="turtle",
    )
    with pytest.raises(NotImplementedError, match="closed"):
        compile_shapes(shapes)


def test_an_unknown_engine_is_named_in_the_error():
    with pytest.raises(ValueError, match="no validation engine called 'fast'"):
        validate(Graph(), engine="fast")


def test_nothing_from_the_shacl_namespace_is_staged(suite_context):
    smuggled = Graph().parse(CASES.parent / "data" / "smuggled-shapes.ttl")
    assert any("http://www.w3.org/ns/shacl#" in str(t) for triple in smuggled for t in triple)
    staging = Staging()
    staging.add_rdflib(DATA, smuggled)
    staged = [(q.subject, q.predicate, q.object) for q in staging.store]
    assert staged
    assert not [t for t in staged if any("http://www.w3.org/ns/shacl#" in str(x) for x in t)]
