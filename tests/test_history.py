"""The history of changes: each recorded, undone exactly, by the right people, never public."""

from __future__ import annotations

import gzip
import re

import pytest
from click.testing import CliRunner
from rdflib.compare import to_isomorphic
from workbooks import GOOD, replace_cell, with_rows, xlsx

from cop_graph.cli import cli
from cop_graph.ids import mint
from cop_graph.ingest.history import (
    UndoRefused,
    community_history,
    list_changes,
    remove_import,
    undo_change,
)
from cop_graph.ingest.importer import import_workbook
from cop_graph.namespaces import COP, RDF
from cop_graph.queries.catalogue import graph_iri
from cop_graph.scope import Scope, is_history
from cop_graph.sparql.dumps import DumpCache
from cop_graph.store import open_store
from cop_graph.store.oxigraph import BULK_FROM

HALLIWELL = mint("community", "halliwell-walkers")
ACCOUNT = "coordinator-zebedee"


def snapshot(store) -> dict:
    """Every graph but the history, each as a canonical graph (to compare by isomorphism)."""
    return {
        name: to_isomorphic(store.graph(name))
        for name in store.named_graphs()
        if not is_history(name)
    }


def same(first: dict, second: dict) -> bool:
    return first.keys() == second.keys() and all(first[g] == second[g] for g in first)


def second_version() -> dict:
    sheets = replace_cell(GOOD, "Communities", 2, "Practices", "Walking football")
    sheets = with_rows(sheets, "Practices", ["Walking football"])
    return replace_cell(sheets, "Memberships", 2, "Role", "Agenda activist")


def test_every_import_is_recorded_with_who_when_and_what(seeded_store):
    import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx", who="sam")
    import_workbook(seeded_store, xlsx(second_version()), filename="other.xlsx", who="kim")
    newest, oldest = list_changes(seeded_store)
    assert (newest.id, newest.who, newest.kind) == ("2", "kim", "import")
    assert (oldest.id, oldest.who) == ("1", "sam")
    assert newest.when >= oldest.when
    assert newest.lines[str(HALLIWELL)] == [
        "added practice Walking football",
        "removed practice Health walks",
        "added a member (Agenda activist)",
        "removed a member (Community keeper)",
    ]
    lines = community_history(seeded_store, HALLIWELL)
    assert len(lines) == 5
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}: kim added practice Walking football", lines[0])
    assert lines[-1].endswith(": sam added community Halliwell walkers")
    assert community_history(seeded_store, mint("community", "nobody")) == []


def test_undo_restores_exactly_the_earlier_facts(seeded_store):
    import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx", who="sam")
    before = snapshot(seeded_store)
    second = import_workbook(seeded_store, xlsx(second_version()), filename="other.xlsx", who="sam")
    assert not same(snapshot(seeded_store), before)
    undone = undo_change(seeded_store, second.change_id, who="sam", is_admin=False)
    assert same(snapshot(seeded_store), before)
    assert (undone.added, undone.removed) == (second.removed, second.added)
    assert undone.lines[HALLIWELL][0] == "undid: added practice Walking football"
    # the undo is a change too, and undoing it puts the second version back
    after_undo = snapshot(seeded_store)
    assert list_changes(seeded_store)[0].kind == "undo"
    undo_change(seeded_store, undone.change_id, who="sam", is_admin=False)
    assert not same(snapshot(seeded_store), after_undo)
    assert graph_iri("import/other") in seeded_store.named_graphs()


def large_version(practices: int) -> dict:
    """The workbook with ``practices`` more practices, each a few facts."""
    return with_rows(GOOD, "Practices", *([f"Bulk practice {n}"] for n in range(practices)))


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk"])
def test_a_large_import_is_written_from_its_converted_facts_and_undone_exactly(
    seeded_store, seeded_store_path, on_disk
):
    store = open_store(str(seeded_store_path)) if on_disk else seeded_store
    import_workbook(store, xlsx(GOOD), filename="halliwell.xlsx", who="sam")
    before = snapshot(store)
    large = import_workbook(store, xlsx(large_version(2000)), filename="halliwell.xlsx", who="sam")
    assert large.triples + large.private_triples >= BULK_FROM  # written in bulk
    assert store.count(large.graph) == large.triples
    practice = (mint("practice", "Bulk practice 1999"), RDF.type, COP.Practice)
    assert practice in store.graph(large.graph)
    written = snapshot(store)
    undone = undo_change(store, large.change_id, who="sam", is_admin=False)
    assert same(snapshot(store), before)  # the history's checksums matched what was written
    assert (undone.added, undone.removed) == (large.removed, large.added)
    undo_change(store, undone.change_id, who="sam", is_admin=False)
    assert same(snapshot(store), written)
    if on_disk:
        store.close()


