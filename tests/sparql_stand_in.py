"""A tiny SPARQL server with one fault at a time, for the remote store's "nothing lost" tests.

It answers the SPARQL 1.1 Query, Update and Graph Store protocols in Oxigraph server's layout
(``/query``, ``/update``, ``/store``) from an in-memory pyoxigraph store, and can misbehave
as real servers do while answering ``200 OK`` or ``201 Created``:

- ``drop_chunked``: store nothing from an upload sent in chunks, as Virtuoso does;
- ``row_cap``: send at most that many triples of a graph, and cut SELECT answers there with an
  ``X-SPARQL-MaxRows`` header, as Virtuoso's ``ResultSetMaxRows`` does;
- ``partial``: add Virtuoso's ``X-SQL-State`` header to query answers, as for a query stopped
  by its time limit that answers with what it found so far;
- ``float_geometries``: store place shapes (``geo:wktLiteral``) as Virtuoso 7.2 does, as its
  own ``virtrdf:Geometry`` with each coordinate a 32-bit float written with 14 digits;
- ``refuse_updates``: refuse every update as Virtuoso does for a user without the right
  (``500``, naming the procedure it may not run);
- ``server_name``: the ``Server`` header, to show how the engine is told.

Every request's query parameters are kept in ``seen`` so a test can check what was asked.
"""

from __future__ import annotations

import json
import re
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

__all__ = ["StandIn", "serving_stand_in"]


class StandIn:
    """The stand-in's data and faults; ``url`` is its query address once it serves."""

    def __init__(
        self,
        *,
        drop_chunked=False,
        row_cap=None,
        partial=False,
        refuse_updates=False,
        float_geometries=False,
        server_name="StandIn",
    ):
        self.store = ox.Store()
        self.drop_chunked = drop_chunked
        self.row_cap = row_cap
        self.partial = partial
        self.refuse_updates = refuse_updates
        self.float_geometries = float_geometries
        self.server_name = server_name
        self.seen: list[dict[str, list[str]]] = []
        self.url = ""

    def quads(self) -> set[ox.Quad]:
        """Everything it holds: the whole state to compare before and after."""
        return set(self.store)


@contextmanager
def serving_stand_in(stand_in: StandIn) -> Iterator[StandIn]:
    """``stand_in`` listening on a free loopback port, in a thread, until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stand_in))
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}/query"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _handler(stand_in: StandIn):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output quiet
            pass

        def version_string(self):  # the Server header
            return stand_in.server_name

        def do_GET(self):
            path, params = self._params()
            if path == "/store":
                return self._send_graph(params["graph"][0])
            return self._answer(200, b"", "text/turtle")

        def do_POST(self):
            path, params = self._params()
            body, chunked = self._body()
            if path == "/query":
                form = parse_qs(body.decode("utf-8"))
                stand_in.seen[-1].update(form)
                return self._query(form["query"][0])
            if path == "/update":
                if stand_in.refuse_updates:
                    said = (
                        b"Virtuoso 42000 Error SR186:SECURITY: No permission to execute procedure"
                    )
                    return self._answer(500, said + b" DB.DBA.SPARUL_DROP", "text/plain")
                stand_in.store.update(body.decode("utf-8"))
                return self._answer(204, b"", "text/plain")
            if path == "/store":
                if not (chunked and stand_in.drop_chunked):
                    graph = ox.NamedNode(params["graph"][0])
                    triples = ox.parse(body, format=ox.RdfFormat.TURTLE)
                    quads = (ox.Quad(*t.triple, graph) for t in triples)
                    if stand_in.float_geometries:
                        quads = map(_as_virtuoso_geometry, quads)
                    stand_in.store.extend(quads)
                return self._answer(201, b"", "text/plain")
            return self._answer(404, b"no such endpoint", "text/plain")

        def _params(self):
            parts = urlsplit(self.path)
            params = parse_qs(parts.query)
            stand_in.seen.append(dict(params))
            return parts.path, params

        def _body(self) -> tuple[bytes, bool]:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                data = b""
                while size := int(self.rfile.readline().strip() or b"0", 16):
                    data += self.rfile.read(size)
                    self.rfile.readline()
                self.rfile.readline()
                return data, True
            return self.rfile.read(int(self.headers.get("Content-Length", 0))), False

        def _query(self, text: str):
            result = stand_in.store.query(text, use_default_graph_as_union=True)
            headers = {"X-SQL-State": "S1TAT"} if stand_in.partial else {}
            if isinstance(result, ox.QueryBoolean):
                data = result.serialize(ox.QueryResultsFormat.JSON)
                return self._answer(200, data, "application/sparql-results+json", headers)
            if isinstance(result, ox.QuerySolutions):
                rows = list(result)
                if stand_in.row_cap is not None and len(rows) > stand_in.row_cap:
                    rows = rows[: stand_in.row_cap]
                    headers["X-SPARQL-MaxRows"] = str(stand_in.row_cap)
                data = _solutions_json([v.value for v in result.variables], rows)
                return self._answer(200, data, "application/sparql-results+json", headers)
            data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
            return self._answer(200, data, "application/n-triples", headers)

        def _send_graph(self, name: str):
            graph = ox.NamedNode(name)
            triples = [q.triple for q in stand_in.store.quads_for_pattern(None, None, None, graph)]
            if not triples:
                return self._answer(404, b"no such graph", "text/plain")
            if stand_in.row_cap is not None:
                triples = triples[: stand_in.row_cap]
            data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            return self._answer(200, data, "application/n-triples")

        def _answer(self, status, data: bytes, media_type: str, headers=None):
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


_WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
_GEOMETRY = ox.NamedNode("http://www.openlinksw.com/schemas/virtrdf#Geometry")


def _as_virtuoso_geometry(quad: ox.Quad) -> ox.Quad:
    """A place shape as Virtuoso 7.2 keeps most of them: its own type, 32-bit coordinates."""
    value = quad.object
    if not (isinstance(value, ox.Literal) and value.datatype.value == _WKT):
        return quad

    def single(match):
        number = struct.unpack("f", struct.pack("f", float(match.group())))[0]
        return f"{number:.14g}"

    text = re.sub(r"-?\d+(?:\.\d*)?(?:[eE]-?\d+)?", single, value.value.upper())
    shape = ox.Literal(text, datatype=_GEOMETRY)
    return ox.Quad(quad.subject, quad.predicate, shape, quad.graph_name)


def _solutions_json(variables: list[str], rows) -> bytes:
    """SELECT rows in the SPARQL JSON results format (pyoxigraph cannot write a cut list)."""

    def term(value):
        if isinstance(value, ox.NamedNode):
            return {"type": "uri", "value": value.value}
        if isinstance(value, ox.BlankNode):
            return {"type": "bnode", "value": value.value}
        written = {"type": "literal", "value": value.value}
        if value.language:
            written["xml:lang"] = value.language
        elif value.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            written["datatype"] = value.datatype.value
        return written

    bindings = [
        {name: term(row[name]) for name in variables if row[name] is not None} for row in rows
    ]
    answer = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(answer).encode("utf-8")
