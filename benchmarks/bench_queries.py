"""The example queries on the embedded store, on pyoxigraph directly, and on rdflib's own engine.

Run with ``.venv/bin/python benchmarks/bench_queries.py [--sizes 100000 1000000]``. For each
size it builds one dataset (ontology, reference and demo data as shipped, plus synthetic
communities from ``synthetic.synthetic_triples`` up to about that many triples) and loads
the same quads into:

- the embedded on-disk store reading from its copy in memory (as the web app opens it),
  queried through ``Store.query`` (rdflib terms, for callers that need them);
- the same store through ``queries.run(..., raw=True)``, i.e. ``Store.query_raw`` (pyoxigraph's
  own terms: what ``cop-graph query``, the downloads and the heaviest page readers use);
- the same copy queried with pyoxigraph directly (to show our layer stays thin);
- the on-disk storage queried directly (what reading from disk would cost);
- an rdflib ``Dataset`` with the union of the graphs as default graph (rdflib's engine).

Every answer is consumed in full. It prints, per query, the median time of each and the
ratios rdflib / store, store / direct, raw / direct and disk / store, then the medians and the
largest raw / direct over all the queries. The runs of one query alternate between the ways
of asking, so that a neighbour's load falls on all of them alike; the raw and direct runs are
repeated even for a slow query, as their ratio is the target. rdflib runs in a child process
that is killed when one query passes ``--rdflib-limit`` seconds (shown as ``>limit``;
``--rdflib-limit 0`` leaves rdflib out; ``--clock cpu`` times by this process's CPU time
instead of the wall clock, steadier when other jobs share the machine). Targets (DESIGN.md,
issue 16): the store at least 15× faster than rdflib at 1M triples, and every question's raw
path at most 1.5× slower than pyoxigraph directly.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import FACTS_PER_COMMUNITY, synthetic_triples  # noqa: E402

from cop_graph import queries, resources  # noqa: E402
from cop_graph.files.terms import to_oxigraph  # noqa: E402
from cop_graph.namespaces import PREFIXES  # noqa: E402
from cop_graph.store.oxigraph import OxigraphStore  # noqa: E402

ID = PREFIXES["id"]
#: parameters for the examples that need them, as in the tests
PARAMS = {
    "ask_practice_in_locality": {"practice": "practice/health-walks", "locality": "place/bolton"},
    "describe_community": {"community": "community/bolton-health-walks-network"},
}


def build_nquads(triples: int) -> bytes:
    """The shipped data plus synthetic communities, about ``triples`` quads, as N-Quads."""
    base = ox.Store()
    for name, files in (
        ("ontology", resources.ontology_files),
        ("reference", resources.reference_files),
        ("demo", resources.demo_files),
    ):
        for path in files():
            base.load(
                path=str(path),
                format=ox.RdfFormat.TURTLE,
                to_graph=ox.NamedNode(ID + f"graph/{name}"),
            )
    wards = [
        s["w"]
        for s in base.query(
            "SELECT ?w WHERE { GRAPH ?g { ?w a <https://w3id.org/cop-graph/ontology#Ward> } }"
        )
    ]
    wards = [to_rdflib_iri(w) for w in wards]
    missing = max(0, triples - len(base))
    graph = ox.NamedNode(ID + "graph/synthetic")
    communities = max(1, missing // FACTS_PER_COMMUNITY)
    # about eight communities per practice at every size, so that answers listing pairs of
    # communities sharing a practice grow with the data rather than with its square
    practices = max(200, communities // 2)
    base.bulk_extend(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph)
        for s, p, o in synthetic_triples(wards, communities, practices=practices)
    )
    return base.dump(format=ox.RdfFormat.N_QUADS)


def to_rdflib_iri(node):
    from rdflib import URIRef

    return URIRef(node.value)


def _bindings(name: str) -> dict[str, str]:
    return {key: ID + value for key, value in PARAMS.get(name, {}).items()}


#: what _seconds reads: wall time, or this process's CPU time (``--clock cpu``)
_CLOCK = time.perf_counter


def _seconds(run) -> float:
    """How long ``run()`` took, by ``_CLOCK``.

    On a machine shared with other jobs, wall time counts the time this process waited for
    a core, which varies between runs far more than the ratios being measured; every way of
    asking runs in this process, single-threaded, so its CPU time measures the work alone.
    """
    started = _CLOCK()
    run()
    return _CLOCK() - started


def _medians(runs: dict, repeats: int, always: frozenset = frozenset()) -> dict[str, float]:
    """The median of ``repeats`` timed runs of each of ``runs``, after one to warm the caches,
    taking turns so that a change of load on the machine falls on every one alike.

    A way whose first run takes over a second is timed by that run alone (caches matter little
    next to it, and it keeps the ~1M-fact run within the hour), except those in ``always``.
    """
    first = {key: _seconds(run) for key, run in runs.items()}
    samples: dict[str, list[float]] = {key: [] for key in runs}
    for _ in range(repeats):
        for key, run in runs.items():
            if first[key] <= 1.0 or key in always:
                samples[key].append(_seconds(run))
    return {key: statistics.median(samples[key]) if samples[key] else first[key] for key in runs}


def _consume(result) -> int:
    if isinstance(result, bool | ox.QueryBoolean):
        return 1
    return sum(1 for _ in result)


def time_oxigraph(nquads: bytes, names: list[str], repeats: int) -> dict[str, dict]:
    """Median seconds per query: ``store`` (Store.query), ``raw`` (queries.run with
    raw=True), ``direct`` (pyoxigraph), ``disk`` (pyoxigraph on the on-disk storage).

    The store is on disk and reads from its copy in memory, as the web app opens it; the
    direct run asks the same copy, the disk run the on-disk storage itself.
    """
    from rdflib import URIRef

    folder = Path(tempfile.mkdtemp(prefix="bench-queries-"))
    with OxigraphStore(folder / "store") as loading:
        loading.native.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        loading.native.optimize()
    store = OxigraphStore(folder / "store", memory_reads=True)
    times = {}
    for name in names:
        text = queries.get(name).text
        bound = _bindings(name.split("/", 1)[1])
        layer = {k: URIRef(v) for k, v in bound.items()}
        direct = {ox.Variable(k): ox.NamedNode(v) for k, v in bound.items()}
        options = {"prefixes": PREFIXES, "use_default_graph_as_union": True}
        if direct:
            options["substitutions"] = direct

        def through_store(text=text, layer=layer):
            result = store.query(text, layer or None)
            return result if isinstance(result, bool) else len(result)

        def raw(name=name, layer=layer):
            return _consume(queries.run(store, name, raw=True, **layer))

        def directly(text=text, options=options):
            return _consume(store.reader.query(text, **options))

        def on_disk(text=text, options=options):
            return _consume(store.native.query(text, **options))

        runs = {"store": through_store, "raw": raw, "direct": directly, "disk": on_disk}
        times[name] = _medians(runs, repeats, always=frozenset({"raw", "direct"}))
    store.close()
    shutil.rmtree(folder, ignore_errors=True)
    return times


#: rdflib's dataset, parsed once in this process and inherited by every forked child
_RDFLIB_DATASET = None


def _rdflib_child(jobs, answers) -> None:
    """Run each query named on ``jobs`` once and answer with its seconds."""
    from rdflib import URIRef

    while (name := jobs.get()) is not None:
        text = queries.get(name).text
        bindings = {k: URIRef(v) for k, v in _bindings(name.split("/", 1)[1]).items()}

        def run(text=text, bindings=bindings):
            result = _RDFLIB_DATASET.query(text, initBindings=bindings)
            return result.askAnswer if result.type == "ASK" else len(list(result))

        answers.put(_seconds(run))


class _RdflibWorker:
    """A child process forked with the parsed dataset; killed when a run passes the limit."""

    def __init__(self, limit: float):
        context = multiprocessing.get_context("fork")
        self.limit = limit
        self.jobs, self.answers = context.Queue(), context.Queue()
        self.process = context.Process(
            target=_rdflib_child, args=(self.jobs, self.answers), daemon=True
        )
        self.process.start()

    def run(self, name: str) -> float | None:
        self.jobs.put(name)
        try:
            return self.answers.get(timeout=self.limit)
        except Exception:  # queue.Empty: rdflib's engine cannot be interrupted
            self.process.kill()
            self.process.join()
            return None

    def close(self) -> None:
        if self.process.is_alive():
            self.jobs.put(None)
            self.process.join()


def time_rdflib(nquads: bytes, names: list[str], limit: float, repeats: int) -> dict:
    """rdflib's median seconds per query, like :func:`_medians` (None: a run passed ``limit``).

    The dataset is parsed once, here; worker processes forked from this one start with it.
    """
    global _RDFLIB_DATASET
    from rdflib import Dataset

    if limit <= 0:
        return {}
    _RDFLIB_DATASET = Dataset(default_union=True)
    _RDFLIB_DATASET.parse(data=nquads, format="nquads")
    times: dict[str, float | None] = {}
    worker = _RdflibWorker(limit)
    for name in names:
        samples = [worker.run(name)]
        if samples[0] is not None and samples[0] <= 1.0:
            samples = [worker.run(name) for _ in range(repeats)]
        if None in samples:
            times[name] = None
            worker = _RdflibWorker(limit)
        else:
            times[name] = statistics.median(samples)
    worker.close()
    _RDFLIB_DATASET = None
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rdflib-limit", type=float, default=120.0)
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="time by the wall clock, or by this process's CPU time (steadier on a busy machine)",
    )
    args = parser.parse_args(argv)
    global _CLOCK
    _CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    names = queries.names("examples")
    for size in args.sizes:
        nquads = build_nquads(size)
        quads = nquads.count(b"\n")
        print(f"\n== {quads:,} quads ({args.clock} clock) ==", flush=True)
        ours = time_oxigraph(nquads, names, args.repeats)
        theirs = time_rdflib(nquads, names, args.rdflib_limit, min(args.repeats, 3))
        print(
            f"{'query':44} {'store ms':>9} {'raw ms':>9} {'direct ms':>9} {'disk ms':>9} "
            f"{'rdflib ms':>10} {'rdflib/store':>12} {'store/direct':>12} {'raw/direct':>10} "
            f"{'disk/store':>10}"
        )
        speedups, bounds, overheads, raws, disk_costs = [], [], [], {}, []
        for name in names:
            measured = ours[name]
            store_s, raw_s, direct_s = measured["store"], measured["raw"], measured["direct"]
            disk_s = measured["disk"]
            rdflib_s = theirs.get(name)
            speedup = rdflib_s / store_s if rdflib_s else None
            overhead = store_s / direct_s if direct_s else float("nan")
            raws[name] = raw_s / direct_s if direct_s else float("nan")
            if speedup:
                speedups.append(speedup)
            bounds.append(speedup or args.rdflib_limit / store_s)
            overheads.append(overhead)
            disk_costs.append(disk_s / store_s)
            if args.rdflib_limit <= 0:
                shown, ratio = f"{'-':>10}", f"{'-':>12}"
            elif rdflib_s:
                shown, ratio = f"{rdflib_s * 1000:10.1f}", f"{speedup:12.1f}"
            else:
                shown = f"{'>' + format(args.rdflib_limit, 'g') + ' s':>10}"
                ratio = f"{'>' + format(args.rdflib_limit / store_s, '.0f'):>12}"
            print(
                f"{name.split('/', 1)[1]:44} {store_s * 1000:9.1f} {raw_s * 1000:9.1f} "
                f"{direct_s * 1000:9.1f} {disk_s * 1000:9.1f} {shown} {ratio} {overhead:12.2f} "
                f"{raws[name]:10.2f} {disk_s / store_s:10.1f}",
                flush=True,
            )
        if speedups:
            print(
                f"median rdflib/store: {statistics.median(speedups):.1f}x over the "
                f"{len(speedups)} queries rdflib finished; at least "
                f"{statistics.median(bounds):.1f}x over all {len(bounds)} (a query past the "
                "limit counted at limit / store)"
            )
        worst = max(raws, key=raws.get)
        print(
            f"median store/direct: {statistics.median(overheads):.2f}x; "
            f"median raw/direct: {statistics.median(raws.values()):.2f}x; "
            f"max raw/direct: {raws[worst]:.2f}x ({worst.split('/', 1)[1]}) over all "
            f"{len(raws)}; median disk/store: {statistics.median(disk_costs):.1f}x",
            flush=True,
        )


if __name__ == "__main__":
    main()
