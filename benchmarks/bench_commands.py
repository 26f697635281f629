"""What a command costs end to end, beside the analysis it runs: alone, and with a site running.

Run with ``.venv/bin/python benchmarks/bench_commands.py [--communities 10000]``. In one run,
on one on-disk store holding the synthetic world of ``bench_analysis.py``, it times for
``brokers`` and ``clusters``:

- **in process**: :func:`cop_graph.analysis.reports.run` on graphs already built (what the
  analysis itself costs; the denominator of every ratio);
- **alone**: ``cop-graph analyse NAME`` as a child process, no site running (Python starting,
  imports, opening the store, reading what the analysis needs, building the graph, the
  analysis, printing the table);
- **via the site**: the same command while ``cop-graph serve`` runs on the store (on a free
  port of 127.0.0.1), once its graphs are built: the first call (the site works the answer
  out) and a repeat (the site remembers it until the data changes).

Commands are timed ``--repeats`` times, alternating, and the median kept; the in-process runs
(on a copy of the store, so that they can run while the site holds it) alternate with them,
one per round, and their median is the denominator: the machine is shared, and its load
changes over a run. The command's output
alone and via the site must be the same bytes, or the run fails. Targets (issue 16): via the
site ≤ 2× in process, alone ≤ 3×. A breakdown of the in-process steps of a command alone
(open, read, link, analyse) says where the start-up goes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMAND = Path(sys.executable).with_name("cop-graph")
ANALYSES = ("brokers", "clusters")
TARGETS = {"via the site": 2.0, "alone": 3.0}
READY = "The analyses' graphs are built"


def make_store(path: Path, communities: int) -> int:
    """The synthetic world written to an on-disk store at ``path``; how many facts."""
    import pyoxigraph as ox

    sys.path.insert(0, str(HERE))
    from bench_analysis import synthetic_nquads

    from cop_graph.store.oxigraph import OxigraphStore

    store = OxigraphStore(path)
    store.native.bulk_load(synthetic_nquads(communities).encode(), format=ox.RdfFormat.N_QUADS)
    facts = len(store.native)
    store.close()
    return facts


def in_process(path: Path) -> dict:
    """Child process: the steps of a command alone, then each analysis on built graphs (run
    twice, the second kept: the first also loads what the analysis imports)."""
    started = time.perf_counter()
    from cop_graph.analysis import reports
    from cop_graph.store.oxigraph import OxigraphStore

    steps = {"import": time.perf_counter() - started}
    mark = time.perf_counter()
    store = OxigraphStore(path)
    steps["open the store"] = time.perf_counter() - mark
    graphs = reports.Graphs(store)
    with reports.collector_paused():
        mark = time.perf_counter()
        graphs.community_facts  # noqa: B018
        steps["read the community facts (query + graph)"] = time.perf_counter() - mark
        mark = time.perf_counter()
        graphs.communities  # noqa: B018
        steps["link communities"] = time.perf_counter() - mark
    seconds = {}
    for name in ANALYSES:
        for _ in range(2):
            mark = time.perf_counter()
            reports.run(store, name, graphs=graphs)
            seconds[name] = time.perf_counter() - mark
    store.close()
    return {"steps": steps, "analysis": seconds}


def in_process_child(path: Path) -> dict:
    """:func:`in_process` in a fresh process, on ``path`` (a copy of the store, so that it
    can run while the site holds the store itself)."""
    child = subprocess.run(
        [sys.executable, __file__, "--in-process", str(path)],
        capture_output=True, text=True, timeout=1800, check=True,
    )  # fmt: skip
    return json.loads(child.stdout)


def command(env: dict, path: Path, name: str) -> tuple[float, bytes]:
    """Seconds ``cop-graph analyse NAME`` took as a child process, and what it printed."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(COMMAND), "--store", str(path), "analyse", name],
        capture_output=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"cop-graph analyse {name} failed: {done.stderr.decode()[-2000:]}")
    return seconds, done.stdout


class Site:
    """``cop-graph serve --port 0`` on the store, until stopped."""

    def __init__(self, env: dict, path: Path, log: Path):
        from cop_graph.store.owner import read_owner

        self.log = log.open("w")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [str(COMMAND), "--store", str(path), "serve", "--port", "0"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the site stopped: {log.read_text()[-2000:]}")
            owner = read_owner(path)
            if owner is not None and owner.pid == self.process.pid and owner.api:
                break
            time.sleep(0.1)
        self.listening = time.perf_counter() - started
        while READY not in log.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the site did not build its graphs: {log.read_text()[-2000:]}")
            time.sleep(0.1)
        self.ready = time.perf_counter() - started

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=120)
        self.log.close()


