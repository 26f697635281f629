"""``cop-graph analyse`` while a site holds the store: it asks the site and prints its answer.

The site here is the real app served by waitress on 127.0.0.1, holding an on-disk store with
the demo data, with the owner record a ``cop-graph serve`` writes (this test process is the
owner). Each test compares with what the command prints on its own, on the same store.
"""

from __future__ import annotations

import os
import pty
import secrets
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask import request
from live_server import live_server

from cop_graph.analysis import reports
from cop_graph.cli import cli
from cop_graph.config import load_settings
from cop_graph.ingest.load import load_files
from cop_graph.store.owner import Claim
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app
from cop_graph.web.store_api import authorise

EXAMPLES = Path(__file__).parent / "examples"
COMMAND = Path(sys.executable).with_name("cop-graph")
#: commands whose answers are compared: tables, JSON, CSV and options
COMMANDS = [
    ("brokers", "--top", "5"),
    ("clusters", "--format", "json"),
    ("gaps", "--locality", "Wigan", "--format", "csv"),
    ("shared-practice", "--level", "locality", "--format", "json"),
]


#: graph files --export writes
EXPORTS = [("brokers", "--export", "graphml"), ("gaps", "--export", "csv", "--level", "locality")]


@pytest.fixture
def store_path(demo_nquads, tmp_path) -> Path:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    store.close()
    return path


def analyse(store_path: Path, *args: str):
    return CliRunner().invoke(cli, ["--store", str(store_path), "--wait", "0", "analyse", *args])


@pytest.fixture
def alone(store_path) -> dict:
    """What each command prints on its own (no site)."""
    printed = {}
    for args in [*COMMANDS, *EXPORTS]:
        result = analyse(store_path, *args)
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
        printed[args] = result.stdout
    return printed


class Site:
    """The app serving the store, with the owner record and token ``cop-graph serve`` makes,
    and the paths of the requests it answered."""

    def __init__(self, store_path: Path, show_illustrative: bool = True):
        self.store = OxigraphStore(store_path)
        settings = load_settings({}, store=str(store_path), show_illustrative=show_illustrative)
        self.app = create_app({"STORE": self.store, "SETTINGS": settings})
        self.token = secrets.token_urlsafe(32)
        authorise(self.app, self.token)
        self.asked: list[str] = []

        @self.app.after_request
        def seen(response):
            self.asked.append(request.path)
            return response

        self.claim = Claim(store_path, "cop-graph serve")


@pytest.fixture
def site(store_path, alone):
    running = Site(store_path)
    with live_server(running.app) as url:
        running.claim.publish(f"{url}/_store/query", running.token)
        yield running
    running.claim.release()
    running.store.close()


def test_the_command_prints_the_sites_answer_as_it_prints_its_own(store_path, alone, site):
    for args in COMMANDS:
        result = analyse(store_path, *args)
        assert result.exit_code == 0, result.output
        assert result.stdout == alone[args], args
        assert result.stderr == ""
    assert site.asked == [f"/_store/analysis/{args[0]}" for args in COMMANDS]
    # nothing read through the store API: the site's graphs gave every answer
    assert not any(path == "/_store/query" for path in site.asked)


def test_exports_come_from_the_site_too(store_path, alone, site):
    for args in EXPORTS:
        result = analyse(store_path, *args)
        assert result.exit_code == 0, result.output
        assert result.stdout == alone[args], args
    assert site.asked == [f"/_store/analysis/{args[0]}/graph.{args[2]}" for args in EXPORTS]


def test_the_site_remembers_an_answer_until_the_data_changes(store_path, alone, site, monkeypatch):
    worked_out = []
    run = reports.run

    def counted(*args, **kwargs):
        worked_out.append(args[1])
        return run(*args, **kwargs)

    monkeypatch.setattr(reports, "run", counted)
    for _ in range(2):
        again = analyse(store_path, "brokers", "--top", "5")
        assert again.stdout == alone[COMMANDS[0]]
    assert worked_out == ["brokers"]
    load_files(site.store, [EXAMPLES / "canary.ttl"], check=False)
    changed = analyse(store_path, "brokers", "--top", "5")
    assert changed.exit_code == 0, changed.output
    assert worked_out == ["brokers", "brokers"]


def test_the_site_answers_every_public_graph_even_when_its_pages_hide_invented_data(
    store_path, alone
):
    running = Site(store_path, show_illustrative=False)
    try:
        with live_server(running.app) as url:
            running.claim.publish(f"{url}/_store/query", running.token)
            brokers = analyse(store_path, "brokers", "--top", "5")
            shown = running.app.test_client().get("/api/analysis/brokers?top=5").get_json()
    finally:
        running.claim.release()
        running.store.close()
    assert brokers.exit_code == 0, brokers.output
    assert brokers.stdout == alone[COMMANDS[0]]
    assert "(illustrative)" in brokers.stdout
    # the site's own pages leave the demo (all invented) out
    assert shown["communities"] == []


