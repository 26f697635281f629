"""Writing answers in the standard formats, with a cap on their size.

Tables (SELECT) go out as SPARQL JSON, XML, CSV or TSV; yes/no answers (ASK) as JSON or XML;
graphs (CONSTRUCT, DESCRIBE) as Turtle, N-Triples, JSON-LD or RDF/XML. Rows are written in
batches into a :class:`~cop_graph.sparql.spool.Spool` (memory for small answers, a temporary
file past a megabyte), so a large answer never builds up as Python objects.

pyoxigraph's own ``QuerySolutions.serialize`` cannot stop after N rows, so the four table
formats are written here (they are small, fully specified formats); graphs go through
``pyoxigraph.serialize`` fed by a capped iterator. Only pyoxigraph is imported: this module
runs inside the query worker processes, which must start fast.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = [
    "BOOLEAN_FORMATS",
    "GRAPH_FORMATS",
    "TABLE_FORMATS",
    "Format",
    "Stopped",
    "Written",
    "write_boolean",
    "write_solutions",
    "write_triples",
]


@dataclass(frozen=True)
class Format:
    """One answer format: its short name (the ``format`` parameter), media type and file end."""

    name: str
    media_type: str
    extension: str
    label: str


TABLE_FORMATS = {
    f.name: f
    for f in (
        Format("json", "application/sparql-results+json", "srj", "SPARQL JSON"),
        Format("xml", "application/sparql-results+xml", "srx", "SPARQL XML"),
        Format("csv", "text/csv", "csv", "CSV"),
        Format("tsv", "text/tab-separated-values", "tsv", "TSV"),
    )
}
BOOLEAN_FORMATS = {name: TABLE_FORMATS[name] for name in ("json", "xml")}
GRAPH_FORMATS = {
    f.name: f
    for f in (
        Format("turtle", "text/turtle", "ttl", "Turtle"),
        Format("ntriples", "application/n-triples", "nt", "N-Triples"),
        Format("jsonld", "application/ld+json", "jsonld", "JSON-LD"),
        Format("rdfxml", "application/rdf+xml", "rdf", "RDF/XML"),
    )
}
_OX_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# characters XML 1.0 cannot carry at all; replaced rather than producing a broken document
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: how often (in rows) a long answer checks whether it has been told to stop
_CHECK_EVERY = 256
#: most terms an answer remembers the encoding of (then it starts again)
_REMEMBERED = 1 << 16


class Stopped(Exception):
    """Writing was told to stop (the time limit passed)."""


@dataclass(frozen=True)
class Written:
    """What was written: how many rows (or triples), and whether the cap cut the answer."""

    rows: int
    truncated: bool


def _capped(items: Iterable, limit: int, should_stop: Callable[[], bool], seen: list[int]):
    """Yield at most ``limit`` items; ``seen[0]`` counts them, ``seen[1]`` is 1 if more existed."""
    for item in items:
        if seen[0] >= limit:
            seen[1] = 1
            return
        if seen[0] % _CHECK_EVERY == 0 and should_stop():
            raise Stopped
        seen[0] += 1
        yield item


def _never() -> bool:
    return False


def write_solutions(
    variables: list[str],
    solutions: Iterable,
    fmt: str,
    out,
    limit: int,
    should_stop: Callable[[], bool] = _never,
) -> Written:
    """Write SELECT ``solutions`` (sequences of pyoxigraph terms or None) as ``fmt``.

    >>> out = io.BytesIO()
    >>> write_solutions(["x", "y"], [[ox.Literal("a,b"), None]], "csv", out, 10)
    Written(rows=1, truncated=False)
    >>> out.getvalue()
    b'x,y\\r\\n"a,b",\\r\\n'
    """
    seen = [0, 0]
    rows = _capped(solutions, limit, should_stop, seen)
    _TABLE_WRITERS[fmt](variables, rows, out, seen)
    return Written(seen[0], bool(seen[1]))


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"unexpected value in an answer: {term!r}")


class _Encoded(dict):
    """Each term's text in one answer's format, made once.

    Answers repeat terms (a practice's name on every row of its pairs, the same places
    again and again), and encoding a term costs several times looking it up: remembering
    them keeps writing an answer about as fast as pyoxigraph's own serialiser.
    """

    def __init__(self, encode: Callable[[object], str]):
        super().__init__()
        self._encode = encode

    def __missing__(self, term) -> str:
        if len(self) >= _REMEMBERED:
            self.clear()
        text = self[term] = self._encode(term)
        return text


def _write_rows(lines: Iterator[str], out, first: str = "", between: str = "") -> None:
    """Write ``lines`` in batches of :data:`_CHECK_EVERY` (one ``write`` per batch)."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == _CHECK_EVERY:
            out.write((first + between.join(batch)).encode())
            first, batch = between, []
    if batch:
        out.write((first + between.join(batch)).encode())


