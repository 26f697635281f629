"""A replace killed half-way leaves the store as it was once it is opened again.

A real process replaces a graph of 100,000 facts and is killed (SIGKILL: no clean-up of any
kind) after the new facts are staged and before the swap. The next program to open the store
must remove the staging graphs, say so, and find exactly the facts of before.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDFS

from cop_graph.namespaces import GRAPH, ID
from cop_graph.store import Change
from cop_graph.store.base import STAGING
from cop_graph.store.oxigraph import OxigraphStore

BIN = Path(sys.executable).parent
FACTS = 100_000
REPLACED = GRAPH["test-large"]

#: the process that is killed: it replaces the large graph, announcing on stdout when the new
#: facts are staged, then waits (for ever) where the swap would come
REPLACER = f"""
import sys
from rdflib import Literal
from rdflib.namespace import RDFS
from cop_graph.namespaces import GRAPH, ID
from cop_graph.store import Change
from cop_graph.store.oxigraph import OxigraphStore

store = OxigraphStore(sys.argv[1])
swap = store._update

def staged_then_stuck(update):
    if "MOVE" in update:
        print("staged", flush=True)
        sys.stdin.read()
    swap(update)

store._update = staged_then_stuck
new = ((ID[f"thing/{{n}}"], RDFS.label, Literal(f"new {{n}}")) for n in range({FACTS}))
store.commit(Change(put={{GRAPH["test-large"]: new}}))
print("swapped", flush=True)
"""


@pytest.fixture
def large_store(tmp_path) -> Path:
    """An on-disk store holding one graph of 100,000 facts."""
    path = tmp_path / "store"
    old = ((ID[f"thing/{n}"], RDFS.label, Literal(f"old {n}")) for n in range(FACTS))
    with OxigraphStore(path) as store:
        store.commit(Change(put={REPLACED: old}))
    return path


def test_a_replace_killed_half_way_is_undone_when_the_store_opens(large_store):
    with OxigraphStore(large_store) as before:
        facts_before = before.count()
        assert before.count(REPLACED) == FACTS
    replacer = subprocess.Popen(
        [sys.executable, "-c", REPLACER, str(large_store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        announced = replacer.stdout.readline()
        assert announced == "staged\n", replacer.stderr.read()
    finally:
        os.kill(replacer.pid, signal.SIGKILL)
        replacer.wait(timeout=30)
        replacer.stdin.close()
        replacer.stdout.close()
        replacer.stderr.close()
    assert replacer.returncode == -signal.SIGKILL

    # the next command to open the store removes the staged facts and says so
    stats = subprocess.run(
        [str(BIN / "cop-graph"), "--store", str(large_store), "--wait", "0", "graphs"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert stats.returncode == 0, stats.stderr
    assert f"Removed 1 staging graph ({FACTS} facts)" in stats.stderr
    assert STAGING not in stats.stdout

    with OxigraphStore(large_store) as after:
        assert after.count() == facts_before
        names = {str(row[0]) for row in after.query("SELECT DISTINCT ?g { GRAPH ?g {} }")}
        assert not any(name.startswith(STAGING) for name in names)
        assert after.query(
            "ASK { ?thing rdfs:label ?old }", {"old": Literal(f"old {FACTS - 1}")}
        ), "the old facts are gone"
        assert not after.query("ASK { ?thing rdfs:label ?new }", {"new": Literal("new 0")})
