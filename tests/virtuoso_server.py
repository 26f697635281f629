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
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {folder}

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

    def sql(self, statements: str) -> str:
        """Run SQL statements as the administrator; their output, or an error with it."""
        user, password = ADMIN
        done = subprocess.run(
            [self.shell, f"127.0.0.1:{self.sql_port}", user, password, f"exec={statements}"],
            capture_output=True,
            text=True,
            timeout=60,
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
    programs: tuple[str, str], folder: Path, row_cap: int = ROW_CAP
) -> Iterator[VirtuosoServer]:
    """A server keeping its database in ``folder``, stopped on leaving (also after a failure).
    ``row_cap`` is its limit on answer rows: small by default (see :data:`ROW_CAP`); the app's
    own tests give a deployment's, above the largest graph."""
    server = _start(programs, folder, row_cap)
    try:
        # the anonymous user of /sparql may change data, and read and write every graph
        server.sql_when_listening(
            "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
        )
        yield server
    finally:
        server.stop()


def _start(programs: tuple[str, str], folder: Path, row_cap: int) -> VirtuosoServer:
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
