"""Signing coordinators in and out, and what other pages use to require it.

Flask's defaults are unsafe for this (its session cookie is SameSite=None and not Secure,
and it has no CSRF protection), so :func:`init_auth` sets them: a signed session cookie
that is HttpOnly, SameSite=Lax and Secure (configurable for plain http://127.0.0.1
development) and holds only a random session id (the account and the session's times live
in the accounts file, so a session can be ended before it expires: see
:mod:`cop_graph.store.accounts`), CSRF tokens required on every form (Flask-WTF), and sign-in
attempts braked per name and address (:mod:`cop_graph.web.sign_in_throttle`, so that nobody
can lock the real user out from elsewhere). Nothing about a person is logged (a refused
sign-in is logged with a keyed hash of the name, never the name or the password).

Other blueprints use :func:`current_user` (the account's name), :func:`current_account` (its
role and communities, for the checks in :mod:`cop_graph.web.permissions`) and
:func:`login_required`; templates get ``current_user`` and ``current_role``.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import math
from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect

from cop_graph.store.accounts import Account, Accounts
from cop_graph.store.secret_key import kept_secret_key
from cop_graph.web.addresses import local_path
from cop_graph.web.errors import error_response
from cop_graph.web.limits import client_address
from cop_graph.web.negotiation import wants_json
from cop_graph.web.sign_in_throttle import SignInThrottle
from cop_graph.web.state import app_state, state_of

__all__ = [
    "blueprint",
    "csrf",
    "current_account",
    "current_session_id",
    "current_user",
    "init_auth",
    "login_required",
]

blueprint = Blueprint("auth", __name__)
csrf = CSRFProtect()

#: how long a sign-in lasts unused
SESSION_HOURS = 8
#: the session cookie's key holding the session id
_SESSION_ID = "sid"


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure as the ``cookie_secure`` setting says."""

    def get_cookie_secure(self, app) -> bool:
        rule = app.config["SETTINGS"].cookie_secure
        if rule == "always":
            return True
        if rule == "never":
            return False
        return request.is_secure if request else True


def init_auth(app) -> None:
    """Set up sessions, CSRF protection, accounts and the sign-in brake on ``app``."""
    settings = app.config["SETTINGS"]
    if settings.cookie_secure not in ("always", "never", "auto"):
        raise ValueError('the cookie_secure setting must be "always", "never" or "auto"')
    if not app.config.get("SECRET_KEY"):  # Flask's default is None
        app.config["SECRET_KEY"] = settings.secret_key or kept_secret_key(settings.data)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
    )
    app.session_interface = _SessionInterface()
    csrf.init_app(app)
    state = state_of(app)
    state.accounts = app.config.get("ACCOUNTS") or Accounts(settings.accounts)
    state.sign_in_brakes = SignInThrottle()  # per (name, address), per address, per name
    app.register_error_handler(CSRFError, _expired_form)
    app.context_processor(_signed_in)
    app.register_blueprint(blueprint)


def current_account() -> Account | None:
    """The signed-in account with its role and communities, or None for an anonymous visitor.

    Read from the accounts file once per request, so a role changed with ``cop-graph user
    role`` holds from the next request on. A session that has been ended (signed out
    elsewhere, a new password, the account removed, an administrator) or has expired counts
    as signed out, and so does a cookie from before sessions were kept.
    """
    if "current_account" not in g:
        session_id = session.get(_SESSION_ID)
        account = None
        if session_id is not None:
            lifetime = SESSION_HOURS * 3600
            account = app_state().accounts.session_account(session_id, max_idle=lifetime)
        if (session_id is not None and account is None) or "user" in session:
            session.clear()
        g.current_account = account
    return g.current_account


def current_session_id() -> str | None:
    """The id of the signed-in session (to keep it when the account's others are ended)."""
    return session.get(_SESSION_ID) if current_account() is not None else None


def current_user() -> str | None:
    """The signed-in account's name, or None for an anonymous visitor."""
    account = current_account()
    return account.name if account is not None else None


def _signed_in() -> dict:
    account = current_account()
    return {
        "current_user": account.name if account else None,
        "current_role": account.role if account else None,
    }


def login_required(view):
    """Send anonymous visitors to the sign-in page (programs get the 401 error instead)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            if wants_json():
                return error_response(401, "Sign in as a coordinator first.")
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def _safe_next(target: str | None) -> str:
    """Only a path on this site (:func:`cop_graph.web.addresses.local_path`), else Imports."""
    return local_path(target) or url_for("imports.index")


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    next_page = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth_sign_in.html", next=next_page, error=None, name="")
    name = Accounts.normalise(request.form.get("name", ""))[:64]
    password = request.form.get("password", "")
    brake, address = app_state().sign_in_brakes, client_address()
    refused = brake.refusal(name, address)
    if refused is not None:
        _log_refusal("refused", refused.reason, name, address, logging.WARNING)
        error = f"{refused.reason} Try again in {_duration(refused.wait)}."
        headers = {"Retry-After": str(refused.wait)}
        if wants_json():
            return error_response(429, error, headers=headers, retry_after=refused.wait)
        page = render_template("auth_sign_in.html", next=next_page, error=error, name=name)
        return page, 429, headers
    account = app_state().accounts.check(name, password)
    if account is None:
        brake.failed(name, address)
        _log_refusal("failed", "wrong name or password", name, address, logging.INFO)
        error = "The name or password is not right. Check them and try again."
        if wants_json():
            return error_response(401, error)
        return render_template("auth_sign_in.html", next=next_page, error=error, name=name), 401
    brake.succeeded(name, address)
    session.clear()  # a fresh session: nothing carried over from before signing in
    session[_SESSION_ID] = app_state().accounts.start_session(
        account.name, max_idle=SESSION_HOURS * 3600
    )
    session.permanent = True
    return redirect(next_page)


def _log_refusal(outcome: str, reason: str, name: str, address: str, level: int) -> None:
    """Log a sign-in that failed or was refused: the address, and a keyed hash of the name
    (names are personal data; the hash tells the attempts on one name apart, and cannot be
    turned back into the name without the secret key). Never the password."""
    key = current_app.secret_key
    key = key.encode() if isinstance(key, str) else key
    tag = hmac.new(key or b"", name.encode(), hashlib.sha256).hexdigest()[:12]
    current_app.logger.log(
        level, "Sign-in %s (%s): name #%s from %s", outcome, reason, tag, address
    )


def _duration(seconds: int) -> str:
    """``seconds`` in words, whole minutes rounded up from a minute on.

    >>> _duration(45), _duration(61), _duration(840)
    ('45 seconds', '2 minutes', '14 minutes')
    """
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@blueprint.post("/sign-out")
def sign_out():
    session_id = session.get(_SESSION_ID)
    if session_id is not None:
        app_state().accounts.end_session(session_id)
    session.clear()
    return redirect(url_for("home.index"))


def _expired_form(error):
    """A form sent without its token, or after it expired: the page says to go back and send
    it again; programs get the one error shape."""
    if wants_json():
        message = "The form's security token is missing or has expired: load the form again."
        return error_response(400, message)
    return render_template("auth_expired.html"), 400
