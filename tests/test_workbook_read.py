"""Reading workbooks safely: every bad file gets one clear sentence and is never opened unsafely."""

from __future__ import annotations

import io
import zipfile

import pytest
from workbooks import GOOD, csv_bytes, csv_zip, xlsx

from cop_graph.workbook import read as read_module
from cop_graph.workbook import tables as tables_module
from cop_graph.workbook.read import read_workbook
from cop_graph.workbook.report import ImportRejected


def sentences(workbook) -> list[str]:
    return [problem.sentence() for problem in workbook.problems]


def rejected(source, **options) -> str:
    with pytest.raises(ImportRejected) as caught:
        read_workbook(source, **options)
    return " ".join(caught.value.lines())


# -- files that are not workbooks ---------------------------------------------------------


def test_a_good_workbook_is_read_without_problems():
    workbook = read_workbook(xlsx(GOOD), filename="good.xlsx")
    assert workbook.problems == []
    assert workbook.tables["Communities"].rows[0].text("operates in") == "Bolton; Astley Bridge"
    assert workbook.tables["Communities"].rows[0].number == 2


def test_a_file_over_the_size_limit_is_refused_before_reading():
    message = rejected(b"x" * 2048, filename="big.xlsx", max_bytes=1024)
    assert "the largest accepted is" in message


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n....", "this is not a workbook"),
        (b"Just some words", "this is not a workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected"),
        (b"PK\x03\x04 broken zip", "damaged"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(data, reason):
    assert reason in rejected(data, filename="upload.xlsx")


def test_a_truncated_xlsx_is_reported_as_damaged():
    data = xlsx(GOOD)
    assert "damaged" in rejected(data[: len(data) // 2], filename="cut.xlsx")


def test_an_xlsx_missing_its_parts_is_reported_as_damaged():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    assert "damaged" in rejected(out.getvalue(), filename="parts.xlsx")


def test_a_password_protected_zip_is_refused():
    data = bytearray(csv_zip({"Communities": [["Name"], ["A"]]}))
    # set the "encrypted" flag of the entry in both the local header and the directory
    data[6] |= 0x1
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1
    assert "password-protected" in rejected(bytes(data), filename="locked.zip")


def test_a_zip_bomb_is_refused_before_openpyxl_sees_it(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (65 * 1024 * 1024))
    bomb = out.getvalue()
    assert len(bomb) < 200 * 1024  # small on the wire…
    message = rejected(bomb, filename="bomb.xlsx")
    assert "would expand to 65.0 MB" in message  # …and refused by its declared size


def test_a_zip_with_too_many_files_is_refused(monkeypatch):
    monkeypatch.setattr(read_module, "MAX_ZIP_ENTRIES", 3)
    data = csv_zip({f"Sheet{n}": [["Name"]] for n in range(5)})
    assert "at most 3 are accepted" in rejected(data, filename="many.zip")


# -- sheets, columns and cells ------------------------------------------------------------


def test_formulas_are_refused_in_xlsx_and_csv():
    data = xlsx(GOOD, formulas={("Communities", "B2"): "=UPPER(A2)"})
    found = sentences(read_workbook(data, filename="f.xlsx"))
    assert any('Communities row 2, column "Name": formulas are not accepted' in s for s in found)
    workbook = read_workbook(csv_bytes([["Name"], ["=HYPERLINK(1)"]]), filename="Domains.csv")
    assert "formulas are not accepted" in sentences(workbook)[0]


def test_unknown_sheets_are_named_with_a_suggestion_and_empty_extra_sheets_are_passed_over():
    workbook = read_workbook(xlsx({"Comunities": [["Name"], ["A"]], "Sheet1": []}), filename="x")
    found = sentences(workbook)
    assert any(
        '"Comunities" is not one of the workbook\'s sheets; did you mean "Communities"?' in s
        for s in found
    )
    assert any(s.startswith("Advice:") and "Sheet1" in s for s in found)


def test_an_empty_data_sheet_asks_for_its_headings_back():
    found = sentences(read_workbook(xlsx({"People": []}), filename="x.xlsx"))
    assert found == [
        "People: the sheet is empty: put the column headings back in row 1, or "
        "delete the sheet if you do not need it"
    ]


def test_unknown_and_missing_columns_are_reported():
    workbook = read_workbook(xlsx({"People": [["Nmae", "Emial"], ["A", "a@b.org"]]}), filename="x")
    found = sentences(workbook)
    assert (
        'People row 1, column "Nmae": "Nmae" is not a column of this sheet; did you mean '
        '"Name"? Rename the column, or delete it.' in found
    )
    assert any('did you mean "Email"?' in s for s in found)
    assert 'People: the required column "Name" is missing: add it to row 1' in found


def test_headers_are_matched_without_regard_to_case_spaces_or_stars():
    workbook = read_workbook(
        xlsx({"COMMUNITIES": [["  name *", "OPERATES   IN", "domains"], ["A", "B", "C"]]}),
        filename="x.xlsx",
    )
    assert workbook.problems == []
    assert workbook.tables["Communities"].rows[0].cells == {
        "name": "A",
        "operates in": "B",
        "domains": "C",
    }


def test_a_value_under_no_heading_is_reported():
    found = sentences(read_workbook(xlsx({"Domains": [["Name"], ["A", "stray"]]}), filename="x"))
    assert found == [
        'Domains row 2, column "B": this cell has a value but its column has no '
        "heading: add a heading in row 1 or clear the cell"
    ]


def test_oversized_cells_are_refused():
    long_text = "x" * (tables_module.MAX_CELL_CHARS + 1)
    found = sentences(read_workbook(xlsx({"Domains": [["Name"], [long_text]]}), filename="x"))
    assert "at most 5,000 are accepted" in found[0]


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(tables_module, "MAX_ROWS", 3)
    rows = [["Name"]] + [[f"D{n}"] for n in range(5)]
    found = sentences(read_workbook(xlsx({"Domains": rows}), filename="x"))
    assert found == ["Domains: the sheet has more than 3 rows: split it into several workbooks"]


def test_blank_rows_are_skipped_and_row_numbers_kept():
    workbook = read_workbook(xlsx({"Domains": [["Name"], [None], ["A"]]}), filename="x")
    assert [row.number for row in workbook.tables["Domains"].rows] == [3]


def test_settings_are_read_from_the_about_sheet():
    data = xlsx({"About": [["Setting", "Value"], ["Workbook name", "Bolton"], ["Colour", "red"]]})
    workbook = read_workbook(data, filename="x.xlsx")
    assert workbook.settings == {"workbook name": "Bolton"}
    assert '"Colour" is not a setting' in sentences(workbook)[0]


# -- CSV ---------------------------------------------------------------------------------


def test_a_zip_of_csv_files_is_read_like_a_workbook():
    workbook = read_workbook(csv_zip(GOOD), filename="good.zip")
    assert workbook.problems == []
    assert set(workbook.tables) == set(GOOD)


def test_a_folder_of_csv_files_is_read_like_a_workbook(tmp_path):
    for name, rows in GOOD.items():
        (tmp_path / f"{name}.csv").write_bytes(csv_bytes(rows))
    (tmp_path / "notes.txt").write_text("ignored")
    workbook = read_workbook(tmp_path)
    assert workbook.problems == []
    assert workbook.tables["Memberships"].rows[0].text("role") == "Community keeper"


def test_csv_saved_by_windows_excel_is_read():
    data = csv_bytes([["Name", "Description"], ["Café", "Zoë’s"]], encoding="cp1252")
    workbook = read_workbook(data, filename="Domains.csv")
    assert workbook.tables["Domains"].rows[0].text("name") == "Café"


def test_a_binary_file_called_csv_is_refused():
    assert "is not a text file" in rejected(b"a,b\x00c", filename="Domains.csv")


def test_an_empty_folder_is_refused(tmp_path):
    assert "holds no .csv files" in rejected(tmp_path)
