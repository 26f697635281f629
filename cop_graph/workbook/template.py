"""Writing workbooks: the blank template, and any rows (the export) in the same layout.

An XLSX workbook has a "Read me" sheet explaining every column with an example, an
"About" sheet (the workbook's name, whether it is made up), one sheet per kind of thing
with bold headings (required ones marked ``*``), and drop-down lists drawn from the graph
(roles, steps, statuses, localities, principles, chapters…) kept on a hidden "Lists"
sheet. The CSV variant is a zip of one CSV file per sheet and a README.txt.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cop_graph.workbook.sheets import ABOUT, ABOUT_SETTINGS, CHOICE, REF, SHEETS, YES_NO, Column
from cop_graph.workbook.vocabulary import choices

__all__ = ["GUIDANCE", "localities", "template_csv_zip", "template_xlsx", "to_csv_zip", "to_xlsx"]

Rows = Mapping[str, Sequence[Sequence[str]]]

#: the rules that hold for every sheet, shown first on the read-me sheet and in README.txt
GUIDANCE = (
    "How to fill in this workbook",
    "Each sheet holds one kind of thing: communities, people, memberships and so on. Fill in "
    "one row per thing, below the headings. Leave sheets you do not need empty.",
    "Columns marked * must be filled in. Other columns are optional.",
    "Where a cell can hold several values, separate them with a semicolon: Bolton; Wigan.",
    "To refer to something, write its ID or its exact name (capital letters do not matter): "
    "a row of this workbook, or something already recorded, such as a locality, a ward, a "
    "Primary Care Network (by name or ODS code, e.g. U65316) or a role.",
    "Write dates as 2024-03-31 or 31/03/2024. Do not use formulas: type the values.",
    "People's names and emails stay private unless their 'Public profile' is yes; emails are "
    "never shown publicly. Ask people before you record them.",
    "Importing this workbook again (with the same 'Workbook name' on the About sheet) "
    "replaces what it added before, so correct mistakes here and import it again.",
    "Nothing is saved unless the whole workbook is correct; if it is not, you get a list of "
    "every problem by sheet, row and column.",
)

_LIST_NAMES = (
    "role", "step", "status", "principle", "success factor", "chapter", "openness", "aim",
    "resource type", "place type", "organisation type",
)  # fmt: skip
_FIRST_DATA_ROW, _LAST_DATA_ROW = 2, 5000


def localities(store) -> list[str]:
    """The names of the localities recorded in ``store`` (none without a store)."""
    if store is None:
        return []
    from cop_graph import queries
    from cop_graph.namespaces import COP

    found = queries.run(store, "workbook_names_of_kind", kind=COP.Locality)
    return sorted({str(row["label"]) for row in found.dicts()})


def _lists(locality_names: Sequence[str]) -> dict[str, list[str]]:
    lists = {name: [c.label for c in choices(name)] for name in _LIST_NAMES}
    lists["yes/no"] = ["yes", "no"]
    lists["locality"] = list(locality_names)
    return lists


def _list_for(column: Column) -> str | None:
    if column.value == CHOICE:
        return column.targets[0]
    if column.value == YES_NO:
        return "yes/no"
    if column.value == REF and "place" in column.targets:
        return "locality"
    return None


def _heading(column: Column) -> str:
    return f"{column.header} *" if column.required else column.header


def _readme_rows() -> list[list[str]]:
    rows = [[GUIDANCE[0]], *([line] for line in GUIDANCE[1:]), []]
    for sheet in SHEETS:
        rows += [
            [f"Sheet: {sheet.name}", sheet.help],
            ["Column", "Required", "What to write", "Example"],
        ]
        for column in sheet.columns:
            allowed = ""
            if column.value == CHOICE:
                allowed = " One of: " + ", ".join(c.label for c in choices(column.targets[0]))
            several = " Several allowed, separated by ;." if column.several else ""
            required = "yes" if column.required else ""
            rows.append([column.header, required, column.help + several + allowed, column.example])
        rows.append(["Example row:", *(c.example for c in sheet.columns)])
        rows.append([])
    rows += [["Sheet: About", "Settings for the whole workbook."], ["Setting", "", "Meaning"]]
    rows += [[key.capitalize(), "", meaning] for key, meaning in ABOUT_SETTINGS.items()]
    return rows


def to_xlsx(
    rows: Rows, settings: Mapping[str, str], *, locality_names: Sequence[str] = ()
) -> bytes:
    """A workbook with the read-me, About and Lists sheets and the given rows (cell texts)."""
    book = Workbook()
    readme = book.active
    readme.title = "Read me"
    for row in _readme_rows():
        readme.append([_safe(value) for value in row])
    readme["A1"].font = Font(bold=True, size=14)
    for cell in readme["A"]:
        if isinstance(cell.value, str) and cell.value.startswith("Sheet: "):
            cell.font = Font(bold=True)
    readme.column_dimensions["A"].width = 28
    readme.column_dimensions["C"].width = 90
    about = book.create_sheet(ABOUT)
    about.append(["Setting", "Value"])
    for key in ABOUT_SETTINGS:
        about.append([key.capitalize(), _safe(settings.get(key, ""))])
    about.column_dimensions["A"].width = 20
    about.column_dimensions["B"].width = 40
    lists = _lists(locality_names)
    ranges = {}
    for position, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(position)
        ranges[name] = f"Lists!${letter}$2:${letter}${max(2, len(values) + 1)}"
    for sheet in SHEETS:
        page = book.create_sheet(sheet.name)
        page.append([_heading(c) for c in sheet.columns])
        for cell in page[1]:
            cell.font = Font(bold=True)
        page.freeze_panes = "A2"
        for row in rows.get(sheet.name, ()):
            page.append([_safe(value) for value in row])
        for position, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(position)
            page.column_dimensions[letter].width = max(14, min(40, len(column.header) + 6))
            list_name = _list_for(column)
            if list_name and lists[list_name]:
                page.add_data_validation(_drop_down(ranges[list_name], column, letter))
    list_sheet = book.create_sheet("Lists")
    for position, (name, values) in enumerate(lists.items(), start=1):
        list_sheet.cell(row=1, column=position, value=name)
        for offset, value in enumerate(values, start=2):
            list_sheet.cell(row=offset, column=position, value=_safe(value))
    list_sheet.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _drop_down(source: str, column: Column, letter: str) -> DataValidation:
    """A drop-down list that warns, rather than refuses, a value not on the list.

    Refusing would block ``;``-separated values and references to wards, and the importer
    checks every value anyway.
    """
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    validation.errorStyle = "warning"
    validation.showErrorMessage = not column.several and column.value != REF
    validation.error = f"Choose a value from the list for {column.header}."
    validation.add(f"{letter}{_FIRST_DATA_ROW}:{letter}{_LAST_DATA_ROW}")
    return validation


def _safe(value) -> str:
    """Cell text as written: never a formula, and without characters XLSX cannot hold."""
    text = "" if value is None else str(value)
    text = "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)
    return text if not text.startswith("=") else "'" + text


def to_csv_zip(rows: Rows, settings: Mapping[str, str]) -> bytes:
    """A zip of one CSV file per sheet, About.csv and a README.txt."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme_text())
        archive.writestr(
            f"{ABOUT}.csv",
            _csv(
                [["Setting", "Value"]]
                + [[key.capitalize(), settings.get(key, "")] for key in ABOUT_SETTINGS]
            ),
        )
        for sheet in SHEETS:
            table = [[_heading(c) for c in sheet.columns], *rows.get(sheet.name, ())]
            archive.writestr(f"{sheet.name}.csv", _csv(table))
    return out.getvalue()


def _csv(rows) -> str:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(
        [[_safe(value) for value in row] for row in rows]
    )
    return "\ufeff" + text.getvalue()  # a BOM, so Excel reads the file as UTF-8


def _readme_text() -> str:
    lines = []
    for row in _readme_rows():
        lines.append("    ".join(value for value in row if value))
    return "\n".join(lines) + "\n"


def template_xlsx(store=None) -> bytes:
    """The blank XLSX template, with the localities of ``store`` in its drop-down lists."""
    return to_xlsx({}, {"made-up examples": "no"}, locality_names=localities(store))


def template_csv_zip() -> bytes:
    """The blank template as a zip of CSV files."""
    return to_csv_zip({}, {"made-up examples": "no"})
