"""What a change links to, read from the store: the context its checks need.

A change is checked with what the store says about the things it mentions, not with the
whole store, so checking costs the size of the change whatever the size of the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib import Graph, URIRef

from cop_graph.files.terms import Triple
from cop_graph.store import Store

__all__ = ["context_of", "linked_context", "native_context"]


def context_of(store: Store, data: Iterable[Triple], replacing: Iterable[URIRef] = ()) -> Graph:
    """What ``data`` links to, as the store holds it now, leaving out the graphs replaced."""
    replacing = list(replacing)
    nodes = {term for s, _, o in data for term in (s, o) if isinstance(term, URIRef)}
    subjects = {s for s, _, _ in data}
    context = Graph()
    for triple in linked_context(
        lambda asked: store.outgoing(asked, exclude=replacing), nodes, subjects
    ):
        context.add(triple)
    return context


def native_context(
    store: Store, nodes: set[ox.NamedNode], subjects: set, replacing: Iterable[URIRef] = ()
) -> list[ox.Triple]:
    """:func:`context_of` in pyoxigraph's terms, for a load staged in pyoxigraph."""
    replacing = list(replacing)
    return [
        ox.Triple(*triple)
        for triple in linked_context(
            lambda asked: store.outgoing_native(asked, exclude=replacing), nodes, subjects
        )
    ]


def linked_context(outgoing: Callable[[set], Iterable], nodes: set, subjects: set) -> list[tuple]:
    """The facts the store holds about ``nodes`` (the things a change mentions) and, for things
    the change adds facts to that the store already describes (a community a form adds a
    principle to), about the things those facts point to: the rules check, for example,
    that the community's domains are domains, which needs the domains' types.

    ``outgoing`` reads the facts about a set of things, in rdflib's or pyoxigraph's terms.
    The cost depends on the size of the change, never on the size of the store.
    """
    context = [tuple(triple) for triple in outgoing(nodes)]
    further = {o for s, _, o in context if s in subjects and _is_iri(o) and o not in nodes}
    if further:
        context += [tuple(triple) for triple in outgoing(further)]
    return context


def _is_iri(term) -> bool:
    return isinstance(term, URIRef | ox.NamedNode)