def test_only_the_author_or_an_administrator_may_undo(seeded_store):
    result = import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx", who="sam")
    facts = seeded_store.count()
    with pytest.raises(UndoRefused, match="only by the person who made it or an administrator"):
        undo_change(seeded_store, result.change_id, who="kim", is_admin=False)
    assert seeded_store.count() == facts
    undo_change(seeded_store, result.change_id, who="kim", is_admin=True)
    assert graph_iri("import/halliwell") not in seeded_store.named_graphs()


def test_a_later_change_to_the_same_graphs_must_be_undone_first(seeded_store):
    first = import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx", who="sam")
    second = import_workbook(seeded_store, xlsx(second_version()), filename="h.xlsx", who="sam")
    facts = seeded_store.count()
    with pytest.raises(UndoRefused, match=f"change {second.change_id} changed import/"):
        undo_change(seeded_store, first.change_id, who="sam", is_admin=False)
    assert seeded_store.count() == facts
    undo_change(seeded_store, second.change_id, who="sam", is_admin=False)
    undo_change(seeded_store, first.change_id, who="sam", is_admin=False)
    assert not [g for g in seeded_store.named_graphs() if "/graph/import/" in str(g)]


def test_an_unknown_change_is_a_usage_error(seeded_store):
    from cop_graph.errors import UsageError

    with pytest.raises(UsageError, match="there is no change 7 in the history"):
        undo_change(seeded_store, "7", who="sam", is_admin=True)


def test_a_removed_import_comes_back_exactly_on_undo(seeded_store):
    result = import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx", who="sam")
    before = snapshot(seeded_store)
    removal = remove_import(seeded_store, result.graph, who="sam")
    assert result.graph not in seeded_store.named_graphs() and removal.removed > 10
    undo_change(seeded_store, removal.change_id, who="sam", is_admin=False)
    assert same(snapshot(seeded_store), before)


def test_history_is_in_no_public_scope(demo_store, client):
    store = demo_store
    import_workbook(store, xlsx(GOOD), filename="halliwell.xlsx", who=ACCOUNT)
    history = [g for g in store.named_graphs() if is_history(g)]
    assert history
    for scope in (Scope.public(store), Scope.everything(store)):
        assert not set(history) & set(scope.graphs)
    query = "SELECT ?change WHERE { GRAPH ?g { ?change a prov:Activity } }"
    answer = client.get("/sparql", query_string={"query": query},
                        headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.get_json()["results"]["bindings"] == []
    text = 'SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "Halliwell walkers")) }'
    answer = client.get("/sparql", query_string={"query": text},
                        headers={"Accept": "text/csv"})  # fmt: skip
    assert "/graph/history/" not in answer.text and "prov#Activity" not in answer.text
    page = client.get(f"/id/community/{HALLIWELL.rsplit('/', 1)[-1]}")
    assert page.status_code == 200 and "/graph/history/" not in page.text
    cache = DumpCache()
    dump = gzip.decompress(cache.file(store, "cop-graph-public.nq.gz").read_bytes())
    cache.close()
    assert b"/graph/history/" not in dump and b"wasAssociatedWith" not in dump


def test_the_history_and_undo_commands(seeded_store_path):
    runner = CliRunner()
    store = ["--store", str(seeded_store_path)]
    workbook = seeded_store_path.parent / "halliwell.xlsx"
    workbook.write_bytes(xlsx(GOOD))
    result = runner.invoke(cli, [*store, "import", str(workbook), "--who", "sam"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, [*store, "history", "--community", "Halliwell walkers"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^ *1 +\S+ +sam +import: added community Halliwell walkers$", result.output,
                     re.M), result.output  # fmt: skip
    result = runner.invoke(cli, [*store, "drop", "import/halliwell"])
    assert result.exit_code == 0 and "'cop-graph undo 2' puts it back" in result.output
    result = runner.invoke(cli, [*store, "undo", "1"])
    assert result.exit_code == 1 and "change 2 changed import/halliwell" in result.output
    result = runner.invoke(cli, [*store, "undo", "2"])
    assert result.exit_code == 0, result.output
    assert "Undid change 2 as change 3" in result.output
    result = runner.invoke(cli, [*store, "graphs"])
    assert "import/halliwell" in result.output
    result = runner.invoke(cli, [*store, "undo", "99"])
    assert result.exit_code == 2 and "there is no change 99" in result.output
