"""Say in plain English which prefix a query uses without declaring it, and how to fix it.

The engine's own answer to an undeclared prefix is a parser dump ("expected one of Prefix
not found, ['%'], ['-' | '0' ..= '9' …"), which tells a coordinator nothing. The guard finds
the prefixes in the *parsed* query (so names inside strings, IRIs and comments never count),
and this module words the refusal: the prefix, the line it is first used on, and, when the
project knows the vocabulary (rdflib's well-known prefixes), the exact ``PREFIX`` line to add
and the line to add it at.
"""

from __future__ import annotations

from functools import cache

from rdflib import Graph

from cop_graph.store.sparql_text import tokenize

__all__ = ["known_namespaces", "undeclared_prefix_message", "used_prefixes"]


@cache
def known_namespaces() -> dict[str, str]:
    """Prefixes the project can suggest a ``PREFIX`` line for: rdflib's well-known ones."""
    return {prefix: str(iri) for prefix, iri in Graph(bind_namespaces="rdflib").namespaces()}


def used_prefixes(tree) -> list[str]:
    """The prefixes of the prefixed names in a parsed query, in no particular order."""
    found: set[str] = set()
    stack = [tree]
    while stack:
        item = stack.pop()
        if getattr(item, "name", None) == "pname":
            found.add(dict.get(item, "prefix") or "")
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(item)
    return sorted(found)


def undeclared_prefix_message(text: str, prefix: str, known: dict[str, str]) -> str:
    """The refusal for ``prefix`` used in ``text`` but declared nowhere.

    ``known`` maps prefixes to namespaces the project can suggest.

    >>> print(undeclared_prefix_message("SELECT * WHERE {\\n ?s a void:Dataset }", "void",
    ...                                 {"void": "http://rdfs.org/ns/void#"}))
    ... # doctest: +NORMALIZE_WHITESPACE
    The prefix "void:" on line 2 is not declared. Add this line at line 1, before the query:
    PREFIX void: <http://rdfs.org/ns/void#>
    """
    used_on, insert_at = _lines(text, prefix)
    where = f" on line {used_on}" if used_on else ""
    place = "after the other PREFIX lines" if insert_at > 1 else "before the query"
    if prefix in known:
        return (
            f'The prefix "{prefix}:"{where} is not declared. Add this line at line {insert_at}, '
            f"{place}: PREFIX {prefix}: <{known[prefix]}>"
        )
    return (
        f'The prefix "{prefix}:"{where} is not declared, and this site does not know it. '
        f"Declare it at line {insert_at}, {place}, with its namespace: "
        f"PREFIX {prefix}: <…>, or write the full IRI in angle brackets instead."
    )


def _lines(text: str, prefix: str) -> tuple[int | None, int]:
    """The line ``prefix`` is first used on, and the line a new ``PREFIX`` line belongs on
    (after the last ``PREFIX`` or ``BASE`` declaration, else the first line)."""
    used_on, after, declaring = None, 0, False
    for token in tokenize(text):
        line = text.count("\n", 0, token.start) + 1
        if token.kind == "word" and token.text.upper() in ("PREFIX", "BASE"):
            declaring = True
        elif token.kind == "iri" and declaring:
            declaring, after = False, text.count("\n", 0, token.end) + 1
        elif token.kind == "name" and not declaring and token.text.split(":", 1)[0] == prefix:
            used_on = used_on or line
    return used_on, after + 1
