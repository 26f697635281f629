"""The store contract: every backend (memory, disk, remote) must pass every test here.

The app is written against :class:`cop_graph.store.Store` only, so a difference between
backends would be a bug that shows up only in one deployment. On-disk specifics (keeping data,
the single-writer lock) are at the end.
"""

from __future__ import annotations

import io
import subprocess
import sys
from itertools import count as counter

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, XSD

from cop_graph.errors import QueryError, StoreError
from cop_graph.files.terms import to_rdflib
from cop_graph.namespaces import COP, GRAPH, ID
from cop_graph.store import CATALOGUE, Change, Store
from cop_graph.store.base import STAGING
from cop_graph.store.oxigraph import OxigraphStore

FIRST = GRAPH["test-first"]
SECOND = GRAPH["test-second"]
WIGAN_WALKS = ID["community/wigan-walks"]
BURY_GROWERS = ID["community/bury-growers"]
WIGAN = ID["place/wigan"]
BURY = ID["place/bury"]
WALKING = ID["practice/health-walks"]

FIRST_TRIPLES = {
    (WIGAN_WALKS, RDFS.label, Literal("Wigan Walks")),
    (WIGAN_WALKS, COP.operatesIn, WIGAN),
    (WIGAN_WALKS, COP.sharesPractice, WALKING),
    (WIGAN, RDFS.label, Literal("Wigan", lang="en")),
    (WIGAN, COP.gssCode, Literal("E08000010")),
}
SECOND_TRIPLES = {
    (BURY_GROWERS, RDFS.label, Literal("Bury Growers")),
    (BURY_GROWERS, COP.operatesIn, BURY),
    (BURY_GROWERS, DCTERMS.created, Literal("2024-03-01", datatype=XSD.date)),
    (BURY, RDFS.label, Literal("Bury", lang="en")),
    (WALKING, RDFS.label, Literal("Health walks")),
}


def record(graph: URIRef, title: str) -> Graph:
    """A catalogue record of ``graph``, as the loaders write one."""
    catalogue = Graph()
    catalogue.add((graph, DCTERMS.title, Literal(title)))
    return catalogue


@pytest.fixture
def filled(store):
    """The store holding two graphs and their catalogue records."""
    catalogue = record(FIRST, "first") + record(SECOND, "second")
    store.commit(Change(put={FIRST: FIRST_TRIPLES, SECOND: SECOND_TRIPLES}, catalogue=catalogue))
    return store


@pytest.fixture
def store(contract_store) -> Store:
    """The store contract runs on every backend, Virtuoso included."""
    return contract_store


def every_quad(store) -> set[tuple]:
    """Every quad in every graph, staging graphs included: the whole state of the store."""
    rows = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return set(rows)


def every_graph_name(store) -> set[URIRef]:
    # from the graphs' triples: Virtuoso answers GRAPH ?g {} with one unbound row
    return {row[0] for row in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}


# -- reading what was committed ------------------------------------------------------------------


def test_committed_graphs_are_listed_with_the_catalogue(filled):
    assert filled.named_graphs() == sorted([CATALOGUE, FIRST, SECOND])


def test_select_sees_committed_triples(filled):
    result = filled.query("SELECT ?place WHERE { ?community cop:operatesIn ?place }")
    assert result.variables == ["place"]
    assert set(result) == {(WIGAN,), (BURY,)}


def test_unbound_optional_values_are_none(filled):
    result = filled.query(
        "SELECT ?community ?code WHERE { ?community cop:operatesIn ?place "
        "OPTIONAL { ?community cop:gssCode ?code } }"
    )
    assert set(result) == {(WIGAN_WALKS, None), (BURY_GROWERS, None)}
    assert {"community": WIGAN_WALKS} in result.dicts()


def test_ask_answers_true_or_false(filled):
    assert filled.query(f"ASK {{ ?c cop:operatesIn <{WIGAN}> }}") is True
    assert filled.query(f"ASK {{ ?c cop:operatesIn <{ID['place/oldham']}> }}") is False


def test_construct_gives_an_rdflib_graph(filled):
    result = filled.query(
        "CONSTRUCT { ?place rdfs:label ?name } WHERE { ?c cop:operatesIn ?place . "
        "?place rdfs:label ?name }"
    )
    assert isinstance(result, Graph)
    assert set(result) == {
        (WIGAN, RDFS.label, Literal("Wigan", lang="en")),
        (BURY, RDFS.label, Literal("Bury", lang="en")),
    }


