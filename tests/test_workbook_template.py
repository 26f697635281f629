"""The blank template: a read-me for every column, drop-downs from the graph, example rows."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from cop_graph.workbook.read import read_workbook
from cop_graph.workbook.sheets import SHEETS
from cop_graph.workbook.template import template_csv_zip, template_xlsx
from cop_graph.workbook.vocabulary import choices


@pytest.fixture(scope="module")
def book(reference_nquads):
    import pyoxigraph as ox

    from cop_graph.store.oxigraph import OxigraphStore

    store = OxigraphStore(None)
    store.native.load(reference_nquads, format=ox.RdfFormat.N_QUADS)
    return openpyxl.load_workbook(io.BytesIO(template_xlsx(store)))


def column_values(sheet, header: str) -> list[str]:
    position = [c.value for c in sheet[1]].index(header) + 1
    return [row[0] for row in sheet.iter_rows(min_row=2, min_col=position, max_col=position,
                                              values_only=True) if row[0] is not None]  # fmt: skip


def test_the_sheets_come_in_order_with_marked_required_headings(book):
    assert book.sheetnames == ["Read me", "About", *(s.name for s in SHEETS), "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    headings = [c.value for c in book["Communities"][1]]
    assert headings[:5] == ["ID", "Name *", "Description", "Purpose", "Domains *"]
    assert book["Communities"].freeze_panes == "A2"


def test_the_read_me_explains_every_column_with_an_example_row(book):
    text = [[c for c in row if c] for row in book["Read me"].iter_rows(values_only=True)]
    for sheet in SHEETS:
        start = text.index([f"Sheet: {sheet.name}", sheet.help])
        explained = [row[0] for row in text[start + 2 : start + 2 + len(sheet.columns)]]
        assert explained == [c.header for c in sheet.columns]
        example = text[start + 2 + len(sheet.columns)]
        assert example[0] == "Example row:" and len(example) > 1
    assert any("Agenda activist" in " ".join(map(str, row)) for row in text)


def test_drop_down_lists_come_from_the_graph(book):
    lists = book["Lists"]
    assert column_values(lists, "role")[:2] == ["Agenda activist", "Community keeper"]
    assert column_values(lists, "step") == [c.label for c in choices("step")]
    assert column_values(lists, "status") == ["Not started", "In progress", "Established"]
    assert "People Power" in column_values(lists, "principle")
    assert "Health Inequalities" in column_values(lists, "chapter")
    assert column_values(lists, "locality") == [
        "Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport",
        "Tameside", "Trafford", "Wigan",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("sheet", "column", "listed"),
    [
        ("Memberships", "C", "role"),
        ("Progress", "B", "step"),
        ("Progress", "C", "status"),
        ("Communities", "F", "locality"),
        ("Communities", "H", "principle"),
        ("Communities", "I", "chapter"),
    ],
)
def test_columns_have_drop_downs(book, sheet, column, listed):
    validations = book[sheet].data_validations.dataValidation
    lists = book["Lists"]
    letter = openpyxl.utils.get_column_letter([c.value for c in lists[1]].index(listed) + 1)
    found = [v for v in validations if str(v.sqref).startswith(f"{column}2:")]
    assert found and found[0].formula1.startswith(f"Lists!${letter}$2")


def test_the_blank_template_reads_back_without_problems():
    workbook = read_workbook(template_xlsx(), filename="template.xlsx")
    assert workbook.problems == [] and workbook.row_count == 0
    assert workbook.settings["made-up examples"] == "no"


def test_the_csv_variant_has_one_file_per_sheet_and_a_readme():
    data = template_csv_zip()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sorted(names) == sorted(["README.txt", "About.csv", *(f"{s.name}.csv" for s in SHEETS)])
    readme = zipfile.ZipFile(io.BytesIO(data)).read("README.txt").decode()
    assert "Operates in" in readme and "Community keeper" in readme
    workbook = read_workbook(data, filename="template.zip")
    assert workbook.problems == [] and set(workbook.tables) == {s.name for s in SHEETS}


def test_the_guide_lists_every_sheet_and_column():
    from pathlib import Path

    guide = (Path(__file__).resolve().parent.parent / "docs" / "data-entry.md").read_text()
    for sheet in SHEETS:
        (line,) = [line for line in guide.splitlines() if line.startswith(f"| {sheet.name} |")]
        for column in sheet.columns:
            assert f"`{column.header}`" in line, (sheet.name, column.header)
