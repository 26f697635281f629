"""A public endpoint cannot be turned against the server: no outbound requests, no local files,
runaway queries really stopped, and many clients at once served without errors."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
import requests
from live_server import live_server, public_test_store

from cop_graph.config import load_settings
from cop_graph.web import create_app
from cop_graph.web.state import state_of


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    received = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            received.append(connection)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join()
    server.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory, demo_nquads):
    opened = public_test_store(tmp_path_factory.mktemp("safety") / "store", demo_nquads)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def endpoint(store):
    settings = load_settings({}, store=store.location, query_timeout=2.0, rate_limits=False)
    app = create_app({"TESTING": True, "STORE": store, "SETTINGS": settings})
    with live_server(app) as url:
        yield url, app


def test_no_request_leaves_the_server_because_of_a_query(endpoint, listener):
    url, _ = endpoint
    port, received = listener
    target = f"http://127.0.0.1:{port}/sparql"
    queries = [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERV\\u0049CE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        f"ASK {{ ?s ?p ?o OPTIONAL {{ SERVICE <{target}> {{ ?s ?p ?x }} }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{target}>",
        f"LOAD <{target}> INTO GRAPH <https://w3id.org/cop-graph/id/graph/demo>",
    ]
    statuses = []
    for query in queries:
        statuses.append(requests.get(url + "/sparql", params={"query": query}, timeout=30))
        statuses.append(
            requests.post(
                url + "/sparql",
                data=query.encode(),
                headers={"Content-Type": "application/sparql-query"},
                timeout=30,
            )
        )
    statuses.append(requests.post(url + "/sparql", data={"update": f"LOAD <{target}>"}, timeout=30))
    statuses.append(
        requests.get(
            url + "/sparql",
            params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": target},
            timeout=30,
        )
    )
    time.sleep(0.5)  # give any stray request time to arrive before counting
    assert received == []
    assert all(r.status_code in (400, 403) for r in statuses[:-1]), [
        (r.status_code, r.text) for r in statuses
    ]
    assert statuses[-1].json()["results"]["bindings"] == []


@pytest.mark.parametrize("where", ["FROM", "FROM NAMED", "default-graph-uri"])
def test_local_files_are_never_read(endpoint, where):
    url, _ = endpoint
    if where == "default-graph-uri":
        params = {"query": "SELECT * WHERE { ?s ?p ?o }", where: "file:///etc/passwd"}
    else:
        params = {"query": f"SELECT * {where} <file:///etc/passwd> WHERE {{ ?s ?p ?o }}"}
    response = requests.get(url + "/sparql", params=params, timeout=30)
    assert "root:" not in response.text
    assert response.status_code in (200, 400)


BOLTON = "https://w3id.org/cop-graph/id/place/bolton"
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _running(pid: int) -> bool:
    """Whether process ``pid`` is still there and not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def test_a_runaway_query_is_stopped_while_others_are_answered(endpoint):
    url, app = endpoint
    requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30)  # workers started
    runner = state_of(app).endpoint.runner
    slow: dict = {}

    def run_cross_join():
        started = time.monotonic()
        slow["response"] = requests.get(url + "/sparql", params={"query": CROSS_JOIN}, timeout=60)
        slow["seconds"] = time.monotonic() - started

    # every worker seen while the cross join runs, watched from its start (on a busy machine
    # the simple question can take long enough for the runaway worker to be replaced already)
    workers_while_running: set[int] = set()
    watching = threading.Event()
    watching.set()

    def watch_workers():
        while watching.is_set():
            workers_while_running.update(worker.pid for worker in list(runner._workers))
            time.sleep(0.01)

    watcher = threading.Thread(target=watch_workers)
    watcher.start()
    thread = threading.Thread(target=run_cross_join)
    thread.start()
    simple = requests.get(
        url + "/sparql",
        params={"query": f"SELECT ?name WHERE {{ <{BOLTON}> rdfs:label ?name }}"},
        timeout=30,
    )
    answered_while_running = "response" not in slow
    thread.join()
    watching.clear()
    watcher.join()
    assert simple.status_code == 200 and "Bolton" in simple.text
    assert answered_while_running
    assert slow["response"].status_code == 503
    assert "limit and was stopped" in slow["response"].json()["error"]
    # the work really stopped: the worker running it was killed, not left to finish
    deadline = time.monotonic() + 10
    gone = [pid for pid in workers_while_running if not _running(pid)]
    while not gone and time.monotonic() < deadline:
        time.sleep(0.05)
        gone = [pid for pid in workers_while_running if not _running(pid)]
    assert len(gone) == 1, (workers_while_running, gone)
    assert all(_running(worker.pid) for worker in runner._workers)
    assert not any(name.startswith(f"{gone[0]}-") for name in os.listdir(runner._spool_dir))
    print(f"cross join answered 'stopped' after {slow['seconds']:.2f} s (limit 2 s)")
    # and the endpoint keeps answering afterwards
    again = requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30)
    assert again.status_code == 200


def test_the_query_processes_have_no_network(endpoint):
    url, app = endpoint
    requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30)
    runner = state_of(app).endpoint.runner
    if not runner.isolated:
        pytest.skip("this system does not let a process leave the network")
    holder = runner._holder.process.pid
    assert os.readlink(f"/proc/{holder}/ns/net") != os.readlink("/proc/self/ns/net")


MIXED = [
    ("GET", {"query": "SELECT * WHERE { ?s a cop:CommunityOfPurpose } LIMIT 5"}, None),
    ("GET", {"query": "ASK { ?s ?p ?o }", "format": "xml"}, None),
    ("GET", {"query": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"}, "text/csv"),
    ("GET", {"query": "DESCRIBE <https://w3id.org/cop-graph/id/place/bolton>"}, "text/turtle"),
    ("POST", {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 50"}, None),
    ("GET", {"query": "SELECT * WHERE { ?s ?p }"}, None),  # malformed: a 400, never a 5xx
]


def test_thirty_two_clients_from_a_cold_start_get_no_server_errors(store):
    from cop_graph import queries

    examples = [queries.get(name).text for name in queries.names("examples")]
    mixed = MIXED + [("GET", {"query": text}, None) for text in examples[:8]]
    settings = load_settings({}, store=store.location, rate_limits=False)
    app = create_app({"TESTING": True, "STORE": store, "SETTINGS": settings})
    statuses: list[int] = []
    lock = threading.Lock()
    with live_server(app, threads=8) as url:
        start = threading.Barrier(32)

        def client(n: int):
            start.wait()
            for k in range(2):
                method, params, accept = mixed[(n * 2 + k) % len(mixed)]
                headers = {"Accept": accept} if accept else {}
                if method == "GET":
                    r = requests.get(url + "/sparql", params=params, headers=headers, timeout=120)
                else:
                    r = requests.post(url + "/sparql", data=params, headers=headers, timeout=120)
                with lock:
                    statuses.append(r.status_code)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(32)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    state_of(app).endpoint.runner.close()
    assert len(statuses) == 64
    assert [s for s in statuses if s >= 500] == []
    assert set(statuses) <= {200, 400}
