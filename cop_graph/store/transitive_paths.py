"""Zero-or-more and one-or-more property paths written so that Virtuoso answers them right.

Virtuoso 7.2 turns ``?c cop:operatesIn/cop:withinPlace* ?place`` into a transitive
subquery, and when ``?place`` is already bound by another pattern it walks towards it as a
"target", from one end or the other, as its optimizer chooses. Both ways miss matches in
some plans: joined in the order written (``DEFINE sql:select-option "order"``), walking
forward found one of the four community-locality pairs of the golden graph; with the
project's graphs as the dataset, after other data had been written and dropped, walking
backward found none and the default choice found extra ``MINUS`` rows. Which plan it takes
depends on statistics it samples from its indexes, so a question could be right on a fresh
server and wrong later (as ``find_pcn_areas_without_chapter`` and
``find_localities_sharing_practice`` were). Walked from its start with no target, the path
was right in every plan and state seen.

:func:`with_path_ends_compared` therefore gives such a path a fresh end variable and
compares it with the bound one in a ``FILTER`` Virtuoso cannot turn into a target (the same
text and both IRIs, or else the same term), which keeps the meaning. (Virtuoso answers
``isLiteral(?a) = isLiteral(?b)`` and ``sameTerm(?a, ?b) || sameTerm(?b, ?a)`` with
nothing, so the test is written this way.)

Only plain shapes are rewritten: one step, ``/``, then a single predicate with ``*`` or
``+`` (the first step is a plain pattern, so the walk always has a start Virtuoso can bind
first), to a variable object that another pattern of the same group binds too, or of the
group around a ``MINUS`` (else the path is what binds it, and has no end to walk towards).
Anything else is sent as it is, and so is a query answering with every variable (``SELECT *``,
``DESCRIBE *``), where the fresh end would be one more column: Virtuoso may answer such a
query wrongly, as before.
"""

from __future__ import annotations

from cop_graph.store.sparql_text import tokenize

__all__ = ["with_path_ends_compared"]

_PREDICATE_KINDS = {"name", "iri"}
_SUBJECT_KINDS = {"variable", "name", "iri"}
_TRIPLE_ENDS = {".", "}", ";"}
_BLOCK_STARTS = {".", "{", "}"}
_NESTING = {"(", ")", "[", "]"}
_END = "?cop_graph_path_end"


def with_path_ends_compared(query: str) -> str:
    """``query`` with the end of each plain ``*`` or ``+`` path compared in a FILTER rather
    than joined (see the module's description).

    >>> with_path_ends_compared("SELECT ?c { ?c a cop:C ; cop:in/cop:within* ?p . ?p a cop:L }")
    'SELECT ?c { ?c a cop:C ; cop:in/cop:within* ?cop_graph_path_end1 . \
FILTER(STR(?cop_graph_path_end1) = STR(?p) && ((isIRI(?cop_graph_path_end1) && isIRI(?p)) \
|| sameTerm(?cop_graph_path_end1, ?p))) . ?p a cop:L }'
    >>> with_path_ends_compared("SELECT (COUNT(*) AS ?n) { ?x cop:within* ?p }")
    'SELECT (COUNT(*) AS ?n) { ?x cop:within* ?p }'
    """
    if "*" not in query and "+" not in query:
        return query
    tokens = [t for t in tokenize(query) if t.kind not in ("space", "comment")]
    if any(t.text.startswith(_END) or t.text.upper() == "OPTION" for t in tokens):
        return query
    if _projects_everything(tokens):
        return query  # the fresh end would be one more column of the answer
    pieces, last, count = [], 0, 0
    for index in range(1, len(tokens) - 2):
        subject = _plain_path(tokens, index)
        if subject is None:
            continue
        count += 1
        end, wanted, follows = f"{_END}{count}", tokens[index + 1], tokens[index + 2]
        compared = (
            f"{end} . FILTER(STR({end}) = STR({wanted.text}) && ((isIRI({end}) && "
            f"isIRI({wanted.text})) || sameTerm({end}, {wanted.text})))"
        )
        pieces += [query[last : wanted.start], compared]
        last = wanted.end
        if follows.text == ";":  # the list goes on, about the same subject
            pieces += [query[last : follows.start], subject]
            last = follows.end
    pieces.append(query[last:])
    return "".join(pieces)


def _projects_everything(tokens) -> bool:
    """Whether a ``SELECT *`` or ``DESCRIBE *`` (at any depth) answers with every variable."""
    for index, token in enumerate(tokens[:-1]):
        if token.text.upper() in ("SELECT", "DESCRIBE"):
            following = tokens[index + 1]
            if following.text.upper() in ("DISTINCT", "REDUCED") and index + 2 < len(tokens):
                following = tokens[index + 2]
            if following.text == "*":
                return True
    return False


def _plain_path(tokens, index) -> str | None:
    """The subject of the path whose ``*`` or ``+`` is ``tokens[index]``, when the path is a
    plain one (see the module's description), else None."""
    repeat, predicate, wanted = tokens[index], tokens[index - 1], tokens[index + 1]
    if repeat.text not in ("*", "+") or predicate.kind not in _PREDICATE_KINDS:
        return None
    if wanted.kind != "variable" or tokens[index + 2].text not in _TRIPLE_ENDS:
        return None
    if not _bound_elsewhere(tokens, index + 1):
        return None  # the path itself binds its end: nothing to walk towards
    if index < 3 or tokens[index - 2].text != "/" or tokens[index - 3].kind not in _PREDICATE_KINDS:
        return None  # a one-step walk may have no start Virtuoso can bind first
    path_start = index - 3
    if path_start < 2:
        return None
    before = tokens[path_start - 1]
    if before.text == ";":
        return _subject_of_list(tokens, path_start - 1)
    if before.kind not in _SUBJECT_KINDS or tokens[path_start - 2].text not in _BLOCK_STARTS:
        return None
    return before.text


def _subject_of_list(tokens, semicolon: int) -> str | None:
    """The subject of the predicate-object list holding the ``;`` at ``semicolon`` (a
    variable or an IRI), or None when it cannot be told."""
    for back in range(semicolon - 1, 0, -1):
        text = tokens[back].text
        if text in _NESTING:
            return None
        if text in _BLOCK_STARTS:
            subject = tokens[back + 1]
            return subject.text if subject.kind in _SUBJECT_KINDS else None
    return None


def _bound_elsewhere(tokens, position: int, name: str | None = None) -> bool:
    """Whether the variable at ``position`` (or ``name``) is also in another pattern of its
    own group (not in a nested group, nor inside an expression's brackets), which binds it
    there too; in a ``MINUS`` group, also whether the group around it binds it (Virtuoso
    evaluates ``MINUS`` as a ``NOT EXISTS`` reading the row it is matched against)."""
    name = name or tokens[position].text
    depth, start = 0, None
    for back in range(position - 1, -1, -1):
        depth += {"}": 1, "{": -1}.get(tokens[back].text, 0)
        if depth < 0:
            start = back
            break
    if start is None:
        return False
    braces = brackets = 0
    for index in range(start + 1, len(tokens)):
        text = tokens[index].text
        braces += {"{": 1, "}": -1}.get(text, 0)
        brackets += {"(": 1, ")": -1}.get(text, 0)
        if braces < 0:
            break
        if index != position and braces == 0 and brackets == 0 and text == name:
            return True
    minus = start > 0 and tokens[start - 1].text.upper() == "MINUS"
    return minus and _bound_elsewhere(tokens, start - 1, name)
