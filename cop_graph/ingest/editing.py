"""Saving a community from the edit form: the same checks, replacement and history as an upload.

The form holds a community's record as rows of the importer's sheets
(:mod:`cop_graph.workbook.form`); saving goes through
:func:`cop_graph.ingest.importer.import_tables`, so it is validated by the same shapes,
replaces the community's old record wherever it was (never merges), and is one recorded,
undoable change. A community edited in the form keeps its record in the graph
``edit/<its ID>``; a workbook of it uploaded later moves it back to an import.
"""

from __future__ import annotations

from dataclasses import replace

from rdflib import URIRef

from cop_graph.ids import mint, slugify
from cop_graph.ingest.importer import ImportResult, import_tables
from cop_graph.namespaces import COP, RDF
from cop_graph.workbook import sheets as S
from cop_graph.workbook.community import community_rows
from cop_graph.workbook.form import CommunityForm, form_from_rows, to_workbook
from cop_graph.workbook.report import ImportRejected, Problem

__all__ = ["EDIT_PREFIX", "community_form", "edit_graph_name", "is_community", "save_community"]

#: every form save of a community is the graph ``edit/<the community's ID>``
EDIT_PREFIX = "edit/"


def community_form(store, community: URIRef) -> CommunityForm:
    """The form of ``community`` as the store records it, people's names included (the form
    is for its coordinators). Raises :class:`~cop_graph.errors.UsageError` if there is no
    such community."""
    exported = community_rows(store, community, include_private=True)
    return form_from_rows(exported.rows, exported.settings, beyond=set(exported.left_out))


def is_community(store, iri: URIRef) -> bool:
    """Whether the store records ``iri`` as a community, in any graph."""
    return (iri, RDF.type, COP.CommunityOfPurpose) in store.outgoing([iri])


def edit_graph_name(ident: str) -> str:
    """The graph a form save of the community with ID ``ident`` is kept in.

    >>> edit_graph_name("bolton-walks"), edit_graph_name("https://example.org/id/x/Y")
    ('edit/bolton-walks', 'edit/y')
    """
    return EDIT_PREFIX + (slugify(ident.rstrip("/").rsplit("/", 1)[-1]) or "community")


def save_community(
    store, form: CommunityForm, *, who: str, dry_run: bool = False, new: bool = False
) -> ImportResult:
    """Save (or, with ``dry_run``, say what saving would change) the community ``form``
    describes. ``new`` makes a community from the form's name and refuses a name already
    taken. Raises :class:`ImportRejected` (nothing written) listing every problem, each by
    sheet, row and column (see :func:`cop_graph.workbook.form.field_for`)."""
    if new:
        form = _as_new(store, form)
    return import_tables(
        store,
        to_workbook(form),
        name=edit_graph_name(form.ident),
        who=who,
        dry_run=dry_run,
        kind="edit",
        title=f"{form.name} (edited in the form)",
        beyond=form.beyond,
    )


def _as_new(store, form: CommunityForm) -> CommunityForm:
    """``form`` with the ID its name gives, if that names no community yet."""
    name = form.name
    ident = slugify(name)
    where = (S.COMMUNITIES.name, 2, "Name", name)
    if not name:
        raise ImportRejected([Problem("give the community a name", *where)], source="the form")
    if not ident:
        problem = Problem("the name needs at least one letter or digit", *where)
        raise ImportRejected([problem], source="the form")
    if is_community(store, mint("community", ident)):
        problem = Problem(
            f'a community called "{name}" is already recorded: change it from its own page, '
            "or give this one another name",
            *where,
        )
        raise ImportRejected([problem], source="the form")
    settings = {**form.settings, "workbook name": ident}
    return replace(form, ident=ident, settings=settings)
