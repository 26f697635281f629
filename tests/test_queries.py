"""Running a named query: parameters checked, values bound as constants, graphs from a scope.

The golden tests of the example queries (``test_sparql_examples.py``) and of the pages check
that the answers are the ones the engine's own bindings would give; these pin how values are
written and that nothing a user types can change a query.
"""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from cop_graph import queries
from cop_graph.errors import QueryError, UsageError
from cop_graph.namespaces import COP, GRAPH, RDF, RDFS
from cop_graph.queries.binding import names_graphs, with_constants
from cop_graph.scope import Scope, private_graph_of
from cop_graph.store import Change, open_store

WIGAN = URIRef("https://w3id.org/cop-graph/id/place/wigan")


@pytest.fixture
def store():
    opened = open_store("memory:")
    opened.commit(
        Change(
            put={
                GRAPH.demo: [
                    (WIGAN, RDF.type, COP.Locality),
                    (WIGAN, RDFS.label, Literal("Wigan")),
                    (WIGAN, COP.gssCode, Literal("E08000010")),
                ],
                private_graph_of(GRAPH.demo): [(WIGAN, RDFS.label, Literal("Secret Wigan"))],
            }
        )
    )
    yield opened
    opened.close()


def test_a_value_in_a_pattern_becomes_a_constant():
    text = "SELECT ?label WHERE { ?thing rdfs:label ?label . ?thingy ?p ?thing }"
    assert with_constants(text, {"thing": WIGAN}) == (
        f"SELECT ?label WHERE {{ <{WIGAN}> rdfs:label ?label . ?thingy ?p <{WIGAN}> }}"
    )


def test_a_projected_or_grouped_variable_keeps_its_name_and_gets_the_value_at_the_end():
    text = (
        "SELECT ?place (COUNT(?c) AS ?n) WHERE { ?c cop:operatesIn ?place } "
        "GROUP BY ?place ORDER BY ?place"
    )
    bound = with_constants(text, {"place": WIGAN})
    assert bound.startswith(
        f"SELECT ?place (COUNT(?c) AS ?n) WHERE {{ ?c cop:operatesIn <{WIGAN}> }}"
    )
    assert "GROUP BY ?place ORDER BY ?place" in bound
    assert bound.endswith(f"VALUES (?place) {{ (<{WIGAN}>) }}")


def test_strings_comments_and_iris_are_never_rewritten():
    text = (
        '# about ?thing\nASK { ?thing rdfs:comment "?thing" ; rdfs:seeAlso <http://x.org/?thing> }'
    )
    bound = with_constants(text, {"thing": WIGAN})
    assert bound.count(f"<{WIGAN}>") == 1
    assert '"?thing"' in bound and "<http://x.org/?thing>" in bound and "# about ?thing" in bound


def test_a_hostile_value_stays_a_value(store):
    hostile = Literal('Wigan" } ; DROP ALL ; SELECT * WHERE { "')
    rows = queries.run(store, "workbook_find_by_name", wanted=hostile).dicts()
    assert rows == []
    with pytest.raises(QueryError, match="cannot be used in a query"):
        queries.run(store, "page_thing_label", thing=URIRef("http://x.org/a> } ; DROP ALL {"))
    assert len(store.named_graphs()) == 2


def test_named_queries_read_only_their_scope(store):
    def labels(scope):
        code = Literal("E08000010")
        rows = queries.run(store, "workbook_find_by_code", scope=scope, code=code).dicts()
        return {str(row["label"]) for row in rows}

    assert labels(Scope.public(store)) == {"Wigan"}
    assert labels(Scope.everything(store)) == {"Wigan", "Secret Wigan"}
    assert labels(None) == {"Wigan", "Secret Wigan"}  # no scope: the whole store, as its owner


def test_a_found_value_is_projected_as_the_engine_would(store):
    rows = queries.run(store, "workbook_find_by_name", wanted=Literal("Wigan")).dicts()
    assert [(row["thing"], row["wanted"], row["label"]) for row in rows] == [
        (WIGAN, Literal("Wigan"), Literal("Wigan"))
    ]


def test_unknown_parameters_and_queries_are_usage_errors(store):
    with pytest.raises(UsageError, match='the query "page_thing_label" has no parameter place'):
        queries.run(store, "page_thing_label", place=WIGAN)
    with pytest.raises(UsageError, match='there is no query called "nope"'):
        queries.run(store, "nope")


def test_text_answers_cannot_name_graphs_in_a_scope(store):
    assert names_graphs("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert not names_graphs('SELECT * WHERE { ?s rdfs:comment "GRAPH" }')
    with pytest.raises(UsageError, match="names graphs"):
        queries.run(store, "page_catalogue_stamp", scope=Scope.public(store), as_text=True)
    rows = queries.run(store, "network_knowledge", scope=Scope.public(store), as_text=True)
    assert (str(WIGAN), str(RDFS.label), "Wigan", "", "") in rows
    assert not any("Secret" in cell for row in rows for cell in row)
