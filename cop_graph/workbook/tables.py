"""Rows of cells, from an XLSX sheet or a CSV file, checked and keyed by column.

Both file formats end up here as "a sheet name and its rows of raw values", so the checks
on headers and cells (unknown or missing columns, formulas, oversized cells) are written
once and give the same messages whatever the coordinator saved their workbook as.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cop_graph.workbook.report import ADVICE, Problem
from cop_graph.workbook.sheets import (
    ABOUT,
    ABOUT_SETTINGS,
    IGNORED_SHEETS,
    SHEETS,
    Sheet,
    find_sheet,
    header_key,
)
from cop_graph.workbook.values import cell_text

__all__ = ["MAX_CELL_CHARS", "MAX_ROWS", "Origin", "Row", "Table", "Workbook", "did_you_mean"]

#: the longest text accepted in one cell (a long description is a few hundred characters)
MAX_CELL_CHARS = 5_000
#: the most rows accepted in one sheet
MAX_ROWS = 10_000

#: a cell as read: text, or a number or date from a spreadsheet cell
Raw = object


@dataclass
class Row:
    """One data row: its number as the spreadsheet shows it, and its cells by column key."""

    number: int
    cells: dict[str, Raw]

    def text(self, key: str) -> str:
        return cell_text(self.cells.get(key))


@dataclass
class Table:
    """The rows of one data sheet."""

    sheet: Sheet
    rows: list[Row] = field(default_factory=list)


@dataclass
class Workbook:
    """Everything read from a workbook: its data sheets, its settings, and the problems found."""

    source: str
    tables: dict[str, Table] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(table.rows) for table in self.tables.values())

    def add_sheet(
        self, name: str, rows: Iterable[Sequence[Raw]], *, formulas=(), continued: bool = True
    ) -> None:
        """Read one sheet's rows (the first is the header row).

        ``formulas`` holds the (row, column) positions, counted from 1, of cells that held
        a formula, which only the XLSX reader can tell. ``continued`` False reads every row
        as a row of its own (a form's rows never continue the one above).
        """
        key = header_key(name)
        if key in IGNORED_SHEETS:
            return
        rows = iter(rows)
        header = next(rows, None)
        if key == header_key(ABOUT):
            self._read_settings(name, header, rows)
            return
        sheet = find_sheet(name)
        if sheet is None:
            self._unknown_sheet(name, header, rows)
            return
        if sheet.name in self.tables:
            self._problem(f'there are two sheets called "{sheet.name}": keep one', sheet.name)
            return
        if header is None or not any(cell_text(c) for c in header):
            self._problem(
                "the sheet is empty: put the column headings back in row 1, or delete the "
                "sheet if you do not need it",
                sheet.name,
            )
            return
        columns = self._columns(sheet, header)
        headed = {n for n, raw in enumerate(header) if cell_text(raw)}
        table = Table(sheet)
        self.tables[sheet.name] = table
        formula_cells = set(formulas)
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                self._problem(
                    f"the sheet has more than {MAX_ROWS:,} rows: split it into several workbooks",
                    sheet.name,
                )
                break
            row = self._row(sheet, columns, headed, number, values, formula_cells)
            if row is None:
                continue
            if continued and table.rows and _continues(sheet, row):
                _join(table.rows[-1], row)
            else:
                table.rows.append(row)

    # -- helpers ----------------------------------------------------------------------------

    def _problem(self, message, sheet=None, row=None, column=None, value=None, severity="error"):
        self.problems.append(Problem(message, sheet, row, column, value, severity))

    def _unknown_sheet(self, name, header, rows) -> None:
        if header is None and next(rows, None) is None:
            self._problem(f'the sheet "{name}" is empty and was passed over', severity=ADVICE)
            return
        names = [sheet.name for sheet in SHEETS]
        self._problem(
            f'"{name}" is not one of the workbook\'s sheets{did_you_mean(name, names)} '
            "Rename it, or delete it if it is not needed. The sheets are: " + ", ".join(names) + "."
        )

    def _columns(self, sheet: Sheet, header: Sequence[Raw]) -> dict[int, str]:
        """Column position → column key, reporting unknown, repeated and missing columns."""
        columns: dict[int, str] = {}
        headers = [c.header for c in sheet.columns]
        for position, raw in enumerate(header):
            text = cell_text(raw)
            if not text:
                continue
            column = sheet.column(header_key(text))
            if column is None:
                self._problem(
                    f'"{text}" is not a column of this sheet{did_you_mean(text, headers)} '
                    "Rename the column, or delete it.",
                    sheet.name,
                    1,
                    text,
                )
            elif column.key in columns.values():
                self._problem(
                    f'the column "{column.header}" appears twice: keep one', sheet.name, 1, text
                )
            else:
                columns[position] = column.key
        for column in sheet.columns:
            if column.required and column.key not in columns.values():
                self._problem(
                    f'the required column "{column.header}" is missing: add it to row 1',
                    sheet.name,
                )
        return columns

    def _row(self, sheet, columns, headed, number, values, formula_cells) -> Row | None:
        cells: dict[str, Raw] = {}
        blank = True
        for position, raw in enumerate(values):
            text = cell_text(raw)
            if not text:
                continue
            blank = False
            key = columns.get(position)
            if key is None:
                if position not in headed:  # under an unknown heading: reported once above
                    self._problem(
                        "this cell has a value but its column has no heading: add a heading "
                        "in row 1 or clear the cell",
                        sheet.name,
                        number,
                        _column_letter(position),
                        text[:80],
                    )
                continue
            header = sheet.column(key).header
            if (number, position + 1) in formula_cells or text.startswith("="):
                self._problem(
                    "formulas are not accepted: type the value itself (copy the cell and "
                    "paste it as values)",
                    sheet.name,
                    number,
                    header,
                    text[:80],
                )
                continue
            if len(text) > MAX_CELL_CHARS:
                self._problem(
                    f"the cell holds {len(text):,} characters; at most {MAX_CELL_CHARS:,} are "
                    "accepted: shorten it",
                    sheet.name,
                    number,
                    header,
                    text[:80] + "…",
                )
                continue
            cells[key] = raw.strip() if isinstance(raw, str) else raw
        return None if blank else Row(number, cells)

    def _read_settings(self, name, header, rows) -> None:
        for number, values in enumerate(rows, start=2):
            cells = [cell_text(v) for v in values] + ["", ""]
            setting, value = cells[0], cells[1]
            if not setting:
                continue
            key = header_key(setting)
            if key not in ABOUT_SETTINGS:
                known = [k.capitalize() for k in ABOUT_SETTINGS]
                self._problem(
                    f'"{setting}" is not a setting{did_you_mean(setting, known)} The settings '
                    "are: " + ", ".join(known) + ".",
                    ABOUT,
                    number,
                    "Setting",
                    setting,
                )
            elif len(value) > MAX_CELL_CHARS:
                self._problem("the value is too long: shorten it", ABOUT, number, "Value")
            else:
                self.settings[key] = value


def _continues(sheet: Sheet, row: Row) -> bool:
    """Whether ``row`` only adds values to the columns of the row above that take several
    (one value a row, as the template's drop-downs offer them)."""
    return bool(row.cells) and all(sheet.column(key).several for key in row.cells)


def _join(above: Row, row: Row) -> None:
    """Add ``row``'s values to the row above, as if they had been written there after ``;``."""
    for key, raw in row.cells.items():
        earlier = above.text(key)
        above.cells[key] = f"{earlier}; {cell_text(raw)}" if earlier else raw


def did_you_mean(text: str, choices: Iterable[str]) -> str:
    """``; did you mean "X"?`` for the closest choice (any case), or ``.`` if none is close.

    >>> did_you_mean("Agenda activst", ["Agenda activist", "Member"])
    '; did you mean "Agenda activist"?'
    """
    by_key = {str(choice).casefold(): str(choice) for choice in choices}
    close = difflib.get_close_matches(str(text).casefold(), list(by_key), n=1, cutoff=0.75)
    return f'; did you mean "{by_key[close[0]]}"?' if close else "."


def _column_letter(position: int) -> str:
    """Spreadsheet column letters for a 0-based position: 0 → A, 27 → AB."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class Origin:
    """Where a fact came from: sheet, row and (when known) column and the text in the cell."""

    sheet: str
    row: int
    column: str | None = None
    value: str | None = None
