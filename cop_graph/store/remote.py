"""The remote backend: any SPARQL 1.1 server, through the Query, Update and Graph Store protocols.

A deployment that outgrows one machine points the app at an existing server (Apache Jena
Fuseki, GraphDB, Virtuoso, QLever, Amazon Neptune) and nothing else changes. What differs
between servers (addresses, graph lists, time limits, answers) is in
:mod:`cop_graph.store.engines`. Four things the embedded store does by itself must be
arranged here:

- **Union default graph.** Queries that name no graphs must see all named graphs together.
  Start the oxigraph server with ``--union-default-graph``; other servers have their own
  switch (Fuseki: ``tdb2:unionDefaultGraph true``; GraphDB and Virtuoso merge graphs into the
  default graph unless told otherwise).
- **Bindings.** The protocol cannot carry them, so :mod:`cop_graph.store.sparql_text` writes
  them into the query as a ``VALUES`` block, from rdflib terms only.
- **Atomic commits.** The Graph Store protocol uploads one graph per request, so a commit can
  fail half-way through its uploads; :meth:`Store.commit` then removes the staging graphs.
  Commits from several processes (app workers) take turns, through a write lock kept in the
  server (:mod:`cop_graph.store.write_lock`).
  Staging graphs left by a crash are *not* removed when a remote store is opened, unlike the
  embedded store: several app workers may share one server, and cleaning at open would
  destroy another worker's commit in flight. Run :meth:`Store.clean_staging` by hand when
  nothing is writing.
- **Nothing lost.** A server may answer "done" and keep less than it was sent, or change it,
  or send back less than it holds (a row cap). Every upload has a length (never chunked),
  and afterwards each graph it wrote is tallied against what was sent
  (:mod:`cop_graph.store.tally`): anything short or changed fails the write, and the commit
  is undone. Every graph read back is counted against a COUNT, and an answer marked as cut
  short (``X-SPARQL-MaxRows``) or stopped half-way (``X-SQL-State``) is an error, never a
  smaller answer. Graph lists and counts cover the project's graphs only (those under
  :data:`cop_graph.namespaces.GRAPH`), not a server's own.

The same client works through a running ``cop-graph serve``: its owner API
(:mod:`cop_graph.store.owner`) speaks these protocols in the oxigraph server's layout.

Answers are read with pyoxigraph's parsers (fast, and streaming for dumps) and come back as
the same rdflib terms the embedded store gives. The store's own SPARQL below is part of this
protocol, not an app query, so it stays here rather than in ``queries/``.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import BinaryIO

import pyoxigraph as ox
import requests
from rdflib import Graph, URIRef
from rdflib.term import Node

from cop_graph.config import Settings, load_settings
from cop_graph.errors import QueryError, StoreError
from cop_graph.files.terms import to_oxigraph, to_rdflib
from cop_graph.namespaces import GRAPH, PREFIXES, sparql_prologue
from cop_graph.store.answers import RDF_FORMATS, convert_answer, raw_answer
from cop_graph.store.base import STAGING, Change, QueryResult, RawAnswer, Store
from cop_graph.store.boolean_answers import boolean_variables, booleans_in_json
from cop_graph.store.engines import (
    Credentials,
    Engine,
    choose_engine,
    detect_engine,
    guess_engine,
)
from cop_graph.store.geometries import (
    WKT,
    as_loaded,
    geometries_as_wkt_in_json,
)
from cop_graph.store.server_answers import (
    accept_for,
    ask_table_as_boolean,
    check_whole,
    explanation,
    plain_blank_nodes,
)
from cop_graph.store.sparql_dialect import (
    query_form,
    with_full_names,
    with_lower_case_languages,
    with_where_group,
)
from cop_graph.store.sparql_text import trailing_values_inside, with_bindings, with_values
from cop_graph.store.staged import StagedTriples
from cop_graph.store.tally import Tally, held_tally, moved_shapes, shapes_query, tally_query
from cop_graph.store.transitive_paths import with_path_ends_compared
from cop_graph.store.write_lock import WriteLock

__all__ = ["RemoteStore", "open_remote"]

#: a graph that never exists (commits refuse staging names), for "an empty list of graphs"
_NO_GRAPH = STAGING + "none"
_NTRIPLES = "application/n-triples"
#: triples per upload request (a graph holding blank nodes goes in one, to keep them whole)
_UPLOAD_BATCH = 20_000
#: the start of every graph name of the project's; a server's own graphs are left alone
_PROJECT = str(GRAPH)
_OUTGOING_BATCH = 500

_COUNT = "SELECT (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } }"
_COUNT_PROJECT = (
    "SELECT (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } "
    f'FILTER(STRSTARTS(STR(?g), "{_PROJECT}")) }}'
)
_QUADS_FROM = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_PROLOGUE = sparql_prologue().replace("\n", " ").strip() + "\n"
_ERROR_POSITION = re.compile(r"\b(error at |line )(\d+)")
_UNFINISHED = "the SPARQL server could not finish the query"


class RemoteStore(Store):
    """A SPARQL 1.1 server at ``query_url``.

    ``engine`` (an :class:`~cop_graph.store.engines.Engine` or its name) says how to talk to
    it; by default it is told from the address (``…/query``: Oxigraph server; ``/sparql``:
    Virtuoso; ``…/dataset/sparql``: Fuseki, as ``sparql11``), and with both addresses given
    ``sparql11``. ``update_url`` and ``graph_store_url`` default to the engine's usual layout
    beside the query address; give them for any other server. ``credentials`` sign every
    request (Virtuoso's then go to its ``-auth`` endpoints). ``timeout`` is in seconds, per
    request; ``query_timeout``, when given, replaces it for queries, so that a web app with a
    time limit per question does not keep a thread waiting on the server long after giving up
    (updates and whole-graph transfers keep ``timeout``, as they may rightly take longer); an
    engine that can be told (Virtuoso) is asked to stop the query then too.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        *,
        engine: Engine | str | None = None,
        credentials: Credentials | None = None,
        session: requests.Session | None = None,
        timeout: float = 60.0,
        query_timeout: float | None = None,
    ):
        self.location = query_url
        self.query_url = query_url
        self.engine = choose_engine(engine, query_url)
        usual = self.engine.addresses(query_url, signed_in=credentials is not None)
        if usual is None and not (update_url and graph_store_url):
            raise StoreError(
                f"cannot tell the update and graph store addresses from {query_url}; give them "
                "too (for example …/update and …/data)"
            )
        self.update_url = update_url or usual[0]
        self.graph_store_url = graph_store_url or usual[1]
        self.timeout = timeout
        self.query_timeout = query_timeout if query_timeout is not None else timeout
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        if credentials is not None:
            self._session.auth = credentials.auth()
        #: graphs the server keeps for itself (Virtuoso's), found whenever the graphs are
        #: listed; questions are given the project's graphs only (see :meth:`_dataset`)
        self._foreign_graphs: list[str] | None = None
        #: one writer at a time among every process sharing the server (app workers,
        #: commands): see :mod:`cop_graph.store.write_lock`
        self.write_lock = WriteLock(
            self._update, lambda sparql: self._protocol_rows("take the write lock", sparql)
        )

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
        engine = self.engine
        booleans = boolean_variables(sparql) if engine.booleans_as_numbers else frozenset()
        form = [("query", self._as_sent(sparql, bindings))]
        form += self._dataset(default_graph, named_graphs)
        form += self.engine.query_parameters(self.query_timeout)
        response = self._send(
            "POST",
            self.query_url,
            "run the query",
            data=form,
            headers={"Accept": accept_for(sparql)},
            timeout=self.query_timeout,
        )
        media_type = response.headers.get("Content-Type", "")
        try:
            rdf_format = ox.RdfFormat.from_media_type(media_type)
            if rdf_format is not None:
                triples = (quad.triple for quad in ox.parse(response.content, rdf_format))
                return convert(self._as_loaded(triples))
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            if results_format is not None:
                content = plain_blank_nodes(response.content, self.engine.blank_node_prefix)
                if results_format == ox.QueryResultsFormat.JSON:
                    if engine.geometry_datatype:
                        content = geometries_as_wkt_in_json(content)
                    if engine.booleans_as_numbers:
                        content = booleans_in_json(content, booleans)
                answer = ox.parse_query_results(content, results_format)
                return convert(ask_table_as_boolean(answer))
        except SyntaxError as error:
            raise QueryError(f"{_UNFINISHED}: {error}") from error
        raise StoreError(
            f"the SPARQL server at {self.query_url} answered in a form this program cannot read "
            f"({media_type or 'no content type'})"
        )

    def _as_sent(self, sparql: str, bindings: Mapping[str, Node] | None) -> str:
        """The text of a question as this engine must be sent it: its bindings written in,
        after the project's prefixes, in the engine's dialect (see
        :mod:`cop_graph.store.sparql_dialect`)."""
        engine = self.engine
        text = sparql if engine.reads_escaped_names else with_full_names(sparql, PREFIXES)
        if engine.moves_trailing_values:
            text = trailing_values_inside(with_bindings(with_where_group(text), bindings))
        else:
            text = with_bindings(text, bindings)
        if engine.lower_case_languages:
            text = with_lower_case_languages(text)
        if engine.compares_path_ends:
            text = with_path_ends_compared(text)
        describes = engine.describe_preamble and query_form(sparql) == "DESCRIBE"
        return (engine.describe_preamble if describes else "") + _PROLOGUE + text

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:  # the project's graphs, not the server's own
            return int(self.query(_COUNT_PROJECT).scalar())
        return self._facts_in(graph)

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

    def _as_loaded(self, statements):
        """Triples or quads with the server's own geometries (Virtuoso's) read back as the
        place shapes (``geo:wktLiteral``) they were sent as (see
        :mod:`cop_graph.store.geometries`); as they are on other servers."""
        geometry = self.engine.geometry_datatype
        if geometry is None:
            return statements
        return (_shape_as_loaded(statement, geometry) for statement in statements)

    def _all_graph_names(self) -> list[URIRef]:
        """The project's graphs (staging included); the server's own are noted as foreign."""
        rows = self._protocol_rows("list the graphs", self.engine.list_graphs)
        names = [row[0].value for row in rows if isinstance(row[0], ox.NamedNode)]
        self._foreign_graphs = sorted(name for name in names if not name.startswith(_PROJECT))
        return [URIRef(name) for name in names if name.startswith(_PROJECT)]

    def _held(self, graph: URIRef) -> Tally:
        """The server's tally of ``graph`` (see :mod:`cop_graph.store.tally`)."""
        return held_tally(self._protocol_rows("check what it stored", tally_query(graph)))

    def _facts_in(self, graph: URIRef) -> int:
        """The number of triples in ``graph``."""
        rows = self._protocol_rows("count a graph", with_bindings(_COUNT, {"g": graph}))
        try:
            return int(rows[0][0].value)
        except (IndexError, TypeError, AttributeError, ValueError) as error:
            raise StoreError(
                f"the SPARQL server at {self.query_url} sent a count this program cannot read"
            ) from error

    def _protocol_rows(self, task: str, sparql: str) -> list[ox.QuerySolution]:
        """The rows of one of the store's own SELECT queries, sent as they are (they name
        their graphs) with the time limit of whole-graph transfers, not the shorter one of
        questions: they check writes and read-backs."""
        response = self._send(
            "POST",
            self.query_url,
            task,
            data=[("query", sparql)],
            headers={"Accept": "application/sparql-results+json"},
        )
        try:
            return list(ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON))
        except (SyntaxError, ValueError) as error:
            raise StoreError(
                f"the SPARQL server at {self.query_url} answered in a form this program cannot "
                f"read when asked to {task}: {error}"
            ) from error

    # -- writing ---------------------------------------------------------------------------
    def commit(self, change: Change) -> None:
        """:meth:`Store.commit`, holding the server's write lock: a commit decides from the
        graphs it finds which to replace, so two at once from two workers could merge where
        one should replace, or each undo the other's swap."""
        with self.write_lock.held():
            super().commit(change)

    def _insert(self, quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> None:
        groups = itertools.groupby(quads, key=lambda quad: quad[3])
        self._write((graph, _native(group)) for graph, group in groups)

    def _insert_change(
        self, change: Change, targets: Mapping[URIRef, URIRef], catalogue: URIRef
    ) -> None:
        """Upload a change's graphs, those staged in pyoxigraph as they are (no rdflib terms
        on the way)."""

        def groups():
            for name, triples in change.put.items():
                if isinstance(triples, StagedTriples):
                    yield targets[name], triples.native()
                else:
                    yield targets[name], _native((s, p, o, None) for s, p, o in triples)
            if change.catalogue is not None:
                yield catalogue, _native((s, p, o, None) for s, p, o in change.catalogue)

        self._write(groups())

    def _write(self, groups: Iterable[tuple[URIRef, Iterable[ox.Triple]]]) -> None:
        """Upload each graph's triples, then tally each graph written against what was sent:
        all of it, unchanged, or an error (see :mod:`cop_graph.store.tally`).

        A graph that already holds triples (the catalogue, in a commit of new graphs) takes
        them through a temporary staging graph, so that the tally is of exactly what was sent.
        """
        sent: dict[URIRef, Tally] = {}
        merges: dict[URIRef, URIRef] = {}
        try:
            for graph, triples in groups:
                target = graph
                if not str(graph).startswith(STAGING) and self._facts_in(graph) > 0:
                    target = merges.setdefault(graph, URIRef(f"{STAGING}{uuid.uuid4().hex}/add"))
                self._upload(target, triples, sent.setdefault(target, Tally()))
            for target, tally in sent.items():
                wrong = tally.differences(self._held(target), self.engine.geometry_datatype)
                if wrong:
                    raise StoreError(
                        f"the SPARQL server at {self.graph_store_url} said it had stored the "
                        f"facts sent {_destination(merges, target)}, but {wrong}; nothing was "
                        "changed"
                    )
                self._check_shapes(target, tally, _destination(merges, target))
            if merges:
                self._update(
                    " ;\n".join(
                        f"ADD SILENT GRAPH <{temporary}> TO GRAPH <{graph}> ;\n"
                        f"DROP SILENT GRAPH <{temporary}>"
                        for graph, temporary in merges.items()
                    )
                )
        except BaseException:
            # the first failure is the one to tell; clean_staging removes what stays behind
            with contextlib.suppress(StoreError):
                if merges:
                    self._update(" ;\n".join(f"DROP SILENT GRAPH <{t}>" for t in merges.values()))
            raise

    def _check_shapes(self, target: URIRef, sent: Tally, destination: str) -> None:
        """On a server that stores place shapes as its own geometries, each one sent must be
        held with the same coordinates, read back as the store reads them."""
        geometry = self.engine.geometry_datatype
        if geometry is None or not sent.shapes:
            return
        rows = self._protocol_rows(
            "check the place shapes it stored",
            shapes_query(target, (predicate for _, predicate, _ in sent.shapes)),
        )
        moved = moved_shapes(sent, rows, geometry)
        if moved:
            shown, held = moved[0]
            raise StoreError(
                f"the SPARQL server at {self.graph_store_url} changed the coordinates of "
                f"{len(moved):,} of the {len(sent.shapes):,} place shapes sent {destination} "
                f'as it stored them (sent "{shown}", holds "{held}"); it keeps most '
                "coordinates as 32-bit floats, about 7 significant digits (Virtuoso: within "
                "0.2 m in Greater Manchester), so give coordinates with at most 5 decimals, "
                "or use another engine; nothing was changed"
            )

    def _upload(self, graph: URIRef, triples: Iterable[ox.Triple], sent: Tally) -> None:
        """Add triples to ``graph``, in requests that each carry their length (a server may
        store nothing from a chunked body and still say it did), tallying them in ``sent``."""
        with tempfile.TemporaryFile() as spool:
            ends, blank_nodes = [], False
            triples = iter(triples)
            while batch := list(itertools.islice(triples, _UPLOAD_BATCH)):
                sent.add(batch)
                text = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)
                # "_:" in a literal's text too only costs one request instead of several
                blank_nodes = blank_nodes or b"_:" in text
                spool.write(text)
                ends.append(spool.tell())
            self._refuse_unkept(graph, sent)
            # a blank node is one node only within one request: such a graph goes in one
            starts = [0, *ends[:-1]]
            bounds = [(0, ends[-1])] if blank_nodes and ends else zip(starts, ends, strict=True)
            for start, end in bounds:
                spool.seek(start)
                self._send(
                    "POST",
                    self.graph_store_url,
                    "add data",
                    params={"graph": str(graph)},
                    data=self.engine.upload_preamble + spool.read(end - start),
                    headers={"Content-Type": self.engine.upload_type},
                )

    def _refuse_unkept(self, graph: URIRef, sent: Tally) -> None:
        """Refuse, before sending them, values the server would rewrite beyond recovery."""
        for datatype, why in self.engine.refused_datatypes:
            if sent.kinds[datatype]:
                name = datatype.rsplit("#", 1)[-1]
                raise StoreError(
                    f"cannot store {sent.kinds[datatype]:,} {name} values on the SPARQL server "
                    f"at {self.graph_store_url}: {why}; write them another way (as text, or "
                    "as a number of days) or use another engine; nothing was changed"
                )

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
        the embedded store keeps it whole, so the other side lists every graph. On a server
        keeping graphs of its own (Virtuoso), a question naming neither is given the
        project's graphs on both sides, so that its own stay out. (Virtuoso's pragmas for
        that, ``DEFINE input:named-graph-exclude``, also hide every graph a query names,
        ``GRAPH <…catalogue> { … }`` included: 7.2 answers such a pattern with nothing.)
        """
        if default_graph is None and named_graphs is None:
            if not self.engine.hides_foreign_graphs:
                return []
            default_graph = named_graphs = self._all_graph_names()
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
        """The triples of one graph, streamed (an empty graph if there is no such graph),
        then counted against a COUNT: a server's row cap fails the read, never shortens it."""
        expected = self._facts_in(name)
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
                if expected:
                    raise StoreError(
                        f"the SPARQL server at {self.graph_store_url} holds {expected:,} facts "
                        f"in the graph {name} but would not send them"
                    )
                return
            response.raw.decode_content = True
            received = 0
            try:
                for quad in self._as_loaded(ox.parse(response.raw, ox.RdfFormat.N_TRIPLES)):
                    received += 1
                    yield quad
            except SyntaxError as error:
                raise StoreError(
                    f"the graph {name} sent by the SPARQL server could not be read: {error}"
                ) from error
        if received != expected:
            raise StoreError(
                f"the SPARQL server at {self.graph_store_url} sent {received:,} of the "
                f"{expected:,} facts of the graph {name}; a server limit on answer rows (such "
                "as Virtuoso's ResultSetMaxRows) must be above the largest graph"
            )

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
            check_whole(response, url)
            return response
        message = explanation(response)
        status = response.status_code
        if status == 400 and task == "run the query":
            # the prologue is one line, so the server counts one line too many
            message = _ERROR_POSITION.sub(lambda m: f"{m[1]}{max(int(m[2]) - 1, 1)}", message)
            raise QueryError(f"the query is not valid SPARQL: {message}")
        if status in (401, 403):
            raise StoreError(
                f"the SPARQL server at {url} refused access (status {status}); check the "
                "store's address and permissions"
            )
        if "no permission" in message.lower():  # Virtuoso: a 500 naming the procedure
            raise StoreError(
                f"the SPARQL server at {url} refused to {task}: {message}; check the store's "
                "permissions (Virtuoso: GRANT SPARQL_UPDATE, or give the store a user)"
            )
        if status == 404:
            raise StoreError(f"nothing answers at {url}; check the store's address")
        raise StoreError(
            f"the SPARQL server at {url} could not {task} (status {status}): {message}"
        )


