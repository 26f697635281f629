"""SHACL engines side by side: do they give pyshacl's verdicts, and how fast are they?

Run with ``.venv/bin/python benchmarks/bench_validate.py [--agreement] [--cases record
workbook copies] [--rows 1000] [--copies 9] [--repeats 3] [--limit 120]``.

Issue 16 wants a checked load that costs close to the engine. Before choosing how, this
measures the options on the same input, in one run:

- **pyshacl** as ``cop_graph.validate`` runs it today (``advanced=True``, rdflib graph);
- Rust engines from PyPI, each on the same shapes and the same merged graph:
  **pyshacl-turbo**, **shacl-rust**, **shifty** (``pyshifty``) and **rudof** (``pyrudof``);
- **sparql**: the shapes compiled to SPARQL and run by pyoxigraph, as ``cop_graph.validate``
  has run them since 7 December 2026 (``cop_graph/validate/compiled.py`` and ``checks.py``:
  the things to check are marked once, then one query per constraint).

Every engine gets what ``cop_graph.validate`` gives pyshacl: the data, what it links to and
the ontology terms it names, as N-Triples text; each is timed from that text (its own parse
included, since a checked load starts from a file), against pyoxigraph's ``bulk_load`` of the
same text into a store in memory (the engine alone). A verdict is the set of top-level
results about the data's own things, keyed (focus, path, source shape, severity): the key
``tests/test_shapes.py`` judges by. ``--agreement`` compares those sets with pyshacl's on
every case of the shape test suite and on the demo data.

Cases for speed: **record**, one community of the demo with its memberships and
assessments, the context read from a store as an edit does; **workbook**, the data of a
``--rows``-row workbook (``bench_import.workbook``) with its context; **copies**, the demo
``--copies`` times with renamed IRIs (as ``bench_load`` did) and the reference data.
An engine is timed in a child process killed after ``--limit`` seconds, so a slow engine
cannot block the run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_copies import reference_graph, renamed_copies  # noqa: E402

from cop_graph import resources  # noqa: E402
from cop_graph.namespaces import COP, ORG, RDF, SH  # noqa: E402
from cop_graph.validate import Staging, shapes_graph  # noqa: E402
from cop_graph.validate.checks import DATA  # noqa: E402
from cop_graph.validate.prepare import ontology_about, without_shacl  # noqa: E402
from cop_graph.validate.reference import _QueryCachingGraph  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "shapes"

Key = tuple[str, str | None, str, str]
_SEVERITY = {str(SH.Violation): "Violation", str(SH.Warning): "Warning", str(SH.Info): "Info"}


# --- the input every engine gets ----------------------------------------------------------


class Input:
    """The merged graph ``cop_graph.validate`` would hand pyshacl, and its focus nodes."""

    def __init__(self, data: Graph, context: Graph | None):
        data = without_shacl(data)
        self.focus = {str(s) for s in data.subjects(unique=True) if isinstance(s, URIRef)}
        merged = Graph()
        merged += data
        if context is not None:
            merged += without_shacl(context)
        terms = {term for fact in merged for term in fact}
        for fact in set(ontology_about(terms)):
            merged.add(fact)
        self.facts = len(merged)
        self.nt = merged.serialize(format="nt")


def _name(term) -> str:
    return "_:" if isinstance(term, BNode) else str(term)


def _keys_from_report(report: Graph, focus: set[str]) -> set[Key]:
    found = set()
    for top in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(top, SH.result):
            node = report.value(result, SH.focusNode)
            if str(node) not in focus:
                continue
            path = report.value(result, SH.resultPath)
            severity = _SEVERITY[str(report.value(result, SH.resultSeverity))]
            shape = _name(report.value(result, SH.sourceShape))
            found.add((str(node), None if path is None else str(path), shape, severity))
    return found


def _strip(text: str | None) -> str | None:
    if text in (None, "None", ""):
        return None
    return text[1:-1] if text.startswith("<") else text


# --- the engines: N-Triples text and focus nodes in, result keys out ----------------------


def run_pyshacl(inp: Input) -> set[Key]:
    """As ``cop_graph.validate`` runs it, on its graph that parses each SPARQL text once."""
    import pyshacl

    graph = _QueryCachingGraph().parse(data=inp.nt, format="nt")
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), inference="none",
                                    advanced=True, allow_warnings=True, inplace=True)  # fmt: skip
    return _keys_from_report(report, inp.focus)


def run_turbo(inp: Input) -> set[Key]:
    import pyshacl_turbo

    graph = Graph().parse(data=inp.nt, format="nt")
    _, report, _ = pyshacl_turbo.validate(
        graph,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,
    )
    return _keys_from_report(report, inp.focus)


def _shapes_turtle() -> str:
    return shapes_graph().serialize(format="turtle")


def run_shacl_rust(inp: Input) -> set[Key]:
    import shacl_rust

    answer = shacl_rust.validate(inp.nt, _shapes_turtle(), data_format="nt")
    found = set()
    for r in answer["results"]:
        focus = _strip(r["focusNode"])
        if focus in inp.focus:
            shape = _strip(r.get("sourceShape")) or "_:"
            shape = shape if "://" in shape else "_:"
            severity = _SEVERITY[_strip(r["severity"])]
            found.add((focus, _strip(r.get("resultPath")), shape, severity))
    return found


def run_shifty(inp: Input) -> set[Key]:
    import shifty

    graph = Graph().parse(data=inp.nt, format="nt")
    _, report, _ = shifty.validate(graph, shapes_graph(), infer=False)
    return _keys_from_report(report, inp.focus)


def run_rudof(inp: Input) -> set[Key]:
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(inp.nt, format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(_shapes_turtle())
    found = set()
    for r in rudof.validate_shacl().violations:
        focus = _strip(r.focus_node)
        if focus in inp.focus:
            shape = _strip(str(r.source_shape))
            shape = shape if shape and "://" in shape else "_:"
            found.add((focus, _strip(str(r.path)), shape, str(r.severity)))
    return found


def run_sparql(inp: Input) -> set[Key]:
    """As ``cop_graph.validate`` runs: the text read into a staging store, then checked."""
    staging = Staging()
    staging.store.bulk_load(inp.nt.encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=DATA)
    found = set()
    for r in staging.check(URIRef(f) for f in inp.focus):
        path = None if r.path is None else str(r.path)
        found.add((str(r.focus), path, _name(r.shape), r.severity))
    return found


def run_bulk_load(inp: Input) -> set[Key]:
    """The engine alone: pyoxigraph reads the same text into a store, nothing checked."""
    ox.Store().bulk_load(inp.nt.encode(), format=ox.RdfFormat.N_TRIPLES)
    return set()


ENGINES: dict[str, Callable[[Input], set[Key]]] = {
    "pyshacl": run_pyshacl,
    "pyshacl-turbo": run_turbo,
    "shacl-rust": run_shacl_rust,
    "shifty": run_shifty,
    "rudof": run_rudof,
    "sparql": run_sparql,
}


# --- agreement ------------------------------------------------------------------------------


def suite_inputs(names: list[str] | None = None) -> dict[str, Input]:
    """The shape test suite's cases (each with ``context.ttl``), as ``test_shapes`` runs them."""
    context = Graph().parse(CASES / "context.ttl")
    paths = sorted(CASES.glob("*-valid.ttl")) + sorted(CASES.glob("*-invalid-*.ttl"))
    inputs = {"context": Input(context, None)} if names is None or "context" in names else {}
    for path in paths:
        if names is None or path.stem in names:
            inputs[path.stem] = Input(Graph().parse(path), context)
    return inputs


