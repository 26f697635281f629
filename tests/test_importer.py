"""Importing workbooks: all or nothing, one graph with provenance, newer versions replace older."""

from __future__ import annotations

import gc
import io

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal
from workbooks import GOOD, csv_zip, replace_cell, with_rows, xlsx

from cop_graph.cli import cli
from cop_graph.ids import mint
from cop_graph.ingest import importer
from cop_graph.ingest.importer import import_workbook
from cop_graph.namespaces import COP, RDFS
from cop_graph.queries.catalogue import graph_iri, list_graphs
from cop_graph.scope import is_history, private_graph_of
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.workbook.report import ImportRejected
from cop_graph.workbook.sheets import SHEETS

HALLIWELL = mint("community", "halliwell-walkers")


def quads(store) -> list[str]:
    out = io.BytesIO()
    store.dump(out, "nquads")
    return sorted(out.getvalue().decode().splitlines())


def problems_of(store, sheets, **options) -> list[str]:
    before = quads(store)
    with pytest.raises(ImportRejected) as caught:
        import_workbook(store, xlsx(sheets), filename="test.xlsx", **options)
    assert quads(store) == before, "a rejected import must not change the store"
    return [line for line in caught.value.lines() if not line.startswith("Advice:")]


def test_a_workbook_is_saved_as_one_graph_with_provenance(seeded_store):
    result = import_workbook(seeded_store, xlsx(GOOD), filename="Halliwell.xlsx", who="sam")
    assert result.graph == graph_iri("import/halliwell")
    assert result.rows == 6 and not result.dry_run
    public = seeded_store.graph(result.graph)
    private = seeded_store.graph(private_graph_of(result.graph))
    assert (HALLIWELL, RDFS.label, Literal("Halliwell walkers", lang="en")) in public
    assert (mint("person", "p1"), RDFS.label, Literal("Sam Taylor")) in private
    assert not any("Sam Taylor" in str(o) for o in public.objects())
    (record,) = [r for r in list_graphs(seeded_store) if r.graph == str(result.graph)]
    assert (record.kind, record.who, record.sources) == ("import", "sam", "Halliwell.xlsx")
    assert len(record.checksum) == 64 and record.triples == len(public)


