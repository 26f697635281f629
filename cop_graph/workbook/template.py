"""Writing workbooks: the blank template, and any rows (the export) in the same layout.

An XLSX workbook has a "How to fill this in" sheet (the rules, every column explained, and
one worked example per sheet), an "About" sheet (the workbook's name, whether it is made
up), one sheet per kind of thing with bold headings (required ones marked ``*``), and a
hidden "Lists" sheet holding every list of choices as a named range (an Excel defined
name such as ``list_role``). Every column that takes a choice has a drop-down fed from its
named range: the framework's fixed lists (roles, steps, statuses, principles…) and what the
graph records now (domains, practices, communities, places with wards and their ONS codes,
organisations with PCNs, GP practices and their ODS codes…). A column that takes several
values takes one value a row: the rows below a thing's row with only such columns filled
continue it (the reader joins them; ``;`` in one cell still works). The CSV variant is a
zip of one CSV file per sheet and a README.txt.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from cop_graph.workbook.sheets import ABOUT, ABOUT_SETTINGS, CHOICE, REF, SHEETS, YES_NO, Column
from cop_graph.workbook.values import several
from cop_graph.workbook.vocabulary import LISTS, choices

__all__ = [
    "GUIDANCE",
    "HOW_TO",
    "LISTS_SHEET",
    "choice_lists",
    "graph_lists",
    "list_name_of",
    "range_name",
    "template_csv_zip",
    "template_xlsx",
    "to_csv_zip",
    "to_xlsx",
]

Rows = Mapping[str, Sequence[Sequence[str]]]

HOW_TO = "How to fill this in"
LISTS_SHEET = "Lists"

#: the rules that hold for every sheet, shown first on the how-to sheet and in README.txt
GUIDANCE = (
    "How to fill in this workbook",
    "Each sheet holds one kind of thing: communities, people, memberships and so on. Fill in "
    "one row per thing, below the headings. Leave sheets you do not need empty.",
    "Columns marked * must be filled in. Other columns are optional.",
    "Where a column takes a choice, pick it from the cell's drop-down list; the lists hold "
    "what is recorded now (wards and GP practices with their codes, PCNs, domains, "
    "practices…). You may also type a name or ID that is not in the list yet.",
    "Where a cell can hold several values, put one value a row: leave the other cells of "
    "the next rows empty and write each further value under the first (see the worked "
    "examples below). Separating values with a semicolon in one cell also works: Bolton; "
    "Wigan.",
    "To refer to something, write its ID or its exact name (capital letters do not matter): "
    "a row of this workbook, or something already recorded, such as a locality, a ward, a "
    "Primary Care Network (by name or ODS code, e.g. U65316) or a role. A name followed by "
    "its code in brackets, as the lists write it, is found by its code.",
    "Write dates as 2024-03-31 or 31/03/2024. Do not use formulas: type the values.",
    "People's names and emails stay private unless their 'Public profile' is yes; emails are "
    "never shown publicly. Ask people before you record them.",
    "Importing this workbook again (with the same 'Workbook name' on the About sheet) "
    "replaces what it added before, so correct mistakes here and import it again.",
    "Nothing is saved unless the whole workbook is correct; if it is not, you get a list of "
    "every problem by sheet, row and column.",
)

_FIRST_DATA_ROW, _LAST_DATA_ROW = 2, 5000
#: reference kinds whose things are listed from the graph (people never are: names are private)
_LISTED_KINDS = ("community", "organisation", "place", "ward", "domain", "practice",
                 "indicator", "space", "programme")  # fmt: skip


def list_name_of(column: Column) -> str | None:
    """The name of the list a column's drop-down offers, or None for a column of free text.

    >>> from cop_graph.workbook.sheets import MEMBERSHIPS
    >>> list_name_of(MEMBERSHIPS.column("member")), list_name_of(MEMBERSHIPS.column("role"))
    ('organisation', 'role')
    """
    if column.value == CHOICE:
        return column.targets[0]
    if column.value == YES_NO:
        return "yes/no"
    if column.value == REF:
        return " or ".join(t for t in column.targets if t in _LISTED_KINDS) or None
    return None


def range_name(list_name: str) -> str:
    """The defined name of a list on the Lists sheet (Excel names take no spaces).

    >>> range_name("community or organisation")
    'list_community_or_organisation'
    """
    return "list_" + re.sub(r"[^A-Za-z0-9]+", "_", list_name).strip("_")


def entry_text(label: str, code: str | None) -> str:
    """A list entry: the name, with its ONS or ODS code in brackets when it has one."""
    return f"{label} ({code})" if code else label


def graph_lists(store) -> dict[str, list[str]]:
    """The things of each listed kind recorded in ``store``'s public graphs (none without one)."""
    if store is None:
        return {kind: [] for kind in _LISTED_KINDS}
    from cop_graph import queries
    from cop_graph.scope import Scope
    from cop_graph.workbook.lookup import KINDS

    scope = Scope.public(store).about_things()
    found: dict[str, dict[str, str]] = {}
    for kind in _LISTED_KINDS:
        rows = queries.run(store, "workbook_choices_of_kind", scope=scope, kind=KINDS[kind][1])
        entries = found.setdefault(kind, {})
        for row in rows.dicts():
            entries.setdefault(str(row["thing"]), entry_text(str(row["label"]), row.get("code")))
    for community in found["community"]:  # a community is an organisation to the ontology
        found["organisation"].pop(community, None)
    return {kind: sorted(set(e.values()), key=str.casefold) for kind, e in found.items()}