def test_default_graph_is_the_union_of_all_graphs(filled):
    # the practice's label is in the second graph, the community that shares it in the first
    result = filled.query(
        "SELECT ?community ?name WHERE { ?community cop:sharesPractice ?p . ?p rdfs:label ?name }"
    )
    assert set(result) == {(WIGAN_WALKS, Literal("Health walks"))}


def test_default_graph_can_be_restricted(filled):
    query = "SELECT ?community WHERE { ?community cop:operatesIn ?place }"
    assert set(filled.query(query, default_graph=[FIRST])) == {(WIGAN_WALKS,)}
    assert set(filled.query(query, default_graph=[FIRST, SECOND])) == {
        (WIGAN_WALKS,),
        (BURY_GROWERS,),
    }
    assert len(filled.query(query, default_graph=[])) == 0


def test_select_text_gives_plain_values_and_empty_text_for_unbound(filled):
    query = (
        "SELECT ?community ?name ?created ?code WHERE { ?community rdfs:label ?name ; "
        "dcterms:created ?created OPTIONAL { ?community cop:gssCode ?code } }"
    )
    assert filled.select_text(query) == [
        (str(BURY_GROWERS), "Bury Growers", "2024-03-01", ""),
    ]
    names = "SELECT ?name WHERE { ?place cop:gssCode ?code ; rdfs:label ?name }"
    assert filled.select_text(names, default_graph=[FIRST]) == [("Wigan",)]


def test_select_text_refuses_other_query_forms(filled):
    with pytest.raises(QueryError, match="SELECT"):
        filled.select_text("ASK { ?s ?p ?o }")


def test_named_graphs_restrict_what_graph_can_see(filled):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert set(filled.query(query, named_graphs=[SECOND])) == {(SECOND,)}
    assert len(filled.query(query, named_graphs=[])) == 0


def test_restricting_one_side_of_the_dataset_leaves_the_other_whole(filled):
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    seen = {row[0] for row in filled.query(graphs, default_graph=[FIRST])}
    assert seen == {CATALOGUE, FIRST, SECOND}
    union = filled.query(everything).scalar()
    assert filled.query(everything, named_graphs=[FIRST]).scalar() == union


def test_graph_gives_a_copy_of_one_graph(filled):
    assert set(filled.graph(FIRST)) == FIRST_TRIPLES
    assert len(filled.graph(GRAPH["test-missing"])) == 0


# -- bindings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        pytest.param("o", WIGAN, WIGAN_WALKS, id="iri"),
        pytest.param("o", Literal("Bury Growers"), BURY_GROWERS, id="plain-literal"),
        pytest.param("o", Literal("Wigan", lang="en"), WIGAN, id="language-tagged"),
        pytest.param("o", Literal("2024-03-01", datatype=XSD.date), BURY_GROWERS, id="typed"),
    ],
)
def test_a_bound_value_selects_its_subject(filled, variable, value, expected):
    # the embedded engine only takes values for variables the query selects
    result = filled.query("SELECT DISTINCT ?s ?o WHERE { ?s ?p ?o }", {variable: value})
    assert set(result) == {(expected, value)}


def test_a_language_tag_or_datatype_is_part_of_the_value(filled):
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    assert len(filled.query(query, {"o": Literal("Wigan")})) == 0
    assert len(filled.query(query, {"o": Literal("2024-03-01")})) == 0


def test_several_bindings_and_the_bound_variable_in_the_answer(filled):
    result = filled.query(
        "SELECT ?c ?place ?name WHERE { ?c cop:operatesIn ?place ; rdfs:label ?name }",
        {"place": BURY, "name": Literal("Bury Growers")},
    )
    assert result.dicts() == [{"c": BURY_GROWERS, "place": BURY, "name": Literal("Bury Growers")}]


def test_bindings_reach_filters_optionals_and_aggregates(filled):
    result = filled.query(
        "SELECT ?place (COUNT(?c) AS ?communities) WHERE { "
        "OPTIONAL { ?c cop:operatesIn ?any FILTER(?any = ?place) } } GROUP BY ?place",
        {"place": WIGAN},
    )
    assert set(result) == {(WIGAN, Literal(1))}


