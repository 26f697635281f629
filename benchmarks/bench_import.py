"""Importing a large workbook into a small store and into a large one: the times must stay close.

Run with ``.venv/bin/python benchmarks/bench_import.py [--rows 1000] [--copies 90]``, or with
``--end-to-end --rows 1000 10000`` for whole imports of each size (see :func:`end_to_end`).

The workbook has ``--rows`` rows in each of the issue's nine sheets (Communities, People,
Organisations, Memberships, Places, Practices, Resources, Outcomes, Progress), plus the
domains and indicators they name, referring to real wards and localities by ID and name.
It is imported, in one run, into two on-disk stores:

- **small**: the ontology, the data rules and the GM reference data (about 10k facts);
- **large**: the same plus the demo data repeated ``--copies`` times with renamed IRIs (90
  copies: about 1M facts), bulk-loaded as one more graph.

Each import is timed step by step — reading the XLSX file, mapping rows to RDF (with the
look-ups of references in the store), validating with what the data links to, and the
atomic commit — and the script prints each step's seconds in both stores and their ratio.
The target (DESIGN.md): validating costs the same at 10k and 1M facts (ratio at most 1.5),
because only the changed things and what they link to are checked.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import pyoxigraph as ox
from rdflib import Graph

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_copies import replicated_demo  # noqa: E402

from cop_graph import resources  # noqa: E402
from cop_graph.collector import collector_paused  # noqa: E402
from cop_graph.ingest.importer import check, graph_name, import_workbook  # noqa: E402
from cop_graph.ingest.load import init_store, save_graph  # noqa: E402
from cop_graph.namespaces import COP, RDF  # noqa: E402
from cop_graph.queries.catalogue import graph_iri  # noqa: E402
from cop_graph.scope import private_graph_of  # noqa: E402
from cop_graph.store import open_store  # noqa: E402
from cop_graph.workbook.mapping import map_workbook  # noqa: E402
from cop_graph.workbook.read import read_workbook  # noqa: E402

COP_GRAPH = Path(sys.executable).parent / "cop-graph"
ROLES = ["Agenda activist", "Community keeper", "Critical friend", "Value detective",
         "External messenger", "Social reporter", "Organizational broker", "Member"]  # fmt: skip
STATUSES = ["Not started", "In progress", "Established"]
LOCALITIES = ["Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport",
              "Tameside", "Trafford", "Wigan"]  # fmt: skip


def ward_ids() -> list[str]:
    """The IDs (IRI slugs) of the real wards in the reference data."""
    reference = Graph()
    for path in resources.reference_files():
        if path.name == "places.ttl":
            reference.parse(path)
    return sorted(str(w).rsplit("/", 1)[1] for w in reference.subjects(RDF.type, COP.Ward))


def workbook(rows: int) -> bytes:
    """A workbook with ``rows`` rows in each of the issue's nine sheets."""
    wards = ward_ids()
    n = range(rows)
    sheets = {
        "About": [["Setting", "Value"], ["Workbook name", "Benchmark"]],
        "Domains": [["Name"], *([f"Bench domain {d}"] for d in range(20))],
        "Indicators": [["Name", "Unit", "Higher is better"],
                       *([f"Bench indicator {d}", "people", "yes"] for d in range(10))],
        "Practices": [["ID", "Name", "Broader"],
                      *([f"bp{i}", f"Bench practice {i}", f"bp{i - i % 10}" if i % 10 else ""]
                        for i in n)],
        "Communities": [
            ["ID", "Name", "Domains", "Operates in", "Practices", "Principles",
             "Blueprint chapters", "Openness", "Founded"],
            *([f"bc{i}", f"Bench community {i}", f"Bench domain {i % 20}",
               f"{LOCALITIES[i % 10]}; {wards[i % len(wards)]}", f"bp{i}; bp{(i + 1) % rows}",
               "People Power; Representation", "Prevention", "Open", "01/09/2023"] for i in n),
        ],
        "Organisations": [["ID", "Name", "Type", "Based in"],
                          *([f"bo{i}", f"Bench organisation {i}", "VCSE organisation",
                             LOCALITIES[i % 10]] for i in n)],
        "People": [["ID", "Name", "Email", "Organisation", "Based in", "Public profile"],
                   *([f"bp-person-{i}", f"Person {i}", f"person{i}@example.org", f"bo{i}",
                      LOCALITIES[i % 10], "yes" if i % 2 else "no"] for i in n)],
        "Memberships": [["Community", "Member", "Role", "From"],
                        *([f"bc{i}", f"bp-person-{i}", ROLES[i % len(ROLES)], "2024-01-01"]
                          for i in n)],
        "Places": [["ID", "Name", "Type", "Within", "Wards"],
                   *([f"bn{i}", f"Bench neighbourhood {i}", "Neighbourhood", LOCALITIES[i % 10],
                      f"{wards[i % len(wards)]}; {wards[(i + 7) % len(wards)]}"] for i in n)],
        "Resources": [["ID", "Title", "Type", "URL", "Produced by", "About practice"],
                      *([f"br{i}", f"Bench resource {i}", "Tool", f"https://example.org/r{i}",
                         f"bc{i}", f"bp{i}"] for i in n)],
        "Outcomes": [["Community", "Outcome", "Indicator", "Value", "Date"],
                     *([f"bc{i}", "More people walking", f"Bench indicator {i % 10}",
                        str(i % 50), "31/03/2025"] for i in n)],
        "Progress": [["Community", "Step", "Status", "Date", "Notes"],
                     *([f"bc{i // 7}", str(i % 7 + 1), STATUSES[i % 3], "2025-06-30",
                        "Benchmark note."] for i in n)],
    }  # fmt: skip
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, table in sheets.items():
        sheet = book.create_sheet(name)
        for row in table:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_store(path: Path, copies: int, work: Path):
    store = open_store(str(path))
    init_store(store, demo=False, who="benchmark")
    if copies:
        data = work / "copies.nt"
        replicated_demo(copies, data)
        store.native.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES,
                               to_graph=ox.NamedNode(str(graph_iri("demo-copies"))))  # fmt: skip
    return store


