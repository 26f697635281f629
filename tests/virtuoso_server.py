"""Start OpenLink Virtuoso on loopback for the remote-store tests, and stop it again.

Virtuoso is the second real engine the remote backend is tested against, because it differs
from Oxigraph server in ways that lose data silently if the client does not know them (see
:mod:`cop_graph.store.engines`). The server is Debian's ``virtuoso-opensource-7-bin``
(``make virtuoso`` installs it): ``virtuoso-t`` runs in the foreground with an ini file
written here, its database files in the test's temporary folder, on free loopback ports.

Two settings matter to the tests: ``ResultSetMaxRows`` (:data:`ROW_CAP`) is small, so that
a test can show a read-back larger than the cap failing rather than shrinking; and the
anonymous SPARQL user is granted ``SPARQL_UPDATE`` (through ``isql``, Virtuoso's SQL shell,
on the fixture's SQL port), as a deployment without credentials would do.

The engine benchmark (``benchmarks/bench_engines.py``) starts it too, with a deployment's row
cap, memory for millions of facts (``buffers``) and its data folder allowed, and loads files
with Virtuoso's own bulk loader (:meth:`VirtuosoServer.bulk_load`).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

__all__ = [
    "ROW_CAP",
    "VirtuosoServer",
    "find_virtuoso",
    "running_virtuoso",
]

#: the server's cap on result rows (``ResultSetMaxRows``), far below a real deployment's
ROW_CAP = 2_000
#: the database administrator's account, as a fresh Virtuoso database creates it
ADMIN = ("dba", "dba")
#: how long a starting server may take before we give up (it normally needs about 4 s)
STARTUP_LIMIT_SECONDS = 90
#: a chosen free port can be taken by another program before the server binds it
START_ATTEMPTS = 3
#: ``NumberOfBuffers`` and ``MaxDirtyBuffers`` (8 KB pages each): enough for the tests' data
TEST_BUFFERS = (10_000, 6_000)
#: where the project's graph names start (Virtuoso's own graphs are elsewhere)
_PROJECT_GRAPHS = "https://w3id.org/cop-graph/"

_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 8
ServerThreads = 8
CheckpointInterval = 60
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
DirsAllowed = ., {folder}{more_dirs}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 8
ServerThreads = 8

[SPARQL]
ResultSetMaxRows = {row_cap}
"""


def find_virtuoso() -> tuple[str, str] | None:
    """The server program and Virtuoso's SQL shell, or None when Virtuoso is not installed.

    Debian names the shell ``isql-vt``, since unixODBC's ``isql`` is another program.
    """
    server = shutil.which("virtuoso-t")
    shell = shutil.which("isql-vt") or shutil.which("isql-v")
    if server is None or shell is None:
        return None
    return server, shell


