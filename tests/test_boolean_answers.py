"""Typing a query's answer columns as booleans, and reading a server's numbers back as them.

The typing is checked against a real engine: every column it calls boolean must come back
from the embedded store as ``xsd:boolean``, and every other column as something else.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal
from rdflib.namespace import RDFS, XSD

from cop_graph.namespaces import COP, GRAPH, ID
from cop_graph.store import Change
from cop_graph.store.boolean_answers import boolean_variables, booleans_in_json
from cop_graph.store.oxigraph import OxigraphStore

TEA = ID["community/tea"]
TRIPLES = [
    (TEA, RDFS.label, Literal("Tea club", lang="en")),
    (TEA, COP.operatesIn, ID["place/bolton"]),
    (TEA, COP.illustrative, Literal(True)),
]

#: (projected expression, whether it is a boolean), each over ``?c ?p ?o`` matched below
EXPRESSIONS = [
    ("EXISTS { ?c cop:illustrative true }", True),
    ("NOT EXISTS { ?c cop:illustrative true }", True),
    ("?o = 'x'", True),
    ("?o IN ('x', 'y')", True),
    ("?c != ?o && BOUND(?o)", True),
    ("!BOUND(?o) || isIRI(?o)", True),
    ("isURI(?o)", True),
    ("isBlank(?o)", True),
    ("isLiteral(?o)", True),
    ("isNumeric(?o)", True),
    ("sameTerm(?c, ?o)", True),
    ("REGEX(STR(?o), 'a')", True),
    ("CONTAINS(STR(?o), 'a')", True),
    ("STRSTARTS(STR(?o), 'a')", True),
    ("STRENDS(STR(?o), 'a')", True),
    ("LANGMATCHES(LANG(?o), 'en')", True),
    ("IF(BOUND(?o), true, false)", True),
    ("COALESCE(?o = 1, false)", True),
    ("true", True),
    ('"1"^^xsd:boolean', True),
    ("xsd:boolean(1)", True),
    ("<http://www.w3.org/2001/XMLSchema#boolean>(0)", True),
    ("IF(BOUND(?o), 1, false)", False),
    ("COALESCE(?o, false)", False),
    ("?o", False),
    ("STR(?o)", False),
    ("1 + 1", False),
    ('"1"^^xsd:integer', False),
    ("xsd:integer('1')", False),
]


@pytest.fixture(scope="module")
def embedded():
    store = OxigraphStore(None)
    store.commit(Change(put={GRAPH["test"]: TRIPLES}))
    yield store
    store.close()


@pytest.mark.parametrize(("expression", "boolean"), EXPRESSIONS)
def test_a_computed_column_is_typed_as_the_engine_types_it(embedded, expression, boolean):
    query = f"SELECT ?c ({expression} AS ?v) WHERE {{ ?c ?p ?o }}"
    assert boolean_variables(query) == (frozenset({"v"}) if boolean else frozenset())
    values = [row[1] for row in embedded.query(query) if row[1] is not None]
    answered = {getattr(value, "datatype", None) for value in values}
    assert answered, "the engine should give the column a value"
    assert (answered == {XSD.boolean}) is boolean


def test_a_bound_boolean_keeps_its_type_through_grouping_and_copies(embedded):
    query = (
        "SELECT ?c ?made ?copy (SAMPLE(?made) AS ?one) (COUNT(*) AS ?n) WHERE { ?c ?p ?o "
        "BIND(EXISTS { ?c cop:illustrative true } AS ?made) BIND(?made AS ?copy) } "
        "GROUP BY ?c ?made ?copy"
    )
    assert boolean_variables(query) == {"made", "copy", "one"}
    assert {row[1].datatype for row in embedded.query(query)} == {XSD.boolean}


def test_a_matched_or_merely_copied_variable_is_not_a_boolean():
    # ?threshold is a parameter the query only groups by; ?o is matched by a pattern
    assert (
        boolean_variables(
            "SELECT ?c ?threshold ?o WHERE { { ?c ?p ?o } UNION { BIND(true AS ?o) } } "
            "GROUP BY ?c ?threshold ?o"
        )
        == frozenset()
    )


def test_sub_queries_and_select_star_are_typed():
    assert boolean_variables(
        "SELECT * WHERE { { SELECT ?c (BOUND(?c) AS ?known) WHERE { ?c ?p ?o } } }"
    ) == {"known"}


def test_queries_the_parser_cannot_read_or_that_are_not_tables_are_left_alone():
    assert boolean_variables("SELECT (EXISTS { AS ?broken) WHERE {") == frozenset()
    assert boolean_variables("CONSTRUCT { ?c cop:x ?b } WHERE { BIND(true AS ?b) }") == set()
    assert boolean_variables("SELECT ?c WHERE { ?c ?p ?o }") == frozenset()


def test_queries_differing_only_in_their_constants_are_typed_once():
    base = "SELECT ?c (EXISTS {{ ?c rdfs:label {} }} AS ?x) WHERE {{ ?c ?p {} }}"
    boolean_variables(base.format('"a"', "<https://example.org/a>"))
    from cop_graph.store.boolean_answers import _typed

    before = _typed.cache_info()
    assert boolean_variables(base.format('"b"', "<https://example.org/b>")) == {"x"}
    after = _typed.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


JSON = b"""{ "head": { "vars": ["x", "n", "s", "b"] }, "results": { "bindings": [
 { "x": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
          "value": "1" },
   "n": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
          "value": "1" },
   "s": { "type": "literal", "value": "\\"x\\": { \\"type\\": \\"typed-literal\\" }" },
   "b": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean",
          "value": "0" } },
 { "x": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
          "value": "0" } } ] } }"""


def test_integers_of_boolean_columns_are_read_as_booleans_and_nothing_else_changes():
    content = b" ".join(JSON.split())  # the layout Virtuoso writes: one space at most
    rows = list(
        ox.parse_query_results(booleans_in_json(content, {"x"}), ox.QueryResultsFormat.JSON)
    )
    boolean = ox.NamedNode(str(XSD.boolean))
    assert rows[0]["x"] == ox.Literal("true", datatype=boolean)
    assert rows[1]["x"] == ox.Literal("false", datatype=boolean)
    assert rows[0]["n"] == ox.Literal("1", datatype=ox.NamedNode(str(XSD.integer)))
    assert rows[0]["s"].value == '"x": { "type": "typed-literal" }'
    assert rows[0]["b"] == ox.Literal("false", datatype=boolean)  # a stored boolean, as a word
