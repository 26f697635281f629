"""A community's record as a web form: the importer's sheets, field by field.

Why: a save from the form must be checked, replace the old record and be recorded exactly
as a workbook upload is, or the two would drift apart. So the form is the workbook in other
clothes. The community's row of the Communities sheet becomes the form's fields (one input
per value where a column takes several); the rows of the sheets that hang on it (members,
people, outcomes, resources, events…) become rows of inputs; the rows of every other sheet
of its record (its self-assessments, partnerships) are kept as they are. A save turns the
fields back into rows (:func:`to_workbook`) for :func:`cop_graph.ingest.importer.import_tables`,
and each problem it reports by sheet, row and column is placed next to its input
(:func:`field_for`).

Field names: ``community.<column>`` for the community's own cells (repeated for several
values), ``<sheet>.<n>.<column>`` for row ``n`` of a sheet shown as rows (``<sheet>.<n>.remove``
to leave a row out, ``<sheet>.count`` for how many rows the form held). Row ``n`` is the
sheet's row ``n + 2``, as a workbook numbers it, so problems find their way back.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cop_graph.ids import slugify
from cop_graph.workbook import sheets as S
from cop_graph.workbook.report import Problem
from cop_graph.workbook.tables import Workbook
from cop_graph.workbook.values import several

__all__ = [
    "BLANK_ROWS",
    "GROUPS",
    "CommunityForm",
    "cell_name",
    "field_for",
    "form_from_fields",
    "form_from_rows",
    "new_form",
    "to_workbook",
]

#: the sheets shown as rows of inputs, in the form's order
GROUPS: tuple[S.Sheet, ...] = (
    S.MEMBERSHIPS,
    S.PEOPLE,
    S.OUTCOMES,
    S.RESOURCES,
    S.EVENTS,
    S.PRACTICES,
    S.DOMAINS,
    S.PLACES,
    S.SPACES,
    S.INDICATORS,
    S.ORGANISATIONS,
)
#: the column of each group's sheet that names the community a row is about: the form
#: fills it in, so it is not shown
TIED = {S.MEMBERSHIPS.name: "community", S.OUTCOMES.name: "community", S.EVENTS.name: "community"}
#: empty rows offered below each group's rows for new entries (a script adds more)
BLANK_ROWS = 2
#: the most rows a group may post (a form is for one community, not a bulk load)
MAX_ROWS = 500
#: the most values a cell taking several may post
MAX_VALUES = 200
_COMMUNITY = "community"
_SOURCE = "the edit form"


@dataclass
class CommunityForm:
    """What the form shows and posts: the community's cells and the rows of each group.

    ``cells`` maps a Communities column key to its values; ``groups`` maps a group's sheet
    name to its rows, each a dict of column key → text (``"remove"`` → ``"yes"`` for a row
    to leave out). ``kept`` holds the rows of the record's other sheets, saved unchanged, and
    ``beyond`` the record's facts no column holds (a property loaded from elsewhere), kept
    for as long as what they are about stays.
    """

    ident: str
    cells: dict[str, list[str]] = field(default_factory=dict)
    groups: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    kept: dict[str, list[list[str]]] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    beyond: frozenset = frozenset()

    @property
    def name(self) -> str:
        return next(iter(self.cells.get("name", [])), "")

    def with_blank_rows(self, count: int = BLANK_ROWS) -> CommunityForm:
        """The form with ``count`` empty rows after each group's rows, to add to; a new
        person's row comes with an ID of its own, as people's IRIs never hold names."""
        groups = {}
        for sheet in GROUPS:
            rows = [r for r in self.groups.get(sheet.name, []) if any(_filled(r, sheet))]
            groups[sheet.name] = rows + [_blank_row(sheet) for _ in range(count)]
        return CommunityForm(
            self.ident, dict(self.cells), groups, self.kept, self.settings, self.beyond
        )


def cell_name(sheet: S.Sheet, column: S.Column, row: int | None = None) -> str:
    """The form field of ``column``: of the community's row, or of row ``row`` of a group.

    >>> cell_name(S.COMMUNITIES, S.COMMUNITIES.column("operates in"))
    'community.operates-in'
    >>> cell_name(S.MEMBERSHIPS, S.MEMBERSHIPS.column("role"), 3)
    'memberships.3.role'
    """
    if sheet is S.COMMUNITIES:
        return f"{_COMMUNITY}.{slugify(column.key)}"
    return f"{slugify(sheet.name)}.{row}.{slugify(column.key)}"


def new_form() -> CommunityForm:
    """An empty form for a new community (it is not made up: see the About settings)."""
    return CommunityForm("", settings={"workbook name": "", "made-up examples": "no"})


def form_from_rows(
    rows: Mapping[str, list[list[str]]], settings: Mapping[str, str], beyond=()
) -> CommunityForm:
    """The form of a community from its record's rows (see
    :func:`cop_graph.workbook.community.community_rows`): the one Communities row is its
    fields, the groups' rows its rows; the other sheets' rows are kept as they are, and so
    are the facts ``beyond`` what any column holds."""
    community_rows = rows.get(S.COMMUNITIES.name) or [[]]
    row = dict(zip((c.key for c in S.COMMUNITIES.columns), community_rows[0], strict=False))
    cells = {
        column.key: _values(column, row.get(column.key, "")) for column in S.COMMUNITIES.columns
    }
    form = CommunityForm(
        row.get("id", ""), cells, settings=dict(settings), beyond=frozenset(beyond)
    )
    for sheet in GROUPS:
        keys = [c.key for c in sheet.columns]
        form.groups[sheet.name] = [
            dict(zip(keys, r, strict=False)) for r in rows.get(sheet.name, [])
        ]
    shown = {S.COMMUNITIES.name} | {s.name for s in GROUPS}
    form.kept = {name: list(r) for name, r in rows.items() if name not in shown}
    return form


def form_from_fields(fields: Callable[[str], list[str]], base: CommunityForm) -> CommunityForm:
    """The form as posted: ``fields(name)`` gives the posted values of a field (a request's
    ``form.getlist``). What the form does not show (the community's ID, the kept rows, the
    settings) comes from ``base``, never from the post."""
    form = CommunityForm(base.ident, kept=base.kept, settings=base.settings, beyond=base.beyond)
    for column in S.COMMUNITIES.columns:
        if column.value == S.ID:
            continue
        posted = [v.strip() for v in fields(cell_name(S.COMMUNITIES, column))][:MAX_VALUES]
        form.cells[column.key] = [v for v in posted if v] if column.several else posted[:1]
    for sheet in GROUPS:
        count = _count(fields(f"{slugify(sheet.name)}.count"))
        rows = []
        for number in range(count):
            row = {}
            for column in sheet.columns:
                values = [v.strip() for v in fields(cell_name(sheet, column, number))]
                values = [v for v in values if v][:MAX_VALUES]
                if values:
                    row[column.key] = "; ".join(values)
            if "yes" in fields(f"{slugify(sheet.name)}.{number}.remove"):
                row["remove"] = "yes"
            rows.append(row)
        form.groups[sheet.name] = rows
    return form


def to_workbook(form: CommunityForm) -> Workbook:
    """The form's rows as the workbook the importer reads: the community's row, each group's
    rows (a row left out or left empty is an empty row, so later rows keep their numbers),
    and the kept rows of the other sheets."""
    workbook = Workbook(_SOURCE, settings=dict(form.settings))
    ident = form.ident
    community = []
    for column in S.COMMUNITIES.columns:
        values = [ident] if column.value == S.ID else form.cells.get(column.key, [])
        community.append("; ".join(v for v in values if v))
    for sheet in S.SHEETS:
        header = [c.header for c in sheet.columns]
        if sheet is S.COMMUNITIES:
            rows = [community]
        elif sheet.name in form.groups:
            rows = [_group_row(sheet, r, ident) for r in form.groups[sheet.name]]
        else:
            rows = form.kept.get(sheet.name, [])
        workbook.add_sheet(sheet.name, [header, *rows], continued=False)
    return workbook


def field_for(problem: Problem) -> str | None:
    """The form field a problem is about, or None when no field shows it (a kept sheet, the
    form as a whole). A problem about a row but no column is placed on the row's first field.
    """
    sheet = S.find_sheet(problem.sheet or "")
    if sheet is None or (sheet is not S.COMMUNITIES and sheet not in GROUPS):
        return None
    column = _column_headed(sheet, problem.column)
    if sheet is S.COMMUNITIES:
        column = column if column is not None and column.value != S.ID else S.COMMUNITIES.columns[1]
        return cell_name(sheet, column)
    if problem.row is None or problem.row < 2:
        return None
    shown = [c for c in sheet.columns if c.key != TIED.get(sheet.name) and c.value != S.ID]
    if column is None or column not in shown:
        column = shown[0]
    return cell_name(sheet, column, problem.row - 2)


def shown_columns(sheet: S.Sheet) -> list[S.Column]:
    """The columns of a group the form shows (not the community it is tied to, not the ID)."""
    return [c for c in sheet.columns if c.key != TIED.get(sheet.name) and c.value != S.ID]


def _column_headed(sheet: S.Sheet, header: str | None) -> S.Column | None:
    if not header:
        return None
    return sheet.column(S.header_key(header))


def _group_row(sheet: S.Sheet, row: Mapping[str, str], community_ident: str) -> list[str]:
    if row.get("remove") == "yes" or not any(_filled(row, sheet)):
        return [""] * len(sheet.columns)
    tied = TIED.get(sheet.name)
    return [community_ident if c.key == tied else row.get(c.key, "") for c in sheet.columns]


def _filled(row: Mapping[str, str], sheet: S.Sheet):
    """The row's texts in the columns a person fills (a new person's given ID is not one)."""
    for column in shown_columns(sheet):
        if row.get(column.key):
            yield row[column.key]


def _blank_row(sheet: S.Sheet) -> dict[str, str]:
    if sheet is S.PEOPLE:
        return {"id": "person-" + secrets.token_hex(5)}
    return {}


def _values(column: S.Column, text: str) -> list[str]:
    if not text:
        return []
    return several(text) if column.several else [text]


def _count(posted: list[str]) -> int:
    text = posted[0].strip() if posted else ""
    return min(int(text), MAX_ROWS) if text.isdigit() else 0
