"""What the embedded and remote backends share: the dump formats, and pyoxigraph's answers
turned into the store's result types.

Both backends read answers with pyoxigraph (the embedded one evaluates them, the remote one
parses what the server sends), so both convert them the same way here rather than one
reaching into the other's private parts.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from cop_graph.files.terms import to_rdflib
from cop_graph.store.base import (
    QueryResult,
    RawAnswer,
    RawSolutions,
    RawTriples,
    SelectResult,
)

__all__ = ["RDF_FORMATS", "convert_answer", "raw_answer"]

#: the formats :meth:`Store.dump` writes, by the names the CLI and the app use
RDF_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def convert_answer(result) -> QueryResult:
    """A pyoxigraph answer (solutions, a boolean or triples), or a :data:`RawAnswer`, as a
    :data:`QueryResult`."""
    if isinstance(result, ox.QueryBoolean | bool):
        return bool(result)
    convert = _memo()
    if isinstance(result, RawSolutions):
        variables = result.variables
        width = range(len(variables))
        rows = [tuple(convert(solution[i]) for i in width) for solution in result]
        return SelectResult(variables, rows)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        width = range(len(variables))
        rows = [tuple(convert(solution[i]) for i in width) for solution in result]
        return SelectResult(variables, rows)
    graph = Graph()
    for triple in result:
        graph.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
    return graph


def raw_answer(result, error_prefix: str = "the query cannot be run") -> RawAnswer:
    """A pyoxigraph answer (solutions, a boolean or triples) as a :data:`RawAnswer`, as it is.

    ``error_prefix`` begins the message of an error that surfaces while the answer is read.
    """
    if isinstance(result, ox.QueryBoolean | bool):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        return RawSolutions(result, error_prefix)
    return RawTriples(result, error_prefix)


def _memo():
    """``to_rdflib`` remembering what it made for one answer.

    Answers repeat terms (types, labels, the community on every row of its members), and
    making an rdflib term costs 1–15 µs (a typed literal parses its value); looking one up
    costs a fraction of that.
    """
    made: dict = {}

    def convert(term):
        if term is None:
            return None
        known = made.get(term)
        if known is None:
            known = made[term] = to_rdflib(term)
        return known

    return convert