def demo_input() -> Input:
    """The demo data with the reference data and ontology as what it links to."""
    data, context = Graph(), Graph()
    for path in resources.demo_files():
        data.parse(path)
    for path in resources.reference_files():
        context.parse(path)
    return Input(data, context)


def broken_demo_input(every: int = 5) -> Input:
    """The demo with every ``every``-th fact dropped: many broken rules at once.

    The shape suite breaks one rule per file; this breaks hundreds together (missing names,
    links to things no longer typed, memberships without a role), as a bad upload would.
    """
    data, context = Graph(), Graph()
    for path in resources.demo_files():
        data.parse(path)
    for path in resources.reference_files():
        context.parse(path)
    kept = Graph()
    for n, triple in enumerate(sorted(data)):
        if n % every:
            kept.add(triple)
    return Input(kept, context)


def all_inputs() -> dict[str, Input]:
    """Every case the agreement check compares: the suite, the demo, the broken demo."""
    inputs = suite_inputs()
    inputs["demo"] = demo_input()
    inputs["demo, every 5th fact dropped"] = broken_demo_input()
    return inputs


def _safe(engine, inp: Input) -> set[Key] | str:
    try:
        return engine(inp)
    except Exception as error:  # an engine that cannot read the shapes is an answer too
        return f"error: {type(error).__name__}: {str(error)[:120]}"


def agreement(inputs: dict[str, Input], engines: list[str]) -> dict[str, dict[str, str]]:
    """Per engine and case: "same", or what differs from pyshacl (missing / extra keys)."""
    table: dict[str, dict[str, str]] = {e: {} for e in engines}
    for case, inp in inputs.items():
        reference = run_pyshacl(inp)
        for engine in engines:
            found = _safe(ENGINES[engine], inp)
            if isinstance(found, str):
                table[engine][case] = found
                continue
            missing, extra = reference - found, found - reference
            table[engine][case] = (
                "same"
                if not missing and not extra
                else (f"missing {sorted(missing)}; extra {sorted(extra)}")
            )
    return table