def choice_lists(store) -> dict[str, list[str]]:
    """Every list of choices a column offers, by :func:`list_name_of`: the framework's fixed
    lists and what ``store`` records now (the template's drop-downs and the edit form's)."""
    lists = {name: [c.label for c in choices(name)] for name in LISTS}
    lists["yes/no"] = ["yes", "no"]
    lists |= graph_lists(store)
    for sheet in SHEETS:
        for column in sheet.columns:
            name = list_name_of(column)
            if name is not None and name not in lists:  # several kinds: both lists, one after
                lists[name] = [entry for part in name.split(" or ") for entry in lists[part]]
    return lists


def _heading(column: Column) -> str:
    return f"{column.header} *" if column.required else column.header


def _how_to_rows() -> list[list[str]]:
    rows = [[GUIDANCE[0]], *([line] for line in GUIDANCE[1:]), []]
    for sheet in SHEETS:
        rows += [
            [f"Sheet: {sheet.name}", sheet.help],
            ["Column", "Required", "What to write", "Example"],
        ]
        for column in sheet.columns:
            listed = list_name_of(column)
            hint = ""
            if listed:
                hint = f" Choose from the drop-down list ({range_name(listed)} on the Lists sheet)."
            several_hint = " Several allowed: one a row." if column.several else ""
            required = "yes" if column.required else ""
            rows.append([column.header, required, column.help + several_hint + hint,
                         _example_text(column)])  # fmt: skip
        rows.append(["Worked example:"])
        rows += _worked_example(sheet)
        rows.append([])
    rows += [["Sheet: About", "Settings for the whole workbook."], ["Setting", "", "Meaning"]]
    rows += [[key.capitalize(), "", meaning] for key, meaning in ABOUT_SETTINGS.items()]
    return rows


def _example_text(column: Column) -> str:
    """A column's example as the how-to table shows it: several values one a row."""
    values = several(column.example) if column.several else [column.example]
    if len(values) < 2:
        return column.example
    return f"{values[0]}, then {', then '.join(values[1:])} on the rows below"


def _worked_example(sheet) -> list[list[str]]:
    """The sheet's headings and its example, a further value of a several-value column on
    the row below, as a coordinator would write them."""
    return [
        [_heading(c) for c in sheet.columns],
        *_one_value_a_row(sheet, [c.example for c in sheet.columns]),
    ]


