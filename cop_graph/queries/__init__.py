"""Named SPARQL queries: ``.rq`` files in this folder, loaded by name and run with bound values.

Each file starts with ``# key: value`` comment lines (``summary``, ``param`` — one per
parameter, ``name: meaning``; example queries also ``title``, ``description``, ``audience``).
Values are bound by the store (pyoxigraph substitutions, or a VALUES block for remote
servers), never formatted into the text, so user input cannot change a query's meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib.term import Node

from cop_graph.errors import UsageError

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


def run(store, name: str, **bindings: Node):
    """Run the named query on ``store`` with ``bindings`` for its parameters."""
    query = get(name)
    unknown = set(bindings) - set(query.params)
    if unknown:
        raise UsageError(f'the query "{name}" has no parameter {", ".join(sorted(unknown))}')
    return store.query(query.text, bindings or None)
