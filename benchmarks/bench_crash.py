"""Writes killed with SIGKILL many rounds in a row: the store must open as before or after.

Run with ``.venv/bin/python benchmarks/bench_crash.py [--rounds 20] [--seed 18]``.

The same kills as ``tests/test_crash_points.py`` (whose machinery this runs): ``cop-graph
load`` of a new file, ``cop-graph import`` of a new workbook, a replace (a changed file
loaded under the same graph name), a web import (a coordinator's upload to ``cop-graph
serve``) and a web re-import (a changed workbook of the same name uploaded where a web import
saved the first: staging graphs and the MOVE, in the server), each ``--rounds`` times in a
row. Each round kills the child, chosen at random
(seeded): half the rounds at a point of the store's write steps (any of them), a quarter
after a random delay within a clean run's time, a quarter after a delay aimed at the time a
clean run writes to the store. Then it opens the store again (timed) and compares what it
holds with the states before and after. It prints, per write, the rounds, how many ended in
the state before and after, how many left part of a write that opening the store removed,
the failures (a state that is neither, a leftover, a damaged accounts file: must be 0), and
the time the store took to open again (median and slowest). Exits 1 on a failure.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_crash_points import (  # noqa: E402
    LOAD_FACTS,
    NEW_POINTS,
    REPLACE_POINTS,
    World,
    random_delay,
)


def points_of(operation: str) -> list[str]:
    return REPLACE_POINTS if operation in ("replace", "web-reimport") else NEW_POINTS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="kills of each write in a row")
    parser.add_argument("--seed", type=int, default=18, help="seed of the points and delays")
    parser.add_argument(
        "--facts", type=int, default=LOAD_FACTS, help="facts in the loaded and replaced file"
    )
    parser.add_argument(
        "--operations", nargs="+", default=list(World.OPERATIONS), choices=World.OPERATIONS
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures = 0
    rows = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        world = World(Path(folder), args.facts)
        for operation in args.operations:
            seconds = world.seconds(operation)
            print(f"\n{operation}: a clean run takes {seconds:.1f} s", flush=True)
            first, last = world.writing(operation)
            print(f"  it writes to the store from {first:.2f} s to {last:.2f} s", flush=True)
            seen, reopen, at_points, bad, cleaned = Counter(), [], 0, 0, 0
            for number in range(1, args.rounds + 1):
                draw = rng.random()
                if draw < 0.5:
                    point, delay = rng.choice(points_of(operation)), 0.0
                    at_points += 1
                else:
                    point, delay = None, random_delay(world, operation, rng, aimed=draw >= 0.75)
                outcome = world.crash(operation, point, delay)
                seen[outcome.state] += 1
                cleaned += bool(outcome.cleaned)
                reopen.append(outcome.reopen)
                verdict = "ok" if not outcome.problems else "FAILED: " + "; ".join(outcome.problems)
                removed = " (part written, removed)" if outcome.cleaned else ""
                print(
                    f"  round {number:>2}: killed {outcome.point:<18} -> {outcome.state:<7}"
                    f" reopened in {outcome.reopen:.3f} s{removed}  {verdict}",
                    flush=True,
                )
                bad += bool(outcome.problems)
            failures += bad
            rows.append((operation, args.rounds, at_points, seen, cleaned, bad, reopen))
    print(f"\n{len(rows)} writes, {time.perf_counter() - started:.0f} s in all, seed {args.seed}")
    print(
        f"{'write':<12}{'rounds':>7}{'at points':>10}{'before':>8}{'after':>7}"
        f"{'part removed':>14}{'failures':>10}{'reopen median':>15}{'reopen max':>12}"
    )
    for operation, rounds, at_points, seen, cleaned, bad, reopen in rows:
        print(
            f"{operation:<12}{rounds:>7}{at_points:>10}{seen['before']:>8}{seen['after']:>7}"
            f"{cleaned:>14}{bad:>10}{statistics.median(reopen):>13.3f} s{max(reopen):>10.3f} s"
        )
    print(f"failures (neither state, a leftover, a damaged accounts file): {failures}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