def test_a_usage_error_from_the_site_reads_as_the_commands_own(store_path, site):
    result = analyse(store_path, "brokers", "--top", "many")
    assert result.exit_code == 2
    assert result.stderr == 'Error: the option "top" must be a whole number, not "many"\n'
    unknown = analyse(store_path, "nothing-like-it")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith('Error: there is no analysis "nothing-like-it"; choose one')
    assert "/_store/analysis/nothing-like-it" in site.asked


def test_a_site_that_does_not_answer_is_said_and_the_command_works_it_out(store_path, alone):
    running = Site(store_path)
    with live_server(running.app) as url:
        running.claim.publish(f"{url}/_store/query", running.token)
    running.store.close()  # the record stays, its process alive; the server is gone
    try:
        result = analyse(store_path, "brokers", "--top", "5")
    finally:
        running.claim.release()
    assert result.exit_code == 0, result.output
    assert result.stdout == alone[COMMANDS[0]]
    assert result.stderr.startswith(
        "Asked the running site (pid "
    ) and result.stderr.rstrip().endswith("working it out here instead.")
    assert running.token not in result.output


def test_a_site_that_fails_is_said_and_the_command_works_it_out(store_path, alone, monkeypatch):
    running = Site(store_path)

    def broken(*args, **kwargs):
        raise RuntimeError("the analysis broke")

    monkeypatch.setattr("cop_graph.web.analysis.command_line_answer", broken)
    with live_server(running.app) as url:
        running.claim.publish(f"{url}/_store/query", running.token)
        result = analyse(store_path, "clusters", "--format", "json")
    running.claim.release()
    running.store.close()
    assert result.exit_code == 0, result.output
    assert result.stdout == alone[COMMANDS[1]]
    assert "but it answered 500; working it out here instead." in result.stderr
    assert running.token not in result.output


def test_the_token_is_never_printed(store_path, alone, site):
    for args in [*COMMANDS, ("brokers", "--top", "0"), ("nothing-like-it",)]:
        result = analyse(store_path, *args)
        assert site.token not in result.output
        assert site.token not in result.stderr


def test_without_the_token_the_site_gives_no_answer(site):
    import requests

    url = site.claim.owner.api.removesuffix("query") + "analysis/brokers"
    assert requests.get(url, timeout=10).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert requests.get(url, headers=wrong, timeout=10).status_code == 403


def _on_a_terminal(store_path: Path, *args: str) -> tuple[int, bytes, bytes]:
    """``cop-graph analyse`` with stdout piped and stderr on a pseudo-terminal."""
    env = dict(os.environ, TERM="xterm", COLUMNS="100", NO_COLOR="1")
    env.pop("COP_GRAPH_STORE", None)
    command = [str(COMMAND), "--store", str(store_path), "analyse", *args]
    parent, child = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=child, env=env)
    os.close(child)
    stdout = process.stdout.read()
    process.wait(timeout=120)
    seen = []
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        seen.append(chunk)
    os.close(parent)
    return process.returncode, stdout, b"".join(seen)


def test_on_a_terminal_the_command_shows_its_steps_alone_and_via_the_site(store_path, alone):
    code, out, err = _on_a_terminal(store_path, "brokers", "--top", "5")
    assert code == 0, err
    assert out.decode() == alone[COMMANDS[0]]
    for step in (b"Reading the data into a graph", b"Linking communities", b"Running Brokers"):
        assert step in err
    running = Site(store_path)
    try:
        with live_server(running.app) as url:
            running.claim.publish(f"{url}/_store/query", running.token)
            code, out, err = _on_a_terminal(store_path, "brokers", "--top", "5")
    finally:
        running.claim.release()
        running.store.close()
    assert code == 0, err
    assert out.decode() == alone[COMMANDS[0]]
    assert b"Asking the running site" in err and b"Reading the data" not in err
    assert running.token.encode() not in err


def test_the_answer_comes_gzipped_to_clients_that_take_it_and_plain_to_others(alone, site):
    import requests

    url = site.claim.owner.api.removesuffix("query") + "analysis/brokers"
    asked = {"top": "5", "format": "table"}
    for encoding, sent in (("gzip", "gzip"), ("identity", None)):
        headers = {"Authorization": f"Bearer {site.token}", "Accept-Encoding": encoding}
        answer = requests.get(url, params=asked, headers=headers, timeout=30)
        assert answer.status_code == 200
        assert answer.headers.get("Content-Encoding") == sent
        assert answer.text == alone[COMMANDS[0]]
