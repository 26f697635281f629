"""Commands and the site at the same time, for real: ``cop-graph serve`` in one process, other
``cop-graph`` commands in others, all on one on-disk store.

The server holds the store; the commands find its owner record, work through its store API
and say so. Write commands that find the store held by another command wait for it and say
whom they wait for. Every process here is a real ``cop-graph`` (or, for a command held still
on purpose, the real command line run by a small script).
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from workbooks import GOOD, xlsx

from cop_graph.store.owner import owner_file, read_owner

BIN = Path(sys.executable).parent
#: the longest a server may take to start listening (it normally needs a few seconds)
START_LIMIT = 120

#: a ``cop-graph load`` that holds the store until told to go on: the real command line, with
#: the load itself made to wait for a line on stdin once the store is open
HELD_LOAD = """
import sys
import cop_graph.ingest.load as load
from cop_graph.cli import main

real_load = load.load_files

def load_when_told(*args, **kwargs):
    print("holding", flush=True)
    sys.stdin.readline()
    return real_load(*args, **kwargs)

load.load_files = load_when_told
sys.argv = ["cop-graph", *sys.argv[1:]]
main()
"""


def environment(folder: Path) -> dict:
    """What every process here shares: its own accounts file, no proxy, no store from outside."""
    env = {**os.environ, "COP_GRAPH_ACCOUNTS": str(folder / "accounts.sqlite3")}
    env["COP_GRAPH_STORE_WAIT"] = "10"  # commands working through a server never wait
    for name in ("COP_GRAPH_STORE", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="module")
def initialised(tmp_path_factory) -> Path:
    """A store made by ``cop-graph init --no-demo``, once for this module."""
    folder = tmp_path_factory.mktemp("initialised")
    made = run(environment(folder), folder / "store", "init", "--no-demo")
    assert made.returncode == 0, made.stderr
    return folder / "store"


@pytest.fixture
def place(initialised, tmp_path) -> dict:
    """A folder with a copy of the initialised store, a workbook, and the environment."""
    store = tmp_path / "store"
    shutil.copytree(initialised, store)
    workbook = tmp_path / "halliwell.xlsx"
    workbook.write_bytes(xlsx(GOOD))
    return {"env": environment(tmp_path), "store": store, "workbook": workbook, "folder": tmp_path}


def run(env, store, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "cop-graph"), "--store", str(store), *args],
        capture_output=True, text=True, env=env, timeout=timeout,
    )  # fmt: skip


class Server:
    """``cop-graph serve --port 0`` on the store: its process, and its address once listening."""

    def __init__(self, place: dict):
        self.store = place["store"]
        self.log = (place["folder"] / "serve.log").open("w")
        self.process = subprocess.Popen(
            [str(BIN / "cop-graph"), "--store", str(self.store), "serve", "--port", "0"],
            stdout=self.log, stderr=subprocess.STDOUT, env=place["env"],
        )  # fmt: skip
        self.base_url = self._wait_until_listening()

    def _wait_until_listening(self) -> str:
        deadline = time.monotonic() + START_LIMIT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            owner = read_owner(self.store)
            if owner is not None and owner.pid == self.process.pid and owner.api:
                return owner.api.removesuffix("/_store/query")
            time.sleep(0.1)
        raise AssertionError(f"the server did not start: {self.output()}")

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    def get(self, path: str) -> requests.Response:
        return requests.get(self.base_url + path, timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)
        self.log.close()


@pytest.fixture
def server(place):
    running = Server(place)
    yield running
    running.stop()


def test_commands_work_on_the_store_while_the_server_runs(place, server):
    env, store = place["env"], place["store"]
    through = (
        f"The store is held by the running server (pid {server.process.pid}); working through it."
    )

    counted = run(env, store, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?l a cop:Locality }")
    assert counted.returncode == 0, counted.stderr
    assert counted.stdout.split()[-1] == "10"
    assert through in counted.stderr

    shared = run(env, store, "analyse", "shared-practice")
    assert shared.returncode == 0, shared.stderr
    assert "practice" in shared.stdout.splitlines()[0]

    page = "/id/community/halliwell-walkers"
    checked = run(env, store, "import", "--dry-run", str(place["workbook"]))
    assert checked.returncode == 0, checked.stderr
    assert "would save" in checked.stdout
    assert server.get(page).status_code == 404

    imported = run(env, store, "import", str(place["workbook"]))
    assert imported.returncode == 0, imported.stderr
    assert re.search(r"saved \d+ facts in \S+/graph/import/halliwell", imported.stdout)
    shown = server.get(page)
    assert shown.status_code == 200 and "Halliwell walkers" in shown.text
    assert server.get("/api/").json()["counts"]["communities"] == 1

    for read in (["stats"], ["graphs"], ["export", "--format", "nt"], ["validate"]):
        answered = run(env, store, *read)
        assert answered.returncode == 0, (read, answered.stderr)
        assert through in answered.stderr
    exported = run(env, store, "export", "--format", "nt").stdout
    assert "Halliwell walkers" in exported

    dropped = run(env, store, "drop", "import/halliwell")
    assert dropped.returncode == 0, dropped.stderr
    assert server.get(page).status_code == 404
    assert server.process.poll() is None, server.output()


def test_accounts_added_while_the_server_runs_can_sign_in(place, server):
    added = subprocess.run(
        [str(BIN / "cop-graph"), "user", "add", "coordinator", "--password", "a long password"],
        capture_output=True, text=True, env=place["env"], timeout=60,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    with requests.Session() as browser:
        form = browser.get(server.base_url + "/sign-in", timeout=30).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        signed_in = browser.post(server.base_url + "/sign-in", timeout=30, allow_redirects=False,
                                 data={"csrf_token": token, "name": "coordinator",
                                       "password": "a long password"})  # fmt: skip
        assert signed_in.status_code == 302, signed_in.text


def test_a_second_server_on_the_same_store_is_refused(place, server):
    second = run(place["env"], place["store"], "serve", "--port", "0", timeout=120)
    assert second.returncode == 2
    assert f"already served by 'cop-graph serve' (pid {server.process.pid}" in second.stderr


def test_the_server_removes_its_record_when_stopped_and_a_killed_ones_is_ignored(place):
    stopped = Server(place)
    stopped.stop()
    assert stopped.process.returncode == 0, stopped.output()
    assert not owner_file(place["store"]).exists()

    killed = Server(place)
    killed.process.send_signal(signal.SIGKILL)
    killed.stop()
    assert json.loads(owner_file(place["store"]).read_text())["pid"] == killed.process.pid
    after = run(place["env"], place["store"], "stats")
    assert after.returncode == 0, after.stderr
    assert "working through" not in after.stderr and "waiting" not in after.stderr
    assert not owner_file(place["store"]).exists()


def lines_of(stream) -> queue.Queue:
    """The lines of ``stream`` as they come, read by a thread so that a test can wait for one
    with a time limit."""
    lines: queue.Queue = queue.Queue()

    def read():
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_a_write_command_waits_for_another_and_says_what_it_waits_for(place):
    env, store = place["env"], place["store"]
    data = Path(__file__).parent / "data" / "community-valid.ttl"
    holder = subprocess.Popen(
        [sys.executable, "-c", HELD_LOAD, "--store", str(store), "load", str(data)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    waiting = None
    try:
        assert holder.stdout.readline() == "holding\n", holder.stderr.read()
        assert read_owner(store).command == "cop-graph load"

        impatient = run(env, store, "--wait", "0.5", "import", str(place["workbook"]))
        assert impatient.returncode == 2
        assert f"still held by 'cop-graph load' (pid {holder.pid}" in impatient.stderr

        waiting = subprocess.Popen(
            [str(BIN / "cop-graph"), "--store", str(store), "--wait", "120", "import",
             str(place["workbook"])],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        said = lines_of(waiting.stderr).get(timeout=120)
        assert f"held by 'cop-graph load' (pid {holder.pid}" in said
        assert "waiting up to 120 s" in said

        holder.stdin.write("go on\n")
        holder.stdin.flush()
        assert holder.wait(timeout=120) == 0, holder.stderr.read()
        assert waiting.wait(timeout=120) == 0
        assert "saved" in waiting.stdout.read()
    finally:
        for process in (holder, waiting):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=30)
    graphs = run(env, store, "graphs").stdout
    assert "load/community-valid" in graphs and "import/halliwell" in graphs
