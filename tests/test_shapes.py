"""The shapes, case by case: each file in ``tests/shapes/`` is a small graph to pass or fail.

``<Shape>-valid.ttl`` must raise no violation. ``<Shape>-invalid-NN.ttl`` starts with
``# Invalid: <reason>`` and one ``# Expect: <thing> <property> <shape or ->`` line per
violation it must raise (prefixed names use the file's prefixes); it must raise exactly those.
Every case is checked with ``context.ttl`` as what it links to, as the loader would.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from cop_graph.namespaces import COP, RDF, SH
from cop_graph.validate import shapes_graph, validate

CASES = Path(__file__).parent / "shapes"
VALID = sorted(CASES.glob("*-valid.ttl"))
INVALID = sorted(CASES.glob("*-invalid-*.ttl"))
#: the shapes that matter most get at least two broken examples
IMPORTANT = {
    "CommunityShape",
    "MembershipShape",
    "StepAssessmentShape",
    "ObservationShape",
    "PlaceShape",
    "LocalityShape",
    "WardShape",
    "PCNShape",
    "GPPracticeShape",
    "PersonShape",
}
#: advice shapes depend on today's date and on other records: see tests/test_validate.py
ADVICE = {"CommunityRolesAdviceShape", "CommunityAssessmentAdviceShape"}
#: words a coordinator should never have to read
JARGON = re.compile(r"\b(iri|uri|triples?|predicates?|nodes?|literals?|shacl)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def context() -> Graph:
    return Graph().parse(CASES / "context.ttl", format="turtle")


def _term(token: str, graph: Graph) -> URIRef | None:
    if token == "-":
        return None
    if token.startswith("<") and token.endswith(">"):
        return URIRef(token[1:-1])
    if token.startswith(("http://", "https://")):
        return URIRef(token)
    return graph.namespace_manager.expand_curie(token)


def _expectations(path: Path, graph: Graph) -> list[tuple[URIRef, URIRef | None, URIRef | None]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Invalid: "), f"{path.name} must start with '# Invalid: <reason>'"
    expected = []
    for line in lines[1:]:
        if not line.startswith("# Expect:"):
            break
        focus, prop, shape = line.removeprefix("# Expect:").split()
        expected.append((_term(focus, graph), _term(prop, graph), _term(shape, graph)))
    assert expected, f"{path.name} needs at least one '# Expect:' line after '# Invalid:'"
    return expected


def _matches(result, expected) -> bool:
    focus, prop, shape = expected
    return (
        result.focus == focus and result.path == prop and (shape is None or result.shape == shape)
    )


def _shape_name(path: Path) -> str:
    return path.name.split("-")[0]


def test_context_is_valid(context):
    assert validate(context).violations == []


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_case_has_no_violations(path, context):
    data = Graph().parse(path, format="turtle")
    report = validate(data, context=context)
    assert report.violations == [], "\n".join(report.lines(data + context))
    assert report.conforms


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_case_has_exactly_the_expected_violations(path, context):
    data = Graph().parse(path, format="turtle")
    expected = _expectations(path, data)
    report = validate(data, context=context)
    found = report.violations
    unexpected = [r for r in found if not any(_matches(r, e) for e in expected)]
    missing = [e for e in expected if not any(_matches(r, e) for r in found)]
    assert not unexpected, "\n".join(report.lines(data + context))
    assert not missing, f"expected but not reported: {missing}"
    assert not report.conforms


def test_every_shape_with_targets_has_cases():
    shapes = shapes_graph()
    names = {
        str(shape).removeprefix(str(COP._NS))
        for shape in shapes.subjects(SH.targetClass, None)
        if isinstance(shape, URIRef)
    } - ADVICE
    assert names, "the shapes graph has no node shapes with targets"
    for name in sorted(names):
        assert (CASES / f"{name}-valid.ttl").exists(), f"{name} has no valid case"
        invalid = [p for p in INVALID if _shape_name(p) == name]
        wanted = 2 if name in IMPORTANT else 1
        assert len(invalid) >= wanted, f"{name} needs at least {wanted} invalid cases"


def test_case_files_name_real_shapes():
    shapes = shapes_graph()
    for path in VALID + INVALID:
        shape = COP._NS[_shape_name(path)]
        assert (shape, SH.targetClass, None) in shapes, f"{path.name}: no shape {shape}"


def _english_messages(shapes: Graph, node) -> list[str]:
    return [
        str(m)
        for m in shapes.objects(node, SH.message)
        if isinstance(m, Literal) and m.language == "en"
    ]


#: what a node shape may say without needing a message of its own
_NOT_CONSTRAINTS = {SH.property, SH.targetClass, SH.severity, SH.message, SH.deactivated}


def _needs_message(shapes: Graph) -> set:
    """Property shapes, SPARQL constraints and node shapes with constraints of their own."""
    needs = set(shapes.subjects(SH.path, None)) | set(shapes.objects(None, SH.sparql))
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        own = {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH))}
        if own - _NOT_CONSTRAINTS:
            needs.add(shape)
    return needs


def test_every_property_shape_and_constraint_has_an_english_message():
    shapes = shapes_graph()
    needs = _needs_message(shapes)
    assert len(needs) > 50
    missing = [n for n in needs if not _english_messages(shapes, n)]
    assert not missing, f"shapes without an English sh:message: {missing}"


def test_messages_speak_plainly():
    shapes = shapes_graph()
    messages = [str(m) for m in shapes.objects(None, SH.message)]
    assert messages
    for message in messages:
        assert not JARGON.search(message), message
        assert message[:1].isupper() and message.endswith("."), message


def test_advice_is_a_warning_and_everything_else_a_violation():
    shapes = shapes_graph()
    advice = {COP._NS[name] for name in ADVICE | {"PartnershipShape-partnerCount"}}
    assert set(shapes.subjects(SH.severity, SH.Warning)) == advice
    assert set(shapes.subjects(SH.severity, None)) == advice
