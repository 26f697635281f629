"""How long the browser takes to build a community page and the home page.

Run with ``.venv/bin/python benchmarks/bench_pages.py [--triples 1000000]``. It builds two
on-disk stores in a temporary folder: the ontology, reference and demo data as shipped, and
the same plus a synthetic graph of invented communities (about ``--triples`` facts, shaped
like the demo: members, assessments, outcomes, events), then asks the Flask test client for
pages and prints the median and 90th percentile of each, with the store read from disk and
from the copy in memory the web app keeps. The target: an entity page under 20 ms (median)
at a million triples.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import FACTS_PER_COMMUNITY, synthetic_triples  # noqa: E402

from cop_graph.ingest.load import init_store  # noqa: E402
from cop_graph.queries.catalogue import graph_iri, record  # noqa: E402
from cop_graph.store import Change  # noqa: E402
from cop_graph.store.oxigraph import OxigraphStore  # noqa: E402


def add_synthetic(store, triples: int) -> int:
    """Add about ``triples`` synthetic facts as the graph ``synthetic``; returns how many.

    The facts go in with pyoxigraph's bulk loader (this measures pages, not loading), and
    the graph gets a catalogue record like any other.
    """
    import pyoxigraph as ox

    from cop_graph.files.terms import to_oxigraph

    wards = [
        row[0] for row in store.query("SELECT ?ward WHERE { ?ward a cop:Ward } ORDER BY ?ward")
    ]
    name = graph_iri("synthetic")
    graph = ox.NamedNode(str(name))
    facts = list(synthetic_triples(wards, max(1, triples // FACTS_PER_COMMUNITY)))
    store.native.bulk_extend(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph) for s, p, o in facts
    )
    catalogue = record(
        name,
        title="Synthetic communities (benchmark)",
        kind="load",
        triples=len(facts),
        illustrative=True,
        who="benchmark",
    )
    store.commit(Change(catalogue=catalogue))
    return len(facts)


def _timed(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed * 1000


def measure(store, communities: list[str], repeats: int) -> dict[str, list[float]]:
    """Times in ms: first visits to distinct community pages (nothing cached yet), repeat
    visits, the JSON twin and the Turtle form, and the home page (first and repeat)."""
    from cop_graph.config import load_settings
    from cop_graph.web import create_app

    app = create_app({"STORE": store, "SETTINGS": load_settings({}, store="memory:")})
    client = app.test_client()
    times: dict[str, list[float]] = {}
    times["home page, first visit"] = [_timed(client, "/")]
    times["home page"] = [_timed(client, "/") for _ in range(repeats)]
    paths = ["/id/" + iri.split("/id/", 1)[1] for iri in communities]
    times["community page, first visit"] = [_timed(client, path) for path in paths]
    times["community page, visited before"] = [
        _timed(client, paths[n % len(paths)]) for n in range(repeats)
    ]
    times["community page as Turtle"] = [_timed(client, path + ".ttl") for path in paths]
    return times


def report(title: str, facts: int, times: dict[str, list[float]]) -> None:
    print(f"\n{title} ({facts:,} facts in the store)")
    print(f"  {'page':34} {'median ms':>10} {'90th pct ms':>12} {'runs':>5}")
    for name, values in times.items():
        ordered = sorted(values)
        p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
        print(f"  {name:34} {statistics.median(values):10.1f} {p90:12.1f} {len(values):5d}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the big graph")
    parser.add_argument("--pages", type=int, default=40, help="distinct community pages")
    parser.add_argument("--repeats", type=int, default=40, help="repeat visits per page kind")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        path = Path(folder) / "store"
        with OxigraphStore(path) as store:
            print("Loading the ontology, reference and demo data…", flush=True)
            init_store(store, who="benchmark")
            demo = _communities(store)
        _compare("Demo data", path, demo, args.repeats)
        print(f"\nAdding about {args.triples:,} synthetic facts…", flush=True)
        with OxigraphStore(path) as store:
            start = time.perf_counter()
            added = add_synthetic(store, args.triples)
            print(f"  {added:,} facts in {time.perf_counter() - start:.0f} s")
            synthetic = [c for c in _communities(store) if "/synthetic-" in c]
        sample = random.Random(7).sample(synthetic, min(args.pages, len(synthetic)))
        _compare("Demo data and synthetic communities", path, sample, args.repeats)
    print("\nTarget: an entity page under 20 ms (median) at about a million facts.")
    return 0


def _compare(title: str, path: Path, communities: list[str], repeats: int) -> None:
    """The pages read from disk, then from the copy in memory the web app keeps."""
    for memory_reads, how in ((False, "read from disk"), (True, "read from memory, as served")):
        with OxigraphStore(path, memory_reads=memory_reads) as store:
            report(f"{title}, {how}", store.count(), measure(store, communities, repeats))


def _communities(store) -> list[str]:
    rows = store.query("SELECT ?c WHERE { ?c a cop:CommunityOfPurpose } ORDER BY ?c").rows
    return [str(row[0]) for row in rows]


if __name__ == "__main__":
    raise SystemExit(main())
