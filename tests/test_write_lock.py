"""Writers sharing one SPARQL server take turns (cop_graph/store/write_lock.py): two commits at
once never merge where one should replace, a writer that died does not block the others for
ever, and a writer kept waiting too long is told why."""

from __future__ import annotations

import threading

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDFS
from sparql_stand_in import StandIn, serving_stand_in

from cop_graph.errors import StoreError
from cop_graph.namespaces import GRAPH, ID
from cop_graph.store import CATALOGUE, Change
from cop_graph.store.remote import RemoteStore
from cop_graph.store.write_lock import LOCK_GRAPH

SHARED = GRAPH["test-shared"]


def version(writer: int) -> set[tuple]:
    return {(ID[f"thing/{writer}-{i}"], RDFS.label, Literal(f"writer {writer}")) for i in range(50)}


def record(writer: int) -> Graph:
    graph = Graph()
    graph.add((SHARED, DCTERMS.title, Literal(f"version of writer {writer}")))
    return graph


def lock_entries(server: StandIn) -> int:
    return len(list(server.store.quads_for_pattern(None, None, None, ox.NamedNode(LOCK_GRAPH))))


def test_two_writers_creating_one_graph_at_once_end_with_one_whole_version():
    with serving_stand_in(StandIn()) as server:
        stores = [RemoteStore(server.url) for _ in range(2)]  # two workers, two sessions
        start, errors = threading.Barrier(2), []

        def write(writer: int):
            start.wait()
            try:
                change = Change(put={SHARED: version(writer)}, catalogue=record(writer))
                stores[writer].commit(change)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        held = set(stores[0].graph(SHARED))
        assert held in (version(0), version(1))  # replaced, never merged
        titles = list(stores[0].graph(CATALOGUE).objects(SHARED, DCTERMS.title))
        assert titles == [next(iter(record(0 if held == version(0) else 1).objects()))]
        assert lock_entries(server) == 0
        for store in stores:
            store.close()


def test_a_writer_waits_for_the_lock_then_gives_up_saying_why():
    with serving_stand_in(StandIn()) as server:
        holder, waiter = RemoteStore(server.url), RemoteStore(server.url)
        waiter.write_lock.wait = 0.5
        with holder.write_lock.held():
            with pytest.raises(StoreError, match="another writer has held the store's write lock"):
                waiter.commit(Change(put={SHARED: version(1)}))
            assert waiter.write_lock.pauses > 0
            assert lock_entries(server) == 1  # the holder's; the waiter took its own away
        assert lock_entries(server) == 0
        waiter.commit(Change(put={SHARED: version(1)}))
        assert set(waiter.graph(SHARED)) == version(1)


def test_a_dead_writers_entry_is_taken_away_once_older_than_the_lease(caplog):
    with serving_stand_in(StandIn()) as server, RemoteStore(server.url) as store:
        server.store.add(
            ox.Quad(
                ox.NamedNode("urn:uuid:dead"),
                ox.NamedNode("urn:x-cop-graph:write-lock-since"),
                ox.Literal(
                    "2020-01-01T00:00:00Z",
                    datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime"),
                ),
                ox.NamedNode(LOCK_GRAPH),
            )
        )
        store.write_lock.wait = 5
        store.commit(Change(put={SHARED: version(0)}))
        assert set(store.graph(SHARED)) == version(0)
        assert lock_entries(server) == 0
        assert "was older than 1800 s and was taken away" in caplog.text
