"""The edit form of a community as a page shows it: one input per value, errors beside them.

Built from the workbook's column descriptions (:mod:`cop_graph.workbook.sheets`), so a
column reads, checks and shows the same in the template, the importer and the form: a
choice is a drop-down (or boxes to tick where several may be chosen), a reference to
something recorded is a text input with the graph's current names to pick from as one
types (an HTML ``datalist``: native, keyboard usable, no script needed), a date is a date.
Problems from a save (:class:`~cop_graph.workbook.report.Problem`, by sheet, row and column)
are placed beside their input and listed at the top with a link to each, as the GOV.UK
error summary does; those no input shows stay in that list.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cop_graph.ids import slugify
from cop_graph.workbook import sheets as S
from cop_graph.workbook.form import GROUPS, CommunityForm, cell_name, field_for, shown_columns
from cop_graph.workbook.report import Problem
from cop_graph.workbook.template import list_name_of

__all__ = ["FormView", "Widget", "form_view", "in_form_words"]

#: what one row of a group is called ("Member 1", "New member")
ROW_NOUNS = {
    S.MEMBERSHIPS.name: "member",
    S.PEOPLE.name: "person",
    S.OUTCOMES.name: "outcome",
    S.RESOURCES.name: "resource",
    S.EVENTS.name: "event",
    S.PRACTICES.name: "practice",
    S.DOMAINS.name: "domain",
    S.PLACES.name: "neighbourhood",
    S.SPACES.name: "space",
    S.INDICATORS.name: "indicator",
    S.ORGANISATIONS.name: "organisation",
}
#: each group's heading and what it is for, as the form says it
GROUP_TITLES = {
    S.MEMBERSHIPS.name: ("Members and their roles", "Who takes part and the role each plays."),
    S.PEOPLE.name: (
        "People",
        "The people named above. Names and emails stay private unless 'Public profile' is "
        "yes; emails are never shown publicly. Ask people before you record them.",
    ),
    S.PLACES.name: ("Neighbourhoods", S.PLACES.help),
}
#: groups shown open; the others are folded until needed (or until they hold a problem)
OPEN_GROUPS = frozenset({S.MEMBERSHIPS.name, S.PEOPLE.name})
#: community columns that take a paragraph rather than a line
PARAGRAPHS = frozenset({"description", "purpose"})


@dataclass
class Widget:
    """One input (or a set of inputs, for several values) and what it says."""

    name: str
    label: str
    kind: str
    values: list[str]
    hint: str = ""
    required: bool = False
    several: bool = False
    options: list[str] = field(default_factory=list)
    datalist: str | None = None
    #: the list of choices the datalist offers (see cop_graph.workbook.template.list_name_of)
    list_name: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace(" ", "-")

    @property
    def value(self) -> str:
        return self.values[0] if self.values else ""


@dataclass
class RowView:
    number: int
    legend: str
    widgets: list[Widget]
    hidden: list[Widget]
    new: bool
    removed: bool
    remove_name: str


@dataclass
class GroupView:
    sheet: str
    key: str
    title: str
    hint: str
    noun: str
    open: bool
    rows: list[RowView]

    @property
    def count_name(self) -> str:
        return f"{self.key}.count"

    @property
    def has_errors(self) -> bool:
        return any(w.errors for row in self.rows for w in row.widgets)


@dataclass
class FormView:
    """Everything the template needs: the community's inputs, the groups, the lists to pick
    from, and the problems (each with the input it links to, if one shows it)."""

    fields: list[Widget]
    groups: list[GroupView]
    datalists: dict[str, list[str]]
    summary: list[dict]


def form_view(
    form: CommunityForm, lists: Mapping[str, list[str]], problems: Iterable[Problem] = ()
) -> FormView:
    """The page's view of ``form`` with ``lists`` (from
    :func:`cop_graph.workbook.template.choice_lists`) and the problems of a save."""
    placed: dict[str, list[str]] = defaultdict(list)
    summary = []
    for problem in problems:
        name = field_for(problem)
        message = _sentence(in_form_words(problem.message))
        if name is not None:
            placed[name].append(message)
            summary.append({"text": message, "href": "#" + Widget(name, "", "", []).id})
        else:
            summary.append({"text": _sentence(in_form_words(problem.sentence())), "href": None})
    used: set[str] = set()
    fields = []
    for column in S.COMMUNITIES.columns:
        if column.value == S.ID:
            continue
        widget = _widget(S.COMMUNITIES, column, form.cells.get(column.key, []), lists, None)
        widget.errors = placed.get(widget.name, [])
        used |= {widget.list_name} if widget.list_name else set()
        fields.append(widget)
    groups = []
    for sheet in GROUPS:
        rows = []
        for number, row in enumerate(form.groups.get(sheet.name, [])):
            widgets, hidden = [], []
            new = not any(row.get(c.key) for c in shown_columns(sheet))
            for column in sheet.columns:
                text = row.get(column.key, "")
                values = [text] if text else []
                if column not in shown_columns(sheet):
                    if column.value == S.ID and text:
                        hidden.append(
                            Widget(cell_name(sheet, column, number), "ID", "hidden", values)
                        )
                    continue
                widget = _widget(sheet, column, values, lists, number)
                widget.errors = placed.get(widget.name, [])
                if not new:  # filled rows need no explaining; the empty ones below say it
                    widget.hint = ""
                used |= {widget.list_name} if widget.list_name else set()
                widgets.append(widget)
            noun = ROW_NOUNS[sheet.name]
            named = row.get(sheet.name_key if sheet.name != S.MEMBERSHIPS.name else "member", "")
            legend = (
                f"New {noun}" if new else f"{noun.capitalize()} {number + 1}: {named}".rstrip(": ")
            )
            rows.append(RowView(number, legend, widgets, hidden, new, row.get("remove") == "yes",
                                f"{slugify(sheet.name)}.{number}.remove"))  # fmt: skip
        title, hint = GROUP_TITLES.get(sheet.name, (sheet.name, sheet.help))
        view = GroupView(sheet.name, slugify(sheet.name), title, in_form_words(hint),
                         ROW_NOUNS[sheet.name], sheet.name in OPEN_GROUPS, rows)  # fmt: skip
        view.open = view.open or view.has_errors or any(not r.new for r in rows)
        groups.append(view)
    datalists = {_list_id(name): list(lists.get(name, [])) for name in sorted(used)}
    people = [r.get("name", "") for r in form.groups.get(S.PEOPLE.name, []) if r.get("name")]
    member_list = _list_id(list_name_of(S.MEMBERSHIPS.column("member")) or "")
    if member_list in datalists:  # the people of this form are members to choose too
        datalists[member_list] = sorted(set(datalists[member_list]) | set(people), key=str.casefold)
    return FormView(fields, groups, datalists, summary)


def in_form_words(text: str) -> str:
    """A workbook's message as the form says it: sheets are sections of the form.

    >>> in_form_words("If it is new, add it to the Domains sheet.")
    'If it is new, add it under “Domains” in this form.'
    >>> in_form_words("A person (People sheet) or organisation")
    'A person (“People” in this form) or organisation'
    >>> in_form_words("see the Practices sheet or practices already recorded")
    'see “Practices” in this form or practices already recorded'
    """
    text = re.sub(r"\((\w+) sheet\)", r"(“\1” in this form)", text)
    text = re.sub(r"\bto the (\w+) sheet\b", r"under “\1” in this form", text)
    text = re.sub(r"\bthe (\w+) sheet\b", r"“\1” in this form", text)
    return re.sub(r"\(see (“\w+”) in this form[^)]*\)", r"(see \1 below)", text)


def _widget(sheet, column: S.Column, values: list[str], lists, number: int | None) -> Widget:
    name = cell_name(sheet, column, number)
    list_name = list_name_of(column)
    in_community = sheet is S.COMMUNITIES
    widget = Widget(
        name, column.header, "text", list(values), in_form_words(column.help), column.required,
        column.several and in_community,
    )  # fmt: skip
    if column.value == S.CHOICE or column.value == S.YES_NO:
        widget.options = list(lists.get(list_name, []))
        widget.kind = "checkboxes" if widget.several else "select"
    elif column.value == S.REF:
        if list_name in lists:
            widget.datalist, widget.list_name = _list_id(list_name), list_name
    elif column.value == S.DATE:
        widget.kind = "date"
    elif column.value == S.NUMBER:
        widget.kind = "number"
    elif column.value == S.WEB:
        widget.kind = "url"
    elif column.value == S.EMAIL:
        widget.kind = "email"
    elif in_community and column.key in PARAGRAPHS:
        widget.kind = "textarea"
    if column.several and not in_community:
        widget.hint = (widget.hint + " Separate several with ;").strip()
    return widget


def _list_id(list_name: str) -> str:
    return "list-" + slugify(list_name)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")
