"""Asking the running site for an analysis's answer instead of working it out again.

``cop-graph analyse`` on its own reads the store and builds the graphs it needs each time
(seconds on a large store). While ``cop-graph serve`` holds the store, the site keeps those
graphs built and remembers each answer until the data changes, so the command asks it
(``/_store/analysis/<name>`` of the store API, with the address and token of the owner record;
see :mod:`cop_graph.store.owner`) and prints what it sends: the same text the command would
print itself (:func:`cop_graph.pages.analysis_text.answer_text` writes both); ``--export``
gets the same file from ``/_store/analysis/<name>/graph.<format>``.

When the site does not answer, or answers with anything but the text or a usage error, the
command says so on stderr and does what it did before: works it out itself, through the
server's store API if that answers, else waiting for the store as any command does. The token
goes in a header only, never into a message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import quote

from cop_graph.errors import UsageError
from cop_graph.store.owner import PING_SECONDS, SERVER_TIMEOUT, Owner, read_owner

__all__ = ["analysis_path", "ask_site", "running_site", "sibling"]


def running_site(store_path: str) -> Owner | None:
    """The running site that holds the store at ``store_path`` and takes questions, if any."""
    owner = read_owner(store_path)
    return owner if owner is not None and owner.api and owner.token else None


def ask_site(
    site: Owner, path: str, params: Mapping[str, str | None], *, say: Callable[[str], None]
) -> bytes | None:
    """What ``site`` answers at ``path`` (beside its store API, such as ``analysis/brokers``)
    with ``params``, or None when it does not answer (``say`` then tells why, on the way back
    to working it out here). Raises :class:`UsageError` with the site's message for options it
    refuses."""
    import requests  # only when a site holds the store

    given = {k: v for k, v in params.items() if v not in (None, "")}
    with requests.Session() as session:
        session.trust_env = False  # straight to the local server: no proxy sees the token
        session.headers["Authorization"] = f"Bearer {site.token}"
        session.headers["Accept"] = "application/json"
        try:
            answer = session.get(
                sibling(site.api, path), params=given, timeout=(PING_SECONDS, SERVER_TIMEOUT)
            )
        except requests.RequestException as error:
            say(_fallback(site.pid, f"it did not answer ({type(error).__name__})"))
            return None
    if answer.status_code == 200:
        return answer.content
    if answer.status_code == 400:
        message = _message(answer)
        if message:
            raise UsageError(message)
    say(_fallback(site.pid, f"it answered {answer.status_code}"))
    return None


def analysis_path(name: str, export: str | None = None) -> str:
    """Where the site answers the analysis ``name`` (or gives its graph as ``export``).

    >>> analysis_path("brokers"), analysis_path("gaps", "graphml")
    ('analysis/brokers', 'analysis/gaps/graph.graphml')
    """
    path = "analysis/" + quote(name, safe="")
    return f"{path}/graph.{quote(export, safe='')}" if export else path


def sibling(api: str, path: str) -> str:
    """The address of ``path`` beside the store API's query address ``api``.

    >>> sibling("http://127.0.0.1:5000/_store/query", "analysis/brokers")
    'http://127.0.0.1:5000/_store/analysis/brokers'
    """
    return api.rsplit("/", 1)[0] + "/" + path


def _message(answer) -> str | None:
    try:
        error = answer.json().get("error")
    except ValueError:
        return None
    return error if isinstance(error, str) and error else None


def _fallback(pid: int, why: str) -> str:
    return (
        f"Asked the running site (pid {pid}) for the answer, but {why}; "
        "working it out here instead."
    )