def _raw(answer) -> RawAnswer:
    """A parsed answer as it is (errors further into it surface while it is read)."""
    return raw_answer(answer, _UNFINISHED)


def open_remote(
    location: str, settings: Settings | None = None, *, query_timeout: float | None = None
) -> RemoteStore:
    """The remote store at ``location`` as the settings describe it (engine, addresses,
    credentials; from ``COP_GRAPH_*`` variables when no settings are given)."""
    settings = settings if settings is not None else load_settings()
    engine: Engine | str | None = settings.store_engine or None
    if engine is None and guess_engine(location) is None:
        with requests.Session() as session:
            engine = detect_engine(location, session)
    chosen = choose_engine(engine, location)
    credentials = Credentials.from_settings(
        settings.store_user,
        settings.store_password,
        settings.store_password_file,
        settings.store_auth,
        chosen,
    )
    return RemoteStore(
        location,
        settings.store_update_url or None,
        settings.store_graph_store_url or None,
        engine=chosen,
        credentials=credentials,
        query_timeout=query_timeout,
    )


def _native(quads: Iterable[tuple[Node, Node, Node, object]]) -> Iterator[ox.Triple]:
    """The triples of rdflib quads, in pyoxigraph's terms."""
    for s, p, o, _ in quads:
        yield ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))


def _shape_as_loaded(statement, geometry: str):
    """A triple or quad whose object is one of the server's geometries, as the place shape
    (``geo:wktLiteral``) it was sent as; anything else as it is."""
    value = statement.object
    if not (isinstance(value, ox.Literal) and value.datatype.value == geometry):
        return statement
    shape = ox.Literal(as_loaded(value.value), datatype=ox.NamedNode(WKT))
    if isinstance(statement, ox.Quad):
        return ox.Quad(statement.subject, statement.predicate, shape, statement.graph_name)
    return ox.Triple(statement.subject, statement.predicate, shape)


def _destination(merges: dict[URIRef, URIRef], target: URIRef) -> str:
    """Where facts were sent, in words: the graph a temporary graph stands for, a commit's
    staging, or the graph itself."""
    for graph, temporary in merges.items():
        if temporary == target:
            return f"to the graph {graph}"
    if str(target).startswith(STAGING):
        return "for the new version of a graph"
    return f"to the graph {target}"
