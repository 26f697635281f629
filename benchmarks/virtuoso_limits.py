"""How Virtuoso answers past its limits on size, and what the remote store makes of it.

Run with ``.venv/bin/python benchmarks/virtuoso_limits.py [--facts 1100000]`` (about a minute).
It starts Virtuoso as the tests do, with ``ResultSetMaxRows`` far above ``--facts``, bulk-loads
that many simple facts into one of the project's graphs and then asks for all of them three
ways: a SELECT over HTTP (Virtuoso stops at 2^20 = 1,048,576 rows, and says so in
``X-SPARQL-MaxRows``), the Graph Store download (which refuses a graph past 1,000,000 facts
with a 500) and the remote store's own dump, which must fail with the server's reason rather
than write fewer facts. Findings are in ``docs/known-gaps.md``.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

import requests
from rdflib import URIRef

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from virtuoso_server import find_virtuoso, running_virtuoso  # noqa: E402

from cop_graph.config import load_settings  # noqa: E402
from cop_graph.errors import StoreError  # noqa: E402
from cop_graph.store.remote import open_remote  # noqa: E402

GRAPH = "https://w3id.org/cop-graph/id/graph/load/limits"
THING = "https://w3id.org/cop-graph/id/thing/limits-"
NUMBERED = "https://w3id.org/cop-graph/ontology#limitsNumber"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=1_100_000)
    args = parser.parse_args(argv)
    programs = find_virtuoso()
    if programs is None:
        sys.exit("Virtuoso is not installed (make virtuoso)")
    with tempfile.TemporaryDirectory(prefix="virtuoso-limits-") as folder:
        work = Path(folder)
        data = work / "facts.nt"
        with data.open("w") as out:
            for n in range(args.facts):
                out.write(f'<{THING}{n}> <{NUMBERED}> "{n}" .\n')
        with running_virtuoso(programs, work / "server", 100_000_000, more_dirs=(work,)) as server:
            server.bulk_load(data, GRAPH)
            _measure(server.query_url)


def _measure(query_url: str) -> None:
    store = open_remote(query_url, load_settings({}, store_engine="virtuoso"))
    print(f"facts in the graph (COUNT): {store.count(URIRef(GRAPH)):,}")
    select = f"SELECT ?s WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    with requests.get(
        query_url, params={"query": select}, headers={"Accept": "text/csv"}, stream=True
    ) as answer:
        rows = sum(1 for _ in answer.iter_lines()) - 1
        print(f"SELECT of every fact: {rows:,} rows, X-SPARQL-MaxRows "
              f"{answer.headers.get('X-SPARQL-MaxRows')}")  # fmt: skip
    download = requests.get(
        query_url.replace("/sparql", "/sparql-graph-crud"),
        params={"graph": GRAPH},
        headers={"Accept": "application/n-triples"},
    )
    print(f"Graph Store download: {download.status_code}, {download.text.splitlines()[0][:120]}")
    start = time.perf_counter()
    try:
        out = io.BytesIO()
        store.dump(out, "ntriples", [URIRef(GRAPH)])
        written = out.getvalue().count(b"\n")
        print(f"store.dump: wrote {written:,} facts")
    except StoreError as error:
        print(f"store.dump: failed, as it must: {str(error)[:200]}")
    print(f"  after {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
