"""The example queries on the embedded store, on pyoxigraph directly, and on rdflib's own engine.

Run with ``.venv/bin/python benchmarks/bench_queries.py [--sizes 100000 1000000]``. For each
size it builds one dataset (ontology, reference and demo data as shipped, plus synthetic
communities from ``bench_pages.synthetic_triples`` up to about that many triples) and loads
the same quads into:

- the embedded on-disk store, queried through ``Store.query`` (what the app does);
- the same pyoxigraph store queried directly (to show our layer stays thin);
- an rdflib ``Dataset`` with the union of the graphs as default graph (rdflib's engine).

Every answer is consumed in full. It prints, per query, the median time of each engine and
the ratios rdflib / store and store / direct. rdflib runs in a child process that is killed
when one query passes ``--rdflib-limit`` seconds (shown as ``>limit``). Targets (DESIGN.md):
the store at least 15× faster than rdflib at 1M triples, and at most 1.5× slower than direct.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import FACTS_PER_COMMUNITY, synthetic_triples  # noqa: E402

from cop_graph import queries, resources  # noqa: E402
from cop_graph.namespaces import PREFIXES  # noqa: E402
from cop_graph.store.oxigraph import OxigraphStore  # noqa: E402
from cop_graph.store.terms import to_oxigraph  # noqa: E402

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


def _median(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _consume(result) -> int:
    if isinstance(result, bool | ox.QueryBoolean):
        return 1
    return sum(1 for _ in result)


def time_oxigraph(nquads: bytes, names: list[str], repeats: int) -> dict[str, tuple[float, float]]:
    """(through Store.query, pyoxigraph directly) median seconds per query, on disk."""
    from rdflib import URIRef

    folder = tempfile.mkdtemp(prefix="bench-queries-")
    store = OxigraphStore(Path(folder) / "store")
    store.native.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    store.native.optimize()
    times = {}
    for name in names:
        text = queries.get(name).text
        bound = _bindings(name.split("/", 1)[1])
        layer = {k: URIRef(v) for k, v in bound.items()}
        direct = {ox.Variable(k): ox.NamedNode(v) for k, v in bound.items()}

        def through_store(text=text, layer=layer):
            result = store.query(text, layer or None)
            return result if isinstance(result, bool) else len(result)

        def directly(text=text, direct=direct):
            options = {"prefixes": PREFIXES, "use_default_graph_as_union": True}
            if direct:
                options["substitutions"] = direct
            return _consume(store.native.query(text, **options))

        through_store(), directly()  # warm the caches once
        times[name] = (_median(through_store, repeats), _median(directly, repeats))
    store.close()
    return times


def _rdflib_child(nquads: bytes, jobs, answers) -> None:
    from rdflib import Dataset, URIRef

    dataset = Dataset(default_union=True)
    dataset.parse(data=nquads, format="nquads")
    answers.put(("loaded", len(dataset)))
    while (job := jobs.get()) is not None:
        name, repeats = job
        text = queries.get(name).text
        bindings = {k: URIRef(v) for k, v in _bindings(name.split("/", 1)[1]).items()}

        def run(text=text, bindings=bindings):
            result = dataset.query(text, initBindings=bindings)
            return result.askAnswer if result.type == "ASK" else len(list(result))

        answers.put((name, _median(run, repeats)))


def time_rdflib(nquads: bytes, names: list[str], limit: float) -> dict[str, float | None]:
    """rdflib's median seconds per query (None: stopped at ``limit``)."""
    context = multiprocessing.get_context("fork")
    times: dict[str, float | None] = {}
    pending = list(names)
    while pending:
        jobs, answers = context.Queue(), context.Queue()
        child = context.Process(target=_rdflib_child, args=(nquads, jobs, answers), daemon=True)
        child.start()
        answers.get()  # loaded
        while pending:
            name = pending.pop(0)
            jobs.put((name, 3 if times.get("_fast", True) else 1))
            try:
                _, seconds = answers.get(timeout=limit)
                times[name] = seconds
            except Exception:  # queue.Empty: the query ran past the limit
                times[name] = None
                child.kill()
                child.join()
                break
        else:
            jobs.put(None)
            child.join()
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rdflib-limit", type=float, default=120.0)
    args = parser.parse_args(argv)
    names = queries.names("examples")
    for size in args.sizes:
        nquads = build_nquads(size)
        quads = nquads.count(b"\n")
        print(f"\n== {quads:,} quads ==", flush=True)
        ours = time_oxigraph(nquads, names, args.repeats)
        theirs = time_rdflib(nquads, names, args.rdflib_limit)
        print(
            f"{'query':48} {'store ms':>9} {'direct ms':>9} {'rdflib ms':>10} "
            f"{'rdflib/store':>12} {'store/direct':>12}"
        )
        speedups, overheads = [], []
        for name in names:
            store_s, direct_s = ours[name]
            rdflib_s = theirs.get(name)
            speedup = rdflib_s / store_s if rdflib_s else None
            overhead = store_s / direct_s if direct_s else float("nan")
            if speedup:
                speedups.append(speedup)
            overheads.append(overhead)
            shown = (
                f"{rdflib_s * 1000:10.1f}"
                if rdflib_s
                else f"{'>' + format(args.rdflib_limit, 'g') + ' s':>10}"
            )
            ratio = (
                f"{speedup:12.1f}"
                if speedup
                else f"{'>' + format(args.rdflib_limit / store_s, '.0f'):>12}"
            )
            print(
                f"{name.split('/', 1)[1]:48} {store_s * 1000:9.1f} {direct_s * 1000:9.1f} "
                f"{shown} {ratio} {overhead:12.2f}",
                flush=True,
            )
        print(
            f"median rdflib/store: {statistics.median(speedups):.1f}x over {len(speedups)} "
            f"queries; median store/direct: {statistics.median(overheads):.2f}x"
        )


if __name__ == "__main__":
    main()