def test_bindings_with_construct_ask_and_a_sub_query(filled):
    graph = filled.query(
        "CONSTRUCT { ?c cop:operatesIn ?place } WHERE { ?c cop:operatesIn ?place }",
        {"place": BURY},
    )
    assert set(graph) == {(BURY_GROWERS, COP.operatesIn, BURY)}
    assert filled.query("ASK { ?c cop:operatesIn ?place }", {"place": BURY}) is True
    assert filled.query("ASK { ?c cop:operatesIn ?place }", {"place": ID["place/x"]}) is False
    nested = filled.query(
        "SELECT ?c ?place WHERE { { SELECT ?c ?place WHERE { ?c cop:operatesIn ?place } } }",
        {"place": WIGAN},
    )
    assert set(nested) == {(WIGAN_WALKS, WIGAN)}


def test_bindings_are_values_never_query_text(filled):
    sneaky = Literal('x" } ?s ?p ?o . { # } "')
    assert len(filled.query("SELECT ?s ?name WHERE { ?s rdfs:label ?name }", {"name": sneaky})) == 0


# -- writing -------------------------------------------------------------------------------------


def test_putting_a_graph_replaces_it_and_its_catalogue_record(filled):
    new = {(WIGAN_WALKS, RDFS.label, Literal("Wigan Walking Group"))}
    filled.commit(Change(put={FIRST: new}, catalogue=record(FIRST, "first, again")))
    assert set(filled.graph(FIRST)) == new
    assert set(filled.graph(SECOND)) == SECOND_TRIPLES
    assert set(filled.graph(CATALOGUE)) == {
        (FIRST, DCTERMS.title, Literal("first, again")),
        (SECOND, DCTERMS.title, Literal("second")),
    }


def test_dropping_a_graph_removes_it_and_its_catalogue_record(filled):
    filled.drop([FIRST])
    assert filled.named_graphs() == [CATALOGUE, SECOND]
    assert set(filled.graph(CATALOGUE)) == {(SECOND, DCTERMS.title, Literal("second"))}
    assert set(filled.graph(SECOND)) == SECOND_TRIPLES


def test_a_failed_update_step_leaves_the_store_exactly_as_it_was(filled, monkeypatch):
    before = every_quad(filled)
    real_update = filled._update

    def update_failing_at_the_commit(sparql_update):
        if "MOVE" in sparql_update:
            raise StoreError("the server went away in the middle of the commit")
        real_update(sparql_update)

    monkeypatch.setattr(filled, "_update", update_failing_at_the_commit)
    change = Change(put={FIRST: {(WIGAN, RDFS.label, Literal("changed"))}}, drop=[SECOND])
    with pytest.raises(StoreError, match="middle of the commit"):
        filled.commit(change)
    assert every_quad(filled) == before
    assert not any(str(name).startswith(STAGING) for name in every_graph_name(filled))


def test_an_upload_failing_half_way_leaves_nothing(filled):
    before = every_quad(filled)
    numbers = counter()

    def triples_then_a_failure():
        for n in range(50):
            yield ID[f"thing/{n}"], RDFS.label, Literal(f"thing {n}")
            if next(numbers) == 30:
                raise OSError("the spreadsheet could not be read any further")

    change = Change(
        put={GRAPH["test-whole"]: FIRST_TRIPLES, GRAPH["test-broken"]: triples_then_a_failure()},
        catalogue=record(GRAPH["test-whole"], "whole"),
    )
    with pytest.raises(OSError, match="any further"):
        filled.commit(change)
    assert every_quad(filled) == before
    assert not any(str(name).startswith(STAGING) for name in every_graph_name(filled))


def test_staging_graphs_are_hidden_and_cleaned_up(filled):
    # what a crash between the two steps of a commit leaves behind
    leftover = URIRef(f"{STAGING}0123abcd/0")
    filled._insert([(WIGAN, RDFS.label, Literal("half-done"), leftover)])
    assert leftover in every_graph_name(filled)
    assert leftover not in filled.named_graphs()
    filled.clean_staging()
    assert leftover not in every_graph_name(filled)
    assert filled.named_graphs() == sorted([CATALOGUE, FIRST, SECOND])


def test_staging_graphs_cannot_be_written_directly(store):
    with pytest.raises(ValueError, match="staging"):
        store.commit(Change(put={URIRef(f"{STAGING}x/0"): FIRST_TRIPLES}))


