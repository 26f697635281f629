"""What the remote store must know about each SPARQL engine, so that it loses nothing on any.

SPARQL 1.1 leaves enough open that the same requests mean different things on different
servers. Each :class:`Engine` says, for one family of servers, where updates and graph
uploads go, how to list graphs, how to ask for a time limit on the server, and which of its
answers need reading differently. Seen on Oxigraph server 0.5 and OpenLink Virtuoso 7.2:

- **Virtuoso** answers ``201 Created`` to a chunked upload and stores nothing (the remote
  store always sends a length); answers ``GRAPH ?g {}`` with one unbound row (so graphs are
  listed from their triples); cuts answers at ``ResultSetMaxRows`` with ``200 OK`` (a
  ``X-SPARQL-MaxRows`` header on SELECT answers only, nothing on graph downloads or
  CONSTRUCT); answers ASK with a one-row table ``__ASK_RETVAL``; keeps graphs of its own
  (``virtrdf#``, ``ldp#``…) that its default graph includes; takes updates on ``/sparql`` and
  graph uploads on ``/sparql-graph-crud`` (``…-auth`` for both with credentials, in HTTP
  digest); stops a query after its ``timeout`` parameter (milliseconds) and may then answer
  with what it found so far, marked only by an ``X-SQL-State`` header; refuses an upload
  whose first bytes do not look like RDF (a long literal first), whatever its declared type;
  answers CONSTRUCT in a results table when a table is acceptable; lower-cases language tags
  (which RDF allows); names blank nodes ``nodeID://b10001`` in SELECT answers; rewrites
  ``geo:wktLiteral`` values into its own geometry type, with most coordinates as 32-bit floats
  (read back as they were sent: :mod:`cop_graph.store.geometries`), and durations into
  bare numbers (refused before sending); does not read backslash escapes in prefixed names
  (sent as full IRIs); refuses ``VALUES`` after any form but SELECT (given a WHERE group to
  go in); answers booleans a query computes as ``1`` and ``0`` (read back as booleans by
  typing the query); describes a thing by the facts pointing at it too, unless told to
  give a Concise Bounded Description as other engines do; and misses or invents matches of
  ``*`` and ``+`` paths walked towards an end already bound, in plans its statistics
  choose (such paths are sent with that end compared in a FILTER).
- **Oxigraph server** has no server-side time limit at all: a query the app gave up on keeps
  running on the server. Run it behind a proxy that closes slow requests, or give it spare
  cores.
- **sparql11** is everything else (Apache Jena Fuseki, GraphDB, Amazon Neptune), taken at
  the standard's word; give the update and graph store addresses unless they follow
  Fuseki's layout (``…/sparql`` → ``…/update``, ``…/data``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from cop_graph.errors import StoreError
from cop_graph.store.geometries import VIRTUOSO_GEOMETRY

__all__ = [
    "ENGINES",
    "Credentials",
    "Engine",
    "choose_engine",
    "detect_engine",
    "engine_named",
    "guess_engine",
]

#: lists every named graph, even an empty one (an engine that cannot says otherwise)
_GRAPHS_BY_NAME = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"
#: lists every graph holding at least one triple (grouped, not DISTINCT: Virtuoso 7.2 answers
#: DISTINCT by reading every quad, 3 s at 25,000 facts, and GROUP BY from its graph index, 0.01 s)
_GRAPHS_BY_TRIPLES = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
#: why Virtuoso cannot hold a duration (seen on 7.2: "P1D" → "86400.0", "P1M" → "1",
#: "P1Y"^^xsd:yearMonthDuration → "12")
_VIRTUOSO_DURATIONS = (
    'Virtuoso stores durations as bare numbers of seconds or months ("P1D" becomes '
    '"86400.0", "P1M" becomes "1"), which cannot be read back as the durations sent'
)


@dataclass(frozen=True)
class Engine:
    """One family of SPARQL servers and its ways."""

    #: the setting's value naming it
    name: str
    #: the query that lists graph names
    list_graphs: str = _GRAPHS_BY_NAME
    #: the query parameter giving the server a time limit, and how many of it make a second
    timeout_parameter: str | None = None
    timeout_per_second: int = 1
    #: whether queries must be told to leave out graphs the server keeps for itself
    hides_foreign_graphs: bool = False
    #: the HTTP authentication scheme the server expects: "basic" or "digest"
    auth_scheme: str = "basic"
    #: the media type graph uploads are sent as, and text opening each upload
    upload_type: str = "application/n-triples"
    upload_preamble: bytes = b""
    #: what the server puts before a blank node's name in SELECT answers (pyoxigraph reads
    #: names only)
    blank_node_prefix: bytes = b""
    #: the datatype the server stores place shapes (``geo:wktLiteral``) as, when it changes
    #: them: they are compared by their coordinates when written and read back as
    #: ``geo:wktLiteral`` (see :mod:`cop_graph.store.geometries`)
    geometry_datatype: str | None = None
    #: datatypes whose values the server rewrites beyond recovery, each with why in words:
    #: a write holding one is refused before anything is sent
    refused_datatypes: tuple[tuple[str, str], ...] = ()
    #: whether a query's trailing VALUES clause must be moved into its WHERE group (Virtuoso
    #: answers nothing when it names a variable the group does not use, and refuses one after
    #: any form but SELECT), a CONSTRUCT WHERE or DESCRIBE without a group being given one
    moves_trailing_values: bool = False
    #: whether the server answers booleans the query computes as the integers 1 and 0 (read
    #: back as booleans by typing the query: :mod:`cop_graph.store.boolean_answers`)
    booleans_as_numbers: bool = False
    #: text sent before a DESCRIBE query, ahead of its prefixes (where Virtuoso's ``DEFINE``
    #: pragmas must stand)
    describe_preamble: str = ""
    #: whether the server reads backslash escapes in prefixed names (``id:place\/wigan``);
    #: when not, such names are sent as full IRIs
    reads_escaped_names: bool = True
    #: whether language tags in queries must be sent in lower case (Virtuoso keeps tags in
    #: lower case, as the embedded store does, but echoes a query's tag as it is written)
    lower_case_languages: bool = False
    #: whether the bound end of a ``*`` or ``+`` path must be compared in a FILTER, not
    #: joined (Virtuoso misses or invents matches walking towards a bound end, in plans its
    #: statistics choose: :mod:`cop_graph.store.transitive_paths`)
    compares_path_ends: bool = False

    def addresses(self, query_url: str, *, signed_in: bool = False) -> tuple[str, str] | None:
        """The update and graph store addresses beside ``query_url`` in this engine's usual
        layout, or None when the layout is not one this engine uses."""
        parts = urlsplit(query_url)
        folder, _, last = parts.path.rstrip("/").rpartition("/")
        if self.name == "oxigraph" and last == "query":
            names = ("update", "store")
        elif self.name == "virtuoso" and last in ("sparql", "sparql-auth"):
            auth = "-auth" if signed_in or last == "sparql-auth" else ""
            names = (f"sparql{auth}", f"sparql-graph-crud{auth}")
        elif self.name == "sparql11" and last == "sparql" and folder:
            names = ("update", "data")  # Apache Jena Fuseki's /dataset/sparql
        else:
            return None
        return tuple(
            urlunsplit((parts.scheme, parts.netloc, f"{folder}/{n}", "", "")) for n in names
        )

    def query_parameters(self, seconds: float) -> list[tuple[str, str]]:
        """Protocol parameters asking the server to stop a query after ``seconds``."""
        if self.timeout_parameter is None:
            return []
        return [(self.timeout_parameter, str(max(1, round(seconds * self.timeout_per_second))))]


ENGINES = {
    "oxigraph": Engine("oxigraph"),
    "virtuoso": Engine(
        "virtuoso",
        list_graphs=_GRAPHS_BY_TRIPLES,  # GRAPH ?g {} gives one unbound row
        timeout_parameter="timeout",
        timeout_per_second=1000,
        hides_foreign_graphs=True,
        auth_scheme="digest",
        # Virtuoso guesses an upload's type from its first bytes whatever it is declared as,
        # and refuses one opening with a long literal as "text/plain": N-Triples is Turtle,
        # so an upload opens with a Turtle prefix line that it recognises
        upload_type="text/turtle",
        upload_preamble=b"@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n",
        blank_node_prefix=b"nodeID://",
        geometry_datatype=VIRTUOSO_GEOMETRY,
        moves_trailing_values=True,
        booleans_as_numbers=True,
        # by default Virtuoso describes a thing by the facts pointing at it too; a Concise
        # Bounded Description (its facts, and those of its blank nodes) is what others give
        describe_preamble='DEFINE sql:describe-mode "CBD" ',
        reads_escaped_names=False,
        lower_case_languages=True,
        compares_path_ends=True,
        refused_datatypes=tuple(
            (f"http://www.w3.org/2001/XMLSchema#{name}", _VIRTUOSO_DURATIONS)
            for name in ("duration", "dayTimeDuration", "yearMonthDuration")
        ),
    ),
    "sparql11": Engine("sparql11"),
}


def choose_engine(engine: Engine | str | None, query_url: str) -> Engine:
    """The engine named, else the one the address follows, else plain SPARQL 1.1 (whose
    addresses must then be given)."""
    if isinstance(engine, Engine):
        return engine
    if engine:
        return engine_named(engine)
    return guess_engine(query_url) or engine_named("sparql11")


def engine_named(name: str) -> Engine:
    """The engine a setting names."""
    try:
        return ENGINES[name.strip().lower()]
    except KeyError:
        raise StoreError(
            f'"{name}" is not a SPARQL engine this program knows; the store engine setting '
            f"takes {', '.join(ENGINES)} (sparql11 for any other server)"
        ) from None


def guess_engine(query_url: str) -> Engine | None:
    """The engine whose usual layout ``query_url`` follows, without asking the server.

    ``…/query`` is Oxigraph server's (and the running app's store API); ``/sparql-auth`` is
    Virtuoso's; ``…/name/sparql`` is Fuseki's (a dataset's endpoint). ``/sparql`` at the root
    could be Virtuoso or Amazon Neptune, so the server is asked (see :func:`detect_engine`),
    as for anything else, unless a setting names the engine.

    >>> [guess_engine(u).name for u in ["http://h:7878/query", "http://h:8890/sparql-auth",
    ...                                  "http://h:3030/cop/sparql"]]
    ['oxigraph', 'virtuoso', 'sparql11']
    >>> guess_engine("http://h:8890/sparql") is None
    True
    """
    path = urlsplit(query_url).path.rstrip("/")
    if path.endswith("/query"):
        return ENGINES["oxigraph"]
    if path == "/sparql-auth":
        return ENGINES["virtuoso"]
    if path.endswith("/sparql") and path != "/sparql":
        return ENGINES["sparql11"]
    return None


def detect_engine(query_url: str, session: requests.Session, timeout: float = 10.0) -> Engine:
    """The engine at ``query_url``, from the name the server gives in its answers (the
    ``Server`` header of its service description); ``sparql11`` when it names neither."""
    try:
        answer = session.get(
            query_url, headers={"Accept": "text/turtle, */*;q=0.1"}, timeout=timeout
        )
    except requests.RequestException as error:
        raise StoreError(
            f"cannot reach the SPARQL server at {query_url} to find out which engine it is; "
            "check the address, or name the engine in the store engine setting"
        ) from error
    server = answer.headers.get("Server", "").lower()
    if server.startswith("virtuoso"):
        return ENGINES["virtuoso"]
    if server.startswith("oxigraph"):
        return ENGINES["oxigraph"]
    return ENGINES["sparql11"]


@dataclass(frozen=True)
class Credentials:
    """A user name and password for the SPARQL server, never shown in messages or logs."""

    user: str
    password: str = field(repr=False)
    scheme: str = "basic"

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, scheme={self.scheme!r}, password=<hidden>)"

    def auth(self) -> requests.auth.AuthBase:
        """The requests authentication object for :attr:`scheme`."""
        if self.scheme == "digest":
            return requests.auth.HTTPDigestAuth(self.user, self.password)
        if self.scheme == "basic":
            return requests.auth.HTTPBasicAuth(self.user, self.password)
        raise StoreError(
            f'"{self.scheme}" is not an HTTP authentication scheme this program speaks; '
            "use basic or digest"
        )

    @classmethod
    def from_settings(
        cls, user: str, password: str, password_file: str, scheme: str, engine: Engine
    ) -> Credentials | None:
        """Credentials from the settings (the password itself, or a file holding it on its
        first line, as container secrets are given), or None without a user name."""
        if not user:
            return None
        if not password and password_file:
            try:
                lines = Path(password_file).read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise StoreError(
                    f"cannot read the store password file {password_file}: {error.strerror}"
                ) from error
            password = lines[0] if lines else ""
        if not password:
            raise StoreError(
                f"the store user {user} has no password; give the store password or the file "
                "holding it"
            )
        return cls(user, password, (scheme or engine.auth_scheme).strip().lower())
