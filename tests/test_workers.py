"""Past one machine, end to end: ``cop-graph init`` on Virtuoso, then two app workers (two
``cop-graph serve`` processes) over that one engine, sharing the data folder (accounts,
sessions, secret key), with 32 clients reading and 2 writers importing workbooks at once.

Nothing may fail and nothing may be lost: every page answers, every import is saved, and
every imported community is in the engine afterwards, seen by both workers. The engine is a
Virtuoso of its own with a deployment's row cap (the shared test server's is small on
purpose, see tests/virtuoso_server.py), started once for this module.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from virtuoso_server import VirtuosoServer, find_virtuoso, running_virtuoso
from workbooks import GOOD, xlsx

from cop_graph import resources
from cop_graph.config import load_settings
from cop_graph.namespaces import GRAPH
from cop_graph.queries.catalogue import graph_iri
from cop_graph.store.accounts import Accounts
from cop_graph.store.remote import open_remote

pytestmark = pytest.mark.remote

PASSWORD = "a long enough secret"
WRITERS = ("sam", "alex")
IMPORTS_EACH = 1
READERS = 32
#: pages the readers ask for, in turn: the home page and its map, lists, a place (its page
#: and its data), a community, a search
PAGES = [
    "/",
    "/communities",
    "/places",
    "/id/place/bolton-astley-bridge",
    "/id/place/bolton-astley-bridge.ttl",
    "/search?q=walk",
]
GEO_AS_WKT = URIRef("http://www.opengis.net/ont/geosparql#asWKT")


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Iterator[VirtuosoServer]:
    programs = find_virtuoso()
    if programs is None:
        message = "Virtuoso is not installed; install it with: make virtuoso"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with running_virtuoso(programs, tmp_path_factory.mktemp("engine"), 10_000_000) as server:
        yield server


@dataclass
class Site:
    environment: dict[str, str]
    data: Path
    init: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def site(engine, tmp_path_factory) -> Site:
    """``cop-graph init`` run on the engine as a new user would, with a data folder that every
    worker of the site is given."""
    data = tmp_path_factory.mktemp("site")
    environment = {
        **os.environ,
        "COP_GRAPH_DATA": str(data),
        "COP_GRAPH_STORE": engine.query_url,
        "COP_GRAPH_STORE_ENGINE": "virtuoso",
        # two cores shared by 32 readers, two writers and the engine: slow, but never an error
        "COP_GRAPH_QUERY_TIMEOUT": "120",
        "COP_GRAPH_RATE_LIMIT_EXEMPT": "127.0.0.1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "cop_graph", "init"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return Site(environment, data, done)


def test_init_on_virtuoso_saves_every_graph_with_its_place_shapes_as_loaded(site, demo_nquads):
    assert site.init.returncode == 0, site.init.stderr[-2000:]
    expected = _graphs_of(demo_nquads)
    settings = load_settings(site.environment)
    with open_remote(settings.store, settings) as store:
        for name in ("ontology", "shapes", "reference", "demo"):
            held = store.graph(GRAPH[name])
            assert isomorphic(held, expected[GRAPH[name]]), name
        places = Graph().parse(resources.folder("data") / "reference" / "places.ttl")
        shapes = set(places.triples((None, GEO_AS_WKT, None)))
        assert len(shapes) == 230
        assert set(store.graph(GRAPH.reference).triples((None, GEO_AS_WKT, None))) == shapes


def _graphs_of(nquads: bytes) -> dict[URIRef, Graph]:
    import pyoxigraph as ox

    from cop_graph.files.terms import to_rdflib

    graphs: dict[URIRef, Graph] = {}
    for quad in ox.parse(nquads, ox.RdfFormat.N_QUADS):
        graph = graphs.setdefault(URIRef(quad.graph_name.value), Graph())
        graph.add(tuple(to_rdflib(term) for term in (quad.subject, quad.predicate, quad.object)))
    return graphs


class Worker:
    """One ``cop-graph serve`` process of the site, on a port of its own."""

    def __init__(self, site: Site):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cop_graph", "serve", "--port", "0"],
            env=site.environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.said: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._listen, daemon=True).start()
        self.url = self._address()

    def _listen(self) -> None:
        for line in self.process.stdout:
            self.said.put(line)

    def _address(self) -> str:
        said = []
        while True:
            try:
                line = self.said.get(timeout=120)
            except queue.Empty:
                raise AssertionError(f"the worker did not start: {''.join(said)}") from None
            said.append(line)
            found = re.search(r"on (http://[^/]+)/", line)
            if found:
                return found.group(1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def workbook(writer: str, number: int) -> tuple[str, bytes]:
    """A workbook holding one community of its own (and its member), and its file name."""
    name = f"Workers test {writer} {number}"
    person = f"Person {writer} {number}"
    sheets = {
        **GOOD,
        "Communities": [
            GOOD["Communities"][0],
            [f"{writer}-{number}", name, *GOOD["Communities"][1][2:]],
        ],
        "People": [
            GOOD["People"][0],
            [f"{writer}-p{number}", person, f"{writer}{number}@example.org", "no"],
        ],
        "Memberships": [GOOD["Memberships"][0], [name, person, "Community keeper", "01/02/2024"]],
        "Progress": [GOOD["Progress"][0], [name, "1", "In progress", "2025-01-01", "Agreed."]],
    }
    return f"workers-{writer}-{number}.xlsx", xlsx(sheets)


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=120).text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_two_workers_serve_32_readers_and_2_writers_at_once_losing_nothing(site):
    assert site.init.returncode == 0, site.init.stderr[-2000:]
    accounts = Accounts(load_settings(site.environment).accounts)
    for name in WRITERS:
        if accounts.get(name) is None:
            accounts.add(name, PASSWORD)
    workers = []
    try:
        started = time.monotonic()
        for _ in range(2):
            workers.append(Worker(site))
        print(f"workers started in {time.monotonic() - started:.1f} s")
        failures: list[str] = []
        reads = [0] * READERS
        writing_done = threading.Event()

        def read(reader: int) -> None:
            with requests.Session() as session:
                turn = 0
                while not writing_done.is_set() or turn < len(PAGES):
                    worker = workers[(reader + turn) % 2]
                    page = PAGES[(reader + turn) % len(PAGES)]
                    try:
                        answer = session.get(worker.url + page, timeout=120)
                        if answer.status_code != 200:
                            failures.append(f"{page}: status {answer.status_code}")
                            if answer.status_code >= 500:
                                failures.append(answer.text[-1000:])
                    except requests.RequestException as error:
                        failures.append(f"{page}: {error}")
                    reads[reader] += 1
                    turn += 1

        def write(writer: int) -> None:
            name, worker = WRITERS[writer], workers[writer]
            with requests.Session() as session:
                form = {"csrf_token": csrf_token(session, worker.url + "/sign-in")}
                signed_in = session.post(
                    worker.url + "/sign-in",
                    data={**form, "name": name, "password": PASSWORD},
                    timeout=120,
                    allow_redirects=False,
                )
                if signed_in.status_code != 302:
                    failures.append(f"{name} could not sign in: status {signed_in.status_code}")
                    return
                for number in range(IMPORTS_EACH):
                    filename, data = workbook(name, number)
                    answer = session.post(
                        worker.url + "/imports",
                        data={"csrf_token": csrf_token(session, worker.url + "/imports")},
                        files={"workbook": (filename, data)},
                        headers={"Accept": "application/json"},
                        timeout=600,
                    )
                    if answer.status_code != 200 or not answer.json().get("ok"):
                        failures.append(f"{filename}: {answer.status_code} {answer.text[:500]}")
                # the other worker knows the session: any worker answers any request
                listed = session.get(workers[1 - writer].url + "/api/imports", timeout=120)
                if listed.status_code != 200:
                    failures.append(f"{name}'s session on the other worker: {listed.status_code}")

        readers = [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
        writers = [threading.Thread(target=write, args=(n,)) for n in range(len(WRITERS))]
        for thread in readers + writers:
            thread.start()
        for thread in writers:
            thread.join()
        print(f"writers done in {time.monotonic() - started:.1f} s, {sum(reads)} reads")
        writing_done.set()
        for thread in readers:
            thread.join()

        said = "".join(
            line
            for worker in workers
            for line in list(worker.said.queue)
            if "Task queue depth" not in line  # waitress: more requests than threads
        )
        assert failures == [], said[-8000:]
        assert min(reads) >= len(PAGES)
        settings = load_settings(site.environment)
        with open_remote(settings.store, settings) as store:
            graphs = set(store.named_graphs())
            for name in WRITERS:
                for number in range(IMPORTS_EACH):
                    graph = graph_iri(f"import/workers-{name}-{number}")
                    assert graph in graphs
                    wanted = Literal(f"Workers test {name} {number}")
                    found = "ASK { ?community rdfs:label ?label FILTER(STR(?label) = ?wanted) }"
                    assert store.query(found, {"wanted": wanted})
        for worker in workers:  # both see every import
            with requests.Session() as session:
                form = {"csrf_token": csrf_token(session, worker.url + "/sign-in")}
                form.update(name="sam", password=PASSWORD)
                session.post(worker.url + "/sign-in", data=form, timeout=120)
                listed = session.get(worker.url + "/api/imports", timeout=120).text
                for name in WRITERS:
                    for number in range(IMPORTS_EACH):
                        assert f"workers-{name}-{number}.xlsx" in listed
    finally:
        for worker in workers:
            worker.stop()
