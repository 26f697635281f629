"""How fast files load into the on-disk store, beside the engines underneath.

Run with ``.venv/bin/python benchmarks/bench_load.py [--copies 9 90]``. The data is the demo
dataset repeated ``copies`` times with every invented IRI renamed per copy (about 11k facts a
copy: 9 copies ≈ 100k, 90 ≈ 1M), written as N-Triples. For each size, in one run:

- ``pyoxigraph bulk_load``: the engine alone, straight from the file (the floor);
- ``cop-graph load (no rules)``: our path — parse, privacy split, staged atomic commit;
- ``cop-graph load (with rules)``: the same with SHACL validation (smaller sizes only);
- ``rdflib parse``: rdflib reading the file into memory, for scale.

It prints seconds, facts per second and each one's ratio to the engine alone.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from cop_graph import resources
from cop_graph.ingest.load import init_store, load_files
from cop_graph.store import open_store

_INVENTED = re.compile(r"(<https://w3id\.org/cop-graph/id/(?:community|person|membership|"
                       r"assessment|outcome|indicator|observation|event|space|resource|domain|"
                       r"practice|organisation/demo)[^>]*)>")  # fmt: skip


def replicated_demo(copies: int, destination: Path) -> int:
    """Write the demo data ``copies`` times with renamed IRIs; return the number of facts."""
    demo = Graph()
    for path in resources.demo_files():
        demo.parse(path)
    lines = demo.serialize(format="nt").splitlines()
    count = 0
    with destination.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for line in lines:
                if line.strip():
                    out.write(_INVENTED.sub(rf"\1-copy{copy}>", line) + "\n")
                    count += 1
    return count


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bench(copies: int, with_rules: bool, work: Path) -> list[tuple[str, float]]:
    data = work / f"demo-x{copies}.nt"
    facts = replicated_demo(copies, data)
    results = []

    def engine_alone():
        store = ox.Store(str(work / f"raw-{copies}"))
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
        store.flush()

    results.append(("pyoxigraph bulk_load", timed(engine_alone)))

    def ours(check: bool):
        store = open_store(str(work / f"ours-{copies}-{check}"))
        init_store(store, demo=False)
        seconds = timed(lambda: load_files(store, [data], check=check))
        store.close()
        return seconds

    results.append(("cop-graph load (no rules)", ours(False)))
    if with_rules:
        results.append(("cop-graph load (with rules)", ours(True)))
    results.append(("rdflib parse", timed(lambda: Graph().parse(data, format="nt"))))
    print(f"\n{facts:,} facts ({copies} copies of the demo data)")
    floor = results[0][1]
    for name, seconds in results:
        print(
            f"  {name:<30}{seconds:8.2f} s {facts / seconds:12,.0f} facts/s {seconds / floor:7.1f}×"
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[9, 90])
    parser.add_argument("--rules-up-to", type=int, default=9, help="validate only up to this size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for copies in args.copies:
            bench(copies, copies <= args.rules_up_to, Path(folder))


if __name__ == "__main__":
    main()
