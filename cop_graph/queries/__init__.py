"""Named SPARQL queries: ``.rq`` files in this folder, loaded by name and run with bound values.

Each file starts with ``# key: value`` comment lines (``summary``, ``param`` — one per
parameter, ``name: meaning``; example queries also ``title``, ``description``, ``audience``).

:func:`run` is the one way the program runs a named query, whoever asks (pages, analyses,
the command line, imports): it checks the parameters, binds their values (as constants, see
:mod:`cop_graph.queries.binding`, so user input cannot change a query's meaning and the
engine can plan with them) and hands the engine the graphs of a :class:`~cop_graph.scope.Scope`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib.term import Node

from cop_graph.errors import UsageError
from cop_graph.queries.binding import names_graphs, with_constants

__all__ = ["NamedQuery", "get", "names", "run"]

_FOLDER = Path(__file__).resolve().parent
_HEADER = re.compile(r"^#\s*([a-z]+)\s*:\s*(.*)$")


@dataclass(frozen=True)
class NamedQuery:
    """One ``.rq`` file: its text and the metadata from its header comments."""

    name: str
    text: str
    summary: str = ""
    title: str = ""
    description: str = ""
    audience: str = ""
    params: dict[str, str] = field(default_factory=dict)


def _parse(name: str, text: str) -> NamedQuery:
    meta: dict[str, str] = {}
    params: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if not line.startswith("#"):
            break
        if match:
            key, value = match.groups()
            if key == "param":
                param, _, meaning = value.partition(":")
                params[param.strip().lstrip("?$")] = meaning.strip()
            elif key in meta:
                meta[key] += " " + value.strip()
            else:
                meta[key] = value.strip()
    known = {k: meta[k] for k in ("summary", "title", "description", "audience") if k in meta}
    return NamedQuery(name=name, text=text, params=params, **known)


@cache
def get(name: str) -> NamedQuery:
    """The query called ``name`` (a path under this folder without ``.rq``, e.g. ``count_things``).

    >>> get("count_things").summary
    'How many communities, people, organisations, places and practices the graph holds.'
    """
    path = (_FOLDER / f"{name}.rq").resolve()
    if _FOLDER not in path.parents or not path.is_file():
        raise UsageError(f'there is no query called "{name}"')
    return _parse(name, path.read_text(encoding="utf-8"))


def names(folder: str = "") -> list[str]:
    """Names of the queries in ``folder`` (e.g. ``examples``), sorted."""
    base = _FOLDER / folder
    return sorted(str(p.relative_to(_FOLDER).with_suffix("")) for p in base.glob("*.rq"))


def run(
    store, name: str, *, scope=None, as_text: bool = False, raw: bool = False, **bindings: Node
):
    """Run the named query on ``store`` with ``bindings`` for its parameters.

    ``scope`` (a :class:`~cop_graph.scope.Scope`) is what the query may read: the union of its
    graphs is the default graph and ``GRAPH`` can name only them. Without one the query reads
    the whole store, as its owner does (imports checking what exists, ``cop-graph query``).
    ``as_text`` gives a SELECT's rows as plain text (see ``Store.select_text``), for code that
    builds its own structures from a large answer; ``raw`` gives the answer in pyoxigraph's
    own terms (see ``Store.query_raw``), for code that writes it out or reads only text.

    >>> from cop_graph.store import open_store
    >>> run(open_store("memory:"), "count_things").dicts()[0]["communities"]
    rdflib.term.Literal('0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    query = get(name)
    unknown = set(bindings) - set(query.params)
    if unknown:
        raise UsageError(f'the query "{name}" has no parameter {", ".join(sorted(unknown))}')
    text = with_constants(query.text, bindings)
    graphs = None if scope is None else scope.dataset()
    if as_text:
        if graphs is not None and names_graphs(query.text):
            raise UsageError(f'the query "{name}" names graphs, so it cannot be run as text')
        return store.select_text(text, default_graph=graphs)
    # only a query that names graphs needs the list twice (it costs the engine a little)
    named = graphs if graphs is not None and names_graphs(query.text) else None
    ask = store.query_raw if raw else store.query
    return ask(text, default_graph=graphs, named_graphs=named)