@collector_paused()
def timed_import(store, data: bytes) -> dict[str, float]:
    """Seconds for each step of one import (the steps ``import_workbook`` runs, with Python's
    cycle collector paused as it pauses it: the large store's own making leaves objects in
    this process that the collector would walk again and again during the mapping)."""
    times = {}
    start = time.perf_counter()
    book = read_workbook(data, filename="benchmark.xlsx", max_bytes=len(data) + 1)
    times["read XLSX"] = time.perf_counter() - start
    name = graph_name(book)
    graph = graph_iri(name)
    replacing = [graph, private_graph_of(graph)]
    start = time.perf_counter()
    mapped = map_workbook(book, store, people_prefix="benchmark", exclude=replacing)
    times["map rows to RDF"] = time.perf_counter() - start
    assert not [p for p in book.problems + mapped.problems if p.severity == "error"], (
        book.problems + mapped.problems
    )[:5]
    start = time.perf_counter()
    report = check(store, mapped.facts, replacing)
    times["validate"] = time.perf_counter() - start
    assert report.conforms, report.violations[:5]
    start = time.perf_counter()
    save_graph(store, mapped.facts, name=name, title="Benchmark", kind="import",
               sources=["benchmark.xlsx"], who="benchmark", check=False)  # fmt: skip
    times["commit"] = time.perf_counter() - start
    times["total"] = sum(times.values())
    times["facts"] = len(mapped.facts)
    return times


def end_to_end(rows: list[int], work: Path) -> None:
    """Seconds a whole import takes, as a coordinator's upload and ``cop-graph import`` run it.

    For each size, a fresh store with the standard graphs (no demo) imports the workbook
    with ``import_workbook`` in this process (what the web import's job runs: reading,
    mapping, checking, replacing records, the recorded commit), then the command does the
    same in a child process on another fresh store, start-up included. The sizes' ratio to
    the first shows how the time grows with the rows (issue 16: 10× the rows in ≤ 12× the
    time; 1,000 rows in ≤ 5 s).
    """
    seed = work / "seed"
    store = open_store(str(seed))
    init_store(store, demo=False, who="benchmark")
    store.close()
    print(f"{'rows per sheet':>14}{'facts':>10}{'import_workbook':>17}{'cop-graph import':>18}"
          f"{'× first':>9}")  # fmt: skip
    first = None
    for count in rows:
        book = work / f"bench-{count}.xlsx"
        book.write_bytes(workbook(count))
        in_process = work / f"in-process-{count}"
        shutil.copytree(seed, in_process)
        store = open_store(str(in_process))
        start = time.perf_counter()
        result = import_workbook(store, book, who="benchmark")
        seconds = time.perf_counter() - start
        store.close()
        command_store = work / f"command-{count}"
        shutil.copytree(seed, command_store)
        start = time.perf_counter()
        done = subprocess.run(
            [str(COP_GRAPH), "--store", str(command_store), "import", str(book)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        command = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"cop-graph import exited {done.returncode}: {done.stderr[-500:]}")
        first = first or seconds
        print(f"{count:>14,}{result.triples + result.private_triples:>10,}{seconds:>15.2f} s"
              f"{command:>16.2f} s{seconds / first:>8.1f}×", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000], help="rows in each sheet")
    parser.add_argument("--copies", type=int, default=90, help="demo copies in the large store")
    parser.add_argument(
        "--end-to-end", action="store_true", help="time whole imports of each --rows size instead"
    )
    args = parser.parse_args()
    if args.end_to_end:
        with tempfile.TemporaryDirectory() as folder:
            end_to_end(args.rows, Path(folder))
        return
    data = workbook(args.rows[0])
    print(f"workbook: {args.rows[0]} rows per sheet, {len(data) / 1024:.0f} KB")
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for label, copies in (("small", 0), ("large", args.copies)):
            store = build_store(work / label, copies, work)
            size = store.count()
            print(f"{label} store: {size:,} facts", flush=True)
            results[label] = (size, timed_import(store, data))
            store.close()
    (small_size, small), (large_size, large) = results["small"], results["large"]
    print(f"\nimported {small['facts']:,.0f} facts into stores of {small_size:,} and "
          f"{large_size:,} facts (seconds)")  # fmt: skip
    print(f"{'step':<18}{'small':>10}{'large':>10}{'large/small':>13}")
    for step in ("read XLSX", "map rows to RDF", "validate", "commit", "total"):
        print(f"{step:<18}{small[step]:>10.2f}{large[step]:>10.2f}"
              f"{large[step] / small[step]:>12.2f}×")  # fmt: skip


if __name__ == "__main__":
    main()
