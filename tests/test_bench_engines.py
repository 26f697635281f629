"""The engine benchmark's own machinery reports what happened, not a number it did not measure.

``benchmarks/bench_engines.py`` is run by hand at sizes that take hours; without these tests a
step stopped at its limit, a loader exiting with an error or a page answering 404 could
quietly turn into a time in its table. No timing is asserted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from engine_stores import Measured, run_measured  # noqa: E402
from engine_table import print_table  # noqa: E402
from engine_timing import Worker  # noqa: E402

from cop_graph.store.oxigraph import OxigraphStore  # noqa: E402


def test_a_step_past_its_limit_is_stopped_and_said_to_be():
    measured = run_measured([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert (measured.seconds, measured.failure) == (None, "stopped at the 0.5 s limit")


def test_a_step_that_fails_says_how_with_the_error_it_gave():
    command = [sys.executable, "-c", "raise SystemExit('Error: the file is not there')"]
    measured = run_measured(command, timeout=30)
    assert measured.seconds is None
    assert "exited 1: Error: the file is not there" in measured.failure


def test_a_step_that_ends_well_has_its_time_and_memory():
    command = [sys.executable, "-c", "block = bytearray(50_000_000)"]
    measured = run_measured(command, timeout=30)
    assert measured.failure is None and measured.seconds > 0
    assert measured.peak_mb >= 50


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    folder = tmp_path_factory.mktemp("engines")
    OxigraphStore(folder / "store").close()
    started = Worker(str(folder / "store"), "", folder / "data", limit=60, repeats=1)
    yield started
    started.stop()


def test_a_worker_times_a_question_and_reports_a_page_that_fails(worker):
    question = worker.run(("question", "examples/list_communities"))
    assert question.failure is None and question.seconds > 0
    missing = worker.run(("page", "/id/community/not-there"))
    assert missing.seconds is None
    assert "/id/community/not-there answered 404" in missing.failure
    assert worker.run(("question", "examples/list_communities")).failure is None
    assert worker.peak_mb > 0


def test_the_table_shows_a_failure_and_its_reason_rather_than_a_time(capsys):
    rows = {
        "bulk load (s)": {
            "embedded": Measured(2.0),
            "Virtuoso": Measured(failure="stopped at the 600 s limit"),
        },
        "cop-graph load (s)": {"embedded": Measured(4.0), "Virtuoso": Measured(10.0)},
    }
    print_table(["embedded", "Virtuoso"], rows, {}, {}, {})
    printed = capsys.readouterr().out
    bulk = next(line for line in printed.splitlines() if line.startswith("bulk load"))
    checked = next(line for line in printed.splitlines() if line.startswith("cop-graph load"))
    assert bulk.split()[-2:] == [">limit", "-"]
    assert checked.split()[-2:] == ["10.0", "2.50×"]
    assert "Virtuoso, bulk load (s): stopped at the 600 s limit" in printed
