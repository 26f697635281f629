"""Problems found in a workbook, as a coordinator reads them: sheet, row, column, what to do.

The same problems are printed by the command line, shown as a table on the upload page and
returned as JSON, so each is kept as plain fields and turned into words only at the end.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from cop_graph.errors import CopGraphError

__all__ = ["ADVICE", "ERROR", "ImportRejected", "Problem", "from_validation", "sort_problems"]

ERROR = "error"
ADVICE = "advice"


@dataclass(frozen=True)
class Problem:
    """One thing to fix (or advice), and where it is. Rows are numbered as the sheet shows them."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: str = ERROR

    @property
    def where(self) -> str:
        """Where to look, e.g. ``Memberships row 7, column "Role"``.

        >>> Problem("x", "Memberships", 7, "Role").where
        'Memberships row 7, column "Role"'
        >>> Problem("x").where
        'The workbook'
        """
        parts = []
        if self.sheet:
            parts.append(self.sheet if self.row is None else f"{self.sheet} row {self.row}")
        if self.column:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts) or "The workbook"

    def sentence(self) -> str:
        """The problem as one sentence.

        >>> print(Problem('"Agenda activst" is not a role; did you mean "Agenda activist"?',
        ...               "Memberships", 7, "Role", "Agenda activst").sentence())
        ... # doctest: +ELLIPSIS
        Memberships row 7, column "Role": "Agenda activst" is not a role; did you mean "Agenda...
        """
        prefix = "Advice: " if self.severity == ADVICE else ""
        return f"{prefix}{self.where}: {self.message}"

    def to_json(self) -> dict:
        return asdict(self)


def sort_problems(problems) -> list[Problem]:
    """Problems in reading order: workbook first, then by sheet order, row and column."""
    from cop_graph.workbook.sheets import SHEETS

    order = {sheet.name: n for n, sheet in enumerate(SHEETS)}
    return sorted(
        set(problems),
        key=lambda p: (
            p.severity != ERROR,
            p.sheet is not None,
            order.get(p.sheet, len(order)),
            p.sheet or "",
            p.row or 0,
            p.column or "",
            p.message,
        ),
    )


class ImportRejected(CopGraphError):
    """The workbook was not imported; ``problems`` says every reason and where."""

    exit_code = 1

    def __init__(self, problems, *, source: str | None = None):
        self.problems = sort_problems(problems)
        self.source = source
        errors = [p for p in self.problems if p.severity == ERROR]
        noun = "problem" if len(errors) == 1 else "problems"
        where = f"{source}: " if source else ""
        super().__init__(f"{where}the workbook has {len(errors)} {noun}; nothing was saved.")

    def lines(self) -> list[str]:
        """One sentence per problem."""
        return [problem.sentence() for problem in self.problems]


def from_validation(results, cells, rows, names) -> list[Problem]:
    """Problems for the data rules' results, placed in the cells the facts came from.

    ``cells`` maps (thing, property) and ``rows`` maps a thing to where it came from (objects
    with ``sheet``, ``row``, ``column`` and ``value``); ``names`` gives a thing's name for
    results that no cell explains.
    """
    problems = []
    for result in results:
        origin = cells.get((result.focus, result.path)) if result.path is not None else None
        column = origin.column if origin is not None else None
        origin = origin or rows.get(result.focus)
        severity = ERROR if result.severity == "Violation" else ADVICE
        message = result.message
        if origin is None:
            name = names(result.focus)
            problems.append(Problem(f'"{name}": {message}', severity=severity))
            continue
        if result.value is not None and origin.value and column is not None:
            message = f'"{origin.value}" does not fit: {message}'
        value = origin.value if column is not None or result.path is None else None
        column = column or _column_for(origin.sheet, result.path) or origin.column
        problems.append(Problem(message, origin.sheet, origin.row, column, value, severity))
    return problems


def _column_for(sheet_name: str, path) -> str | None:
    """The column of ``sheet_name`` that fills the property ``path``, if one does."""
    from cop_graph.workbook.sheets import find_sheet

    sheet = find_sheet(sheet_name)
    if sheet is None or path is None:
        return None
    return next((c.header for c in sheet.columns if c.predicate == path), None)