def _json_text(term) -> str:
    return json.dumps(_json_term(term), ensure_ascii=False, separators=(",", ":"))


def _write_json(variables, rows, out, seen) -> None:
    head = json.dumps({"vars": variables}, ensure_ascii=False)
    out.write(f'{{"head":{head},"results":{{"bindings":['.encode())
    keys = [json.dumps(name, ensure_ascii=False) + ":" for name in variables]
    encoded = _Encoded(_json_text)
    lines = (
        "{"
        + ",".join([k + encoded[t] for k, t in zip(keys, row, strict=True) if t is not None])
        + "}"
        for row in rows
    )
    _write_rows(lines, out, "\n", ",\n")
    tail = ',"truncated":true' if seen[1] else ""
    out.write(f"\n]}}{tail}}}\n".encode())


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", text))


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attribute = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != _XSD_STRING:
            attribute = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attribute = ""
        return f"<literal{attribute}>{_xml_text(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"unexpected value in an answer: {term!r}")


def _write_xml(variables, rows, out, seen) -> None:
    head = "".join(f"<variable name={quoteattr(name)}/>" for name in variables)
    out.write(
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head>{head}</head><results>\n".encode()
    )
    opening = [f"<binding name={quoteattr(name)}>" for name in variables]
    encoded = _Encoded(_xml_term)
    lines = (
        "<result>"
        + "".join(
            [
                b + encoded[t] + "</binding>"
                for b, t in zip(opening, row, strict=True)
                if t is not None
            ]
        )
        + "</result>\n"
        for row in rows
    )
    _write_rows(lines, out)
    out.write(b"</results></sparql>\n")


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _write_csv(variables, rows, out, seen) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(variables)
    encoded = _Encoded(_csv_value)
    for n, row in enumerate(rows, start=1):
        writer.writerow([encoded[t] for t in row])
        if n % _CHECK_EVERY == 0:
            out.write(text.getvalue().encode())
            text.seek(0)
            text.truncate()
    out.write(text.getvalue().encode())


def _write_tsv(variables, rows, out, seen) -> None:
    # str() of a pyoxigraph term is its N-Triples form, with tabs and line breaks escaped
    out.write(("\t".join(f"?{name}" for name in variables) + "\n").encode())
    encoded = _Encoded(lambda term: "" if term is None else str(term))
    _write_rows(("\t".join([encoded[t] for t in row]) + "\n" for row in rows), out)


_TABLE_WRITERS = {"json": _write_json, "xml": _write_xml, "csv": _write_csv, "tsv": _write_tsv}


def write_boolean(value: bool, fmt: str, out) -> Written:
    """Write an ASK answer as SPARQL JSON or XML.

    >>> out = io.BytesIO(); _ = write_boolean(True, "json", out); out.getvalue()
    b'{"head":{},"boolean":true}\\n'
    """
    word = "true" if value else "false"
    if fmt == "json":
        out.write(f'{{"head":{{}},"boolean":{word}}}\n'.encode())
    else:
        out.write(
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{word}</boolean></sparql>\n".encode()
        )
    return Written(1, False)


def write_triples(
    triples: Iterable,
    fmt: str,
    out,
    limit: int,
    prefixes: dict[str, str] | None = None,
    should_stop: Callable[[], bool] = _never,
) -> Written:
    """Write CONSTRUCT/DESCRIBE ``triples`` (pyoxigraph Triples) as ``fmt``, at most ``limit``."""
    seen = [0, 0]
    capped: Iterator = _capped(triples, limit, should_stop, seen)
    ox.serialize(capped, out, _OX_GRAPH_FORMATS[fmt], prefixes=prefixes)
    return Written(seen[0], bool(seen[1]))