@pytest.mark.parametrize("running", [True, False])
def test_an_import_pauses_the_cycle_collector_and_leaves_it_as_it_was(seeded_store, running):
    seen = []
    real_map_workbook = importer.map_workbook

    def mapping(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_map_workbook(*args, **kwargs)

    was = gc.isenabled()
    (gc.enable if running else gc.disable)()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(importer, "map_workbook", mapping)
            import_workbook(seeded_store, xlsx(GOOD), filename="h.xlsx")
            with pytest.raises(ImportRejected):
                import_workbook(seeded_store, xlsx({"Practices": [["Name"]]}), filename="e.xlsx")
        assert seen == [False] and gc.isenabled() is running
    finally:
        (gc.enable if was else gc.disable)()


def test_advice_is_placed_in_the_row_it_is_about(seeded_store):
    result = import_workbook(seeded_store, xlsx(GOOD), filename="h.xlsx")
    assert [p.where for p in result.advice] == ['Communities row 2, column "Name"']


def test_a_newer_version_replaces_the_earlier_one(seeded_store):
    import_workbook(seeded_store, xlsx(GOOD), filename="halliwell.xlsx")
    corrected = replace_cell(GOOD, "Communities", 2, "Operates in", "Wigan")
    result = import_workbook(seeded_store, xlsx(corrected), filename="Halliwell (2).xlsx")
    assert result.graph == graph_iri("import/halliwell")
    places = set(seeded_store.graph(result.graph).objects(HALLIWELL, COP.operatesIn))
    assert places == {mint("place", "wigan")}
    imports = [r for r in list_graphs(seeded_store) if r.kind == "import"]
    assert len(imports) == 1


def test_the_workbook_name_setting_names_the_graph(seeded_store):
    sheets = with_rows(GOOD, "About", ["Setting", "Value"], ["Workbook name", "Bolton walks"])
    result = import_workbook(seeded_store, xlsx(sheets), filename="anything.xlsx")
    assert result.graph == graph_iri("import/bolton-walks")


def test_a_dry_run_checks_without_saving(seeded_store):
    before = quads(seeded_store)
    result = import_workbook(seeded_store, xlsx(GOOD), filename="h.xlsx", dry_run=True)
    assert result.dry_run and result.triples > 0
    assert quads(seeded_store) == before


def test_a_zip_of_csv_files_imports_like_the_workbook(seeded_store):
    result = import_workbook(seeded_store, csv_zip(GOOD), filename="halliwell.zip")
    assert (HALLIWELL, COP.hasDomain, mint("domain", "walking for health")) in (
        seeded_store.graph(result.graph)
    )


def test_a_mistake_is_reported_by_sheet_row_column_and_nothing_is_written(seeded_store):
    sheets = replace_cell(GOOD, "Memberships", 2, "Role", "Agenda activst")
    assert problems_of(seeded_store, sheets) == [
        'Memberships row 2, column "Role": "Agenda activst" is not a role; did you mean '
        '"Agenda activist"?'
    ]


def test_data_rule_violations_are_placed_in_cells(seeded_store):
    sheets = with_rows(GOOD, "Organisations", ["Name", "Type", "ODS code"],
                       ["Walkers Trust", "VCSE organisation", "ABCDEFGH"])  # fmt: skip
    (line,) = problems_of(seeded_store, sheets)
    assert line.startswith(
        'Organisations row 2, column "ODS code": "ABCDEFGH" does not fit: An '
        "organisation can have one NHS ODS code"
    )


def test_a_missing_fact_the_rules_require_points_to_its_column(seeded_store):
    sheets = with_rows(GOOD, "Places", ["Name", "Type", "Within"],
                       ["New Ward", "Ward", "Bolton"])  # fmt: skip
    (line,) = problems_of(seeded_store, sheets)
    assert line.startswith('Places row 2, column "ONS code": A ward needs exactly one ONS code')


def test_a_clash_with_what_is_already_recorded_is_reported(seeded_store):
    sheets = with_rows(
        GOOD,
        "Places",
        ["ID", "Name", "Type", "Within", "ONS code"],
        ["bolton", "Bolton town", "Locality", "Greater Manchester", "E08000001"],
    )
    lines = problems_of(seeded_store, sheets)
    assert (
        'Places row 2, column "Name": Everything recorded needs exactly one name (its label), '
        "written as text."
    ) in lines


def test_a_workbook_without_rows_is_refused(seeded_store):
    assert problems_of(seeded_store, {"Communities": [["Name", "Domains", "Operates in"]]}) == [
        "The workbook: there are no rows to import: fill in at least one sheet below its headings"
    ]


# -- the command line ----------------------------------------------------------------------


@pytest.fixture
def runner(seeded_store_path, tmp_path, monkeypatch):
    monkeypatch.setenv("COP_GRAPH_STORE", str(seeded_store_path))
    monkeypatch.setenv("COP_GRAPH_ACCOUNTS", str(tmp_path / "accounts.sqlite3"))
    return CliRunner()


def test_the_import_command_saves_or_lists_problems(runner, tmp_path):
    good, bad = tmp_path / "halliwell.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(xlsx(GOOD))
    bad.write_bytes(xlsx(replace_cell(GOOD, "Progress", 2, "Date", "03/04/24")))
    result = runner.invoke(cli, ["import", "--dry-run", str(good)])
    assert result.exit_code == 0, result.output
    assert "would save" in result.output
    result = runner.invoke(cli, ["import", "--who", "sam", str(good)])
    assert result.exit_code == 0, result.output
    assert "import/halliwell" in result.output
    assert "facts about people were kept private" in result.output
    result = runner.invoke(cli, ["import", str(bad)])
    assert result.exit_code == 1
    assert 'Progress row 2, column "Date": "03/04/24" could be read in more than one way' in (
        result.output
    )


def test_the_template_and_export_commands_write_workbooks(runner, tmp_path):
    assert runner.invoke(cli, ["template", str(tmp_path / "t.xlsx")]).exit_code == 0
    assert (tmp_path / "t.xlsx").read_bytes()[:2] == b"PK"
    assert runner.invoke(cli, ["template", str(tmp_path / "t.zip")]).exit_code == 0
    assert runner.invoke(cli, ["template", str(tmp_path / "t.txt")]).exit_code == 2
    (tmp_path / "h.xlsx").write_bytes(xlsx(GOOD))
    assert runner.invoke(cli, ["import", str(tmp_path / "h.xlsx")]).exit_code == 0
    out = tmp_path / "out.xlsx"
    result = runner.invoke(
        cli, ["export", "--format", "xlsx", "--graph", "import/h", "--include-private", "-o",
              str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["import", "--dry-run", str(out)])
    assert result.exit_code == 0, result.output
    assert "import/h" in result.output


# -- random workbooks ----------------------------------------------------------------------

CELLS = st.one_of(
    st.sampled_from([
        "", "Bolton", "bolton", "Astley Bridge", "Brooklands", "Boltn", "Halliwell walkers",
        "Walking for health", "Health walks", "Sam Taylor", "p1", "Member", "Agenda activst",
        "Community keeper", "1", "8", "In progress", "Established", "31/03/2024", "2024-02-30",
        "03/04/24", "=1+1", "yes", "maybe", "U46071", "E08000001", "https://example.org",
        "javascript:alert(1)", "a;b;;c", "x" * 6000, "Ünïcødé", "12.5", "-", "Neighbourhood",
        "https://w3id.org/cop-graph/id/place/bolton", "https://evil.example/x", "VCSE organisation",
    ]),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
)  # fmt: skip


@st.composite
def workbooks(draw):
    """Sheets from the template with random headings and cells, or the good one with changes."""
    if draw(st.booleans()):
        sheets = {name: [list(r) for r in rows] for name, rows in GOOD.items()}
        for _ in range(draw(st.integers(1, 3))):
            name = draw(st.sampled_from(sorted(sheets)))
            row = draw(st.integers(2, len(sheets[name])))
            column = draw(st.integers(0, len(sheets[name][0]) - 1))
            sheets[name][row - 1][column] = draw(CELLS)
        return sheets
    sheets = {}
    for sheet in draw(st.lists(st.sampled_from(SHEETS), max_size=4, unique=True)):
        headers = [c.header for c in sheet.columns if c.required or draw(st.booleans())]
        if draw(st.integers(0, 9)) == 0:
            headers.append(draw(CELLS) or "Extra")
        rows = draw(st.lists(st.lists(CELLS, min_size=len(headers), max_size=len(headers)),
                             max_size=3))  # fmt: skip
        name = sheet.name if draw(st.integers(0, 9)) else sheet.name.upper() + "S"
        sheets[name] = [headers, *rows]
    return sheets


@pytest.fixture
def random_store(reference_nquads):
    store = OxigraphStore(None)
    store.native.load(reference_nquads, format=ox.RdfFormat.N_QUADS)
    yield store
    store.close()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sheets=workbooks())
def test_random_workbooks_are_imported_or_rejected_with_messages_never_half_written(
    random_store, sheets
):
    before = quads(random_store)
    try:
        result = import_workbook(random_store, xlsx(sheets), filename="random.xlsx")
    except ImportRejected as rejected:
        assert rejected.problems
        assert all(p.sentence() and "Traceback" not in p.sentence() for p in rejected.problems)
        assert quads(random_store) == before
    else:
        assert result.graph in random_store.named_graphs()
        history = [g for g in random_store.named_graphs() if is_history(g)]
        random_store.drop([result.graph, private_graph_of(result.graph), *history])
        assert quads(random_store) == before
