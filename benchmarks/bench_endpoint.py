"""The sharing-practice questions through the SPARQL endpoint, side by side with pyoxigraph.

Run with ``timeout 1800 .venv/bin/python benchmarks/bench_endpoint.py [--sizes 100000]``. For
each size it builds the data of ``bench_queries.py`` (shipped data plus synthetic communities),
loads it into an on-disk store read from its copy in memory (as the web app opens it), serves
the app with waitress on 127.0.0.1, and times each question two ways, alternating, in one run:

- **endpoint**: an HTTP request to ``/sparql`` and the whole answer read by the client: the
  full protocol path (guard, dataset, snapshot worker, answer writer, streaming, waitress);
- **direct**: pyoxigraph on the store's copy in memory, answer serialised by pyoxigraph's own
  writer in the same format (SPARQL JSON for tables, N-Triples for graphs);

and, once, **disk**: pyoxigraph on the on-disk storage, which the endpoint's workers read
before they read a snapshot in memory. The result cap is raised above the largest answer, so
both sides return every row (the app's default cap, 10,000 rows, would cut the two pair
questions short). It prints medians, endpoint / direct per question, the median over the two
sharing-practice questions (target ≤ 1.5) and over all, and what the snapshot costs: its
first load, its refresh after a write, the holder's memory.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_queries import build_nquads  # noqa: E402

from cop_graph import queries  # noqa: E402
from cop_graph.config import load_settings  # noqa: E402
from cop_graph.namespaces import PREFIXES  # noqa: E402
from cop_graph.store.oxigraph import OxigraphStore  # noqa: E402

#: the two questions the target is about
SHARING = ["find_neighbourhoods_sharing_practice", "find_localities_sharing_practice"]
#: other questions about shared practice and what communities share
RELATED = [
    "count_communities_by_practice",
    "compare_practices_in_core20_areas",
    "list_resources_reused_across_localities",
    "construct_practice_network",
]
_ACCEPT = {"table": "application/sparql-results+json", "graph": "application/n-triples"}


def _seconds(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _serve(app):
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def _direct(reader: ox.Store, text: str):
    result = reader.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    if isinstance(result, ox.QuerySolutions):
        return result.serialize(format=ox.QueryResultsFormat.JSON)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_size(size: int, repeats: int) -> dict:
    from cop_graph.web import create_app
    from cop_graph.web.state import state_of

    nquads = build_nquads(size)
    folder = Path(tempfile.mkdtemp(prefix="bench-endpoint-"))
    with OxigraphStore(folder / "store") as loading:
        loading.native.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        loading.native.optimize()
    del nquads
    store = OxigraphStore(folder / "store", memory_reads=True)
    settings = load_settings(
        {}, store=str(folder / "store"), query_timeout=600.0, result_limit=10**8
    )
    app = create_app({"STORE": store, "SETTINGS": settings})
    server, url = _serve(app)
    session = requests.Session()

    def through_endpoint(text: str, kind: str) -> bytes:
        response = session.post(
            url + "/sparql", data={"query": text}, headers={"Accept": _ACCEPT[kind]}, timeout=900
        )
        response.raise_for_status()
        return response.content

    quads = len(store.reader)
    print(f"\n== {quads:,} quads ==", flush=True)
    first_load = _seconds(lambda: through_endpoint("ASK {}", "table"))
    runner = state_of(app).endpoint.runner
    holder_mb = _rss_mb(runner._holder.process.pid)
    store.changes += 1  # as after a write: the next query refreshes the snapshot
    refresh = _seconds(lambda: through_endpoint("ASK {}", "table"))
    print(
        f"snapshot: first load (with the holder's start) {first_load:.2f} s, refresh after a "
        f"write {refresh:.2f} s, holder's memory {holder_mb:,.0f} MB",
        flush=True,
    )
    print(
        f"{'query':42} {'rows/bytes':>18} {'endpoint ms':>12} {'direct ms':>10} "
        f"{'disk ms':>9} {'endpoint/direct':>16}",
        flush=True,
    )
    ratios = {}
    for name in SHARING + RELATED:
        text = queries.get(f"examples/{name}").text
        kind = "graph" if "CONSTRUCT" in text else "table"
        answer = through_endpoint(text, kind)  # warms the guard's cache and a worker
        direct_answer = _direct(store.reader, text)
        endpoint_times, direct_times = [], []
        for _ in range(repeats):
            endpoint_times.append(_seconds(lambda t=text, k=kind: through_endpoint(t, k)))
            direct_times.append(_seconds(lambda t=text: _direct(store.reader, t)))
        disk = _seconds(lambda t=text: _direct(store.native, t))
        endpoint_s, direct_s = statistics.median(endpoint_times), statistics.median(direct_times)
        ratios[name] = endpoint_s / direct_s
        size_note = f"{_count(answer, kind):,}/{len(answer) / 1e6:.1f} MB"
        if _count(answer, kind) != _count(direct_answer, kind):
            size_note += " (differs!)"
        print(
            f"{name:42} {size_note:>18} {endpoint_s * 1000:12.1f} {direct_s * 1000:10.1f} "
            f"{disk * 1000:9.1f} {ratios[name]:16.2f}",
            flush=True,
        )
    sharing = statistics.median(ratios[name] for name in SHARING)
    overall = statistics.median(ratios.values())
    print(
        f"median endpoint / direct: {sharing:.2f}x over the sharing-practice questions, "
        f"{overall:.2f}x over all {len(ratios)}",
        flush=True,
    )
    server.close()
    runner.close()
    store.close()
    shutil.rmtree(folder, ignore_errors=True)
    return ratios


def _count(answer, kind: str) -> int:
    """Rows of a SPARQL JSON answer, or triples of an N-Triples one."""
    if kind == "graph":
        return answer.count(b"\n")
    return len(json.loads(answer)["results"]["bindings"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    for size in args.sizes:
        run_size(size, args.repeats)


if __name__ == "__main__":
    main()