def environment(folder: Path) -> dict:
    """The children's environment: their own accounts file, no proxy, no store from outside."""
    env = {**os.environ, "COP_GRAPH_ACCOUNTS": str(folder / "accounts.sqlite3")}
    for name in ("COP_GRAPH_STORE", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(name, None)
    return env


def measure(communities: int, repeats: int, folder: Path) -> dict:
    """Everything, the in-process runs alternating with the commands they are compared with
    (the machine is shared: load changes over a run)."""
    path, copy = folder / "store", folder / "copy"
    env = environment(folder)
    facts = make_store(path, communities)
    shutil.copytree(path, copy)
    load = [os.getloadavg()[0]]
    inside, printed = [], {}
    alone: dict[str, list[float]] = {name: [] for name in ANALYSES}
    for _ in range(repeats):
        inside.append(in_process_child(copy))
        for name in ANALYSES:
            seconds, printed[name] = command(env, path, name)
            alone[name].append(seconds)
    site = Site(env, path, folder / "serve.log")
    first, again = {}, {name: [] for name in ANALYSES}
    try:
        inside.append(in_process_child(copy))
        for name in ANALYSES:
            first[name], answer = command(env, path, name)
            if answer != printed[name]:
                raise SystemExit(f"{name}: the site's answer differs from the command's own")
        for _ in range(repeats):
            for name in ANALYSES:
                seconds, _ = command(env, path, name)
                again[name].append(seconds)
        inside.append(in_process_child(copy))
    finally:
        site.stop()
    load.append(os.getloadavg()[0])
    steps = {
        step: statistics.median(run["steps"][step] for run in inside) for step in inside[0]["steps"]
    }
    return {
        "communities": communities,
        "facts": facts,
        "repeats": repeats,
        "in-process runs": len(inside),
        "load average": load,
        "steps alone": steps,
        "site listening": site.listening,
        "site graphs built": site.ready,
        "analyses": {
            name: {
                "in process": statistics.median(run["analysis"][name] for run in inside),
                "alone": statistics.median(alone[name]),
                "via the site, first": first[name],
                "via the site, again": statistics.median(again[name]),
            }
            for name in ANALYSES
        },
    }


def report(run: dict) -> None:
    print(
        f"\n{run['communities']:,} communities, {run['facts']:,} facts on disk; medians of "
        f"{run['repeats']} commands and {run['in-process runs']} in-process runs; "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {run['load average'][0]:.1f} at the start, "
        f"{run['load average'][1]:.1f} at the end"
    )
    print(
        f"site: listening after {run['site listening']:.1f} s, graphs built after "
        f"{run['site graphs built']:.1f} s"
    )
    print("\nsteps of a command alone, in process (brokers and clusters read the same):")
    for step, seconds in run["steps alone"].items():
        print(f"  {step:<45}{seconds:>8.2f} s")
    columns = ("in process", "alone", "via the site, first", "via the site, again")
    print(f"\n  {'analysis':<10}" + "".join(f"{c:>24}" for c in columns) + "   targets met")
    for name, figures in run["analyses"].items():
        base = figures["in process"]
        cells = [f"{base:.2f} s"] + [
            f"{figures[c]:.2f} s ({figures[c] / base:.1f}×)" for c in columns[1:]
        ]
        met = {
            "alone": figures["alone"] / base <= TARGETS["alone"],
            "via the site": max(figures[c] for c in columns[2:]) / base <= TARGETS["via the site"],
        }
        verdict = ", ".join(f"{k} {'yes' if ok else 'NO'}" for k, ok in met.items())
        print(f"  {name:<10}" + "".join(f"{c:>24}" for c in cells) + f"   {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--in-process", type=Path, help=argparse.SUPPRESS)  # child: print JSON
    args = parser.parse_args()
    if args.in_process:
        print(json.dumps(in_process(args.in_process)))
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-commands-"))
    try:
        run = measure(args.communities, args.repeats, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report(run)
    print("\nJSON:", json.dumps(run))


if __name__ == "__main__":
    main()
