"""The blank template: how to fill it in, drop-downs from the graph as named ranges, one value
a row for columns that take several, and older workbooks still read."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from workbooks import GOOD, xlsx

from cop_graph.ids import mint
from cop_graph.namespaces import COP
from cop_graph.workbook.mapping import map_workbook
from cop_graph.workbook.read import read_workbook
from cop_graph.workbook.sheets import CHOICE, REF, SHEETS, YES_NO
from cop_graph.workbook.template import (
    HOW_TO,
    graph_lists,
    list_name_of,
    range_name,
    template_csv_zip,
    template_xlsx,
)
from cop_graph.workbook.vocabulary import choices


@pytest.fixture(scope="module")
def store(reference_nquads):
    import pyoxigraph as ox

    from cop_graph.store.oxigraph import OxigraphStore

    opened = OxigraphStore(None)
    opened.native.load(reference_nquads, format=ox.RdfFormat.N_QUADS)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def book(store):
    return openpyxl.load_workbook(io.BytesIO(template_xlsx(store)))


def named_values(book, name: str) -> list[str]:
    """The values in the cells a defined name covers."""
    (sheet_name, cells), *_ = book.defined_names[name].destinations
    return [c.value for row in book[sheet_name][cells.replace("$", "")] for c in row if c.value]


def test_the_sheets_come_in_order_with_marked_required_headings(book):
    assert book.sheetnames == [HOW_TO, "About", *(s.name for s in SHEETS), "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    headings = [c.value for c in book["Communities"][1]]
    assert headings[:5] == ["ID", "Name *", "Description", "Purpose", "Domains *"]
    assert book["Communities"].freeze_panes == "A2"


CHOICE_COLUMNS = [
    (sheet.name, position, column)
    for sheet in SHEETS
    for position, column in enumerate(sheet.columns, start=1)
    if column.value in (CHOICE, YES_NO) or (column.value == REF and column.targets != ("person",))
]


@pytest.mark.parametrize(
    ("sheet", "position", "column"),
    CHOICE_COLUMNS,
    ids=[f"{s}-{c.header}" for s, _, c in CHOICE_COLUMNS],
)
def test_every_column_that_takes_a_choice_has_a_drop_down_fed_from_a_named_range(
    book, sheet, position, column
):
    letter = openpyxl.utils.get_column_letter(position)
    found = [
        v for v in book[sheet].data_validations.dataValidation
        if f"{letter}2:{letter}5000" in str(v.sqref).split()
    ]  # fmt: skip
    assert len(found) == 1 and found[0].type == "list", (sheet, column.header)
    name = found[0].formula1
    assert name == range_name(list_name_of(column)) and name in book.defined_names
    (target_sheet, _), *_ = book.defined_names[name].destinations
    assert target_sheet == "Lists"
    if column.value == CHOICE:
        assert named_values(book, name) == [c.label for c in choices(column.targets[0])]


def test_the_named_ranges_hold_the_graphs_current_choices(book, store):
    places = named_values(book, "list_place")
    assert {"Bolton (E08000001)", "Wigan (E08000010)"} <= set(places)  # localities
    assert {"Brooklands (E05011353)", "Brooklands (E05015243)"} <= set(
        places
    )  # a ward, with its ONS code
    assert len([p for p in places if re.search(r"\(E05\d{6}\)$", p)]) > 200  # all GM wards
    organisations = named_values(book, "list_organisation")
    assert any(re.search(r"PCN \([A-Z]\d{5}\)$", o) for o in organisations)  # PCNs with codes
    assert organisations == graph_lists(store)["organisation"]
    assert named_values(book, "list_role")[:2] == ["Agenda activist", "Community keeper"]
    assert named_values(book, "list_status") == ["Not started", "In progress", "Established"]
    members = named_values(book, "list_community_or_organisation")
    assert set(organisations) <= set(members)


def test_domains_and_practices_come_from_the_graph(demo_store):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(demo_store)))
    assert "Physical activity" in named_values(book, "list_domain")
    assert "Health walks" in named_values(book, "list_practice")
    assert "Bolton health walks network (illustrative)" in named_values(book, "list_community")


def test_how_to_fill_this_in_explains_every_column_with_a_worked_example(book):
    text = [[c for c in row if c] for row in book[HOW_TO].iter_rows(values_only=True)]
    for sheet in SHEETS:
        start = text.index([f"Sheet: {sheet.name}", sheet.help])
        explained = [row[0] for row in text[start + 2 : start + 2 + len(sheet.columns)]]
        assert explained == [c.header for c in sheet.columns]
        assert text[start + 2 + len(sheet.columns)] == ["Worked example:"]
        heading = text[start + 3 + len(sheet.columns)]
        assert heading[0] in ("ID", "Community *")
    assert not any("One of:" in " ".join(map(str, row)) for row in text)
    flat = "\n".join("\t".join(map(str, row)) for row in text)
    assert "Bolton; Astley Bridge" not in flat  # several values: one a row, not ;
    assert "Bolton, then Astley Bridge on the rows below" in flat


def test_a_worked_example_puts_one_value_a_row_and_reads_back(book, store):
    rows = list(book[HOW_TO].iter_rows(values_only=True))
    start = next(n for n, row in enumerate(rows) if row[0] == "Sheet: Communities")
    heading = start + 2 + len(SHEETS[0].columns) + 1
    example = [list(r) for r in rows[heading : heading + 3]]
    operates = example[0].index("Operates in *")
    assert example[1][operates] == "Bolton" and example[2][operates] == "Astley Bridge"
    assert example[2][1] is None  # the continuation row has no name


def test_one_value_a_row_is_read_as_several_values(store):
    sheets = {name: [list(r) for r in rows] for name, rows in GOOD.items()}
    sheets["Communities"][1][3] = "Bolton"
    sheets["Communities"].append([None, None, None, "Astley Bridge (E05014818)", None,
                                  "Representation"])  # fmt: skip
    workbook = read_workbook(xlsx(sheets), filename="rows.xlsx")
    assert workbook.problems == []
    (row,) = workbook.tables["Communities"].rows
    assert row.text("operates in") == "Bolton; Astley Bridge (E05014818)"
    mapped = map_workbook(workbook, store, people_prefix="t")
    assert mapped.problems == []
    community = mint("community", "halliwell-walkers")
    assert set(mapped.data.objects(community, COP.operatesIn)) == {
        mint("place", "bolton"),
        mint("place", "bolton", "astley bridge"),
    }
    assert set(mapped.data.objects(community, COP.adoptsPrinciple)) == {
        COP.PeoplePower,
        COP.Representation,
    }


def test_older_workbooks_with_several_values_in_one_cell_still_read(store):
    workbook = read_workbook(xlsx(GOOD), filename="older.xlsx")
    (row,) = workbook.tables["Communities"].rows
    assert row.text("operates in") == "Bolton; Astley Bridge"
    assert map_workbook(workbook, store, people_prefix="t").problems == []
    old = {"Read me": [["How to fill in this workbook"]], **GOOD}
    assert read_workbook(xlsx(old), filename="old-template.xlsx").problems == []


def test_the_blank_template_reads_back_without_problems():
    workbook = read_workbook(template_xlsx(), filename="template.xlsx")
    assert workbook.problems == [] and workbook.row_count == 0
    assert workbook.settings["made-up examples"] == "no"


def test_the_csv_variant_has_one_file_per_sheet_and_a_readme():
    data = template_csv_zip()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sorted(names) == sorted(["README.txt", "About.csv", *(f"{s.name}.csv" for s in SHEETS)])
    readme = zipfile.ZipFile(io.BytesIO(data)).read("README.txt").decode()
    assert "Operates in" in readme and "\n  Community keeper\n" in readme
    workbook = read_workbook(data, filename="template.zip")
    assert workbook.problems == [] and set(workbook.tables) == {s.name for s in SHEETS}


def test_the_guide_lists_every_sheet_and_column():
    from pathlib import Path

    guide = (Path(__file__).resolve().parent.parent / "docs" / "data-entry.md").read_text()
    for sheet in SHEETS:
        (line,) = [line for line in guide.splitlines() if line.startswith(f"| {sheet.name} |")]
        for column in sheet.columns:
            assert f"`{column.header}`" in line, (sheet.name, column.header)
