"""Reading RDF files safely, with errors that say file, line and cause.

pyoxigraph parses every format we accept (it is fast, reports line and column, and never
fetches a remote JSON-LD context). RDF/XML is checked first for DOCTYPE and ENTITY
declarations, which allow "billion laughs" entity bombs; no legitimate RDF file needs them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from cop_graph.errors import LoadError
from cop_graph.files.terms import Triple, to_rdflib

__all__ = ["FORMATS", "files_checksum", "format_of", "read_rdf", "read_rdf_into", "sha256"]

#: file suffix → pyoxigraph format
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

_XML_DECLARATIONS = (b"<!doctype", b"<!entity")


def format_of(path: Path) -> ox.RdfFormat:
    """The RDF format of ``path``, from its suffix."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise LoadError(
            f'"{path.suffix or path.name}" is not a file type cop-graph reads; use one of {known}',
            location=path.name,
        ) from None


def sha256(path: Path) -> str:
    """The SHA-256 checksum of a file, recorded with every load."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_checksum(paths: list[Path]) -> str:
    """One checksum for a load: the file's own SHA-256 for one file; for several, the SHA-256
    of their names and checksums in order, so that changing, adding or renaming a file shows."""
    if len(paths) == 1:
        return sha256(paths[0])
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{path.name}\t{sha256(path)}\n".encode())
    return digest.hexdigest()


def read_rdf(path: Path) -> set[Triple]:
    """All triples of the file at ``path`` as rdflib terms (named graphs are merged).

    A set rather than an rdflib Graph: building a Graph costs ten times the parse, and only
    validation needs one. Raises :class:`LoadError` naming the file, line and column of the
    first syntax error.
    """
    rdf_format = format_of(path)
    if not path.is_file():
        raise LoadError("the file does not exist", location=str(path))
    if rdf_format == ox.RdfFormat.RDF_XML:
        _refuse_xml_declarations(path)
    try:
        triples = {
            (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
            for quad in ox.parse(path=str(path), format=rdf_format)
        }
    except SyntaxError as error:
        raise LoadError(_syntax_message(error), location=_where(path, error)) from error
    except (OSError, ValueError) as error:
        raise LoadError(f"the file cannot be read ({error})", location=str(path)) from error
    return triples


def read_rdf_into(path: Path, store: ox.Store, graph: ox.NamedNode) -> None:
    """Parse the file at ``path`` into ``graph`` of a pyoxigraph ``store`` (named graphs merged).

    :func:`read_rdf` for large files: no rdflib term is made, and the store holds the facts
    in pyoxigraph's compact form. The same checks and the same errors as :func:`read_rdf`.
    """
    rdf_format = format_of(path)
    if not path.is_file():
        raise LoadError("the file does not exist", location=str(path))
    if rdf_format == ox.RdfFormat.RDF_XML:
        _refuse_xml_declarations(path)
    try:
        if rdf_format.supports_datasets:
            store.bulk_extend(
                ox.Quad(quad.subject, quad.predicate, quad.object, graph)
                for quad in ox.parse(path=str(path), format=rdf_format)
            )
        else:
            store.bulk_load(path=str(path), format=rdf_format, to_graph=graph)
    except SyntaxError as error:
        raise LoadError(_syntax_message(error), location=_where(path, error)) from error
    except (OSError, ValueError) as error:
        raise LoadError(f"the file cannot be read ({error})", location=str(path)) from error


def _refuse_xml_declarations(path: Path) -> None:
    with path.open("rb") as stream:
        head = stream.read(1 << 20).lower()
    if any(marker in head for marker in _XML_DECLARATIONS):
        raise LoadError(
            "the file declares a DOCTYPE or XML entities, which cop-graph refuses for safety; "
            "remove the <!DOCTYPE …> block",
            location=str(path),
        )


def _where(path: Path, error: SyntaxError) -> str:
    if error.lineno:
        return f"{path} line {error.lineno}, column {error.offset}"
    return str(path)


def _syntax_message(error: SyntaxError) -> str:
    message = error.msg or str(error)
    # pyoxigraph says "Parser error between line 3 column 11 and line 4 column 1: cause";
    # the location is reported separately, so keep only the cause.
    cause = message.split(": ", 1)[1] if message.startswith("Parser error") else message
    return f"syntax error: {cause}"
