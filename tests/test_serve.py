"""``cop-graph init`` and ``cop-graph serve`` for real: a subprocess, a port, an HTTP request."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from click.testing import CliRunner

from cop_graph.cli import cli

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_init_loads_the_standard_graphs_once(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "store")
    first = runner.invoke(cli, ["--store", store, "init", "--no-demo"])
    assert first.exit_code == 0, first.output
    assert "graph/reference" in first.output
    again = runner.invoke(cli, ["--store", store, "init", "--if-empty"])
    assert again.exit_code == 0, again.output
    assert "nothing to do" in again.output
    listed = runner.invoke(cli, ["--store", store, "graphs"])
    for name in ("graph/ontology", "graph/shapes", "graph/reference"):
        assert name in listed.output
    assert "graph/demo" not in listed.output


def test_serve_answers_with_counts(seeded_store_path):
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "cop-graph"), "--store", str(seeded_store_path), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        page = None
        deadline = time.monotonic() + 120  # a busy machine can take a while to start it
        while page is None and time.monotonic() < deadline and server.poll() is None:
            try:
                page = requests.get(f"http://127.0.0.1:{port}/", timeout=10)
            except requests.ConnectionError:
                time.sleep(0.1)
        assert page is not None, "the server did not start"
        assert page.status_code == 200
        assert "places" in page.text
        data = requests.get(f"http://127.0.0.1:{port}/api/", timeout=5).json()
        assert data["counts"]["places"] == 1 + 10 + 215 + 4
        assert page.headers["Server"].startswith("waitress")
    finally:
        server.terminate()
        server.wait(timeout=10)
