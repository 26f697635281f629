"""How fast a file loads with the data rules, as users run it, beside the engine underneath.

Run with ``.venv/bin/python benchmarks/bench_load.py [--facts 100000 1000000]``. For each size
it writes invented communities from ``synthetic.py`` (which pass the data rules) in real wards
as one N-Triples file of about that many facts, and loads that same file, one after the other
in one run, into an on-disk store that already holds the ontology, rules and reference data
(what ``cop-graph init --no-demo`` leaves):

- ``pyoxigraph bulk_load``: the engine alone, straight from the file (the floor);
- ``load, no rules``: ``load_files(check=False)`` in this process (read, privacy split,
  atomic commit);
- ``load, with rules``: ``load_files(check=True)`` in this process (only up to
  ``--in-process-up-to`` facts: the command below measures the same and more);
- ``cop-graph load``: the command itself in a child process, with the rules, start-up included:
  the path users take. Its exit code must be 0 (the data conforms); its peak memory is shown.
  ``--rules-up-to`` leaves both checked paths out above a size, where they take too long.

It prints seconds, facts per second and each one's ratio to the engine alone. Comparing the
paths needs them measured in the same run on the same machine, so read the ratios, not the
seconds, when other work shares the machine.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from cop_graph.files.terms import to_oxigraph
from cop_graph.ingest.load import init_store, load_files
from cop_graph.store.oxigraph import OxigraphStore

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import FACTS_PER_COMMUNITY, synthetic_triples  # noqa: E402

COP_GRAPH = Path(sys.executable).parent / "cop-graph"


def reference_nquads() -> bytes:
    """The standard graphs without the demo, as N-Quads: every store starts from these."""
    built = OxigraphStore(None)
    init_store(built, demo=False, who="benchmark")
    return built.native.dump(format=ox.RdfFormat.N_QUADS)


def seeded(folder: Path, seed: bytes) -> OxigraphStore:
    """A fresh on-disk store holding ``seed``."""
    store = OxigraphStore(folder)
    store.native.bulk_load(seed, format=ox.RdfFormat.N_QUADS)
    store.native.flush()
    return store


def write_synthetic(seed: bytes, facts: int, destination: Path) -> int:
    """About ``facts`` invented facts in the reference data's wards; returns how many."""
    reference = ox.Store()
    reference.load(seed, format=ox.RdfFormat.N_QUADS)
    rows = reference.query(
        "SELECT ?w WHERE { GRAPH ?g { ?w a <https://w3id.org/cop-graph/ontology#Ward> } } "
        "ORDER BY ?w"
    )
    from rdflib import URIRef

    wards = [URIRef(row["w"].value) for row in rows]
    communities = max(1, facts // FACTS_PER_COMMUNITY)
    # as bench_queries.py: about eight communities per practice at every size
    practices = max(200, communities // 2)
    triples = [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
        for s, p, o in synthetic_triples(wards, communities, practices=practices)
    ]
    ox.serialize(triples, output=str(destination), format=ox.RdfFormat.N_TRIPLES)
    return len(set(triples))


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def bench(facts: int, seed: bytes, work: Path, in_process_checked: bool, command: bool) -> None:
    data = work / f"synthetic-{facts}.nt"
    count = write_synthetic(seed, facts, data)
    results: list[tuple[str, float]] = []

    store = seeded(work / f"engine-{facts}", seed)

    def engine_alone():
        store.native.bulk_load(
            path=str(data),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode("https://w3id.org/cop-graph/id/graph/load/synthetic"),
        )
        store.native.flush()

    results.append(("pyoxigraph bulk_load", timed(engine_alone)))
    store.close()

    def in_process(check: bool) -> float:
        store = seeded(work / f"ours-{facts}-{check}", seed)
        seconds = timed(lambda: load_files(store, [data], check=check))
        store.close()
        return seconds

    results.append(("load, no rules", in_process(False)))
    if in_process_checked:
        results.append(("load, with rules", in_process(True)))

    if command:
        results.append(("cop-graph load (with rules)", _command(work / f"cli-{facts}", seed, data)))

    print(f"\n{count:,} facts ({data.stat().st_size / 1e6:.0f} MB of N-Triples)")
    floor = results[0][1]
    for name, seconds in results:
        print(
            f"  {name:<30}{seconds:8.2f} s {count / seconds:10,.0f} facts/s {seconds / floor:7.1f}×"
        )
    if command:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"  peak memory of cop-graph load: {peak:,.0f} MB (largest child so far)")
    sys.stdout.flush()


def _command(folder: Path, seed: bytes, data: Path) -> float:
    """Seconds ``cop-graph load`` takes, start-up included; stops if the data is refused."""
    seeded(folder, seed).close()
    command = [str(COP_GRAPH), "--store", str(folder), "load", str(data)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-5:])
        raise SystemExit(f"cop-graph load exited {done.returncode}:\n{tail}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, nargs="+", default=[100_000])
    parser.add_argument(
        "--in-process-up-to",
        type=int,
        default=100_000,
        help="time load_files with the rules in this process only up to this size",
    )
    parser.add_argument(
        "--rules-up-to",
        type=int,
        default=None,
        help="run the checked cop-graph load only up to this size (default: every size)",
    )
    args = parser.parse_args()
    seed = reference_nquads()
    with tempfile.TemporaryDirectory() as folder:
        for facts in args.facts:
            checked = args.rules_up_to is None or facts <= args.rules_up_to
            in_process = checked and facts <= args.in_process_up_to
            bench(facts, seed, Path(folder), in_process, checked)


if __name__ == "__main__":
    main()