class VirtuosoServer:
    """A running ``virtuoso-t`` listening on ``127.0.0.1``: HTTP on ``port``, SQL on
    ``sql_port``."""

    def __init__(
        self,
        process: subprocess.Popen,
        port: int,
        sql_port: int,
        folder: Path,
        shell: str,
        row_cap: int = ROW_CAP,
    ):
        self.process = process
        self.port = port
        self.sql_port = sql_port
        self.folder = folder
        self.shell = shell
        self.row_cap = row_cap

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def log(self) -> Path:
        return self.folder / "db" / "virtuoso.log"

    def sql(self, statements: str, timeout: float = 60) -> str:
        """Run SQL statements as the administrator; their output, or an error with it."""
        user, password = ADMIN
        done = subprocess.run(
            [self.shell, f"127.0.0.1:{self.sql_port}", user, password, f"exec={statements}"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"Virtuoso refused {statements!r}: {done.stdout}{done.stderr}")
        return done.stdout

    def sql_when_listening(self, statements: str) -> str:
        """:meth:`sql` once the SQL port listens: it opens after the HTTP port, a moment
        later on an idle machine and seconds later on a busy one."""
        give_up = time.monotonic() + STARTUP_LIMIT_SECONDS
        while True:
            try:
                return self.sql(statements)
            except RuntimeError as error:
                if "Connect failed" not in str(error) or time.monotonic() > give_up:
                    raise
                time.sleep(0.2)

    def bulk_load(self, file: Path, graph: str, timeout: float = 3600) -> None:
        """Load ``file`` with Virtuoso's bulk loader, into ``graph`` (the quads of an N-Quads
        file keep their own), then write it to disk with a checkpoint.

        This is Virtuoso's documented path for large files (``ld_dir``, ``rdf_loader_run``):
        it parses on the server, reading the file itself, and writes no transaction log.
        ``file``'s folder must be allowed (``more_dirs`` of :func:`running_virtuoso`). The
        loader records a file it could not read instead of failing; that becomes an error
        here, with Virtuoso's reason.
        """
        folder, name = _sql_text(str(file.parent.resolve())), _sql_text(file.name)
        self.sql(
            f"DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE '%/{name}'; "
            f"ld_dir('{folder}', '{name}', '{_sql_text(graph)}'); "
            "rdf_loader_run(); checkpoint;",
            timeout=timeout,
        )
        said = self.sql(
            "SELECT ll_error FROM DB.DBA.LOAD_LIST "
            f"WHERE ll_file LIKE '%/{name}' AND ll_error IS NOT NULL;"
        )
        if "0 Rows" not in said:
            raise RuntimeError(f"Virtuoso's bulk loader could not load {file}: {said}")

    def clear(self) -> None:
        """Remove the project's graphs, so each test starts from an empty store (Virtuoso's own
        graphs stay, as they would on any real server)."""
        response = requests.post(
            self.query_url,
            data={
                "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                f'FILTER(STRSTARTS(STR(?g), "{_PROJECT_GRAPHS}")) }}'
            },
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        response.raise_for_status()
        graphs = [row["g"]["value"] for row in response.json()["results"]["bindings"]]
        if graphs:
            update = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
            requests.post(
                self.query_url,
                data=update.encode(),
                headers={"Content-Type": "application/sparql-update"},
                timeout=60,
            ).raise_for_status()

    def wait_until_answering(self) -> bool:
        """True once ``/sparql`` answers a query; False if the server exits or takes too long."""
        give_up = time.monotonic() + STARTUP_LIMIT_SECONDS
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                return False
            try:
                answer = requests.get(self.query_url, params={"query": "ASK {}"}, timeout=2)
                if answer.ok:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def running_virtuoso(
    programs: tuple[str, str],
    folder: Path,
    row_cap: int = ROW_CAP,
    *,
    buffers: tuple[int, int] = TEST_BUFFERS,
    more_dirs: tuple[Path, ...] = (),
) -> Iterator[VirtuosoServer]:
    """A server keeping its database in ``folder``, stopped on leaving (also after a failure).
    ``row_cap`` is its limit on answer rows: small by default (see :data:`ROW_CAP`); the app's
    own tests give a deployment's, above the largest graph. ``buffers`` are its
    ``NumberOfBuffers`` and ``MaxDirtyBuffers`` (8 KB each: Virtuoso's sample ini suggests
    about two thirds of free memory for millions of facts); ``more_dirs`` are folders it may
    read files from (besides its own), as its bulk loader does."""
    server = _start(programs, folder, row_cap, buffers, more_dirs)
    try:
        # the anonymous user of /sparql may change data, and read and write every graph
        server.sql_when_listening(
            "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
        )
        yield server
    finally:
        server.stop()


def _start(
    programs: tuple[str, str],
    folder: Path,
    row_cap: int,
    buffers: tuple[int, int],
    more_dirs: tuple[Path, ...],
) -> VirtuosoServer:
    binary, shell = programs
    output = folder / "server.out"
    for attempt in range(START_ATTEMPTS):
        run = folder / f"run{attempt}"
        (run / "db").mkdir(parents=True)
        http_port, sql_port = _free_port(), _free_port()
        ini = run / "virtuoso.ini"
        ini.write_text(
            _INI.format(
                db=run / "db",
                folder=run,
                sql_port=sql_port,
                http_port=http_port,
                row_cap=row_cap,
                buffers=buffers[0],
                dirty_buffers=buffers[1],
                more_dirs="".join(f", {path.resolve()}" for path in more_dirs),
            )
        )
        with output.open("ab") as out:
            process = subprocess.Popen(
                [binary, "+foreground", "+configfile", str(ini)],
                cwd=run,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = VirtuosoServer(process, http_port, sql_port, run, shell, row_cap)
        if server.wait_until_answering():
            return server
        server.stop()
    said = output.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"Virtuoso ({binary}) did not start; its last words were: {said}")


def _sql_text(text: str) -> str:
    """``text`` inside an SQL string literal."""
    return text.replace("'", "''")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
