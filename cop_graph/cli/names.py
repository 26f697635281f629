"""Names typed on the command line turned into the things they name, and back.

``--param practice="Health walks"`` would otherwise be bound as a string, and a query that
compares it with a practice's IRI silently finds nothing; so a parameter whose name says what
kind of thing it wants (``practice``, ``locality``, ``community`` …) takes that thing's name
(any case), its alternative name, its NHS or ONS code or the last part of its address, and a
name that fits nothing fails with the closest names instead of an empty answer. Tables go the
other way: an address is shown with its name beside it.
"""

from __future__ import annotations

import difflib
from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.term import Node

from cop_graph import queries
from cop_graph.errors import UsageError
from cop_graph.namespaces import COP, ORG, SKOS
from cop_graph.store import SelectResult

__all__ = ["KINDS", "named_columns", "resolve_params"]

#: parameter name → (the class of thing it wants, how to call one in a message)
KINDS: dict[str, tuple[URIRef, str]] = {
    "practice": (COP.Practice, "practice"),
    "community": (COP.CommunityOfPurpose, "community"),
    "place": (COP.Place, "place"),
    "locality": (COP.Locality, "locality"),
    "ward": (COP.Ward, "ward"),
    "neighbourhood": (COP.Neighbourhood, "neighbourhood"),
    "domain": (COP.Domain, "domain"),
    "chapter": (COP.BlueprintChapter, "Blueprint chapter"),
    "role": (COP.CommunityRole, "community role"),
    "step": (COP.FrameworkStep, "framework step"),
    "principle": (COP.Principle, "principle"),
    "indicator": (COP.Indicator, "indicator"),
    "pcn": (COP.PrimaryCareNetwork, "Primary Care Network"),
    "organisation": (ORG.Organization, "organisation"),
    "concept": (SKOS.Concept, "concept"),
}
#: parameters that take a thing of any kind
_ANY = {"entity", "thing", "from", "to"}
#: most close matches an error lists
_SUGGESTED = 5


def resolve_params(store, bindings: dict[str, Node]) -> dict[str, Node]:
    """``bindings`` with each name given for a thing replaced by that thing's IRI.

    Values that are already IRIs, and parameters that do not want a thing (a code, a number,
    a graph), are left as they are. Raises :class:`UsageError` naming the closest matches
    when a name fits no thing of the wanted kind, or several.
    """
    resolved = dict(bindings)
    for param, given in bindings.items():
        if isinstance(given, Literal) and (param in KINDS or param in _ANY):
            resolved[param] = _resolve(store, param, str(given))
    return resolved


def _resolve(store, param: str, given: str) -> URIRef:
    kind, noun = KINDS.get(param, (None, "thing"))
    # every name in the store is read: as text (raw rows), which costs a fraction of terms
    rows = (
        queries.run(store, "list_names_of_kind", raw=True, kind=kind)
        if kind is not None
        else queries.run(store, "list_names", raw=True)
    )
    names: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for row in rows:
        thing, name, label = (None if term is None else term.value for term in row)
        names[_key(name)].add(thing)
        names[_key(_short_id(thing))].add(thing)
        labels.setdefault(thing, label if label is not None else name)
    found = names.get(_key(given), set())
    if len(found) == 1:
        return URIRef(next(iter(found)))
    if found:
        listed = "; ".join(f"{labels[t]} <{t}>" for t in sorted(found)[:_SUGGESTED])
        raise UsageError(
            f'more than one {noun} is called "{given}" ({listed}): '
            f"give --param {param}=<IRI> instead"
        )
    close = difflib.get_close_matches(_key(given), list(names), n=_SUGGESTED * 4, cutoff=0.6)
    suggested = list(dict.fromkeys(labels[t] for key in close for t in sorted(names[key])))
    hint = (
        "; did you mean " + ", ".join(f'"{name}"' for name in suggested[:_SUGGESTED]) + "?"
        if suggested
        else f"; give its name, code or IRI (--param {param}=<IRI>)"
    )
    raise UsageError(f'no {noun} is called "{given}"{hint}')


def named_columns(store, result: SelectResult) -> SelectResult:
    """``result`` for a table people read: each column of addresses shows names, with the
    address in a second column ``<column>_iri``.

    A column that has its own name column beside it (``place`` and ``placeLabel`` or
    ``placeName``) takes that name; any other gets the thing's label from the store, or
    keeps the address when there is none.
    """
    variables = result.variables
    linked = [
        i
        for i, name in enumerate(variables)
        if any(isinstance(row[i], URIRef) for row in result.rows) and f"{name}_iri" not in variables
    ]
    if not linked:
        return result
    companions = {
        i: variables.index(f"{variables[i]}{suffix}")
        for i in linked
        for suffix in ("Label", "Name", "_label", "_name")
        if f"{variables[i]}{suffix}" in variables
    }
    labels = {} if set(linked) <= set(companions) else _labels(store)
    dropped = set(companions.values())
    columns, rows = [], [[] for _ in result.rows]
    for i, name in enumerate(variables):
        if i in dropped:
            continue
        columns.append(name)
        if i not in linked:
            for out, row in zip(rows, result.rows, strict=True):
                out.append(row[i])
            continue
        columns.append(f"{name}_iri")
        for out, row in zip(rows, result.rows, strict=True):
            term = row[i]
            name_of = row[companions[i]] if i in companions else labels.get(str(term))
            shown = name_of if name_of is not None and isinstance(term, URIRef) else term
            out += [shown, term if isinstance(term, URIRef) else None]
    return SelectResult(columns, [tuple(row) for row in rows])


def _labels(store) -> dict[str, str]:
    """Every thing's label, by its IRI, as text (raw rows: the whole store's labels)."""
    labels: dict[str, str] = {}
    for thing, label in queries.run(store, "list_labels", raw=True):
        labels.setdefault(thing.value, label.value)
    return labels


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _short_id(thing: str) -> str:
    text = str(thing).rstrip("/#")
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
