"""One owner of the on-disk store, the others through it or after it: the owner record, waiting
for a store another command holds, working through a server's store API, and that API's door.

These run in one process (RocksDB refuses a second opener in the same process too) and with a
real waitress server on a free port; ``test_cli_live.py`` does the same with real commands.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading

import pytest
import requests
from rdflib import Literal
from rdflib.namespace import RDFS
from store_api_server import serving_store_api
from workbooks import GOOD, xlsx

from cop_graph.ingest.importer import import_workbook
from cop_graph.namespaces import GRAPH, ID
from cop_graph.store import Change
from cop_graph.store.base import StoreInUse
from cop_graph.store.owner import Claim, open_owned, owner_file, read_owner
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.store.remote import RemoteStore

THING = ID["community/test-thing"]
TEST_GRAPH = GRAPH["test-owner"]


def quiet(_message: str) -> None:
    """A ``say`` that keeps what it is told to itself."""


def opened_by(path, command="cop-graph import", **options):
    return open_owned(path, command, wait=options.pop("wait", 0), say=quiet, **options)


# -- the owner record -------------------------------------------------------------------------


def test_the_holder_writes_a_record_only_its_user_can_read_and_removes_it(tmp_path):
    path = tmp_path / "store"
    opened = opened_by(path, "cop-graph load")
    record_file = owner_file(path)
    assert record_file == tmp_path / "store.owner.json"
    assert stat.S_IMODE(record_file.stat().st_mode) == 0o600
    written = json.loads(record_file.read_text())
    assert written["pid"] == os.getpid()
    assert written["command"] == "cop-graph load"
    assert written["token"] is None
    assert read_owner(path).command == "cop-graph load"
    opened.close()
    assert not record_file.exists()


def test_a_record_of_a_process_that_is_gone_is_ignored_and_replaced(tmp_path):
    path = tmp_path / "store"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    owner_file(path).write_text(json.dumps(
        {"pid": int(gone.stdout), "command": "cop-graph serve", "since": "2025-01-01T00:00:00",
         "api": "http://127.0.0.1:9/_store/query", "token": "old"}))  # fmt: skip
    assert read_owner(path) is None
    opened = opened_by(path)
    assert read_owner(path).pid == os.getpid()
    opened.close()


def test_a_record_another_user_wrote_is_not_trusted(tmp_path, monkeypatch):
    claim = Claim(tmp_path / "store", "cop-graph serve")
    assert read_owner(tmp_path / "store") is not None
    monkeypatch.setattr(os, "getuid", lambda: os.stat(claim.path).st_uid + 1)
    assert read_owner(tmp_path / "store") is None


def test_releasing_leaves_a_record_another_owner_wrote_since(tmp_path):
    claim = Claim(tmp_path / "store", "cop-graph import")
    newer = Claim(tmp_path / "store", "cop-graph serve")
    claim.release()
    assert read_owner(tmp_path / "store").command == "cop-graph serve"
    newer.release()
    assert read_owner(tmp_path / "store") is None


# -- waiting for another command --------------------------------------------------------------


def test_a_second_command_waits_then_says_who_holds_the_store(tmp_path):
    path = tmp_path / "store"
    said = []
    with_holder = opened_by(path, "cop-graph import")
    try:
        with pytest.raises(StoreInUse) as refused:
            open_owned(path, "cop-graph load", wait=0.3, say=said.append)
    finally:
        with_holder.close()
    message = str(refused.value)
    assert f"still held by 'cop-graph import' (pid {os.getpid()}" in message
    assert "after 0.3 seconds" in message
    assert "--wait" in message
    assert len(said) == 1
    assert f"held by 'cop-graph import' (pid {os.getpid()}" in said[0]
    assert "waiting up to" in said[0]


def test_a_waiting_command_gets_the_store_when_the_holder_finishes(tmp_path):
    path = tmp_path / "store"
    holder = opened_by(path, "cop-graph import")
    holder.store.commit(Change(put={TEST_GRAPH: [(THING, RDFS.label, Literal("saved first"))]}))
    waiting = threading.Event()
    got = {}

    def second_command():
        got["opened"] = open_owned(
            path, "cop-graph query", wait=60, say=lambda message: waiting.set()
        )

    thread = threading.Thread(target=second_command)
    thread.start()
    assert waiting.wait(timeout=30), "the second command never said it was waiting"
    holder.close()
    thread.join(timeout=60)
    opened = got["opened"]
    try:
        assert opened.claim is not None and opened.server is None
        assert read_owner(path).command == "cop-graph query"
        assert set(opened.store.graph(TEST_GRAPH)) == {(THING, RDFS.label, Literal("saved first"))}
    finally:
        opened.close()


def test_without_a_record_the_holder_is_another_program(tmp_path):
    path = tmp_path / "store"
    with OxigraphStore(path), pytest.raises(StoreInUse, match="still held by another program"):
        opened_by(path)


# -- working through a server -----------------------------------------------------------------


@pytest.fixture
def served(tmp_path):
    """A store held by this process as ``cop-graph serve``, its store API open and published."""
    path = tmp_path / "store"
    holder = opened_by(path, "cop-graph serve", memory_reads=True)
    holder.store.commit(Change(put={TEST_GRAPH: [(THING, RDFS.label, Literal("on the server"))]}))
    with serving_store_api(tmp_path, store=holder.store) as api:
        holder.claim.publish(api.query_url, api.token)
        yield path, api
    holder.close()


def test_a_command_finding_a_server_works_through_it_and_says_so(served):
    path, api = served
    said = []
    opened = open_owned(path, "cop-graph query", wait=0, say=said.append)
    try:
        assert isinstance(opened.store, RemoteStore) and opened.claim is None
        assert said == [
            f"The store is held by the running server (pid {os.getpid()}); working through it."
        ]
        assert set(opened.store.graph(TEST_GRAPH)) == {
            (THING, RDFS.label, Literal("on the server"))
        }
        opened.store.commit(Change(put={TEST_GRAPH: [(THING, RDFS.label, Literal("replaced"))]}))
        assert set(api.store.graph(TEST_GRAPH)) == {(THING, RDFS.label, Literal("replaced"))}
        assert set(api.store.native) == set(api.store.reader), "disk and copy differ"
    finally:
        opened.close()
    assert read_owner(path).api == api.query_url, "a command through the server took the record"


def test_serve_refuses_a_store_another_server_holds(served):
    path, _ = served
    with pytest.raises(StoreInUse, match=r"already served by 'cop-graph serve' \(pid"):
        open_owned(path, "cop-graph serve", wait=5, say=quiet, through_server=False)


def test_a_server_that_does_not_answer_is_waited_for(tmp_path):
    path = tmp_path / "store"
    holder = opened_by(path, "cop-graph serve")
    holder.claim.publish("http://127.0.0.1:9/_store/query", "token")  # nothing listens there
    said = []
    try:
        with pytest.raises(StoreInUse, match="still held by 'cop-graph serve'"):
            open_owned(path, "cop-graph query", wait=0.2, say=said.append)
    finally:
        holder.close()
    assert "does not answer at http://127.0.0.1:9/_store/query" in said[0]


# -- the store API's door, and its writes showing at once -------------------------------------


def test_the_store_api_wants_the_token(served, caplog):
    _, api = served
    url = api.query_url
    nothing = requests.post(url, data={"query": "ASK {}"}, timeout=10)
    assert nothing.status_code == 401
    assert nothing.headers["WWW-Authenticate"].startswith("Bearer")
    assert nothing.json()["ok"] is False
    wrong = requests.post(url, data={"query": "ASK {}"}, timeout=10,
                          headers={"Authorization": "Bearer " + "x" * len(api.token)})  # fmt: skip
    assert wrong.status_code == 403
    with api.session() as session:
        assert session.post(url, data={"query": "ASK {}"}, timeout=10).status_code == 200
        bad = session.post(url, data={"query": "SELECT nonsense"}, timeout=10)
        assert bad.status_code == 400 and "error" in bad.json()
        update = api.query_url.replace("/query", "/update")
        refused = session.post(update, data=b"DROP nonsense", timeout=10,
                               headers={"Content-Type": "application/sparql-update"})  # fmt: skip
        assert refused.status_code == 400
        odd_graph = session.get(api.query_url.replace("/query", "/store"),
                                params={"graph": "not an iri"}, timeout=10)  # fmt: skip
        assert odd_graph.status_code == 400
    assert api.token not in caplog.text


def test_an_app_given_no_token_has_no_store_api(client):
    response = client.post("/_store/query", data={"query": "ASK {}"},
                           headers={"Authorization": "Bearer anything"})  # fmt: skip
    assert response.status_code == 404


def test_uploads_through_the_api_are_not_held_to_the_browsers_limit(tmp_path):
    small_limit = 10_000
    with serving_store_api(tmp_path, max_upload_bytes=small_limit) as api:
        triples = [(ID[f"thing/{n}"], RDFS.label, Literal(f"thing number {n}")) for n in range(500)]
        with api.session() as session:
            api.client(session).commit(Change(put={TEST_GRAPH: triples}))
        assert api.store.count(TEST_GRAPH) == 500


def test_an_import_through_the_api_shows_on_the_pages_at_once(demo_store, tmp_path):
    with serving_store_api(tmp_path, store=demo_store) as api, api.session() as session:
        before = requests.get(f"{api.base_url}/api/", timeout=30).json()["counts"]
        page = f"{api.base_url}/id/community/halliwell-walkers"
        assert requests.get(page, timeout=30).status_code == 404
        ask = {"query": f"ASK {{ <{ID['community/halliwell-walkers']}> ?p ?o }}"}
        asked = f"{api.base_url}/sparql"
        json_results = {"Accept": "application/sparql-results+json"}
        assert (
            requests.get(asked, params=ask, headers=json_results, timeout=30).json()["boolean"]
            is False
        )
        result = import_workbook(api.client(session), xlsx(GOOD), filename="good.xlsx")
        assert result.triples > 0
        after = requests.get(f"{api.base_url}/api/", timeout=30).json()["counts"]
        assert after["communities"] == before["communities"] + 1
        shown = requests.get(page, timeout=30)
        assert shown.status_code == 200 and "Halliwell walkers" in shown.text
        assert requests.get(asked, params=ask, headers=json_results, timeout=30).json()["boolean"]


def test_a_dataset_of_many_graphs_goes_through_the_api(served):
    path, _ = served
    opened = open_owned(path, "cop-graph query", wait=0, say=quiet)
    try:
        many = [GRAPH[f"test-{n}"] for n in range(1500)] + [TEST_GRAPH]
        found = opened.store.query("SELECT ?label { ?thing rdfs:label ?label }", default_graph=many)
        assert [str(row[0]) for row in found] == ["on the server"]
    finally:
        opened.close()
