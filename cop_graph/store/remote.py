"""The remote backend: any SPARQL 1.1 server, through the Query, Update and Graph Store protocols.

A deployment that outgrows one machine points the app at an existing server (Apache Jena
Fuseki, GraphDB, Virtuoso, QLever, Amazon Neptune) and nothing else changes. Three things
the embedded store does by itself must be arranged here:

- **Union default graph.** Queries that name no graphs must see all named graphs together.
  Start the oxigraph server with ``--union-default-graph``; other servers have their own
  switch (Fuseki: ``tdb2:unionDefaultGraph true``; GraphDB and Virtuoso merge graphs into the
  default graph unless told otherwise).
- **Bindings.** The protocol cannot carry them, so :mod:`cop_graph.store.sparql_text` writes
  them into the query as a ``VALUES`` block, from rdflib terms only.
- **Atomic commits.** The Graph Store protocol uploads one graph per request, so a commit can
  fail half-way through its uploads; :meth:`Store.commit` then removes the staging graphs.
  Staging graphs left by a crash are *not* removed when a remote store is opened, unlike the
  embedded store: several app workers may share one server, and cleaning at open would
  destroy another worker's commit in flight. Run :meth:`Store.clean_staging` by hand when
  nothing is writing.

The same client works through a running ``cop-graph serve``: its owner API
(:mod:`cop_graph.store.owner`) speaks these protocols in the oxigraph server's layout.

Answers are read with pyoxigraph's parsers (fast, and streaming for dumps) and come back as
the same rdflib terms the embedded store gives. The store's own SPARQL below is part of this
protocol, not an app query, so it stays here rather than in ``queries/``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import BinaryIO
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from rdflib import Graph, URIRef
from rdflib.term import Node

from cop_graph.errors import QueryError, StoreError
from cop_graph.files.terms import to_oxigraph, to_rdflib
from cop_graph.namespaces import PREFIXES, sparql_prologue
from cop_graph.store.answers import RDF_FORMATS, convert_answer, raw_answer
from cop_graph.store.base import STAGING, QueryResult, RawAnswer, Store
from cop_graph.store.sparql_text import with_bindings, with_values

__all__ = ["RemoteStore"]

#: what the last segment of a query URL becomes for the update and graph store endpoints
_ENDPOINT_LAYOUTS = {
    "query": ("update", "store"),  # oxigraph server
    "sparql": ("update", "data"),  # Apache Jena Fuseki (/dataset/sparql)
}
#: a graph that never exists (commits refuse staging names), for "an empty list of graphs"
_NO_GRAPH = STAGING + "none"
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_NTRIPLES = "application/n-triples"
_UPLOAD_BATCH = 5_000
_OUTGOING_BATCH = 500

_ALL_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"
_COUNT = "SELECT (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } }"
_QUADS_FROM = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_PROLOGUE = sparql_prologue().replace("\n", " ").strip() + "\n"
_ERROR_POSITION = re.compile(r"\b(error at |line )(\d+)")
_UNFINISHED = "the SPARQL server could not finish the query"


class RemoteStore(Store):
    """A SPARQL 1.1 server at ``query_url``.

    ``update_url`` and ``graph_store_url`` default to the oxigraph server's layout
    (``…/query`` → ``…/update`` and ``…/store``) or Fuseki's (``…/sparql`` → ``…/update`` and
    ``…/data``); give them for any other server. ``timeout`` is in seconds, per request;
    ``query_timeout``, when given, replaces it for queries, so that a web app with a time limit
    per question does not keep a thread waiting on the server long after giving up (updates
    and whole-graph transfers keep ``timeout``, as they may rightly take longer).
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        *,
        session: requests.Session | None = None,
        timeout: float = 60.0,
        query_timeout: float | None = None,
    ):
        self.location = query_url
        self.query_url = query_url
        self.update_url = update_url or _sibling(query_url, 0)
        self.graph_store_url = graph_store_url or _sibling(query_url, 1)
        self.timeout = timeout
        self.query_timeout = query_timeout if query_timeout is not None else timeout
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()

    # -- reading ---------------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: Iterable[URIRef] | None = None,
        named_graphs: Iterable[URIRef] | None = None,
    ) -> QueryResult:
        return self._ask(sparql, bindings, default_graph, named_graphs, convert_answer)

    def query_raw(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: Iterable[URIRef] | None = None,
        named_graphs: Iterable[URIRef] | None = None,
    ) -> RawAnswer:
        return self._ask(sparql, bindings, default_graph, named_graphs, _raw)

    def _ask(self, sparql, bindings, default_graph, named_graphs, convert):
        """Send a query and read the answer with pyoxigraph's parsers, then ``convert`` it."""
        form = [("query", _PROLOGUE + with_bindings(sparql, bindings))]
        form += self._dataset(default_graph, named_graphs)
        response = self._send(
            "POST",
            self.query_url,
            "run the query",
            data=form,
            headers={"Accept": _ACCEPT},
            timeout=self.query_timeout,
        )
        media_type = response.headers.get("Content-Type", "")
        try:
            rdf_format = ox.RdfFormat.from_media_type(media_type)
            if rdf_format is not None:
                triples = (quad.triple for quad in ox.parse(response.content, rdf_format))
                return convert(triples)
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            if results_format is not None:
                return convert(ox.parse_query_results(response.content, results_format))
        except SyntaxError as error:
            raise QueryError(f"{_UNFINISHED}: {error}") from error
        raise StoreError(
            f"the SPARQL server at {self.query_url} answered in a form this program cannot read "
            f"({media_type or 'no content type'})"
        )

    def count(self, graph: URIRef | None = None) -> int:
        bindings = {"g": graph} if graph is not None else None
        return int(self.query(_COUNT, bindings).scalar())

    def graph(self, name: URIRef) -> Graph:
        result = Graph()
        for quad in self._read_graph(name):
            result.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return result

    def outgoing(self, nodes: Iterable[Node], exclude: Iterable[URIRef] = ()) -> Graph:
        skipped = {str(name) for name in exclude}
        subjects = sorted({node for node in nodes if isinstance(node, URIRef)})
        result = Graph()
        for start in range(0, len(subjects), _OUTGOING_BATCH):
            rows = [(subject,) for subject in subjects[start : start + _OUTGOING_BATCH]]
            for s, p, o, g in self.query(with_values(_QUADS_FROM, ["s"], rows)):
                if str(g) not in skipped and not str(g).startswith(STAGING):
                    result.add((s, p, o))
        return result

    def dump(self, destination: BinaryIO, rdf_format: str, graphs: Iterable[URIRef] | None = None):
        fmt = RDF_FORMATS[rdf_format]
        names = list(graphs) if graphs is not None else self.named_graphs()
        if fmt.supports_datasets:
            statements = (
                ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(str(name)))
                for name in names
                for quad in self._read_graph(name)
            )
        else:
            statements = (
                ox.Triple(quad.subject, quad.predicate, quad.object)
                for name in names
                for quad in self._read_graph(name)
            )
        ox.serialize(statements, destination, fmt, prefixes=PREFIXES)

    def _all_graph_names(self) -> list[URIRef]:
        return [row[0] for row in self.query(_ALL_GRAPHS) if isinstance(row[0], URIRef)]

    # -- writing ---------------------------------------------------------------------------
    def _insert(self, quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> None:
        for graph, group in itertools.groupby(quads, key=lambda quad: quad[3]):
            body = _Upload(_ntriples_chunks(group))
            try:
                self._send(
                    "POST",
                    self.graph_store_url,
                    "add data",
                    params={"graph": str(graph)},
                    data=body,
                    headers={"Content-Type": _NTRIPLES},
                )
            except StoreError:
                if body.failure is not None:
                    raise body.failure from None
                raise

    def _update(self, sparql_update: str) -> None:
        self._send(
            "POST",
            self.update_url,
            "change the data",
            data=sparql_update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    # -- protocol --------------------------------------------------------------------------
    def _dataset(
        self, default_graph: Iterable[URIRef] | None, named_graphs: Iterable[URIRef] | None
    ) -> list[tuple[str, str]]:
        """Protocol parameters giving the same dataset as the embedded store would use.

        Naming only one side would leave the other empty under the protocol's rules, whereas
        the embedded store keeps it whole, so the other side lists every graph.
        """
        if default_graph is None and named_graphs is None:
            return []
        if default_graph is None or named_graphs is None:
            everything = self._all_graph_names()
            default_graph = everything if default_graph is None else default_graph
            named_graphs = everything if named_graphs is None else named_graphs
        defaults = [str(name) for name in default_graph] or [_NO_GRAPH]
        named = [str(name) for name in named_graphs] or [_NO_GRAPH]
        return [("default-graph-uri", name) for name in defaults] + [
            ("named-graph-uri", name) for name in named
        ]

    def _read_graph(self, name: URIRef) -> Iterator[ox.Quad]:
        """The triples of one graph, streamed (an empty graph if there is no such graph)."""
        response = self._send(
            "GET",
            self.graph_store_url,
            "read a graph",
            params={"graph": str(name)},
            headers={"Accept": _NTRIPLES},
            stream=True,
            missing_ok=True,
        )
        with response:
            if response.status_code == 404:
                return
            response.raw.decode_content = True
            try:
                yield from ox.parse(response.raw, ox.RdfFormat.N_TRIPLES)
            except SyntaxError as error:
                raise StoreError(
                    f"the graph {name} sent by the SPARQL server could not be read: {error}"
                ) from error

    def _send(
        self,
        method: str,
        url: str,
        task: str,
        *,
        missing_ok: bool = False,
        timeout: float | None = None,
        **request,
    ) -> requests.Response:
        """One HTTP request, with every failure turned into a one-sentence error."""
        timeout = timeout if timeout is not None else self.timeout
        try:
            response = self._session.request(method, url, timeout=timeout, **request)
        except requests.Timeout as error:
            raise StoreError(
                f"the SPARQL server at {url} did not answer within {timeout:g} seconds"
            ) from error
        except requests.ConnectionError as error:
            raise StoreError(
                f"cannot reach the SPARQL server at {url}; check that it is running and that "
                "the address is right"
            ) from error
        except requests.RequestException as error:
            raise StoreError(f"could not {task} on the SPARQL server at {url}: {error}") from error
        if response.ok or (missing_ok and response.status_code == 404):
            return response
        message = _explanation(response)
        status = response.status_code
        if status == 400 and url == self.query_url:
            # the prologue is one line, so the server counts one line too many
            message = _ERROR_POSITION.sub(lambda m: f"{m[1]}{max(int(m[2]) - 1, 1)}", message)
            raise QueryError(f"the query is not valid SPARQL: {message}")
        if status in (401, 403):
            raise StoreError(
                f"the SPARQL server at {url} refused access (status {status}); check the "
                "store's address and permissions"
            )
        if status == 404:
            raise StoreError(f"nothing answers at {url}; check the store's address")
        raise StoreError(
            f"the SPARQL server at {url} could not {task} (status {status}): {message}"
        )


def _raw(answer) -> RawAnswer:
    """A parsed answer as it is (errors further into it surface while it is read)."""
    return raw_answer(answer, _UNFINISHED)


def _explanation(response: requests.Response) -> str:
    """What a server said when it refused, in one line: the sentence of an error in this app's
    own JSON shape (``{"ok": false, "error": …}``, from a server's store API), else its text."""
    text = response.text
    if response.headers.get("Content-Type", "").startswith("application/json"):
        try:
            said = response.json().get("error")
        except (ValueError, AttributeError):
            said = None
        text = said if isinstance(said, str) else text
    return " ".join(text.split())[:500] or response.reason or "no explanation"


def _sibling(query_url: str, which: int) -> str:
    """The update (0) or graph store (1) URL beside a query URL, in a known server layout."""
    parts = urlsplit(query_url)
    folder, _, last = parts.path.rstrip("/").rpartition("/")
    if last not in _ENDPOINT_LAYOUTS:
        raise StoreError(
            f"cannot tell the update and graph store addresses from {query_url}; give them too "
            "(for example …/update and …/data)"
        )
    path = f"{folder}/{_ENDPOINT_LAYOUTS[last][which]}"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class _Upload:
    """A streamed request body that remembers why its source failed.

    HTTP libraries report a body that fails half-way as a lost connection, which would blame
    the server for what is really, say, an unreadable spreadsheet.
    """

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self.failure: BaseException | None = None

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._chunks
        except BaseException as error:
            self.failure = error
            raise


def _ntriples_chunks(quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> Iterator[bytes]:
    """The triples of ``quads`` as N-Triples, a batch at a time, for a streamed upload."""
    triples = (ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o, _ in quads)
    while batch := list(itertools.islice(triples, _UPLOAD_BATCH)):
        yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)