def print_agreement(table: dict[str, dict[str, str]]) -> None:
    for engine, cases in table.items():
        same = sum(1 for v in cases.values() if v == "same")
        print(f"\n{engine}: {same} of {len(cases)} cases give pyshacl's results")
        for case, verdict in cases.items():
            if verdict != "same":
                print(f"  {case}: {verdict[:400]}")


# --- speed ------------------------------------------------------------------------------------


def record_input() -> Input:
    """One demo community's record, with its context read from a store as an edit does."""
    from cop_graph.ingest.load import context_of, init_store
    from cop_graph.store import open_store

    store = open_store("memory:")
    init_store(store, demo=True, who="benchmark")
    demo = Graph()
    for path in resources.demo_files():
        demo.parse(path)
    community = sorted(demo.subjects(RDF.type, COP.CommunityOfPurpose))[0]
    parts = {community} | set(demo.subjects(ORG.organization, community))
    parts |= set(demo.subjects(COP.assessedCommunity, community))
    data = Graph()
    for part in parts:
        for triple in demo.triples((part, None, None)):
            data.add(triple)
    return Input(data, context_of(store, data, []))


def workbook_input(rows: int) -> Input:
    """The data of a ``rows``-row workbook, mapped as an import maps it, with its context."""
    from bench_import import build_store, workbook

    from cop_graph.ingest.importer import graph_name
    from cop_graph.ingest.load import context_of
    from cop_graph.queries.catalogue import graph_iri
    from cop_graph.scope import private_graph_of
    from cop_graph.workbook.mapping import map_workbook
    from cop_graph.workbook.read import read_workbook

    data = workbook(rows)
    with tempfile.TemporaryDirectory() as folder:
        store = build_store(Path(folder) / "store", 0, Path(folder))
        book = read_workbook(data, filename="benchmark.xlsx", max_bytes=len(data) + 1)
        graph = graph_iri(graph_name(book))
        replacing = [graph, private_graph_of(graph)]
        mapped = map_workbook(book, store, people_prefix="benchmark", exclude=replacing)
        context = context_of(store, mapped.facts, replacing)
        store.close()
    return Input(mapped.data, context)


def copies_input(copies: int) -> Input:
    """The demo ``copies`` times with renamed IRIs, the reference data as context."""
    return Input(renamed_copies(copies), reference_graph())


def _child(engine: str, inp: Input, repeats: int, queue) -> None:
    times, found = [], set()
    for _ in range(repeats):
        start = time.perf_counter()
        found = _safe(ENGINES[engine] if engine != "bulk_load" else run_bulk_load, inp)
        times.append(time.perf_counter() - start)
    queue.put((times, found if isinstance(found, str) else len(found)))


def timed(engine: str, inp: Input, repeats: int, limit: float):
    """Seconds per run of ``engine`` on ``inp`` in a forked child; None past ``limit``."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child, args=(engine, inp, repeats, queue))
    child.start()
    child.join(limit)
    if child.is_alive():
        child.kill()
        child.join()
        return None, "past the limit"
    try:
        return queue.get(timeout=10)
    except Exception:  # the child died without answering (killed, or crashed in an engine)
        return None, f"no answer (exit code {child.exitcode})"


def speed(label: str, inp: Input, engines: list[str], repeats: int, limit: float) -> None:
    print(f"\n{label}: {inp.facts:,} facts given to each engine, {len(inp.focus):,} focus nodes")
    print(f"{'engine':<15}{'median s':>10}{'pyshacl ÷':>11}{'÷ bulk_load':>12}  results")
    medians = {}
    for engine in ["bulk_load", *engines]:
        times, found = timed(engine, inp, repeats, limit)
        medians[engine] = statistics.median(times) if times else None
        base, load = medians.get("pyshacl"), medians["bulk_load"]
        m = medians[engine]
        shown = f"{m:>10.3f}" if m is not None else f"{'>' + str(int(limit)):>10}"
        vs_pyshacl = f"{base / m:>10.1f}×" if m and base else f"{'':>11}"
        vs_load = f"{m / load:>11.1f}×" if m and load else f"{'':>12}"
        print(f"{engine:<15}{shown}{vs_pyshacl}{vs_load}  {found}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--agreement", action="store_true", help="compare verdicts first")
    parser.add_argument("--cases", nargs="*", default=["record", "workbook", "copies"])
    parser.add_argument("--engines", nargs="*", default=list(ENGINES))
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--copies", type=int, default=9)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120, help="seconds per engine and case")
    args = parser.parse_args()
    others = [e for e in args.engines if e != "pyshacl"]
    builders = {
        "record": lambda: record_input(),
        "workbook": lambda: workbook_input(args.rows),
        "copies": lambda: copies_input(args.copies),
    }
    for case in args.cases:
        speed(case, builders[case](), args.engines, args.repeats, args.limit)
    # last: once an engine has started its threads here, a child forked from this process
    # may hang in it (shacl-rust did), so no timing may follow
    if args.agreement:
        print_agreement(agreement(all_inputs(), others))


if __name__ == "__main__":
    main()
