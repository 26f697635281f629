"""Progress of long work: the steps the library reports, and the bar the CLI draws with them.

The bar must show on a terminal and leave no trace anywhere else: a script reading the
command's output through a pipe sees exactly what it saw before there was a bar.
"""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

from workbooks import GOOD, xlsx

from cop_graph.analysis import reports
from cop_graph.analysis.example import example_store
from cop_graph.ingest.importer import import_workbook
from cop_graph.ingest.load import load_files
from cop_graph.progress import SILENT, StepLog

DATA = Path(__file__).parent / "data"
COMMAND = Path(sys.executable).with_name("cop-graph")


def _names(log: StepLog) -> list[str]:
    return [step["name"] for step in log.steps()]


def test_silent_reporter_does_nothing():
    SILENT.step("Reading", total=3)
    SILENT.advance(3)


def test_load_reports_reading_checking_saving(seeded_store):
    log = StepLog()
    load_files(seeded_store, [DATA / "community-valid.ttl"], progress=log)
    log.finish()
    steps = log.steps()
    assert _names(log) == [
        "Reading community-valid.ttl",
        "Checking against the data rules",
        "Saving",
    ]
    assert steps[0]["total"] == 1 and steps[0]["done"] == 1
    assert all(step["finished"] for step in steps)


def test_import_reports_its_steps(seeded_store):
    log = StepLog()
    import_workbook(seeded_store, xlsx(GOOD), filename="walkers.xlsx", progress=log)
    assert _names(log) == [
        "Reading walkers.xlsx",
        "Turning 6 rows into facts",
        "Checking against the data rules",
        "Saving",
    ]


def test_analysis_reports_building_then_running():
    log = StepLog()
    result = reports.run(example_store(), "brokers", progress=log)
    title = reports.get("brokers").title
    assert _names(log) == [
        "Reading the data into a graph",
        "Linking communities by what they share",
        f"Running {title}",
    ]
    assert result.rows


def _run(store: Path, *args: str, stderr_on_terminal: bool) -> tuple[int, bytes, bytes]:
    """Run ``cop-graph`` with stdout piped and stderr on a pseudo-terminal or a pipe."""
    env = dict(os.environ, TERM="xterm", COLUMNS="100", NO_COLOR="1")
    command = [str(COMMAND), "--store", str(store), *args]
    if not stderr_on_terminal:
        done = subprocess.run(command, capture_output=True, env=env, timeout=120)
        return done.returncode, done.stdout, done.stderr
    parent, child = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=child, env=env)
    os.close(child)
    stdout = process.stdout.read()
    process.wait(timeout=120)
    seen = []
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        seen.append(chunk)
    os.close(parent)
    return process.returncode, stdout, b"".join(seen)


def test_load_shows_progress_on_a_terminal_and_nothing_when_piped(seeded_store_path, tmp_path):
    other = tmp_path / "other-store"
    shutil.copytree(seeded_store_path, other)
    file = str(DATA / "community-valid.ttl")

    code, terminal_out, terminal_err = _run(
        seeded_store_path, "load", file, stderr_on_terminal=True
    )
    assert code == 0, terminal_err
    assert b"Reading community-valid.ttl" in terminal_err
    assert b"Checking against the data rules" in terminal_err
    assert b"Saving" in terminal_err

    code, piped_out, piped_err = _run(other, "load", file, stderr_on_terminal=False)
    assert code == 0, piped_err
    assert piped_err == b""  # no bar, no control codes
    assert piped_out == terminal_out  # the answer is the same either way
    assert piped_out.startswith(b"Saved 31 facts in ")


def test_a_refused_load_says_the_same_when_piped(seeded_store_path):
    file = str(DATA / "community-no-domain.ttl")
    code, out, err = _run(seeded_store_path, "load", file, stderr_on_terminal=False)
    assert code == 1
    assert out == b""
    assert err.startswith(b"Not saved: ") and b"\x1b[" not in err
