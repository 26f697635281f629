"""Small workbooks for the tests, written in code so each test shows exactly what it reads."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl

#: a workbook that imports cleanly into the reference store: one community with what it needs
GOOD = {
    "Communities": [
        ["ID", "Name*", "Domains*", "Operates in*", "Practices", "Principles", "Founded"],
        ["halliwell-walkers", "Halliwell walkers", "Walking for health", "Bolton; Astley Bridge",
         "Health walks", "People Power", "31/03/2024"],
    ],
    "Domains": [["Name"], ["Walking for health"]],
    "Practices": [["Name"], ["Health walks"]],
    "People": [
        ["ID", "Name", "Email", "Public profile"],
        ["p1", "Sam Taylor", "sam@example.org", "no"],
    ],
    "Memberships": [
        ["Community", "Member", "Role", "From"],
        ["Halliwell walkers", "Sam Taylor", "Community keeper", "01/02/2024"],
    ],
    "Progress": [
        ["Community", "Step", "Status", "Date", "Notes"],
        ["Halliwell walkers", "1", "In progress", "2025-01-01", "Purpose agreed."],
    ],
}  # fmt: skip


def xlsx(sheets: dict[str, list[list]], *, formulas: dict | None = None) -> bytes:
    """An XLSX file with one sheet per entry; ``formulas`` maps (sheet, cell) to a formula."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if not sheets:
        book.create_sheet("Sheet1")
    for (name, cell), formula in (formulas or {}).items():
        book[name][cell] = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


def csv_zip(sheets: dict[str, list[list]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in sheets.items():
            archive.writestr(f"{name}.csv", csv_bytes(rows))
    return out.getvalue()


def with_rows(base: dict, sheet: str, *rows: list) -> dict:
    """A copy of ``base`` with ``rows`` added to ``sheet`` (created with no header if new)."""
    copy = {name: [list(r) for r in table] for name, table in base.items()}
    copy.setdefault(sheet, []).extend(list(r) for r in rows)
    return copy


def replace_cell(base: dict, sheet: str, row: int, column: str, value) -> dict:
    """A copy of ``base`` with one cell changed (``row`` counted as the sheet shows it)."""
    copy = {name: [list(r) for r in table] for name, table in base.items()}
    header = copy[sheet][0]
    position = [str(h).rstrip("*").strip().lower() for h in header].index(column.lower())
    copy[sheet][row - 1][position] = value
    return copy