# -- counting, neighbourhoods, dumps -------------------------------------------------------------


def test_count_per_graph_and_in_total(filled):
    assert filled.count(FIRST) == len(FIRST_TRIPLES)
    assert filled.count(SECOND) == len(SECOND_TRIPLES)
    assert filled.count(GRAPH["test-missing"]) == 0
    assert filled.count() == len(FIRST_TRIPLES) + len(SECOND_TRIPLES) + 2


def test_count_of_an_empty_store_is_zero(store):
    assert store.count() == 0
    assert store.named_graphs() == []


def test_outgoing_gives_what_nodes_link_to_from_every_graph(filled):
    found = filled.outgoing([WIGAN_WALKS, WALKING, Literal("not a node")])
    assert set(found) == {
        t for t in FIRST_TRIPLES | SECOND_TRIPLES if t[0] in (WIGAN_WALKS, WALKING)
    }


def test_outgoing_leaves_out_excluded_and_staging_graphs(filled):
    filled._insert([(WALKING, RDFS.comment, Literal("being replaced"), URIRef(f"{STAGING}9/0"))])
    found = filled.outgoing([WIGAN_WALKS, WALKING], exclude=[FIRST])
    assert set(found) == {(WALKING, RDFS.label, Literal("Health walks"))}


@pytest.mark.parametrize(
    ("rdf_format", "parser_format"),
    [("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)],
)
def test_dump_parses_back_to_the_same_quads(filled, rdf_format, parser_format):
    written = io.BytesIO()
    filled.dump(written, rdf_format)
    dumped = {
        tuple(to_rdflib(term) for term in (q.subject, q.predicate, q.object, q.graph_name))
        for q in ox.parse(written.getvalue(), parser_format)
    }
    assert dumped == every_quad(filled)


def test_dump_of_chosen_graphs_as_triples(filled):
    written = io.BytesIO()
    filled.dump(written, "turtle", graphs=[SECOND])
    assert set(Graph().parse(data=written.getvalue(), format="turtle")) == SECOND_TRIPLES


# -- awkward values and malformed queries --------------------------------------------------------

AWKWARD = [
    Literal("Café ☕ Ōldham – “quoted” 𝄞"),
    Literal("quotes \" and ' and backslash \\ and \\u0022 and \\n"),
    Literal("line one\nline two\r\n\tend"),
    Literal("x" * 100_000 + "\n" + "y" * 100_000),
    Literal("Stockport", lang="en-GB"),
    Literal("12", datatype=XSD.integer),
]


def test_unicode_and_long_literals_round_trip(store):
    triples = {(ID[f"thing/{n}"], RDFS.label, value) for n, value in enumerate(AWKWARD)}
    store.commit(Change(put={FIRST: triples}))
    assert set(store.graph(FIRST)) == triples
    for n, value in enumerate(AWKWARD):
        found = store.query("SELECT ?s ?v WHERE { ?s rdfs:label ?v }", {"v": value})
        assert set(found) == {(ID[f"thing/{n}"], value)}, value[:40]
    answered = store.query("SELECT ?s ?v WHERE { ?s rdfs:label ?v }")
    assert {(s, RDFS.label, v) for s, v in answered} == triples


def test_a_malformed_query_raises_query_error_with_the_parsers_message(store):
    # the parser's own words, with the line counted from the query's first (Virtuoso: "line")
    parsers = r"not valid SPARQL.*(error at 2:\d+: expected|line 2: syntax error)"
    with pytest.raises(QueryError, match=parsers):
        store.query("SELECT ?s\nWHERE { ?s ?p }")


# -- on disk only --------------------------------------------------------------------------------


def test_disk_store_keeps_its_data_after_closing(tmp_path):
    with OxigraphStore(tmp_path / "store") as first:
        first.commit(Change(put={FIRST: FIRST_TRIPLES}))
    with OxigraphStore(tmp_path / "store") as again:
        assert set(again.graph(FIRST)) == FIRST_TRIPLES


def test_disk_store_creates_missing_parent_folders(tmp_path):
    with OxigraphStore(tmp_path / "var" / "store") as fresh:
        assert fresh.count() == 0
    assert (tmp_path / "var" / "store").is_dir()


def test_disk_store_opened_twice_says_it_is_in_use(tmp_path):
    with OxigraphStore(tmp_path / "store"), pytest.raises(StoreError, match="in use"):
        OxigraphStore(tmp_path / "store")


def test_opening_removes_what_an_interrupted_change_left_and_says_so(tmp_path, caplog):
    with OxigraphStore(tmp_path / "store") as first:
        first.commit(Change(put={FIRST: FIRST_TRIPLES}))
        # what a crash between the two steps of a commit leaves behind
        first._insert([
            (WIGAN, RDFS.label, Literal("half-done"), URIRef(f"{STAGING}0123abcd/0")),
            (BURY, RDFS.label, Literal("half-done"), URIRef(f"{STAGING}0123abcd/0")),
            (FIRST, DCTERMS.title, Literal("half-done"), URIRef(f"{STAGING}0123abcd/catalogue")),
        ])  # fmt: skip
    with OxigraphStore(tmp_path / "store") as again:
        assert every_graph_name(again) == {FIRST}
        assert again.count() == len(FIRST_TRIPLES)
    assert "Removed 2 staging graphs (3 facts)" in caplog.text
    assert "half-done" not in caplog.text


def test_opening_a_clean_store_says_nothing(tmp_path, caplog):
    with OxigraphStore(tmp_path / "store") as first:
        first.commit(Change(put={FIRST: FIRST_TRIPLES}))
    OxigraphStore(tmp_path / "store").close()
    assert "staging" not in caplog.text


def test_disk_store_in_use_by_another_program_says_so(tmp_path):
    other_program = (
        "import sys\n"
        "from cop_graph.errors import StoreError\n"
        "from cop_graph.store.oxigraph import OxigraphStore\n"
        "try:\n"
        "    OxigraphStore(sys.argv[1])\n"
        "except StoreError as error:\n"
        "    print(error)\n"
    )
    with OxigraphStore(tmp_path / "store"):
        finished = subprocess.run(
            [sys.executable, "-c", other_program, str(tmp_path / "store")],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert "is in use by another program" in finished.stdout, finished.stderr


# -- on disk, read from a copy in memory ---------------------------------------------------------


def _quads_on_disk(path) -> set[tuple]:
    with OxigraphStore(path) as plain:
        return set(plain.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))


def test_the_copy_in_memory_starts_with_what_the_disk_holds(tmp_path):
    with OxigraphStore(tmp_path / "store") as first:
        first.commit(Change(put={FIRST: FIRST_TRIPLES}))
    with OxigraphStore(tmp_path / "store", memory_reads=True) as mirrored:
        assert mirrored.memory_reads
        assert set(mirrored.graph(FIRST)) == FIRST_TRIPLES
        assert mirrored.reader is not mirrored.native


def test_every_write_reaches_the_disk_and_the_copy_alike(tmp_path):
    with OxigraphStore(tmp_path / "store", memory_reads=True) as mirrored:
        mirrored.commit(Change(put={FIRST: FIRST_TRIPLES, SECOND: SECOND_TRIPLES}))
        mirrored.commit(Change(put={FIRST: {(WIGAN, RDFS.label, Literal("changed"))}}))
        mirrored.drop([SECOND])
        seen = every_quad(mirrored)
        assert set(mirrored.native) == set(mirrored.reader)
    assert _quads_on_disk(tmp_path / "store") == seen
    assert seen == {(WIGAN, RDFS.label, Literal("changed"), FIRST)}


class _BrokenCopy:
    """The copy in memory once it has run out of room: it reads, but takes no more writes."""

    def __init__(self, copy: ox.Store):
        self._copy = copy

    def __getattr__(self, name):
        return getattr(self._copy, name)

    def extend(self, quads):
        raise MemoryError

    def update(self, sparql_update):
        raise MemoryError


def test_a_copy_that_cannot_take_a_write_gives_way_to_the_disk(tmp_path, caplog):
    with OxigraphStore(tmp_path / "store", memory_reads=True) as mirrored:
        mirrored._reader = _BrokenCopy(mirrored.reader)
        mirrored.commit(Change(put={FIRST: FIRST_TRIPLES}))
        assert not mirrored.memory_reads
        assert set(mirrored.graph(FIRST)) == FIRST_TRIPLES
    assert "reading from disk" in caplog.text
    assert "Wigan" not in caplog.text
