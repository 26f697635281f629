"""Which answer columns of a query hold booleans, and a server's numbers read back as them.

Virtuoso 7.2 answers a boolean that a query computes (``EXISTS``, a comparison, ``BOUND``,
``isIRI``, even ``IF(EXISTS {…}, true, false)`` and the literal ``true``) as the integer
``1`` or ``0``, and writes a stored boolean as ``"1"^^xsd:boolean``. No rewrite of the query
brings the boolean back, so the answer is read knowing the query instead: the query is parsed
with rdflib's SPARQL parser, the expressions binding its answer variables are typed
(:func:`boolean_variables`), and the integers in those columns are read as ``true`` and
``false`` (:func:`booleans_in_json`). A query the parser cannot read is passed through as it
is, its numbers unchanged.

Parsing costs 20–80 ms, more than most questions, so the typing is remembered per query
*shape*: the text with its IRIs and strings blanked out, since a named query is sent with
different constants about each thing it is asked about, and constants do not change a type.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from types import SimpleNamespace

from rdflib import Literal, Variable
from rdflib.namespace import XSD

from cop_graph.namespaces import sparql_prologue
from cop_graph.store.sparql_text import tokenize

__all__ = ["boolean_variables", "booleans_in_json"]

#: expressions whose value is always a boolean (rdflib's names for them)
_BOOLEAN_EXPRESSIONS = {
    "ConditionalAndExpression",
    "ConditionalOrExpression",
    "RelationalExpression",
    "UnaryNot",
    "Builtin_EXISTS",
    "Builtin_NOTEXISTS",
    "Builtin_BOUND",
    "Builtin_isIRI",
    "Builtin_isURI",
    "Builtin_isBLANK",
    "Builtin_isLITERAL",
    "Builtin_isNUMERIC",
    "Builtin_sameTerm",
    "Builtin_REGEX",
    "Builtin_CONTAINS",
    "Builtin_STRSTARTS",
    "Builtin_STRENDS",
    "Builtin_LANGMATCHES",
}
#: aggregates whose value is one of the values aggregated
_PICKING_AGGREGATES = {"Aggregate_Sample", "Aggregate_Min", "Aggregate_Max"}
#: a query can only compute an answer column with AS (in its projection or a BIND)
_MAY_COMPUTE = re.compile(r"\bAS\b", re.IGNORECASE)
_PROLOGUE = sparql_prologue()

_INTEGER = re.escape(str(XSD.integer).encode())
_BOOLEAN = str(XSD.boolean).encode()
#: a boolean written as a number (``"1"^^xsd:boolean``), in SPARQL JSON results
_NUMBERED_BOOLEAN = re.compile(
    rb'("datatype": ?"' + re.escape(_BOOLEAN) + rb'", ?"value": ?")([01])"'
)
_WORDS = {b"1": b"true", b"0": b"false"}


def boolean_variables(query: str) -> frozenset[str]:
    """The answer variables of the SELECT ``query`` whose values are always booleans.

    >>> sorted(boolean_variables(
    ...     "SELECT ?c (EXISTS { ?c cop:illustrative true } AS ?made) (COUNT(*) AS ?n) "
    ...     "WHERE { ?c a cop:CommunityOfPurpose } GROUP BY ?c"))
    ['made']
    """
    if not _MAY_COMPUTE.search(query):
        return frozenset()
    return _typed(_shape(query))


def booleans_in_json(content: bytes, variables: frozenset[str]) -> bytes:
    """SPARQL JSON results with the integers ``1`` and ``0`` of ``variables`` written as the
    booleans ``true`` and ``false``, and every boolean written as a number
    (``"1"^^xsd:boolean``) written as a word, as other engines write them.

    >>> print(booleans_in_json(b'{"made": { "type": "typed-literal", "datatype": '
    ...     b'"http://www.w3.org/2001/XMLSchema#integer", "value": "1" }}', {"made"}).decode())
    {"made": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", \
"value": "true" }}
    """
    for name in variables:
        content = _integers_of(name).sub(
            lambda m: m[1] + _BOOLEAN + m[2] + _WORDS[m[3]] + b'"', content
        )
    if _BOOLEAN in content:
        content = _NUMBERED_BOOLEAN.sub(lambda m: m[1] + _WORDS[m[2]] + b'"', content)
    return content


@lru_cache(maxsize=256)
def _integers_of(name: str) -> re.Pattern[bytes]:
    """An integer 0 or 1 bound to the variable ``name`` in SPARQL JSON results (a quote
    inside a JSON string is escaped, so a string's text never matches)."""
    return re.compile(
        rb'("' + re.escape(name.encode()) + rb'": ?\{ ?"type": ?"(?:typed-)?literal", ?'
        rb'"datatype": ?")' + _INTEGER + rb'(", ?"value": ?")([01])"'
    )


def _shape(query: str) -> str:
    """``query`` with the IRIs and strings that are constants blanked out; IRIs that a type
    depends on are kept: datatypes (after ``^^``), functions (before ``(``, such as a cast to
    ``xsd:boolean``), and those of ``PREFIX`` and ``BASE`` declarations."""
    tokens = [t for t in tokenize(query) if t.kind not in ("space", "comment")]
    pieces, last = [], 0
    for index, token in enumerate(tokens):
        if token.kind == "string" and not _typed_literal(tokens, index):
            blank = '""'
        elif token.kind == "iri" and not _typing_iri(tokens, index):
            blank = "<urn:x>"
        else:
            continue
        pieces += [query[last : token.start], blank]
        last = token.end
    pieces.append(query[last:])
    return "".join(pieces)


def _typed_literal(tokens: list, index: int) -> bool:
    """Whether the string at ``index`` has a datatype (its text must then stay a value of
    that type, for the parser)."""
    return index + 1 < len(tokens) and tokens[index + 1].text == "^"


def _typing_iri(tokens: list, index: int) -> bool:
    """Whether the IRI at ``index`` may decide a type: a datatype, a function, or one that a
    ``PREFIX`` or ``BASE`` declares."""
    before = tokens[index - 1].text.upper() if index else ""
    declaring = index > 1 and tokens[index - 2].text.upper() == "PREFIX"
    after = tokens[index + 1].text if index + 1 < len(tokens) else ""
    return before in ("^", "BASE") or declaring or after == "("


@cache
def _sparql() -> SimpleNamespace:
    """rdflib's SPARQL parser, imported when first needed: importing it takes about 60 ms,
    which every command would otherwise pay at start-up, though only answers from the
    virtuoso profile are typed."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    return SimpleNamespace(parse=parseQuery, translate=translateQuery, CompValue=CompValue)


@lru_cache(maxsize=1024)
def _typed(shape: str) -> frozenset[str]:
    """:func:`boolean_variables` of a query shape, remembered."""
    try:
        sparql = _sparql()
        query = sparql.translate(sparql.parse(_PROLOGUE + shape))
    except Exception:  # noqa: BLE001 - rdflib's parser raises many kinds; any means "unread"
        return frozenset()
    algebra = query.algebra
    if algebra.name != "SelectQuery":
        return frozenset()
    definitions: dict[Variable, list] = {}
    matched: set[Variable] = set()
    _collect(algebra, definitions, matched)
    # a boolean is a variable whose every expression gives a boolean, counting those that
    # copy a boolean variable (a GROUP BY key is its own sample: start from "all are"), and
    # one of them a boolean from somewhere (not a parameter only copied: start from "none")
    candidates = set(definitions) - matched
    every = _settled(definitions, candidates, all, shrinking=True)
    some = _settled(definitions, candidates, any, shrinking=False)
    booleans = every & some
    return frozenset(str(v) for v in algebra.PV if v in booleans)


def _settled(definitions, candidates: set, test, *, shrinking: bool) -> set:
    """The variables of ``candidates`` whose expressions pass ``test`` (``all`` or ``any``)
    of being booleans, found by taking away from all of them (``shrinking``) or adding to
    none of them until nothing changes."""
    found = set(candidates) if shrinking else set()
    changed = True
    while changed:
        changed = False
        for variable in candidates:
            boolean = test(_is_boolean(expression, found) for expression in definitions[variable])
            if boolean != (variable in found):
                found.symmetric_difference_update({variable})
                changed = True
    return found


def _collect(node, definitions: dict[Variable, list], matched: set[Variable]) -> None:
    """Every expression binding a variable (``BIND``, ``AS``, aggregates) into
    ``definitions``, and every variable a triple pattern matches into ``matched``."""
    if isinstance(node, _sparql().CompValue):
        if node.name == "Extend":
            definitions.setdefault(node.var, []).append(node.expr)
        elif node.name == "AggregateJoin":
            for aggregate in node.A:
                definitions.setdefault(aggregate.res, []).append(aggregate)
        elif node.name == "BGP":
            matched.update(t for triple in node.triples for t in triple if isinstance(t, Variable))
        for value in node.values():
            _collect(value, definitions, matched)
    elif isinstance(node, list | tuple):
        for value in node:
            _collect(value, definitions, matched)


def _is_boolean(expression, booleans: set[Variable]) -> bool:
    """Whether ``expression`` always gives a boolean, given the variables known to."""
    if isinstance(expression, Variable):
        return expression in booleans
    if isinstance(expression, Literal):
        return expression.datatype == XSD.boolean
    if not isinstance(expression, _sparql().CompValue):
        return False
    name = expression.name
    if name in _BOOLEAN_EXPRESSIONS:
        return True
    if name in _PICKING_AGGREGATES:
        return _is_boolean(expression.vars, booleans)
    if name == "Builtin_IF":
        return _is_boolean(expression.arg2, booleans) and _is_boolean(expression.arg3, booleans)
    if name == "Builtin_COALESCE":
        return all(_is_boolean(argument, booleans) for argument in expression.arg)
    if name == "Function":
        return expression.iri == XSD.boolean
    return False
