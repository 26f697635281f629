"""A community's record as a filled-in workbook, to start its next update from.

``/workbooks/community/<id>.xlsx`` is the same workbook the importer takes, so a coordinator
downloads it, edits it and uploads it again; uploaded unchanged it gives the same facts.
Anyone may download it, as the community's public record is public anyway; people's names
and emails are in it only for signed-in users (others find members who did not agree to be
named written by their IDs, which hold no names). ``.zip`` gives the same as CSV files.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort

from cop_graph.errors import UsageError
from cop_graph.ids import mint, slugify
from cop_graph.web.auth import current_user
from cop_graph.web.state import app_state
from cop_graph.workbook.community import community_workbook

__all__ = ["blueprint"]

blueprint = Blueprint("workbooks", __name__)

_MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
_NO_SUCH_COMMUNITY = "There is no community at this address to download."


@blueprint.get("/workbooks/community/<slug>.<fmt>")
def community(slug: str, fmt: str):
    if fmt not in _MEDIA_TYPES or not slug or slugify(slug) != slug:
        abort(404, _NO_SUCH_COMMUNITY)
    signed_in = current_user() is not None
    try:
        body = community_workbook(
            app_state().store, mint("community", slug), include_private=signed_in, fmt=fmt
        )
    except UsageError:
        abort(404, _NO_SUCH_COMMUNITY)
    return Response(
        body,
        mimetype=_MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{slug}.{fmt}"',
            # names of people are in it for signed-in users: never kept by a shared cache
            "Cache-Control": "private, no-store" if signed_in else "no-cache",
        },
    )
