"""Serve a Flask app with waitress on 127.0.0.1 in a background thread, for real-client tests.

Real clients (SPARQLWrapper, rdflib's SPARQLStore, plain HTTP) then talk to the app over a
socket exactly as they would in production, threads and all.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from waitress import wasyncore
from waitress.server import create_server

__all__ = ["CANARY_SECRETS", "live_server", "public_test_store"]


@contextmanager
def live_server(app, threads: int = 8) -> Iterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1; yields its base URL (no trailing slash)."""
    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # close the sockets from the loop's own thread, between two waits (closed from here,
        # the wait under way fails with "bad file descriptor"); the loop then ends by itself
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()


#: the canary's private details: none of these may ever appear in a public answer
CANARY_SECRETS = ("Zebedee", "zebedee.canary@example.org")


def public_test_store(path: Path, demo_nquads: bytes, w3c_graphs: bool = True):
    """An on-disk store with the demo data, a canary loaded as an RDF file (as ``cop-graph load``
    does), and (unless ``w3c_graphs`` is false) the W3C protocol tests' three small graphs."""
    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from cop_graph.ingest.load import load_files
    from cop_graph.store import Change
    from cop_graph.store.oxigraph import OxigraphStore

    store = OxigraphStore(path)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    load_files(store, [Path(__file__).parent / "examples" / "canary.ttl"], check=False)
    if not w3c_graphs:
        return store
    graphs = {}
    for n in (1, 2, 3):
        name = URIRef(f"http://kasei.us/2009/09/sparql/data/data{n}.rdf")
        graphs[name] = Graph().parse(Path(__file__).parent / "examples" / f"w3c-data{n}.nt")
    store.commit(Change(put=graphs))
    return store