def _one_value_a_row(sheet, row: Sequence[str]) -> list[list[str]]:
    """``row`` with each several-value cell's further values moved to continuation rows."""
    first = list(row)
    extra: list[list[str]] = []
    for position, column in enumerate(sheet.columns):
        if not column.several or position >= len(first) or not first[position]:
            continue
        values = several(str(first[position]))
        first[position] = values[0] if values else ""
        for number, value in enumerate(values[1:]):
            if number >= len(extra):
                extra.append([""] * len(sheet.columns))
            extra[number][position] = value
    return [first, *extra]


def to_xlsx(rows: Rows, settings: Mapping[str, str], *, store=None) -> bytes:
    """A workbook with the how-to, About and Lists sheets and the given rows (cell texts);
    the drop-down lists hold what ``store`` records."""
    book = Workbook()
    how_to = book.active
    how_to.title = HOW_TO
    for row in _how_to_rows():
        how_to.append([_safe(value) for value in row])
    how_to["A1"].font = Font(bold=True, size=14)
    for cell in how_to["A"]:
        if isinstance(cell.value, str) and cell.value.startswith(("Sheet: ", "Worked example")):
            cell.font = Font(bold=True)
    how_to.column_dimensions["A"].width = 28
    how_to.column_dimensions["C"].width = 90
    about = book.create_sheet(ABOUT)
    about.append(["Setting", "Value"])
    for key in ABOUT_SETTINGS:
        about.append([key.capitalize(), _safe(settings.get(key, ""))])
    about.column_dimensions["A"].width = 20
    about.column_dimensions["B"].width = 40
    lists = choice_lists(store)
    for sheet in SHEETS:
        page = book.create_sheet(sheet.name)
        page.append([_heading(c) for c in sheet.columns])
        for cell in page[1]:
            cell.font = Font(bold=True)
        page.freeze_panes = "A2"
        for row in rows.get(sheet.name, ()):
            for written in _one_value_a_row(sheet, row):
                page.append([_safe(value) for value in written])
        for position, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(position)
            page.column_dimensions[letter].width = max(14, min(40, len(column.header) + 6))
            list_name = list_name_of(column)
            if list_name:
                page.add_data_validation(_drop_down(range_name(list_name), column, letter))
    _write_lists(book, lists)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_lists(book: Workbook, lists: dict[str, list[str]]) -> None:
    """The hidden Lists sheet: a column per list, each defined as a name for drop-downs."""
    sheet = book.create_sheet(LISTS_SHEET)
    for position, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(position)
        sheet.cell(row=1, column=position, value=name)
        for offset, value in enumerate(values, start=2):
            sheet.cell(row=offset, column=position, value=_safe(value))
        last = max(2, len(values) + 1)
        reference = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"
        book.defined_names[range_name(name)] = DefinedName(range_name(name), attr_text=reference)
    sheet.sheet_state = "hidden"


def _drop_down(name: str, column: Column, letter: str) -> DataValidation:
    """A drop-down list fed from a named range that warns, rather than refuses, a value not
    on the list: a new neighbourhood or a person is not listed yet, older workbooks put
    several values in one cell, and the importer checks every value anyway."""
    validation = DataValidation(type="list", formula1=name, allow_blank=True)
    validation.errorStyle = "warning"
    validation.showErrorMessage = True
    validation.error = (
        f"This is not on the list for {column.header}. Keep it only if it is a new thing you "
        "add on its own sheet, or an ID."
    )
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
    for row in _how_to_rows():
        lines.append("    ".join(value for value in row if value))
    lines += ["", "The fixed lists of choices, one entry a line:"]
    for name in LISTS:
        lines += ["", f"{range_name(name)}:", *(f"  {c.label}" for c in choices(name))]
    return "\n".join(lines) + "\n"


def template_xlsx(store=None) -> bytes:
    """The blank XLSX template, its drop-down lists holding what ``store`` records now."""
    return to_xlsx({}, {"made-up examples": "no"}, store=store)


def template_csv_zip() -> bytes:
    """The blank template as a zip of CSV files."""
    return to_csv_zip({}, {"made-up examples": "no"})
