"""Fixtures shared by the whole test suite, one section per area.

- stores: one store contract, three backends (in memory, on disk, a remote SPARQL server),
  and the on-disk store worked on through a running app's store owner API
- data: stores holding the ontology, shapes and reference data (and the demo), built once
  per session and copied into a fresh store for each test that wants one
- web: the Flask ``app`` and its test ``client`` over the full demo store
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
import pytest
from oxigraph_server import OxigraphServer, find_oxigraph, running_oxigraph
from store_api_server import StoreApi, serving_store_api
from virtuoso_server import VirtuosoServer, find_virtuoso, running_virtuoso

from cop_graph.store import Change, Store
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.store.remote import RemoteStore


@pytest.fixture(scope="session", autouse=True)
def data_folder_of_tests(tmp_path_factory) -> Iterator[Path]:
    """The user's data folder (where the app keeps its secret key, and the accounts and store
    when no setting names them) moved to a temporary one, for the tests and the commands they
    start: a test run never writes into the real one."""
    folder = tmp_path_factory.mktemp("xdg-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(folder))
        patch.delenv("COP_GRAPH_DATA", raising=False)
        yield folder / "cop-graph"


# -- stores ------------------------------------------------------------------------------------

#: every backend the ``store`` fixture gives; the remote one needs the oxigraph server
BACKENDS = [
    "memory",
    "disk",
    "disk, read from memory",
    pytest.param("remote", marks=pytest.mark.remote),
    "through the server",
]

#: the backends the store contract (tests/test_store.py) runs on: every one above, and
#: Virtuoso. The example questions give the same answers on Virtuoso too (they are run there
#: in tests/test_sparql_examples.py); the other tests of ``store`` have not been run on it,
#: so ``store`` leaves it out
CONTRACT_BACKENDS = [*BACKENDS, pytest.param("virtuoso", marks=pytest.mark.remote)]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory) -> Iterator[OxigraphServer]:
    """The oxigraph SPARQL server on 127.0.0.1, started once for the whole test run.

    A missing server program fails the remote tests rather than skipping them: CI installs
    it, and a silent skip would leave the remote backend untested.
    """
    binary = find_oxigraph()
    if binary is None:
        pytest.fail(
            "the oxigraph server program is not installed, so the remote store cannot be "
            "tested; install the test dependencies with: .venv/bin/pip install -e '.[test]'",
            pytrace=False,
        )
    with running_oxigraph(binary, tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory) -> Iterator[VirtuosoServer]:
    """OpenLink Virtuoso on 127.0.0.1, started once for the whole test run (about 4 s).

    Debian's package is installed by ``make virtuoso``. Where it could not be installed the
    Virtuoso tests are skipped with a warning, except in CI (``CI`` set), where they fail: a
    silent skip there would leave the engine untested.
    """
    programs = find_virtuoso()
    if programs is None:
        message = (
            "Virtuoso is not installed, so the remote store cannot be tested on it; install "
            "Debian's package with: make virtuoso (apt-get install virtuoso-opensource-7-bin)"
        )
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    with running_virtuoso(programs, tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


class VirtuosoDataSets:
    """Virtuoso holding one data set at a time, loaded only when a test asks for another
    (loading the demo takes seconds, most questions a fraction of one). Tests of the store
    contract empty the server between them, so what it holds is checked by a count."""

    def __init__(self, server: VirtuosoServer):
        self.server = server
        self.store = RemoteStore(server.query_url, engine="virtuoso")
        self.held: tuple[str, int] | None = None

    def holding(self, name: str, graphs: Callable[[], Mapping]) -> RemoteStore:
        """The store holding the data set ``name``, whose graphs ``graphs`` gives."""
        if self.held is None or self.held[0] != name or self.store.count() != self.held[1]:
            self.server.clear()
            self.held = None
            self.store.commit(Change(put=graphs()))
            self.held = (name, self.store.count())
        return self.store


@pytest.fixture(scope="session")
def virtuoso_data(virtuoso_server) -> Iterator[VirtuosoDataSets]:
    """Virtuoso holding a data set a test names (see :class:`VirtuosoDataSets`)."""
    data = VirtuosoDataSets(virtuoso_server)
    yield data
    data.store.close()


@pytest.fixture(scope="session")
def store_api(tmp_path_factory) -> Iterator[StoreApi]:
    """A web app holding an on-disk store, serving its store owner's API (as ``cop-graph
    serve`` does for commands run while it holds the store), started once."""
    with serving_store_api(tmp_path_factory.mktemp("store-api")) as served:
        yield served


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path) -> Iterator[Store]:
    """An empty store of each backend in turn, closed afterwards."""
    yield from _open_backend(request, tmp_path)


@pytest.fixture(params=CONTRACT_BACKENDS)
def contract_store(request, tmp_path) -> Iterator[Store]:
    """An empty store of each backend of the store contract (every one above, and Virtuoso)."""
    yield from _open_backend(request, tmp_path)


def _open_backend(request, tmp_path) -> Iterator[Store]:
    if request.param == "through the server":
        served = request.getfixturevalue("store_api")
        served.clear()
        with served.session() as session:
            yield served.client(session)
        return
    if request.param == "memory":
        opened = OxigraphStore(None)
    elif request.param == "disk":
        opened = OxigraphStore(tmp_path / "store")
    elif request.param == "disk, read from memory":
        opened = OxigraphStore(tmp_path / "store", memory_reads=True)
    elif request.param == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
        server.clear()
        opened = RemoteStore(server.query_url, engine="virtuoso")
    else:
        server = request.getfixturevalue("oxigraph_server")
        server.clear()
        opened = RemoteStore(server.query_url)
    yield opened
    opened.close()


# -- data --------------------------------------------------------------------------------------


def _nquads(store: OxigraphStore) -> bytes:
    out = io.BytesIO()
    store.dump(out, "nquads")
    return out.getvalue()


def _store_from(nquads: bytes, path: Path | None = None) -> OxigraphStore:
    opened = OxigraphStore(path)
    opened.native.load(nquads, format=ox.RdfFormat.N_QUADS)
    return opened


@pytest.fixture(scope="session")
def reference_nquads() -> bytes:
    """Ontology, shapes and reference data (validated on the way in), as N-Quads."""
    from cop_graph.ingest.load import init_store

    built = OxigraphStore(None)
    init_store(built, demo=False, who="tests")
    return _nquads(built)


@pytest.fixture(scope="session")
def demo_nquads(reference_nquads) -> bytes:
    """Everything ``cop-graph init`` loads, the demo data included, as N-Quads."""
    from cop_graph.ingest.load import load_demo

    built = _store_from(reference_nquads)
    load_demo(built, who="tests")
    return _nquads(built)


@pytest.fixture(scope="session")
def demo_graphs(demo_nquads) -> dict:
    """Everything ``cop-graph init`` loads, the demo data included, as rdflib Graphs by name
    (to load into a server)."""
    held = _store_from(demo_nquads)
    graphs = {name: held.graph(name) for name in held.named_graphs()}
    held.close()
    return graphs


@pytest.fixture
def seeded_store(reference_nquads) -> Iterator[OxigraphStore]:
    """A fresh in-memory store with the ontology, shapes and reference data."""
    opened = _store_from(reference_nquads)
    yield opened
    opened.close()


@pytest.fixture
def seeded_store_path(reference_nquads, tmp_path) -> Path:
    """The folder of a fresh on-disk store with the ontology, shapes and reference data."""
    path = tmp_path / "store"
    _store_from(reference_nquads, path).close()
    return path


@pytest.fixture
def demo_store(demo_nquads) -> Iterator[OxigraphStore]:
    """A fresh in-memory store with everything, the demo data included."""
    opened = _store_from(demo_nquads)
    yield opened
    opened.close()


# -- web ---------------------------------------------------------------------------------------


@pytest.fixture
def app(demo_store):
    """The web app over a fresh copy of the full demo store, without rate limits (tests of
    them, in tests/test_rate_limits.py, make their own app)."""
    from cop_graph.config import load_settings
    from cop_graph.web import create_app

    settings = load_settings({}, store="memory:", rate_limits=False)
    return create_app({"TESTING": True, "STORE": demo_store, "SETTINGS": settings})


@pytest.fixture
def client(app):
    """A test client of :func:`app`."""
    return app.test_client()
