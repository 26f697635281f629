"""A signed-in account's own settings: changing its password (``/account/password``).

A new password ends every other session of the account (a session stolen before the change
does not outlive it) and keeps the one that asked. The form asks for the current password, so
that someone who found a signed-in browser cannot take the account over; a wrong one signs
that session out, so each further guess has to get past the sign-in page's brake first.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request, session, url_for

from cop_graph.errors import UsageError
from cop_graph.store.accounts import MIN_PASSWORD_LENGTH
from cop_graph.web.auth import current_session_id, current_user, login_required
from cop_graph.web.state import app_state

__all__ = ["blueprint"]

blueprint = Blueprint("account", __name__)


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    if request.method == "GET":
        return _form()
    accounts = app_state().accounts
    name = current_user()
    if accounts.check(name, request.form.get("current", "")) is None:
        accounts.end_session(current_session_id())
        session.clear()
        error = "The current password was not right, so you have been signed out. Sign in again."
        sign_in = url_for("auth.sign_in", next=url_for("account.password"))
        return render_template("account_signed_out.html", error=error, sign_in=sign_in), 403
    new, again = request.form.get("new", ""), request.form.get("again", "")
    if new != again:
        return _form("The new password and its repeat differ. Type them again.", 400)
    try:
        ended = accounts.set_password(name, new, keep_session=current_session_id())
    except UsageError as error:
        return _form(f"The new password was not saved: {error}.", 400)
    if ended == 0:
        others = "You were not signed in anywhere else."
    else:
        sessions = "1 other session" if ended == 1 else f"{ended} other sessions"
        others = f"You have been signed out everywhere else ({sessions} ended)."
    return _form(message=f"Your password is changed. {others}")


def _form(error: str | None = None, status: int = 200, message: str | None = None):
    page = render_template(
        "account_password.html", error=error, message=message, minimum=MIN_PASSWORD_LENGTH
    )
    return page, status
