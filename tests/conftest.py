"""Fixtures shared by the whole test suite, one section per area.

- stores: one store contract, three backends (in memory, on disk, a remote SPARQL server)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from oxigraph_server import OxigraphServer, find_oxigraph, running_oxigraph

from cop_graph.store import Store
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.store.remote import RemoteStore

# -- stores ------------------------------------------------------------------------------------

#: every backend the ``store`` fixture gives; the remote one needs the oxigraph server
BACKENDS = ["memory", "disk", pytest.param("remote", marks=pytest.mark.remote)]


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


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path) -> Iterator[Store]:
    """An empty store of each backend in turn, closed afterwards."""
    if request.param == "memory":
        opened = OxigraphStore(None)
    elif request.param == "disk":
        opened = OxigraphStore(tmp_path / "store")
    else:
        server = request.getfixturevalue("oxigraph_server")
        server.clear()
        opened = RemoteStore(server.query_url)
    yield opened
    opened.close()
