"""Start the oxigraph SPARQL server on loopback for the remote-store tests, and stop it again.

The remote backend is tested against a real server, not a mock: what matters is how a real
server reads our uploads, updates and queries. The server is the ``oxigraph`` package from
PyPI (a test dependency), started with ``--union-default-graph`` as the backend requires.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

__all__ = ["OxigraphServer", "find_oxigraph", "running_oxigraph"]

#: how long a starting server may take before we give up (it normally needs well under 1 s)
STARTUP_LIMIT_SECONDS = 30
#: a chosen free port can be taken by another program before the server binds it
START_ATTEMPTS = 3


def find_oxigraph() -> str | None:
    """The server program: beside this Python (the project's venv) or else on the PATH."""
    beside_python = Path(sys.executable).parent / "oxigraph"
    if beside_python.is_file():
        return str(beside_python)
    return shutil.which("oxigraph")


class OxigraphServer:
    """A running server process listening on ``127.0.0.1:port``."""

    def __init__(self, process: subprocess.Popen, port: int, log: Path):
        self.process = process
        self.port = port
        self.log = log

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/update"

    def clear(self) -> None:
        """Remove every graph, so each test starts from an empty store."""
        response = requests.post(
            self.update_url,
            data=b"DROP ALL",
            headers={"Content-Type": "application/sparql-update"},
            timeout=30,
        )
        response.raise_for_status()

    def wait_until_answering(self) -> bool:
        """True once the server answers HTTP; False if it exits or takes too long."""
        give_up = time.monotonic() + STARTUP_LIMIT_SECONDS
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                return False
            try:
                requests.get(f"http://127.0.0.1:{self.port}/", timeout=1)
                return True
            except requests.ConnectionError:
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def running_oxigraph(binary: str, folder: Path) -> Iterator[OxigraphServer]:
    """A server keeping its data in ``folder``, stopped on leaving (also after a failure)."""
    server = _start(binary, folder)
    try:
        yield server
    finally:
        server.stop()


def _start(binary: str, folder: Path) -> OxigraphServer:
    log = folder / "server.log"
    for _ in range(START_ATTEMPTS):
        port = _free_port()
        command = [
            binary,
            "serve",
            "--location",
            str(folder / "data"),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ]
        with log.open("wb") as log_file:
            process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
        server = OxigraphServer(process, port, log)
        if server.wait_until_answering():
            return server
        server.stop()
    raise RuntimeError(
        f"the oxigraph server ({binary}) did not start; its last words were: "
        f"{log.read_text(errors='replace')[-2000:]}"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
