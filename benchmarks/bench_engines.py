"""The embedded store, Oxigraph server and Virtuoso side by side, at a size, in one run.

Run with ``.venv/bin/python benchmarks/bench_engines.py [--facts 1000000 10000000]``. For each
size it writes invented communities from ``synthetic.py`` (which pass the data rules) as one
N-Triples file, as ``bench_load.py`` does, and on each engine (``engine_stores.py`` says how
each is set up):

- loads it with the engine's own bulk loader into a store holding the standard graphs;
- loads it with ``cop-graph load`` (all data rules, the path users take) into another such
  store; that store then answers, as the web app reads it (``engine_timing.py``):
- the example questions (the median of ``--repeats`` runs each, after one to warm up),
- a first visit to a few entity pages (synthetic communities and practices, localities), after
  one untimed visit of each kind, through the Flask app,
- the shared-practice analysis, its graphs read from the store;
- and it gives the peak memory of each loader and of the process holding the data while
  answering (the embedded store's is the timing process itself, with the app and the copy in
  memory it reads from; a server's is the server, ``cop-graph load`` included), and the disk
  each store takes.

Every time is also given as a ratio to the embedded store's, measured in the same run; each
question, page and analysis is put to the engines in turn, so that a change of load on the
shared machine falls on all alike. A step that fails or passes ``--timeout`` seconds (a load,
``--load-timeout`` if given) is shown as such in its cell, with the reason below the table;
an engine that cannot be started is shown as missing. Each size is measured and printed on
its own, so a run stopped part-way still shows the sizes it finished.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import reference_nquads, write_synthetic  # noqa: E402
from engine_stores import ENGINES, Measured, peak_mb  # noqa: E402
from engine_table import cell, print_questions, print_table  # noqa: E402
from engine_timing import Worker  # noqa: E402

from cop_graph import queries  # noqa: E402

#: localities whose pages are timed (the reference data's IRIs)
PLACES = ["place/bolton", "place/wigan", "place/manchester"]
#: the analysis timed
ANALYSIS = "shared-practice"


def bench(facts: int, seed: bytes, work: Path, args) -> None:
    """Load, time and print one size on every engine asked for."""
    seed_file, data = work / "seed.nq", work / f"synthetic-{facts}.nt"
    seed_file.write_bytes(seed)
    # in a process of its own, which gives back the memory (GBs at 10M facts) once done
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as writer:
        count = writer.submit(write_synthetic, seed, facts, data).result()
    print(f"\n== {count:,} facts ({data.stat().st_size / 1e6:.0f} MB of N-Triples); "
          f"load average {_load_average()} ==", flush=True)  # fmt: skip
    rows: dict[str, dict[str, Measured]] = {}
    with ExitStack() as running:
        engines = {}
        for key in args.engines:
            try:
                engine = ENGINES[key](work, seed_file, tuple(args.virtuoso_buffers))
            except RuntimeError as missing:
                print(f"  {key}: not measured: {missing}", flush=True)
                continue
            running.callback(engine.close)
            engines[engine.name] = engine
        for name, engine in engines.items():
            loads = {"bulk load": engine.bulk_load, "cop-graph load": engine.checked_load}
            for step, load in loads.items():
                try:
                    measured = load(data, args.load_timeout or args.timeout)
                except Exception as error:  # noqa: BLE001 - shown in the table
                    measured = Measured(failure=f"{type(error).__name__}: {str(error)[:300]}")
                rows.setdefault(f"{step} (s)", {})[name] = measured
                _progress(name, step, measured)
        workers = {}
        for name, engine in engines.items():
            if rows.get("cop-graph load (s)", {}).get(name, Measured(failure="-")).failure is None:
                worker = Worker(engine.location, engine.engine, work / "app-data",
                                args.timeout, args.repeats,
                                memory_reads=not args.embedded_from_disk)  # fmt: skip
                running.callback(worker.stop)
                workers[name] = worker
        questions = _each(workers, [("question", n) for n in queries.names("examples")])
        pages = _pages(workers, args.pages)
        rows[f"{ANALYSIS} analysis (s)"] = _each(workers, [("analysis", ANALYSIS)]).get(
            ANALYSIS, {}
        )
        memory = _memory(engines, workers, rows)
    print(f"\nload average after: {_load_average()}")
    print_table(list(engines), rows, questions, pages, memory)
    if args.per_question:
        print_questions(list(workers), questions)


def _progress(engine: str, step: str, measured: Measured) -> None:
    said = measured.failure or f"{cell(measured, 1)} s, peak {measured.peak_mb or 0:,.0f} MB"
    print(f"  {engine}, {step}: {said}", flush=True)


def _each(workers: dict[str, Worker], jobs: list[tuple[str, str]]) -> dict[str, dict]:
    """Each job's outcome on each engine: ``{job name: {engine: Measured}}``, the engines
    taking turns job by job."""
    results: dict[str, dict[str, Measured]] = {}
    for job in jobs:
        for name, worker in workers.items():
            results.setdefault(job[1], {})[name] = worker.run(job)
    return results


def _pages(workers: dict[str, Worker], per_kind: int) -> dict[str, dict[str, list[Measured]]]:
    """First visits to ``per_kind`` pages of each kind, after one untimed visit of each."""
    kinds = {
        "community page": [f"/id/community/synthetic-{n}" for n in range(per_kind + 1)],
        "practice page": [f"/id/practice/synthetic-{n}" for n in range(per_kind + 1)],
        "locality page": ["/id/" + place for place in ["place/salford", *PLACES][: per_kind + 1]],
    }
    _each(workers, [("page", paths[0]) for paths in kinds.values()])  # the app warms up
    timed = {}
    for kind, paths in kinds.items():
        visits = _each(workers, [("page", path) for path in paths[1:]])
        timed[kind] = {name: [visits[p][name] for p in paths[1:]] for name in workers}
    return timed


def _memory(engines, workers, rows) -> dict[str, dict[str, float | None]]:
    """Peak memory (MB) of each loader and of what holds the data while answering, and the
    disk taken by each store (MB)."""
    memory: dict[str, dict[str, float | None]] = {}
    for name, engine in engines.items():
        server = getattr(engine, "serving_pid", None)
        worker = workers.get(name)
        answering = peak_mb(server) if server else (worker.peak_mb if worker else None)
        for row, value in (
            ("peak memory, bulk loader (MB)", rows["bulk load (s)"][name].peak_mb),
            ("peak memory, cop-graph load (MB)", rows["cop-graph load (s)"][name].peak_mb),
            ("peak memory, holding the data (MB)", answering),
            ("disk, bulk-loaded store (MB)", engine.disk.get("bulk")),
            ("disk, store after cop-graph load (MB)", engine.disk.get("checked")),
        ):
            memory.setdefault(row, {})[name] = value
    return memory


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, nargs="+", default=[20_000])
    parser.add_argument(
        "--engines", nargs="+", choices=list(ENGINES), default=list(ENGINES),
        help="which engines to measure (the ratios need embedded)",
    )  # fmt: skip
    parser.add_argument(
        "--timeout", type=float, default=600,
        help="seconds allowed each step: a load, a question, a page, the analysis",
    )  # fmt: skip
    parser.add_argument(
        "--load-timeout", type=float,
        help="seconds allowed each load, if not --timeout (loads at 10M facts take minutes)",
    )  # fmt: skip
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each question")
    parser.add_argument("--pages", type=int, default=3, help="pages timed of each kind")
    parser.add_argument("--per-question", action="store_true", help="print every question")
    parser.add_argument(
        "--embedded-from-disk", action="store_true",
        help="answer from the embedded store on disk, without its copy in memory (about "
        "2 GB per million facts: what a deployment past one machine's memory does)",
    )  # fmt: skip
    parser.add_argument(
        "--virtuoso-buffers", type=int, nargs=2, default=[340_000, 250_000],
        metavar=("NUMBER", "MAX_DIRTY"),
        help="Virtuoso's NumberOfBuffers and MaxDirtyBuffers (8 KB each)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    seed = reference_nquads()
    for facts in args.facts:
        with tempfile.TemporaryDirectory(prefix="bench-engines-") as folder:
            try:
                bench(facts, seed, Path(folder), args)
            except Exception as error:  # noqa: BLE001 - the next size is measured anyway
                print(f"\n{facts:,} facts: the run stopped: {type(error).__name__}: {error}")


if __name__ == "__main__":
    main()
